"""The briefs app's search index of people, and the brief facets.

Briefs themselves are searched through their editions (publishing/search.py),
and counted in facets by publishing/facets.py.

Defined here, next to the models, and registered with the engine
(`archive.search`) by `BriefsConfig.ready()`, which also has it kept
current after each commit that changed a person (kernel/changes.py).
"""

from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_migrate, post_save

from actors.models import Actor, ActorAlias
from archive import search
from archive.search import Document, SearchIndex
from archive.search.signals import prune_after_migrate
from briefs.mentions import clear_cache
from briefs.models import (
    Institution,
    Person,
    Topic,
)
from kernel import changes


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
    """Register the people index; record changes to what it and pages show.

    Saves and deletes only record (kernel/changes.py); after commit the index
    is brought up to date once per transaction. Topics are shown directly by
    public pages: recording them retires the page cache.
    """
    search.register(PEOPLE, name="PEOPLE")
    changes.record_on_save(Person, "person", lambda person: [person.pk])
    changes.record_on_save(Institution, "institution", lambda inst: [inst.pk])
    changes.record_on_save(Topic, "content", lambda topic: [])
    changes.register("person", reindex_people)
    changes.register("institution", reindex_affiliated_people)
    post_migrate.connect(
        prune_after_migrate(PEOPLE), sender=app_config, weak=False,
        dispatch_uid="search_prune_briefs",
    )  # fmt: skip
    # The mention scanner's automaton is built from actors' names and aliases.
    # Forgetting this process's copy at once (not after commit) keeps a scan
    # later in the same transaction (an import that adds an alias) right.
    for model in (Actor, ActorAlias):
        uid = f"mentions_{model.__name__}"
        post_save.connect(_aliases_changed, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(_aliases_changed, sender=model, dispatch_uid=f"{uid}_del")


def reindex_people(ids: set[int]) -> None:
    search.index_objects(PEOPLE, ids)


def reindex_affiliated_people(ids: set[int]) -> None:
    """A person's document names their institution."""
    people = Person.objects.filter(affiliation__in=ids).values_list("pk", flat=True)
    search.index_objects(PEOPLE, people)
