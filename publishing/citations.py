"""How to cite a brief: one neutral record, six pure formatters.

`citation_record(brief, edition=...)` is called once per edition, when the
edition is rendered, and the `CitationRecord` is stored with it (JSON, read
back with `record_from_json`). Every output — the APA, Chicago (author-date)
and MLA strings on the page, the BibTeX, RIS and CSL-JSON downloads, the PDF
title page, the OAI-PMH Dublin Core, the API's citation and the bulk export —
is a pure function of that stored record, so the formats can never disagree
about a name, a date or a version, and none of them reads the working brief.

Text is written as Unicode throughout (UTF-8 on the wire): "Ivić" stays
"Ivić" and the publisher's Cyrillic name stays Cyrillic in every format.

Each edition stores one record per public language (publishing/editions.py,
`render_edition`; read with `EditionQuerySet.rendered_in`): a Serbian brief
is cited in Cyrillic on /sr/ and in Latin on /sr-latn/ (title, abstract,
keywords, names by their Serbian forms), and the record's `language` says
which script (sr-Cyrl, sr-Latn); an English brief is cited in English in
every language. The formats say the language in their own terms: a CSL
locale (`CSL_LOCALES`), biblatex's `language` and `langid`, RIS `LA`.
"""

import datetime
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from briefs.models import Brief, Role
from languages import codes
from languages.transliteration import to_cyrillic, to_latin

if TYPE_CHECKING:
    from publishing.models import Edition

# Lower-case words that belong to the family name ("Ursula von der Leyen").
NAME_PARTICLES = {"da", "de", "del", "della", "der", "di", "du", "la", "le", "van"}
NAME_PARTICLES |= {"von", "ten", "ter", "dos", "das", "af", "al", "bin", "ibn"}

MLA_MONTHS = [
    "Jan.", "Feb.", "Mar.", "Apr.", "May", "June",
    "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
]  # fmt: skip
# The fixed words of the formatted citations, in the language of the cited
# document (a citation is written in the language of what it cites): an English
# brief is cited in English on every page; a Serbian one in the script its
# record is in (`record_in` gives the reader's), Latin made from the Cyrillic.
# Serbian follows the local usage: "и др.", "б. д.", "Уредник: …", "Превод: …".
CITATION_WORDS = {
    "en": {
        "no_date": "n.d.",
        "and": "and",
        "apa_and": "&",
        "serial_comma": True,
        "mla_pair": ", and ",
        "et_al": "et al.",
        "edited_by": "Edited by",
        "edited_by_many": "Edited by",
        "translated_by": "Translated by",
        "version": "version {number}",
        "updated": "updated {date}",
        "months": MLA_MONTHS,
        "day": "{day} {month} {year}",
    },
    "sr": {
        "no_date": "б. д.",
        "and": "и",
        "apa_and": "и",
        "serial_comma": False,
        "mla_pair": " и ",
        "et_al": "и др.",
        "edited_by": "Уредник:",
        "edited_by_many": "Уредници:",
        "translated_by": "Превод:",
        "version": "верзија {number}",
        "updated": "ажурирана {date}",
        "months": [
            "јануар", "фебруар", "март", "април", "мај", "јун",
            "јул", "август", "септембар", "октобар", "новембар", "децембар",
        ],
        "day": "{day}. {month} {year}",
    },
}  # fmt: skip


def citation_words(language: str) -> dict:
    """The fixed words for a record whose `language` is `language` (a tag)."""
    if not codes.is_serbian(language):
        return CITATION_WORDS["en"]
    words = CITATION_WORDS["sr"]
    if codes.public_language(language).script == codes.LATIN:
        return {
            key: [to_latin(v) for v in value]
            if isinstance(value, list)
            else to_latin(value)
            if isinstance(value, str)
            else value
            for key, value in words.items()
        }
    return words


BIBTEX_MONTHS = [
    "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec",
]  # fmt: skip


