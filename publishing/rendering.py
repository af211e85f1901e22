"""The HTML of an edition: article, head metadata, list card, related-list item.

Called by `publishing.editions.render_edition` with an unsaved brief rebuilt
from the edition's snapshot, so that everything here is a pure function of
the edition (no query). The parts are stored on the edition; a request joins
stored strings.
"""

import html
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation

from actors.comparison_html import table_html
from actors.models import Actor
from briefs.markdown import mark_empty_cells, name_footnote_backlinks
from briefs.mentions import scanner_for
from briefs.models import Brief, Contribution, Role
from languages import codes
from library import html as library_html


def absolute_url(path: str) -> str:
    """A public address under SITE_URL: canonical links, feeds, citations."""
    return f"{settings.SITE_URL}{path}"


def json_ld(data: dict) -> str:
    """JSON for a `<script type="application/ld+json">` element, safe to embed."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).translate(
        _JSON_SCRIPT_ESCAPES
    )


# `</script>` inside JSON-LD would end the script element early; escape the
# three characters that matter, as Django's json_script does.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
# Text inside these elements is never turned into an actor link.
_NO_LINK_TAGS = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre"}
_TAG_RE = re.compile(r"(<[^>]*>)")
_TAG_NAME_RE = re.compile(r"^<\s*(/?)\s*([a-zA-Z0-9]+)")


def link_first_mentions(body_html: str, actors: Iterable[Actor]) -> str:
    """Link the first mention of each actor in sanitised HTML to its page.

    Mentions are found by the same matcher that records them at write time
    (`briefs.mentions`: folded, any script, whole words, acronyms and
    case-sensitive aliases by case, longest match first), so a mention the
    editors confirmed (written "Вучић" or "Vucic") is the one linked here.
    Works on text nodes only: tags pass through untouched, and text inside
    links, headings and code is skipped. The matched text is the page's own
    text, unescaped to match and escaped again around the link; the href is
    built from a slug.
    """
    actors = list(actors)
    if not actors or not body_html:
        return body_html
    scanner = scanner_for(actors)
    by_id = {actor.pk: actor for actor in actors}
    linked: set[int] = set()
    skip_depth = 0
    out: list[str] = []
    for part in _TAG_RE.split(body_html):
        if part.startswith("<"):
            tag = _TAG_NAME_RE.match(part)
            if tag and tag.group(2).lower() in _NO_LINK_TAGS:
                skip_depth += -1 if tag.group(1) else 1
                skip_depth = max(skip_depth, 0)
            out.append(part)
        elif part and not skip_depth and len(linked) < len(by_id):
            out.append(_link_text(part, scanner, by_id, linked))
        else:
            out.append(part)
    return "".join(out)


def _link_text(
    part: str, scanner: Any, by_id: dict[int, Actor], linked: set[int]
) -> str:
    """One text node with the first mention of each actor not yet linked."""
    text = html.unescape(part)
    spans = []
    for start, end, pk in scanner.spans(text):
        if pk not in linked:
            linked.add(pk)
            spans.append((start, end, pk))
    if not spans:
        return part
    pieces, done = [], 0
    for start, end, pk in spans:
        href = html.escape(by_id[pk].get_absolute_url())
        pieces.append(html.escape(text[done:start], quote=False))
        pieces.append(
            f'<a class="actor-link" href="{href}">'
            f"{html.escape(text[start:end], quote=False)}</a>"
        )
        done = end
    pieces.append(html.escape(text[done:], quote=False))
    return "".join(pieces)


_EMBED_RE = re.compile(
    r'<div class="comparison-embed" id="comparison-embed-([0-9]{1,4})"></div>'
)
_FIGURE_RE = re.compile(
    r'<div class="figure-embed" id="figure-embed-([0-9]{1,4})"></div>'
)


def _fill_placeholders(
    body_html: str,
    pattern: re.Pattern,
    entries: list[dict[str, Any]],
    *,
    missing: str,
    notice_template: str,
    key: str,
    render: Callable[[dict[str, Any], int], str],
) -> str:
    """Put each frozen entry in its numbered placeholder (briefs/markdown.py).

    An entry without `key` (its block was bad) shows `notice_template` saying
    why; a placeholder with no entry (a body rendered before the entries
    were frozen) says `missing`. Each placeholder is filled once.
    """
    used: set[int] = set()

    def fill(match: re.Match) -> str:
        index = int(match[1])
        if index in used:
            return ""
        used.add(index)
        entry = entries[index] if index < len(entries) else {"error": missing}
        if key not in entry:
            return render_to_string(
                notice_template,
                {"message": entry.get("error", ""), "number": index + 1},
            )
        return render(entry, index + 1)

    return pattern.sub(fill, body_html)


def embed_comparisons(body_html: str, entries: list[dict[str, Any]]) -> str:
    """Put each stored comparison table in its placeholder: the figures the
    edition was published with, or a notice saying why there are none."""
    if "comparison-embed" not in body_html:
        return body_html
    return _fill_placeholders(
        body_html,
        _EMBED_RE,
        entries,
        missing="This comparison was not computed; publish the brief again.",
        notice_template="actors/_comparison_notice.html",
        key="table",
        render=lambda entry, number: table_html(
            entry["table"], prefix=f"comparison-{number}", frozen=True
        ),
    )


def embed_figures(body_html: str, entries: list[dict[str, Any]]) -> str:
    """Put each frozen figure in its placeholder: a <figure> with the image's
    sizes, its caption and credit, or a notice saying why there is none."""
    if "figure-embed" not in body_html:
        return body_html

    def figure(entry: dict[str, Any], number: int) -> str:
        image = entry["image"]
        return render_to_string(
            "briefs/_figure.html",
            {
                "img": library_html.img_tag(image),
                "caption": entry.get("caption", ""),
                "credit": library_html.credit_line(image),
                "number": number,
            },
        )

    return _fill_placeholders(
        body_html,
        _FIGURE_RE,
        entries,
        missing="This figure was not frozen; publish the brief again.",
        notice_template="briefs/_figure_notice.html",
        key="image",
        render=figure,
    )


def cover_context(image: dict | None) -> dict | None:
    """What templates/briefs/_cover.html shows, or None without a cover."""
    if not image:
        return None
    return {
        "img": library_html.img_tag(
            image, sizes="(min-width: 60rem) 60rem, 100vw", eager=True
        ),
        "credit": library_html.credit_line(image),
    }


def portrait_context(
    image: Any, *, sizes: str = "12rem", beside_name: bool = False
) -> dict | None:
    """A person's library portrait for their page (a live Image) or for a
    brief's credits (the dict an edition froze); None when not shown."""
    if image is not None and not isinstance(image, dict):
        if not image.cleared or not image.renditions:
            return None
        image = image.frozen()
    if not image:
        return None
    if beside_name:
        # Next to the linked name it repeats, the photo adds nothing to read.
        image = {**image, "alt": ""}
    return {
        "img": library_html.img_tag(image, sizes=sizes),
        "credit": library_html.credit_line(image),
    }


