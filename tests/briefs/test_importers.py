"""The plain-text brief importer: pure parsing, then the database, then the command.

The seed brief is read from ../shared/seeds/ (never copied here); the rules
themselves are tested on small texts written for these tests.
"""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from briefs.importers import (
    BriefImportError,
    ImportResult,
    ParsedBrief,
    ParsedContributor,
    ParsedRecommendation,
    ascii_slug,
    decode_brief,
    escape_markdown,
    import_brief,
    import_brief_file,
    looks_like_heading,
    name_distance,
    names_match,
    parse_brief,
)
from briefs.markdown import render_markdown
from briefs.models import (
    Brief,
    Contribution,
    Institution,
    Licence,
    Person,
    Recommendation,
    Role,
    Status,
)
from tests.factories import make_actor, make_brief, make_institution, make_person

SEED_TITLE = "Does the Balkans Need New Military Alliances?"
SEED_SLUG = "does-the-balkans-need-new-military-alliances"
SEED_SECTIONS = [
    "Historical Background",
    "Kosovo–Albania–Croatia Alliance",
    "Serbia–Hungary Alliance as a Response",
    "Military Strength Comparison",
    "Did NATO Disappear?",
    "Mini Cold War in the Balkans and Threats to Regional EU Integration",
    "Consequences",
]
SEED_RECOMMENDATION_TITLES = [
    "Learn from history and don’t let it repeat itself",
    "Acknowledge the unconstructiveness of parallel military structures",
    "Escape the “Prisoner’s dilemma” scenario",
    "Restore trust in NATO security structure",
    "Inclusive security framework",
    "Firmly support regional economic initiatives",
]
SEED_CREDITS = [
    ("Vuk Velebit", Role.AUTHOR),
    ("Andrej Cvejanov", Role.AUTHOR),
    ("Petar Ivić", Role.RESEARCHER),
    ("Aleksa Jovanović", Role.RESEARCHER),
]
SEED_TABLE_CATEGORIES = [
    "Combined Population",
    "Total Troops",
    "Main Combat Aircraft",
    "Main Battle Tanks",
    "Rocket Launchers",
    "Defense Industry",
    "Modernization Focus",
]
EMPTY_SEED_ROWS = {"Combined Population", "Total Troops", "Rocket Launchers"}

CREDITS = """Date:
March 3, 2024
Authors:
Mira Stanković, Harbour Institute
Researchers:
Ola Berg, Harbour Institute
"""


def brief_text(*body: str, title: str = "A Test Brief", credits: str = CREDITS) -> str:
    """A small brief in the importer's layout, written for these tests."""
    return "\n".join([title, *body]) + "\n" + credits


SIMPLE_BODY = (
    "First Section",
    "The first paragraph says something plain.",
    "Second Section",
    "Another paragraph, also plain.",
)


@pytest.fixture(scope="module")
def parsed_seed(seed_path) -> ParsedBrief:
    return parse_brief(seed_path.read_text(encoding="utf-8"))


def write(tmp_path: Path, content: str | bytes, name: str = "brief.txt") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# --- Parsing the seed ---------------------------------------------------------
# Parsing tests carry no django_db mark: pytest-django fails any that touches
# the database, which keeps parse_brief pure.


def test_seed_title_and_date(parsed_seed):
    assert parsed_seed.title == SEED_TITLE
    assert parsed_seed.publication_date == datetime.date(2025, 5, 21)


def test_seed_sections_in_order(parsed_seed):
    assert parsed_seed.sections == SEED_SECTIONS
    headings = re.findall(r"^## (.+)$", parsed_seed.body, flags=re.M)
    assert headings == SEED_SECTIONS


def test_seed_table_keeps_header_rows_and_empty_cells(parsed_seed):
    [table] = parsed_seed.tables
    assert table.header == ["Category", "Serbia–Hungary", "Albania–Kosovo–Croatia"]
    assert [row[0] for row in table.rows] == SEED_TABLE_CATEGORIES
    assert all(len(row) == 3 for row in table.rows)
    for row in table.rows:
        if row[0] in EMPTY_SEED_ROWS:
            assert row[1:] == ["", ""]
        else:
            assert row[1] and row[2]
    assert table.rows[3][1].startswith("Serbia: 250–300")


def test_seed_table_is_a_markdown_table_in_the_body(parsed_seed):
    lines = parsed_seed.body.splitlines()
    start = lines.index("| Category | Serbia–Hungary | Albania–Kosovo–Croatia |")
    assert lines[start - 2] == "## Military Strength Comparison"
    assert lines[start + 1] == "| --- | --- | --- |"
    assert lines[start + 2] == "| Combined Population |  |  |"
    assert lines[start + 9] == ""  # seven rows, then the next paragraph


def test_seed_recommendations_in_order_with_bodies(parsed_seed):
    recommendations = parsed_seed.recommendations
    assert [r.title for r in recommendations] == SEED_RECOMMENDATION_TITLES
    assert recommendations[0].body.startswith("Balkan history teaches")
    assert recommendations[5].body.startswith("The US and EU should")
    for recommendation in recommendations:
        assert len(recommendation.body) > 200
        assert not recommendation.body.startswith(":")


