"""Delete a staff user's second-factor devices, for a user locked out of them.

    .venv/bin/python manage.py reset_second_factor <username>

The way back in for the last superuser who lost both phone and recovery
codes (anyone else can be reset by a superuser in the admin). The user sets
up a new authenticator app at their next sign-in; their sign-in pause, if
any, is lifted too.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from editorial.second_factor import reset


class Command(BaseCommand):
    help = "Delete a user's second-factor devices; they enrol again at sign-in."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        model = get_user_model()
        try:
            user = model._default_manager.get_by_natural_key(username)
        except model.DoesNotExist:
            raise CommandError(f"No user is called {username!r}.") from None
        count = reset(user)
        self.stdout.write(
            f"Deleted {count} second-factor device(s) of {username}; "
            "they set up a new authenticator app at their next sign-in."
        )
