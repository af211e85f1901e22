"""The actors app's search indexes (actors, agreements).

Defined here, next to the models, and registered with the engine
(`archive.search`) by `ActorsConfig.ready()`, which also has them kept
current after each commit that changed what they index (kernel/changes.py).
"""

from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.db.models.signals import post_migrate

from actors.models import Actor, ActorAlias, Agreement, AgreementParty
from archive import search
from archive.search import Document, SearchIndex
from archive.search.signals import prune_after_migrate
from kernel import changes


def _actor_queryset() -> QuerySet:
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


ACTORS = SearchIndex(
    "actors.Actor", "actors_actor_search", _actor_queryset, _actor_document
)
AGREEMENTS = SearchIndex(
    "actors.Agreement",
    "actors_agreement_search",
    _agreement_queryset,
    _agreement_document,
)


def register(app_config: AppConfig) -> None:
    """Register the indexes; record changes to what they index (kernel/changes.py).

    Saves and deletes of actors, aliases, agreements and parties only record
    which actor or agreement changed; after commit the indexes are brought up
    to date once per transaction (`index_objects` adds, replaces or removes).
    """
    search.register(ACTORS, name="ACTORS")
    search.register(AGREEMENTS, name="AGREEMENTS")
    changes.record_on_save(Actor, "actor", lambda actor: [actor.pk])
    changes.record_on_save(ActorAlias, "actor", lambda alias: [alias.actor_id])
    changes.record_on_save(Agreement, "agreement", lambda agreement: [agreement.pk])
    changes.record_on_save(
        AgreementParty, "agreement", lambda party: [party.agreement_id]
    )
    changes.register("actor", reindex_actors)
    changes.register("agreement", reindex_agreements)
    post_migrate.connect(
        prune_after_migrate(ACTORS, AGREEMENTS), sender=app_config, weak=False,
        dispatch_uid="search_prune_actors",
    )  # fmt: skip


def reindex_actors(ids: set[int]) -> None:
    search.index_objects(ACTORS, ids)


def reindex_agreements(ids: set[int]) -> None:
    search.index_objects(AGREEMENTS, ids)
