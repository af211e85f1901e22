"""Actor pages, prepared when what they show changes, never on a request.

An actor's page shows its own data (aliases, memberships, offices, the
agreements it is party to): a handful of queries and most of the page's CPU,
so it is rendered into fields on the actor after each commit that changed it
or what its page shows, by the after-commit step (kernel/changes.py,
publishing/changes.py, `prepare_actor_pages`), and a request reads one row.
A GET never writes: a page not prepared yet (the step has not run, or failed)
is rendered for that request only.

What is public through briefs (the briefs that discuss the actor, the
recommendations addressed to it) is read per request from public editions,
two queries, so a publication or a withdrawal shows at once.

Brief pages need none of this: editions store their rendered parts when they
are published (publishing/editions.py).
"""

import datetime
import html
import json
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.fields.json import KeyTransform
from django.template.loader import render_to_string
from django.utils import timezone, translation

from actors.models import (
    Actor,
    ActorKind,
    AgreementParty,
    Indicator,
    Membership,
    Metric,
    Office,
)
from kernel.compiled import CompiledQuery
from languages import codes
from languages.addresses import view_address
from languages.codes import PUBLIC_LANGUAGES
from languages.names import name_in
from library import html as library_html
from publishing.editions import text_in
from publishing.models import (
    Edition,
    EditionActor,
    EditionRecommendation,
    rendered,
    rendering_language,
)
from publishing.rendering import absolute_url, json_ld

__all__ = ["absolute_url", "json_ld"]  # feeds import absolute_url from here

ACTOR_FIELDS = (
    "id",
    "slug",
    "name",
    "page_version",
    "rendered_version",
    "rendered_head",
    "rendered_parts",
)
# Markers in the prepared content where the per-request parts go: the
# pictures (they depend on the day; publishing/pictures.py) and the lists.
_PICTURES_MARK = "\x00pictures\x00"
_BRIEFS_MARK = "\x00briefs\x00"
_RECOMMENDATIONS_MARK = "\x00recommendations\x00"
ACTOR_PAGE_PARTS = 4
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


def _in_language(records: Iterable, language: str) -> None:
    """Give named records (languages.models.SerbianName) their name for
    readers of `language`, on the instances (never saved); the English name
    is kept aside, so that they can be named again in another language."""
    for record in records:
        field = record.english_name_field
        english = record.__dict__.setdefault("_english_name", getattr(record, field))
        setattr(
            record,
            field,
            name_in(language, english, record.name_sr, record.name_sr_cyrl),
        )


def render_actor_fragments(
    actor: Actor, languages: Iterable[str] = PUBLIC_LANGUAGES
) -> dict[str, dict]:
    """The prepared head and content parts of an actor's page in each of
    `languages` (a few queries, once for all): {code: {"head", "parts"}}.

    Each language is rendered with it active: its interface strings, dates,
    addresses, and the names of the actor, its organizations, office
    holders and agreements in its script.
    """
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
    metric_order = {metric: index for index, metric in enumerate(Metric.values)}
    indicators = sorted(
        Indicator.objects.filter(actor=actor),
        key=lambda i: (
            metric_order.get(i.metric, len(metric_order)),
            -(i.year or 0),
            i.pk,
        ),
    )
    named = [
        actor,
        *(m.member for m in memberships),
        *(m.organization for m in memberships),
        *(o.holder for o in offices),
        *(o.of_actor for o in offices if o.of_actor is not None),
        *(p.agreement for p in parties),
    ]
    pages = {}
    for language in languages:
        with translation.override(language):
            _in_language(named, language)
            pages[language] = _render_actor_page(
                actor, aliases, memberships, offices, parties, indicators
            )
    _in_language(named, codes.ENGLISH)
    return pages


def _emblem(actor: Actor) -> dict | None:
    """The actor's emblem, if it has one cleared for public display."""
    image = actor.emblem if actor.emblem_id else None
    if image is None or not image.cleared or not image.renditions:
        return None
    frozen = image.frozen()
    return {
        "img": library_html.img_tag(frozen, sizes="8rem", eager=True),
        "credit": library_html.credit_line(frozen),
    }


