"""Plain factory functions for test data: unique-by-default, override anything."""

import contextlib
import datetime
import functools
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from django.utils import timezone

from actors.models import (
    Actor,
    ActorAlias,
    ActorKind,
    Agreement,
    AgreementKind,
    AgreementParty,
    Indicator,
    Membership,
)
from briefs.hooks import public_record
from briefs.models import (
    Brief,
    BriefActor,
    BriefAgreement,
    Contribution,
    Institution,
    Person,
    Recommendation,
    Role,
    Status,
    Topic,
)
from kernel import changes
from publishing.editions import publish_edition

_counter = itertools.count(1)


def committed(factory):
    """Each factory call acts as its own committed write.

    Tests run inside a transaction that never commits, so the after-commit
    step (kernel/changes.py: search indexes of actors and people, prepared
    actor pages, the cache-generation bump) would never run for test data.
    A factory call runs it for what it recorded, as a commit would.
    """

    @functools.wraps(factory)
    def wrapper(*args, **kwargs):
        with commit():
            return factory(*args, **kwargs)

    return wrapper


@contextlib.contextmanager
def commit():
    """Run the after-commit step for the writes in the block (see `committed`).

    What the test wrote before the block is taken as committed first, so the
    block's changes are acted on by a callback of its own.
    """
    earlier = changes.pending()
    if earlier is not None:
        earlier()
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        yield callbacks


def _n() -> int:
    return next(_counter)


@committed
def make_actor(*, aliases=(), **overrides) -> Actor:
    """`aliases`: strings, or (alias, case_sensitive) pairs."""
    n = _n()
    fields = {"name": f"Actor {n}", "slug": f"actor-{n}", "kind": ActorKind.STATE}
    fields.update(overrides)
    actor = Actor.objects.create(**fields)
    for alias in aliases:
        text, case_sensitive = (alias, False) if isinstance(alias, str) else alias
        ActorAlias.objects.create(
            actor=actor, alias=text, case_sensitive=case_sensitive
        )
    return actor


@committed
def make_indicator(actor: Actor, metric: str, value=None, **overrides) -> Indicator:
    """A figure (None: an explicit unknown), year 2025 unless said otherwise."""
    fields = {
        "actor": actor,
        "metric": metric,
        "value": value,
        "unit": "",
        "year": 2025,
        "source": f"Source {_n()}",
    }
    fields.update(overrides)
    return Indicator.objects.create(**fields)


def make_blocs() -> dict[str, Actor]:
    """The seed's two blocs with tank and aircraft figures (as the demo has)."""
    actors = {
        slug: make_actor(name=slug.title(), slug=slug)
        for slug in ("serbia", "hungary", "albania", "croatia", "kosovo")
    }
    survey = {"source": "Survey", "source_url": "https://example.org/survey"}
    for slug, low, high in (
        ("serbia", 250, 300),
        ("hungary", 44, None),
        ("albania", 40, None),
        ("croatia", 75, None),
        ("kosovo", 0, None),
    ):
        make_indicator(
            actors[slug],
            "main_battle_tanks",
            low,
            value_max=high,
            unit="tanks",
            **survey,
        )
    make_indicator(
        actors["serbia"],
        "combat_aircraft",
        12,
        unit="aircraft",
        status="ordered",
        status_year=2024,
        **survey,
    )
    make_indicator(actors["hungary"], "combat_aircraft", 14, unit="aircraft", **survey)
    make_indicator(actors["kosovo"], "active_troops", None, unit="troops", **survey)
    return actors


@committed
def make_membership(member: Actor, organization: Actor, **overrides) -> Membership:
    return Membership.objects.create(
        member=member, organization=organization, **overrides
    )


@committed
def make_agreement(*, parties=(), **overrides) -> Agreement:
    n = _n()
    fields = {
        "title": f"Agreement {n}",
        "slug": f"agreement-{n}",
        "kind": AgreementKind.JOINT_DECLARATION,
        "signed_on": datetime.date(2025, 3, 18),
    }
    fields.update(overrides)
    agreement = Agreement.objects.create(**fields)
    for order, actor in enumerate(parties):
        AgreementParty.objects.create(agreement=agreement, actor=actor, order=order)
    return agreement


@committed
def make_institution(**overrides) -> Institution:
    n = _n()
    fields = {"name": f"Institute {n}", "slug": f"institute-{n}"}
    fields.update(overrides)
    return Institution.objects.create(**fields)


@committed
def make_person(**overrides) -> Person:
    n = _n()
    fields = {"name": f"Person {n}", "slug": f"person-{n}"}
    fields.update(overrides)
    return Person.objects.create(**fields)


