"""Build and keep editions: the one write-time pipeline behind every public surface.

    take_snapshot(brief)      the brief as published: content, credits, links (queries)
    render_edition(edition)   every rendered part, a pure function of the snapshot,
                              the edition's number, address, history and language
                              (no query but the related-brief ranking at
                              publication); render_languages: once per public
                              language (English on the edition, the others as
                              EditionRendering rows)
    publish_edition(...)      a new current edition, the previous one superseded
    withdraw / trash / untrash / unschedule / rename: the brief's editorial state
                              copied onto its editions, in the same transaction

The editorial workflow (editorial/) may not import this app; it reaches these
functions through `briefs.hooks`, where `PublishingConfig.ready()`
registers them.

Rendering from a snapshot: the templates, citations and serializers were
written for model instances, so `restore_brief` rebuilds unsaved instances
(with their relations filled in as if prefetched) from the snapshot. They are
never saved; they exist so that an edition rendered today and re-rendered
after a rename or a restore come out of the same code.
"""

import datetime
import json
from dataclasses import asdict
from typing import Any

from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from actors import comparisons
from actors.models import Actor, ActorAlias, Agreement
from archive import search
from briefs.markdown import comparison_blocks, figure_blocks, render_markdown
from briefs.models import (
    Brief,
    BriefActor,
    BriefAgreement,
    Contribution,
    Correction,
    Institution,
    MentionState,
    Person,
    Recommendation,
    Status,
    Topic,
    load_content,
)
from kernel import changes
from languages import codes
from languages.names import name_in
from languages.transliteration import (
    house_exceptions,
    markdown_to_script,
    to_cyrillic,
    to_latin,
)
from library.models import Image
from publishing.models import (
    RENDERED_LANGUAGES,
    RENDERED_PARTS,
    Edition,
    EditionActor,
    EditionCredit,
    EditionRecommendation,
    EditionRendering,
)
from publishing.pdfs import render_after_commit
from publishing.rendering import add_to_neighbours, related_scores
from publishing.search import BRIEFS, edition_document

# Stored API representations are built against this origin; the API puts the
# requesting origin in its place when it serves them (publishing/api.py).
API_ORIGIN = "https://api-origin.invalid"


def public_date(brief: Brief, released_at: datetime.datetime) -> datetime.date:
    """The date a brief carries on every surface: one definition.

    Its printed date when it has one, else the day of its first release in
    the archive's time zone (settings.TIME_ZONE, Belgrade): a brief released
    at 23:30 Belgrade time on 31 December is dated 31 December everywhere.
    """
    return brief.publication_date or timezone.localdate(released_at)


# --- Snapshot -------------------------------------------------------------------


def _confirmed_links(brief: Brief) -> list[BriefActor]:
    """Confirmed actor links in the order the edition shows them.

    First mentioned first, unmentioned ones last, ties by name: a stable
    sort of the name-ordered rows `content_prefetches` loads.
    """
    links = [a for a in brief.actor_links.all() if a.state == MentionState.CONFIRMED]
    return sorted(
        links, key=lambda a: (a.first_position is None, a.first_position or 0)
    )


def _agreement_links(brief: Brief) -> list[BriefAgreement]:
    """Agreement links, most recently signed first, undated ones last, by title.

    (The same on SQLite and PostgreSQL: the databases put NULLs at opposite
    ends of a descending ORDER BY, so the order is made here.)
    """
    links = list(brief.agreement_links.all())
    return sorted(
        links,
        key=lambda a: (
            a.agreement.signed_on is None,
            -a.agreement.signed_on.toordinal() if a.agreement.signed_on else 0,
        ),
    )


def _names(record: Any) -> dict[str, str]:
    """A record's Serbian name fields (languages.models.SerbianName), for the
    renderings in Serbian: `name_in` makes each script's name from them."""
    return {"name_sr": record.name_sr, "name_sr_cyrl": record.name_sr_cyrl}


def _actor(actor: Actor) -> dict[str, Any]:
    return {
        "id": actor.pk,
        "slug": actor.slug,
        "name": actor.name,
        **_names(actor),
        "kind": actor.kind,
    }


def embedded_comparisons(body: str) -> list[dict[str, Any]]:
    """The tables of the body's ```compare blocks, computed now (at publication;
    live in a preview). Stored in the snapshot, so the edition keeps the
    figures it was published with: rendering again never recomputes them.
    Each entry is {"table": …} or {"error": …}; two queries per block, at
    most `comparisons.MAX_DIRECTIVES` blocks (the rest store an error)."""
    today = timezone.localdate()
    entries = []
    for index, text in enumerate(comparison_blocks(body)):
        if index >= comparisons.MAX_DIRECTIVES:
            entries.append(
                {
                    "error": f"More than {comparisons.MAX_DIRECTIVES} comparisons "
                    "in one brief."
                }
            )
        else:
            entries.append(comparisons.embed(text, today=today))
    return entries


