"""Full-text search (archive/search/) and the site search page.

Every test that touches the database runs on whichever engine the suite runs
on: `.ci/run` runs it on SQLite (FTS5) and on PostgreSQL (tsvector + GIN).
"""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

import archive.views
from actors.models import Actor, Agreement
from archive import search
from briefs.hooks import public_record
from briefs.models import Brief, BriefKind, Person, Status
from briefs.services import refresh_brief
from languages import transliteration
from publishing.facets import brief_facets
from publishing.models import Edition
from tests.factories import (
    commit,
    make_actor,
    make_agreement,
    make_brief,
    make_institution,
    make_person,
    make_topic,
    publish,
)

# --------------------------------------------------------------------------
# Normalisation and parsing (no database)
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Vučić", "vucic"),
        ("Вучић", "vucic"),
        ("VUCIC", "vucic"),
        ("Priština", "pristina"),
        ("Приштина", "pristina"),
        ("Љубљана", "ljubljana"),
        ("Њуз", "njuz"),
        ("Џаковица", "dzakovica"),
        ("Đoković", "djokovic"),
        ("Ђоковић", "djokovic"),
        ("Orbán", "orban"),
        ("Plenković", "plenkovic"),
        ("Vuc\u030cic\u0301", "vucic"),  # decomposed (NFD) input
    ],
)
def test_fold_makes_scripts_and_diacritics_one_spelling(text, folded):
    assert search.fold(text) == folded


def test_search_folds_with_the_transliteration_rules():
    """One home: index, queries and mentions fold as content is transliterated."""
    assert search.fold is transliteration.fold
    assert search.ascii_fold is transliteration.ascii_fold
    for word in ["Љубљана", "Njegoš", "Џајић", "DŽAJIĆ", "nadživeti", "Ђурђевдан"]:
        assert search.fold(transliteration.to_latin(word)) == search.fold(word)
        cyrillic = transliteration.to_cyrillic(word)
        assert search.fold(cyrillic) == search.fold(word)


def test_fold_keeps_case_when_asked():
    assert search.fold("ЕУ и Đorđe", lower=False) == "EU i Djordje"


def test_offset_map_finds_original_text_of_a_folded_span():
    original = "Рекао је Вучић у Љубљани, Đorđe."
    folded = search.fold(original)
    offsets = search.OffsetMap(original)
    for word, expected in [
        ("vucic", "Вучић"),
        ("ljubljani", "Љубљани"),
        ("djordje", "Đorđe"),
    ]:
        start = folded.index(word)
        end = start + len(word)
        assert original[offsets.original(start) : offsets.original(end)] == expected


def test_markdown_to_text_drops_markup_keeps_words():
    text = search.markdown_to_text(
        "## Kosovo\n\nThe **pact** [signed](https://example.org/x) in Tirana[^1].\n\n"
        "| A | B |\n|---|---|\n| Serbia | 300 |\n\n[^1]: A note."
    )
    assert "##" not in text and "**" not in text and "https" not in text
    assert "|" not in text and "[^1]" not in text
    for word in ("Kosovo", "pact", "signed", "Tirana", "Serbia", "300", "note"):
        assert word in text


def test_parse_query_syntax():
    query = search.parse_query('Vučić OR Вучић "NATO-aligned countries" -Kosovo allian')
    assert query.groups == (
        (search.Term(("vucic",)), search.Term(("vucic",))),
        (search.Term(("nato", "aligned", "countries")),),
        (search.Term(("allian",), prefix=True),),
    )
    assert query.excluded == (search.Term(("kosovo",)),)


@pytest.mark.parametrize(
    "q",
    [
        "",
        "   ",
        "OR OR",
        "- - --",
        '""',
        '"',
        "the of and",
        "\x00\x00",
        "!@#$%^&*()",
        "-kosovo",  # only exclusions: nothing to search for
    ],
)
def test_queries_with_nothing_to_search_are_empty(q):
    assert search.parse_query(q).is_empty


def test_unbalanced_quote_runs_to_the_end():
    query = search.parse_query('"new alliance')
    assert query.groups == ((search.Term(("new", "alliance")),),)


