"""Serbian bodies in both scripts: how Markdown and rendered HTML conversion
behave as a whole (the case-by-case corpus is test_transliteration.py)."""

import time

import pytest

from briefs.markdown import render_markdown
from languages.codes import CYRILLIC, LATIN
from languages.transliteration import html_to_script, markdown_to_script
from tests.fixtures.pathological import bodies

HOUSE = {"nato": "НАТО", "microsoft": "Microsoft"}


def latin(text):
    return markdown_to_script(text, LATIN)


def cyrillic(text):
    return markdown_to_script(text, CYRILLIC, HOUSE)


def test_cyrillic_to_latin_and_back_is_identity_for_a_native_body():
    body = (
        "## Преговори у Бриселу\n\n"
        "Њихов **договор** о џамији и ђачком дому[^1] важи до 2026.\n\n"
        "| Страна | Став |\n|---|---|\n| Београд | љубазно |\n\n"
        '[^1]: Видети [извештај](https://example.org/r/nj "Извештај").\n'
    )
    assert markdown_to_script(latin(body), CYRILLIC, {}) == body


def test_the_marks_render_as_a_span_that_is_not_transliterated():
    html, _ = render_markdown("Piše {=Microsoft=}, a ne Majkrosoft.")
    assert html == (
        '<p>Piše <span translate="no">Microsoft</span>, a ne Majkrosoft.</p>\n'
    )
    assert html_to_script(html, CYRILLIC, {}) == (
        '<p>Пише <span translate="no">Microsoft</span>, а не Мајкрософт.</p>\n'
    )


def test_the_marks_are_text_inside_code_and_never_shown_elsewhere():
    html, _ = render_markdown("`{=x=}` i {=<b>=}")
    assert html == (
        '<p><code>{=x=}</code> i <span translate="no">&lt;b&gt;</span></p>\n'
    )


def test_converting_markdown_then_rendering_equals_rendering_then_converting():
    body = (
        "# Njegoš i NATO\n\n"
        'Tekst sa [vezom](https://example.org/nj "Naslov"), `kod nj`'
        " i {=Tesla=}.[^1]\n\n"
        "[^1]: Fusnota.\n"
    )
    from_markdown, _ = render_markdown(markdown_to_script(body, CYRILLIC, HOUSE))
    rendered, _ = render_markdown(body)
    from_html = html_to_script(rendered, CYRILLIC, HOUSE)
    # Headings' anchors are made from the text, so they differ by script.
    assert from_markdown.replace('id="његош-и-нато"', "") == from_html.replace(
        'id="njegos-i-nato"', ""
    )


def test_an_unknown_script_is_refused():
    with pytest.raises(ValueError):
        markdown_to_script("x", "Grek")


def _timings(function, small, large, runs=2):
    """Best of `runs` for each input in this thread's CPU time (a busy
    machine taking the processor away does not count), measured in turns."""
    best = [float("inf"), float("inf")]
    for _ in range(runs):
        for index, text in enumerate((small, large)):
            start = time.thread_time()
            function(text)
            best[index] = min(best[index], time.thread_time() - start)
    return best


def _scaling(function, small, large):
    small_time, large_time = _timings(function, small, large)
    return large_time / max(small_time, 1e-4)


@pytest.mark.parametrize("name", sorted(bodies(100)))
def test_conversion_grows_linearly_on_pathological_bodies(name):
    """Ten times the input costs about ten times the time; a quadratic pass
    would cost a hundred. Judged by that ratio (with room for a busy
    machine), never by a wall-clock limit."""
    small, large = bodies(6_000)[name], bodies(60_000)[name]
    for script, house in ((CYRILLIC, HOUSE), (LATIN, None)):
        ratio = _scaling(
            lambda text, s=script, h=house: markdown_to_script(text, s, h), small, large
        )
        assert ratio < 35, f"{name} to {script}: {ratio:.0f}x for 10x the input"
    html_small, html_large = render_markdown(small)[0], render_markdown(large)[0]
    ratio = _scaling(
        lambda html: html_to_script(html, CYRILLIC, HOUSE), html_small, html_large
    )
    assert ratio < 35, f"{name} (HTML): {ratio:.0f}x for 10x the input"
