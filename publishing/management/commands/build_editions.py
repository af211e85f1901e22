"""Give briefs published before editions existed their edition (run after migrate)."""

from typing import Any

from django.core.management.base import BaseCommand

from publishing.editions import build_missing_editions


class Command(BaseCommand):
    help = (
        "Build the edition of every published brief that has none (a database "
        "from before editions). Safe to run again: it then does nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        built = build_missing_editions()
        for edition in built:
            self.stdout.write(f"built {edition}")
        self.stdout.write(f"{len(built)} edition(s) built.")
