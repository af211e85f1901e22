"""What an index is, and the registry of indexes.

Each app defines its models' indexes next to them (`briefs/search.py`,
`actors/search.py`) and registers them in `AppConfig.ready()`, so this
package knows no app model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from archive.search.text import fold


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
    # Search results get highlighted snippets (see snippets.py), cut from
    # `snippet_text(object)`; without it, from the object's `summary` and `body`.
    snippets: bool = False
    snippet_text: Callable[[Any], str] | None = None
    # How an object's snippet is written for the reader (a Serbian brief in
    # the script of the page): `snippet_script(object)` gives a function
    # applied to the cut window only (not the whole text), or None.
    snippet_script: Callable[[Any], Callable[[str], str] | None] | None = None

    def public(self, queryset: QuerySet) -> QuerySet:
        return self.gate(queryset) if self.gate else queryset

    @property
    def model(self) -> type:
        from django.apps import apps

        return apps.get_model(self.label)


# name → index, in registration order ("BRIEFS", "ACTORS", ...).
_REGISTRY: dict[str, SearchIndex] = {}


def register(index: SearchIndex, *, name: str) -> SearchIndex:
    """Make `index` known to the engine as `archive.search.<name>`.

    Called from the owning app's `AppConfig.ready()`; registering the same
    index again (a second `ready()` in tests) is harmless.
    """
    known = _REGISTRY.get(name)
    if known is not None and known != index:
        raise ValueError(f"another search index is already registered as {name}")
    _REGISTRY[name] = index
    return index


def registered(name: str) -> SearchIndex:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"no search index is registered as {name}") from None


def indexes() -> tuple[SearchIndex, ...]:
    """Every registered index, in registration order."""
    return tuple(_REGISTRY.values())


def index_for(model: type) -> SearchIndex | None:
    label = model._meta.label
    return next((index for index in indexes() if index.label == label), None)
