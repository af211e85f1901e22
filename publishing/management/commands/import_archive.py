"""`manage.py import_archive DIR`: the public archive back from `export_archive`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from publishing.backups import BackupError, render_pdfs
from publishing.imports import ArchiveImportError, import_archive
from publishing.pdf import PDFUnavailable


class Command(BaseCommand):
    help = (
        "Re-create the public archive (every version of the published and "
        "withdrawn briefs, the people, topics, actors and agreements they show) "
        "from a folder written by `export_archive`, on an empty, migrated "
        "database. The manifest's sizes and SHA-256 sums are checked first; a "
        "changed or incomplete export writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
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

    def handle(self, *args, directory: Path, force: bool, pdfs: bool, **options):
        try:
            result = import_archive(directory, replace=force)
        except (ArchiveImportError, BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result.records} records and {result.briefs} briefs imported "
            f"from {directory}"
        )
        for name, count in result.rebuilt.items():
            self.stdout.write(f"rebuilt {name}: {count}")
        if pdfs:
            try:
                self.stdout.write(f"PDFs: {render_pdfs()}")
            except PDFUnavailable as error:
                raise CommandError(f"Imported, but no PDFs: {error}") from error
        self.stdout.write(self.style.SUCCESS("Imported."))