def test_nul_bytes_and_control_characters_are_separators():
    query = search.parse_query("kosovo\x00serbia\x1f")
    assert [t.words for g in query.groups for t in g] == [("kosovo",), ("serbia",)]


def test_short_last_word_is_not_a_prefix():
    # "a:*" would expand to every word that starts with a.
    query = search.parse_query("serbia ko")
    assert query.groups[-1] == (search.Term(("ko",)),)


def test_last_word_is_not_a_prefix_after_a_space_or_in_quotes():
    assert not search.parse_query("serbia ").groups[-1][0].prefix
    assert not search.parse_query('"serbia"').groups[-1][0].prefix
    assert search.parse_query("serbia").groups[-1][0].prefix


def test_too_long_query_is_invalid():
    with pytest.raises(
        search.InvalidQuery, match=f"{search.MAX_QUERY_LENGTH} characters"
    ):
        search.parse_query("x" * 10_000)


def test_too_many_terms_is_invalid():
    with pytest.raises(search.InvalidQuery, match="at most"):
        search.parse_query(" ".join(f"word{i}" for i in range(20)))


def test_highlight_escapes_text_and_marks_the_original_script():
    original = "<b>Вучић</b> & Orbán met."
    fragment = search.fold(original).replace("vucic", "\ue000vucic\ue001")
    html = search.highlight(original, fragment)
    assert html == "&lt;b&gt;<mark>Вучић</mark>&lt;/b&gt; &amp; Orbán met."


# --------------------------------------------------------------------------
# Searching (both engines)
# --------------------------------------------------------------------------


def titles(queryset) -> list[str]:
    return [edition.title for edition in queryset]


def current(brief: Brief) -> Edition:
    return brief.editions.get(is_current=True)


@pytest.fixture
def spellings(db):
    return [
        make_brief(title="Latin", body="Predsednik Vučić je rekao u Prištini."),
        make_brief(title="Cyrillic", body="Председник Вучић у Приштина."),
        make_brief(title="ASCII", body="President Vucic spoke in Pristina."),
        make_brief(title="Unrelated", body="Orbán spoke in Budapest."),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["Vucic", "Vučić", "Вучић", "vučić", "ВУЧИЋ"])
def test_every_spelling_of_vucic_finds_the_same_briefs(spellings, q):
    assert sorted(titles(Edition.objects.search(q))) == ["ASCII", "Cyrillic", "Latin"]


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["Pristina", "Priština", "Приштина"])
def test_every_spelling_of_pristina_finds_the_same_briefs(spellings, q):
    # "Prištini" (locative) is a different word; prefix matching finds it
    # only when the query is a prefix of it, so it is not expected here.
    assert sorted(titles(Edition.objects.search(q))) == ["ASCII", "Cyrillic"]


@pytest.mark.django_db
def test_english_stemming(db):
    make_brief(title="One", body="The new alliances were formed quickly.")
    make_brief(title="Two", body="Nothing relevant.")
    assert titles(Edition.objects.search('"alliance formed"')) == []
    assert titles(Edition.objects.search("alliance")) == ["One"]
    assert titles(Edition.objects.search("forming alliance")) == ["One"]


@pytest.mark.django_db
def test_title_outranks_summary_outranks_body(db):
    # Created in reverse of the expected order, so recency cannot explain it.
    body = make_brief(
        title="Three",
        summary="Nothing here.",
        body="Rearmament and more rearmament; rearmament again.",
    )
    summary = make_brief(title="Two", summary="On rearmament.", body="Other text.")
    title = make_brief(title="Rearmament", summary="Something.", body="Other text.")
    expected = [title.pk, summary.pk, body.pk]
    assert [e.brief_id for e in Edition.objects.search("rearmament")] == expected
    hits = search.search_page(Edition.objects.public(), search.BRIEFS, "rearmament")
    assert [hit.object.brief_id for hit in hits] == expected


