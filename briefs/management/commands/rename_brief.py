from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefs.models import Brief
from briefs.services import change_brief_slug


class Command(BaseCommand):
    help = (
        "Give a brief a new address (slug). The old address keeps answering "
        "with a permanent redirect, so citations and links still resolve."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("old_slug")
        parser.add_argument("new_slug")

    def handle(self, *args, old_slug: str, new_slug: str, **options) -> None:
        brief = Brief.objects.filter(slug=old_slug).first()
        if brief is None:
            raise CommandError(f"No brief has the address “{old_slug}”.")
        try:
            change_brief_slug(brief=brief, new_slug=new_slug)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"{brief.title}: /briefs/{new_slug}/ (old /briefs/{old_slug}/ redirects)"
        )
