"""Which models are indexed, and what their search documents hold."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from archive.search.text import fold, markdown_to_text


@dataclass(frozen=True)
class Document:
    """What the index holds for one object; every text already folded."""

    pk: int
    title: str
    summary: str = ""
    body: str = ""
    more: str = ""
    names: str = ""
    published_at: Any = None

    @classmethod
    def make(cls, pk: int, published_at: Any = None, **texts: str) -> Document:
        return cls(
            pk, published_at=published_at, **{k: fold(v) for k, v in texts.items()}
        )


@dataclass(frozen=True)
class SearchIndex:
    """One indexed model: its table and how to turn objects into documents."""

    label: str  # "briefs.Brief"
    table: str
    queryset: Callable[[], QuerySet]  # objects that belong in the index
    document: Callable[[Any], Document]
    has_published_at: bool = False
    # The public gate every search result passes, whatever queryset a caller
    # hands in (briefs: `published()`).
    gate: Callable[[QuerySet], QuerySet] | None = None
    # Large enough (thousands of long documents) that PostgreSQL must be kept
    # from scanning every TOASTed vector; see PostgresEngine.ranked_ids.
    large: bool = False

    def public(self, queryset: QuerySet) -> QuerySet:
        return self.gate(queryset) if self.gate else queryset

    @property
    def model(self) -> type:
        from django.apps import apps

        return apps.get_model(self.label)


def _brief_queryset() -> QuerySet:
    from django.db.models import Prefetch

    from briefs.models import Brief, BriefActor, Contribution, MentionState, Status

    return Brief.objects.filter(
        status=Status.PUBLISHED, published_at__isnull=False, deleted_at__isnull=True
    ).prefetch_related(
        Prefetch(
            "contributions",
            queryset=Contribution.objects.select_related(
                "person", "person__affiliation"
            ),
        ),
        Prefetch(
            "actor_links",
            queryset=BriefActor.objects.filter(
                state=MentionState.CONFIRMED
            ).select_related("actor"),
            to_attr="confirmed_links",
        ),
        "agreement_links__agreement",
        "recommendations",
        "topics",
    )


def _brief_document(brief: Any) -> Document:
    recommendations = " \n".join(
        f"{r.title}. {r.body}" for r in brief.recommendations.all()
    )
    names = [c.person.name for c in brief.contributions.all()]
    names += [link.actor.name for link in getattr(brief, "confirmed_links", [])]
    names += [link.agreement.title for link in brief.agreement_links.all()]
    names += [t.name for t in brief.topics.all()]
    return Document.make(
        brief.pk,
        published_at=brief.published_at,
        title=brief.title,
        summary=brief.summary,
        body=markdown_to_text(brief.body),
        more=markdown_to_text(recommendations),
        names=" \n".join(names),
    )


def _actor_queryset() -> QuerySet:
    from actors.models import Actor

    return Actor.objects.prefetch_related("aliases")


def _actor_document(actor: Any) -> Document:
    return Document.make(
        actor.pk,
        title=actor.name,
        summary=" \n".join(a.alias for a in actor.aliases.all()),
        body=actor.description,
        more=actor.status_note,
    )


def _agreement_queryset() -> QuerySet:
    from actors.models import Agreement

    return Agreement.objects.prefetch_related("parties__actor", "parties__signatory")


def _agreement_document(agreement: Any) -> Document:
    parties = agreement.parties.all()
    names = [p.actor.name for p in parties]
    names += [p.signatory.name for p in parties if p.signatory_id]
    return Document.make(
        agreement.pk,
        title=agreement.title,
        summary=" \n".join(names),
        body=agreement.summary,
        more=agreement.key_terms,
        names=agreement.signed_at,
    )


def _person_queryset() -> QuerySet:
    from briefs.models import Person

    return Person.objects.select_related("affiliation")


def _person_document(person: Any) -> Document:
    affiliation = person.affiliation
    return Document.make(
        person.pk,
        title=person.name,
        summary=f"{affiliation.name} {affiliation.local_name}" if affiliation else "",
        body=person.bio,
    )


BRIEFS = SearchIndex(
    "briefs.Brief",
    "briefs_brief_search",
    _brief_queryset,
    _brief_document,
    has_published_at=True,
    gate=lambda queryset: queryset.published(),
    large=True,
)
ACTORS = SearchIndex(
    "actors.Actor", "actors_actor_search", _actor_queryset, _actor_document
)
AGREEMENTS = SearchIndex(
    "actors.Agreement",
    "actors_agreement_search",
    _agreement_queryset,
    _agreement_document,
)
PEOPLE = SearchIndex(
    "briefs.Person", "briefs_person_search", _person_queryset, _person_document
)
INDEXES = (BRIEFS, ACTORS, AGREEMENTS, PEOPLE)


def index_for(model: type) -> SearchIndex | None:
    label = model._meta.label
    return next((index for index in INDEXES if index.label == label), None)