@pytest.mark.django_db
def test_phrase_or_and_exclusion(db):
    make_brief(title="A", body="Military neutrality of Serbia.")
    make_brief(title="B", body="Neutrality is military, not political. Croatia.")
    make_brief(title="C", body="Croatia and Albania.")
    assert titles(Edition.objects.search('"military neutrality"')) == ["A"]
    assert sorted(titles(Edition.objects.search("neutrality -croatia"))) == ["A"]
    assert sorted(titles(Edition.objects.search("serbia OR albania"))) == ["A", "C"]
    assert sorted(titles(Edition.objects.search("croatia neutrality"))) == ["B"]


@pytest.mark.django_db
def test_exclusion_holds_for_the_whole_brief_when_the_title_matches(db):
    """`Serbia -Dodik`: a title naming Serbia does not let a body naming Dodik in.

    The ranking's first tier looks for the words sought in the title and
    summary only; the excluded word must still exclude wherever it stands,
    in the queryset and in the page of hits alike, on both engines.
    """
    make_brief(title="Serbia and its neighbours", body="Dodik spoke. Dodik left.")
    make_brief(title="Serbia and Bosnia", summary="Dodik's return.", body="Plain.")
    make_brief(title="On Bosnia", body="Serbia was named; so was Dodik.")
    kept = make_brief(title="Serbia and Hungary", body="A defense plan.")
    assert titles(Edition.objects.search("Serbia -Dodik")) == [kept.title]
    assert Edition.objects.search("Serbia -Dodik").count() == 1
    for queryset in (Edition.objects.public(), Edition.objects.all()):
        hits = search.search_page(queryset, search.BRIEFS, "Serbia -Dodik")
        assert [hit.object.title for hit in hits] == [kept.title]


@pytest.mark.django_db
def test_last_word_matches_as_prefix(db):
    make_brief(title="A", body="Vučića je podržao Orbán.")
    make_brief(title="B", body="Alliances continue.")
    assert titles(Edition.objects.search("Vucic")) == ["A"]
    assert titles(Edition.objects.search("allian")) == ["B"]
    assert titles(Edition.objects.search("allian ")) == []


@pytest.mark.django_db
def test_search_covers_authors_recommendations_actors_and_agreements(db):
    author = make_person(name="Vuk Velebit")
    actor = make_actor(name="Republika Srpska")
    agreement = make_agreement(title="Defense Cooperation Plan for 2025")
    brief = make_brief(
        title="Plain",
        body="Body.",
        authors=[author],
        actors=[actor],
        agreements=[agreement],
        recommendations=1,
        edition=False,
    )
    brief.recommendations.update(body="Restore trust in the security structure.")
    refresh_brief(brief=brief)
    publish(brief)
    for q in ["Velebit", "Велебит", "Srpska", "Српска", "cooperation plan", "trust"]:
        assert titles(Edition.objects.search(q)) == ["Plain"], q


@pytest.mark.django_db
def test_a_linked_record_renamed_is_searched_in_the_next_edition_only(db):
    """Editions are frozen: an actor renamed after publication is found under
    its new name once the brief publishes its next edition, not before."""
    actor = make_actor(name="Republika Srpska")
    brief = make_brief(title="Plain", body="Body.", actors=[actor])
    with commit():
        Actor.objects.filter(pk=actor.pk).update(name="Entity of Srpska Zephyria")
    assert titles(Edition.objects.search("zephyria")) == []
    assert titles(Edition.objects.search("Republika Srpska")) == ["Plain"]
    publish(brief, note="Actor renamed.")
    assert titles(Edition.objects.search("zephyria")) == ["Plain"]
    assert titles(Edition.objects.search('"Republika Srpska"')) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Status.DRAFT},
        {"status": Status.IN_REVIEW},
        {"status": Status.APPROVED},
        {
            "status": Status.WITHDRAWN,
            "withdrawn_reason": "Superseded.",
            "published_at": timezone.now() - datetime.timedelta(days=3),
        },
        {"deleted_at": timezone.now()},
        {"published_at": timezone.now() + datetime.timedelta(days=1)},  # scheduled
    ],
    ids=["draft", "in_review", "approved", "withdrawn", "trashed", "scheduled"],
)
def test_nothing_unpublished_is_returned(db, overrides):
    make_brief(title="Secret", body="Confidential zephyr.", **overrides)
    make_brief(title="Public", body="Public zephyr.")
    assert titles(Edition.objects.search("zephyr")) == ["Public"]
    # Whatever queryset a caller hands in, the index's gate (public()) holds.
    assert titles(Edition.objects.all().search("zephyr")) == ["Public"]
    everything = search.search_queryset(Edition.objects.all(), search.BRIEFS, "zephyr")
    assert titles(everything) == ["Public"]
    assert everything.count() == 1
    hits = search.search_page(Edition.objects.all(), search.BRIEFS, "zephyr")
    assert [hit.object.title for hit in hits] == ["Public"]