def test_seed_body_leaves_out_recommendations_credits_and_footer(parsed_seed):
    body = parsed_seed.body
    assert body.startswith("## Historical Background\n\nThe Balkan Peninsula")
    assert "Recommendations for Policy Makers" not in body
    for title in SEED_RECOMMENDATION_TITLES:
        assert title not in body
    for fragment in ("Date:", "Authors:", "Researchers:", "Vuk Velebit", "©"):
        assert fragment not in body
    assert "Washington, DC" not in body
    assert body.rstrip().endswith("regional integration.")


def test_seed_run_in_paragraphs_are_not_headings(parsed_seed):
    paragraphs = parsed_seed.body.split("\n\n")
    for lead in ("Kosovo: As a young actor", "Albania: As a NATO member"):
        assert any(p.startswith(lead) for p in paragraphs)
    assert any(p.startswith("Strategic Implications: ") for p in paragraphs)
    assert "## Kosovo:" not in parsed_seed.body
    assert "## Strategic" not in parsed_seed.body


def test_seed_credits_in_order_with_one_spelling_of_the_institution(parsed_seed):
    assert [(c.name, c.role) for c in parsed_seed.contributors] == SEED_CREDITS
    assert {c.affiliation for c in parsed_seed.contributors} == {"Pupin Initiative"}
    assert parsed_seed.warnings == [
        "line 65: read the affiliation 'Pupin Initative' as 'Pupin Initiative'"
    ]


# --- Heading rules ----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Historical Background", True),
        ("Did NATO Disappear?", True),
        ("Serbia–Hungary Alliance as a Response", True),
        ("Mini Cold War in the Balkans and Threats to Regional EU Integration", True),
        ("Serbia: Between East and West", True),
        ("2024 in Review", True),
        ("“Two Fires” and the Region", True),
        # Run-in paragraphs, short or long, are not headings.
        ("Kosovo: As a young actor", False),
        ("Kosovo: As a young actor, Kosovo keeps facing periodic instability.", False),
        ("Strategic Implications: one side outmatches the other", False),
        ("Source: Military Balance 2024", False),
        # Sentences and clauses end in punctuation; headings do not.
        ("The talks failed.", False),
        ("The talks failed!", False),
        ("As the report notes,", False),
        ("What follows:", False),
        ("He called it “survival.”", False),
        ("lowercase start of a fragment", False),
        ("A " + "very " * 20 + "long line", False),
        ("x" * 101, False),
        ("Category | A | B |", False),
        ("Date:", False),
        ("Authors:", False),
    ],
)
def test_looks_like_heading(line, expected):
    assert looks_like_heading(line) is expected


def test_heading_needs_a_following_paragraph_or_table():
    parsed = parse_brief(
        brief_text(
            "Opening Remarks",
            "A paragraph that introduces the brief.",
            "A short line without a stop",
            "Real Heading",
            "A paragraph under the real heading.",
            "Table Heading",
            "Name | Value |",
            "---|---|",
            "One | 1 |",
            "A closing line without a stop",
        )
    )
    assert parsed.sections == ["Opening Remarks", "Real Heading", "Table Heading"]
    # Followed by another heading-shaped line, or by nothing: a paragraph.
    assert "\n\nA short line without a stop\n\n## Real Heading" in parsed.body
    assert parsed.body.endswith("\n\nA closing line without a stop\n")


def test_body_may_start_without_a_heading():
    parsed = parse_brief(brief_text("Just a paragraph before any section."))
    assert parsed.sections == []
    assert parsed.body == "Just a paragraph before any section.\n"


def test_blank_lines_and_windows_line_endings_are_ignored():
    text = brief_text(*SIMPLE_BODY).replace("\n", "\r\n\r\n")
    parsed = parse_brief("\ufeff" + text)
    assert parsed.title == "A Test Brief"
    assert parsed.sections == ["First Section", "Second Section"]
    assert [c.name for c in parsed.contributors] == ["Mira Stanković", "Ola Berg"]


# --- Recommendations --------------------------------------------------------


def test_recommendations_section_becomes_recommendations():
    parsed = parse_brief(
        brief_text(
            *SIMPLE_BODY,
            "Policy Recommendations",
            "Talk first: Dialogue should come before deterrence.",
            "A second paragraph of the same recommendation.",
            "Fund the railway: Connectivity pays for itself. Start now.",
        )
    )
    assert parsed.recommendations == [
        ParsedRecommendation(
            title="Talk first",
            body="Dialogue should come before deterrence.\n\n"
            "A second paragraph of the same recommendation.",
            line=7,
        ),
        ParsedRecommendation(
            title="Fund the railway",
            body="Connectivity pays for itself. Start now.",
            line=9,
        ),
    ]
    assert "Policy Recommendations" not in parsed.body
    assert "Talk first" not in parsed.body


def test_a_heading_after_the_recommendations_resumes_the_body():
    parsed = parse_brief(
        brief_text(
            *SIMPLE_BODY,
            "Recommendations for Policy Makers",
            "Talk first: Dialogue should come before deterrence.",
            "Annex",
            "An annex paragraph that belongs in the body.",
        )
    )
    assert [r.title for r in parsed.recommendations] == ["Talk first"]
    assert parsed.sections == ["First Section", "Second Section", "Annex"]
    assert parsed.body.endswith(
        "## Annex\n\nAn annex paragraph that belongs in the body.\n"
    )


