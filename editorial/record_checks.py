"""Pure helpers for the checks against the record (editorial/checks.py).

Nothing here reads the database: the checks hand in the text, the mention
spans the scanner found and the records, and get back what the text states.
Each helper is small and tested on its own (tests/editorial/test_record_checks.py).

The text is read one sentence at a time. In a sentence, each actor mention
becomes a marker `⟦n⟧` (n indexes the sentence's mentions), so the patterns
below speak of actors without knowing their names or scripts: "NATO members
such as Croatia, Albania, and Kosovo" reads "⟦0⟧ members such as ⟦1⟧, ⟦2⟧,
and ⟦3⟧". Patterns are few and strict: a statement the patterns do not
recognise is not checked (precision over recall).
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext

from archive.search import fold

# --- Sentences and markers ----------------------------------------------------

_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
# A sentence ends at a line break, or at . ! ? followed by a space and a
# capital, a quote or a bracket; "U.S. National" splits too (a missed check,
# never a false one).
_SENTENCE_END = re.compile(r"\n|(?<=[.!?])[ \t]+(?=[\"“‘(\[A-Z])")
MAX_SENTENCE = 2000  # longer "sentences" (tables of nothing, runs) are skipped


def without_fences(text: str) -> str:
    """`text` with fenced code blocks blanked (same length, positions kept)."""
    return _FENCE.sub(lambda m: " " * len(m.group()), text)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank sentence of `text`, in order."""
    out = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[start : match.start()].strip():
            out.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def quote(text: str, start: int, end: int, limit: int = 160) -> str:
    """The sentence text[start:end], whitespace squeezed, cut to `limit` chars."""
    sentence = " ".join(text[start:end].split()).lstrip("#|>-* ").strip()
    if len(sentence) <= limit:
        return sentence
    return sentence[: limit - 1].rstrip() + "…"


MARK = "⟦{}⟧"
ACT = r"⟦(\d+)⟧"


def masked(text: str, spans: list[tuple[int, int, int]]) -> tuple[str, list[int]]:
    """`text` with each mention span replaced by a marker; and the actor ids.

    `spans` are (start, end, actor_id) relative to `text`, in order.
    """
    out, ids, pos = [], [], 0
    for start, end, actor_id in spans:
        out.append(text[pos:start])
        out.append(MARK.format(len(ids)))
        ids.append(actor_id)
        pos = end
    out.append(text[pos:])
    return "".join(out), ids


def marker_ids(fragment: str) -> list[int]:
    """The marker numbers in a fragment of masked text, in order."""
    return [int(n) for n in re.findall(ACT, fragment)]


_YEAR = re.compile(r"(?<!\d)(?<!\d[,.])(1[89]\d\d|20\d\d)(?!\d|[,.]\d)")


def years(text: str) -> set[int]:
    """The years a sentence names ("in 2016", "March 2025")."""
    return {int(y) for y in _YEAR.findall(text)}


# --- Dates --------------------------------------------------------------------


def held_on(since, until, on: datetime.date) -> bool:
    """A dated record (membership, office) in force on `on`; `until` is the
    first day it no longer holds, as `Membership.objects.active_on` reads it."""
    return (since is None or since <= on) and (until is None or until > on)


def held_during(since, until, year: int) -> bool:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (since is None or since <= last) and (until is None or until > first)


def held_then(since, until, on: datetime.date, named_years: Iterable[int]) -> bool:
    """In force on the brief's date, or during a year the sentence names."""
    return held_on(since, until, on) or any(
        held_during(since, until, y) for y in named_years
    )


def span_text(since, until) -> str:
    """ "since 2017-05-31", "2014-10-01 – 2024-10-01": a record's dates."""
    if since and until:
        return f"{since.isoformat()} – {until.isoformat()}"
    if since:
        return gettext("since %(date)s") % {"date": since.isoformat()}
    if until:
        return gettext("until %(date)s") % {"date": until.isoformat()}
    return gettext("undated")


# --- Lists of actors ------------------------------------------------------------

# "⟦1⟧, ⟦2⟧ and ⟦3⟧", "⟦1⟧, ⟦2⟧, and the ⟦3⟧", "⟦1⟧ and ⟦2⟧".
_THE = r"(?:the\s+)?"
LIST = rf"{_THE}{ACT}(?:\s*,\s*(?:and\s+)?{_THE}{ACT}|\s+and\s+{_THE}{ACT})+"
# "⟦1⟧–⟦2⟧–⟦3⟧" (en dash, em dash or hyphen).
DASH_LIST = rf"{ACT}(?:\s*[–—-]\s*{ACT})+"