def attachments_context(attachments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each frozen attachment with its address and its type's name."""
    from django.core.files.storage import default_storage

    from library.uploads import ATTACHMENT_TYPES

    return [
        {
            **a,
            "url": default_storage.url(a["file"]),
            "type_label": ATTACHMENT_TYPES[a["kind"]].label
            if a["kind"] in ATTACHMENT_TYPES
            else a["kind"].upper(),
            "filename": a["file"].rsplit("/", 1)[-1],
        }
        for a in attachments
    ]


def _json_ld(brief: Brief, edition: Any, authors: list[Contribution], url: str) -> dict:
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
        "version": str(edition.number),
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
        "datePublished": edition.public_date.isoformat(),
        # In the archive's time zone, whatever zone the value came in: the
        # publishing code passes local times, the database gives back UTC,
        # and rendering again (rebuild_editions, a restore) must not move it.
        "dateModified": timezone.localtime(edition.released_at).isoformat(),
    }
    if brief.summary:
        data["abstract"] = brief.summary
        data["description"] = brief.summary
    if brief.licence_url:
        data["license"] = brief.licence_url
    if brief.doi:
        data["identifier"] = f"https://doi.org/{brief.doi}"
    return data


def text_language(brief: Brief) -> str:
    """The `lang` of the brief's own text where it differs from the page's.

    Rendered with the page's language active (publishing/editions.py): an
    English brief on a Serbian page keeps its text, marked lang="en"; a
    Serbian one on the English pages is shown in the script it was written
    in, marked so. Empty when the text is in the page's language (and
    script): it inherits `<html lang>`.
    """
    page = codes.public_language(translation.get_language()).tag
    return "" if brief.language == page else brief.language