def test_a_sentence_with_a_colon_is_not_a_recommendation_title():
    with pytest.raises(BriefImportError) as error:
        parse_brief(
            brief_text(
                *SIMPLE_BODY,
                "Recommendations",
                "Talks stalled in 2020. The result: a long pause in dialogue.",
            )
        )
    assert error.value.line == 7
    assert "Short title: text" in str(error.value)


def test_recommendations_heading_without_recommendations_is_rejected():
    with pytest.raises(BriefImportError) as error:
        parse_brief(brief_text(*SIMPLE_BODY, "Recommendations for Policy Makers"))
    assert error.value.line == 6
    assert str(error.value).startswith("line 6: the recommendations heading")


# --- Tables ------------------------------------------------------------------


def test_table_rows_are_padded_and_alignment_kept():
    parsed = parse_brief(
        brief_text(
            "Figures",
            "| Item | Left | Right | Centre |",
            "|:---|:---|---:|:---:|",
            "| a | 1 |",
            "| b |  | 3 | |",
        )
    )
    [table] = parsed.tables
    assert table.header == ["Item", "Left", "Right", "Centre"]
    assert table.align == ["left", "left", "right", "center"]
    assert table.rows == [["a", "1", "", ""], ["b", "", "3", ""]]
    assert "| :--- | :--- | ---: | :---: |" in parsed.body


def test_table_without_separator_row_still_has_a_header():
    parsed = parse_brief(brief_text("Figures", "Item | Count", "Tanks | 75"))
    [table] = parsed.tables
    assert table.header == ["Item", "Count"]
    assert table.rows == [["Tanks", "75"]]
    html, _ = render_markdown(parsed.body)
    assert "<th>Item</th>" in html and "<td>75</td>" in html


def test_table_row_with_more_cells_than_the_header_is_rejected():
    with pytest.raises(BriefImportError) as error:
        parse_brief(brief_text("Figures", "A | B |", "---|---|", "1 | 2 | 3 |"))
    assert error.value.line == 5
    assert "3 cells but the header has 2 columns" in str(error.value)


def test_a_single_line_with_a_pipe_is_a_paragraph():
    parsed = parse_brief(brief_text("Either this | or that, said nobody."))
    assert parsed.tables == []
    assert parsed.body == "Either this | or that, said nobody.\n"


# --- Markdown escaping --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Use *stars* and _underscores_ literally", "Use *stars* and _underscores_"),
        ("A [link](https://example.org) stays text", "A [link](https://example.org)"),
        ("Footnote [^1] and [TOC] markers", "Footnote [^1] and [TOC] markers"),
        ("<script>alert(1)</script> is shown", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("AT&T and &amp; stay as written", "AT&amp;T and &amp;amp; stay"),
        ("1. Not a list item", "<p>1. Not a list item</p>"),
        ("# Not a heading", "<p># Not a heading</p>"),
        ("> Not a quote", "<p>&gt; Not a quote</p>"),
        ("- Not a bullet", "<p>- Not a bullet</p>"),
        ("Back\\slash and `code`", "Back\\slash and `code`"),
    ],
)
def test_plain_text_renders_as_itself(text, html):
    rendered, _ = render_markdown(escape_markdown(text))
    assert html in rendered
    assert "<script" not in rendered and "<ol" not in rendered and "<ul" not in rendered


# --- Credits, dates and names -----------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["May 21, 2025", "May 21 , 2025", "May 21,2025", "21 May 2025", "2025-05-21",
     "21.05.2025.", "May 21, 2025."],
)  # fmt: skip
def test_dates_in_common_layouts(written):
    credits = CREDITS.replace("March 3, 2024", written)
    parsed = parse_brief(brief_text(*SIMPLE_BODY, credits=credits))
    assert parsed.publication_date == datetime.date(2025, 5, 21)


def test_date_on_the_label_line():
    credits = CREDITS.replace("Date:\nMarch 3, 2024", "Date: 2024-03-03")
    parsed = parse_brief(brief_text(*SIMPLE_BODY, credits=credits))
    assert parsed.publication_date == datetime.date(2024, 3, 3)


def test_editors_and_translators_blocks_and_names_without_affiliation():
    credits = (
        CREDITS
        + "Translators:\nJelena Petrović\nEditors:\nIvo Lang, Harbour Institute\n"
    )
    parsed = parse_brief(brief_text(*SIMPLE_BODY, credits=credits))
    assert [(c.name, c.affiliation, c.role) for c in parsed.contributors] == [
        ("Mira Stanković", "Harbour Institute", Role.AUTHOR),
        ("Ola Berg", "Harbour Institute", Role.RESEARCHER),
        ("Jelena Petrović", "", Role.TRANSLATOR),
        ("Ivo Lang", "Harbour Institute", Role.EDITOR),
    ]


def test_footer_after_credits_is_dropped():
    credits = (
        CREDITS
        + "Main Street 12, 11000 Belgrade · 1 K St NW, Washington, DC\n"
        + "© 2024 Harbour Institute. All rights reserved.\n"
        + "Anything, after the copyright line\n"
    )
    parsed = parse_brief(brief_text(*SIMPLE_BODY, credits=credits))
    assert [c.name for c in parsed.contributors] == ["Mira Stanković", "Ola Berg"]


# -- Rights: what the footer states ------------------------------------------------


def test_seed_footer_reserves_all_rights(parsed_seed):
    assert parsed_seed.licence == Licence.ALL_RIGHTS_RESERVED
    # The statement is the footer's copyright line, not its addresses.
    assert parsed_seed.rights_statement.startswith("© ")
    assert not re.search(r"\d{5}", parsed_seed.rights_statement)


