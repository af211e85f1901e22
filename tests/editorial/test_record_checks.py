"""Checks against the record: the prose is compared with the reference layer
as of the brief's date. Pure helpers first (tables), then each check on a brief
that trips it and on the demo briefs, which must not."""

import datetime
from decimal import Decimal

import pytest

from actors.models import (
    ActorKind,
    AgreementKind,
    Indicator,
    IndicatorStatus,
    Membership,
    Metric,
    Office,
)
from briefs.mentions import MentionScanner
from briefs.models import BODY_MAX_CHARS, Brief
from demo.data import SEED_BRIEF_SLUG
from demo.loader import load_demo
from demo.own_briefs import OWN_BRIEFS
from editorial import checks
from editorial import record_checks as rc
from tests import factories
from tests.fixtures import pathological

D = datetime.date
RECORD_CHECKS = {
    "offices_as_recorded",
    "agreement_parties_as_recorded",
    "memberships_as_recorded",
    "figures_as_recorded",
    "names_as_recorded",
}

# --- Pure helpers -----------------------------------------------------------------

# Actor ids for the masking tables: a tiny scanner over fixed names.
NAMES = {
    1: "NATO",
    2: "Kosovo",
    3: "Albania",
    4: "Croatia",
    5: "Serbia",
    6: "Aleksandar Vučić",
    7: "Tirana",
    8: "EU",
    9: "North Macedonia",
    10: "Hungary",
}
SCANNER = MentionScanner((i, name, False) for i, name in NAMES.items())


def mask(sentence: str) -> tuple[str, list[int]]:
    return rc.masked(sentence, SCANNER.spans(sentence))


def named(claims, ids, *fields):
    return [tuple(NAMES[ids[getattr(c, f)]] for f in fields) for c in claims]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Kosovo, a NATO member, signed.", [("Kosovo", "NATO", True)]),
        (
            "Croatia, an EU and NATO member, agreed.",
            [("Croatia", "EU", True), ("Croatia", "NATO", True)],
        ),
        ("As a NATO member, Albania did.", [("Albania", "NATO", True)]),
        ("Hungary remains a NATO member.", [("Hungary", "NATO", True)]),
        ("NATO member Albania said so.", [("Albania", "NATO", True)]),
        (
            "NATO members such as Croatia, Albania, and Kosovo met.",
            [
                ("Croatia", "NATO", True),
                ("Albania", "NATO", True),
                ("Kosovo", "NATO", True),
            ],
        ),
        (
            "NATO countries (Croatia, Hungary) border it.",
            [("Croatia", "NATO", True), ("Hungary", "NATO", True)],
        ),
        ("Kosovo, as a non-NATO member, lacks it.", [("Kosovo", "NATO", False)]),
        ("Serbia is not a member of NATO.", [("Serbia", "NATO", False)]),
        # Not a plain membership: left alone.
        ("Croatia, aspiring EU members, wait.", []),
        ("Serbia, a former NATO partner, said.", []),
        ("NATO and Serbia met; Kosovo was there.", []),
    ],
)
def test_membership_claims(sentence, expected):
    text, ids = mask(sentence)
    claims = rc.membership_claims(text)
    got = [
        (NAMES[ids[c.member]], NAMES[ids[c.organization]], c.member_of) for c in claims
    ]
    assert sorted(got) == sorted(expected)