# A body may show this many figures; more is a mistake, not a brief.
MAX_FIGURES = 50


def embedded_figures(body: str) -> list[dict[str, Any]]:
    """The library images of the body's ```figure blocks, frozen now: alt,
    caption (the block's, else the library's), credit and the names of the
    stored sizes. One query when there are figures, none otherwise. An
    entry is {"image": …, "caption": …} or {"error": …} (shown to readers as
    a notice, and flagged to editors before publication by the preview)."""
    blocks = figure_blocks(body)[:MAX_FIGURES]
    if not blocks:
        return []
    images = {i.slug: i for i in Image.objects.filter(slug__in={s for s, _ in blocks})}
    entries = []
    for slug, caption in blocks:
        image = images.get(slug)
        if image is None:
            entries.append({"error": f"No image named “{slug}” in the media library."})
        elif image.decorative:
            entries.append({"error": f"“{slug}” is decorative: it cannot be a figure."})
        elif not image.cleared or not image.renditions:
            entries.append({"error": f"“{slug}” is not cleared for public display."})
        else:
            entries.append(
                {"image": image.frozen(), "caption": caption or image.caption}
            )
    return entries


def frozen_media(brief: Brief) -> dict[str, Any]:
    """The cover and attachments an edition shows, frozen at publication.
    A query for the cover (when there is one) and one for the attachments."""
    cover = brief.cover if brief.cover_id else None
    return {
        "cover": (
            cover.frozen() if cover and cover.cleared and cover.renditions else None
        ),
        "attachments": [a.frozen() for a in brief.attachments.all()],
    }


def media_names(content: dict[str, Any]) -> list[str]:
    """The storage names of every file an edition's snapshot shows: its
    cover's and figures' sizes and its attachments (exports carry them)."""
    media = content.get("media") or {}
    images = [media.get("cover"), *(f.get("image") for f in content.get("figures", []))]
    names = [r["name"] for image in images if image for r in image["renditions"]]
    names += [a["file"] for a in media.get("attachments", [])]
    return names


def _translation_source(brief: Brief) -> dict[str, Any] | None:
    """What a translation was made from: the original's id, slug and version.

    For the record only: the pages read which original is public now
    (publishing/translations.py), never this slug, which may name a brief
    that is not public. One query for a translation, unless its original is
    in hand.
    """
    if brief.translation_of_id is None:
        return None
    original = brief.translation_of
    return {
        "id": original.pk,
        "slug": original.slug,
        "number": brief.translated_from_number,
    }


def _portrait(person: Person) -> dict[str, Any] | None:
    image = person.portrait
    if image is None or not image.cleared or not image.renditions:
        return None
    return image.frozen()


def take_snapshot(brief: Brief) -> dict[str, Any]:
    """Everything an edition shows of the brief and its linked records, as JSON.

    Reads no query when `brief` has its content loaded already (publishing a
    correction loads it once for everything); else 7. Embedded comparisons
    read two more each (`embedded_comparisons`).
    """
    [brief] = load_content(brief)
    return {
        "comparisons": embedded_comparisons(brief.body),
        "figures": embedded_figures(brief.body),
        "media": frozen_media(brief),
        "brief": {
            "id": brief.pk,
            "title": brief.title,
            "kind": brief.kind,
            "language": brief.language,
            "summary": brief.summary,
            "body": brief.body,
            "body_html": brief.body_html,
            "toc": brief.toc,
            "licence": brief.licence,
            "doi": brief.doi,
            "featured": brief.featured,
            "publication_date": (
                brief.publication_date.isoformat() if brief.publication_date else None
            ),
        },
        "translation_of": _translation_source(brief),
        "contributors": [
            {
                "id": c.pk,
                "role": c.role,
                "order": c.order,
                "person": {
                    "id": c.person.pk,
                    "slug": c.person.slug,
                    "name": c.person.name,
                    **_names(c.person),
                    "orcid": c.person.orcid,
                    "portrait": _portrait(c.person),
                    "affiliation": (
                        {
                            "id": c.person.affiliation.pk,
                            "slug": c.person.affiliation.slug,
                            "name": c.person.affiliation.name,
                            **_names(c.person.affiliation),
                            "local_name": c.person.affiliation.local_name,
                            "url": c.person.affiliation.url,
                        }
                        if c.person.affiliation
                        else None
                    ),
                },
            }
            for c in brief.contributions.all()
        ],
        "topics": [
            {"id": t.pk, "slug": t.slug, "name": t.name, **_names(t)}
            for t in brief.topics.all()
        ],
        "actors": [
            {
                **_actor(link.actor),
                "position": link.first_position,
                "aliases": [
                    [alias.alias, alias.case_sensitive]
                    for alias in link.actor.aliases.all()
                ],
            }
            for link in _confirmed_links(brief)
        ],
        "agreements": [
            {
                "id": link.agreement.pk,
                "slug": link.agreement.slug,
                "title": link.agreement.title,
                **_names(link.agreement),
                "signed_on": (
                    link.agreement.signed_on.isoformat()
                    if link.agreement.signed_on
                    else None
                ),
            }
            for link in _agreement_links(brief)
        ],
        "recommendations": [
            {
                "id": r.pk,
                "key": str(r.key),
                "order": r.order,
                "title": r.title,
                "body": r.body,
                "policy_area": r.policy_area,
                "addressees": [_actor(a) for a in r.addressees.all()],
            }
            for r in brief.recommendations.all()
        ],
    }