def _render_actor_page(
    actor: Actor,
    aliases: list[str],
    memberships: list[Membership],
    offices: list[Office],
    parties: list[AgreementParty],
    indicators: list[Indicator],
) -> dict:
    """The head and the parts of the page, in the active language."""
    context = {
        "actor": actor,
        "aliases": aliases,
        "indicators": indicators,
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
        "emblem": _emblem(actor),
        "pictures_marker": _PICTURES_MARK,
        "briefs_marker": _BRIEFS_MARK,
        "recommendations_marker": _RECOMMENDATIONS_MARK,
    }
    content = render_to_string("actors/_actor_page.html", context)
    first, rest = content.split(_PICTURES_MARK)
    second, rest = rest.split(_BRIEFS_MARK)
    third, fourth = rest.split(_RECOMMENDATIONS_MARK)
    return {
        "head": render_to_string("actors/_actor_head.html", context),
        "parts": [first, second, third, fourth],
    }


def _stored_fields(pages: dict[str, dict]) -> dict:
    """The Actor columns that hold prepared pages: English in its own, the
    other languages in `rendered_languages`."""
    english = pages[codes.ENGLISH]
    return {
        "rendered_head": english["head"],
        "rendered_parts": english["parts"],
        "rendered_languages": {
            code: page for code, page in pages.items() if code != codes.ENGLISH
        },
    }


def refresh_actor_page(*, actor_id: int) -> bool:
    """Prepare an actor's page unless it changed meanwhile (compare-and-set)."""
    version = (
        Actor.objects.filter(pk=actor_id).values_list("page_version", flat=True).first()
    )
    if version is None:
        return False
    actor = (
        Actor.objects.select_related("emblem")
        .prefetch_related("aliases")
        .get(pk=actor_id)
    )
    fragments = _stored_fields(render_actor_fragments(actor))
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


def ensure_actor_page(actor: "PreparedActor") -> None:
    """Fill in an unprepared page for this request only: a GET never writes.

    A page prepared before its parts changed shape, or before it was
    prepared in this language (by an older release, until `rebuild_editions`
    prepares it again), counts as unprepared.
    """
    parts = actor.rendered_parts
    if actor.page_is_current and parts and len(parts) == ACTOR_PAGE_PARTS:
        return
    page = render_actor_fragments(
        Actor.objects.prefetch_related("aliases").get(pk=actor.pk),
        languages=[actor.language],
    )[actor.language]
    actor.rendered_head, actor.rendered_parts = page["head"], page["parts"]


class PreparedActor:
    """The prepared columns of an actor's row in one language; cheaper than a
    model instance. `name` is the name for readers of `language`."""

    __slots__ = (*ACTOR_FIELDS, "language")

    def __init__(self, row: tuple, language: str) -> None:
        self.language = language
        if language == codes.ENGLISH:
            for name, value in zip(ACTOR_FIELDS, row, strict=True):
                setattr(self, name, value)
        else:
            *fields, name_sr, name_sr_cyrl, page = row
            for name, value in zip(ACTOR_FIELDS[:5], fields, strict=True):
                setattr(self, name, value)
            self.name = name_in(language, self.name, name_sr, name_sr_cyrl)
            if isinstance(page, str):  # JSON arrives as text
                page = json.loads(page)
            page = page or {}
            self.rendered_head = page.get("head", "")
            self.rendered_parts = page.get("parts")
        if isinstance(self.rendered_parts, str):  # JSON arrives as text
            self.rendered_parts = json.loads(self.rendered_parts)

    @property
    def pk(self) -> int:
        return self.id

    @property
    def page_is_current(self) -> bool:
        return self.rendered_version == self.page_version


# The actor page's three queries are compiled once per process
# (publishing/compiled.py): building their SQL with the ORM cost more CPU
# than the rest of the page. Sentinels stand for the request's values.
_SLUG = "\x00slug-sentinel"
_ACTOR_ID = -1_000_001