PREFIX = rc.title_pattern(["President", "Prime Minister", "PM"])
APPOSITIVE = rc.appositive_pattern(["President", "Prime Minister", "PM"])


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "President Aleksandar Vučić spoke.",
            [("Aleksandar Vučić", "President", None, False)],
        ),
        (
            "Serbia’s President Aleksandar Vučić spoke.",
            [("Aleksandar Vučić", "President", "Serbia", False)],
        ),
        (
            "Former President Aleksandar Vučić spoke.",
            [("Aleksandar Vučić", "President", None, True)],
        ),
        (
            "Hungary's PM Aleksandar Vučić spoke.",
            [("Aleksandar Vučić", "Prime Minister", "Hungary", False)],
        ),
        (
            "Aleksandar Vučić, the president of Serbia, spoke.",
            [("Aleksandar Vučić", "President", "Serbia", False)],
        ),
        (
            "Orbán hosted in Hungary President Aleksandar Vučić.",
            [("Aleksandar Vučić", "President", None, False)],
        ),
        ("Vice President Aleksandar Vučić spoke.", []),
        ("Then-President Aleksandar Vučić spoke.", []),
        ("Aleksandar Vučić, President at the time, spoke.", []),
    ],
)
def test_title_claims(sentence, expected):
    text, ids = mask(sentence)
    got = [
        (
            NAMES[ids[c.person]],
            c.title if c.title != "president" else "President",
            NAMES[ids[c.of]] if c.of is not None else None,
            c.former,
        )
        for c in rc.title_claims(text, PREFIX, APPOSITIVE)
    ]
    # The appositive form matches titles in any case; compare them folded.
    assert [(p, t.lower(), o, f) for p, t, o, f in got] == [
        (p, t.lower(), o, f) for p, t, o, f in expected
    ]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "the Tirana trio (Albania, North Macedonia, Kosovo) met",
            [("Tirana", ("Albania", "North Macedonia", "Kosovo"), "trio")],
        ),
        (
            "the Tirana declaration of Albania, Croatia and Kosovo",
            [("Tirana", ("Albania", "Croatia", "Kosovo"), "declaration")],
        ),
        (
            "the Kosovo–Albania–Croatia alliance",
            [(None, ("Kosovo", "Albania", "Croatia"), "alliance")],
        ),
        ("Albania, Croatia and Kosovo signed in Tirana", []),
        ("the Kosovo–Albania relations", []),
    ],
)
def test_party_lists(sentence, expected):
    text, ids = mask(sentence)
    got = [
        (
            NAMES[ids[c.place]] if c.place is not None else None,
            tuple(NAMES[ids[m]] for m in c.parties),
            c.noun,
        )
        for c in rc.party_lists(text)
    ]
    assert got == expected


@pytest.mark.parametrize(
    "listed, recorded, differs",
    [
        ({1, 2, 3}, {1, 2, 3}, False),
        ({1, 2, 4}, {1, 2, 3}, True),  # one swapped
        ({1, 2}, {1, 2, 3}, True),  # one missing
        ({1, 5, 6}, {1, 2, 3}, False),  # another agreement, more likely
    ],
)
def test_differing_parties(listed, recorded, differs):
    assert rc.differing_parties(listed, recorded) is differs


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Serbia has 30,000 active troops.",
            [("Serbia", "active_troops", 30000, 30000)],
        ),
        (
            "Serbia’s 28,000 active-duty troops",
            [("Serbia", "active_troops", 28000, 28000)],
        ),
        ("Serbia has about 1,000 tanks.", [("Serbia", "main_battle_tanks", 900, 1100)]),
        (
            "Serbia fields between 250 and 300 main battle tanks.",
            [("Serbia", "main_battle_tanks", 250, 300)],
        ),
        ("Serbia has 250–300 tanks.", [("Serbia", "main_battle_tanks", 250, 300)]),
        (
            "Serbia has over 40 tanks.",
            [("Serbia", "main_battle_tanks", 40, float("inf"))],
        ),
        ("Kosovo keeps up to 12 fighter jets.", [("Kosovo", "combat_aircraft", 0, 12)]),
        (
            "Serbia has a population of 6.6 million.",
            [("Serbia", "population", 6_550_000, 6_650_000)],
        ),
        ("NATO has 3,700 troops there.", [("NATO", "peacekeepers", 3700, 3700)]),
        # Not read: a number inside the words, no verb, no metric word.
        ("Hungary flies 14 JAS 39 Gripen fighters.", []),
        ("Approximately 3,700 NATO troops serve.", []),
        ("Serbia has 79 joint activities.", []),
    ],
)
def test_figure_claims(sentence, expected):
    text, ids = mask(sentence)
    got = [
        (NAMES[ids[c.actor]], c.metric, pytest.approx(c.low), pytest.approx(c.high))
        for c in rc.figure_claims(text)
    ]
    assert got == expected


@pytest.mark.parametrize(
    "written, spellings, slip",
    [
        ("Vućić", ["Aleksandar Vučić", "Vučić", "Vucic"], True),
        ("Vucic", ["Vučić", "Vucic"], False),  # an alias as recorded
        ("VUČIĆ’S", ["Vučić"], False),  # case and punctuation do not count
        ("Moskva", ["Москва"], False),  # another script: a transliteration
        ("Москва", ["Москва", "Moscow"], False),
        ("Petar Ivic", ["Petar Ivić"], True),
    ],
)
def test_misspelled(written, spellings, slip):
    assert rc.misspelled(written, spellings) is slip