def translation_fields(content: dict[str, Any]) -> dict[str, Any]:
    """An edition's translation columns, from its snapshot."""
    source = content.get("translation_of")
    return {
        "translation_of_id": source["id"] if source else None,
        "translated_from_number": source["number"] if source else None,
    }


# --- Unsaved instances from a snapshot -------------------------------------------


def _prefetched(model: type[models.Model], objects: list) -> models.QuerySet:
    """A queryset that answers from `objects`, as a prefetch would."""
    queryset = model._default_manager.all()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    return queryset


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def snapshot_name(data: dict[str, Any], language: str, english: str = "name") -> str:
    """A snapshot record's name for readers of `language` (Django code).

    Snapshots made before names had Serbian forms give the name as it is,
    transliterated for the Serbian scripts (`name_in` with a blank name_sr).
    """
    return name_in(
        language, data[english], data.get("name_sr", ""), data.get("name_sr_cyrl", "")
    )


def text_script(content_language: str, language: str) -> str | None:
    """The script a brief's text is converted to for readers of `language`.

    A Serbian brief is written once, in either script (its `language`,
    "sr-Cyrl" or "sr-Latn"), and served in both: on the Serbian pages of
    the other script it is converted. None when it is shown as written: an
    English brief anywhere, a Serbian one on the English pages (in the
    script it was written in) or on the pages of its own script.
    """
    if not (codes.is_serbian(content_language) and codes.is_serbian(language)):
        return None
    wanted = codes.public_language(language).script
    written = codes.content_public_language(content_language).script
    return None if wanted == written else wanted


def plain_in_script(text: str, script: str) -> str:
    """Plain Serbian text (a title, a summary) in `script`; Latin to Cyrillic
    by the house's exception list."""
    if script == codes.LATIN:
        return to_latin(text)
    return to_cyrillic(text, house_exceptions())


def markdown_in_script(text: str, script: str) -> str:
    """A Serbian brief's Markdown source in `script`, links, code and labels kept.

    The conversion is made on the source (languages.transliteration:
    addresses, code, link targets and footnote labels kept), then rendered
    as the body always is (briefs.markdown.render_markdown).
    """
    return markdown_to_script(text, script)


def text_in(text: str, content_language: str, language: str | None = None) -> str:
    """A brief's plain text (its title, a recommendation) for readers of
    `language` (default: the active one); see `text_script`."""
    script = text_script(content_language, language or translation.get_language())
    return plain_in_script(text, script) if script and text else text


def _actor_instance(data: dict[str, Any], language: str = codes.ENGLISH) -> Actor:
    actor = Actor(
        id=data["id"],
        slug=data["slug"],
        name=snapshot_name(data, language),
        kind=data["kind"],
    )
    aliases = [
        ActorAlias(actor_id=data["id"], alias=alias, case_sensitive=case_sensitive)
        for alias, case_sensitive in data.get("aliases", [])
    ]
    if actor.name != data["name"]:
        # Mentions are still found by the name the editors confirmed them by
        # (publishing/rendering.py, link_first_mentions).
        aliases.append(ActorAlias(actor_id=data["id"], alias=data["name"]))
    actor._prefetched_objects_cache = {"aliases": _prefetched(ActorAlias, aliases)}
    return actor