@pytest.mark.parametrize(
    ("footer", "licence"),
    [
        ("© 2024 Harbour Institute. All rights reserved.", "all-rights-reserved"),
        ("© 2024 Пупин Иницијатива. Сва права задржана.", "all-rights-reserved"),
        ("© 2024 Pupin Inicijativa. Sva prava zadržana.", "all-rights-reserved"),
        ("© 2024 Harbour Institute", "all-rights-reserved"),  # the law's default
        ("© 2024 Harbour Institute. Licensed under CC BY 4.0.", "CC-BY-4.0"),
        ("Licensed under CC BY-NC-SA 4.0", "CC-BY-NC-SA-4.0"),
        (
            "This brief is licensed under a Creative Commons "
            "Attribution-NoDerivatives 4.0 International License.",
            "CC-BY-ND-4.0",
        ),
        (
            "© 2024 Harbour Institute\nCreative Commons "
            "Attribution-NonCommercial-NoDerivatives 4.0",
            "CC-BY-NC-ND-4.0",
        ),
    ],
)
def test_the_footer_states_the_licence(footer, licence):
    parsed = parse_brief(
        brief_text(*SIMPLE_BODY, credits=CREDITS + footer + "\nMain Street 12\n")
    )
    assert parsed.licence == licence
    assert [c.name for c in parsed.contributors] == ["Mira Stanković", "Ola Berg"]


def test_a_file_without_a_footer_states_no_licence():
    parsed = parse_brief(brief_text(*SIMPLE_BODY))
    assert parsed.licence is None and parsed.rights_statement == ""


@pytest.mark.parametrize(
    "footer", ["Licensed under CC BY 3.0", "© 2024 Harbour Institute. CC0 1.0"]
)
def test_a_licence_the_archive_does_not_offer_is_refused_naming_the_line(footer):
    with pytest.raises(BriefImportError, match="does not offer") as error:
        parse_brief(brief_text(*SIMPLE_BODY, credits=CREDITS + footer + "\n"))
    assert error.value.line == 12  # the footer, after the credits


def test_a_paragraph_about_licensing_in_the_body_is_body_text():
    paragraph = "Licensed under CC BY 4.0, the data may be reused."
    parsed = parse_brief(brief_text(paragraph))
    assert parsed.body == escape_markdown(paragraph) + "\n"
    assert parsed.licence is None


@pytest.mark.django_db
def test_import_records_the_licence_the_file_states(tmp_path):
    footer = "© 2024 Harbour Institute. Licensed under CC BY 4.0.\n"
    path = write(tmp_path, brief_text(*SIMPLE_BODY, credits=CREDITS + footer))
    assert import_brief_file(path).brief.licence == Licence.CC_BY
    # A later file that reserves all rights changes it: the source decides.
    footer = "© 2025 Harbour Institute. All rights reserved.\n"
    path = write(tmp_path, brief_text(*SIMPLE_BODY, credits=CREDITS + footer))
    assert import_brief_file(path).brief.licence == Licence.ALL_RIGHTS_RESERVED


@pytest.mark.django_db
def test_a_new_brief_whose_file_states_nothing_reserves_all_rights(tmp_path):
    result = import_brief_file(write(tmp_path, brief_text(*SIMPLE_BODY)))
    assert result.brief.licence == Licence.ALL_RIGHTS_RESERVED
    assert any("states no licence" in note for note in result.to_do)
    assert result.summary().endswith("rights: all rights reserved.")


@pytest.mark.django_db
def test_a_file_that_states_nothing_leaves_a_chosen_licence_alone(tmp_path):
    make_brief(slug="a-test-brief", status=Status.DRAFT, licence=Licence.CC_BY_SA)
    result = import_brief_file(write(tmp_path, brief_text(*SIMPLE_BODY)))
    assert result.brief.licence == Licence.CC_BY_SA
    assert not any("licence" in note for note in result.to_do)


# -- A summary is needed, not required at import ------------------------------------


@pytest.mark.django_db
def test_a_brief_imported_without_a_summary_imports_with_a_note(tmp_path):
    result = import_brief_file(write(tmp_path, brief_text(*SIMPLE_BODY)))
    assert result.brief.pk is not None and result.brief.summary == ""
    (note,) = [n for n in result.to_do if "summary" in n]
    assert note.startswith("Write a summary: the file has none")
    out = run_command(str(tmp_path / "brief.txt"))
    assert "To do: Write a summary" in out


@pytest.mark.django_db
def test_no_summary_note_once_an_editor_wrote_one(tmp_path):
    make_brief(slug="a-test-brief", status=Status.DRAFT, summary="Written.")
    result = import_brief_file(write(tmp_path, brief_text(*SIMPLE_BODY)))
    assert not any("summary" in note for note in result.to_do)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Copyright law differs between the two states.",
        "(c) the third option is to wait.",
        "All rights are reserved to the parties, the treaty says.",
    ],
)
def test_a_paragraph_that_mentions_copyright_is_not_the_footer(paragraph):
    parsed = parse_brief(brief_text(paragraph))
    assert parsed.body == escape_markdown(paragraph) + "\n"