def credits_by_role(
    contributions: list[Contribution],
) -> list[tuple[str, list[Contribution]]]:
    """("Authors", [...]), ("Researcher", [...]) ... in role order, each
    label in the edition's language and in the number its people take."""
    credits = []
    for role in Role:
        people = [c for c in contributions if c.role == role]
        if people:
            credits.append((credit_label(role, len(people)), people))
    return credits


def credit_label(role: str, count: int) -> str:
    # Spelled out, so that each plural is in the catalogue (Serbian has three
    # forms; an appended "s" read "Истраживачs"); a context of their own, as
    # the role names are singular messages too.
    if role == Role.AUTHOR:
        return translation.npgettext("credits", "Author", "Authors", count)
    if role == Role.RESEARCHER:
        return translation.npgettext("credits", "Researcher", "Researchers", count)
    if role == Role.EDITOR:
        return translation.npgettext("credits", "Editor", "Editors", count)
    return translation.npgettext("credits", "Translator", "Translators", count)


def render_brief_fragments(
    brief: Brief, *, edition: Any, record: Any, card: bool = True
) -> dict:
    """The stored HTML parts of an edition, from its restored brief.

    With `card`, the head names its social image (publishing/cards.py: the
    cover, else a card drawn and stored now, at publish time).
    """
    from publishing.cards import social_image

    contributions = list(brief.contributions.all())
    for c in contributions:
        # Photos in the credits, as the edition froze them.
        c.person.portrait_view = portrait_context(
            getattr(c.person, "portrait_image", None), sizes="3rem", beside_name=True
        )
    authors = [c for c in contributions if c.role == Role.AUTHOR]
    actors = [link.actor for link in brief.confirmed_links]
    agreements = [link.agreement for link in brief.agreement_links.all()]
    topics = list(brief.topics.all())
    url = absolute_url(edition.get_absolute_url())
    text_lang = text_language(brief)
    body_html = mark_empty_cells(
        embed_figures(
            embed_comparisons(
                link_first_mentions(brief.body_html, actors),
                getattr(brief, "comparisons", []),
            ),
            getattr(brief, "figures", []),
        ),
        # Read aloud for an empty table cell (the edition's language is active).
        translation.gettext("no data"),
    )
    body_html = name_footnote_backlinks(
        body_html, translation.gettext("Back to footnote %(number)s in the text")
    )
    context = {
        "brief": brief,
        "edition": edition,
        "date": edition.public_date,
        "credits": credits_by_role(contributions),
        "authors": authors,
        "topics": topics,
        "actors": actors,
        "agreements": agreements,
        "recommendations": list(brief.recommendations.all()),
        "corrections": list(brief.corrections.all()),
        "body_html": body_html,
        "canonical_url": url,
        "current_url": absolute_url(brief.get_absolute_url()),
        "publisher": settings.PUBLISHER,
        "json_ld": json_ld(_json_ld(brief, edition, authors, url)),
        "description": brief.summary or brief.title,
        "site_url": settings.SITE_URL,
        "cite": citation_context(record, slug=brief.slug, edition=edition),
        "text_lang": text_lang,
        "cover": cover_context(getattr(brief, "cover_image", None)),
        "attachments": attachments_context(getattr(brief, "public_attachments", [])),
        "social_image": social_image(brief, edition, authors) if card else None,
    }
    return {
        "body_html": body_html,
        "article_html": render_to_string("briefs/_brief_article.html", context),
        "head_html": render_to_string("briefs/_brief_head.html", context),
        "card_html": render_to_string("briefs/_brief_card.html", context),
        "related_item_html": render_to_string(
            "briefs/_related_item.html",
            {"other": brief, "date": edition.public_date, "text_lang": text_lang},
        ),
    }