def restore_brief(
    edition: Edition, history: list[Edition], language: str = codes.ENGLISH
) -> Brief:
    """An unsaved Brief as edition `edition` shows it, relations filled in.

    `history` is the brief's editions up to and including this one, oldest
    first: their notes are this edition's corrections. `language` (a Django
    language code) is whose readers it is restored for: names of people,
    institutions, actors, topics and agreements in its script, and a
    Serbian brief's title, summary, body and recommendations converted to
    it (`text_script`); `brief.language` then says the script served.
    """
    content = edition.content
    data = content["brief"]
    script = text_script(data["language"], language)

    def text(value: str) -> str:
        return plain_in_script(value, script) if script and value else value

    brief = Brief(
        id=data["id"],
        slug=edition.slug,
        title=text(data["title"]),
        kind=data["kind"],
        language=data["language"],
        summary=text(data["summary"]),
        body=data["body"],
        body_html=data["body_html"],
        toc=data["toc"],
        licence=data["licence"],
        doi=data["doi"],
        featured=data["featured"],
        publication_date=edition.public_date,
        published_at=edition.published_at,
        status=Status.PUBLISHED,
        updated_at=edition.released_at,
    )
    if script:
        brief.body = markdown_in_script(data["body"], script)
        brief.body_html, brief.toc = render_markdown(brief.body)
        brief.language = codes.public_language(language).tag
    contributions = []
    for c in content["contributors"]:
        person_data = c["person"]
        person = Person(
            id=person_data["id"],
            slug=person_data["slug"],
            name=snapshot_name(person_data, language),
            orcid=person_data["orcid"],
        )
        # Frozen at publication; editions made before the library have none.
        person.portrait_image = person_data.get("portrait")
        if person_data["affiliation"]:
            affiliation = person_data["affiliation"]
            person.affiliation = Institution(**affiliation)
            person.affiliation.name = snapshot_name(affiliation, language)
        else:
            person.affiliation = None
        contribution = Contribution(
            id=c["id"], brief_id=brief.pk, role=c["role"], order=c["order"]
        )
        contribution.person = person
        contributions.append(contribution)
    actors = [_actor_instance(a, language) for a in content["actors"]]
    links = []
    for actor in actors:
        link = BriefActor(brief_id=brief.pk, state=MentionState.CONFIRMED)
        link.actor = actor
        links.append(link)
    agreement_links = []
    for a in content["agreements"]:
        link = BriefAgreement(brief_id=brief.pk)
        link.agreement = Agreement(
            id=a["id"],
            slug=a["slug"],
            title=snapshot_name(a, language, english="title"),
            signed_on=_date(a["signed_on"]),
        )
        agreement_links.append(link)
    recommendations = []
    for r in content["recommendations"]:
        recommendation = Recommendation(
            id=r["id"],
            key=r.get("key"),
            brief_id=brief.pk,
            order=r["order"],
            title=text(r["title"]),
            body=text(r["body"]),
            policy_area=r["policy_area"],
        )
        # Its address is the brief's (recommendation_slug): no query for it.
        recommendation.brief = brief
        recommendation._prefetched_objects_cache = {
            "addressees": _prefetched(
                Actor, [_actor_instance(a, language) for a in r["addressees"]]
            )
        }
        recommendations.append(recommendation)
    corrections = [
        Correction(brief_id=brief.pk, published_on=e.updated_on, note=text(e.note))
        for e in history[1:]
    ]
    topics = [
        Topic(id=t["id"], slug=t["slug"], name=snapshot_name(t, language))
        for t in content["topics"]
    ]
    brief._prefetched_objects_cache = {
        "contributions": _prefetched(Contribution, contributions),
        "topics": _prefetched(Topic, topics),
        "agreement_links": _prefetched(BriefAgreement, agreement_links),
        "recommendations": _prefetched(Recommendation, recommendations),
        "corrections": _prefetched(Correction, corrections),
    }
    # Rows that point back at the brief get it in hand: the templates and
    # serializers follow `.brief` (a query each otherwise).
    for row in (
        *contributions,
        *links,
        *agreement_links,
        *recommendations,
        *corrections,
    ):
        row.brief = brief
    brief.confirmed_links = links
    # Frozen at publication; editions made before comparisons have none.
    brief.comparisons = content.get("comparisons", [])
    # Editions made before the media library have none of these.
    brief.figures = [_text_figure(f, text) for f in content.get("figures", [])]
    media = content.get("media") or {}
    brief.cover_image = _text_image(media.get("cover"), text)
    brief.public_attachments = [
        {**a, "title": text(a["title"]), "description": text(a["description"])}
        for a in media.get("attachments", [])
    ]
    # What the API serializers read (publishing/serializers.py).
    brief.public_contributions = contributions
    brief.public_actor_links = links
    brief.public_agreement_links = agreement_links
    brief.public_topics = topics
    return brief


def _text_image(image: dict | None, text) -> dict | None:
    """A frozen image with its readable text in the page's script."""
    if not image:
        return image
    return {**image, "alt": text(image["alt"]), "caption": text(image["caption"])}


