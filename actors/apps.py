from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = "Actors and agreements"

    def ready(self) -> None:
        from actors import search
        from actors.models import (
            AgreementParty,
            AgreementSource,
            Indicator,
            Membership,
            Office,
        )
        from kernel import changes

        search.register(self)
        # Saves and deletes only record what changed (kernel/changes.py); the
        # actor pages that show it are prepared again after commit by
        # whoever prepares them (publishing).
        changes.record_on_save(
            Membership, "actor_page", lambda m: [m.member_id, m.organization_id]
        )
        changes.record_on_save(
            Office, "actor_page", lambda o: [o.holder_id, o.of_actor_id]
        )
        changes.record_on_save(AgreementParty, "actor_page", lambda p: [p.actor_id])
        # The actor's page shows its indicators.
        changes.record_on_save(Indicator, "actor_page", lambda i: [i.actor_id])
        # Shown directly by public pages; nothing to prepare, the bump retires
        # the cached pages.
        changes.record_on_save(AgreementSource, "content", lambda source: [])