@committed
def make_topic(**overrides) -> Topic:
    n = _n()
    fields = {"name": f"Topic {n}", "slug": f"topic-{n}"}
    fields.update(overrides)
    return Topic.objects.create(**fields)


@committed
def make_brief(
    *,
    authors=(),
    researchers=(),
    translators=(),
    actors=(),
    agreements=(),
    topics=(),
    recommendations=0,
    edition=True,
    **overrides,
) -> Brief:
    """A published brief (with its edition) unless `status` says otherwise.

    `edition=False` leaves a published brief without its edition, for a test
    that adds parts first and then calls `publish(brief)`.
    """
    n = _n()
    fields = {
        "title": f"Brief {n}",
        "slug": f"brief-{n}",
        "summary": f"Summary of brief {n}.",
        "body": f"## Section {n}\n\nBody text of brief {n}.",
        "status": Status.PUBLISHED,
        "publication_date": datetime.date(2025, 5, 21),
        "published_at": timezone.now() - datetime.timedelta(days=1),
    }
    fields.update(overrides)
    if fields["status"] != Status.PUBLISHED and "published_at" not in overrides:
        fields["published_at"] = None
    brief = Brief.objects.create(**fields)
    order = itertools.count()
    for person in authors:
        Contribution.objects.create(
            brief=brief, person=person, role=Role.AUTHOR, order=next(order)
        )
    for person in researchers:
        Contribution.objects.create(
            brief=brief, person=person, role=Role.RESEARCHER, order=next(order)
        )
    for person in translators:
        Contribution.objects.create(
            brief=brief, person=person, role=Role.TRANSLATOR, order=next(order)
        )
    for actor in actors:
        BriefActor.objects.create(brief=brief, actor=actor)
    for agreement in agreements:
        BriefAgreement.objects.create(brief=brief, agreement=agreement)
    brief.topics.set(topics)
    for i in range(1, recommendations + 1):
        Recommendation.objects.create(
            brief=brief, order=i, title=f"Recommendation {i}", body=f"Do thing {i}."
        )
    if edition and brief.published_at is not None and brief.draft_of_id is None:
        # Whatever happened to it since, it was published once: it has an
        # edition, which follows it into withdrawal or the trash.
        if brief.status in (Status.PUBLISHED, Status.WITHDRAWN):
            publish(brief)
        if brief.status == Status.WITHDRAWN:
            public_record().withdrawn(brief=brief)
        if brief.deleted_at is not None:
            public_record().trashed(brief=brief, trashed=True)
    return brief


@committed
def publish(brief: Brief, *, at=None, note: str = ""):
    """Publish the brief's content as it is now: edition 1, or the next one.

    What the workflow's publish does after its checks (publishing/editions.py).
    """
    return publish_edition(
        brief=brief, released_at=at or brief.published_at or timezone.now(), note=note
    )


def make_user(*, role: str | None = None, **overrides):
    """A staff user, in the editorial group `role` (Contributor, Editor, Publisher).

    The groups come from the migration briefs/0003_editorial_groups.
    """
    n = _n()
    fields = {
        "username": f"user{n}",
        "email": f"user{n}@example.org",
        "is_staff": True,
        "password": "x",
    }
    fields.update(overrides)
    user = get_user_model().objects.create_user(**fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@committed
def make_assessment(
    recommendation: Recommendation,
    *,
    status: str = "in_progress",
    assessed_on: datetime.date = datetime.date(2026, 3, 1),
    justification: str = "Talks have started.",
    published: bool = True,
    sources=(("https://example.org/report", "A report", datetime.date(2026, 2, 1)),),
    user=None,
):
    """An assessment of `recommendation` (keyed to its brief and key),
    published unless `published=False`, with its evidence sources."""
    from briefs.models import Assessment, AssessmentSource, AssessmentState

    assessment = Assessment.objects.create(
        brief_id=recommendation.brief.draft_of_id or recommendation.brief_id,
        recommendation_key=recommendation.key,
        status=status,
        assessed_on=assessed_on,
        justification=justification,
        state=AssessmentState.PUBLISHED if published else AssessmentState.DRAFT,
        published_at=timezone.now() if published else None,
        created_by=user,
    )
    for order, (url, title, day) in enumerate(sources):
        AssessmentSource.objects.create(
            assessment=assessment, url=url, title=title, published_on=day, order=order
        )
    if published:
        changes.changed("assessment", [assessment.brief_id])
    return assessment