def index_ids(index=search.BRIEFS) -> set[int]:
    key = "rowid" if connection.vendor == "sqlite" else "object_id"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {key} FROM {index.table}")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_drafts_are_never_indexed(db):
    """The index holds editions: a draft has none, nor has a working copy."""
    draft = make_brief(title="Draft", body="Zephyr.", status=Status.DRAFT)
    published = make_brief(title="Published", body="Zephyr.")
    copy = make_brief(
        title="Published (correction in progress)",
        body="Zephyr draft.",
        status=Status.DRAFT,
        draft_of=published,
    )
    assert not draft.editions.exists() and not copy.editions.exists()
    assert index_ids() == {current(published).pk}
    assert titles(Edition.objects.all().search("zephyr")) == ["Published"]


@pytest.mark.django_db
def test_withdrawing_or_trashing_removes_from_the_index_at_once(db):
    withdrawn = make_brief(title="W", body="Zephyr.")
    trashed = make_brief(title="T", body="Zephyr.")
    assert index_ids() == {current(withdrawn).pk, current(trashed).pk}

    withdrawn.status = Status.WITHDRAWN
    withdrawn.withdrawn_reason = "Error in the figures."
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()
    public_record().withdrawn(brief=withdrawn)
    trashed.deleted_at = timezone.now()
    trashed.save(update_fields=["deleted_at"])
    public_record().trashed(brief=trashed, trashed=True)

    # No commit needed: the write functions unindex in their own transaction.
    assert index_ids() == set()
    assert titles(Edition.objects.search("zephyr")) == []

    # Restored from the trash, it is searchable again (the withdrawn one is not).
    trashed.deleted_at = None
    trashed.save(update_fields=["deleted_at"])
    public_record().trashed(brief=trashed, trashed=False)
    assert index_ids() == {current(trashed).pk}
    assert titles(Edition.objects.search("zephyr")) == ["T"]


@pytest.mark.django_db
def test_publishing_and_a_correction_update_the_index_an_unpublished_edit_does_not(db):
    """Search finds what the public sees: the current edition.

    Before editions, saving a published brief re-indexed it. Now an edit of
    the working brief changes nothing searchable until it is published as the
    next edition (a correction), which replaces the previous edition's
    document; purging the brief takes its editions' documents with it.
    """
    brief = make_brief(title="Draft", body="Zephyr.", status=Status.DRAFT)
    assert titles(Edition.objects.search("zephyr")) == []
    brief.status = Status.PUBLISHED
    brief.published_at = timezone.now()
    brief.save()
    assert titles(Edition.objects.search("zephyr")) == []  # not published yet
    first = publish(brief)
    assert titles(Edition.objects.search("zephyr")) == ["Draft"]

    brief.body = "Mistral."
    brief.save()
    assert titles(Edition.objects.search("zephyr")) == ["Draft"]
    assert titles(Edition.objects.search("mistral")) == []
    assert index_ids() == {first.pk}

    second = publish(brief, note="Wind corrected.")
    assert titles(Edition.objects.search("zephyr")) == []
    assert list(Edition.objects.search("mistral")) == [second]
    assert second.number == 2
    # The superseded edition left the index; no queryset brings it back.
    assert index_ids() == {second.pk}
    assert titles(Edition.objects.all().search("zephyr")) == []

    with commit():
        brief.delete()
    assert index_ids() == set()


