"""`manage.py backup FILE`: every record as JSON Lines, for SQLite or PostgreSQL."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from publishing.backups import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write every record of the archive (briefs, their history, editions, "
        "people, actors, accounts, API keys...) to FILE as JSON Lines, without "
        "what a restore rebuilds (rendered editions, actor pages, search index)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The file to write (replaced).")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            result = write_backup(file)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        for label, count in result.counts.items():
            if count:
                self.stdout.write(f"{label}: {count}")
        self.stdout.write(
            self.style.SUCCESS(f"{result.records} records written to {file}")
        )