def test_affiliation_spellings_are_unified_most_common_first():
    credits = (
        "Date:\nMarch 3, 2024\nAuthors:\nA Person, Harbor Institute\n"
        "B Person, Harbour Institute\nResearchers:\nC Person, Harbour Institute\n"
        "D Person, Institute for Strategy\n"
    )
    parsed = parse_brief(brief_text(*SIMPLE_BODY, credits=credits))
    assert [c.affiliation for c in parsed.contributors] == [
        "Harbour Institute",
        "Harbour Institute",
        "Harbour Institute",
        "Institute for Strategy",
    ]
    assert parsed.warnings == [
        "line 9: read the affiliation 'Harbor Institute' as 'Harbour Institute'"
    ]


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("Pupin Initiative", "Pupin Initiative", 0),
        ("Pupin Initiative", "Pupin Initative", 1),
        ("Pupin Initiative", "pupin  initiative.", 0),
        ("Pupin Initiative", "Pupin Initatve", 2),
        ("Pupin Initiative", "Pupn Initatve", None),  # three letters off
        ("Institut za evropske poslove", "Institut za Evropske Poslove", 0),
        ("Brookings", "Brooking", 1),  # 6–10 characters: one letter
        ("Brookings", "Brokng", None),
        ("IISS", "IIS", None),  # acronyms must match exactly
        ("Institute 4", "Institute 5", None),  # numbers must match
        ("Центар за студије", "Centar za studije", 0),  # script does not count
    ],
)
def test_name_distance_tolerates_small_typos_in_long_names(a, b, distance):
    assert name_distance(a, b) == distance
    assert names_match(a, b) is (distance is not None)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Petar Ivić", "petar-ivic"),
        ("Aleksa Jovanović", "aleksa-jovanovic"),
        ("Đorđe Đukić", "djordje-djukic"),
        ("Петар Ивић", "petar-ivic"),
        ("Љиљана Шћепановић", "ljiljana-scepanovic"),
        ("Søren Łukasz", "soren-lukasz"),
    ],
)
def test_ascii_slug_folds_accents_and_cyrillic(name, slug):
    assert ascii_slug(name) == slug


# --- Rejected files (parsing) -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "empty"),
        ("\n  \n\t\n", 1, "empty"),
        ("Date:\nMarch 3, 2024\nAuthors:\nMira Stanković, X\n", 1, "title"),
        (
            brief_text(*SIMPLE_BODY, title="This opening line is a sentence."),
            1,
            "title",
        ),
        (brief_text(*SIMPLE_BODY, title="A | B |"), 1, "title"),
        (
            brief_text(*SIMPLE_BODY, credits=CREDITS.replace("March 3", "May 41")),
            7,
            "'May 41, 2024' is not a date",
        ),
        (
            brief_text(*SIMPLE_BODY, credits=CREDITS.replace("March 3, 2024", "soon")),
            7,
            "not a date",
        ),
        (
            brief_text(
                *SIMPLE_BODY,
                credits=CREDITS.replace("Mira Stanković, Harbour Institute\n", ""),
            ),
            8,
            "'Authors:' block lists no names",
        ),
        (
            brief_text(
                *SIMPLE_BODY, credits=CREDITS.replace("Date:\nMarch 3, 2024\n", "")
            ),
            6,
            "'Date:' block is missing",
        ),
        (brief_text(*SIMPLE_BODY, credits=""), 5, "'Date:' block is missing"),
        (
            brief_text(*SIMPLE_BODY, credits="Date:\nAuthors:\nMira Stanković\n"),
            6,
            "not followed by a date",
        ),
        (
            brief_text(*SIMPLE_BODY, credits=CREDITS.split("Authors:")[0]),
            6,
            "'Authors:' block is missing",
        ),
        (
            brief_text(*SIMPLE_BODY, credits=CREDITS + "Date:\nMarch 4, 2024\n"),
            12,
            "a second 'Date:' block",
        ),
        (
            brief_text(*SIMPLE_BODY, credits=CREDITS.replace("Date:", "Date:\nLater")),
            7,
            "not a date",
        ),
        (brief_text(credits=CREDITS), 2, "no text between the title and the credits"),
        (
            brief_text(*SIMPLE_BODY, credits=CREDITS + "Ola Berg, Elsewhere\n"),
            12,
            "listed twice",
        ),
        (
            brief_text(
                *SIMPLE_BODY,
                credits=CREDITS.replace("Researchers:", "Street 1, Town\nResearchers:"),
            ),
            10,
            "not a 'Name, Affiliation' line",
        ),
        ("Title\nText with a \x01 control character.\n", 2, "control character"),
    ],
)
def test_unreadable_text_is_rejected_naming_the_line(text, line, words):
    with pytest.raises(BriefImportError) as error:
        parse_brief(text)
    assert error.value.line == line
    assert str(error.value).startswith(f"line {line}: ")
    assert words in str(error.value)


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"Title\nBody\n\x00\x01\x02binary", 3, "NUL bytes"),
        ("Title\nBody".encode("utf-16"), 1, "NUL bytes"),
        (b"Title\nBody\nCaf\xe9 in Latin-1\n", 3, "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n", 1, "not UTF-8"),
    ],
)
def test_binary_and_non_utf8_bytes_are_rejected_naming_the_line(data, line, words):
    with pytest.raises(BriefImportError) as error:
        decode_brief(data)
    assert error.value.line == line
    assert words in str(error.value)