@pytest.mark.django_db
def test_scheduled_brief_appears_once_its_time_has_come(db, monkeypatch):
    release = timezone.now() + datetime.timedelta(hours=1)
    brief = make_brief(title="Later", body="Zephyr.", published_at=release)
    # Indexed when it was published: nothing happens when its time comes.
    assert index_ids() == {current(brief).pk}
    assert titles(Edition.objects.search("zephyr")) == []
    assert search.search_page(Edition.objects.all(), search.BRIEFS, "zephyr") == []

    # Time passes: no re-index, no write; the gate is applied at query time.
    later = release + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert titles(Edition.objects.search("zephyr")) == ["Later"]
    hits = search.search_page(Edition.objects.all(), search.BRIEFS, "zephyr")
    assert [hit.object.title for hit in hits] == ["Later"]


@pytest.mark.django_db
def test_search_is_chainable_and_counts(db):
    topic = make_topic()
    make_brief(title="A", body="Zephyr.", kind=BriefKind.ANALYSIS, topics=[topic])
    make_brief(title="B", body="Zephyr.", kind=BriefKind.POLICY_BRIEF)
    results = Edition.objects.search("zephyr")
    assert results.count() == 2
    assert titles(results.filter(kind=BriefKind.ANALYSIS)) == ["A"]
    assert titles(Edition.objects.filter(topics=topic).search("zephyr")) == ["A"]
    narrowed = search.search_queryset(
        Edition.objects.public().filter(topics=topic),
        search.BRIEFS,
        "zephyr",
        restrict=True,
    )
    assert titles(narrowed) == ["A"] and narrowed.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q",
    [
        "x" * 10_000,
        "\x00",
        "kosovo\x00",
        '"unbalanced',
        "OR AND NOT - -- \" ' ( ) * : ^ { }",
        "'; DROP TABLE briefs_brief; --",
        "1 OR 1=1",
        "title:foo NEAR(a b) {title}: x*",
        "a:* & !b | c <-> d",
        "\\",
        "%_%",
        "🙂",
    ],
)
def test_hostile_queries_are_empty_or_invalid_never_errors(spellings, q):
    try:
        results = list(Edition.objects.search(q))
        hits = search.search_page(Edition.objects.public(), search.BRIEFS, q)
    except search.InvalidQuery:
        return
    assert len(results) <= len(spellings)
    assert len(hits) == len(results)
    assert Brief.objects.count() == 4
    assert Edition.objects.count() == 4


@pytest.mark.django_db
def test_actors_agreements_people_by_name_and_alias_in_any_script(db):
    vucic = make_actor(name="Aleksandar Vučić", aliases=["Вучић", "Vučića"])
    make_actor(name="Viktor Orbán", aliases=["Орбан"])
    plan = make_agreement(title="Defense Cooperation Plan", parties=[vucic])
    make_agreement(title="Joint Declaration")
    person = make_person(name="Petar Ivić", affiliation=make_institution(name="Pupin"))
    make_person(name="Aleksa Jovanović")
    for q in ["Vucic", "Вучић", "Vučić"]:
        assert list(Actor.objects.search(q)) == [vucic], q
    assert list(Agreement.objects.search("cooperation")) == [plan]
    assert list(Agreement.objects.search("Vucic")) == [plan]  # by party
    assert list(Person.objects.search("Ивић")) == [person]
    assert list(Person.objects.search("pupin")) == [person]


@pytest.mark.django_db
def test_actor_alias_change_reaches_the_index_after_commit(db):
    """Re-indexed once, by the after-commit step (kernel/changes.py)."""
    actor = make_actor(name="Republika Srpska")
    assert list(Actor.objects.search("RS")) == []
    with commit():
        actor.aliases.create(alias="RS", case_sensitive=True)
    assert list(Actor.objects.search("RS")) == [actor]


@pytest.mark.django_db
def test_snippets_highlight_the_original_script(db):
    make_brief(
        title="Cyrillic",
        summary="Кратак опис.",
        body="Председник Вучић: 3 < 5 & <script>x</script>.",
    )
    # From the snapshot, and from the site search's annotated hits alike.
    for queryset in (
        Edition.objects.public(),
        archive.views.search_hits(Edition.objects.public()),
    ):
        (hit,) = search.search_page(queryset, search.BRIEFS, "Vucic")
        assert "<mark>Вучић</mark>" in hit.snippet
        assert "3 &lt; 5 &amp;" in hit.snippet
        assert "<script>" not in hit.snippet
        assert re.sub(r"</?mark>", "", hit.snippet).count("<") == 0