@pytest.mark.parametrize(
    "a, b, near",
    [
        ("initative", "initiative", True),
        ("stoltenburg", "stoltenberg", True),
        ("montenegor", "montenegro", True),  # two neighbours swapped
        ("vucic", "vucic", True),
        ("stoltenbrug", "stoltenberg", False),
        ("croats", "croatia", False),
    ],
)
def test_within_one_edit(a, b, near):
    assert rc.within_one_edit(a, b) is near


INDEX = rc.NameIndex(
    [
        ("pupin", "Pupin Initiative"),
        ("stoltenberg", "Jens Stoltenberg"),
        ("stoltenberg", "Stoltenberg"),
        ("russia", "Russia"),
        ("albania", "Albanian"),
        ("orban", "Orbán"),
        ("albanija", "Albanija"),
    ]
)


@pytest.mark.parametrize(
    "phrase, at, expected",
    [
        ("Pupin Initative", 1, "Pupin Initiative"),
        ("Jens Stoltenburg", 1, "Jens Stoltenberg"),
        ("Stoltenburg", 0, "Stoltenberg"),
        ("Initative", 0, None),  # one word of a longer name, alone
        ("Prussia", 0, None),  # another first letter
        ("Albanians", 0, None),  # an inflection
        ("Албаније", 0, None),  # a Serbian one: the ending changes
        ("Albanuja", 0, "Albanija"),  # a slip inside the word still counts
        ("Urban", 0, None),  # too short to judge alone
    ],
)
def test_near_miss(phrase, at, expected):
    miss = INDEX.near_miss(phrase.split(), at)
    assert (miss[1] if miss else None) == expected


@pytest.mark.parametrize(
    "hedge, low, high, scale, interval",
    [
        (None, "28,000", None, None, (28000, 28000)),
        ("about", "3,700", None, None, (3330, 4070)),
        ("more than", "1.5", None, "million", (1_450_000, float("inf"))),
        ("fewer than", "40", None, None, (0, 40)),
        (None, "250", "300", None, (250, 300)),
    ],
)
def test_stated_interval(hedge, low, high, scale, interval):
    assert rc.stated_interval(hedge, low, high, scale) == pytest.approx(interval)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("One. Two here.\nThree", ["One.", "Two here.", "Three"]),
        ("Orbán (PM). “Quoted” next", ["Orbán (PM).", "“Quoted” next"]),
        ("in 2016, then 2025. Then 1,999", ["in 2016, then 2025.", "Then 1,999"]),
    ],
)
def test_sentences(text, expected):
    assert [text[s:e] for s, e in rc.sentences(text)] == expected


def test_years_and_dates():
    assert rc.years("In March 2025 and in 2016, 1,999 troops") == {2016, 2025}
    assert rc.held_on(D(2014, 10, 1), D(2024, 10, 1), D(2024, 9, 30))
    assert not rc.held_on(D(2014, 10, 1), D(2024, 10, 1), D(2024, 10, 1))
    assert rc.held_then(D(2014, 10, 1), D(2024, 10, 1), D(2025, 5, 21), {2019})
    assert rc.quote("a " * 200, 0, 400, limit=20).endswith("…")


# --- The checks on briefs -------------------------------------------------------