# --- Memberships ---------------------------------------------------------------

# Words that make "X member" something else: "non-NATO member", "aspiring EU
# members", "former NATO member".
_NOT_PLAIN = re.compile(
    r"(?:\bnon[- ]?|\b(?:former|aspiring|future|prospective|would-be|candidate|"
    r"ex|not|never|no)[- ]|-)\s*$",
    re.IGNORECASE,
)
_ORGS = rf"{ACT}(?:\s*(?:,|and)\s*{ACT})?"
_MEMBER = r"(?:member(?:\s+state|\s+country)?|ally)"
_MEMBERS = r"(?:members|member\s+states|member\s+countries|allies|countries|states)"

MEMBERSHIP_CLAIMS = [
    # "⟦Croatia⟧, an ⟦EU⟧ and ⟦NATO⟧ member", "⟦X⟧, also a ⟦NATO⟧ ally"
    (
        True,
        re.compile(rf"(?P<m>{ACT}),\s+(?:also\s+)?an?\s+(?P<o>{_ORGS})\s+{_MEMBER}\b"),
    ),
    # "⟦X⟧, a member of ⟦NATO⟧"; "⟦X⟧ is a member of ⟦NATO⟧"
    (
        True,
        re.compile(
            rf"(?P<m>{ACT})(?:,|\s+(?:is|remains))\s+(?:also\s+)?a\s+member\s+of\s+"
            rf"(?:the\s+)?(?P<o>{_ORGS})"
        ),
    ),
    # "⟦Hungary⟧ remains a ⟦NATO⟧ member"
    (
        True,
        re.compile(
            rf"(?P<m>{ACT})\s+(?:is|remains)\s+(?:also\s+)?an?\s+(?P<o>{_ORGS})\s+"
            rf"{_MEMBER}\b"
        ),
    ),
    # "As a ⟦NATO⟧ member, ⟦Albania⟧"
    (True, re.compile(rf"\b[Aa]s\s+an?\s+(?P<o>{_ORGS})\s+{_MEMBER},\s+(?P<m>{ACT})")),
    # "⟦NATO⟧ member ⟦Albania⟧", "⟦NATO⟧ members ⟦Albania⟧ and ⟦Croatia⟧"
    (
        True,
        re.compile(
            rf"(?P<o>{_ORGS})\s+(?:member|members|member\s+states?|ally|allies)\s+"
            rf"(?P<m>{LIST}|{ACT})"
        ),
    ),
    # "⟦NATO⟧ members such as ⟦A⟧, ⟦B⟧, and ⟦C⟧", "⟦NATO⟧ countries (⟦A⟧, ⟦B⟧)"
    (
        True,
        re.compile(
            rf"(?P<o>{_ORGS})\s+{_MEMBERS}\s*,?\s*(?:such\s+as\s+|like\s+|including\s+|\(\s*)"
            rf"(?P<m>{LIST}|{ACT})"
        ),
    ),
    # "⟦Kosovo⟧, as a non-⟦NATO⟧ member"; "⟦Serbia⟧ is not a member of ⟦NATO⟧"
    (
        False,
        re.compile(
            rf"(?P<m>{ACT}),?\s+(?:as\s+)?an?\s+non-?\s*(?P<o>{_ORGS})\s+"
            rf"(?:{_MEMBER}|state|country)\b"
        ),
    ),
    (
        False,
        re.compile(
            rf"(?P<m>{ACT})\s+is\s+not\s+a\s+member\s+of\s+(?:the\s+)?(?P<o>{ACT})"
            rf"(?!\s*(?:,|and|or))"
        ),
    ),
]


@dataclass(frozen=True)
class MembershipClaim:
    member: int  # marker numbers in the sentence
    organization: int
    member_of: bool  # False: the text says it is not a member


def membership_claims(masked_sentence: str) -> list[MembershipClaim]:
    """What the sentence states about memberships, marker by marker."""
    claims: dict[tuple[int, int], MembershipClaim] = {}
    for positive, pattern in MEMBERSHIP_CLAIMS:
        for match in pattern.finditer(masked_sentence):
            org_start = match.start("o")
            if positive and _NOT_PLAIN.search(masked_sentence[:org_start]):
                continue
            for org in marker_ids(match.group("o")):
                for member in marker_ids(match.group("m")):
                    claims.setdefault(
                        (member, org), MembershipClaim(member, org, positive)
                    )
    return list(claims.values())