@pytest.mark.django_db
def test_snippet_quotes_the_published_edition_not_the_working_brief(db):
    brief = make_brief(title="T", summary="Short.", body="Vučić spoke in Pristina.")
    brief.body = "Vučić spoke in Belgrade."
    brief.save()
    (hit,) = search.search_page(Edition.objects.public(), search.BRIEFS, "vucic")
    assert "Pristina" in hit.snippet and "Belgrade" not in hit.snippet


@pytest.mark.django_db
def test_snippet_falls_back_to_a_summary_match(db):
    make_brief(title="T", summary="Orbán and Vučić met.", body="Nothing relevant.")
    (hit,) = search.search_page(Edition.objects.public(), search.BRIEFS, "orban")
    assert "<mark>Orbán</mark>" in hit.snippet


@pytest.mark.django_db
def test_facets_count_the_matching_published_set(db):
    security, economy = make_topic(name="Security"), make_topic(name="Economy")
    serbia = make_actor(name="Serbia", slug="serbia")
    make_brief(
        title="A",
        body="Zephyr.",
        topics=[security],
        actors=[serbia],
        publication_date=datetime.date(2024, 1, 1),
    )
    make_brief(
        title="B",
        body="Zephyr.",
        topics=[security, economy],
        kind=BriefKind.ANALYSIS,
        publication_date=datetime.date(2025, 5, 21),
    )
    make_brief(title="Draft", body="Zephyr.", topics=[economy], status=Status.DRAFT)
    make_brief(title="Other", body="Mistral.", topics=[economy])
    matches = search.filter_matches(
        Edition.objects.public(), search.BRIEFS, search.parse_query("zephyr")
    )
    facets = brief_facets(matches, names=("kind", "year", "topic", "actor"))
    assert facets.total == 2
    counts = {
        facet.name: {value.key: value.count for value in facet.values}
        for facet in facets.facets
    }
    assert counts["topic"] == {security.slug: 2, economy.slug: 1}
    assert counts["year"] == {"2024": 1, "2025": 1}
    assert counts["kind"] == {"policy_brief": 1, "analysis": 1}
    assert counts["actor"] == {"serbia": 1}
    assert [facet.name for facet in facets.facets] == ["kind", "year", "topic", "actor"]


@pytest.mark.django_db
def test_rebuild_search_index_command(db):
    """The rebuild indexes each current public edition once: not a superseded
    edition, nor a withdrawn or trashed brief's."""
    brief = make_brief(title="A", body="Zephyr.")
    brief.body = "Zephyr, corrected."
    brief.save()
    publish(brief, note="Corrected.")
    make_brief(
        title="W", body="Zephyr.", status=Status.WITHDRAWN, withdrawn_reason="Error."
    )
    make_brief(title="T", body="Zephyr.", deleted_at=timezone.now())
    actor = make_actor(name="Kosovo")
    search.get_engine().clear(search.BRIEFS)
    search.get_engine().clear(search.ACTORS)
    assert titles(Edition.objects.search("zephyr")) == []
    out, err = StringIO(), StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=err)
    assert "briefs_brief_search: 1 indexed" in out.getvalue()
    assert "100%" in err.getvalue()  # the progress bar
    assert index_ids() == {current(brief).pk}
    assert list(Edition.objects.search("zephyr")) == [current(brief)]
    assert list(Actor.objects.search("kosovo")) == [actor]


# --------------------------------------------------------------------------
# The site search page
# --------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_page_shows_ranked_briefs_with_kind_date_authors_snippet(client):
    author = make_person(name="Vuk Velebit")
    make_brief(
        title="Does the Balkans Need New Military Alliances?",
        body="Hungary and Serbia signed a defense plan; Vučić called it an alliance.",
        authors=[author],
        kind=BriefKind.POLICY_BRIEF,
        publication_date=datetime.date(2025, 5, 21),
    )
    response = client.get("/search/?q=Вучић")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Does the Balkans Need New Military Alliances?" in html
    assert "Policy brief" in html
    assert "21 May 2025" in html
    assert "Vuk Velebit" in html
    assert "<mark>Vučić</mark>" in html
    assert "1 brief found" in html


