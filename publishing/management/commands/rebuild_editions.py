"""Render every edition and actor page again (after a template change)."""

from typing import Any

from django.core.management.base import BaseCommand

from actors.models import Actor
from publishing.editions import rebuild_editions
from publishing.pages import prepare_actor_pages


class Command(BaseCommand):
    help = (
        "Render every edition again from its snapshot (content unchanged) and "
        "prepare every actor page again: run after a release changes templates."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        editions = rebuild_editions()
        actors = prepare_actor_pages(Actor.objects.values_list("pk", flat=True))
        self.stdout.write(f"{editions} edition(s) and {actors} actor page(s) rendered.")
