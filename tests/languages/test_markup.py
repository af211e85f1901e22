"""Serbian bodies in both scripts: Markdown and rendered HTML converted around
what is not text (languages.transliteration.markdown_to_script, html_to_script)."""

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


@pytest.mark.parametrize(
    ("source", "converted"),
    [
        # Text, headings, emphasis, lists, quotes: converted.
        (
            "# Србија и ЕУ\n\n**Његош** и _Ђукановић_",
            "# Srbija i EU\n\n**Njegoš** i _Đukanović_",
        ),
        ("- прво\n- друго\n\n> цитат", "- prvo\n- drugo\n\n> citat"),
        # A link's text and title are text; its destination is an address.
        (
            '[Извештај](https://example.org/извештај "Наслов")',
            '[Izveštaj](https://example.org/извештај "Naslov")',
        ),
        ("![Мапа](/media/мапа.png)", "![Mapa](/media/мапа.png)"),
        # Bare addresses, autolinks and e-mail addresses are kept.
        (
            "Види https://sr.wikipedia.org/wiki/Београд.",
            "Vidi https://sr.wikipedia.org/wiki/Београд.",
        ),
        (
            "Пишите на <info@primer.rs> или <https://пример.срб/ђ>",
            "Pišite na <info@primer.rs> ili <https://пример.срб/ђ>",
        ),
        # Inline code and code blocks (fenced, indented, ```compare) are kept.
        ("Команда `љ` ради", "Komanda `љ` radi"),
        ("Код:\n\n```\nђак\n```\n\nкрај", "Kod:\n\n```\nђак\n```\n\nkraj"),
        ("Увод\n\n    ђак\n\nкрај", "Uvod\n\n    ђак\n\nkraj"),
        ("```compare\nа: Србија\n```", "```compare\nа: Србија\n```"),
        # Footnote labels are kept; the footnote's text is converted.
        ("Речено[^ђ].\n\n[^ђ]: Извор.", "Rečeno[^ђ].\n\n[^ђ]: Izvor."),
        # A reference definition's destination is kept, its label converted
        # like the label of every use, so the link still resolves.
        (
            "[Извор][Ш]\n\n[Ш]: https://пример.срб",
            "[Izvor][Š]\n\n[Š]: https://пример.срб",
        ),
        # Raw HTML: tags and attributes kept, readable attributes converted,
        # entities kept, the content of <code> kept.
        (
            '<abbr title="Уједињене нације">УН</abbr>&nbsp;<code>ђ</code>',
            '<abbr title="Ujedinjene nacije">UN</abbr>&nbsp;<code>ђ</code>',
        ),
        # The editor's "do not transliterate" marks: kept, marks and all.
        ("Фирма {=Тесла=} и Тесла", "Firma {=Тесла=} i Tesla"),
        # Tables: every cell converted, the rule row untouched.
        ("| А | Б |\n|:--|--:|\n| ђ | џ |", "| A | B |\n|:--|--:|\n| đ | dž |"),
    ],
)
def test_markdown_to_latin_converts_text_and_keeps_the_rest(source, converted):
    assert latin(source) == converted


@pytest.mark.parametrize(
    ("source", "converted"),
    [
        ("[tekst](https://example.org/nj)", "[текст](https://example.org/nj)"),
        (
            "Pišite na info@example.org ili posetite www.primer.rs.",
            "Пишите на info@example.org или посетите www.primer.rs.",
        ),
        ("Sajt nato.int i nato", "Сајт nato.int и НАТО"),
        ("Rečeno[^note].\n\n[^note]: Izvor.", "Речено[^note].\n\n[^note]: Извор."),
        ("Kod `print(nj)` ostaje", "Код `print(nj)` остаје"),
        ("&amp; &nbsp; &#x1F600; ljudi", "&amp; &nbsp; &#x1F600; људи"),
        (
            '<span lang="en">John Smith</span> i Jovan',
            '<span lang="en">John Smith</span> и Јован',
        ),
        (
            '<a href="https://x.org/nj" title="Njegoš">Njegoš</a>',
            '<a href="https://x.org/nj" title="Његош">Његош</a>',
        ),
        ("<!-- napomena urednika --> tekst", "<!-- napomena urednika --> текст"),
        (
            "Kompanija {=Jugoimport SDPR=} i Microsoft",
            "Компанија {=Jugoimport SDPR=} и Microsoft",
        ),
        ("\\[nije link\\]", "\\[није линк\\]"),
    ],
)
def test_markdown_to_cyrillic_keeps_every_address_and_label(source, converted):
    assert cyrillic(source) == converted


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


@pytest.mark.parametrize(
    ("html", "converted"),
    [
        ("<p>Njegoš i <em>ljubav</em></p>", "<p>Његош и <em>љубав</em></p>"),
        # Tags, attribute names and other attributes are never touched.
        (
            '<a href="/nj" class="footnote-ref" id="fnref:nj">nj</a>',
            '<a href="/nj" class="footnote-ref" id="fnref:nj">њ</a>',
        ),
        # Readable attributes are.
        (
            '<img alt="Karta Srbije" src="/k"><abbr title="Evropska unija">EU</abbr>',
            '<img alt="Карта Србије" src="/k"><abbr title="Европска унија">ЕУ</abbr>',
        ),
        (
            '<div aria-label="Glavni meni">x</div>',
            '<div aria-label="Главни мени">x</div>',
        ),
        # Code, machine output and other languages are skipped.
        (
            "<p><code>nj</code> <kbd>Ctrl</kbd> <samp>ok</samp> da</p><pre>nj</pre>",
            "<p><code>nj</code> <kbd>Ctrl</kbd> <samp>ok</samp> да</p><pre>nj</pre>",
        ),
        (
            '<p lang="en">Good <b>day</b></p><p>dan</p>',
            '<p lang="en">Good <b>day</b></p><p>дан</p>',
        ),
        (
            '<p lang="en">Serbian: <span lang="sr-Latn">dobar dan</span></p>',
            '<p lang="en">Serbian: <span lang="sr-Latn">добар дан</span></p>',
        ),
        (
            '<span translate="no">Microsoft</span> radi',
            '<span translate="no">Microsoft</span> ради',
        ),
        # Entities and addresses in text are kept.
        (
            "<p>Tom &amp; Jerry &nbsp; www.primer.rs</p>",
            "<p>Том &amp; Jerry &nbsp; www.primer.rs</p>",
        ),
        ("<p>x &lt; nj &#8212; lj</p>", "<p>x &lt; њ &#8212; љ</p>"),
    ],
)
def test_html_to_cyrillic_converts_text_nodes_only(html, converted):
    assert html_to_script(html, CYRILLIC, {}) == converted


def test_html_to_latin_is_exact_outside_what_is_skipped():
    html = '<h2 id="србија">Србија</h2><p title="Ђаци">Љубав <code>ђ</code></p>'
    assert html_to_script(html, LATIN) == (
        '<h2 id="србија">Srbija</h2><p title="Đaci">Ljubav <code>ђ</code></p>'
    )


def test_an_unknown_script_is_refused():
    with pytest.raises(ValueError):
        markdown_to_script("x", "Grek")


def _timings(function, small, large, runs=3):
    """Best of `runs` for each input, measured in turns so that both see the
    same load on the machine."""
    best = [float("inf"), float("inf")]
    for _ in range(runs):
        for index, text in enumerate((small, large)):
            start = time.perf_counter()
            function(text)
            best[index] = min(best[index], time.perf_counter() - start)
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
