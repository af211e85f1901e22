"""The Serbian Latin interface catalogue is the Cyrillic one, transliterated
(languages/catalogues.py, `manage.py latinize_messages`)."""

import gettext
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from languages.catalogues import latinize_catalogue

CYRILLIC_PO = r"""# Serbian translation of the archive's interface.
# Преводилац: Ана Петровић
msgid ""
msgstr ""
"Project-Id-Version: archive\n"
"Last-Translator: Ана Петровић\n"
"Language: sr\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"

#: templates/base.html:12
msgid "Search"
msgstr "Претрага"

#: publishing/views.py:40
#, python-format
msgid "Published on %(date)s by <a href=\"%(url)s\">%(name)s</a>"
msgstr "Објављено %(date)s, <a href=\"%(url)s\">%(name)s</a>"

#, python-brace-format
msgid "{count} results for \"{query}\""
msgstr "{count} резултата за „{query}“"

msgctxt "navigation"
msgid "Agreements"
msgstr "Споразуми"

#, python-format
msgid "%(count)s brief"
msgid_plural "%(count)s briefs"
msgstr[0] "%(count)s анализа"
msgstr[1] "%(count)s анализе"
msgstr[2] "%(count)s анализа"

msgid "A long explanation\nin two lines"
msgstr ""
"ЊЕГОШЕВ дугачак текст\n"
"у два реда, Џ"

#, fuzzy
msgid "Draft"
msgstr "Нацрт"

#~ msgid "Old"
#~ msgstr "Старо"
"""


def test_every_translation_is_transliterated_and_nothing_else():
    latin = latinize_catalogue(CYRILLIC_PO)
    assert 'msgstr "Pretraga"' in latin
    # Placeholders, tags and PO escapes are ASCII: to_latin leaves them be.
    assert 'msgstr "Objavljeno %(date)s, <a href=\\"%(url)s\\">%(name)s</a>"' in latin
    assert 'msgstr "{count} rezultata za „{query}“"' in latin
    assert 'msgctxt "navigation"\nmsgid "Agreements"\nmsgstr "Sporazumi"' in latin
    assert 'msgstr[1] "%(count)s analize"' in latin
    # Lines are joined before converting: capitals stay capitals.
    assert 'msgstr ""\n"NJEGOŠEV dugačak tekst\\n"\n"u dva reda, Dž"' in latin
    assert "Language: sr_Latn\\n" in latin
    assert '"Last-Translator: Ana Petrović\\n"' in latin
    # Ids, comments, flags and obsolete entries are copied as they are.
    assert "# Преводилац: Ана Петровић" in latin
    assert '#, fuzzy\nmsgid "Draft"\nmsgstr "Nacrt"' in latin
    assert '#~ msgstr "Старо"' in latin
    assert latin.count("\n") == CYRILLIC_PO.count("\n")


def test_a_capital_digraph_across_two_lines_is_read_as_one_word():
    latin = latinize_catalogue('msgid "x"\nmsgstr ""\n"Њ"\n"ЕГОШ"\n')
    assert latin == 'msgid "x"\nmsgstr "NJEGOŠ"\n'


def test_latinizing_latin_changes_nothing_more():
    latin = latinize_catalogue(CYRILLIC_PO)
    assert latinize_catalogue(latin) == latin


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="needs gettext's msgfmt")
def test_the_command_writes_and_compiles_both_catalogues(tmp_path):
    source = tmp_path / "sr" / "LC_MESSAGES" / "django.po"
    source.parent.mkdir(parents=True)
    source.write_text(CYRILLIC_PO, encoding="utf-8")
    out = StringIO()
    call_command("latinize_messages", "--locale-dir", str(tmp_path), stdout=out)
    folder = tmp_path / "sr_Latn" / "LC_MESSAGES"
    assert (folder / "django.po").read_text(encoding="utf-8") == latinize_catalogue(
        CYRILLIC_PO
    )
    with open(folder / "django.mo", "rb") as compiled:
        latin = gettext.GNUTranslations(compiled)
    assert latin.gettext("Search") == "Pretraga"
    assert latin.ngettext("%(count)s brief", "%(count)s briefs", 3) == (
        "%(count)s analize"
    )
    assert latin.pgettext("navigation", "Agreements") == "Sporazumi"
    assert latin.gettext("Draft") == "Draft"  # fuzzy: not compiled
    with open(source.with_suffix(".mo"), "rb") as compiled:
        assert gettext.GNUTranslations(compiled).gettext("Search") == "Претрага"
    assert "Compiled" in out.getvalue()


def test_the_command_needs_the_cyrillic_catalogue(tmp_path):
    with pytest.raises(CommandError, match="makemessages"):
        call_command("latinize_messages", "--locale-dir", str(tmp_path))


CATALOGUES = Path(settings.LOCALE_PATHS[0])


def test_the_committed_latin_catalogue_is_the_cyrillic_one_transliterated():
    """Run `make messages` after changing locale/sr/LC_MESSAGES/django.po."""
    cyrillic = (CATALOGUES / "sr" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    latin = (CATALOGUES / "sr_Latn" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    assert latin == latinize_catalogue(cyrillic)


def _po_entries(text: str) -> list[dict]:
    """The live entries of a .po file: msgid, translations and flags.

    A small reader of the format (no polib: it is not a dependency), enough
    for catalogues as makemessages and latinize_messages write them.
    """
    entries, entry, field = [], None, None

    def unquote(line: str) -> str:
        return line[1:-1].encode("raw_unicode_escape").decode("unicode_escape")

    for line in text.splitlines() + [""]:
        line = line.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if line.startswith("#~"):  # obsolete
            continue
        if entry is None:
            entry = {"flags": set(), "msgid": "", "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field == "msgid":
                entry["msgid"] += unquote(line)
            elif field is not None:
                entry["msgstr"][field] += unquote(line)
        else:
            keyword, _, rest = line.partition(" ")
            if keyword == "msgid":
                field, entry["msgid"] = "msgid", unquote(rest)
            elif keyword.startswith("msgstr"):
                field = keyword
                entry["msgstr"][field] = unquote(rest)
            else:  # msgctxt, msgid_plural
                field = None
    return [e for e in entries if e["msgid"] or e["msgstr"]]


@pytest.mark.parametrize("catalogue", ["sr", "sr_Latn"])
def test_the_serbian_catalogues_are_complete(catalogue):
    """Every string of the interface is translated, none is left fuzzy."""
    path = Path(settings.LOCALE_PATHS[0]) / catalogue / "LC_MESSAGES" / "django.po"
    entries = [e for e in _po_entries(path.read_text()) if e["msgid"]]

    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_the_completeness_reader_sees_gaps_and_fuzzy_entries():
    entries = {e["msgid"]: e for e in _po_entries(CYRILLIC_PO) if e["msgid"]}

    assert entries["A long explanation\nin two lines"]["msgstr"]["msgstr"].startswith(
        "ЊЕГОШЕВ"
    )
    assert "fuzzy" in entries["Draft"]["flags"]
    assert "Old" not in entries
    assert all(entries["%(count)s brief"]["msgstr"].values())
    gap = _po_entries('msgid "Missing"\nmsgstr ""\n')
    assert gap[0]["msgstr"] == {"msgstr": ""}