def _text_figure(entry: dict, text) -> dict:
    if "image" not in entry:
        return entry
    return {
        "image": _text_image(entry["image"], text),
        "caption": text(entry["caption"]),
    }


# --- Rendering --------------------------------------------------------------------


class _OriginRequest:
    """Stands in for a request when serializers build absolute URLs."""

    def build_absolute_uri(self, path: str) -> str:
        return f"{API_ORIGIN}{path}"


def _api_context(edition: Edition) -> dict[str, Any]:
    """Serializer context whose absolute URLs start with API_ORIGIN."""
    return {"request": _OriginRequest(), "edition": edition}


def render_edition(
    edition: Edition,
    history: list[Edition],
    language: str = codes.ENGLISH,
    *,
    card: bool = True,
) -> dict[str, Any]:
    """Every rendered part of an edition in one language (the fields to store).

    A pure function of the edition's snapshot, number, address, dates,
    `history` (its brief's editions up to this one, oldest first) and
    `language` (a Django language code), so that rendering again after a
    rename or a restore gives the same bytes. Rendered with `language`
    active: the interface strings of the templates, dates, links to the
    language's pages, names in its script (`restore_brief`). Its social
    image (publishing/cards.py) is drawn and stored now if it is missing;
    `card=False` (the admin's preview of an unpublished text) leaves it out.
    """
    from publishing.citations import citation_record
    from publishing.rendering import render_brief_fragments
    from publishing.serializers import BriefDetailSerializer, BriefListSerializer

    with translation.override(language):
        brief = restore_brief(edition, history, language)
        if language == codes.ENGLISH or codes.is_serbian(edition.language):
            record = citation_record(brief, edition=edition)
        else:
            # An English brief is cited in English on every page: its
            # authors by their English names, its kind in English, its
            # one (English) PDF; a bibliography keeps a work's own language.
            with translation.override(codes.ENGLISH):
                english = restore_brief(edition, history, codes.ENGLISH)
                record = citation_record(english, edition=edition)
        fragments = render_brief_fragments(
            brief, edition=edition, record=record, card=card
        )
        context = _api_context(edition)
        # The API gives the body as the page shows it: with its actor links.
        brief.body_html = fragments["body_html"]
        api_detail = BriefDetailSerializer(brief, context=context).data
        api_item = BriefListSerializer(brief, context=context).data
        return {
            **fragments,
            "citation": json.loads(json.dumps(asdict(record), default=str)),
            "api_item": json.loads(json.dumps(api_item, default=str)),
            "api_detail": json.loads(json.dumps(api_detail, default=str)),
        }


def render_languages(
    edition: Edition, history: list[Edition]
) -> dict[str, dict[str, Any]]:
    """The edition rendered for every public language: {code: parts}."""
    return {
        code: render_edition(edition, history, code) for code in codes.PUBLIC_LANGUAGES
    }


def history_of(edition: Edition) -> list[Edition]:
    """The brief's editions up to and including `edition`, oldest first."""
    return [*_history(edition.brief_id, upto=edition.number - 1), edition]


def _history(brief_id: int, *, upto: int) -> list[Edition]:
    return list(
        Edition.objects.filter(brief_id=brief_id, number__lte=upto)
        .defer(*_RENDERED_FIELDS)
        .order_by("number")
    )


_RENDERED_FIELDS = RENDERED_PARTS


def _store_rendered(edition: Edition, history: list[Edition]) -> list[EditionRendering]:
    """Render the edition in every language: the English parts set on it (the
    caller saves it), the others returned as rows for `_save_renderings`."""
    rendered = render_languages(edition, history)
    for name, value in rendered[codes.ENGLISH].items():
        setattr(edition, name, value)
    return [
        EditionRendering(edition=edition, language=code, **rendered[code])
        for code in RENDERED_LANGUAGES
    ]


def _save_renderings(rows: list[EditionRendering]) -> None:
    """Insert or replace these renderings, in one statement."""
    EditionRendering.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["edition", "language"],
        update_fields=list(RENDERED_PARTS),
    )


