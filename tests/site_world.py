"""A small, realistic world around the seed brief, for page and browser tests.

The seed brief's text is read from `../shared/seeds/` at test time, never copied
into the repository; without the file a short stand-in body is used, so only
tests that need the real text skip. Facts (names, dates, places) are data.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from actors.models import (
    Actor,
    ActorAlias,
    ActorKind,
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementSource,
    AgreementStatus,
    MutualDefense,
    Office,
)
from briefs.importers import parse_brief
from briefs.models import (
    Brief,
    BriefKind,
    Correction,
    PolicyArea,
    Recommendation,
)
from tests import factories

SEED_PATH = (
    Path(settings.BASE_DIR).parent / "shared" / "seeds" / "000_2d2030587047e4a1.txt"
)
SEED_SLUG = "balkans-new-military-alliances"


@dataclass
class SeedText:
    title: str
    body: str
    recommendations: list[tuple[str, str]] = field(default_factory=list)


def seed_text() -> SeedText | None:
    """The seed brief as Markdown, or None when the seed folder is absent.

    Read with the importer's own pure parser, so page tests see exactly the
    body an editor's import produces.
    """
    if not SEED_PATH.exists():
        return None
    parsed = parse_brief(SEED_PATH.read_text(encoding="utf-8"))
    return SeedText(
        title=parsed.title,
        body=parsed.body,
        recommendations=[(r.title, r.body) for r in parsed.recommendations],
    )


STAND_IN_BODY = """## Background

Serbia and Hungary signed a defense cooperation plan in Belgrade; Kosovo,
Albania and Croatia had signed a joint declaration in Tirana weeks before.

## Comparison

| Category | Serbia–Hungary | Albania–Kosovo–Croatia |
|---|---|---|
| Main combat aircraft | 14 Gripens, 12 Rafales ordered | 12 Rafales |

The comparison leaves NATO out.[^1]