@pytest.fixture
def record(db):
    """A small reference world, as of spring 2025."""
    make = factories.make_actor
    w = {
        "serbia": make(name="Serbia", aliases=["Belgrade"]),
        "albania": make(name="Albania", aliases=["Tirana"]),
        "croatia": make(name="Croatia"),
        "kosovo": make(name="Kosovo", kind=ActorKind.DISPUTED_STATE),
        "montenegro": make(name="Montenegro"),
        "nato": make(name="NATO", kind=ActorKind.ORGANIZATION),
        "kfor": make(name="KFOR", kind=ActorKind.MISSION),
        "vucic": make(
            name="Aleksandar Vučić",
            kind=ActorKind.PERSON,
            aliases=["Vučić", "Vucic"],
        ),
        "stoltenberg": make(
            name="Jens Stoltenberg", kind=ActorKind.PERSON, aliases=["Stoltenberg"]
        ),
    }
    for member, since in [("albania", D(2009, 4, 1)), ("croatia", D(2009, 4, 1))]:
        Membership.objects.create(member=w[member], organization=w["nato"], since=since)
    Office.objects.create(
        holder=w["vucic"], title="President", of_actor=w["serbia"], since=D(2017, 5, 31)
    )
    w["office"] = Office.objects.create(
        holder=w["stoltenberg"],
        title="Secretary General",
        of_actor=w["nato"],
        since=D(2014, 10, 1),
        until=D(2024, 10, 1),
    )
    w["tirana"] = factories.make_agreement(
        title="Tirana declaration",
        signed_at="Tirana",
        kind=AgreementKind.JOINT_DECLARATION,
        parties=[w["albania"], w["croatia"], w["kosovo"]],
    )
    indicator = {"source": "Test source", "year": 2025}
    w["troops"] = Indicator.objects.create(
        actor=w["serbia"],
        metric=Metric.ACTIVE_TROOPS,
        value=Decimal(28000),
        **indicator,
    )
    Indicator.objects.create(
        actor=w["serbia"],
        metric=Metric.MAIN_BATTLE_TANKS,
        value=Decimal(250),
        value_max=Decimal(300),
        **indicator,
    )
    Indicator.objects.create(
        actor=w["serbia"],
        metric=Metric.COMBAT_AIRCRAFT,
        value=Decimal(12),
        status=IndicatorStatus.ORDERED,
        **indicator,
    )
    Indicator.objects.create(
        actor=w["kfor"], metric=Metric.PEACEKEEPERS, value=Decimal(3700), **indicator
    )
    Indicator.objects.create(
        actor=w["croatia"], metric=Metric.ACTIVE_TROOPS, value=None, **indicator
    )
    w["institution"] = factories.make_institution(name="Pupin Initiative")
    w["person"] = factories.make_person(name="Petar Ivić", affiliation=w["institution"])
    return w


def brief_saying(body: str, **overrides) -> Brief:
    overrides.setdefault("publication_date", D(2025, 5, 21))
    return factories.make_brief(body=body, summary="A summary.", **overrides)


def found(brief, check) -> list[checks.Finding]:
    return list(check(brief))


def test_the_record_checks_are_registered_as_warnings():
    assert {c.__name__ for c in checks.CHECKS} >= RECORD_CHECKS


def test_an_office_not_held_on_the_brief_date(record):
    brief = brief_saying(
        "Secretary General Jens Stoltenberg said it. President Vučić agreed."
    )
    [finding] = found(brief, checks.offices_as_recorded)
    assert finding.level == "warning"
    assert finding.message == (
        "“Secretary General Jens Stoltenberg said it.” names Jens Stoltenberg "
        "Secretary General, an office Jens Stoltenberg did not hold on 2025-05-21: "
        "the record has Secretary General of NATO, 2014-10-01 – 2024-10-01."
    )
    assert finding.link == f"/admin/actors/office/{record['office'].pk}/change/"
    # Held then, held in the year the sentence names, or said to be former.
    clean = brief_saying(
        "In 2019, Secretary General Jens Stoltenberg said it. Former Secretary "
        "General Jens Stoltenberg agreed. Serbia’s President Vučić too.",
        publication_date=D(2025, 5, 21),
    )
    assert found(clean, checks.offices_as_recorded) == []
    wrong_country = brief_saying(
        "Croatia's President Vučić spoke. Former President Vučić."
    )
    assert [
        f.message.split("”")[0]
        for f in found(wrong_country, checks.offices_as_recorded)
    ] == [
        "“Croatia's President Vučić spoke.",
        "“Former President Vučić.",
    ]


def test_an_agreement_listed_with_other_parties(record):
    brief = brief_saying(
        "The Tirana declaration of Albania, Croatia and Montenegro is new. "
        "The Kosovo–Albania–Montenegro pact too."
    )
    findings = found(brief, checks.agreement_parties_as_recorded)
    assert [f.message for f in findings] == [
        "“The Tirana declaration of Albania, Croatia and Montenegro is new.” lists "
        "the parties of “Tirana declaration” (signed 2025-03-18) as Albania, Croatia "
        "and Montenegro; on 2025-05-21 the record has Albania, Croatia and Kosovo.",
        "“The Kosovo–Albania–Montenegro pact too.” lists the parties of “Tirana "
        "declaration” (signed 2025-03-18) as Kosovo, Albania and Montenegro; on "
        "2025-05-21 the record has Albania, Croatia and Kosovo.",
    ]
    assert findings[0].link == f"/admin/actors/agreement/{record['tirana'].pk}/change/"
    clean = brief_saying(
        "The Tirana declaration of Albania, Croatia and Kosovo is new. The "
        "Kosovo–Albania–Croatia pact. The Serbia–Montenegro plan."
    )
    assert found(clean, checks.agreement_parties_as_recorded) == []
    # Before it was signed, the agreement is not on the record.
    early = brief_saying(
        "The Tirana declaration of Albania, Croatia and Montenegro.",
        publication_date=D(2025, 1, 1),
    )
    assert found(early, checks.agreement_parties_as_recorded) == []


