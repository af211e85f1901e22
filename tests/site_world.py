"""A small, realistic world around the seed brief, for page and browser tests.

The seed brief's text is read from `../shared/seeds/` at test time, never copied
into the repository; without the file a short stand-in body is used, so only
tests that need the real text skip. Facts (names, dates, places) are data.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

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
from briefs.hooks import public_record
from briefs.importers import parse_brief
from briefs.models import (
    Brief,
    BriefKind,
    Correction,
    PolicyArea,
    Recommendation,
    Status,
)
from briefs.services import change_brief_slug
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


def build_archive() -> tuple:
    """The world, plus an old edition, a tombstone, a renamed brief, a scheduled one.

    Returns (world, withdrawn, old_slug, renamed, scheduled), what
    `public_urls` takes. Shared by the crawls of tests/test_no_writes.py and
    tests/test_backups.py.
    """
    world = build_world()
    factories.publish(world.brief, note="A figure corrected.")  # version 2
    withdrawn = world.others[0]
    with factories.commit():
        withdrawn.status = Status.WITHDRAWN
        withdrawn.withdrawn_at = timezone.now()
        withdrawn.withdrawn_reason = "Wrong figures."
        withdrawn.save()
        public_record().withdrawn(brief=withdrawn)
    renamed = world.others[1]
    old_slug = renamed.slug
    with factories.commit():
        change_brief_slug(brief=renamed, new_slug=f"{old_slug}-renamed")
    scheduled = factories.make_brief(
        title="Not yet", published_at=timezone.now() + datetime.timedelta(days=2)
    )
    # The recommendation tracker: a published and a draft assessment.
    for published in (True, False):
        factories.make_assessment(
            world.brief.recommendations.first(), published=published
        )
    return world, withdrawn, old_slug, renamed, scheduled


def public_urls(world, withdrawn, old_slug, renamed, scheduled) -> list[str]:
    """Every kind of public URL of `build_archive`'s archive, errors included."""
    brief = world.brief
    person = next(iter(world.people.values()))
    topic = brief.topics.first()
    api = "/api/v1"
    slug = SEED_SLUG
    return [
        "/",
        "/robots.txt",
        "/search/?q=serbia",
        "/search/?q=serbia&kind=policy_brief",
        "/search/?q=" + "x" * 500,  # a 400
        f"/b/{brief.pk}/",
        "/briefs/",
        "/briefs/?page=2",
        f"/briefs/?actor=serbia&topic={topic.slug}",
        "/briefs/?year=2025&kind=policy_brief",
        "/briefs/?actor=no-such-actor",  # a 400
        f"/briefs/{slug}/",
        f"/briefs/{slug}/v1/",
        f"/briefs/{slug}/v1/cite.bib",
        f"/briefs/{slug}/v1.pdf",
        f"/briefs/{slug}/cite.bib",
        f"/briefs/{slug}/cite.ris",
        f"/briefs/{slug}/cite.json",
        f"/briefs/{slug}.pdf",
        f"/briefs/{withdrawn.slug}/",  # tombstone, 410
        f"/briefs/{withdrawn.slug}/cite.bib",
        f"/briefs/{old_slug}/",  # 301
        f"/briefs/{old_slug}/cite.ris",
        f"/briefs/{scheduled.slug}/",  # 404 until released
        "/briefs/no-such-brief/",
        "/share/no-such-token/",  # a draft's share link that does not exist, 404
        f"/people/{person.slug}/",
        f"/people/{person.slug}/feed.rss",
        f"/people/{person.slug}/feed.atom",
        f"/topics/{topic.slug}/",
        f"/topics/{topic.slug}/feed.rss",
        f"/topics/{topic.slug}/feed.atom",
        "/actors/",
        "/actors/?kind=state",
        "/actors/serbia/",
        "/actors/hungary/",
        "/actors/nato/",
        "/actors/serbia/feed.rss",
        "/actors/serbia/feed.atom",
        "/actors/no-such-actor/",
        "/actors/network/",
        "/actors/network/?on=2025-05-01",
        "/actors/network/?on=2025-05-01&actor=serbia",
        "/actors/network/?on=not-a-day",  # a 400
        "/agreements/",
        f"/agreements/{world.plan.slug}/",
        f"/agreements/{world.declaration.slug}/",
        "/recommendations/",
        "/recommendations/?addressee=serbia",
        "/recommendations/?addressee=nato&status=in_progress",
        f"/recommendations/?brief={slug}&assessed_after=2025-01-01",
        "/feeds/recommendation-status.rss",
        "/feeds/recommendation-status.atom",
        "/actors/nato/recommendation-status.rss",
        "/actors/nato/recommendation-status.atom",
        "/compare/",
        "/compare/?a=serbia,hungary&b=albania,croatia,kosovo&a_name=Pair",
        "/compare/?a=serbia&b=kosovo&on=2025-06-01&metrics=main_battle_tanks",
        "/compare/?a=serbia,hungary&b=albania&format=csv",
        "/compare/?a=serbia,hungary&b=albania&format=json",
        "/compare/?a=serbia,nowhere&b=albania",  # a 400
        "/feeds/briefs.rss",
        "/feeds/briefs.atom",
        "/sitemap.xml",
        "/oai/?verb=Identify",
        "/oai/?verb=ListMetadataFormats",
        "/oai/?verb=ListSets",
        "/oai/?verb=ListIdentifiers&metadataPrefix=oai_dc",
        "/oai/?verb=ListRecords&metadataPrefix=oai_dc",
        f"/oai/?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:x:briefs/{brief.pk}",
        "/oai/?verb=Nonsense",
        f"{api}/",
        f"{api}/briefs/",
        f"{api}/briefs/?q=serbia",
        f"{api}/briefs/?actor=serbia&ordering=-published_at",
        f"{api}/briefs/{slug}/",
        f"{api}/briefs/{slug}/citation/",
        f"{api}/briefs/{old_slug}/",
        f"{api}/briefs/{withdrawn.slug}/",
        f"{api}/people/",
        f"{api}/people/{person.slug}/",
        f"{api}/actors/",
        f"{api}/actors/serbia/",
        f"{api}/agreements/",
        f"{api}/agreements/{world.plan.slug}/",
        f"{api}/indicators/",
        f"{api}/indicators/?actor=serbia&metric=main_battle_tanks&year=2025",
        f"{api}/indicators/csv/?actor=serbia",
        f"{api}/recommendations/",
        f"{api}/recommendations/?status=in_progress&assessed_after=2025-01-01",
        f"{api}/recommendations/{slug}-1/",
        f"{api}/topics/",
        f"{api}/topics/{topic.slug}/",
        f"{api}/schema/",
        "/api/docs/",
        f"{api}/no-such-thing/",
    ]
