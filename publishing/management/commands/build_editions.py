"""Give briefs published before editions existed their edition (run after migrate)."""

from typing import Any

from django.core.management.base import BaseCommand

from publishing.editions import build_missing_editions, render_missing_languages


class Command(BaseCommand):
    help = (
        "Build the edition of every published brief that has none (a database "
        "from before editions), and render in every public language the "
        "editions made before languages. Safe to run again: it then does nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        built = build_missing_editions()
        for edition in built:
            self.stdout.write(f"built {edition}")
        self.stdout.write(f"{len(built)} edition(s) built.")
        briefs = render_missing_languages()
        self.stdout.write(f"{briefs} brief(s) rendered in every language.")