def test_decode_brief_drops_a_byte_order_mark():
    assert decode_brief("\ufeffTitle\n".encode()) == "Title\n"


# --- Writing to the database ----------------------------------------------------


@pytest.mark.django_db
def test_import_seed_creates_a_draft_with_sections_table_credits_and_recommendations(
    seed_path,
):
    result = import_brief_file(seed_path)

    assert isinstance(result, ImportResult)
    assert result.created is True
    brief = Brief.objects.get()
    assert result.brief == brief
    assert brief.slug == SEED_SLUG
    assert brief.title == SEED_TITLE
    assert brief.publication_date == datetime.date(2025, 5, 21)
    assert brief.status == Status.DRAFT
    assert brief.published_at is None
    assert not Brief.objects.published().exists()
    assert [entry["title"] for entry in brief.toc] == SEED_SECTIONS
    assert [
        (r.order, r.title) for r in brief.recommendations.order_by("order")
    ] == list(enumerate(SEED_RECOMMENDATION_TITLES, 1))
    assert all(len(r.body) > 200 for r in brief.recommendations.all())
    contributions = brief.contributions.select_related("person").order_by("order")
    assert [(c.person.name, c.role) for c in contributions] == SEED_CREDITS
    assert [c.order for c in contributions] == [1, 2, 3, 4]
    assert Person.objects.get(name="Petar Ivić").slug == "petar-ivic"
    institution = Institution.objects.get()
    assert institution.name == "Pupin Initiative"
    assert institution.slug == "pupin-initiative"
    assert set(Person.objects.values_list("affiliation", flat=True)) == {institution.pk}
    assert (result.people_created, result.institutions_created) == (4, 1)
    assert (result.sections, result.tables) == (7, 1)
    assert (result.recommendations, result.contributions) == (6, 4)


@pytest.mark.django_db
def test_imported_table_renders_with_seven_rows_and_empty_cells(seed_path):
    brief = import_brief_file(seed_path).brief
    html = Brief.objects.get(pk=brief.pk).body_html

    assert html.count("<table>") == 1
    table = html[html.index("<table>") : html.index("</table>")]
    head, body = table.split("<tbody>")
    assert re.findall(r"<th>(.*?)</th>", head) == [
        "Category",
        "Serbia–Hungary",
        "Albania–Kosovo–Croatia",
    ]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    assert len(rows) == 7
    cells = [re.findall(r"<td>(.*?)</td>", row, flags=re.S) for row in rows]
    assert all(len(row) == 3 for row in cells)
    empty = [row[0] for row in cells if row[1:] == ["", ""]]
    assert set(empty) == EMPTY_SEED_ROWS
    assert body.count("<td></td>") == 6
    # The recommendations are rows, not body text.
    assert "Recommendations for Policy Makers" not in html
    assert "Firmly support regional economic initiatives" not in html


@pytest.mark.django_db
def test_reimport_updates_the_same_brief_without_duplicates(seed_path, model_counts):
    first = import_brief_file(seed_path)
    counts = model_counts()

    second = import_brief_file(seed_path)

    assert second.created is False
    assert second.brief.pk == first.brief.pk
    assert (second.people_created, second.institutions_created) == (0, 0)
    assert (second.people_matched, second.institutions_matched) == (4, 1)
    assert model_counts() == counts
    assert "Updated brief" in second.summary()


@pytest.mark.django_db
def test_reimport_leaves_workflow_and_editorial_fields_alone(seed_path):
    brief = import_brief_file(seed_path).brief
    Brief.objects.filter(pk=brief.pk).update(
        status=Status.CHANGES_REQUESTED,
        featured=True,
        summary="Written by an editor.",
        body="Edited in the admin.",
    )

    import_brief_file(seed_path)

    brief.refresh_from_db()
    assert brief.status == Status.CHANGES_REQUESTED
    assert brief.featured is True
    assert brief.summary == "Written by an editor."
    assert brief.body.startswith("## Historical Background")  # content: the file's


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [Status.APPROVED, Status.PUBLISHED, Status.WITHDRAWN]
)
def test_reimport_never_changes_approved_or_public_text(
    seed_path, model_counts, status
):
    # Stable publication (issue 3): such text changes only through a
    # correction draft, which can itself be imported into with --slug.
    brief = import_brief_file(seed_path).brief
    published_at = datetime.datetime(2025, 5, 22, 9, 0, tzinfo=datetime.UTC)
    Brief.objects.filter(pk=brief.pk).update(
        status=status,
        published_at=published_at if status != Status.APPROVED else None,
        withdrawn_reason="Superseded." if status == Status.WITHDRAWN else "",
        body="Edited in the admin.",
    )
    counts = model_counts()

    with pytest.raises(BriefImportError, match="only through a correction"):
        import_brief_file(seed_path)

    brief.refresh_from_db()
    assert brief.body == "Edited in the admin."
    assert model_counts() == counts


@pytest.mark.django_db
def test_an_import_records_a_revision_once_per_change(seed_path, tmp_path):
    brief = import_brief_file(seed_path).brief
    [revision] = brief.revisions.all()
    assert revision.comment == f"Imported from {seed_path.name}"
    assert revision.content["fields"]["title"] == brief.title
    import_brief_file(seed_path)  # the same text: no new revision
    assert brief.revisions.count() == 1
    edited = tmp_path / "edited.txt"
    edited.write_text(seed_path.read_text().replace("Tirana", "Tirana, Albania", 1))
    import_brief_file(edited, slug=brief.slug)
    latest = brief.revisions.first()
    assert brief.revisions.count() == 2 and latest.comment == "Imported from edited.txt"
    assert "Tirana, Albania" in latest.content["fields"]["body"]