@pytest.mark.django_db
def test_the_search_page_finds_either_script_by_either_script(client):
    make_brief(title="Written in Cyrillic", body="Председник Вучић је рекао.")
    make_brief(title="Written in Latin", body="Predsednik Vučić je rekao.")
    for q in ["Vucic", "Vučić", "вучић", "Вучић", "VUČIĆ"]:
        html = client.get("/search/", {"q": q}).content.decode()
        assert "Written in Cyrillic" in html, q
        assert "Written in Latin" in html, q
        assert "2 briefs found" in html, q


@pytest.mark.django_db
def test_search_page_lists_actors_agreements_people(client):
    make_actor(name="Aleksandar Vučić", slug="aleksandar-vucic")
    make_agreement(title="Vučić–Orbán plan", slug="plan")
    make_brief(authors=[make_person(name="Milan Vučić", slug="milan-vucic")])
    html = client.get("/search/?q=vucic").content.decode()
    assert 'href="/actors/aleksandar-vucic/"' in html
    assert 'href="/agreements/plan/"' in html
    assert 'href="/people/milan-vucic/"' in html


@pytest.mark.django_db
def test_search_page_lists_only_people_a_public_edition_credits(client):
    """A person is public exactly when a public edition credits them."""
    make_person(name="Uncredited Vučić", slug="uncredited-vucic")
    make_brief(
        status=Status.DRAFT,
        authors=[make_person(name="Drafted Vučić", slug="drafted-vucic")],
    )
    make_brief(
        published_at=timezone.now() + datetime.timedelta(days=1),
        authors=[make_person(name="Scheduled Vučić", slug="scheduled-vucic")],
    )
    make_brief(authors=[make_person(name="Public Vučić", slug="public-vucic")])
    html = client.get("/search/?q=vucic").content.decode()
    assert 'href="/people/public-vucic/"' in html
    for slug in ("uncredited-vucic", "drafted-vucic", "scheduled-vucic"):
        assert f'href="/people/{slug}/"' not in html


@pytest.mark.django_db
def test_search_page_count_and_list_come_from_the_same_query(client):
    """`Serbia -Dodik` never says "0 briefs found" above a brief it lists.

    The title matches "Serbia" and only the body names Dodik: the exclusion
    holds for the whole brief, in the count and in the list alike.
    """
    make_brief(title="Serbia and its neighbours", body="Dodik spoke. Dodik left.")
    kept = make_brief(title="Serbia and Hungary", body="A defense plan.")
    html = client.get("/search/?q=Serbia -Dodik").content.decode()
    assert "1 brief found" in html
    assert html.count('class="search-hit"') == 1
    assert kept.title in html
    assert "Serbia and its neighbours" not in html


@pytest.mark.django_db
def test_search_page_facet_filter_narrows_results(client):
    topic = make_topic(name="Security", slug="security")
    make_brief(title="In topic", body="Zephyr.", topics=[topic])
    make_brief(title="Elsewhere", body="Zephyr.")
    html = client.get("/search/?q=zephyr&topic=security").content.decode()
    assert "In topic" in html and "Elsewhere" not in html
    assert "1 brief found" in html


@pytest.mark.django_db
def test_search_page_escapes_the_query(client):
    html = client.get("/search/?q=<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/search/?q=" + "x" * 10_000, 400),
        ("/search/?q=%00", 400),  # Django forms refuse NUL characters
        ("/search/?q=kosovo%00serbia", 400),
        ('/search/?q="unbalanced', 200),
        ("/search/?q=OR+-+--+%22%22", 200),
        ("/search/?q=%27%3B+DROP+TABLE+briefs_brief%3B+--", 200),
        ("/search/?q=" + "+".join(["w"] * 30), 400),
        ("/search/?q=x&page=0", 400),
        ("/search/?q=x&page=abc", 400),
        ("/search/?q=x&page=99999", 400),
        ("/search/?q=x&year=abc", 400),
        ("/search/?q=x&kind=nonsense", 400),
        ("/search/?q=x&topic=%3Cscript%3E", 400),
        ("/search/", 200),
    ],
)
def test_hostile_search_requests_are_200_or_400(client, spellings, url, status):
    response = client.get(url)
    assert response.status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 5])
