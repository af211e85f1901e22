"""Empty and refill the full-text search index from the database."""

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from archive import search


class Command(BaseCommand):
    help = "Rebuild the search index (briefs, actors, agreements, people)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only",
            choices=[index.table for index in search.INDEXES],
            help="Rebuild one index table only.",
        )
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar."
        )

    def handle(self, *args, only: str | None, batch_size: int, no_progress: bool,
               **options) -> None:  # fmt: skip
        for index in search.INDEXES:
            if only and index.table != only:
                continue
            total = index.queryset().count()
            with tqdm(
                total=total,
                desc=index.model._meta.verbose_name_plural,
                unit="doc",
                disable=no_progress,
                file=self.stderr,
            ) as bar:
                count = search.rebuild(
                    index, batch_size=batch_size, progress=bar.update
                )
            self.stdout.write(f"{index.table}: {count} indexed")