def _actor_row_query(language: str) -> Callable[..., QuerySet]:
    def build(slug: str) -> QuerySet:
        actors = Actor.objects.filter(slug=slug).order_by()
        if language == codes.ENGLISH:
            return actors.values_list(*ACTOR_FIELDS)
        # This language's prepared page only (a key of the JSON column).
        return actors.values_list(
            *ACTOR_FIELDS[:5],
            "name_sr",
            "name_sr_cyrl",
            KeyTransform(language, "rendered_languages"),
        )

    return build


def _brief_cards_query(language: str) -> Callable[..., QuerySet]:
    def build(actor_id: int, at: datetime.datetime) -> QuerySet:
        latest = (
            Edition.objects.public(at=at)
            .filter(
                pk__in=EditionActor.objects.filter(actor_id=actor_id).values(
                    "edition_id"
                )
            )
            .values("pk")[:ACTOR_PREVIEW]
        )
        # The newest ids are picked first and only their cards read (a LIMIT
        # subquery): sorting every discussing edition with its card made
        # SQLite read each one's long row, ~6 ms for a 100-brief actor at
        # 1,000 briefs.
        return (
            Edition.objects.filter(pk__in=latest)
            .rendered_in(language, "card_html")
            .values_list(rendered("card_html"))
        )

    return build


def _recommendations_query(actor_id: int, at: datetime.datetime) -> QuerySet:
    # EXISTS per row, not `edition__in` a list of every public edition: SQLite
    # built that list (~1,000 ids) on each request, more than half the query.
    public = Edition.objects.public(at=at).filter(pk=OuterRef("edition_id"))
    return (
        EditionRecommendation.objects.filter(
            Exists(public.order_by()), addressees=actor_id
        )
        .order_by("-edition__public_date", "edition__title", "order")
        .values_list(
            "order", "title", "edition__slug", "edition__title", "edition__language"
        )
    )


# One compiled query per language where the language is part of the SQL.
_ACTOR_ROW = {
    language: CompiledQuery(_actor_row_query(language), slug=_SLUG)
    for language in PUBLIC_LANGUAGES
}
_BRIEF_CARDS = {
    language: CompiledQuery(
        _brief_cards_query(language),
        actor_id=_ACTOR_ID,
        at=CompiledQuery.time_sentinel(),
    )
    for language in PUBLIC_LANGUAGES
}
_RECOMMENDATIONS = CompiledQuery(
    _recommendations_query, actor_id=_ACTOR_ID, at=CompiledQuery.time_sentinel()
)


def public_actor(slug: str, language: str | None = None) -> PreparedActor | None:
    """The actor's prepared row for readers of `language` (default: active)."""
    language = rendering_language(language)
    rows = _ACTOR_ROW[language](slug=slug, limit=1)
    return PreparedActor(rows[0], language) if rows else None


def actor_brief_cards(actor_id: int) -> str:
    """Cards of the latest public editions that discuss the actor (one query),
    in the active language."""
    query = _BRIEF_CARDS[rendering_language()]
    cards = [card for (card,) in query(actor_id=actor_id, at=timezone.now())]
    if not cards:
        return "<p>No published brief discusses it yet.</p>"
    return "".join(cards)


def actor_recommendation_items(actor_id: int) -> str:
    """The latest public recommendations addressed to the actor (one query)."""
    rows = _RECOMMENDATIONS(actor_id=actor_id, at=timezone.now(), limit=ACTOR_PREVIEW)
    if not rows:
        return "<p>None yet.</p>"
    language = rendering_language()
    # A Serbian brief's text in the page's script (publishing/editions.py).
    items = "".join(
        f'<li><a href="{_brief_url(slug)}#recommendation-{order}">'
        f"{html.escape(text_in(title, written, language))}</a> "
        f'<span class="meta">in {html.escape(text_in(brief_title, written, language))}'
        "</span></li>"
        for order, title, slug, brief_title, written in rows
    )
    return f"<ul>{items}</ul>"


def _brief_url(slug: str) -> str:
    return view_address("briefs:detail", slug)
