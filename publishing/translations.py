"""Translations as the public sees them: which exist, and which are stale.

A translation (briefs.models.Brief.translation_of) is made from one version
of its original: `translated_from_number`, frozen into each of its editions
(Edition.translation_of, Edition.translated_from_number). It is *stale* when
its original's current public edition is a later one: the original was
corrected and the translation was not brought up to it. That fact has one
home, `is_stale`, which the page, `stale_translations` (the editors'
dashboard) and the pre-publish checks (through briefs.hooks) all use.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from briefs.models import base_language
from languages.codes import (
    PUBLIC_LANGUAGES,
    PublicLanguage,
    content_public_language,
    public_language,
)
from publishing.models import Edition, EditionQuerySet
from publishing.rendering import absolute_url


def is_stale(made_from: int | None, original_now: int | None) -> bool:
    """Is a translation made from version `made_from` behind its original's?

    `original_now` is the original's current public version (None when the
    original is not public: nothing public to be behind).
    """
    if made_from is None or original_now is None:
        return False
    return original_now > made_from


def current_numbers(brief_ids: list[int]) -> dict[int, int]:
    """Each brief's current public version, for the briefs that are public."""
    return dict(
        Edition.objects.public()
        .filter(brief_id__in=brief_ids)
        .values_list("brief_id", "number")
    )


def newer_original(*, original_id: int, made_from: int | None) -> Edition | None:
    """The original's current public edition if it is later than `made_from`.

    One query: what the pre-publish check asks of a translation.
    """
    edition = (
        Edition.objects.public()
        .filter(brief_id=original_id)
        .only("number", "updated_on", "slug", "title", "brief_id")
        .first()
    )
    if edition is None or not is_stale(made_from, edition.number):
        return None
    return edition


def stale_translations(at: datetime.datetime | None = None) -> EditionQuerySet:
    """Public translations whose original has a later public version, oldest first.

    Each comes annotated with its original's public edition: its number
    (`original_number`), the day it was published (`original_updated_on`),
    its title and address. The SQL filter is `is_stale` (number greater than
    the version the translation was made from).
    """
    original = Edition.objects.public(at=at).filter(
        brief_id=OuterRef("translation_of_id")
    )

    def of_original(field: str) -> Subquery:
        return Subquery(original.values(field)[:1])

    return (
        Edition.objects.public(at=at)
        .filter(translation_of__isnull=False)
        .annotate(
            original_number=of_original("number"),
            original_updated_on=of_original("updated_on"),
            original_title=of_original("title"),
            original_slug=of_original("slug"),
        )
        .filter(original_number__gt=F("translated_from_number"))
        .order_by("original_updated_on", "title", "brief_id")
    )


# --- On the brief page ---------------------------------------------------------
# The page is prepared once per edition, but what it links changes without it:
# a translation is published, an original corrected or withdrawn. So the
# links and the stale notice are made per request, from the one query that
# asks which of the page's linked briefs are public now (publishing/views.py,
# `_LINKED_ITEMS`, which the related briefs share): no query of their own,
# and the page cache keeps the result until the next change anywhere.


@dataclass(frozen=True)
class LinkedEdition:
    """A public edition in a brief's family: its original or a translation."""

    brief_id: int
    slug: str
    title: str
    language: str  # the brief's content language: en, sr-Cyrl, sr-Latn
    number: int
    updated_on: datetime.date | None
    translation_of_id: int | None

    @classmethod
    def from_row(cls, *fields: object) -> "LinkedEdition":
        """From a row read through a cursor (a date is text on SQLite)."""
        *rest, updated_on, translation_of_id = fields
        if isinstance(updated_on, str):
            updated_on = datetime.date.fromisoformat(updated_on)
        return cls(*rest, updated_on, translation_of_id)

    @property
    def public_language(self) -> PublicLanguage:
        return content_public_language(self.language)

    def url(self, code: str | None = None) -> str:
        """The edition's address, for readers of `code` (default: its own language)."""
        with translation.override(code or self.public_language.code):
            return reverse("briefs:detail", kwargs={"slug": self.slug})


