"""Facts defined once: transliteration, mention matching, the search length limit."""

import pytest

from actors.filters import SearchFilter
from archive import search
from archive.search import ascii_fold, fold
from archive.views import SearchForm
from briefs import importers
from briefs.mentions import MentionScanner
from briefs.models import BriefActor, MentionState
from briefs.services import scan_mentions
from publishing.models import Edition
from tests import factories

# Serbian Cyrillic and the Macedonian/Russian/Ukrainian letters names use.
CYRILLIC = "абвгдђежзијклљмнњопрстћуфхцчџшѓќѕйыэюящъьёєіїґў"


@pytest.mark.parametrize("letter", [*CYRILLIC, *CYRILLIC.upper(), *"đĐłøæßþðı"])
def test_one_transliteration_for_search_and_slugs(letter):
    """The importer's slugs and search folding agree on every letter."""
    assert importers.ascii_fold is ascii_fold
    assert fold(ascii_fold(letter)) == fold(letter)


def test_a_name_in_either_script_is_one_slug_and_one_search_key():
    for cyrillic, latin in (
        ("Петар Ивић", "Petar Ivić"),
        ("Ђорђе Љубичић", "Đorđe Ljubičić"),
        ("Ѓорѓи Јуриј", "Gjorgji Jurij"),
    ):
        assert importers.ascii_slug(cyrillic) == importers.ascii_slug(latin)
        assert fold(cyrillic) == fold(latin)
    assert importers.ascii_slug("Юрий Щукин") == "jurij-scukin"


def test_a_confirmed_mention_written_in_cyrillic_is_linked(client, db):
    """Write time finds it and render time links it: the same matcher."""
    vucic = factories.make_actor(
        name="Aleksandar Vučić", slug="aleksandar-vucic", aliases=["Vučić"]
    )
    brief = factories.make_brief(
        slug="talks", body="## Talks\n\nПредседник Вучић met the envoy.", edition=False
    )
    scan_mentions(brief=brief)
    link = BriefActor.objects.get(brief=brief, actor=vucic)
    link.state = MentionState.CONFIRMED
    link.save()
    factories.publish(brief)
    edition = Edition.objects.get(brief=brief, is_current=True)
    assert (
        '<a class="actor-link" href="/actors/aleksandar-vucic/">Вучић</a> met'
        in edition.body_html
    )
    assert 'href="/actors/aleksandar-vucic/">Вучић</a>' in client.get(
        "/briefs/talks/"
    ).content.decode("utf-8")


def test_spans_are_positions_in_the_original_text():
    scanner = MentionScanner(
        [(1, "Bosnia & Herzegovina", False), (2, "Вучић", False), (3, "EU", False)]
    )
    text = "In Bosnia  &  Herzegovina, Vucic (Вучић) and the EU; not eu."
    spans = [(text[start:end], pk) for start, end, pk in scanner.spans(text)]
    assert spans == [
        ("Bosnia  &  Herzegovina", 1),
        ("Vucic", 2),
        ("Вучић", 2),
        ("EU", 3),
    ]


def test_one_search_length_limit_for_the_page_the_api_and_the_parser(client, db):
    limit = search.MAX_QUERY_LENGTH
    assert SearchForm.base_fields["q"].max_length == limit
    assert SearchFilter().extra["max_length"] == limit
    search.parse_query("x" * limit)
    with pytest.raises(search.InvalidQuery):
        search.parse_query("x" * (limit + 1))
    too_long = "x" * (limit + 1)
    assert client.get(f"/search/?q={too_long}").status_code == 400
    assert client.get(f"/api/v1/actors/?q={too_long}").status_code == 400
    assert client.get(f"/api/v1/actors/?q={'x' * limit}").status_code == 200
    page = client.get("/search/").content.decode()
    assert f'maxlength="{limit}"' in page
