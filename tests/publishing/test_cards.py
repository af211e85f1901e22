"""Each edition's social image: a 1200×630 card drawn at publish time."""

import io
import re
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from PIL import Image, ImageFont

from briefs.models import Language
from publishing import cards
from publishing.models import Edition
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path, no_background_pdfs):
    settings.EDITION_CARDS_AFTER_PUBLISH = True
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://archive.example.org"
    return tmp_path


def _og(page: str, prop: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{prop}" content="([^"]*)"', page)
    assert match, prop
    return match.group(1)


def _stored(url: str) -> str:
    name = url.removeprefix("https://archive.example.org/media/")
    assert default_storage.exists(name), name
    return name


def test_publishing_draws_a_card_the_brief_page_links(
    client, django_capture_on_commit_callbacks
):
    author = factories.make_person(name="Ana Anić", slug="ana")
    with django_capture_on_commit_callbacks(execute=True):
        brief = factories.make_brief(
            title="Serbia between East and West", authors=[author]
        )
    page = client.get(brief.get_absolute_url()).content.decode()
    url = _og(page, "og:image")
    assert url.startswith("https://archive.example.org/media/editions/cards/")
    assert _og(page, "og:image:width") == "1200"
    assert _og(page, "og:image:height") == "630"
    assert "Serbia between East and West" in _og(page, "og:image:alt")
    assert "Ana Anić" in _og(page, "og:image:alt")
    assert _og(page, "twitter:card") == "summary_large_image"
    with default_storage.open(_stored(url)) as f:
        image = Image.open(io.BytesIO(f.read()))
    assert image.format == "PNG"
    assert image.size == (1200, 630)


def test_a_serbian_brief_has_a_card_in_each_script(
    client, django_capture_on_commit_callbacks
):
    author = factories.make_person(
        name="Vuk Velebit", slug="vuk", name_sr="Вук Велебит"
    )
    drawn = []
    real = cards.draw_card
    with (
        mock.patch.object(
            cards, "draw_card", side_effect=lambda t: drawn.append(t) or real(t)
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        brief = factories.make_brief(
            title="Србија између Истока и Запада",
            language=Language.SERBIAN_CYRILLIC,
            authors=[author],
        )
    cyrillic = _og(client.get(f"/sr/briefs/{brief.slug}/").content.decode(), "og:image")
    latin = _og(
        client.get(f"/sr-latn/briefs/{brief.slug}/").content.decode(), "og:image"
    )
    assert cyrillic != latin
    _stored(cyrillic), _stored(latin)
    titles = {text.title for text in drawn}
    assert "Србија између Истока и Запада" in titles
    assert "Srbija između Istoka i Zapada" in titles
    words = {text.wordmark for text in drawn}
    assert {"Пупин Иницијатива", "Pupin Inicijativa"} <= words
    assert any("Вук Велебит" == text.authors for text in drawn)


def test_cyrillic_is_set_in_the_shipped_font():
    cards._font.cache_clear()
    opened = []
    real = ImageFont.truetype
    with mock.patch.object(
        ImageFont,
        "truetype",
        side_effect=lambda path, size: opened.append(path) or real(path, size),
    ):
        png = cards.draw_card(
            cards.CardText(
                wordmark="Пупин Иницијатива",
                kind="Анализа",
                title="Љубљана, Ђердап и Џеп: " * 8,
                authors="Вук Велебит",
                date="21. мај 2025.",
            )
        )
    assert opened and set(opened) <= {str(cards.BOLD_FONT), str(cards.REGULAR_FONT)}
    assert cards.BOLD_FONT.is_file() and cards.REGULAR_FONT.is_file()
    font = ImageFont.truetype(str(cards.BOLD_FONT), 40)
    assert font.getname()[0] == "Noto Sans"
    # The font has the Serbian letters (no fallback box: each has its own shape).
    masks = {bytes(font.getmask(letter)) for letter in "ЉЊЂЋЏљњђћџ"}
    assert len(masks) == 10
    assert Image.open(io.BytesIO(png)).size == (1200, 630)


def test_a_cover_wins_over_the_card():
    # The cover as an edition freezes it (library: sizes, smallest first).
    brief = mock.Mock(
        cover_image={
            "alt": "A map",
            "renditions": [
                {"name": "library/abc/960w.webp", "width": 960, "height": 540},
                {"name": "library/abc/1600w.webp", "width": 1600, "height": 900},
            ],
        }
    )
    image = cards.social_image(brief, edition=None, authors=[])
    assert image.url.endswith("/library/abc/1600w.webp")
    assert image.url.startswith("https://archive.example.org/")
    assert (image.width, image.height, image.alt) == (1600, 900, "A map")


def test_a_get_never_draws_a_card(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        brief = factories.make_brief()
    with mock.patch.object(cards, "draw_card") as draw:
        client.get(brief.get_absolute_url())
        client.get(f"/sr/briefs/{brief.slug}/")
    draw.assert_not_called()


def test_the_admin_preview_draws_no_card(django_capture_on_commit_callbacks):
    from publishing.editions import preview_edition

    brief = factories.make_brief(edition=False)
    with (
        mock.patch.object(cards, "draw_card") as draw,
        django_capture_on_commit_callbacks(execute=True),
    ):
        edition = preview_edition(brief)
    draw.assert_not_called()
    assert "og:image" not in edition.head_html
    assert not Edition.objects.filter(brief=brief).exists()
