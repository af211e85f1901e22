"""Fill a database with a large generated archive for the benchmarks.

1,000 published briefs (by default), 300 actors, 200 agreements, ~30 confirmed
actor mentions per brief, ~5,000 recommendations with ~10,000 addressees, plus
the seed brief (its text read from ../shared/seeds/ when present). The working
rows are bulk-inserted; then every brief is published as the archive publishes
it, through `publishing.editions.publish_edition` (oldest first, so related
lists grow as they would), and a share of them is corrected once (edition 2,
with a public note). A progress bar shows each stage. Deterministic for a
given `--seed`.

Run through bench/run.py (or site_bench.py, api_bench.py), or alone:
    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... \
        python -m bench.generate_site_data
"""

import datetime
import random
import sys

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from actors.models import (
    Actor,
    ActorAlias,
    ActorKind,
    Agreement,
    AgreementKind,
    AgreementParty,
    Membership,
    Office,
)
from briefs.markdown import render_markdown
from briefs.models import (
    Brief,
    BriefActor,
    BriefAgreement,
    BriefKind,
    Contribution,
    Correction,
    Institution,
    MentionState,
    Person,
    PolicyArea,
    Recommendation,
    Role,
    Status,
    Topic,
)
from publishing.editions import publish_edition

SEED_SLUG = "balkans-new-military-alliances"
# One brief in this many is corrected once after its release (edition 2).
CORRECTED_EVERY = 10
CORRECTION_NOTE = "A figure in the comparison table was corrected."
REAL_ACTORS = [
    ("Serbia", ActorKind.STATE, "RS"),
    ("Hungary", ActorKind.STATE, "HU"),
    ("Kosovo", ActorKind.DISPUTED_STATE, "XK"),
    ("Albania", ActorKind.STATE, "AL"),
    ("Croatia", ActorKind.STATE, "HR"),
    ("Bosnia and Herzegovina", ActorKind.STATE, "BA"),
    ("North Macedonia", ActorKind.STATE, "MK"),
    ("Montenegro", ActorKind.STATE, "ME"),
    ("Bulgaria", ActorKind.STATE, "BG"),
    ("Russia", ActorKind.STATE, "RU"),
    ("China", ActorKind.STATE, "CN"),
    ("France", ActorKind.STATE, "FR"),
    ("United States", ActorKind.STATE, "US"),
    ("NATO", ActorKind.ORGANIZATION, ""),
    ("European Union", ActorKind.ORGANIZATION, ""),
    ("OSCE", ActorKind.ORGANIZATION, ""),
    ("KFOR", ActorKind.MISSION, ""),
    ("EUFOR", ActorKind.MISSION, ""),
    ("Republika Srpska", ActorKind.SUBNATIONAL, ""),
    ("Viktor Orbán", ActorKind.PERSON, ""),
    ("Aleksandar Vučić", ActorKind.PERSON, ""),
    ("Milorad Dodik", ActorKind.PERSON, ""),
    ("Andrej Plenković", ActorKind.PERSON, ""),
]
TOPICS = [
    "Security and defense", "Regional cooperation", "EU enlargement",
    "Energy", "Rule of law", "Migration", "Economy", "Diplomacy",
    "Disinformation", "Minorities", "Arms control", "Infrastructure",
]  # fmt: skip
WORDS = (
    "alliance security cooperation regional defense integration dialogue border "
    "stability reform pact treaty exercise procurement deterrence enlargement "
    "neighbours tension confidence transparency institutions guarantee partnership"
).split()


def _paragraph(rng: random.Random, names: list[str], words: int = 70) -> str:
    out = []
    for i in range(words):
        if i % 12 == 5 and names:
            out.append(rng.choice(names))
        else:
            out.append(rng.choice(WORDS))
    return " ".join(out).capitalize() + "."


def _body(rng: random.Random, names: list[str]) -> str:
    parts = []
    for s in range(8):
        parts.append(f"## Section {s + 1}: {rng.choice(WORDS)} and {rng.choice(WORDS)}")
        parts.extend(_paragraph(rng, names) for _ in range(3))
        if s == 3:
            parts.append(
                "| Category | A | B |\n|---|---|---|\n"
                + "\n".join(f"| {w} | {rng.randint(1, 500)} | -- |" for w in WORDS[:6])
            )
    parts.append("A closing note.[^1]\n\n[^1]: Figures as published.")
    return "\n\n".join(parts)


