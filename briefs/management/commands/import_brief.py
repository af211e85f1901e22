"""Import one brief from a plain-text file (layout: see briefs/importers.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefs.importers import BriefImportError, import_brief_file


class Command(BaseCommand):
    help = (
        "Import a brief from a UTF-8 text file (title, sections, pipe tables, "
        "recommendations, Date:/Authors:/Researchers: blocks). A new brief is "
        "created as a draft; importing the same file again updates it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the brief as a .txt file")
        parser.add_argument(
            "--slug", help="the brief's address (default: made from the title)"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would change, saving nothing",
        )

    def handle(self, *args, file: Path, slug: str | None, dry_run: bool, **options):
        try:
            result = import_brief_file(file, slug=slug, dry_run=dry_run)
        except BriefImportError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"{file}: {warning}"))
        self.stdout.write(self.style.SUCCESS(result.summary()))
        for note in result.to_do:
            self.stdout.write(self.style.NOTICE(f"To do: {note}"))