@dataclass(frozen=True)
class CitationName:
    """A person's name split the way citation styles need it."""

    family: str
    given: str = ""
    orcid: str = ""

    @classmethod
    def parse(cls, full_name: str, *, orcid: str = "") -> "CitationName":
        """Split "Petar Ivić" into given "Petar" and family "Ivić".

        People are stored with one name field (as the briefs credit them); the
        family name is the last word plus any lower-case particles before it.
        A one-word name is kept whole as the family name.
        """
        words = full_name.split()
        if len(words) <= 1:
            return cls(family=full_name.strip(), orcid=orcid)
        cut = len(words) - 1
        while cut > 1 and words[cut - 1] in NAME_PARTICLES:
            cut -= 1
        return cls(
            family=" ".join(words[cut:]), given=" ".join(words[:cut]), orcid=orcid
        )

    @property
    def natural(self) -> str:
        return f"{self.given} {self.family}".strip()

    @property
    def inverted(self) -> str:
        return f"{self.family}, {self.given}" if self.given else self.family

    @property
    def initials(self) -> str:
        """APA initials: "Ana-Marija Luka" gives "A.-M. L."."""
        parts = []
        for word in self.given.split():
            parts.append("-".join(f"{piece[0]}." for piece in word.split("-") if piece))
        return " ".join(parts)


@dataclass(frozen=True)
class Contributor:
    name: CitationName
    role: str  # a briefs.models.Role value


@dataclass(frozen=True)
class CitationRecord:
    """Everything any citation format needs, and nothing format-specific."""

    brief_id: int
    title: str
    genre: str  # "Policy brief": the kind of report
    authors: tuple[CitationName, ...]
    contributors: tuple[Contributor, ...]  # researchers, editors, translators
    issued: datetime.date | None
    publisher: str
    publisher_local: str  # the publisher's name in its own language and script
    place: str
    version: int  # the edition's number
    version_date: datetime.date | None  # the day that edition was published
    doi: str  # bare "10.xxxx/yyyy", or ""
    url: str  # the permanent link, /b/<id>/
    pdf_url: str
    abstract: str
    language: str
    keywords: tuple[str, ...] = field(default=())
    licence: str = ""
    licence_url: str = ""

    @property
    def key(self) -> str:
        """A BibTeX key in Zotero's style: family name, year, first title word."""
        family = _ascii(self.authors[0].family if self.authors else self.publisher)
        word = next(
            (
                w
                for w in re.findall(r"[A-Za-z0-9]+", _fold(self.title))
                if w.lower() not in {"a", "an", "the", "does", "do", "is", "are"}
            ),
            "",
        )
        year = self.issued.year if self.issued else "nd"
        return f"{family.lower()}{year}{word.lower()}-{self.brief_id}"

    @property
    def publisher_display(self) -> str:
        """The publisher with its local name: "Pupin Initiative (Пупин Иницијатива)"."""
        if self.publisher_local and self.publisher_local != self.publisher:
            return f"{self.publisher} ({self.publisher_local})"
        return self.publisher

    @property
    def version_label(self) -> str:
        """ "version 2, updated 2025-06-02" for a corrected brief, else ""."""
        if self.version <= 1:
            return ""
        words = self.words
        label = words["version"].format(number=self.version)
        if self.version_date:
            updated = words["updated"].format(date=f"{self.version_date:%Y-%m-%d}")
            label += f", {updated}"
        return label

    @property
    def words(self) -> dict:
        """The fixed words of its formatted citations (`citation_words`)."""
        return citation_words(self.language)

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def link(self) -> str:
        """What a reader should follow: the DOI if there is one, else the permalink."""
        return self.doi_url or self.url

    def with_role(self, role: str) -> tuple[CitationName, ...]:
        return tuple(c.name for c in self.contributors if c.role == role)


def normalize_doi(value: str) -> str:
    """Editors paste DOIs in many shapes; keep the bare "10.xxxx/..." form."""
    value = value.strip()
    value = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.I)
    return value


def site_url(path: str) -> str:
    """An absolute public address, independent of the request that asked."""
    return f"{settings.SITE_URL}{path}"