def test_search_page_query_count_is_constant(client, django_assert_max_num_queries, n):
    topic = make_topic()
    for i in range(n):
        brief = make_brief(
            title=f"Zephyr {i}",
            body="Zephyr wind.",
            authors=[make_person()],
            topics=[topic],
            actors=[make_actor()],
        )
        refresh_brief(brief=brief)
        make_actor(name=f"Zephyr actor {i}")
        make_person(name=f"Zephyr person {i}")
        make_agreement(title=f"Zephyr agreement {i}")
    # Briefs: ranked tiers, gate, page, 2 prefetches, highlight, 3 facet
    # queries; actors, agreements, people: 2 tiers and a list each. PostgreSQL
    # adds the transactions that set the planner and the time limit.
    with django_assert_max_num_queries(27):
        response = client.get("/search/?q=zephyr")
    assert response.status_code == 200
    assert response.content.decode().count('class="search-hit"') == n


# --------------------------------------------------------------------------
# `q` in the API (the FilterSets call the same QuerySet.search)
# --------------------------------------------------------------------------


def api_slugs(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return sorted(item["slug"] for item in response.json()["results"])


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["Vucic", "Vučić", "Вучић"])
def test_api_q_is_script_insensitive(client, spellings, q):
    assert api_slugs(client, f"/api/v1/briefs/?q={q}") == sorted(
        b.slug for b in spellings[:3]
    )


@pytest.mark.django_db
def test_api_q_finds_actors_by_cyrillic_alias(client):
    actor = make_actor(name="Aleksandar Vučić", aliases=["Вучић"])
    make_actor(name="Viktor Orbán")
    assert api_slugs(client, "/api/v1/actors/?q=Вучић") == [actor.slug]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q", [" ".join(f"w{i}" for i in range(20)), "x" * 10_000, "a%00b"]
)
def test_api_rejects_unsearchable_q_with_400(client, q):
    response = client.get(f"/api/v1/briefs/?q={q}")
    assert response.status_code == 400
    assert "q" in response.json()["errors"]


@pytest.mark.django_db
def test_api_q_keeps_relevance_order_unless_ordering_is_given(client):
    body = make_brief(slug="body", title="A", body="Rearmament in the body.")
    title = make_brief(slug="title", title="Rearmament", body="Other.")
    response = client.get("/api/v1/briefs/?q=rearmament")
    assert [b["slug"] for b in response.json()["results"]] == [title.slug, body.slug]
    response = client.get("/api/v1/briefs/?q=rearmament&ordering=title")
    assert [b["slug"] for b in response.json()["results"]] == [body.slug, title.slug]


@pytest.mark.django_db
def test_time_limit_stops_a_slow_query():
    slow = (
        "SELECT pg_sleep(0.5)"
        if connection.vendor == "postgresql"
        else "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        "WHERE i < 50000000) SELECT count(*) FROM n"
    )
    with pytest.raises(search.SearchTooBroad), search.time_limit(ms=50):
        with connection.cursor() as cursor:
            cursor.execute(slow)
    # The connection is usable afterwards, without the limit.
    assert Brief.objects.count() == 0


@pytest.mark.django_db
def test_search_page_too_broad_is_a_400_and_slow_facets_degrade(
    client, spellings, monkeypatch
):
    def too_broad(*args, **kwargs):
        raise search.SearchTooBroad("This search is too broad.")

    monkeypatch.setattr(archive.views, "brief_facets", too_broad)
    response = client.get("/search/?q=vucic")
    assert response.status_code == 200
    assert "Many briefs found" in response.content.decode()
    assert response.content.decode().count('class="search-hit"') == 3

    monkeypatch.setattr(search, "search_page", too_broad)
    response = client.get("/search/?q=vucic")
    assert response.status_code == 400
    assert "too broad" in response.content.decode()