@pytest.mark.django_db
def test_reimport_replaces_credits_and_recommendations_to_match_the_file(tmp_path):
    recommendations = (
        "Recommendations",
        "Talk first: Dialogue should come before deterrence.",
        "Fund the railway: Connectivity pays for itself.",
        "Share data: Transparency lowers threat perceptions.",
    )
    path = write(tmp_path, brief_text(*SIMPLE_BODY, *recommendations))
    brief = import_brief_file(path).brief
    talk = brief.recommendations.get(title="Talk first")
    talk.addressees.add(make_actor(name="Serbia"))
    talk.policy_area = "diplomacy"
    talk.save()

    changed = brief_text(
        *SIMPLE_BODY,
        "Recommendations",
        "Share data: Transparency lowers threat perceptions, and quickly.",
        "Talk first: Dialogue should come before deterrence.",
        credits=CREDITS.replace("Researchers:\nOla Berg, Harbour Institute\n", "")
        + "Editors:\nIvo Lang, Harbour Institute\n",
    )
    import_brief_file(write(tmp_path, changed))

    assert [
        (r.order, r.title, r.body) for r in brief.recommendations.order_by("order")
    ] == [
        (1, "Share data", "Transparency lowers threat perceptions, and quickly."),
        (2, "Talk first", "Dialogue should come before deterrence."),
    ]
    talk.refresh_from_db()  # same row: the editor's annotations survive
    assert talk.order == 2
    assert talk.policy_area == "diplomacy"
    assert [a.name for a in talk.addressees.all()] == ["Serbia"]
    assert [
        (c.person.name, c.role, c.order) for c in brief.contributions.order_by("order")
    ] == [("Mira Stanković", Role.AUTHOR, 1), ("Ivo Lang", Role.EDITOR, 2)]
    # People are never deleted: Ola Berg may be credited on other briefs.
    assert Person.objects.filter(slug="ola-berg").exists()


@pytest.mark.django_db
def test_existing_people_and_institutions_are_matched_not_duplicated(seed_path):
    pupin = make_institution(name="Pupin Initiative", slug="pupin")
    other = make_institution()
    petar = make_person(name="Petar Ivic", slug="petar-ivic")
    andrej = make_person(
        name="Andrej Cvejanov", slug="andrej-cvejanov", affiliation=other
    )

    result = import_brief_file(seed_path)

    assert (result.people_created, result.people_matched) == (2, 2)
    assert (result.institutions_created, result.institutions_matched) == (0, 1)
    assert Institution.objects.count() == 2
    petar.refresh_from_db()
    assert petar.name == "Petar Ivic"  # an editor's spelling is kept
    assert petar.affiliation == pupin  # a missing affiliation is filled in
    andrej.refresh_from_db()
    assert andrej.affiliation == other  # an existing one is never overwritten
    assert any("Andrej Cvejanov is affiliated with" in w for w in result.warnings)
    assert set(
        Person.objects.exclude(pk=andrej.pk).values_list("affiliation", flat=True)
    ) == {pupin.pk}


@pytest.mark.django_db
def test_misspelt_affiliation_matches_an_existing_institution(tmp_path):
    harbour = make_institution(name="Harbour Institute", slug="harbour-institute")
    near_miss = make_institution(name="Institute 5", slug="institute-5")
    credits = (
        "Date:\n2024-03-03\nAuthors:\nA Person, Harbour Instiute\n"
        "B Person, Institute 4\nC Person, Центар за студије\n"
    )
    make_institution(
        name="Centre for Studies", slug="cfs", local_name="Центар за студије"
    )

    result = import_brief_file(
        write(tmp_path, brief_text(*SIMPLE_BODY, credits=credits))
    )

    people = {
        p.name: p.affiliation for p in Person.objects.select_related("affiliation")
    }
    assert people["A Person"] == harbour
    assert people["B Person"] != near_miss  # numbers differ: another institute
    assert people["B Person"].name == "Institute 4"
    assert people["C Person"].name == "Centre for Studies"  # by its local name
    assert (result.institutions_created, result.institutions_matched) == (1, 2)


@pytest.mark.django_db
def test_dry_run_validates_but_writes_nothing(seed_path, model_counts):
    counts = model_counts()

    result = import_brief_file(seed_path, dry_run=True)

    assert result.dry_run is True
    assert result.created is True
    assert result.people_created == 4
    assert model_counts() == counts
    assert result.summary().startswith("Dry run, nothing saved.")


@pytest.mark.django_db
def test_slug_can_be_given(tmp_path):
    result = import_brief_file(write(tmp_path, brief_text(*SIMPLE_BODY)))
    assert result.brief.slug == "a-test-brief"
    other = import_brief(parse_brief(brief_text(*SIMPLE_BODY)), slug="test-brief-2")
    assert other.created is True
    assert Brief.objects.count() == 2


@pytest.mark.django_db
def test_an_invalid_slug_is_rejected_and_nothing_written(model_counts):
    counts = model_counts()
    with pytest.raises(BriefImportError) as error:
        import_brief(parse_brief(brief_text(*SIMPLE_BODY)), slug="not a slug!")
    assert "slug" in str(error.value)
    assert model_counts() == counts


