"""Make one workflow move from the command line, under the same rules as the admin."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from briefs.models import Brief
from editorial.workflow import Action, TransitionError, transition_brief


class Command(BaseCommand):
    help = (
        "Move a brief through the editorial workflow as the given user, e.g. "
        "`brief_transition my-brief publish --user ana --at 2025-06-02T09:00`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("action", choices=Action.values)
        parser.add_argument(
            "--user", required=True, help="Username whose permissions apply."
        )
        parser.add_argument("--comment", default="", help="For the workflow log.")
        parser.add_argument(
            "--note",
            default="",
            help="Public text: the withdrawal reason or the correction note.",
        )
        parser.add_argument(
            "--at",
            type=datetime.datetime.fromisoformat,
            help="Release time for publish (ISO 8601; local time if no offset).",
        )

    def handle(self, *args, **options) -> None:
        try:
            user = get_user_model().objects.get_by_natural_key(options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user “{options['user']}”.") from None
        brief = Brief.objects.filter(slug=options["slug"]).first()
        if brief is None:
            raise CommandError(f"No brief with the slug “{options['slug']}”.")
        publish_at = options["at"]
        if publish_at is not None and timezone.is_naive(publish_at):
            publish_at = timezone.make_aware(publish_at)
        try:
            result = transition_brief(
                brief,
                user=user,
                action=options["action"],
                comment=options["comment"],
                public_note=options["note"],
                publish_at=publish_at,
            )
        except TransitionError as error:
            raise CommandError(error.message) from None
        for finding in result.findings:
            self.stdout.write(f"{finding.level}: {finding.message}")
        target = result.brief
        self.stdout.write(
            f"{Action(options['action']).label}: done"
            + (
                f"; “{target.slug}” is now {target.get_status_display().lower()}."
                if target
                else "."
            )
        )
