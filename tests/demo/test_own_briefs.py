"""The demo's own briefs: `make run` shows a living archive without ../shared."""

import datetime
import re
from html import escape

import pytest

from briefs.models import (
    Brief,
    BriefKind,
    Institution,
    MentionState,
    Person,
    Role,
    Status,
)
from briefs.services import change_brief_slug
from demo.loader import first_edition_text, load_demo, own_brief_text
from demo.own_briefs import OWN_BRIEFS, TRANSLATIONS
from editorial.checks import run_checks
from editorial.models import RevisionKind
from publishing.models import Edition

CORRECTED = next(spec for spec in OWN_BRIEFS if spec.get("correction"))
[TRANSLATION] = TRANSLATIONS
SEED_SLUG = "does-the-balkans-need-new-military-alliances"


@pytest.fixture
def no_seed(settings, tmp_path):
    """A clone with no ../shared beside it: BASE_DIR decides where the seed is."""
    settings.BASE_DIR = tmp_path / "repo"


def text_of(html: str) -> str:
    """The page's text: the body links actor names, so match across tags."""
    return re.sub(r"<[^>]+>", "", html)


def words(text: str) -> list[str]:
    return re.findall(r"[\w’'%,.–-]+", text)


# The texts themselves (no database) ----------------------------------------------


@pytest.mark.parametrize("spec", OWN_BRIEFS, ids=lambda spec: spec["slug"])
def test_each_brief_is_a_full_brief(spec):
    text = own_brief_text(spec)
    assert 500 <= len(words(text)) <= 900
    assert len(re.findall(r"^## ", text, re.M)) >= 4
    assert not re.search(r"^# ", text, re.M), "sections are ## headings"
    assert 2 <= len(spec["recommendations"]) <= 5
    for _title, body, _area, addressees in spec["recommendations"]:
        assert addressees and len(words(body)) >= 25
    assert spec["authors"] and spec["published_at"].year == 2025
    sentences = [s for s in re.split(r"(?<=\.)\s+", spec["summary"]) if s]
    assert 2 <= len(sentences) <= 3


def test_the_briefs_vary_in_kind_and_show_a_table_and_footnotes():
    assert {spec["kind"] for spec in OWN_BRIEFS} >= {
        BriefKind.POLICY_BRIEF,
        BriefKind.ANALYSIS,
        BriefKind.COMMENTARY,
    }
    texts = [own_brief_text(spec) for spec in OWN_BRIEFS]
    assert any(re.search(r"^\|[-| ]+\|$", text, re.M) for text in texts)
    assert any(re.search(r"^\[\^1\]: ", text, re.M) for text in texts)
    assert len({spec["published_at"] for spec in OWN_BRIEFS}) == len(OWN_BRIEFS)


def test_the_correction_changes_one_passage():
    first, current = first_edition_text(CORRECTED), own_brief_text(CORRECTED)
    correction = CORRECTED["correction"]
    assert first != current
    assert correction["was"] in first and correction["was"] not in current
    assert correction["released_at"] > CORRECTED["published_at"]


def test_no_text_is_copied_from_the_seed_brief(seed_path):
    seed = " ".join(words(seed_path.read_text(encoding="utf-8").casefold()))
    for spec in [*OWN_BRIEFS, *TRANSLATIONS]:
        parts = [own_brief_text(spec), spec["summary"]]
        parts += [body for _title, body, _area, _addressees in spec["recommendations"]]
        for part in parts:
            tokens = words(part.casefold())
            # No run of eight words (names of agreements are data, not prose).
            for i in range(len(tokens) - 7):
                run = " ".join(tokens[i : i + 8])
                assert run not in seed, (spec["slug"], run)


# Loaded and published -------------------------------------------------------------


@pytest.mark.django_db
def test_without_the_seed_the_site_lists_five_briefs(no_seed, client):
    result = load_demo()

    # Four of our own and the Serbian translation of one.
    assert result.brief is None and len(result.own_briefs) == 5
    assert Edition.objects.public().count() == 5
    listing = client.get("/briefs/").content.decode()
    home = client.get("/").content.decode()
    for spec in OWN_BRIEFS:
        assert escape(spec["title"]) in listing
        assert escape(spec["title"]) in home
        page = client.get(f"/briefs/{spec['slug']}/")
        assert page.status_code == 200
        assert escape(spec["summary"]) in page.content.decode()


@pytest.mark.django_db
def test_with_the_seed_the_site_lists_six_briefs(seed_path, client):
    load_demo(seed_path=seed_path)

    assert Edition.objects.public().count() == 6
    listing = client.get("/briefs/").content.decode()
    for spec in OWN_BRIEFS:
        assert escape(spec["title"]) in listing
    assert escape("Does the Balkans Need New Military Alliances?") in listing


