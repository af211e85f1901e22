"""`manage.py restore FILE`: load a backup into a fresh database, rebuild the rest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from publishing.backups import BackupError, render_pdfs, restore_backup
from publishing.pdf import PDFUnavailable


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into an empty, migrated "
        "database, then rebuild every edition's rendered parts, the actor pages, "
        "the search index and the planner statistics. The file is checked whole "
        "first; a bad file or a failure writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete every record in this database first (and all sessions).",
        )
        parser.add_argument(
            "--pdfs",
            action="store_true",
            help="Render every edition's PDF now (else on a reader's first request).",
        )

    def handle(self, *args, file: Path, force: bool, pdfs: bool, **options) -> None:
        try:
            result = restore_backup(file, replace=force)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{result.records} records restored from {file}")
        for name, count in result.rebuilt.items():
            self.stdout.write(f"rebuilt {name}: {count}")
        if pdfs:
            try:
                self.stdout.write(f"PDFs: {render_pdfs()}")
            except PDFUnavailable as error:
                raise CommandError(f"Restored, but no PDFs: {error}") from error
        self.stdout.write(self.style.SUCCESS("Restored."))
