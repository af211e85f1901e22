from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefs.importers import BriefImportError
from demo.loader import default_seed_path, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo content: actors, aliases, memberships, offices, agreements, "
        "indicators, topics and people; import, publish and link the seed brief "
        "if its file exists; publish the demo's own four briefs. Safe to run "
        "again: a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=Path,
            default=None,
            help=f"The seed brief's text file (default: {default_seed_path()}).",
        )

    def handle(self, *args, seed: Path | None, **options) -> None:
        try:
            result = load_demo(seed_path=seed)
        except (ValidationError, BriefImportError) as exc:
            raise CommandError(f"Demo content not loaded: {exc}") from exc

        for label, tally in result.tallies.items():
            self.stdout.write(
                f"{label.capitalize()}: {tally.created} created, "
                f"{tally.updated} updated"
            )
        if result.brief is None:
            self.stdout.write(f"Seed brief skipped: {result.seed_path} does not exist.")
        elif result.brief_imported:
            self.stdout.write(f"Seed brief imported and published: {result.brief}")
        else:
            self.stdout.write(f"Seed brief already loaded: {result.brief}")
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {result.created} created, {result.updated} updated."
            )
        )