[^1]: Figures as published in 2025.
"""


@dataclass
class World:
    brief: Brief
    serbia: Actor
    hungary: Actor
    nato: Actor
    plan: Agreement
    declaration: Agreement
    others: list[Brief]
    people: dict


def build_world(*, extra_briefs: int = 3) -> World:
    """Actors, agreements, people and the seed brief, with a few related briefs."""
    make = factories.make_actor
    serbia = make(name="Serbia", slug="serbia", iso_code="RS")
    hungary = make(name="Hungary", slug="hungary", iso_code="HU")
    kosovo = make(
        name="Kosovo",
        slug="kosovo",
        iso_code="XK",
        kind=ActorKind.DISPUTED_STATE,
        status_note="Independence recognised by about half of UN members.",
    )
    albania = make(name="Albania", slug="albania", iso_code="AL")
    croatia = make(name="Croatia", slug="croatia", iso_code="HR")
    nato = make(name="NATO", slug="nato", kind=ActorKind.ORGANIZATION)
    eu = make(name="European Union", slug="eu", kind=ActorKind.ORGANIZATION)
    orban = make(name="Viktor Orbán", slug="viktor-orban", kind=ActorKind.PERSON)
    vucic = make(
        name="Aleksandar Vučić", slug="aleksandar-vucic", kind=ActorKind.PERSON
    )
    ActorAlias.objects.create(actor=eu, alias="EU", case_sensitive=True)
    ActorAlias.objects.create(actor=serbia, alias="Belgrade")
    ActorAlias.objects.create(actor=orban, alias="Orbán")
    ActorAlias.objects.create(actor=vucic, alias="Vučić")
    for member, since in ((croatia, "2009-04-01"), (albania, "2009-04-01")):
        factories.make_membership(member, nato, since=since)
    factories.make_membership(hungary, nato, since="1999-03-12")
    factories.make_membership(hungary, eu, since="2004-05-01")
    Office.objects.create(
        holder=orban, title="Prime Minister", of_actor=hungary, since="2010-05-29"
    )
    Office.objects.create(
        holder=vucic, title="President", of_actor=serbia, since="2017-05-31"
    )
    plan = factories.make_agreement(
        title="Serbia–Hungary defense cooperation plan",
        slug="serbia-hungary-defense-cooperation-plan",
        kind=AgreementKind.DEFENSE_COOPERATION_PLAN,
        signed_on=datetime.date(2025, 4, 1),
        signed_at="Belgrade",
        status=AgreementStatus.SIGNED,
        mutual_defense=MutualDefense.NOT_STATED,
        key_terms="Joint military exercises\nDefense-industry cooperation",
    )
    AgreementParty.objects.create(agreement=plan, actor=serbia, order=0)
    AgreementParty.objects.create(agreement=plan, actor=hungary, order=1)
    AgreementSource.objects.create(
        agreement=plan, title="Ministry of Defence press release"
    )
    earlier = factories.make_agreement(
        title="Serbia–Hungary strategic partnership",
        slug="serbia-hungary-strategic-partnership",
        kind=AgreementKind.STRATEGIC_PARTNERSHIP,
        signed_on=datetime.date(2013, 7, 1),
        parties=[serbia, hungary],
    )
    declaration = factories.make_agreement(
        title="Albania–Croatia–Kosovo joint declaration on defense cooperation",
        slug="albania-croatia-kosovo-declaration",
        kind=AgreementKind.JOINT_DECLARATION,
        signed_on=datetime.date(2025, 3, 18),
        signed_at="Tirana",
    )
    for order, actor in enumerate((albania, croatia, kosovo)):
        AgreementParty.objects.create(
            agreement=declaration,
            actor=actor,
            order=order,
            signatory_capacity="Minister of Defence",
        )
    # Indicators: a range, an order, a zero and an explicit unknown.
    for actor, low, high in (
        (serbia, 250, 300),
        (hungary, 44, None),
        (albania, 40, None),
        (croatia, 75, None),
        (kosovo, 0, None),
    ):
        factories.make_indicator(
            actor, "main_battle_tanks", low, value_max=high, unit="tanks"
        )
    factories.make_indicator(
        serbia,
        "combat_aircraft",
        12,
        unit="aircraft",
        status="ordered",
        status_year=2024,
        source="Ministry of Defence",
        source_url="https://example.org/rafale",
    )
    factories.make_indicator(kosovo, "active_troops", None, unit="troops")
    pupin = factories.make_institution(name="Pupin Initiative", slug="pupin")
    people = {
        slug: factories.make_person(name=name, slug=slug, affiliation=pupin)
        for name, slug in (
            ("Vuk Velebit", "vuk-velebit"),
            ("Andrej Cvejanov", "andrej-cvejanov"),
            ("Petar Ivić", "petar-ivic"),
            ("Aleksa Jovanović", "aleksa-jovanovic"),
        )
    }
    security = factories.make_topic(name="Security and defense", slug="security")
    region = factories.make_topic(name="Regional cooperation", slug="regional")
    text = seed_text()
    brief = factories.make_brief(
        title=text.title if text else "New military alliances in the Balkans",
        slug=SEED_SLUG,
        kind=BriefKind.POLICY_BRIEF,
        summary="Two new defense pacts split the Western Balkans into blocs; "
        "what that means for Serbia, NATO and EU enlargement.",
        body=text.body if text else STAND_IN_BODY,
        publication_date=datetime.date(2025, 5, 21),
        featured=True,
        authors=[people["vuk-velebit"], people["andrej-cvejanov"]],
        researchers=[people["petar-ivic"], people["aleksa-jovanovic"]],
        actors=[serbia, hungary, kosovo, albania, croatia, nato, eu, orban, vucic],
        agreements=[plan, declaration],
        topics=[security, region],
        published_at=datetime.datetime(2025, 5, 21, 9, tzinfo=datetime.UTC),
        edition=False,
    )
    recommendation_texts = (
        text.recommendations
        if text and text.recommendations
        else [
            ("Avoid exclusive pacts", "Prefer inclusive, multilateral formats."),
            ("Restore trust in NATO", "Raise NATO's visibility in the region."),
        ]
    )
    addressees = [[serbia, hungary], [nato], [serbia], [nato], [eu], [eu]]
    areas = list(PolicyArea.values)
    for order, (title, body) in enumerate(recommendation_texts, start=1):
        recommendation = Recommendation.objects.create(
            brief=brief,
            order=order,
            title=title,
            body=body,
            policy_area=areas[(order - 1) % len(areas)],
        )
        recommendation.addressees.set(addressees[(order - 1) % len(addressees)])
    # Published, then corrected twice: the page shows version 3.
    factories.publish(brief)
    for day, note in ((datetime.date(2025, 5, 23), "A date was fixed."),
                      (datetime.date(2025, 6, 2), "A figure was fixed.")):  # fmt: skip
        Correction.objects.create(brief=brief, published_on=day, note=note)
        factories.publish(
            brief,
            at=datetime.datetime.combine(day, datetime.time(12), datetime.UTC),
            note=note,
        )
    others = [
        factories.make_brief(
            title=f"Serbia and Hungary after the pact, part {n}",
            summary="How the plan plays out.",
            publication_date=datetime.date(2025, 6, n),
            authors=[people["vuk-velebit"]],
            actors=[serbia, hungary],
            agreements=[plan],
            topics=[security],
        )
        for n in range(1, extra_briefs + 1)
    ]
    assert earlier.pk
    return World(
        brief=brief,
        serbia=serbia,
        hungary=hungary,
        nato=nato,
        plan=plan,
        declaration=declaration,
        others=others,
        people=people,
    )