def citation_context(record: Any, *, slug: str, edition: Any) -> dict:
    """What the "Cite this" box and the citation meta tags show."""
    from django.urls import reverse

    from publishing.citations import format_coins, formatted_citations

    if edition.is_current:
        downloads = [
            (label, reverse("briefs:cite", kwargs={"slug": slug, "ext": ext}))
            for label, ext in (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "json"))
        ]
    else:
        downloads = [
            (
                label,
                reverse(
                    "briefs:edition-cite",
                    kwargs={"slug": slug, "number": edition.number, "ext": ext},
                ),
            )
            for label, ext in (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "json"))
        ]
    return {
        "record": record,
        "styles": formatted_citations(record),
        "coins": format_coins(record),
        "downloads": downloads,
        "pdf": reverse("briefs:pdf", kwargs={"slug": slug})
        if edition.is_current
        else reverse(
            "briefs:edition-pdf", kwargs={"slug": slug, "number": edition.number}
        ),
    }


# --- Related briefs -----------------------------------------------------------------

RELATED_CANDIDATES = 20


def related_scores(edition: Any) -> list[list[int]]:
    """[brief id, score] of the briefs closest to this edition, best first.

    The score is the number of confirmed actors, agreements and topics the
    two current editions share (three GROUP BY queries over the link tables,
    once, at publication). Candidates are briefs whose current edition is
    released or scheduled and neither withdrawn nor trashed; each request
    keeps those that are public then.
    """
    from publishing.models import Edition, EditionActor

    content = edition.content
    candidates = Edition.objects.filter(
        is_current=True, withdrawn_at__isnull=True, in_trash=False
    ).exclude(brief_id=edition.brief_id)
    scores: dict[int, int] = {}
    for model, field, ids in (
        (EditionActor, "actor_id", [a["id"] for a in content["actors"]]),
        (
            Edition.agreements.through,
            "agreement_id",
            [a["id"] for a in content["agreements"]],
        ),
        (Edition.topics.through, "topic_id", [t["id"] for t in content["topics"]]),
    ):
        if not ids:
            continue
        rows = (
            model.objects.filter(**{f"{field}__in": ids}, edition__in=candidates)
            .order_by()
            .values_list("edition__brief_id")
            .annotate(n=Count("*"))
        )
        for brief_id, n in rows:
            scores[brief_id] = scores.get(brief_id, 0) + n
    if not scores:
        return []
    dates = dict(
        candidates.filter(brief_id__in=list(scores)).values_list(
            "brief_id", "public_date"
        )
    )
    ranked = sorted(scores, key=lambda pk: (-scores[pk], -dates[pk].toordinal(), pk))[
        :RELATED_CANDIDATES
    ]
    return [[pk, scores[pk]] for pk in ranked]


def add_to_neighbours(edition: Any) -> None:
    """Put a newly published brief into the related lists of its closest briefs.

    Sharing is symmetric, so each neighbour's score for this brief is the one
    computed for the neighbour here: no ranking query per neighbour. Related
    lists are navigation kept beside the edition, not part of what it
    published: they grow as the archive does.
    """
    from publishing.models import Edition

    if not edition.related:
        return
    score_of = dict(edition.related)
    neighbours = list(
        Edition.objects.filter(brief_id__in=list(score_of), is_current=True).only(
            "id", "brief_id", "related"
        )
    )
    for neighbour in neighbours:
        others = [row for row in neighbour.related if row[0] != edition.brief_id]
        # Best first; among equals the newest brief (this one) first, as in
        # `related_scores`. The sort is stable, so the rest keep their order.
        others.insert(0, [edition.brief_id, score_of[neighbour.brief_id]])
        others.sort(key=lambda row: -row[1])
        neighbour.related = others[:RELATED_CANDIDATES]
    Edition.objects.bulk_update(neighbours, ["related"])
