"""Names in both scripts from one value.

Actors, people, agreements, topics and institutions carry their English name
(`name`, or an agreement's `title`), a Serbian name `name_sr` written in
either script (blank: the name as it is), and `name_sr_cyrl`, an explicit
Cyrillic form where the automatic one is wrong ("Washington" →
"Вашингтон"). Latin from Cyrillic is exact, so no Latin override exists.
"""

from collections.abc import Mapping

from languages import codes
from languages.transliteration import to_cyrillic, to_latin


def name_in(
    language: str | None,
    name: str,
    name_sr: str = "",
    name_sr_cyrl: str = "",
    exceptions: Mapping[str, str] | None = None,
) -> str:
    """The name to show readers of `language` (a Django language code)."""
    public = codes.public_language(language)
    if public.code == codes.ENGLISH:
        return name
    serbian = name_sr or name
    if public.script == codes.LATIN:
        return to_latin(serbian)
    return name_sr_cyrl or to_cyrillic(serbian, exceptions)