def citation_record(brief: Brief, *, edition: "Edition") -> CitationRecord:
    """The citation record of a brief, as `edition` publishes it.

    Called only where an edition is rendered (`render_edition`, for a real
    edition or the admin preview's would-be one) and stored with it as JSON;
    every public surface reads the stored record back (`record_from_json`).
    `brief` is the edition's snapshot restored as unsaved instances
    (`publishing.editions.restore_brief`), so `contributions`, `topics` and
    the rest answer from the snapshot.

    The derived facts come from the edition, each defined once there: the
    date is `edition.public_date` (publishing.editions.public_date), the
    version is `edition.number` and the version date `edition.updated_on`.
    """
    contributions = sorted(
        brief.contributions.all(), key=lambda c: (c.order, c.id or 0)
    )
    authors = tuple(
        CitationName.parse(c.person.name, orcid=c.person.orcid)
        for c in contributions
        if c.role == Role.AUTHOR
    )
    contributors = tuple(
        Contributor(CitationName.parse(c.person.name, orcid=c.person.orcid), c.role)
        for c in contributions
        if c.role != Role.AUTHOR
    )
    if not edition.is_current:
        # An older version is cited at its own stable address and PDF.
        url = site_url(edition.get_absolute_url())
        pdf_url = site_url(
            reverse(
                "briefs:edition-pdf",
                kwargs={"slug": brief.slug, "number": edition.number},
            )
        )
    else:
        url = site_url(reverse("permalink", kwargs={"pk": brief.pk}))
        pdf_url = site_url(reverse("briefs:pdf", kwargs={"slug": brief.slug}))
    publisher = settings.PUBLISHER
    return CitationRecord(
        brief_id=brief.pk,
        title=brief.title.strip(),
        genre=brief.get_kind_display(),
        authors=authors,
        contributors=contributors,
        issued=edition.public_date,
        publisher=publisher["name"],
        publisher_local=publisher.get("local_name", ""),
        place=publisher.get("place", ""),
        version=edition.number,
        version_date=edition.updated_on,
        doi=normalize_doi(brief.doi),
        url=url,
        pdf_url=pdf_url,
        abstract=" ".join(brief.summary.split()),
        language=brief.language,
        keywords=tuple(topic.name for topic in brief.topics.all()),
        licence=brief.get_licence_display(),
        licence_url=brief.licence_url,
    )


def _name_from_json(data: dict) -> CitationName:
    return CitationName(family=data["family"], given=data["given"], orcid=data["orcid"])


def record_from_json(data: dict) -> CitationRecord:
    """The record an edition stored (`dataclasses.asdict` as JSON), read back."""
    return CitationRecord(
        **{
            **data,
            "authors": tuple(_name_from_json(n) for n in data["authors"]),
            "contributors": tuple(
                Contributor(_name_from_json(c["name"]), c["role"])
                for c in data["contributors"]
            ),
            "issued": datetime.date.fromisoformat(data["issued"])
            if data["issued"]
            else None,
            "version_date": datetime.date.fromisoformat(data["version_date"])
            if data["version_date"]
            else None,
            "keywords": tuple(data["keywords"]),
        }
    )


# One record, two scripts ----------------------------------------------------------

# CSL locales of the archive's languages (the CSL project's locale files:
# locales-sr-RS.xml is Cyrillic, locales-sr-Latn-RS.xml Latin).
CSL_LOCALES = {"en": "en", "sr-Cyrl": "sr-Cyrl-RS", "sr-Latn": "sr-Latn-RS"}
# biblatex's language keys: `language` names the language (printed by styles),
# `langid` selects hyphenation and the babel/polyglossia module, whose
# Serbian is `serbian` (Latin) and `serbianc` (Cyrillic).
BIBLATEX_LANGUAGES = {"en": "english", "sr-Cyrl": "serbian", "sr-Latn": "serbian"}
BIBLATEX_LANGIDS = {"en": "english", "sr-Cyrl": "serbianc", "sr-Latn": "serbian"}


def _in_script(script: str) -> Callable[[str], str]:
    if script == codes.CYRILLIC:
        return lambda text: to_cyrillic(text) if text else text
    return lambda text: to_latin(text) if text else text


