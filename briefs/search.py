"""The briefs app's search index of people.

Briefs themselves are searched through their editions (publishing/search.py),
and counted in facets from them (publishing/facets.py).

Defined here, next to the models, and registered with the engine
(`archive.search`) by `BriefsConfig.ready()`, which also connects the
receivers that keep them current.
"""

from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_migrate, post_save

from actors.models import Actor, ActorAlias
from archive import search
from archive.search import Document, SearchIndex
from archive.search.signals import (
    prune_after_migrate,
    reindex_related,
    unindex_on_delete,
)
from briefs.mentions import clear_cache
from briefs.models import (
    Person,
)


def _person_queryset() -> QuerySet:
    return Person.objects.select_related("affiliation")


def _person_document(person: Any) -> Document:
    affiliation = person.affiliation
    return Document.make(
        person.pk,
        title=person.name,
        summary=f"{affiliation.name} {affiliation.local_name}" if affiliation else "",
        body=person.bio,
    )


PEOPLE = SearchIndex(
    "briefs.Person", "briefs_person_search", _person_queryset, _person_document
)


def _aliases_changed(**kw: Any) -> None:
    clear_cache()


def register(app_config: AppConfig) -> None:
    """Register the indexes and connect what keeps them (and mentions) current."""
    search.register(PEOPLE, name="PEOPLE")
    post_save.connect(
        reindex_related(PEOPLE, "pk"), sender=Person, weak=False,
        dispatch_uid="search_person_saved",
    )  # fmt: skip
    post_delete.connect(unindex_on_delete(PEOPLE), sender=Person, weak=False,
                        dispatch_uid=f"search_{PEOPLE.table}_deleted")  # fmt: skip
    post_migrate.connect(
        prune_after_migrate(PEOPLE), sender=app_config, weak=False,
        dispatch_uid="search_prune_briefs",
    )  # fmt: skip
    # The mention scanner's automaton is built from actors' names and aliases.
    for model in (Actor, ActorAlias):
        uid = f"mentions_{model.__name__}"
        post_save.connect(_aliases_changed, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(_aliases_changed, sender=model, dispatch_uid=f"{uid}_del")