def _seed_text() -> tuple[str, str, list[tuple[str, str]]] | None:
    from tests.site_world import seed_text

    text = seed_text()
    if text is None:
        return None
    return text.title, text.body, text.recommendations


@transaction.atomic
def generate(
    *, briefs: int = 1000, actors: int = 300, agreements: int = 200, seed: int = 1
) -> Brief:
    """Create the archive; returns the seed brief."""
    rng = random.Random(seed)
    now = timezone.now()
    # A thousand PDFs rendered in background threads would only slow this
    # down; a reader's first request renders one when asked.
    settings.EDITION_PDF_AFTER_PUBLISH = False
    if connection.vendor == "sqlite":
        # SQLite's default page cache is 2 MB: the transaction's working set
        # (a few hundred MB with the search index) would be re-read from the
        # OS on every query, which more than doubles the time to publish.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # KiB: 256 MB
    stages = tqdm(total=9, desc="generating", unit="stage", file=sys.stderr)

    topic_rows = Topic.objects.bulk_create(
        Topic(name=name, slug=slugify(name)) for name in TOPICS
    )
    institution = Institution.objects.create(name="Pupin Initiative", slug="pupin")
    people = Person.objects.bulk_create(
        Person(
            name=f"Researcher {i:03d}",
            slug=f"researcher-{i:03d}",
            affiliation=institution,
        )  # fmt: skip
        for i in range(120)
    )
    named_people = Person.objects.bulk_create(
        Person(name=name, slug=slug, affiliation=institution)
        for name, slug in (
            ("Vuk Velebit", "vuk-velebit"),
            ("Andrej Cvejanov", "andrej-cvejanov"),
            ("Petar Ivić", "petar-ivic"),
            ("Aleksa Jovanović", "aleksa-jovanovic"),
        )
    )
    stages.update()

    actor_rows = [
        Actor(
            name=name,
            slug=slugify(name),
            kind=kind,
            iso_code=iso,
            description=f"{name} in the archive.",
        )  # fmt: skip
        for name, kind, iso in REAL_ACTORS
    ]
    kinds = [ActorKind.STATE, ActorKind.ORGANIZATION, ActorKind.PERSON,
             ActorKind.INSTITUTION, ActorKind.MISSION]  # fmt: skip
    for i in range(actors - len(actor_rows)):
        actor_rows.append(
            Actor(
                name=f"Actor {i:03d}",
                slug=f"actor-{i:03d}",
                kind=kinds[i % 5],
                description="A generated actor.",
            )  # fmt: skip
        )
    all_actors = Actor.objects.bulk_create(actor_rows)
    by_name = {a.name: a for a in all_actors}
    ActorAlias.objects.bulk_create(
        ActorAlias(actor=a, alias=f"{a.name} (alias)") for a in all_actors[::3]
    )
    ActorAlias.objects.create(actor=by_name["Serbia"], alias="Belgrade")
    ActorAlias.objects.create(
        actor=by_name["European Union"], alias="EU", case_sensitive=True
    )
    organizations = [a for a in all_actors if a.kind == ActorKind.ORGANIZATION]
    states = [a for a in all_actors if a.kind == ActorKind.STATE]
    persons = [a for a in all_actors if a.kind == ActorKind.PERSON]
    memberships = set()
    for state in states:
        for org in rng.sample(organizations, 3):
            memberships.add((state.pk, org.pk))
    Membership.objects.bulk_create(
        Membership(
            member_id=m,
            organization_id=o,
            since=datetime.date(rng.randint(1990, 2020), 1, 1),
        )  # fmt: skip
        for m, o in memberships
    )
    Office.objects.bulk_create(
        Office(
            holder=p,
            title="Minister",
            of_actor=rng.choice(states),
            since=datetime.date(rng.randint(2000, 2024), 6, 1),
        )  # fmt: skip
        for p in persons
    )
    stages.update()

    agreement_rows = Agreement.objects.bulk_create(
        Agreement(
            title=f"Agreement {i:03d}",
            slug=f"agreement-{i:03d}",
            kind=rng.choice(AgreementKind.values),
            signed_on=datetime.date(2000, 1, 1) + datetime.timedelta(days=i * 40),
            signed_at="Belgrade",
            key_terms="Term one\nTerm two",
        )
        for i in range(agreements - 1)
    )
    plan = Agreement.objects.create(
        title="Serbia–Hungary defense cooperation plan",
        slug="serbia-hungary-defense-cooperation-plan",
        kind=AgreementKind.DEFENSE_COOPERATION_PLAN,
        signed_on=datetime.date(2025, 4, 1),
        signed_at="Belgrade",
    )
    agreement_rows.append(plan)
    parties = [
        AgreementParty(agreement=plan, actor=by_name["Serbia"], order=0),
        AgreementParty(agreement=plan, actor=by_name["Hungary"], order=1),
    ]
    for agreement in agreement_rows[:-1]:
        for order, actor in enumerate(rng.sample(states + organizations, 3)):
            parties.append(
                AgreementParty(agreement=agreement, actor=actor, order=order)
            )
    AgreementParty.objects.bulk_create(parties)
    stages.update()

    # A few distinct bodies rendered once each: Markdown cost is not what the
    # benchmark measures, and a page stores its own linked copy anyway.
    names = [a.name for a in all_actors[:40]]
    bodies = [_body(rng, names) for _ in range(12)]
    rendered = [render_markdown(body) for body in bodies]
    stages.update()

    brief_rows = []
    start = datetime.date(2015, 1, 1)
    for i in range(briefs - 1):
        variant = i % len(bodies)
        html, toc = rendered[variant]
        day = start + datetime.timedelta(days=int(i * 3650 / briefs))
        brief_rows.append(
            Brief(
                title=f"Generated brief {i:04d}: {rng.choice(WORDS)} in the region",
                slug=f"brief-{i:04d}",
                kind=rng.choice(BriefKind.values),
                summary=_paragraph(rng, names, 40),
                body=bodies[variant],
                body_html=html,
                toc=toc,
                status=Status.PUBLISHED,
                publication_date=day,
                published_at=now
                - datetime.timedelta(days=(datetime.date.today() - day).days),
                featured=i % 97 == 0,
            )
        )
    seed = _seed_text()
    title, body, recs = seed or (
        "New military alliances in the Balkans",
        bodies[0],
        [(f"Recommendation {n}", "Act.") for n in range(1, 7)],
    )
    html, toc = render_markdown(body)
    brief_rows.append(
        Brief(
            title=title,
            slug=SEED_SLUG,
            kind=BriefKind.POLICY_BRIEF,
            summary="Two new defense pacts split the Western Balkans into blocs.",
            body=body,
            body_html=html,
            toc=toc,
            status=Status.PUBLISHED,
            publication_date=datetime.date(2025, 5, 21),
            published_at=now - datetime.timedelta(days=30),
            featured=True,
        )
    )
    all_briefs = Brief.objects.bulk_create(brief_rows)
    seed_brief = all_briefs[-1]
    stages.update()

    through = Brief.topics.through
    through.objects.bulk_create(
        through(brief_id=b.pk, topic_id=t.pk)
        for b in all_briefs
        for t in rng.sample(topic_rows, rng.randint(1, 3))
    )
    contributions = []
    for b in all_briefs[:-1]:
        for order, person in enumerate(rng.sample(people, 3)):
            role = Role.AUTHOR if order < 2 else Role.RESEARCHER
            contributions.append(
                Contribution(brief=b, person=person, role=role, order=order)
            )
    for order, person in enumerate(named_people):
        contributions.append(
            Contribution(
                brief=seed_brief,
                person=person,
                order=order,
                role=Role.AUTHOR if order < 2 else Role.RESEARCHER,
            )  # fmt: skip
        )
    Contribution.objects.bulk_create(contributions)
    stages.update()

    seed_actor_names = ["Serbia", "Hungary", "Kosovo", "Albania", "Croatia",
                        "NATO", "European Union", "Viktor Orbán",
                        "Aleksandar Vučić", "Republika Srpska", "KFOR"]  # fmt: skip
    links = []
    for b in tqdm(all_briefs, desc="mentions", file=sys.stderr, leave=False):
        chosen = (
            [by_name[n] for n in seed_actor_names]
            if b is seed_brief
            else rng.sample(all_actors, rng.randint(20, 40))
        )
        for position, actor in enumerate(chosen):
            links.append(
                BriefActor(
                    brief=b,
                    actor=actor,
                    state=MentionState.CONFIRMED,
                    mention_count=rng.randint(1, 12),
                    first_position=position * 100,
                )  # fmt: skip
            )
    BriefActor.objects.bulk_create(links, batch_size=5000)
    BriefAgreement.objects.bulk_create(
        [BriefAgreement(brief=seed_brief, agreement=plan)]
        + [
            BriefAgreement(brief=b, agreement=a)
            for b in all_briefs[:-1]
            for a in rng.sample(agreement_rows, rng.randint(1, 4))
        ]
    )
    stages.update()

    recommendation_rows = []
    for b in all_briefs:
        texts = recs if b is seed_brief else [
            (f"Recommendation {n}", _paragraph(rng, names, 30)) for n in range(1, 6)
        ]  # fmt: skip
        for order, (rec_title, rec_body) in enumerate(texts, start=1):
            recommendation_rows.append(
                Recommendation(
                    brief=b,
                    order=order,
                    title=rec_title,
                    body=rec_body,
                    policy_area=rng.choice(PolicyArea.values),
                )  # fmt: skip
            )
    recommendation_rows = Recommendation.objects.bulk_create(
        recommendation_rows, batch_size=5000
    )
    addressees = Recommendation.addressees.through
    addressees.objects.bulk_create(
        (
            addressees(recommendation_id=r.pk, actor_id=a.pk)
            for r in recommendation_rows
            for a in rng.sample(states + organizations, rng.randint(1, 3))
        ),
        batch_size=5000,
    )
    stages.update()
    stages.close()

    _publish(all_briefs, seed_brief, bodies, now, rng)
    # Planner statistics for the bulk-loaded tables, as autovacuum would
    # gather them later: without them PostgreSQL sorts 30,000 mentions.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return seed_brief