def record_in(record: CitationRecord, language: str | None) -> CitationRecord:
    """The record as readers of `language` (en, sr, sr-latn) would cite it,
    converted from one stored record (OAI-PMH gives both scripts' titles
    from the one it harvests; pages and files read their language's stored
    record instead, whose names follow the records' Serbian name fields).

    A Serbian brief is cited in the reader's script: its title, abstract,
    keywords and the names of its authors and contributors in Cyrillic on
    /sr/, in Latin on /sr-latn/, and its `language` says which script. An
    English reader gets it as its editor wrote it. An English brief is
    cited as it is in every language (its names are English names).
    The publisher keeps both its names, as on every surface.
    """
    if not codes.is_serbian(record.language):
        return record
    reader = codes.public_language(language)
    if reader.code == codes.ENGLISH:
        return record
    # Converted even in the editor's script: names are often stored in the
    # other one (a person's English name is their Latin name).
    convert = _in_script(reader.script)

    def name(n: CitationName) -> CitationName:
        return replace(n, family=convert(n.family), given=convert(n.given))

    return replace(
        record,
        title=convert(record.title),
        abstract=convert(record.abstract),
        authors=tuple(name(n) for n in record.authors),
        contributors=tuple(
            Contributor(name(c.name), c.role) for c in record.contributors
        ),
        keywords=tuple(convert(k) for k in record.keywords),
        language=reader.tag,
    )


# Formatted citations (APA 7, Chicago 17 author-date, MLA 9) ------------------


class _Marks:
    """Plain text or escaped HTML with the title in italics, from one code path."""

    def __init__(self, html: bool) -> None:
        self.html = html

    def text(self, value: str) -> str:
        return escape(value) if self.html else value

    def italic(self, value: str) -> str:
        return f"<i>{escape(value)}</i>" if self.html else value

    def link(self, url: str) -> str:
        if self.html:
            return f'<a href="{escape(url)}">{escape(url)}</a>'
        return url

    def done(self, value: str) -> str:
        return mark_safe(value) if self.html else value  # every part was escaped


def _period(text: str) -> str:
    """End a sentence once: no "?." after a question-mark title."""
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _join_names(names: list[str], *, conjunction: str, serial_comma: bool) -> str:
    if len(names) == 1:
        return names[0]
    if len(names) == 2 and not serial_comma:
        return f"{names[0]} {conjunction} {names[1]}"
    return ", ".join(names[:-1]) + f", {conjunction} {names[-1]}"


def _apa_authors(record: CitationRecord) -> str:
    names = [
        f"{n.family}, {n.initials}" if n.given else n.family for n in record.authors
    ]
    if len(names) > 20:  # APA 7: the first 19, an ellipsis, the last
        return ", ".join(names[:19]) + ", . . . " + names[-1]
    return _join_names(
        names,
        conjunction=record.words["apa_and"],
        serial_comma=record.words["serial_comma"],
    )


def format_apa(record: CitationRecord, *, html: bool = False) -> str:
    """APA 7th edition, report by a group publisher.

    Titles are printed as the editors wrote them: APA asks for sentence case,
    but lower-casing automatically would also lower "Balkans" or "NATO".
    """
    m = _Marks(html)
    year = str(record.issued.year) if record.issued else record.words["no_date"]
    detail = f" ({record.version_label})" if record.version_label else ""
    parts = []
    if record.authors:
        parts.append(m.text(f"{_period(_apa_authors(record))} ({year})."))
        publisher = f" {m.text(_period(record.publisher_display))}"
    else:  # the organisation is the author and is not repeated as publisher
        parts.append(m.text(f"{record.publisher_display}. ({year})."))
        publisher = ""
    title = m.italic(record.title) + m.text(f"{detail} [{record.genre}].")
    parts.append(f" {title}{publisher} {m.link(record.link)}")
    return m.done("".join(parts))