@pytest.mark.django_db
def test_second_run_publishes_nothing_and_says_so(no_seed, model_counts):
    load_demo()
    counts = model_counts()

    second = load_demo()

    assert second.own_briefs == []
    assert second.tallies["demo briefs"].created == 0
    assert (second.created, second.updated) == (0, 0)
    assert model_counts() == counts


@pytest.mark.django_db
def test_a_renamed_own_brief_is_left_to_its_editors(no_seed):
    load_demo()
    brief = Brief.objects.get(slug=OWN_BRIEFS[0]["slug"])
    change_brief_slug(brief=brief, new_slug="an-editors-address")

    second = load_demo()

    assert second.own_briefs == [] and Brief.objects.count() == 5


@pytest.mark.django_db
def test_each_brief_is_linked_as_its_data_says(no_seed):
    load_demo()
    for spec in OWN_BRIEFS:
        brief = Brief.objects.get(slug=spec["slug"])
        assert brief.status == Status.PUBLISHED
        assert brief.published_at == spec["published_at"]
        assert (brief.title, brief.kind, brief.summary) == (
            spec["title"],
            spec["kind"],
            spec["summary"],
        )
        credits = list(brief.contributions.values_list("person__slug", "role"))
        assert credits == [(s, Role.AUTHOR) for s in spec["authors"]] + [
            (s, Role.RESEARCHER) for s in spec["researchers"]
        ]
        assert set(brief.topics.values_list("slug", flat=True)) == set(spec["topics"])
        assert set(brief.agreements.values_list("slug", flat=True)) == set(
            spec["agreements"]
        )
        recommendations = [
            (r.title, r.policy_area, {a.slug for a in r.addressees.all()})
            for r in brief.recommendations.prefetch_related("addressees")
        ]
        assert recommendations == [
            (title, area, set(addressees))
            for title, _body, area, addressees in spec["recommendations"]
        ]


@pytest.mark.django_db
def test_every_named_actor_is_confirmed_and_the_checks_pass(no_seed):
    """The data lists exactly the actors the scanner finds: nothing left to sort."""
    load_demo()
    for spec in OWN_BRIEFS:
        brief = Brief.objects.get(slug=spec["slug"])
        links = brief.actor_links.select_related("actor")
        assert {link.actor.slug: link.state for link in links} == dict.fromkeys(
            spec["actors"], MentionState.CONFIRMED
        )
        assert all(link.mention_count > 0 for link in links), spec["slug"]
        assert run_checks(brief) == [], spec["slug"]
        edition = Edition.objects.public().get(brief=brief)
        assert {a["slug"] for a in edition.content["actors"]} == set(spec["actors"])
        assert edition.public_date.year == 2025


@pytest.mark.django_db
def test_the_corrected_brief_shows_its_earlier_version(no_seed, client):
    load_demo()
    correction = CORRECTED["correction"]
    first, second = Edition.objects.filter(brief__slug=CORRECTED["slug"]).order_by(
        "number"
    )
    assert (first.number, first.is_current, second.number) == (1, False, 2)
    assert first.superseded_at == second.released_at == correction["released_at"]
    assert second.note == correction["note"]
    assert second.updated_on == datetime.date(2025, 6, 18)
    # The snapshot of each edition names the actors its own text discusses.
    first_actors = {a["slug"] for a in first.content["actors"]}
    assert set(correction["actors"]) - first_actors == set(correction["actors"])

    current = text_of(client.get(f"/briefs/{CORRECTED['slug']}/").content.decode())
    assert escape(correction["now"]) in current
    assert escape(correction["note"]) in current
    old = client.get(f"/briefs/{CORRECTED['slug']}/v1/")
    assert old.status_code == 200
    page = text_of(old.content.decode())
    assert escape(correction["was"]) in page
    assert "superseded" in page
    assert escape(correction["now"]) not in page


@pytest.mark.django_db
def test_the_admin_history_tells_how_each_brief_came_out(no_seed):
    load_demo()
    for spec in OWN_BRIEFS:
        brief = Brief.objects.get(slug=spec["slug"])
        log = list(
            brief.transitions.values_list(
                "action", "from_status", "to_status", "created_at"
            )
        )
        revisions = list(
            brief.revisions.order_by("id").values_list("kind", "comment", "created_at")
        )
        released = spec["published_at"]
        assert log[0] == ("publish", Status.DRAFT, Status.PUBLISHED, released)
        assert revisions[0][:2] == (
            RevisionKind.EDIT,
            "Demo loader: drafted with its links",
        )
        assert revisions[0][2] < released
        correction = spec.get("correction")
        if correction is None:
            assert len(log) == 1 and len(revisions) == 1
            assert brief.version == 1
            continue
        corrected = correction["released_at"]
        assert [entry[:3] for entry in log[1:]] == [
            ("start_correction", Status.PUBLISHED, Status.PUBLISHED),
            ("publish", Status.PUBLISHED, Status.PUBLISHED),
        ]
        assert released < log[1][3] < log[2][3] == corrected
        assert revisions[1] == (
            RevisionKind.PUBLICATION,
            f"Version 2 published: {correction['note']}",
            corrected,
        )
        assert brief.version == 2
        assert revisions[1][0] == RevisionKind.PUBLICATION