# --- Offices ------------------------------------------------------------------

TITLE_ABBREVIATIONS = {"PM": "Prime Minister"}
# A word before a title that makes it another office: "Vice President",
# "Deputy Prime Minister", "then-President".
_TITLE_MODIFIERS = {
    "vice",
    "deputy",
    "acting",
    "interim",
    "assistant",
    "first",
    "then",
    "co",
    "under",
    "honorary",
    "late",
    "elect",
    "designate",
    "shadow",
    "foreign",
    "defence",
    "defense",
}
# "hosted in Budapest President X": the place is not whose office it is.
_PLACE_WORDS = {
    "in", "to", "from", "at", "into", "across", "for", "against", "between",
    "than", "over", "visited", "visits", "hosted", "hosts", "toward", "towards",
    "via", "on", "near", "outside", "inside", "within", "around", "through",
}  # fmt: skip
_FORMER = re.compile(r"(?:\b[Ff]ormer|\b[Ee]x-)\s*$")


def title_pattern(titles: Iterable[str]) -> re.Pattern | None:
    """Prefix titles: "[⟦of⟧'s] Title ⟦person⟧" ("Serbia's President ⟦Vučić⟧")."""
    names = sorted({t for t in titles if t.strip()}, key=len, reverse=True)
    if not names:
        return None
    alternatives = "|".join(re.escape(t) for t in names)
    return re.compile(
        rf"(?:(?P<of>{ACT})(?:['’]s)?\s+)?(?<![\w-])(?P<title>{alternatives})\s+(?P<p>{ACT})"
    )


def appositive_pattern(titles: Iterable[str]) -> re.Pattern | None:
    """ "⟦person⟧, [the] [former] Title of ⟦of⟧," — the title ends the phrase."""
    names = sorted({t for t in titles if t.strip()}, key=len, reverse=True)
    if not names:
        return None
    alternatives = "|".join(re.escape(t) for t in names)
    return re.compile(
        rf"(?P<p>{ACT}),\s+(?:the\s+)?(?P<former>former\s+)?(?:(?P<of>{ACT})['’]s\s+)?"
        rf"(?P<title>{alternatives})(?:\s+of\s+(?:the\s+)?(?P<of2>{ACT}))?\s*(?:[,.;)]|$)",
        re.IGNORECASE,
    )


@dataclass(frozen=True)
class TitleClaim:
    person: int  # marker numbers
    title: str  # as recorded (abbreviations expanded)
    of: int | None
    former: bool


def title_claims(
    masked_sentence: str, prefix: re.Pattern | None, appositive: re.Pattern | None
) -> list[TitleClaim]:
    claims = []
    for match in prefix.finditer(masked_sentence) if prefix else ():
        before = masked_sentence[: match.start("title")]
        if match.group("of") is None:
            word = re.search(r"([\w]+)[\s-]*$", before)
            if (
                word
                and word.group(1).lower() not in {"former", "ex"}
                and (
                    word.group(1).lower() in _TITLE_MODIFIERS
                    or (word.group(1)[:1].isupper() and not before.endswith("⟧ "))
                )
            ):
                continue  # "Vice President X", "Foreign Minister X", "The ..."
        if re.search(r"-\s*$", before):
            continue  # "then-President X"
        title = match.group("title")
        of = match.group("of")
        possessive = of and re.match(r"['’]s", masked_sentence[match.end("of") :])
        if of and not possessive:
            word = re.search(r"(\w+)\s*$", masked_sentence[: match.start("of")])
            if word and word.group(1).lower() in _PLACE_WORDS:
                of = None  # judge the title alone
        claims.append(
            TitleClaim(
                person=int(match.group("p")[1:-1]),
                title=TITLE_ABBREVIATIONS.get(title, title),
                of=int(of[1:-1]) if of else None,
                former=bool(_FORMER.search(masked_sentence[: match.start()])),
            )
        )
    for match in appositive.finditer(masked_sentence) if appositive else ():
        of = match.group("of") or match.group("of2")
        title = match.group("title")
        claims.append(
            TitleClaim(
                person=int(match.group("p")[1:-1]),
                title=TITLE_ABBREVIATIONS.get(title, title),
                of=int(of[1:-1]) if of else None,
                former=bool(match.group("former")),
            )
        )
    return claims