def _chicago_names(
    names: tuple[CitationName, ...], words: dict, *, limit: int = 10
) -> str:
    shown = list(names[:7]) if len(names) > limit else list(names)
    rendered = [shown[0].inverted] + [n.natural for n in shown[1:]]
    if len(names) > limit:
        return ", ".join(rendered) + ", " + words["et_al"]
    return _join_names(
        rendered, conjunction=words["and"], serial_comma=words["serial_comma"]
    )


def _role_phrase(
    record: CitationRecord, role: str, verb: str, *, lower: bool = False
) -> str:
    """ "Edited by A and B" (`verb` is a key of the record's words)."""
    names = [n.natural for n in record.with_role(role)]
    if not names:
        return ""
    words = record.words
    if verb == "edited_by" and len(names) > 1:
        verb = "edited_by_many"
    phrase = words[verb]
    if lower:
        phrase = phrase[0].lower() + phrase[1:]
    joined = _join_names(names, conjunction=words["and"], serial_comma=False)
    return f"{phrase} {joined}"


def format_chicago(record: CitationRecord, *, html: bool = False) -> str:
    """Chicago Manual of Style, 17th edition, author-date reference list entry."""
    m = _Marks(html)
    words = record.words
    year = str(record.issued.year) if record.issued else words["no_date"]
    who = _chicago_names(record.authors, words) if record.authors else record.publisher
    out = m.text(f"{_period(who)} {year}. ") + m.italic(record.title)
    out += m.text("" if record.title.endswith(("?", "!")) else ".")
    for phrase in (
        _role_phrase(record, Role.EDITOR, "edited_by"),
        _role_phrase(record, Role.TRANSLATOR, "translated_by"),
    ):
        if phrase:
            out += m.text(f" {phrase}.")
    genre = record.genre
    if record.version_label:
        genre += f", {record.version_label}"
    place = f"{record.place}: " if record.place else ""
    out += m.text(f" {genre}. {place}{record.publisher_display}. ")
    return m.done(out + m.link(record.link))


def _mla_date(value: datetime.date, words: dict) -> str:
    return words["day"].format(
        day=value.day, month=words["months"][value.month - 1], year=value.year
    )


def format_mla(record: CitationRecord, *, html: bool = False) -> str:
    """MLA Handbook, 9th edition, works-cited entry."""
    m = _Marks(html)
    words = record.words
    names = record.authors
    out = ""
    if len(names) == 1:
        out = f"{_period(names[0].inverted)} "
    elif len(names) == 2:
        out = f"{names[0].inverted}{words['mla_pair']}{_period(names[1].natural)} "
    elif names:
        out = f"{names[0].inverted}, {words['et_al']} "
    out = m.text(out) + m.italic(record.title)
    out += m.text("" if record.title.endswith(("?", "!")) else ".")
    elements = [
        _role_phrase(record, Role.EDITOR, "edited_by", lower=True),
        _role_phrase(record, Role.TRANSLATOR, "translated_by", lower=True),
        record.version_label,
        record.publisher_display,
        _mla_date(record.issued, words) if record.issued else "",
    ]
    body = ", ".join(e for e in elements if e)
    if body:
        body = body[0].upper() + body[1:]
    out += m.text(f" {body}, ") + m.link(record.link) + m.text(".")
    return m.done(out)


STYLES: dict[str, tuple[str, Callable[..., str]]] = {
    "apa": ("APA", format_apa),
    "chicago": ("Chicago (author-date)", format_chicago),
    "mla": ("MLA", format_mla),
}


def formatted_citations(record: CitationRecord) -> list[dict[str, str]]:
    """The formatted citations for the "Cite this" box, each as text and HTML."""
    return [
        {
            "style": style,
            "label": label,
            "text": formatter(record),
            "html": formatter(record, html=True),
        }
        for style, (label, formatter) in STYLES.items()
    ]


# Exchange formats (BibTeX, RIS, CSL-JSON) ---------------------------------------

_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(value: str) -> str:
    """Escape TeX's special characters; letters (ć, Ћ) stay UTF-8 as biber expects."""
    return "".join(_BIBTEX_SPECIALS.get(char, char) for char in " ".join(value.split()))