def _write_links(edition: Edition, only: set[str] | None = None) -> None:
    """The current edition's link rows, from its snapshot (bulk inserts).

    `only` limits them to some tables (the names of `_LINKED`).
    """
    content = edition.content
    wanted = set(_LINKED) if only is None else only
    if "credits" in wanted:
        EditionCredit.objects.bulk_create(
            EditionCredit(
                edition=edition, person_id=c["person"]["id"], role=c["role"], order=i
            )
            for i, c in enumerate(content["contributors"])
        )
    if "actors" in wanted:
        EditionActor.objects.bulk_create(
            EditionActor(edition=edition, actor_id=a["id"], position=i)
            for i, a in enumerate(content["actors"])
        )
    if "agreements" in wanted:
        edition.agreements.through.objects.bulk_create(
            edition.agreements.through(edition_id=edition.pk, agreement_id=a["id"])
            for a in content["agreements"]
        )
    if "topics" in wanted:
        edition.topics.through.objects.bulk_create(
            edition.topics.through(edition_id=edition.pk, topic_id=t["id"])
            for t in content["topics"]
        )
    if "recommendations" in wanted:
        recommendations = EditionRecommendation.objects.bulk_create(
            EditionRecommendation(
                edition=edition,
                key=r["key"],
                order=r["order"],
                title=r["title"],
                body=r["body"],
                policy_area=r["policy_area"],
            )
            for r in content["recommendations"]
        )
        through = EditionRecommendation.addressees.through
        through.objects.bulk_create(
            through(editionrecommendation_id=rec.pk, actor_id=a["id"])
            for rec, r in zip(recommendations, content["recommendations"], strict=True)
            for a in r["addressees"]
        )


# What each link table holds of a snapshot: equal projections, equal rows.
_LINKED = {
    "credits": lambda c: [(x["person"]["id"], x["role"]) for x in c["contributors"]],
    "actors": lambda c: [a["id"] for a in c["actors"]],
    "agreements": lambda c: [a["id"] for a in c["agreements"]],
    "topics": lambda c: [t["id"] for t in c["topics"]],
    "recommendations": lambda c: [
        (
            r.get("key"),
            r["order"],
            r["title"],
            r["body"],
            r["policy_area"],
            [a["id"] for a in r["addressees"]],
        )
        for r in c["recommendations"]
    ],
}


def _link_tables(edition: Edition) -> dict[str, models.QuerySet]:
    return {
        "credits": EditionCredit.objects.filter(edition_id=edition.pk),
        "actors": EditionActor.objects.filter(edition_id=edition.pk),
        "agreements": Edition.agreements.through.objects.filter(edition_id=edition.pk),
        "topics": Edition.topics.through.objects.filter(edition_id=edition.pk),
        "recommendations": EditionRecommendation.objects.filter(edition_id=edition.pk),
    }


def _pass_links(previous: Edition, edition: Edition) -> None:
    """Link rows for a new edition: the previous one's where they would be equal.

    A correction usually fixes text, not credits, actors, agreements, topics
    or recommendations: rows that would come out identical are re-pointed at
    the new edition (one UPDATE per table; a recommendation's addressees
    follow it) instead of deleted and inserted again (two or three queries
    per table). The rest are replaced.
    """
    same = {
        name: project(previous.content) == project(edition.content)
        for name, project in _LINKED.items()
    }
    for name, rows in _link_tables(previous).items():
        if same[name]:
            rows.update(edition_id=edition.pk)
        else:
            rows.delete()
    _write_links(edition, only={name for name, kept in same.items() if not kept})


def _history_for_update(brief: Brief) -> list[Edition]:
    """The brief's editions, oldest first, locked; one query, no rendered parts."""
    return list(
        Edition.objects.select_for_update()
        .filter(brief=brief)
        .defer(*_RENDERED_FIELDS)
        .order_by("number")
    )


