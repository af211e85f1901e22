"""Each edition's social image (`og:image`): its cover, or a card drawn for it.

When a brief has a cover image, links to it show the cover (`cover_image`).
Otherwise they show a card, 1200×630 PNG, drawn with Pillow: the
publisher's wordmark, the brief's kind, title, authors and date, in the
page's language and script (a Serbian brief's card in Cyrillic for /sr/,
in Latin for /sr-latn/). The text is set in Noto Sans, shipped in
static/fonts/ with its licence (OFL): it has Serbian Cyrillic glyphs on
every machine, whatever fonts the system has.

Cards are drawn when an edition is rendered, at publish time (and when it
is rendered again: a rename, a restore, a deploy), never on a GET: the
rendering names the card (the head links it), and the card is drawn right
after the publishing transaction commits. Each is stored through the
storage API like the PDFs (publishing/pdfs.py), under the edition's brief
and number and a hash of what the card shows, so the same text is drawn
once and a changed one gets a new address.
"""

import functools
import hashlib
import io
import logging
import posixpath
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from languages import codes
from languages.transliteration import to_latin

logger = logging.getLogger(__name__)

CARD_DIR = "editions/cards"
WIDTH, HEIGHT = 1200, 630
FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
BOLD_FONT = FONT_DIR / "NotoSans-Bold.ttf"
REGULAR_FONT = FONT_DIR / "NotoSans-Regular.ttf"

# The site's palette (static/css/site.css): accent ground, paper-toned text.
BACKGROUND = (11, 79, 138)
INK = (255, 255, 255)
MUTED = (214, 226, 240)
RULE = (243, 241, 236)
MARGIN = 72


@dataclass(frozen=True)
class SocialImage:
    """What the brief's head says about its social image."""

    url: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class CardText:
    wordmark: str
    kind: str
    title: str
    authors: str
    date: str

    def digest(self) -> str:
        data = "\x1f".join(
            [self.wordmark, self.kind, self.title, self.authors, self.date]
        )
        # The fonts' version is part of the picture too.
        return hashlib.sha256(f"1\x1f{data}".encode()).hexdigest()[:16]


def wordmark(language: str | None = None) -> str:
    """The publisher's name as the page's language writes it."""
    language = language or translation.get_language()
    if not codes.is_serbian(language):
        return settings.PUBLISHER["name"]
    local = settings.PUBLISHER.get("local_name") or settings.PUBLISHER["name"]
    if codes.public_language(language).script == codes.LATIN:
        return to_latin(local)
    return local


def card_text(brief: Any, edition: Any, authors: list[Any]) -> CardText:
    """The card's words for the restored `brief`, in the active language."""
    return CardText(
        wordmark=wordmark(),
        kind=str(brief.get_kind_display()),
        title=brief.title,
        authors=", ".join(c.person.name for c in authors),
        date=date_format(edition.public_date, "DATE_FORMAT"),
    )


def card_name(edition: Any, text: CardText) -> str:
    language = translation.get_language()
    return posixpath.join(
        CARD_DIR,
        str(edition.brief_id),
        f"v{edition.number}-{language}-{text.digest()}.png",
    )


@functools.cache
def _font(path: Path, size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size)


def _wrap(draw: Any, text: str, font: Any, width: int) -> list[str]:
    """`text` in lines no wider than `width` pixels (words kept whole if they fit)."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while draw.textlength(word, font=font) > width and len(word) > 1:
            # A word longer than the line: cut it where it must.
            cut = len(word)
            while cut > 1 and draw.textlength(word[:cut], font=font) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines


def _fit_title(draw: Any, title: str, width: int) -> tuple[Any, list[str]]:
    """The largest size (64 down to 40 px) that sets the title in four lines;
    at 40 px a longer title is cut with an ellipsis."""
    for size in (64, 58, 52, 46, 40):
        font = _font(BOLD_FONT, size)
        lines = _wrap(draw, title, font, width)
        if len(lines) <= 4:
            return font, lines
    lines = lines[:4]
    last = lines[-1]
    while last and draw.textlength(f"{last}…", font=font) > width:
        last = last[:-1]
    lines[-1] = f"{last.rstrip()}…"
    return font, lines


def draw_card(text: CardText) -> bytes:
    """The card as PNG bytes."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN
    # The wordmark, a rule under it, the kind above the title.
    draw.text((MARGIN, MARGIN - 8), text.wordmark, font=_font(BOLD_FONT, 34), fill=INK)
    draw.rectangle((MARGIN, MARGIN + 48, MARGIN + 96, MARGIN + 54), fill=RULE)
    draw.text(
        (MARGIN, MARGIN + 82),
        text.kind.upper(),
        font=_font(REGULAR_FONT, 26),
        fill=MUTED,
    )
    font, lines = _fit_title(draw, text.title, inner)
    y = MARGIN + 130
    line_height = int(font.size * 1.22)
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=INK)
        y += line_height
    # Authors and date along the bottom.
    small = _font(REGULAR_FONT, 28)
    footer = " · ".join(part for part in (text.authors, text.date) if part)
    footer_lines = [footer]
    if draw.textlength(footer, font=small) > inner:
        footer_lines = [textwrap.shorten(text.authors, 70, placeholder="…"), text.date]
    y = HEIGHT - MARGIN - 36 * len(footer_lines) + 4
    for line in footer_lines:
        draw.text((MARGIN, y), line, font=small, fill=MUTED)
        y += 36
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def ensure_card(name: str, text: CardText) -> str:
    """Draw and store the card for `text` under `name`, unless it is there."""
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(draw_card(text)))
        logger.info("Drew %s", name)
    return name


def _draw_after_commit(name: str, text: CardText) -> None:
    if not getattr(settings, "EDITION_CARDS_AFTER_PUBLISH", True):
        return

    def draw() -> None:
        try:
            ensure_card(name, text)
        except Exception:  # the publication stands; re-rendering draws it again
            logger.exception("Drawing the card %s failed", name)

    transaction.on_commit(draw, robust=True)


def cover_image(brief: Any) -> SocialImage | None:
    """The brief's cover as its social image, if it has one.

    A restored brief carries its cover as the edition froze it
    (`cover_image`: the media library's sizes, alt text and credit); the
    largest size stands for it.
    """
    from django.core.files.storage import default_storage

    from library.html import fallback

    frozen = getattr(brief, "cover_image", None)
    largest = fallback(frozen) if frozen else None
    if not largest:
        return None
    url = default_storage.url(largest["name"])
    if url.startswith("/"):
        url = f"{settings.SITE_URL}{url}"
    return SocialImage(
        url=url,
        width=largest["width"],
        height=largest["height"],
        alt=frozen.get("alt") or brief.title,
    )


def social_image(brief: Any, edition: Any, authors: list[Any]) -> SocialImage:
    """The edition's social image in the active language: cover, else card.

    Called while the edition is rendered (publish time): draws the card then.
    """
    cover = cover_image(brief)
    if cover is not None:
        return cover
    text = card_text(brief, edition, authors)
    name = card_name(edition, text)
    # Drawn once the publication is committed: not for a publication that
    # fails, and not inside its transaction (a few hundred milliseconds each).
    _draw_after_commit(name, text)
    url = default_storage.url(name)
    if url.startswith("/"):
        url = f"{settings.SITE_URL}{url}"
    alt = _("%(kind)s: %(title)s") % {"kind": text.kind, "title": text.title}
    if text.authors:
        alt = _("%(card)s, by %(authors)s") % {"card": alt, "authors": text.authors}
    return SocialImage(url=url, width=WIDTH, height=HEIGHT, alt=alt)
