"""Prepared parts of public pages that are not editions: actor pages, brief cards.

A brief's page, card and related-list line are parts of its editions
(publishing/editions.py), rendered once at publication; lists join the
current editions' stored cards.

Actor pages show the reference layer as it is now (aliases, memberships,
offices, agreements), so they are prepared from the working records: after
each commit that changed an actor or what its page shows, by the after-commit
step (kernel/changes.py, publishing/changes.py, `prepare_actor_pages`). A GET
never writes: a page not prepared yet (the step has not run, or failed) is
rendered for that request only.
"""

import html
import json
from collections.abc import Iterable

from django.conf import settings
from django.db.models import F, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor, ActorKind, AgreementParty, Membership, Office
from briefs.models import Brief, Recommendation
from publishing.compiled import CompiledQuery
from publishing.models import Edition
from publishing.rendering import absolute_url, json_ld

# What a brief card needs of the brief; the card itself is its current
# edition's `card_html` (`ensure_brief_pages` puts it on the brief as
# `rendered_card`).
CARD_FIELDS = ("id", "slug")
PAGE_FIELDS = ("id", "slug", "title", "language")


def current_card(brief: str = "pk") -> Subquery:
    """The current edition's card, to annotate briefs with (`rendered_card`)."""
    return Subquery(
        Edition.objects.filter(brief=OuterRef(brief), is_current=True).values(
            "card_html"
        )[:1]
    )


def ensure_brief_pages(briefs: Iterable[Brief]) -> None:
    """Give each (public) brief its current edition's card, as `rendered_card`.

    At most one query, none when the briefs were annotated with
    `current_card()`. A brief without a current edition (cannot be public)
    gets an empty card.
    """
    # Markers standing in for cards (the prepared list) have no pk: skip them.
    briefs = [
        brief
        for brief in briefs
        if isinstance(brief, Brief) and "rendered_card" not in brief.__dict__
    ]
    if not briefs:
        return
    cards = dict(
        Edition.objects.filter(
            brief_id__in=[b.pk for b in briefs], is_current=True
        ).values_list("brief_id", "card_html")
    )
    for brief in briefs:
        brief.rendered_card = cards.get(brief.pk, "")


# --- Actor pages ------------------------------------------------------------------
# Prepared at write time: everything but the public briefs and the public
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


def prepare_actor_pages(actor_ids: Iterable[int]) -> int:
    """Prepare these actors' pages again from committed data (after commit).

    The version moves first, so a preparation that raced with a later one
    (which read newer data) loses the compare-and-set instead of storing an
    older page over a newer one. Returns how many pages were stored.
    """
    ids = list(
        Actor.objects.filter(pk__in=list(actor_ids)).values_list("pk", flat=True)
    )
    Actor.objects.filter(pk__in=ids).update(page_version=F("page_version") + 1)
    return sum(refresh_actor_page(actor_id=pk) for pk in ids)


def ensure_actor_page(actor: "Actor | PreparedActor") -> None:
    """Fill in an unprepared page for this request only: a GET never writes."""
    if actor.page_is_current:
        return
    fragments = render_actor_fragments(
        Actor.objects.prefetch_related("aliases").get(pk=actor.pk)
    )
    for name, value in fragments.items():
        setattr(actor, name, value)


_actor_row = CompiledQuery(
    lambda slug: (
        Actor.objects.filter(slug=slug).order_by().values_list(*ACTOR_FIELDS)[:1]
    ),
    slug="\x00slug-sentinel",
)
_actor_briefs = CompiledQuery(
    lambda actor_id, at: (
        Edition.objects.public(at=at)
        .filter(actor_links__actor_id=actor_id)
        .order_by("-public_date", "-published_at", "title")
        .values_list("card_html")[:ACTOR_PREVIEW]
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
        Edition.objects.public(at=at)
        .order_by(*Edition._meta.ordering)
        .values_list("card_html")[:LIST_PAGE_SIZE]
    ),
    at=CompiledQuery.time_sentinel(),
)


def latest_brief_cards() -> str:
    """Cards of the newest public briefs: the unfiltered list's first page."""
    return _join_cards(_latest_briefs(at=timezone.now()))


def _join_cards(rows: list[tuple]) -> str:
    """The stored cards of the current editions in `rows` (one column each)."""
    return "".join(card for (card,) in rows)


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
