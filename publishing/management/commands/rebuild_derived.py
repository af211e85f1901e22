"""`manage.py rebuild_derived`: rebuild every table made from the others."""

from django.core.management.base import BaseCommand

from publishing.backups import rebuild_derived


class Command(BaseCommand):
    help = (
        "Render every edition and actor page again, rebuild the search index, "
        "refresh the planner statistics and retire the page cache: run after "
        "pg_restore, loaddata or any copy of the database made behind the "
        "archive's back (`restore` runs it itself)."
    )

    def handle(self, *args, **options) -> None:
        for name, count in rebuild_derived().items():
            self.stdout.write(f"rebuilt {name}: {count}")
