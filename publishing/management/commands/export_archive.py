"""`manage.py export_archive DIR`: the public archive as JSON Lines, PDFs, manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from publishing.exports import ExportError, export_archive
from publishing.pdf import PDFUnavailable


class Command(BaseCommand):
    help = (
        "Write every published brief, person, actor, agreement and recommendation "
        "as JSON Lines, with the PDFs and a manifest of counts and SHA-256 sums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory", type=Path, help="An empty folder, or an earlier export."
        )
        parser.add_argument(
            "--no-pdf",
            action="store_true",
            help="Skip the PDFs (for a machine without WeasyPrint's system libraries).",
        )

    def handle(self, *args, directory: Path, no_pdf: bool, **options) -> None:
        try:
            result = export_archive(directory=directory, with_pdfs=not no_pdf)
        except (ExportError, PDFUnavailable) as error:
            raise CommandError(str(error)) from error
        for name, count in result.counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Exported to {directory}/manifest.json"))
