"""The Serbian Latin interface catalogue, made from the Cyrillic one.

The interface is translated once, into Serbian Cyrillic
(locale/sr/LC_MESSAGES/django.po); the Latin catalogue
(locale/sr_Latn/LC_MESSAGES/django.po) is that file with every translation
passed through `to_latin`, which is exact. `manage.py latinize_messages`
writes it; `make messages` runs makemessages, this and compilemessages.

Only translations (msgstr, msgstr[n]) change, plus the header's Language.
Message ids, contexts, comments, flags and obsolete entries are copied as
they are. Placeholders (%(name)s, %s, {name}) and HTML tags are left
untouched because `to_latin` changes Serbian Cyrillic letters only and they
are written in ASCII; so are PO escapes (\\n, \\", \\\\), which is why the
quoted text is converted without unescaping it.
"""

import re

from languages.transliteration import to_latin

# `msgstr "…"` or `msgstr[1] "…"`, then any continuation lines `"…"`.
_KEYWORD = re.compile(r'^(msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^\s*"(.*)"\s*$')
# In the header's joined text, where lines end in the escape \n.
_LANGUAGE = re.compile(r"(?:^|(?<=\\n))Language: [^\\]*\\n")


def _quoted(value: str) -> list[str]:
    """A PO string as lines, split after each \\n as gettext writes them."""
    pieces = re.split(r"(?<=\\n)(?=.)", value)
    if len(pieces) == 1:
        return [f'"{value}"']
    return ['""', *(f'"{piece}"' for piece in pieces)]


def latinize_catalogue(text: str, *, language: str = "sr_Latn") -> str:
    """The PO file `text` (Serbian Cyrillic) with its translations in Latin."""
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    header = True  # the first entry (msgid "") is the header
    while index < len(lines):
        line = lines[index]
        match = _KEYWORD.match(line)
        if not match:
            if line.startswith("msgid ") and line.strip() != 'msgid ""':
                header = False
            out.append(line)
            index += 1
            continue
        keyword, value = match.groups()
        index += 1
        parts = [value]
        while index < len(lines) and (more := _CONTINUATION.match(lines[index])):
            parts.append(more.group(1))
            index += 1
        # Joined before converting: "Њ" at the end of one line and a capital
        # at the start of the next are one word in capitals ("NJE…").
        converted = to_latin("".join(parts))
        if header:
            converted = _LANGUAGE.sub(f"Language: {language}\\\\n", converted)
            parts = [_LANGUAGE.sub(f"Language: {language}\\\\n", p) for p in parts]
            header = False
        # The lines as they were, unless a capital digraph spans two of them.
        pieces = [to_latin(part) for part in parts]
        if "".join(pieces) == converted:
            quoted = [f'"{piece}"' for piece in pieces]
        else:
            quoted = _quoted(converted)
        out.append(f"{keyword} {quoted[0]}")
        out.extend(quoted[1:])
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")