# No savepoint: every caller runs this inside its own transaction and lets
# an error end it; a savepoint would cost two queries per publication.
@transaction.atomic(savepoint=False)
def publish_edition(
    *, brief: Brief, released_at: datetime.datetime, note: str = ""
) -> Edition:
    """Make the brief's content as it is now its new current edition.

    Edition 1 for a first publication (`released_at` may lie ahead: scheduled);
    N+1 for a correction, released at once, the previous one superseded and
    re-rendered as such. Called by the editorial workflow (through
    briefs.hooks), the importer and the demo loader; inside their
    transaction, so the edition exists exactly when the publication does.
    `brief` may come with its content loaded (briefs.models.load_content):
    then the snapshot reads nothing.
    """
    earlier = _history_for_update(brief)
    previous = next((e for e in earlier if e.is_current), None)
    number = 1
    first_release = released_at
    if previous is not None:
        number = previous.number + 1
        # Every edition carries the first release (Edition.published_at).
        first_release = previous.published_at
        # The old edition now says it is superseded; rendered and saved in
        # one UPDATE, before the new one takes its place as the current one.
        previous.is_current = False
        previous.superseded_at = released_at
        renderings = _store_rendered(previous, earlier[: earlier.index(previous) + 1])
        previous.save(update_fields=["is_current", "superseded_at", *_RENDERED_FIELDS])
    else:
        renderings = []
    content = take_snapshot(brief)
    edition = Edition(
        brief=brief,
        number=number,
        is_current=True,
        released_at=released_at,
        published_at=first_release,
        slug=brief.slug,
        title=brief.title,
        kind=brief.kind,
        language=brief.language,
        featured=brief.featured,
        public_date=public_date(brief, first_release),
        updated_on=timezone.localdate(released_at) if number > 1 else None,
        note=note,
        content=content,
        **translation_fields(content),
    )
    if previous is not None and all(
        _LINKED[name](previous.content) == _LINKED[name](content)
        for name in ("actors", "agreements", "topics")
    ):
        # The ranking's only inputs from this brief are unchanged: its list
        # is the previous edition's, which `add_to_neighbours` has kept up to
        # date as briefs were published since, as it does every brief's
        # (three GROUP BY queries saved; requests keep the public ones).
        edition.related = previous.related
    else:
        edition.related = related_scores(edition)
    renderings += _store_rendered(edition, [*earlier, edition])
    edition.save()
    # Both editions' other languages in one statement.
    _save_renderings(renderings)
    if previous is None:
        _write_links(edition)
    else:
        _pass_links(previous, edition)
    # The document is made from the edition in hand (no query to read it
    # back); the superseded edition's row goes in the same statement.
    search.get_engine().upsert(
        BRIEFS,
        [edition_document(edition)],
        also_delete=[previous.pk] if previous is not None else [],
    )
    add_to_neighbours(edition)
    render_after_commit(edition)
    changes.changed("edition", [brief.pk])
    return edition


def rerender_editions(*, brief_id: int, numbers: list[int] | None = None) -> int:
    """Render a brief's editions again from their snapshots (rename, restore, deploy).

    Their content never changes; only what is rendered from it (addresses,
    "superseded" notices, templates of a new release).
    """
    editions = list(Edition.objects.filter(brief_id=brief_id).order_by("number"))
    count = 0
    renderings = []
    for index, edition in enumerate(editions):
        if numbers is not None and edition.number not in numbers:
            continue
        renderings += _store_rendered(edition, editions[: index + 1])
        edition.save(update_fields=_RENDERED_FIELDS)
        count += 1
    if renderings:
        _save_renderings(renderings)
    return count


def withdraw_editions(*, brief: Brief) -> None:
    """The brief is withdrawn: its current edition becomes a tombstone."""
    current = Edition.objects.filter(brief=brief, is_current=True)
    current.update(
        withdrawn_at=brief.withdrawn_at or timezone.now(),
        withdrawn_reason=brief.withdrawn_reason,
    )
    search.unindex(BRIEFS, current.values_list("pk", flat=True))
    changes.changed("edition", [brief.pk])


def set_editions_trashed(*, brief: Brief, trashed: bool) -> None:
    Edition.objects.filter(brief=brief).update(in_trash=trashed)
    current = Edition.objects.filter(brief=brief, is_current=True)
    # index_objects adds what belongs in the index and removes what does not.
    search.index_objects(BRIEFS, current.values_list("pk", flat=True))
    changes.changed("edition", [brief.pk])


def unschedule_edition(*, brief: Brief) -> None:
    """A scheduled first publication is called off: its edition was never public."""
    unreleased = Edition.objects.filter(
        brief=brief, number=1, is_current=True, released_at__gt=timezone.now()
    )
    search.unindex(BRIEFS, unreleased.values_list("pk", flat=True))
    unreleased.delete()
    changes.changed("edition", [brief.pk])


def rename_editions(*, brief: Brief) -> None:
    """The brief has a new address: every edition shows and links the new one."""
    Edition.objects.filter(brief=brief).update(slug=brief.slug)
    rerender_editions(brief_id=brief.pk)
    changes.changed("edition", [brief.pk])


def preview_edition(brief: Brief) -> Edition:
    """The edition publishing `brief` now would make, unsaved (the admin preview)."""
    current = (
        Edition.objects.filter(brief_id=brief.draft_of_id or brief.pk, is_current=True)
        .defer(*_RENDERED_FIELDS)
        .first()
    )
    now = timezone.now()
    released_at = brief.published_at or now
    history = [] if current is None else _history(current.brief_id, upto=current.number)
    first_release = history[0].released_at if history else released_at
    edition = Edition(
        brief_id=brief.draft_of_id or brief.pk,
        number=(current.number + 1) if current else 1,
        is_current=True,
        released_at=released_at if current is None else now,
        published_at=first_release,
        slug=brief.draft_of.slug if brief.draft_of_id else brief.slug,
        title=brief.title,
        kind=brief.kind,
        language=brief.language,
        featured=brief.featured,
        public_date=public_date(brief, first_release),
        updated_on=timezone.localdate(now) if current else None,
        content=take_snapshot(brief),
        related=[],
    )
    for name, value in translation_fields(edition.content).items():
        setattr(edition, name, value)
    edition.content["brief"]["id"] = edition.brief_id
    # The admin previews the English page: only that rendering is made.
    for name, value in render_edition(edition, [*history, edition], card=False).items():
        setattr(edition, name, value)
    return edition


