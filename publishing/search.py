"""The briefs search index: one document per current edition.

Search finds what the public sees, so the index is built from editions, not
from the working briefs: a correction is searchable when it is published, an
unpublished edit never. `publishing.editions` keeps it current as editions are
published, withdrawn, trashed and restored (no signal); `rebuild_search_index`
fills it from scratch. Row ids are edition ids.

The index table keeps the name it had when it indexed briefs directly
(`briefs_brief_search`, created by briefs' vendor-checking migration 0005):
renaming it would mean a second pair of vendor migrations for no reader.
"""

from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_migrate
from django.utils import translation

from archive import search
from archive.search import Document, SearchIndex, markdown_to_text
from archive.search.signals import prune_after_migrate
from kernel import changes
from publishing.models import Edition


def _edition_queryset() -> QuerySet:
    # Current editions that are or will be public; the gate below decides
    # which ones a search may show now.
    return Edition.objects.filter(
        is_current=True, withdrawn_at__isnull=True, in_trash=False
    ).only("id", "published_at", "content")


def edition_document(edition: Any) -> Document:
    content = edition.content
    recommendations = " \n".join(
        f"{r['title']}. {r['body']}" for r in content["recommendations"]
    )
    names = [c["person"]["name"] for c in content["contributors"]]
    names += [a["name"] for a in content["actors"]]
    names += [a["title"] for a in content["agreements"]]
    names += [t["name"] for t in content["topics"]]
    brief = content["brief"]
    return Document.make(
        edition.pk,
        published_at=edition.published_at,
        title=brief["title"],
        summary=brief["summary"],
        body=markdown_to_text(brief["body"]),
        more=markdown_to_text(recommendations),
        names=" \n".join(names),
    )


def snippet_text(edition: Edition) -> str:
    """The summary and body the edition published, which a hit's snippet quotes.

    The site search annotates them (`archive.views.search_hits`) so the page
    query never loads the snapshot; any other edition reads its snapshot.
    """
    if hasattr(edition, "summary") and hasattr(edition, "body"):
        return f"{edition.summary}\n\n{edition.body}"
    brief = edition.content["brief"]
    return f"{brief['summary']}\n\n{brief['body']}"


def snippet_script(edition: Edition) -> Callable[[str], str] | None:
    """A Serbian brief's snippet in the reader's script (the active language's):
    Latin on /sr-latn/ for a brief written in Cyrillic, and the reverse."""
    from publishing.editions import plain_in_script, text_script

    language = getattr(edition, "language", "")
    script = text_script(language, translation.get_language()) if language else None
    if script is None:
        return None
    return lambda text: plain_in_script(text, script)


def _public(queryset: QuerySet) -> QuerySet:
    return queryset.public()


BRIEFS = SearchIndex(
    "publishing.Edition",
    "briefs_brief_search",
    _edition_queryset,
    edition_document,
    has_published_at=True,
    gate=_public,
    large=True,
    snippets=True,
    snippet_text=snippet_text,
    snippet_script=snippet_script,
)


def _edition_deleted(sender: type, instance: Edition, **kwargs: Any) -> None:
    changes.changed(
        "edition_deleted", [instance.pk], using=kwargs.get("using", "default")
    )


def unindex_editions(ids: set[int]) -> None:
    search.unindex(BRIEFS, ids)


def register(app_config: AppConfig) -> None:
    search.register(BRIEFS, name="BRIEFS")
    # A purged brief takes its editions with it (a cascade, no write function
    # of ours runs per edition): record them; after commit their documents go.
    post_delete.connect(
        _edition_deleted, sender=Edition, dispatch_uid="changes_edition_deleted"
    )
    changes.register("edition_deleted", unindex_editions)
    post_migrate.connect(
        prune_after_migrate(BRIEFS), sender=app_config, weak=False,
        dispatch_uid="search_prune_editions",
    )  # fmt: skip