def same_title(a: str, b: str) -> bool:
    return fold(TITLE_ABBREVIATIONS.get(a, a)) == fold(TITLE_ABBREVIATIONS.get(b, b))


# --- Agreements -----------------------------------------------------------------

AGREEMENT_NOUNS = {
    "declaration": "joint_declaration",
    "pact": None,
    "agreement": None,
    "alliance": None,
    "trio": None,
    "bloc": None,
    "axis": None,
    "accord": None,
    "treaty": "treaty",
    "plan": "defense_cooperation_plan",
    "memorandum": "mou",
    "partnership": "strategic_partnership",
}
_NOUN = r"(?:joint\s+|defen[cs]e\s+|cooperation\s+|trilateral\s+|bilateral\s+)*" + (
    r"(?P<noun>" + "|".join(AGREEMENT_NOUNS) + r")s?\b"
)
# "the ⟦Tirana⟧ declaration of ⟦A⟧, ⟦B⟧ and ⟦C⟧", "the ⟦Tirana⟧ trio (⟦A⟧, ⟦B⟧, ⟦C⟧)"
PLACE_NAMED = re.compile(
    rf"(?P<place>{ACT})\s+{_NOUN}\s*(?:\(\s*(?P<list>{LIST})\s*\)|,?\s+(?:of|between|"
    rf"among|by|signed\s+by)\s+(?P<list2>{LIST}))"
)
# "the ⟦A⟧–⟦B⟧–⟦C⟧ pact"
DASH_NAMED = re.compile(rf"(?P<list>{DASH_LIST})\s+{_NOUN}")


@dataclass(frozen=True)
class PartyList:
    parties: tuple[int, ...]  # marker numbers, as listed
    place: int | None  # marker of the place named before the noun
    noun: str


def party_lists(masked_sentence: str) -> list[PartyList]:
    found = []
    for match in PLACE_NAMED.finditer(masked_sentence):
        listed = match.group("list") or match.group("list2")
        found.append(
            PartyList(
                tuple(marker_ids(listed)),
                int(match.group("place")[1:-1]),
                match.group("noun").lower(),
            )
        )
    for match in DASH_NAMED.finditer(masked_sentence):
        found.append(
            PartyList(
                tuple(marker_ids(match.group("list"))),
                None,
                match.group("noun").lower(),
            )
        )
    return found


def differing_parties(listed: set, recorded: set) -> bool:
    """A list that names the agreement's parties with one wrong or missing:
    it shares all but at most one of them. A list sharing fewer is more likely
    another agreement than a slip, and is not judged."""
    if listed == recorded or len(recorded) < 2:
        return False
    return len(listed & recorded) >= len(recorded) - 1 and len(listed & recorded) >= 1


# --- Figures --------------------------------------------------------------------

# Metric words: what follows a number ("30,000 active troops"). Troops alone
# are a mission's deployed strength; a state's need "active".
METRIC_WORDS = [
    (
        "active_troops",
        r"active(?:[- ]duty)?\s+(?:troops|soldiers|personnel|servicemen)",
    ),
    ("main_battle_tanks", r"(?:main\s+battle\s+)?tanks|MBTs"),
    (
        "combat_aircraft",
        r"(?:main\s+)?combat\s+(?:aircraft|jets)|fighter\s+(?:jets|aircraft)|fighters",
    ),
    ("rocket_launchers", r"(?:multiple\s+)?rocket\s+launchers"),
    ("peacekeepers", r"peacekeepers|troops|soldiers"),
]
_METRIC_RE = "|".join(f"(?P<{name}>{words})" for name, words in METRIC_WORDS)
_HEDGE = (
    r"(?P<hedge>about|around|approximately|roughly|some|nearly|almost|an\s+estimated|"
    r"close\s+to|over|more\s+than|at\s+least|fewer\s+than|less\s+than|under|up\s+to)"
)
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FIGURE = (
    rf"(?:{_HEDGE}\s+)?(?:between\s+(?P<lo>{_NUM})\s+and\s+(?P<hi>{_NUM})|"
    rf"(?P<n>{_NUM})(?:\s*(?:–|—|-|to)\s*(?P<n2>{_NUM}))?)"
    r"(?:\s+(?P<scale>thousand|million|billion))?"
)
_VERBS = (
    r"(?:has|had|have|fields|operates|maintains|possesses|keeps|counts|deploys|flies|"
    r"numbers|musters)"
)
# Up to three words between the number and the metric word, none a number.
_FILLER = r"(?:[^\W\d]+\s+){0,3}?"
FIGURE_STATEMENTS = [
    # "⟦Serbia⟧ has 30,000 active troops", "⟦EUFOR⟧ keeps about 1,100 troops"
    re.compile(
        rf"(?P<a>{ACT})\s+{_VERBS}\s+(?:ordered\s+)?(?:a\s+total\s+of\s+)?{_FIGURE}\s+{_FILLER}(?:{_METRIC_RE})\b"
    ),
    # "⟦Serbia⟧'s 30,000 active troops"
    re.compile(rf"(?P<a>{ACT})['’]s\s+{_FIGURE}\s+{_FILLER}(?:{_METRIC_RE})\b"),
    # "⟦Serbia⟧ has a population of 6.6 million", "⟦Serbia⟧'s population of …"
    re.compile(
        rf"(?P<a>{ACT})(?:['’]s|\s+has\s+a)\s+population\s+(?:of|is|stands\s+at)\s+{_FIGURE}"
        r"(?P<population>)"
    ),
]
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_APPROXIMATE = {
    "about",
    "around",
    "approximately",
    "roughly",
    "some",
    "nearly",
    "almost",
    "an estimated",
    "close to",
}
_AT_LEAST = {"over", "more than", "at least"}
_AT_MOST = {"fewer than", "less than", "under", "up to"}
TOLERANCE = 0.1  # "about 3,700" is anything within 10 %