@pytest.mark.django_db
def test_a_failure_late_in_the_import_rolls_everything_back(model_counts):
    make_brief()
    counts = model_counts()
    parsed = ParsedBrief(
        title="Late Failure",
        publication_date=datetime.date(2025, 1, 1),
        body="Some body.",
        sections=[],
        recommendations=[ParsedRecommendation(title="x" * 400, body="Too long.")],
        contributors=[
            ParsedContributor(name="New Person", affiliation="New Place", role="author")
        ],
    )

    with pytest.raises(BriefImportError) as error:
        import_brief(parsed)

    assert "recommendation 1 is not valid" in str(error.value)
    assert model_counts() == counts


BAD_FILES = [
    pytest.param(b"", "line 1: the file is empty", id="empty"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "line 3: ", id="binary"),
    pytest.param(
        brief_text(*SIMPLE_BODY).encode("cp1250"),
        "line 9: the file is not UTF-8",
        id="latin",
    ),
    pytest.param(
        ("Date:\n" + CREDITS).encode(),
        "line 1: expected the brief's title",
        id="no-title",
    ),
    pytest.param(
        brief_text(*SIMPLE_BODY, credits=CREDITS.replace("March 3", "May 41")).encode(),
        "line 7: 'May 41, 2024' is not a date",
        id="bad-date",
    ),
    pytest.param(
        brief_text(
            *SIMPLE_BODY,
            credits=CREDITS.replace("Mira Stanković, Harbour Institute\n", ""),
        ).encode(),
        "line 8: the 'Authors:' block lists no names",
        id="no-authors",
    ),
    pytest.param(
        brief_text(
            *SIMPLE_BODY, credits=CREDITS.replace("Date:\nMarch 3, 2024\n", "")
        ).encode(),
        "line 6: the 'Date:' block is missing",
        id="no-date",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "message"), BAD_FILES)
def test_bad_file_is_rejected_naming_the_line_and_nothing_changes(
    tmp_path, model_counts, data, message
):
    existing = import_brief_file(write(tmp_path, brief_text(*SIMPLE_BODY))).brief
    make_brief(authors=[make_person()], recommendations=2)
    counts = model_counts()

    with pytest.raises(BriefImportError) as error:
        import_brief_file(write(tmp_path, data, name="bad.txt"))

    assert str(error.value).startswith(message)
    assert isinstance(error.value.line, int)
    assert model_counts() == counts
    assert Brief.objects.get(pk=existing.pk).body == existing.body


@pytest.mark.django_db
def test_seed_with_a_malformed_date_is_rejected_and_nothing_changes(
    seed_path, tmp_path, model_counts
):
    import_brief_file(seed_path)
    counts = model_counts()
    text = seed_path.read_text(encoding="utf-8").replace("May 21, 2025", "May 41, 2025")

    with pytest.raises(BriefImportError) as error:
        import_brief_file(write(tmp_path, text))

    assert error.value.line == 59
    assert str(error.value).startswith("line 59: 'May 41, 2025' is not a date")
    assert model_counts() == counts


@pytest.mark.django_db
def test_missing_file_is_rejected(tmp_path):
    with pytest.raises(BriefImportError) as error:
        import_brief_file(tmp_path / "nope.txt")
    assert error.value.line is None
    assert "cannot read" in str(error.value)


# --- The command -------------------------------------------------------------


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("import_brief", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_command_imports_and_prints_a_summary(seed_path):
    out = run_command(str(seed_path))

    assert f"Created brief '{SEED_TITLE}' ({SEED_SLUG}) as a draft" in out
    assert "7 sections, 1 table, 6 recommendations, 4 contributors" in out
    assert "(4 people created, 0 matched; 1 institution created" in out
    assert f"{seed_path}: line 65: read the affiliation 'Pupin Initative'" in out
    assert Brief.objects.filter(slug=SEED_SLUG, status=Status.DRAFT).exists()

    assert f"Updated brief '{SEED_TITLE}'" in run_command(str(seed_path))
    assert Brief.objects.count() == 1
    assert Contribution.objects.count() == 4
    assert Recommendation.objects.count() == 6


@pytest.mark.django_db
def test_command_dry_run_and_slug_options(tmp_path):
    path = write(tmp_path, brief_text(*SIMPLE_BODY))
    out = run_command(str(path), "--dry-run", "--slug", "chosen")
    assert out.startswith("Dry run, nothing saved. Created brief")
    assert not Brief.objects.exists()

    run_command(str(path), "--slug", "chosen")
    assert Brief.objects.get().slug == "chosen"


@pytest.mark.django_db
def test_command_bad_file_raises_command_error_naming_the_line(tmp_path, model_counts):
    path = write(tmp_path, brief_text(*SIMPLE_BODY, credits="Date:\nsoon\n"))
    counts = model_counts()

    with pytest.raises(CommandError) as error:
        call_command("import_brief", str(path))

    assert str(error.value) == (
        f"{path}: line 7: 'soon' is not a date; write it like 'May 21, 2025' or "
        "'2025-05-21'"
    )
    assert model_counts() == counts


@pytest.mark.django_db
def test_command_missing_file_raises_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_brief", str(tmp_path / "missing.txt"))
