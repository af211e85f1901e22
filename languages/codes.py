"""The archive's public languages, and what each one means.

Three public languages, each a Django language code (the URL prefix and the
`.po` catalogue) with its BCP 47 tag (`lang`, `hreflang`, Content-Language)
and script:

    en        English             (unprefixed)   hreflang en
    sr        Serbian, Cyrillic   /sr/           hreflang sr-Cyrl
    sr-latn   Serbian, Latin      /sr-latn/      hreflang sr-Latn

Serbian text is written once, in either script, and served in both; a
brief's `language` field says which script its editor wrote it in
(briefs.models.Language: "en", "sr-Cyrl", "sr-Latn").
"""

from dataclasses import dataclass

ENGLISH = "en"
SERBIAN_CYRILLIC = "sr"
SERBIAN_LATIN = "sr-latn"

CYRILLIC = "Cyrl"
LATIN = "Latn"


@dataclass(frozen=True)
class PublicLanguage:
    code: str  # Django's language code: URL prefix, catalogue, get_language()
    tag: str  # BCP 47: lang=, hreflang=, Content-Language
    script: str  # ISO 15924: Latn or Cyrl
    name: str  # the language's name in itself (the switcher's label)
    iso639_2: str  # three-letter code (OAI-PMH dc:language, MARC)
    # The script named in the language, said after `name` to a screen reader:
    # "Српски" and "Srpski" sound the same, the eye tells them apart.
    script_name: str = ""


PUBLIC_LANGUAGES: dict[str, PublicLanguage] = {
    ENGLISH: PublicLanguage(ENGLISH, "en", LATIN, "English", "eng"),
    SERBIAN_CYRILLIC: PublicLanguage(
        SERBIAN_CYRILLIC, "sr-Cyrl", CYRILLIC, "Српски", "srp", "ћирилица"
    ),
    SERBIAN_LATIN: PublicLanguage(
        SERBIAN_LATIN, "sr-Latn", LATIN, "Srpski", "srp", "latinica"
    ),
}

# A brief's language (briefs.models.Language values) → the public language
# it is read in first.
_CONTENT_TO_PUBLIC = {
    "en": ENGLISH,
    "sr-Cyrl": SERBIAN_CYRILLIC,
    "sr-Latn": SERBIAN_LATIN,
}


def public_language(code: str | None) -> PublicLanguage:
    """The public language for a Django language code (English when unknown).

    Accepts the forms Django and browsers use: "sr-latn", "sr-Latn", "sr_Latn".
    """
    normalised = (code or ENGLISH).replace("_", "-").lower()
    if normalised in PUBLIC_LANGUAGES:
        return PUBLIC_LANGUAGES[normalised]
    if normalised.startswith("sr"):
        latin = "latn" in normalised or normalised in ("sr-rs-latn", "sr-me")
        return PUBLIC_LANGUAGES[SERBIAN_LATIN if latin else SERBIAN_CYRILLIC]
    return PUBLIC_LANGUAGES[ENGLISH]


def is_serbian(code: str | None) -> bool:
    """Is this a Serbian code (either script; Django's or a content language)?"""
    return (code or "").lower().startswith("sr")


def content_public_language(content_language: str) -> PublicLanguage:
    """The public language a text written in `content_language` is read in first."""
    return PUBLIC_LANGUAGES[_CONTENT_TO_PUBLIC.get(content_language, ENGLISH)]


# --- Asked for by clients (the partner API's ?lang= and Accept-Language) ------------

# What `?lang=` accepts (any case): each Django code and each BCP 47 tag.
LANG_PARAMETER_VALUES: dict[str, str] = {
    **{code: code for code in PUBLIC_LANGUAGES},
    **{language.tag.lower(): code for code, language in PUBLIC_LANGUAGES.items()},
}


def requested_language(value: str) -> str | None:
    """The public language a client names ("sr-Latn", "sr-latn", "SR"), or None.

    Strict: an API parameter either names one of the archive's languages or
    is an error, never a guess.
    """
    return LANG_PARAMETER_VALUES.get(value.strip().replace("_", "-").lower())


def accepted_language(header: str) -> str:
    """The public language that best fits an Accept-Language header.

    Ranges in the client's order of preference (q-values); the first that
    names a public language wins: exactly ("sr-Latn"), by a script subtag
    ("sr-Latn-RS" is Latin, "sr-Cyrl-BA" Cyrillic), or by its language
    ("sr-RS" and "sr" are Cyrillic, the script Serbian is written in by
    default; "en-GB" is English). English when nothing fits.
    """
    from django.utils.translation.trans_real import parse_accept_lang_header

    for range_, _quality in parse_accept_lang_header(header or ""):
        if range_ == "*":
            break
        code = requested_language(range_)
        if code is not None:
            return code
        subtags = range_.lower().split("-")
        if subtags[0] == "sr":
            return SERBIAN_LATIN if "latn" in subtags[1:] else SERBIAN_CYRILLIC
        if subtags[0] == "en":
            return ENGLISH
    return ENGLISH
