"""A brief's public page, prepared once per version rather than once per request.

The brief page shows eight relations (contributors, topics, actors, agreements,
recommendations and their addressees, corrections, aliases for linking). Reading
and rendering them on every request would cost a dozen queries and most of the
CPU budget, so `refresh_brief_page` renders the article, the `<head>` metadata
and the list card into fields on the brief. A request then reads one row.

What keeps them honest:
- `Brief.page_version` is bumped by `publishing/signals.py` whenever the brief or
  anything its page shows changes (a contributor added, an actor renamed, an
  alias added, a recommendation edited...). The fragments are current only while
  `rendered_version == page_version`; `ensure_brief_pages` re-renders stale ones
  the next time a page needs them.
- Storing is a compare-and-set on `page_version`, so a render that raced with an
  edit is thrown away instead of overwriting the newer invalidation.
- Related briefs are prepared as a ranked list of candidate ids
  (`related_candidates`); each request keeps the ones `published()` lets
  through (one query), so a withdrawn or trashed brief vanishes from every
  related block at once. Publishing a brief re-prepares its closest neighbours
  (publishing/signals.py) so that it joins their related blocks too.
"""

import datetime
import html
import json
from collections.abc import Iterable

from django.conf import settings
from django.db import models, transaction
from django.db.models import (
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor, ActorKind, AgreementParty, Membership, Office
from briefs.models import (
    Brief,
    BriefActor,
    BriefAgreement,
    Contribution,
    MentionState,
    Recommendation,
    RelatedCandidate,
    Role,
    Status,
)
from publishing.compiled import CompiledQuery
from publishing.rendering import absolute_url, json_ld, link_first_mentions

# The columns a brief page or card needs; everything else (the Markdown source,
# the unlinked HTML) stays in the database.
PAGE_FIELDS = (
    "id",
    "slug",
    "title",
    "language",
    "page_version",
    "rendered_version",
    "rendered_head",
    "rendered_article",
    "related_items",
)
CARD_FIELDS = ("id", "slug", "page_version", "rendered_version", "rendered_card")


def load_brief_for_page(pk: int) -> Brief:
    """The brief with every relation its page shows, in a fixed number of queries."""
    return (
        Brief.objects.select_related(None)
        .prefetch_related(
            models.Prefetch(
                "contributions",
                queryset=Contribution.objects.select_related(
                    "person", "person__affiliation"
                ).order_by("order", "id"),
            ),
            "topics",
            models.Prefetch(
                "actor_links",
                queryset=BriefActor.objects.filter(state=MentionState.CONFIRMED)
                .select_related("actor")
                .prefetch_related("actor__aliases")
                .order_by("first_position", "actor__name"),
                to_attr="confirmed_links",
            ),
            models.Prefetch(
                "agreement_links",
                queryset=BriefAgreement.objects.select_related("agreement").order_by(
                    "-agreement__signed_on", "agreement__title"
                ),
            ),
            models.Prefetch(
                "recommendations",
                queryset=Recommendation.objects.prefetch_related(
                    models.Prefetch(
                        "addressees", queryset=Actor.objects.order_by("name")
                    )
                ).order_by("order"),
            ),
            "corrections",
        )
        .get(pk=pk)
    )


def _json_ld_for_brief(brief: Brief, authors: list[Contribution], url: str) -> dict:
    publisher = {
        "@type": "Organization",
        "name": settings.PUBLISHER["name"],
        "url": absolute_url("/"),
    }
    data = {
        "@context": "https://schema.org",
        "@type": "Report",
        "headline": brief.title,
        "name": brief.title,
        "url": url,
        "inLanguage": brief.language,
        "publisher": publisher,
        "author": [
            {
                "@type": "Person",
                "name": c.person.name,
                "url": absolute_url(c.person.get_absolute_url()),
                **({"sameAs": c.person.orcid_url} if c.person.orcid else {}),
            }
            for c in authors
        ],
        "about": [
            {
                "@type": "Thing",
                "name": link.actor.name,
                "url": absolute_url(link.actor.get_absolute_url()),
            }
            for link in brief.confirmed_links
        ],
        "dateModified": brief.updated_at.isoformat(),
    }
    if brief.publication_date:
        data["datePublished"] = brief.publication_date.isoformat()
    elif brief.published_at:
        data["datePublished"] = brief.published_at.date().isoformat()
    if brief.summary:
        data["abstract"] = brief.summary
        data["description"] = brief.summary
    if brief.licence_url:
        data["license"] = brief.licence_url
    if brief.doi:
        data["identifier"] = f"https://doi.org/{brief.doi}"
    return data


def render_brief_fragments(brief: Brief) -> dict:
    """Render the article, the head metadata and the card for a fully loaded brief."""
    contributions = list(brief.contributions.all())
    authors = [c for c in contributions if c.role == Role.AUTHOR]
    credits: list[tuple[str, list[Contribution]]] = []
    for role in Role:
        people = [c for c in contributions if c.role == role]
        if people:
            label = role.label + ("s" if len(people) > 1 else "")
            credits.append((label, people))
    actors = [link.actor for link in brief.confirmed_links]
    agreements = [link.agreement for link in brief.agreement_links.all()]
    topics = list(brief.topics.all())
    url = absolute_url(brief.get_absolute_url())
    date = brief.publication_date or (
        brief.published_at.date() if brief.published_at else None
    )
    context = {
        "brief": brief,
        "date": date,
        "credits": credits,
        "authors": authors,
        "topics": topics,
        "actors": actors,
        "agreements": agreements,
        "recommendations": list(brief.recommendations.all()),
        "corrections": list(brief.corrections.all()),
        "body_html": link_first_mentions(brief.body_html, actors),
        "canonical_url": url,
        "publisher": settings.PUBLISHER,
        "json_ld": json_ld(_json_ld_for_brief(brief, authors, url)),
        "description": brief.summary or brief.title,
        "site_url": settings.SITE_URL,
    }
    return {
        "rendered_article": render_to_string("briefs/_brief_article.html", context),
        "rendered_head": render_to_string("briefs/_brief_head.html", context),
        "rendered_card": render_to_string("briefs/_brief_card.html", context),
        **prepare_related(brief),
    }


def refresh_brief_page(*, brief_id: int) -> bool:
    """Render a brief's page fragments and store them unless an edit intervened.

    Returns False when the brief changed while rendering (the stored version
    moved on); the next request renders again. No transaction is needed: the
    compare-and-set on `page_version` is the guard.
    """
    version = (
        Brief.objects.filter(pk=brief_id).values_list("page_version", flat=True).first()
    )
    if version is None:
        return False
    brief = load_brief_for_page(brief_id)
    fragments = render_brief_fragments(brief)
    with transaction.atomic():
        stored = Brief.objects.filter(pk=brief_id, page_version=version).update(
            rendered_version=version, **fragments
        )
        if stored:
            RelatedCandidate.objects.filter(brief_id=brief_id).delete()
            RelatedCandidate.objects.bulk_create(
                RelatedCandidate(brief_id=brief_id, other_id=pk)
                for pk, _ in fragments["related_items"]
            )
    return bool(stored)


def ensure_brief_pages(briefs: Iterable[Brief]) -> None:
    """Bring stale fragments of these (already loaded) briefs up to date in place.

    Costs nothing when every page is current, which is the steady state: pages
    are rendered once after each change, on first view.
    """
    for brief in briefs:
        if brief.page_is_current:
            continue
        refresh_brief_page(brief_id=brief.pk)
        # Which candidates are public was read for the old version: ask again.
        brief.__dict__.pop("public_related", None)
        fresh = Brief.objects.only(*PAGE_FIELDS, "rendered_card").get(pk=brief.pk)
        for field in (*PAGE_FIELDS, "rendered_card"):
            setattr(brief, field, getattr(fresh, field))


def invalidate_brief_pages(brief_ids: Iterable[int] | models.QuerySet) -> int:
    """Mark these briefs' prepared pages stale (one UPDATE; no rendering)."""
    return Brief.objects.filter(pk__in=brief_ids).update(
        page_version=F("page_version") + 1
    )


RELATED_CANDIDATES = 20


def related_candidates(
    *,
    brief_id: int,
    actor_ids: list[int],
    agreement_ids: list[int],
    topic_ids: list[int],
) -> list[int]:
    """Ids of the briefs sharing the most confirmed actors, agreements and topics.

    Ranked by the number of shared keys, then newest first; computed when the
    page is prepared (three GROUP BY queries), not per request. Candidates are
    briefs released or scheduled for release and not trashed: a scheduled brief
    joins related blocks on its release day without re-preparing anything,
    because each request keeps only the candidates `published()` lets through.
    """
    releasable = Brief.objects.filter(
        status=Status.PUBLISHED, deleted_at__isnull=True
    ).exclude(pk=brief_id)
    scores: dict[int, int] = {}
    for model, field, ids, extra in (
        (BriefActor, "actor_id", actor_ids, {"state": MentionState.CONFIRMED}),
        (BriefAgreement, "agreement_id", agreement_ids, {}),
        (Brief.topics.through, "topic_id", topic_ids, {}),
    ):
        if not ids:
            continue
        rows = (
            model.objects.filter(
                **{f"{field}__in": ids}, brief__in=releasable.values("pk"), **extra
            )
            .order_by()
            .values_list("brief_id")
            .annotate(n=Count("*"))
        )
        for candidate, n in rows:
            scores[candidate] = scores.get(candidate, 0) + n
    if not scores:
        return []
    dates = dict(
        Brief.objects.filter(pk__in=list(scores)).values_list("pk", "publication_date")
    )
    oldest = datetime.date.min
    ranked = sorted(
        scores, key=lambda pk: (-scores[pk], -(dates[pk] or oldest).toordinal(), pk)
    )
    return ranked[:RELATED_CANDIDATES]


def prepare_related(brief: Brief) -> dict:
    """The related-brief candidates of a loaded brief, with their list items."""
    candidates = related_candidates(
        brief_id=brief.pk,
        actor_ids=[link.actor_id for link in brief.confirmed_links],
        agreement_ids=[link.agreement_id for link in brief.agreement_links.all()],
        topic_ids=[topic.pk for topic in brief.topics.all()],
    )
    rows = Brief.objects.only("id", "slug", "title", "publication_date").in_bulk(
        candidates
    )
    items = [
        [pk, render_to_string("briefs/_related_item.html", {"other": rows[pk]})]
        for pk in candidates
    ]
    return {"related_items": items}


def _public_brief_query(slug: str, at: datetime.datetime) -> models.QuerySet:
    """The brief page's one query: the public brief and its public candidates.

    `public_related` lists, comma-separated, the prepared related candidates
    that `published()` lets through right now.
    """
    public_candidates = (
        RelatedCandidate.objects.filter(
            brief=OuterRef("pk"),
            other__in=Brief.objects.published(at=at).values("pk"),
        )
        .order_by()
        .values("brief")
        .annotate(ids=StringAgg(Cast("other_id", CharField()), Value(",")))
        .values("ids")
    )
    return (
        Brief.objects.published(at=at)
        .filter(slug=slug)
        .annotate(public_related=Subquery(public_candidates))
        .order_by()
        .values_list(*PAGE_FIELDS, "public_related")[:1]
    )


# Compiled once per process (publishing/compiled.py): building this SQL costs more
# CPU than the page's whole budget.
_public_brief_row = CompiledQuery(
    _public_brief_query,
    slug="\x00slug-sentinel",
    at=CompiledQuery.time_sentinel(),
)


def public_brief(slug: str) -> Brief | None:
    """The public brief at `slug` with its prepared page fields, or None.

    `brief.public_related` holds the ids of its related candidates that are
    public now, for `related_briefs`.
    """
    rows = _public_brief_row(slug=slug, at=timezone.now())
    if not rows:
        return None
    *values, public_related = rows[0]
    brief = Brief(**dict(zip(PAGE_FIELDS, values, strict=True)))
    if isinstance(brief.related_items, str):  # JSON arrives as text from a cursor
        brief.related_items = json.loads(brief.related_items)
    brief.public_related = {int(pk) for pk in (public_related or "").split(",") if pk}
    return brief


def related_briefs(brief: Brief, limit: int = 5) -> list[str]:
    """List items of the public briefs among the prepared candidates.

    Which candidates are public is asked in the brief's own query (through
    `published()`), so a withdrawn or trashed brief leaves every related block
    at once, whatever was prepared. A brief loaded by other means (stale page
    just re-prepared) asks with one query.
    """
    items = brief.related_items or []
    if not items:
        return []
    public = getattr(brief, "public_related", None)
    if public is None or not brief.page_is_current:
        public = set(
            Brief.objects.published()
            .filter(pk__in=[pk for pk, _ in items])
            .values_list("pk", flat=True)
        )
    return [item for pk, item in items if pk in public][:limit]


# --- Actor pages ------------------------------------------------------------------
# Prepared like brief pages: everything but the public briefs and the public
# recommendations, which are read per request with two compiled queries.

ACTOR_FIELDS = (
    "id",
    "slug",
    "name",
    "page_version",
    "rendered_version",
    "rendered_head",
    "rendered_parts",
)
# Markers in the prepared content where the per-request lists go.
_BRIEFS_MARK = "\x00briefs\x00"
_RECOMMENDATIONS_MARK = "\x00recommendations\x00"
# How many briefs and recommendations an actor's page lists; the filtered
# lists it links to have the rest.
ACTOR_PREVIEW = 20


def actor_json_ld(actor: Actor, aliases: list[str]) -> dict:
    schema_type = {
        ActorKind.STATE: "Country",
        ActorKind.DISPUTED_STATE: "Country",
        ActorKind.PERSON: "Person",
        ActorKind.SUBNATIONAL: "AdministrativeArea",
    }.get(actor.kind, "Organization")
    data = {
        "@context": "https://schema.org",
        "@type": schema_type,
        "name": actor.name,
        "url": absolute_url(actor.get_absolute_url()),
    }
    if aliases:
        data["alternateName"] = aliases
    if actor.description:
        data["description"] = actor.description
    return data


def render_actor_fragments(actor: Actor) -> dict:
    """The prepared head and content parts of an actor's page (a few queries)."""
    aliases = [alias.alias for alias in actor.aliases.all()]
    memberships = list(
        Membership.objects.filter(Q(member=actor) | Q(organization=actor))
        .select_related("member", "organization")
        .order_by("organization__name", "member__name", "since")
    )
    offices = list(
        Office.objects.filter(Q(holder=actor) | Q(of_actor=actor))
        .select_related("holder", "of_actor")
        .order_by("-since", "title")
    )
    parties = list(
        AgreementParty.objects.filter(actor=actor)
        .select_related("agreement")
        .order_by("-agreement__signed_on", "agreement__title")
    )
    context = {
        "actor": actor,
        "aliases": aliases,
        "memberships": memberships,
        "offices": offices,
        "parties": parties,
        "publisher": settings.PUBLISHER,
        "canonical_url": absolute_url(actor.get_absolute_url()),
        "json_ld": json_ld(actor_json_ld(actor, aliases)),
        "meta": {
            "title": actor.name,
            "description": actor.description[:200]
            or f"{actor.name}: agreements, briefs and recommendations.",
        },
        "briefs_marker": _BRIEFS_MARK,
        "recommendations_marker": _RECOMMENDATIONS_MARK,
    }
    content = render_to_string("actors/_actor_page.html", context)
    first, rest = content.split(_BRIEFS_MARK)
    second, third = rest.split(_RECOMMENDATIONS_MARK)
    return {
        "rendered_head": render_to_string("actors/_actor_head.html", context),
        "rendered_parts": [first, second, third],
    }


def refresh_actor_page(*, actor_id: int) -> bool:
    """Prepare an actor's page unless it changed meanwhile (compare-and-set)."""
    version = (
        Actor.objects.filter(pk=actor_id).values_list("page_version", flat=True).first()
    )
    if version is None:
        return False
    actor = Actor.objects.prefetch_related("aliases").get(pk=actor_id)
    fragments = render_actor_fragments(actor)
    return bool(
        Actor.objects.filter(pk=actor_id, page_version=version).update(
            rendered_version=version, **fragments
        )
    )


def ensure_actor_page(actor: "Actor | PreparedActor") -> None:
    if actor.page_is_current:
        return
    refresh_actor_page(actor_id=actor.pk)
    fresh = Actor.objects.only(*ACTOR_FIELDS).get(pk=actor.pk)
    for name in ACTOR_FIELDS:
        setattr(actor, name, getattr(fresh, name))


def invalidate_actor_pages(actor_ids: Iterable[int] | models.QuerySet) -> int:
    return Actor.objects.filter(pk__in=actor_ids).update(
        page_version=F("page_version") + 1
    )


_actor_row = CompiledQuery(
    lambda slug: (
        Actor.objects.filter(slug=slug).order_by().values_list(*ACTOR_FIELDS)[:1]
    ),
    slug="\x00slug-sentinel",
)
_actor_briefs = CompiledQuery(
    lambda actor_id, at: (
        Brief.objects.published(at=at)
        .filter(
            pk__in=BriefActor.objects.filter(
                actor_id=actor_id, state=MentionState.CONFIRMED
            ).values("brief_id")
        )
        .order_by("-publication_date", "-published_at", "title")
        .values_list(*CARD_FIELDS)[:ACTOR_PREVIEW]
    ),
    actor_id=-(10**12),
    at=CompiledQuery.time_sentinel(),
)
_actor_recommendations = CompiledQuery(
    lambda actor_id, at: (
        Recommendation.objects.filter(
            addressees=actor_id, brief__in=Brief.objects.published(at=at).values("pk")
        )
        .order_by("-brief__publication_date", "brief__title", "order")
        .values_list("order", "title", "brief__slug", "brief__title")[:ACTOR_PREVIEW]
    ),
    actor_id=-(10**12),
    at=CompiledQuery.time_sentinel(),
)


class PreparedActor:
    """The prepared columns of an actor's row; cheaper than a model instance."""

    __slots__ = ACTOR_FIELDS

    def __init__(self, row: tuple) -> None:
        for name, value in zip(ACTOR_FIELDS, row, strict=True):
            setattr(self, name, value)
        if isinstance(self.rendered_parts, str):  # JSON arrives as text
            self.rendered_parts = json.loads(self.rendered_parts)

    @property
    def pk(self) -> int:
        return self.id

    @property
    def page_is_current(self) -> bool:
        return self.rendered_version == self.page_version


def public_actor(slug: str) -> PreparedActor | None:
    rows = _actor_row(slug=slug)
    return PreparedActor(rows[0]) if rows else None


def actor_brief_cards(actor_id: int) -> str:
    """Cards of the latest public briefs that discuss the actor (one query)."""
    rows = _actor_briefs(actor_id=actor_id, at=timezone.now())
    if not rows:
        return "<p>No published brief discusses it yet.</p>"
    return _join_cards(rows)


# How many cards the first page of the brief list shows (BriefListView.paginate_by).
LIST_PAGE_SIZE = 20
_latest_briefs = CompiledQuery(
    lambda at: (
        Brief.objects.published(at=at)
        .order_by(*Brief._meta.ordering)
        .values_list(*CARD_FIELDS)[:LIST_PAGE_SIZE]
    ),
    at=CompiledQuery.time_sentinel(),
)


def latest_brief_cards() -> str:
    """Cards of the newest public briefs: the unfiltered list's first page."""
    return _join_cards(_latest_briefs(at=timezone.now()))


def _join_cards(rows: list[tuple]) -> str:
    """The prepared cards of CARD_FIELDS rows, preparing any stale one first."""
    cards = []
    for pk, _, page_version, rendered_version, card in rows:  # CARD_FIELDS
        if page_version != rendered_version:  # stale: prepare it now (rare)
            refresh_brief_page(brief_id=pk)
            card = Brief.objects.values_list("rendered_card", flat=True).get(pk=pk)
        cards.append(card)
    return "".join(cards)


_brief_url_template: list[str] = []


def _brief_url(slug: str) -> str:
    # reverse() once per process: slugs are [-a-zA-Z0-9_], safe in a URL path.
    if not _brief_url_template:
        _brief_url_template.append(
            reverse("briefs:detail", kwargs={"slug": "SLUG-PLACEHOLDER"})
        )
    return _brief_url_template[0].replace("SLUG-PLACEHOLDER", slug)


def actor_recommendation_items(actor_id: int) -> str:
    """The latest public recommendations addressed to the actor (one query)."""
    rows = _actor_recommendations(actor_id=actor_id, at=timezone.now())
    if not rows:
        return "<p>None yet.</p>"
    items = "".join(
        f'<li><a href="{_brief_url(slug)}#recommendation-{order}">'
        f'{html.escape(title)}</a> <span class="meta">in {html.escape(brief_title)}'
        "</span></li>"
        for order, title, slug, brief_title in rows
    )
    return f"<ul>{items}</ul>"