def _bibtex_names(names: tuple[CitationName, ...]) -> str:
    # A one-word name is braced so that BibTeX does not split it.
    return " and ".join(
        bibtex_escape(n.inverted) if n.given else "{" + bibtex_escape(n.family) + "}"
        for n in names
    )


def _other_roles_note(record: CitationRecord) -> str:
    """Researchers have no field in BibTeX or RIS; credit them in the note."""
    researchers = [n.natural for n in record.with_role(Role.RESEARCHER)]
    if not researchers:
        return ""
    return "Research: " + ", ".join(researchers)


def format_bibtex(record: CitationRecord) -> str:
    """A `@techreport` entry (BibTeX), with biblatex's extra fields where useful.

    The title is double-braced so that styles keep its capitals ("Balkans",
    "NATO"); URLs and the DOI are verbatim fields and are not escaped.
    """
    fields: list[tuple[str, str]] = []
    if record.authors:
        fields.append(("author", _bibtex_names(record.authors)))
    fields.append(("title", "{" + bibtex_escape(record.title) + "}"))
    if editors := record.with_role(Role.EDITOR):
        fields.append(("editor", _bibtex_names(editors)))
    if translators := record.with_role(Role.TRANSLATOR):
        fields.append(("translator", _bibtex_names(translators)))
    fields.append(("institution", bibtex_escape(record.publisher_display)))
    if record.place:
        fields.append(("address", bibtex_escape(record.place)))
    fields.append(("type", bibtex_escape(record.genre)))
    if record.issued:
        fields.append(("year", str(record.issued.year)))
        fields.append(("month", BIBTEX_MONTHS[record.issued.month - 1]))
        fields.append(("date", record.issued.isoformat()))
    if record.version > 1:
        fields.append(("version", str(record.version)))
    note = "; ".join(n for n in (record.version_label, _other_roles_note(record)) if n)
    if note:
        fields.append(("note", bibtex_escape(note)))
    if record.doi:
        fields.append(("doi", record.doi.replace("{", "").replace("}", "")))
    fields.append(("url", record.url))
    fields.append(("language", BIBLATEX_LANGUAGES.get(record.language, "english")))
    fields.append(("langid", BIBLATEX_LANGIDS.get(record.language, "english")))
    if record.abstract:
        fields.append(("abstract", bibtex_escape(record.abstract)))
    if record.keywords:
        fields.append(("keywords", bibtex_escape(", ".join(record.keywords))))
    lines = [f"@techreport{{{record.key},"]
    for name, value in fields:
        # The month is a BibTeX macro (jan..dec), written without braces.
        rendered = value if name == "month" else "{" + value + "}"
        lines.append(f"  {name} = {rendered},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


def format_ris(record: CitationRecord) -> str:
    """A RIS record of type RPRT (report).

    Tags as Zotero and EndNote read them: AU authors in order, A2 editors,
    A4 translators, M3 the kind of report, ET the version, N1 notes.
    """
    lines = [_ris_line("TY", "RPRT")]
    lines += [_ris_line("AU", n.inverted) for n in record.authors]
    lines += [_ris_line("A2", n.inverted) for n in record.with_role(Role.EDITOR)]
    lines += [_ris_line("A4", n.inverted) for n in record.with_role(Role.TRANSLATOR)]
    lines.append(_ris_line("TI", record.title))
    lines.append(_ris_line("M3", record.genre))
    if record.issued:
        lines.append(_ris_line("PY", str(record.issued.year)))
        lines.append(_ris_line("DA", record.issued.strftime("%Y/%m/%d")))
    lines.append(_ris_line("PB", record.publisher_display))
    if record.place:
        lines.append(_ris_line("CY", record.place))
    if record.version_label:
        lines.append(_ris_line("ET", record.version_label))
    if record.doi:
        lines.append(_ris_line("DO", record.doi))
    lines.append(_ris_line("UR", record.url))
    lines.append(_ris_line("L1", record.pdf_url))
    if record.abstract:
        lines.append(_ris_line("AB", record.abstract))
    lines += [_ris_line("KW", keyword) for keyword in record.keywords]
    lines.append(_ris_line("LA", record.language))
    for note in (record.version_label, _other_roles_note(record)):
        if note:
            lines.append(_ris_line("N1", note))
    lines.append("ER  - ")
    # RIS is line-based with CRLF in the original specification; tools accept both.
    return "\r\n".join(lines) + "\r\n"


def _csl_names(names: tuple[CitationName, ...]) -> list[dict[str, str]]:
    return [
        {"family": n.family, "given": n.given} if n.given else {"literal": n.family}
        for n in names
    ]


def csl_item(record: CitationRecord) -> dict:
    """A CSL-JSON item of type "report" (CSL 1.0.2 variables)."""
    item: dict = {
        "id": record.key,
        "type": "report",
        "title": record.title,
        "genre": record.genre,
        "publisher": record.publisher_display,
        "URL": record.url,
        # A CSL locale: processors choose terms and quotes by it.
        "language": CSL_LOCALES.get(record.language, record.language),
    }
    if record.authors:
        item["author"] = _csl_names(record.authors)
    for role, variable in (
        (Role.EDITOR, "editor"),
        (Role.TRANSLATOR, "translator"),
        (Role.RESEARCHER, "contributor"),  # CSL's variable for other contributors
    ):
        if names := record.with_role(role):
            item[variable] = _csl_names(names)
    if record.place:
        item["publisher-place"] = record.place
    if record.issued:
        item["issued"] = {
            "date-parts": [[record.issued.year, record.issued.month, record.issued.day]]
        }
    if record.version > 1:
        item["version"] = str(record.version)
        item["note"] = record.version_label
    if record.doi:
        item["DOI"] = record.doi
    if record.abstract:
        item["abstract"] = record.abstract
    if record.keywords:
        item["keyword"] = ", ".join(record.keywords)
    if record.licence:
        item["license"] = record.licence_url or record.licence
    return item


def format_csl_json(record: CitationRecord) -> str:
    """CSL-JSON: a list with one item, as Zotero and citeproc processors expect."""
    return json.dumps([csl_item(record)], ensure_ascii=False, indent=2) + "\n"


def format_coins(record: CitationRecord) -> str:
    """An OpenURL ContextObject for a COinS span, which Zotero reads from a page."""
    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"),
        ("rft.genre", "report"),
        ("rft.btitle", record.title),
        *[("rft.au", name.inverted) for name in record.authors],
        ("rft.pub", record.publisher_display),
        ("rft.place", record.place),
        ("rft.date", record.issued.isoformat() if record.issued else ""),
        ("rft.edition", record.version_label),
        ("rft_id", record.url),
        ("rft_id", f"info:doi/{record.doi}" if record.doi else ""),
        ("rft.language", record.language),
    ]
    return urlencode([(key, value) for key, value in pairs if value])