@dataclass(frozen=True)
class Family:
    """What the brief page links of a brief's translations, read per request."""

    original: LinkedEdition | None  # when the brief is a public translation's
    translations: list[LinkedEdition]  # public translations, the brief's own aside
    made_from: int | None  # the version of the original this brief renders

    @property
    def others(self) -> list[LinkedEdition]:
        """The family's other languages, the original first."""
        return [*([self.original] if self.original else []), *self.translations]

    @property
    def is_stale(self) -> bool:
        number = self.original.number if self.original else None
        return is_stale(self.made_from, number)


def family_root(brief_id: int, translation_of_id: int | None) -> int:
    """The original of a brief's family: its own when it translates nothing."""
    return translation_of_id or brief_id


def family_of(
    rows: list[LinkedEdition],
    *,
    brief_id: int,
    translation_of_id: int | None,
    translated_from_number: int | None,
) -> Family:
    """The family of a brief among public editions `rows` (any others ignored).

    A translation links its original and the original's other translations;
    an original links its translations.
    """
    root = family_root(brief_id, translation_of_id)
    original = None
    translations = []
    for row in rows:
        if row.brief_id == brief_id:
            continue
        if translation_of_id and row.brief_id == root:
            original = row
        elif row.translation_of_id == root:
            translations.append(row)
    translations.sort(key=lambda row: (row.language, row.title, row.brief_id))
    return Family(
        original=original,
        translations=translations,
        made_from=translated_from_number if translation_of_id else None,
    )


def family_html(family: Family) -> str:
    """The brief page's "Also in" links and, for a stale translation, its notice.

    In the page's language (gettext); each link in its target's language.
    Empty when there is nothing public to link.
    """
    parts = []
    # The article carries its text's language; these lines are in the page's.
    lang = public_language(translation.get_language()).tag
    if family.original is not None and family.is_stale:
        original = family.original
        when = original.updated_on
        parts.append(
            format_html(
                '<p class="translation-notice" role="note" lang="{}">'
                '<strong>{}</strong> {} <a href="{}" hreflang="{}">{}</a>.</p>',
                lang,
                _("This translation may be out of date."),
                format_html(
                    _(
                        "It was made from version {made_from} of the original, "
                        "which has been corrected since: version {number}, "
                        "published {date}."
                    ),
                    made_from=family.made_from,
                    number=original.number,
                    date=format_html(
                        '<time datetime="{}">{}</time>',
                        when.isoformat() if when else "",
                        date_format(when, "j F Y") if when else "",
                    ),
                ),
                original.url(),
                original.public_language.tag,
                format_html(
                    _("Read the corrected original ({language})"),
                    language=original.public_language.name,
                ),
            )
        )
    if family.others:
        links = format_html_join(
            " / ",
            '<a href="{}" hreflang="{}" lang="{}" title="{}">{}</a>',
            (
                (
                    row.url(),
                    row.public_language.tag,
                    row.public_language.tag,
                    row.title,
                    row.public_language.name,
                )
                for row in family.others
            ),
        )
        parts.append(
            format_html(
                '<nav class="brief-languages" aria-label="{}" lang="{}">'
                "<p>{} {}</p></nav>",
                _("This brief in other languages"),
                lang,
                _("Also in:"),
                links,
            )
        )
    return "\n".join(parts)


def with_family(article_html: str, family: Family) -> str:
    """The stored article with the family's links under its header.

    Editions of every age have the header (templates/briefs/_brief_article.html),
    so none needs rendering again for this.
    """
    block = family_html(family)
    if not block:
        return article_html
    return article_html.replace("</header>", f"</header>\n  {block}", 1)


def brief_alternates(*, own: LinkedEdition, family: Family) -> list[tuple[str, str]]:
    """A brief page's hreflang alternates: (BCP 47 tag, absolute address) pairs.

    Each public language points to the family member written in it: Serbian
    readers (Cyrillic and Latin alike; the site serves either script) to the
    Serbian translation, English readers to the English text. A language
    no member is written in points to the brief itself in that interface
    language. x-default is the original.
    """
    members = [own, *family.others]
    alternates = []
    for code, language in PUBLIC_LANGUAGES.items():
        match = next(
            (m for m in members if base_language(m.language) == code.split("-")[0]),
            own,
        )
        alternates.append((language.tag, absolute_url(match.url(code))))
    original = family.original or own
    alternates.append(("x-default", absolute_url(original.url())))
    return alternates
