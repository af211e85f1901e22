"""`manage.py load_demo`: the shipped demo content, loaded idempotently."""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import TestCase

from actors.models import (
    Actor,
    ActorAlias,
    ActorKind,
    Agreement,
    AgreementKind,
    Indicator,
    Membership,
    Metric,
    MutualDefense,
    Office,
)
from briefs.models import (
    Brief,
    BriefActor,
    BriefKind,
    MentionState,
    PolicyArea,
    Recommendation,
    Status,
    Topic,
)
from demo.data import SEED_BRIEF_TITLE
from demo.loader import default_seed_path, load_demo
from demo.own_briefs import OWN_BRIEFS, TRANSLATIONS

TIRANA = "albania-croatia-kosovo-defence-declaration-2025"
BELGRADE_PLAN = "serbia-hungary-defense-cooperation-plan-2025"
OWN_SLUGS = {spec["slug"] for spec in [*OWN_BRIEFS, *TRANSLATIONS]}


def require_seed() -> Path:
    path = default_seed_path()
    if not path.is_file():
        pytest.skip(f"seed brief not found at {path}")
    return path


def updated_ats() -> dict:
    """Every `updated_at` of the models the loader writes that have one."""
    state = {}
    for model in (Actor, Agreement, Topic, Brief):
        state[f"{model.__name__} updated_at"] = dict(
            model.objects.values_list("slug", "updated_at")
        )
    return state


# Idempotency and the command ----------------------------------------------------


@pytest.mark.django_db
def test_second_run_creates_and_changes_nothing(model_counts):
    first = load_demo()
    assert first.created > 0
    counts, stamps = model_counts(), updated_ats()

    second = load_demo()

    assert (second.created, second.updated) == (0, 0)
    assert model_counts() == counts
    assert updated_ats() == stamps


@pytest.mark.django_db
def test_second_run_with_the_seed_leaves_the_brief_alone(seed_path, model_counts):
    load_demo(seed_path=seed_path)
    brief = Brief.objects.get(slug="does-the-balkans-need-new-military-alliances")
    counts, stamps = model_counts(), updated_ats()

    second = load_demo(seed_path=seed_path)

    assert (second.created, second.updated) == (0, 0)
    assert second.brief == brief and not second.brief_imported
    assert model_counts() == counts
    assert updated_ats() == stamps


@pytest.mark.django_db
def test_second_run_takes_a_constant_few_queries(django_assert_max_num_queries):
    load_demo()
    # One read per model plus the brief's links: no per-row queries or writes
    # (the tracker's assessments: their recommendations and the assessments).
    with django_assert_max_num_queries(26):
        load_demo()


@pytest.mark.django_db
def test_command_reports_zero_created_and_updated_on_second_run():
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert "Demo content: 0 created, 0 updated." in out.getvalue()
    assert "Actors: 0 created, 0 updated" in out.getvalue()


@pytest.mark.django_db
def test_without_seed_file_reference_data_and_own_briefs_load(settings, tmp_path):
    # BASE_DIR decides where the seed is looked for: here, nowhere.
    settings.BASE_DIR = tmp_path / "repo"
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    missing = tmp_path / "shared" / "seeds" / "000_2d2030587047e4a1.txt"
    assert f"Seed brief skipped: {missing} does not exist." in out.getvalue()
    # Four briefs of our own and a translation of one of them.
    assert "Demo briefs: 5 created, 0 updated" in out.getvalue()
    assert set(Brief.objects.values_list("slug", flat=True)) == OWN_SLUGS
    assert Actor.objects.get(slug="kosovo").iso_code == "XK"
    assert Agreement.objects.filter(slug__in=[TIRANA, BELGRADE_PLAN]).count() == 2
    assert Indicator.objects.filter(source=SEED_BRIEF_TITLE).exists()


@pytest.mark.django_db
def test_rerun_restores_changed_reference_data():
    load_demo()
    Actor.objects.filter(slug="serbia").update(description="Edited.")

    result = load_demo()

    assert (result.tallies["actors"].updated, result.updated) == (1, 1)
    assert Actor.objects.get(slug="serbia").description != "Edited."