def test_a_membership_the_records_contradict(record):
    brief = brief_saying(
        "NATO members such as Croatia, Albania, and Kosovo met. Croatia, as a "
        "non-NATO member, abstained."
    )
    findings = found(brief, checks.memberships_as_recorded)
    assert [f.message for f in findings] == [
        "“NATO members such as Croatia, Albania, and Kosovo met.” says Kosovo is a "
        "member of NATO; the membership records show none on 2025-05-21.",
        "“Croatia, as a non-NATO member, abstained.” says Croatia is not a member "
        "of NATO; the record has it a member on 2025-05-21 (since 2009-04-01).",
    ]
    assert findings[0].link == f"/admin/actors/actor/{record['nato'].pk}/change/"
    assert findings[1].link.startswith("/admin/actors/membership/")
    clean = brief_saying(
        "As a NATO member, Albania agreed. Kosovo, as a non-NATO member, did not. "
        "Croatia, a NATO member since 2009, too."
    )
    assert found(clean, checks.memberships_as_recorded) == []
    # Before accession, Croatia was not a member.
    early = brief_saying(
        "Croatia, a NATO member, agreed.", publication_date=D(2008, 1, 1)
    )
    assert len(found(early, checks.memberships_as_recorded)) == 1


def test_a_figure_that_contradicts_the_indicator(record):
    brief = brief_saying("Serbia has 30,000 active troops. KFOR has 5,000 troops.")
    findings = found(brief, checks.figures_as_recorded)
    assert [f.message for f in findings] == [
        "“Serbia has 30,000 active troops.” gives 30,000 active troops for Serbia "
        "(active troops, 2025); the record has 28000 (source: Test source).",
        "“KFOR has 5,000 troops.” gives 5,000 troops for KFOR (deployed troops, "
        "2025); the record has 3700 (source: Test source).",
    ]
    assert findings[0].link == f"/admin/actors/indicator/{record['troops'].pk}/change/"
    clean = brief_saying(
        "Serbia has 28,000 active troops. Serbia has about 27,000 active troops. "
        "Serbia fields between 250 and 300 main battle tanks. Serbia has 280 tanks. "
        "KFOR has about 3,500 troops. Croatia has 15,000 active troops. "
        "In 2019, Serbia had 25,000 active troops. Serbia has 40 fighter jets. "
        "Serbia has ordered 12 fighter jets."
    )
    # Croatia's figure is unknown; 2019 has no record; 12 jets are on order.
    assert found(clean, checks.figures_as_recorded) == []
    ordered = brief_saying("Serbia has ordered 20 fighter jets.")
    assert (
        "the record has 12 ordered"
        in found(ordered, checks.figures_as_recorded)[0].message
    )


def test_a_name_that_nearly_matches_a_record(record):
    brief = brief_saying(
        "Vućić spoke; Vucic and Vučić agreed. Jens Stoltenburg left. The Pupin "
        "Initative wrote. Petar Ivic read it. Prussia and the Albanians watched."
    )
    messages = [f.message for f in found(brief, checks.names_as_recorded)]
    assert messages == [
        "“Vućić spoke; Vucic and Vučić agreed.” writes “Vućić”; the record spells "
        "it “Aleksandar Vučić” (actor, as of 2025-05-21).",
        "“Petar Ivic read it.” writes “Petar Ivic”; the record spells it “Petar "
        "Ivić” (person, as of 2025-05-21).",
        "“Jens Stoltenburg left.” writes “Jens Stoltenburg”; the record spells it "
        "“Jens Stoltenberg” (actor, as of 2025-05-21).",
        "“The Pupin Initative wrote.” writes “Pupin Initative”; the record spells "
        "it “Pupin Initiative” (institution, as of 2025-05-21).",
    ]
    links = [f.link for f in found(brief, checks.names_as_recorded)]
    assert links[3] == f"/admin/briefs/institution/{record['institution'].pk}/change/"


