"""Names in both scripts from one value.

Actors, people, agreements, topics and institutions carry their English name
(`name`, or an agreement's `title`), a Serbian name `name_sr` written in
either script (blank: the name as it is), and `name_sr_cyrl`, an explicit
Cyrillic form where the automatic one is wrong ("Washington" →
"Вашингтон"). Latin from Cyrillic is exact, so no Latin override exists.
"""

import re
from collections.abc import Mapping

from languages import codes
from languages.transliteration import house_exceptions, to_cyrillic, to_latin

_LATIN_LETTER = re.compile(r"[A-Za-zčćđšžČĆĐŠŽ]")


def name_in(
    language: str | None,
    name: str,
    name_sr: str = "",
    name_sr_cyrl: str = "",
    exceptions: Mapping[str, str] | None = None,
) -> str:
    """The name to show readers of `language` (a Django language code).

    The automatic Cyrillic form follows the house exception list
    (`exceptions`, None: `house_exceptions()`, read once per content
    generation), as body text does: "EULEX" is "ЕУЛЕКС" in both.
    """
    public = codes.public_language(language)
    if public.code == codes.ENGLISH:
        return name
    serbian = name_sr or name
    if public.script == codes.LATIN:
        return to_latin(serbian)
    if name_sr_cyrl:
        return name_sr_cyrl
    if not _LATIN_LETTER.search(serbian):
        return serbian  # written in Cyrillic: nothing to convert, no list read
    if exceptions is None:
        exceptions = house_exceptions()
    return to_cyrillic(serbian, exceptions)