def build_missing_editions() -> list[Edition]:
    """Give every brief published before editions existed its edition (backfill).

    A brief that was published (or withdrawn after publication) and has no
    edition gets one, made from its content as it is now: the only text the
    archive still has. It keeps the version number citations gave it (one
    plus its corrections), with its last correction's date and note; the
    earlier versions' texts are gone, so they get no edition of their own.
    Withdrawn and trashed briefs are followed into their state. Idempotent:
    a second run finds nothing to do. Run by `manage.py build_editions`.
    """
    built = []
    waiting = (
        Brief.objects.filter(
            status__in=[Status.PUBLISHED, Status.WITHDRAWN],
            published_at__isnull=False,
            draft_of__isnull=True,
            editions__isnull=True,
        )
        .prefetch_related("corrections")
        .order_by("published_at", "pk")
    )
    for brief in waiting:
        with transaction.atomic():
            edition = publish_edition(brief=brief, released_at=brief.published_at)
            corrections = list(brief.corrections.all())
            if corrections:
                last = corrections[-1]
                edition.number = 1 + len(corrections)
                edition.updated_on = last.published_on
                edition.note = last.note
                edition.save(update_fields=["number", "updated_on", "note"])
                rerender_editions(brief_id=brief.pk)
            if brief.status == Status.WITHDRAWN:
                withdraw_editions(brief=brief)
            if brief.deleted_at is not None:
                set_editions_trashed(brief=brief, trashed=True)
        built.append(edition)
    return built


def render_missing_languages() -> int:
    """Render every edition not rendered in all public languages yet.

    Editions made by a release before languages have their English parts
    only (pages fall back to them, `EditionQuerySet.rendered_in`); this
    renders them in every language, brief by brief. Idempotent; run by
    `manage.py build_editions` after `migrate`. Returns how many briefs.
    """
    complete = (
        EditionRendering.objects.filter(edition__brief_id=OuterRef("brief_id"))
        .values("edition__brief_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    editions = (
        Edition.objects.values("brief_id")
        .annotate(n=Count("*"))
        .annotate(rendered=Coalesce(Subquery(complete), Value(0)))
        .exclude(rendered=F("n") * len(RENDERED_LANGUAGES))
        .values_list("brief_id", flat=True)
        .order_by("brief_id")
    )
    count = 0
    for brief_id in list(editions):
        with transaction.atomic():
            rerender_editions(brief_id=brief_id)
            changes.changed("edition", [brief_id])
        count += 1
    return count


def rebuild_editions() -> int:
    """Render every edition again from its snapshot (after a template change).

    What the public sees is re-rendered, never re-snapshotted: the content of
    each edition stays what was published. Returns how many were rendered.
    """
    count = 0
    brief_ids = Edition.objects.values_list("brief_id", flat=True).distinct()
    for brief_id in brief_ids.order_by("brief_id"):
        with transaction.atomic():
            count += rerender_editions(brief_id=brief_id)
            changes.changed("edition", [brief_id])
    return count


class _Keeper:
    """The brief lifecycle's public side (see briefs.hooks)."""

    def published(
        self, *, brief: Brief, released_at: datetime.datetime, note: str = ""
    ) -> Edition:
        return publish_edition(brief=brief, released_at=released_at, note=note)

    def unscheduled(self, *, brief: Brief) -> None:
        unschedule_edition(brief=brief)

    def withdrawn(self, *, brief: Brief) -> None:
        withdraw_editions(brief=brief)

    def trashed(self, *, brief: Brief, trashed: bool) -> None:
        set_editions_trashed(brief=brief, trashed=trashed)

    def renamed(self, *, brief: Brief) -> None:
        rename_editions(brief=brief)

    def current_numbers(self, brief_ids: list[int]) -> dict[int, int]:
        from publishing.translations import current_numbers

        return current_numbers(brief_ids)

    def stale_translations(self) -> list[Edition]:
        from publishing.translations import stale_translations

        return list(stale_translations())

    def newer_original(
        self, *, original_id: int, made_from: int | None
    ) -> Edition | None:
        from publishing.translations import newer_original

        return newer_original(original_id=original_id, made_from=made_from)


KEEPER = _Keeper()