def number(text: str) -> float:
    return float(text.replace(",", ""))


def _precision(text: str, scale: int) -> float:
    """Half a unit of the last digit written, for scaled figures: "1.5
    million" is 1.45–1.55 million; plain figures are taken as written."""
    if scale == 1:
        return 0.0
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * scale / 10**decimals


def stated_interval(
    hedge: str | None, low: str, high: str | None, scale_word: str | None
) -> tuple[float, float]:
    """What a figure in the text allows, as a closed interval."""
    scale = _SCALES.get((scale_word or "").lower(), 1)
    lo = number(low) * scale - _precision(low, scale)
    hi = number(high or low) * scale + _precision(high or low, scale)
    hedge = " ".join((hedge or "").lower().split())
    if hedge in _APPROXIMATE:
        return lo * (1 - TOLERANCE), hi * (1 + TOLERANCE)
    if hedge in _AT_LEAST:
        return lo, math.inf
    if hedge in _AT_MOST:
        return 0.0, hi
    return lo, hi


@dataclass(frozen=True)
class FigureClaim:
    actor: int  # marker number
    metric: str  # a Metric value
    low: float
    high: float
    written: str  # the figure as the text has it


def figure_claims(masked_sentence: str) -> list[FigureClaim]:
    claims = []
    for pattern in FIGURE_STATEMENTS:
        for match in pattern.finditer(masked_sentence):
            groups = match.groupdict()
            if "population" in groups:
                metric = "population"
            else:
                metric = next(name for name, _ in METRIC_WORDS if groups.get(name))
            low = groups.get("lo") or groups["n"]
            high = groups.get("hi") or groups.get("n2")
            lo, hi = stated_interval(
                groups.get("hedge"), low, high, groups.get("scale")
            )
            figure_start = (
                match.start("hedge")
                if groups.get("hedge")
                else (match.start("lo") if groups.get("lo") else match.start("n"))
            )
            written = masked_sentence[figure_start : match.end()].strip()
            claims.append(
                FigureClaim(int(match.group("a")[1:-1]), metric, lo, hi, written)
            )
    return claims


def overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


_ORDERED = re.compile(r"\border(?:s|ed)?\b", re.IGNORECASE)
_PLANNED = re.compile(r"\bplan(?:s|ned)?\b", re.IGNORECASE)


def status_named(sentence: str) -> str:
    """The indicator status a sentence speaks of: an order, a plan or what is
    in service (IndicatorStatus values)."""
    if _ORDERED.search(sentence):
        return "ordered"
    if _PLANNED.search(sentence):
        return "planned"
    return ""


# --- Near misses ----------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")


def letters(text: str) -> str:
    """Only the letters, case-folded, diacritics kept: how a name is written."""
    return "".join(c for c in text if c.isalpha()).casefold()


def _script(word: str) -> str:
    return "cyrillic" if any("\u0400" <= c <= "\u04ff" for c in word) else "latin"