def test_a_credited_near_twin_of_another_record(record):
    clean = brief_saying("Nothing.", authors=[record["person"]])
    assert found(clean, checks.names_as_recorded) == []
    twin = factories.make_person(name="Petar Ivic", affiliation=record["institution"])
    brief = brief_saying("Nothing to see.", authors=[twin])
    [finding] = found(brief, checks.names_as_recorded)
    assert finding.message == (
        "The credits (author) writes “Petar Ivic”; the record spells it “Petar "
        "Ivić” (person, as of 2025-05-21)."
    )
    assert finding.link == f"/admin/briefs/person/{record['person'].pk}/change/"


def test_record_checks_on_the_pathological_corpus(record):
    """No exception and a bounded time on the bodies that stress the parsers
    (the timing itself is measured by bench/pathological.py's kind of runs)."""
    names = "Serbia has 30,000 active troops, NATO member Kosovo, Vućić. "
    for name, make in pathological.BODY_CASES.items():
        body = make(BODY_MAX_CHARS - len(names)) + names
        brief = Brief(
            title=name, slug="p", summary="s", body=body, publication_date=D(2025, 5, 1)
        )
        for check in checks.CHECKS:
            if check.__name__ in RECORD_CHECKS:
                list(check(brief))


def test_record_checks_on_a_long_body_of_names(record):
    sentence = (
        "NATO members such as Croatia, Albania, and Kosovo met Secretary General "
        "Jens Stoltenberg and Jens Stoltenburg; Serbia has 30,000 active troops. "
        "The Tirana declaration of Albania, Croatia and Montenegro. "
    )
    body = (sentence * (BODY_MAX_CHARS // len(sentence)))[:BODY_MAX_CHARS]
    brief = Brief(
        title="t", slug="l", summary="s", body=body, publication_date=D(2025, 5, 1)
    )
    findings = [
        f
        for check in checks.CHECKS
        if check.__name__ in RECORD_CHECKS
        for f in check(brief)
    ]
    # Each check stops at its cap; every kind of slip is still reported.
    assert {f.check for f in findings} == RECORD_CHECKS
    assert len(findings) <= 5 * checks.MAX_RECORD_FINDINGS


# --- No false alarm on the demo --------------------------------------------------


def record_findings(brief) -> list[tuple[str, str]]:
    return [
        (f.check, f.message)
        for f in checks.run_checks(brief)
        if f.check in RECORD_CHECKS
    ]


@pytest.mark.django_db
def test_the_demo_briefs_raise_no_record_warning(tmp_path):
    load_demo(seed_path=tmp_path / "no-seed.txt")
    briefs = Brief.objects.filter(slug__in=[spec["slug"] for spec in OWN_BRIEFS])
    assert briefs.count() == len(OWN_BRIEFS)
    for brief in briefs:
        assert record_findings(brief) == [], brief.slug


@pytest.mark.django_db
def test_the_seed_brief_shows_only_its_two_real_slips(seed_path):
    """The seed brief, as published, calls the Tirana trio "Albania, North
    Macedonia, Kosovo" and counts Kosovo among NATO members: both are slips the
    record catches. Nothing else in it, nor in the demo's own briefs, is flagged."""
    load_demo(seed_path=seed_path)
    for brief in Brief.objects.exclude(slug=SEED_BRIEF_SLUG):
        assert record_findings(brief) == [], brief.slug
    seed = Brief.objects.get(slug=SEED_BRIEF_SLUG)
    found = record_findings(seed)
    assert [check for check, _ in found] == [
        "agreement_parties_as_recorded",
        "memberships_as_recorded",
    ]
    assert "as Albania, North Macedonia and Kosovo" in found[0][1]
    assert "the record has Albania, Croatia and Kosovo" in found[0][1]
    assert "says Kosovo is a member of NATO" in found[1][1]


def test_the_admin_page_links_each_finding_to_its_record(record, admin_client):
    brief = brief_saying(
        "Kosovo, a NATO member, agreed. Secretary General Jens Stoltenberg said it.",
        status="draft",
        edition=False,
    )
    page = admin_client.get(f"/admin/briefs/brief/{brief.pk}/change/")
    html = page.content.decode()
    office = f"/admin/actors/office/{record['office'].pk}/change/"
    nato = f"/admin/actors/actor/{record['nato'].pk}/change/"
    assert f'<a href="{office}">See the record</a>' in html
    assert f'<a href="{nato}">See the record</a>' in html
    assert "says Kosovo is a member of NATO" in html
