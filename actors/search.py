"""The actors app's search indexes (actors, agreements).

Defined here, next to the models, and registered with the engine
(`archive.search`) by `ActorsConfig.ready()`, which also connects the
receivers that keep them current.
"""

from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_migrate, post_save

from actors.models import Actor, ActorAlias, Agreement, AgreementParty
from archive import search
from archive.search import Document, SearchIndex
from archive.search.signals import (
    prune_after_migrate,
    reindex_related,
    unindex_on_delete,
)


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
    """Register the indexes and connect the receivers that keep them current."""
    search.register(ACTORS, name="ACTORS")
    search.register(AGREEMENTS, name="AGREEMENTS")
    for model, index in ((Actor, ACTORS), (Agreement, AGREEMENTS)):
        post_delete.connect(unindex_on_delete(index), sender=model, weak=False,
                            dispatch_uid=f"search_{index.table}_deleted")  # fmt: skip
    for model, index, attribute, uid in (
        (Actor, ACTORS, "pk", "actor"),
        (ActorAlias, ACTORS, "actor_id", "alias"),
        (Agreement, AGREEMENTS, "pk", "agreement"),
        (AgreementParty, AGREEMENTS, "agreement_id", "party"),
    ):
        receiver = reindex_related(index, attribute)
        post_save.connect(
            receiver, sender=model, weak=False, dispatch_uid=f"search_{uid}_saved"
        )
        if model not in (Actor, Agreement):
            post_delete.connect(
                receiver, sender=model, weak=False, dispatch_uid=f"search_{uid}_deleted"
            )
    post_migrate.connect(
        prune_after_migrate(ACTORS, AGREEMENTS), sender=app_config, weak=False,
        dispatch_uid="search_prune_actors",
    )  # fmt: skip