@pytest.mark.django_db
def test_the_seed_brief_credits_the_demo_people_without_duplicates(seed_path):
    load_demo(seed_path=seed_path)

    seed = Brief.objects.get(slug=SEED_SLUG)
    assert list(seed.contributions.values_list("person__slug", flat=True)) == [
        "vuk-velebit",
        "andrej-cvejanov",
        "petar-ivic",
        "aleksa-jovanovic",
    ]
    assert Person.objects.count() == 6
    assert Institution.objects.get().slug == "pupin-initiative"
    assert seed.transitions.get().action == "publish"


# The Serbian translation ---------------------------------------------------------


def test_the_translation_is_a_full_serbian_brief():
    text = own_brief_text(TRANSLATION)
    assert 500 <= len(words(text)) <= 900
    assert len(re.findall(r"^## ", text, re.M)) >= 4
    assert re.search(r"^\[\^1\]: ", text, re.M)
    # Cyrillic throughout: no Latin word but the footnote labels.
    assert not re.search(r"[A-Za-z]{2,}", re.sub(r"\[\^\d+\]", "", text))
    assert TRANSLATION["recommendations"] and TRANSLATION["translators"]
    sentences = [s for s in re.split(r"(?<=\.)\s+", TRANSLATION["summary"]) if s]
    assert 2 <= len(sentences) <= 3
    # Made from the original's first edition: it renders the passage that the
    # original's correction changed, as the first edition had it.
    assert TRANSLATION["translation_of"] == CORRECTED["slug"]
    assert TRANSLATION["made_from"] == 1
    assert "четири државе чланице ЕУ (Кипар, Грчка, Словачка и Шпанија)" in text
    assert (
        CORRECTED["published_at"]
        < TRANSLATION["published_at"]
        < CORRECTED["correction"]["released_at"]
    )


@pytest.mark.django_db
def test_the_demo_translation_is_stale_on_its_page_and_the_dashboard(no_seed, client):
    load_demo()
    translation = Brief.objects.get(slug=TRANSLATION["slug"])
    original = Brief.objects.get(slug=CORRECTED["slug"])
    assert (translation.translation_of, translation.translated_from_number) == (
        original,
        1,
    )
    assert translation.language == "sr-Cyrl" and original.version == 2
    assert (
        list(
            translation.contributions.filter(role=Role.TRANSLATOR).values_list(
                "person__slug", flat=True
            )
        )
        == TRANSLATION["translators"]
    )
    # Now it is behind: the one thing the checks have to say about it.
    assert [f.check for f in run_checks(translation)] == ["translation_up_to_date"]
    links = translation.actor_links.select_related("actor")
    assert {link.actor.slug: link.state for link in links} == dict.fromkeys(
        TRANSLATION["actors"], MentionState.CONFIRMED
    )
    # Published before the correction, it was current then: its log says so.
    [published] = translation.transitions.all()
    assert not [c for c in published.checks if c["check"] == "translation_up_to_date"]

    page = client.get(f"/briefs/{TRANSLATION['slug']}/").content.decode()
    assert "This translation may be out of date." in page
    assert '<time datetime="2025-06-18">' in page
    assert f'href="/briefs/{CORRECTED["slug"]}/" hreflang="en"' in page
    english = client.get(f"/briefs/{CORRECTED['slug']}/").content.decode()
    # Read in its own language: the Serbian interface.
    assert f'href="/sr/briefs/{TRANSLATION["slug"]}/" hreflang="sr-Cyrl"' in english

    client.force_login(_superuser())
    dashboard = client.get("/admin/").content.decode()
    section = dashboard[dashboard.index('id="stale-translations"') :]
    assert escape(TRANSLATION["title"]) in section
    assert "<td>v1</td>" in section and "<td>v2</td>" in section


def _superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("demo-root", "r@example.org", "x")


@pytest.mark.django_db
def test_the_demo_names_places_in_serbian(no_seed):
    from actors.models import Actor

    load_demo()
    names = dict(Actor.objects.values_list("slug", "name_sr"))
    assert names["serbia"] == "Србија" and names["nato"] == "НАТО"
    assert names["north-macedonia"] == "Северна Македонија"
    assert Actor.objects.get(slug="kosovo").name_in("sr-latn") == "Kosovo"
    assert Actor.objects.get(slug="john-bolton").name_in("sr-latn") == "Džon Bolton"
    assert Person.objects.get(slug="thomas-caldwell").name_in("sr") == "Томас Колдвел"
