"""`manage.py latinize_messages`: the Serbian Latin catalogue from the Cyrillic one."""

import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.utils import find_command

from languages.catalogues import latinize_catalogue


class Command(BaseCommand):
    help = (
        "Write locale/sr_Latn/LC_MESSAGES/django.po from locale/sr/ (Serbian "
        "Cyrillic), every translation transliterated to Latin, then compile both "
        "with msgfmt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--locale-dir",
            type=Path,
            default=Path(settings.LOCALE_PATHS[0]),
            help="The folder that holds sr/ and sr_Latn/ (default: LOCALE_PATHS[0]).",
        )
        parser.add_argument(
            "--no-compile",
            action="store_true",
            help="Only write the .po file (compiling needs gettext's msgfmt).",
        )

    def handle(self, *args: object, **options: object) -> None:
        folder: Path = options["locale_dir"]  # type: ignore[assignment]
        source = folder / "sr" / "LC_MESSAGES" / "django.po"
        target = folder / "sr_Latn" / "LC_MESSAGES" / "django.po"
        if not source.is_file():
            raise CommandError(f"{source} does not exist: run makemessages -l sr.")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            latinize_catalogue(source.read_text(encoding="utf-8")), encoding="utf-8"
        )
        self.stdout.write(f"Wrote {target}")
        if not options["no_compile"]:
            for catalogue in (source, target):
                self._compile(catalogue)

    def _compile(self, catalogue: Path) -> None:
        """catalogue.po → catalogue.mo, as compilemessages does it (msgfmt
        --check-format), for exactly these two files."""
        msgfmt = find_command("msgfmt")
        if msgfmt is None:
            raise CommandError(
                "msgfmt (GNU gettext) is needed to compile the catalogues: "
                "apt-get install gettext, or pass --no-compile."
            )
        compiled = catalogue.with_suffix(".mo")
        result = subprocess.run(
            [msgfmt, "--check-format", "-o", str(compiled), str(catalogue)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise CommandError(f"msgfmt refused {catalogue}:\n{result.stderr}")
        self.stdout.write(f"Compiled {compiled}")
