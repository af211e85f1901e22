"""Which language a partner-API answer is in.

`?lang=` when given (a 400 naming it when it is not one of the archive's
languages), else the client's `Accept-Language`, else the default language.
Kernel imports no app, so the `languages` app, which knows the archive's
languages, their tags and their scripts, registers how to read both
(`register`, from its AppConfig.ready()); until it does, every answer is in
settings.LANGUAGE_CODE.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

PARAMETER = "lang"


@dataclass(frozen=True)
class Negotiator:
    # A `lang` value to a language code, or None when it names no language
    # of the archive.
    from_parameter: Callable[[str], str | None]
    # An Accept-Language header to a language code (the default when none fits).
    from_header: Callable[[str], str]
    # A language code to its BCP 47 tag, for Content-Language.
    tag: Callable[[str], str]
    # The values `lang` takes, in the order the documentation lists them.
    choices: tuple[str, ...]
    # How the 400 for a bad `lang` says what to send.
    hint: str


_negotiator: Negotiator | None = None


def register(negotiator: Negotiator) -> None:
    global _negotiator
    _negotiator = negotiator


def negotiator() -> Negotiator | None:
    return _negotiator


def default_language() -> str:
    return settings.LANGUAGE_CODE