def _publish(
    all_briefs: list[Brief],
    seed_brief: Brief,
    bodies: list[str],
    now: datetime.datetime,
    rng: random.Random,
) -> None:
    """Publish every brief's edition 1, then correct a share of them once.

    Through the pipeline the archive uses (snapshot, rendering, link rows,
    search document, related lists), so every surface reads what it would
    read in production.
    """
    for brief in tqdm(
        sorted(all_briefs, key=lambda b: (b.published_at, b.pk)),
        desc="publishing editions",
        file=sys.stderr,
    ):
        publish_edition(brief=brief, released_at=brief.published_at)

    # The corrected text: one sentence added to the table's section, rendered
    # once per body variant.
    corrected = {}
    for body in bodies:
        text = body.replace("| Category |", "Figures revised.\n\n| Category |", 1)
        corrected[body] = (text, *render_markdown(text))
    # Only briefs old enough for a correction a week later to be public now.
    candidates = [
        b
        for b in all_briefs
        if b is not seed_brief and b.published_at < now - datetime.timedelta(days=8)
    ]
    chosen = rng.sample(candidates, len(all_briefs) // CORRECTED_EVERY)
    for brief in tqdm(
        sorted(chosen, key=lambda b: (b.published_at, b.pk)),
        desc="corrections",
        file=sys.stderr,
    ):
        text, html, toc = corrected[brief.body]
        released_at = brief.published_at + datetime.timedelta(days=7)
        Brief.objects.filter(pk=brief.pk).update(body=text, body_html=html, toc=toc)
        # Brief.version counts corrections, as the editorial workflow records them.
        Correction.objects.create(
            brief=brief,
            published_on=timezone.localdate(released_at),
            note=CORRECTION_NOTE,
        )
        publish_edition(brief=brief, released_at=released_at, note=CORRECTION_NOTE)


if __name__ == "__main__":
    import django

    django.setup()
    generate()