@pytest.mark.django_db
def test_rerun_keeps_editors_changes_to_the_seed_brief(seed_path):
    load_demo(seed_path=seed_path)
    brief = Brief.objects.get(slug="does-the-balkans-need-new-military-alliances")
    brief.summary = "An editor's summary."
    brief.save()
    BriefActor.objects.filter(brief=brief, actor__slug="china").update(
        state=MentionState.REJECTED
    )
    BriefActor.objects.filter(brief=brief, actor__slug="russia").update(
        state=MentionState.SUGGESTED
    )

    result = load_demo(seed_path=seed_path)

    brief.refresh_from_db()
    assert brief.summary == "An editor's summary."
    links = dict(brief.actor_links.values_list("actor__slug", "state"))
    assert links["china"] == MentionState.REJECTED
    # A suggestion for an actor the shipped data lists is confirmed.
    assert links["russia"] == MentionState.CONFIRMED
    assert (result.created, result.updated) == (0, 1)


# The facts loaded -----------------------------------------------------------------


class DemoContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.result = load_demo()

    def actor(self, slug: str) -> Actor:
        return Actor.objects.get(slug=slug)

    def test_every_required_actor_exists_with_its_kind(self):
        expected = {
            ActorKind.STATE: [
                "serbia",
                "hungary",
                "albania",
                "croatia",
                "bosnia-and-herzegovina",
                "montenegro",
                "north-macedonia",
                "bulgaria",
                "romania",
                "russia",
                "china",
                "france",
                "united-states",
            ],
            ActorKind.DISPUTED_STATE: ["kosovo"],
            ActorKind.ORGANIZATION: ["nato", "eu", "osce", "un"],
            ActorKind.MISSION: ["kfor", "eufor"],
            ActorKind.SUBNATIONAL: ["republika-srpska"],
            ActorKind.PERSON: [
                "viktor-orban",
                "aleksandar-vucic",
                "milorad-dodik",
                "andrej-plenkovic",
                "john-bolton",
                "jens-stoltenberg",
                "pirro-vengu",
                "ivan-anusic",
                "ejup-maqedonci",
                "bratislav-gasic",
                "kristof-szalay-bobrovniczky",
            ],
        }
        for kind, slugs in expected.items():
            found = set(
                Actor.objects.filter(slug__in=slugs, kind=kind).values_list(
                    "slug", flat=True
                )
            )
            assert found == set(slugs), kind
        assert Actor.objects.filter(description="").count() == 0

    def test_states_carry_iso_codes_and_kosovo_is_xk_with_a_status_note(self):
        codes = dict(
            Actor.objects.filter(
                kind__in=[ActorKind.STATE, ActorKind.DISPUTED_STATE]
            ).values_list("slug", "iso_code")
        )
        assert codes == {
            "serbia": "RS",
            "hungary": "HU",
            "kosovo": "XK",
            "albania": "AL",
            "croatia": "HR",
            "bosnia-and-herzegovina": "BA",
            "montenegro": "ME",
            "north-macedonia": "MK",
            "bulgaria": "BG",
            "romania": "RO",
            "russia": "RU",
            "china": "CN",
            "france": "FR",
            "united-states": "US",
        }
        kosovo = self.actor("kosovo")
        assert kosovo.kind == ActorKind.DISPUTED_STATE
        assert "half of the UN member states" in kosovo.status_note
        assert "five EU member states" in kosovo.status_note

    def test_nato_and_eu_members_on_a_date(self):
        nato, eu = self.actor("nato"), self.actor("eu")
        on = datetime.date(2025, 1, 1)
        assert (
            Membership.objects.of(nato)
            .active_on(on)
            .filter(member__slug="croatia")
            .exists()
        )
        assert set(
            Actor.objects.members_of(nato, on).values_list("slug", flat=True)
        ) == {
            "albania",
            "croatia",
            "hungary",
            "bulgaria",
            "romania",
            "montenegro",
            "north-macedonia",
            "france",
            "united-states",
        }
        assert set(Actor.objects.members_of(eu, on).values_list("slug", flat=True)) == {
            "hungary",
            "croatia",
            "bulgaria",
            "romania",
            "france",
        }
        # Before their accession dates.
        before = Actor.objects.members_of(nato, datetime.date(2020, 3, 26))
        assert not before.filter(slug="north-macedonia").exists()
        assert before.filter(slug="montenegro").exists()
        assert not Actor.objects.members_of(eu, datetime.date(2013, 6, 30)).filter(
            slug="croatia"
        )

    def test_france_is_a_nato_member_throughout_with_a_note(self):
        membership = Membership.objects.get(
            member__slug="france", organization__slug="nato"
        )
        assert membership.since == datetime.date(1949, 8, 24)
        assert membership.until is None
        assert "1966" in membership.note and "2009" in membership.note

    def test_kosovo_and_serbia_are_not_nato_or_eu_members(self):
        assert not Membership.objects.filter(member__slug="kosovo").exists()
        assert not Membership.objects.filter(
            member__slug="serbia", organization__slug__in=["nato", "eu"]
        ).exists()

    def test_offices(self):
        offices = {
            (o.holder.slug, o.title, o.of_actor.slug): (o.since, o.until)
            for o in Office.objects.select_related("holder", "of_actor")
        }
        d = datetime.date
        assert offices == {
            ("viktor-orban", "Prime Minister", "hungary"): (d(2010, 5, 29), None),
            ("aleksandar-vucic", "President", "serbia"): (d(2017, 5, 31), None),
            ("milorad-dodik", "President", "republika-srpska"): (
                d(2022, 11, 15),
                None,
            ),
            ("andrej-plenkovic", "Prime Minister", "croatia"): (
                d(2016, 10, 19),
                None,
            ),
            ("john-bolton", "National Security Advisor", "united-states"): (
                d(2018, 4, 9),
                d(2019, 9, 10),
            ),
            ("jens-stoltenberg", "Secretary General", "nato"): (
                d(2014, 10, 1),
                d(2024, 10, 1),
            ),
        }

    def test_tirana_declaration_has_three_parties_with_signatories(self):
        agreement = Agreement.objects.get(slug=TIRANA)
        assert agreement.kind == AgreementKind.JOINT_DECLARATION
        assert (agreement.signed_on, agreement.signed_at) == (
            datetime.date(2025, 3, 18),
            "Tirana",
        )
        assert agreement.mutual_defense == MutualDefense.NO
        parties = [
            (p.actor.slug, p.signatory.slug, p.signatory_capacity)
            for p in agreement.parties.select_related("actor", "signatory")
        ]
        assert parties == [
            ("albania", "pirro-vengu", "Minister of Defence"),
            ("croatia", "ivan-anusic", "Minister of Defence"),
            ("kosovo", "ejup-maqedonci", "Minister of Defence"),
        ]
        assert list(agreement.sources.values_list("title", "url")) == [
            (SEED_BRIEF_TITLE, "")
        ]

    def test_serbia_hungary_plan_lists_79_activities_and_no_stated_clause(self):
        agreement = Agreement.objects.get(slug=BELGRADE_PLAN)
        assert agreement.kind == AgreementKind.DEFENSE_COOPERATION_PLAN
        assert (agreement.signed_on, agreement.signed_at) == (
            datetime.date(2025, 4, 1),
            "Belgrade",
        )
        assert agreement.mutual_defense == MutualDefense.NOT_STATED
        assert "79 joint military activities in 2025" in agreement.key_terms_list
        assert len(agreement.key_terms_list) == 4
        parties = [
            (p.actor.slug, p.signatory.slug)
            for p in agreement.parties.select_related("actor", "signatory")
        ]
        assert parties == [
            ("serbia", "bratislav-gasic"),
            ("hungary", "kristof-szalay-bobrovniczky"),
        ]
        assert (
            Agreement.objects.with_all_parties(
                [self.actor("serbia"), self.actor("hungary")]
            ).get()
            == agreement
        )

    def indicator(self, slug: str, metric: str) -> Indicator:
        return Indicator.objects.get(actor__slug=slug, metric=metric)

    def test_table_figures_are_stored_as_the_brief_states_them(self):
        tanks = self.indicator("serbia", Metric.MAIN_BATTLE_TANKS)
        assert (tanks.value, tanks.value_max, tanks.display_value) == (
            Decimal(250),
            Decimal(300),
            "250–300 tanks",
        )
        figures = {
            (i.actor.slug, i.metric): i.value
            for i in Indicator.objects.select_related("actor").filter(
                metric__in=[Metric.COMBAT_AIRCRAFT, Metric.MAIN_BATTLE_TANKS]
            )
        }
        assert figures == {
            ("hungary", Metric.COMBAT_AIRCRAFT): 14,
            ("serbia", Metric.COMBAT_AIRCRAFT): 12,
            ("croatia", Metric.COMBAT_AIRCRAFT): 12,
            ("albania", Metric.COMBAT_AIRCRAFT): 0,
            ("kosovo", Metric.COMBAT_AIRCRAFT): 0,
            ("serbia", Metric.MAIN_BATTLE_TANKS): 250,
            ("hungary", Metric.MAIN_BATTLE_TANKS): 44,
            ("croatia", Metric.MAIN_BATTLE_TANKS): 75,
            ("albania", Metric.MAIN_BATTLE_TANKS): 40,
            ("kosovo", Metric.MAIN_BATTLE_TANKS): 0,
        }
        assert "ordered in 2024" in self.indicator("serbia", "combat_aircraft").note
        assert "Leopard 2A7+" in self.indicator("hungary", "main_battle_tanks").note
        assert Indicator.objects.filter(year=2025).count() == Indicator.objects.count()
        assert set(Indicator.objects.values_list("source", flat=True)) == {
            SEED_BRIEF_TITLE
        }

    def test_empty_table_rows_are_stored_as_unknown(self):
        for slug in ["serbia", "hungary", "albania", "croatia", "kosovo"]:
            for metric in [
                Metric.POPULATION,
                Metric.ACTIVE_TROOPS,
                Metric.ROCKET_LAUNCHERS,
            ]:
                indicator = self.indicator(slug, metric)
                assert indicator.value is None
                assert not indicator.is_known
                assert indicator.display_value == "unknown"
                assert "leaves this empty" in indicator.note

    def test_qualitative_rows_have_no_value_and_a_note(self):
        qualitative = Indicator.objects.filter(
            metric__in=[Metric.DEFENSE_INDUSTRY, Metric.MODERNIZATION_FOCUS]
        )
        assert qualitative.count() == 10
        assert not qualitative.filter(value__isnull=False).exists()
        assert not qualitative.filter(note="").exists()

    def test_peacekeepers(self):
        assert self.indicator("kfor", Metric.PEACEKEEPERS).value == 3700
        assert self.indicator("eufor", Metric.PEACEKEEPERS).value == 1100

    def aliases(self, slug: str) -> dict[str, bool]:
        return dict(
            ActorAlias.objects.filter(actor__slug=slug).values_list(
                "alias", "case_sensitive"
            )
        )

    def test_acronyms_are_case_sensitive_aliases(self):
        for slug, acronym in [
            ("eu", "EU"),
            ("nato", "NATO"),
            ("kfor", "KFOR"),
            ("eufor", "EUFOR"),
            ("osce", "OSCE"),
            ("un", "UN"),
            ("united-states", "US"),
        ]:
            assert self.aliases(slug)[acronym] is True, acronym
        assert self.aliases("eu")["European Union"] is False

    def test_capitals_demonyms_cyrillic_and_case_forms(self):
        expected = {
            "serbia": ["Belgrade", "Serbian", "Србија", "Београд"],
            "hungary": ["Budapest", "Hungarian"],
            "albania": ["Tirana", "Albanian"],
            "croatia": ["Zagreb", "Croatian"],
            "kosovo": ["Priština", "Pristina", "Приштина"],
            "north-macedonia": ["Skopje"],
            "united-states": ["Washington"],
            "eu": ["Brussels"],
            "russia": ["Moscow", "Russian"],
            "china": ["Beijing", "Chinese"],
            "france": ["Paris", "French"],
            "aleksandar-vucic": ["Vučić", "Vučića", "Vučiću", "Vučićem", "Вучић"],
            "milorad-dodik": ["Dodik", "Dodika", "Dodiku", "Додик"],
            "viktor-orban": ["Orbán", "Orban", "Orbana", "Orbanu", "Орбан"],
            "andrej-plenkovic": ["Plenković"],
            "john-bolton": ["Bolton"],
            "jens-stoltenberg": ["Stoltenberg"],
            "republika-srpska": ["Republika Srpska", "Republic of Srpska"],
        }
        for slug, aliases in expected.items():
            assert set(aliases) <= set(self.aliases(slug)), slug

    def test_no_alias_is_ambiguous_or_a_known_false_positive(self):
        # Case-insensitive duplicates across actors would make mentions ambiguous.
        owners: dict[str, set[str]] = {}
        for alias, slug in ActorAlias.objects.values_list("alias", "actor__slug"):
            owners.setdefault(alias.casefold(), set()).add(slug)
        assert {a: s for a, s in owners.items() if len(s) > 1} == {}
        for false_positive in ["srpska", "serb", "the alliance", "bosnian", "rs"]:
            assert false_positive not in owners
        assert owners["republic of srpska"] == {"republika-srpska"}

    def test_topics(self):
        assert set(Topic.objects.values_list("slug", flat=True)) >= {
            "regional-security",
            "military-alliances",
            "nato",
            "eu-enlargement",
        }

    # The seed brief (needs ../shared/seeds) ------------------------------------

    def seed_brief(self) -> Brief:
        require_seed()
        return Brief.objects.get(pk=self.result.brief.pk)

    def test_seed_brief_is_published_on_its_date(self):
        brief = self.seed_brief()
        assert brief.status == Status.PUBLISHED
        assert brief.published_at == datetime.datetime(
            2025, 5, 21, 9, 0, tzinfo=ZoneInfo("Europe/Belgrade")
        )
        assert Brief.objects.published().filter(pk=brief.pk).exists()
        assert (brief.kind, brief.language) == (BriefKind.POLICY_BRIEF, "en")
        assert brief.title == SEED_BRIEF_TITLE
        assert brief.slug == "does-the-balkans-need-new-military-alliances"

    def test_seed_brief_summary_is_ours_not_copied(self):
        brief = self.seed_brief()
        sentences = [s for s in re.split(r"(?<=\.)\s+", brief.summary) if s]
        assert len(sentences) == 2
        seed_text = " ".join(default_seed_path().read_text(encoding="utf-8").split())
        words = brief.summary.split()
        # No run of six consecutive words is lifted from the brief.
        for i in range(len(words) - 5):
            assert " ".join(words[i : i + 6]) not in seed_text

    def test_seed_brief_links_actors_agreements_and_topics(self):
        brief = self.seed_brief()
        confirmed = set(
            brief.actor_links.filter(state=MentionState.CONFIRMED).values_list(
                "actor__slug", flat=True
            )
        )
        assert {
            "serbia",
            "hungary",
            "kosovo",
            "albania",
            "croatia",
            "nato",
            "eu",
            "kfor",
            "eufor",
            "republika-srpska",
            "viktor-orban",
            "aleksandar-vucic",
            "milorad-dodik",
            "john-bolton",
            "jens-stoltenberg",
        } <= confirmed
        # The signatories are not named by the brief, so not linked to it.
        assert "pirro-vengu" not in confirmed
        assert set(brief.agreements.values_list("slug", flat=True)) == {
            TIRANA,
            BELGRADE_PLAN,
        }
        assert set(brief.topics.values_list("slug", flat=True)) >= {
            "regional-security",
            "military-alliances",
            "eu-enlargement",
        }
        assert brief in Brief.objects.for_actor(self.actor("croatia"))

    def test_seed_recommendations_have_addressees_and_policy_areas(self):
        brief = self.seed_brief()
        recommendations = {r.title.casefold(): r for r in brief.recommendations.all()}
        assert recommendations, "the importer created no recommendations"

        def find(word: str) -> Recommendation:
            [match] = [r for t, r in recommendations.items() if word in t]
            return match

        def addressees(word: str) -> set[str]:
            return set(find(word).addressees.values_list("slug", flat=True))

        assert addressees("trust") == {"nato"}
        assert addressees("economic") == {"united-states", "eu"}
        assert addressees("history") == set()
        assert find("economic").policy_area == PolicyArea.ECONOMY
        assert find("trust").policy_area == PolicyArea.SECURITY


@pytest.mark.django_db
def test_the_seed_brief_arrives_with_its_history(seed_path):
    result = load_demo(seed_path=seed_path)
    comments = list(result.brief.revisions.values_list("comment", flat=True))
    assert comments == [
        f"Demo loader: published {seed_path.name} with its summary and links",
        f"Imported from {seed_path.name}",
    ]
    latest = result.brief.revisions.first().content
    assert latest["actors"] and latest["fields"]["summary"]
    load_demo(seed_path=seed_path)  # a second run changes nothing
    assert result.brief.revisions.count() == 2