def misspelled(written: str, spellings: Iterable[str]) -> bool:
    """`written` folds like a recorded spelling in its own script but is none
    of them: "Vućić" for "Vučić". A spelling in another script is a
    transliteration ("Moskva" for "Москва"), not a slip."""
    word = letters(written)
    key, script = fold(word), _script(word)
    same = set()
    for spelling in spellings:
        candidate = letters(spelling)
        if _script(candidate) == script and fold(candidate) == key:
            same.add(candidate)
    return bool(same) and word not in same


def within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance ≤ 1, or one swap of neighbours (Damerau)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if la > lb:
        a, b = b, a
    # b is one longer: deleting one char of b gives a.
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def deletions(word: str) -> Iterator[str]:
    """The word and every string one deletion away: keys that bring words
    within one edit of each other together (symmetric delete)."""
    yield word
    for i in range(len(word)):
        yield word[:i] + word[i + 1 :]


class NameIndex:
    """Known names, word by word, to find near misses among the text's words.

    `names` are (key, display name); a key is anything the caller uses to
    find the record again.
    """

    MIN_WORD = 4  # shorter words are too often one edit from anything

    def __init__(self, names: Iterable[tuple[object, str]]) -> None:
        self.names: list[tuple[object, str, tuple[str, ...]]] = []
        self.words: set[str] = set()
        self.by_deletion: dict[str, set[str]] = {}
        for key, name in names:
            words = tuple(fold(w) for w in _WORD.findall(name))
            if not words:
                continue
            self.names.append((key, name, words))
            for word in words:
                if word in self.words:
                    continue
                self.words.add(word)
                if len(word) >= self.MIN_WORD:
                    for variant in deletions(word):
                        self.by_deletion.setdefault(variant, set()).add(word)
        self.by_word: dict[str, list[int]] = {}
        for i, (_, _, words) in enumerate(self.names):
            for word in set(words):
                self.by_word.setdefault(word, []).append(i)

    def near_words(self, word: str) -> set[str]:
        """Known words one edit from `word` (which is folded), not `word` itself."""
        if len(word) < self.MIN_WORD or word in self.words:
            return set()
        found = set()
        for variant in deletions(word):
            for known in self.by_deletion.get(variant, ()):
                if known != word and within_one_edit(word, known):
                    found.add(known)
        return found

    def near_miss(self, words: list[str], at: int) -> tuple[object, str, int] | None:
        """A known name that the capitalised words around `words[at]` nearly
        spell: (key, name, index of its first word in `words`).

        A name of several words matches when every word is the same but this
        one, which is one edit away ("Pupin Initative"). A one-word name needs
        a longer word (7 letters), the same first letter and no inflection
        ("Stoltenburg", not "Prussia" for "Russia" or "Albanians").
        """
        folded = [fold(w) for w in words]
        word = folded[at]
        for known in sorted(self.near_words(word)):
            for i in self.by_word.get(known, ()):
                key, name, name_words = self.names[i]
                for p, name_word in enumerate(name_words):
                    if name_word != known:
                        continue
                    first = at - p
                    if first < 0 or first + len(name_words) > len(folded):
                        continue
                    window = folded[first : first + len(name_words)]
                    others = [w for j, w in enumerate(window) if j != p]
                    expected = [w for j, w in enumerate(name_words) if j != p]
                    if others != expected:
                        continue
                    if len(name_words) == 1 and not _single_word_slip(word, known):
                        continue
                    return key, name, first
        return None


def _single_word_slip(word: str, known: str) -> bool:
    if len(word) < 7 or word[0] != known[0]:
        return False
    # An ending added, dropped ("Albanians") or changed: Serbian declines
    # names so ("Албаније", "Hrvatsku", "Prištinu" for Albanija, Hrvatska,
    # Priština), which is no slip.
    return not (
        word.startswith(known) or known.startswith(word) or word[:-1] == known[:-1]
    )


def capitalised_runs(text: str) -> Iterator[tuple[list[str], list[tuple[int, int]]]]:
    """Runs of capitalised words (names are written so): words and positions.

    A run continues over single spaces and hyphens, not over punctuation.
    """
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    last_end = -1
    for match in _WORD.finditer(text):
        token = match.group()
        capital = token[:1].isupper()
        joined = last_end >= 0 and text[last_end : match.start()] in {" ", "-"}
        if capital and words and joined:
            words.append(token)
            spans.append(match.span())
        else:
            if words:
                yield words, spans
            words, spans = ([token], [match.span()]) if capital else ([], [])
        last_end = match.end()
    if words:
        yield words, spans