EXPORT_FORMATS: dict[str, tuple[Callable[[CitationRecord], str], str]] = {
    "bib": (format_bibtex, "application/x-bibtex"),
    "ris": (format_ris, "application/x-research-info-systems"),
    "json": (format_csl_json, "application/vnd.citationstyles.csl+json"),
}


def citation_payload(record: CitationRecord) -> dict:
    """Every citation of a brief in one JSON-ready dict, for the partner API."""
    return {
        "permanent_url": record.url,
        "pdf_url": record.pdf_url,
        "doi": record.doi or None,
        "version": record.version,
        "apa": format_apa(record),
        "chicago": format_chicago(record),
        "mla": format_mla(record),
        "bibtex": format_bibtex(record),
        "ris": format_ris(record),
        "csl": [csl_item(record)],
    }


def _fold(value: str) -> str:
    """Fold "Ivić" (and "Ивић") to "Ivic": BibTeX keys must be ASCII for older
    tools, and a brief's key is the same in both scripts."""
    decomposed = unicodedata.normalize("NFKD", to_latin(value))
    return decomposed.encode("ascii", "ignore").decode()


def _ascii(value: str) -> str:
    """One ASCII word from a name, for a BibTeX key."""
    return re.sub(r"[^A-Za-z0-9]", "", _fold(value)) or "x"
