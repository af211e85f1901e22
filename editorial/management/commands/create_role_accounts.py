"""Create the three editorial accounts, one per role, in one command.

    .venv/bin/python manage.py create_role_accounts \
        --contributor ana --editor ivan --publisher mira

Each password comes from the environment (CONTRIBUTOR_PASSWORD,
EDITOR_PASSWORD, PUBLISHER_PASSWORD) or, when that is not set, from a prompt
(typed twice, never shown); with --no-input a missing one is an error.
Nothing prints a password. An account that exists keeps its password and is
put in its role's group, so running the command again changes nothing.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from editorial.accounts import ROLES, AccountError, create_role_account


class Command(BaseCommand):
    help = (
        "Create one staff account per editorial role (Contributor, Editor, "
        "Publisher); passwords from <ROLE>_PASSWORD or a prompt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        for role in ROLES:
            parser.add_argument(
                f"--{role.lower()}",
                metavar="USERNAME",
                default=role.lower(),
                help=f"username of the {role} account (default: {role.lower()})",
            )
        parser.add_argument(
            "--email-domain",
            default="",
            help="give each account the address <username>@<domain>",
        )
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="never prompt: every new account's password must be in the "
            "environment",
        )

    def _password(self, role: str, username: str, *, interactive: bool) -> str:
        variable = f"{role.upper()}_PASSWORD"
        if os.environ.get(variable):
            return os.environ[variable]
        if not interactive:
            raise CommandError(
                f"{username} ({role}) is new and {variable} is not set; set it "
                "or run without --no-input to be asked."
            )
        while True:
            first = getpass.getpass(f"Password for {username} ({role}): ")
            if first and first == getpass.getpass("The same again: "):
                return first
            self.stderr.write("The passwords differ or are empty; try again.")

    def handle(self, *args, email_domain: str, no_input: bool, **options) -> None:
        model = get_user_model()
        for role in ROLES:
            username = options[role.lower()]
            exists = model._default_manager.filter(
                **{model.USERNAME_FIELD: username}
            ).exists()
            password = (
                None
                if exists
                else self._password(role, username, interactive=not no_input)
            )
            try:
                account = create_role_account(
                    username=username,
                    role=role,
                    password=password,
                    email=f"{username}@{email_domain}" if email_domain else "",
                )
            except AccountError as error:
                raise CommandError(str(error)) from None
            done = "Created" if account.created else "Already there:"
            line = f"{done} {username} ({role})"
            if account.must_use_second_factor:
                line += "; sets up an authenticator app at the first sign-in"
            self.stdout.write(line + ".")
