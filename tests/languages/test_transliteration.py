"""Serbian in both scripts: the pinned corpus of languages/transliteration.py.

Each table is a specification: what a reader of the other script must see.
Cyrillic to Latin is exact; Latin to Cyrillic follows the rules (digraphs,
their exceptions, foreign words, Roman numerals) and the house exception
list; Markdown and HTML keep everything that is not text.
"""

import pytest

from languages.codes import CYRILLIC, LATIN
from languages.names import name_in
from languages.transliteration import (
    DEFAULT_EXCEPTIONS,
    DIGRAPH_EXCEPTIONS,
    fold,
    html_to_script,
    markdown_to_script,
    to_cyrillic,
    to_latin,
)

# The built-in list as house_exceptions() serves it (by lower-case word),
# plus two entries an editor might add.
HOUSE = {latin.lower(): cyrillic for latin, cyrillic in DEFAULT_EXCEPTIONS.items()}
HOUSE |= {"microsoft": "Microsoft", "unmik": "УНМИК"}


# -- Cyrillic to Latin: exact ------------------------------------------------


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Александар Вучић", "Aleksandar Vučić"),
        ("Приштина", "Priština"),
        ("Ђукановић", "Đukanović"),
        ("Његош", "Njegoš"),
        ("Џајић", "Džajić"),
        ("Љубљана и Његош", "Ljubljana i Njegoš"),
        ("Шешељ, Жижек, Ћирилица", "Šešelj, Žižek, Ćirilica"),
        ("џамија", "džamija"),
        ("Џ", "Dž"),
        # A capital digraph beside another capital is all capitals.
        ("ЊЕГОШ", "NJEGOŠ"),
        ("ЏАЈИЋ", "DŽAJIĆ"),
        ("ЉУБЉАНА", "LJUBLJANA"),
        ("ЏЕП", "DŽEP"),
        # Beside a small letter or alone, only its first letter is capital.
        ("Љ. Пантић", "Lj. Pantić"),
        ("Њу Јорк", "Nju Jork"),
        # Two letters in Cyrillic stay two letters in Latin.
        ("надживети и инјекција", "nadživeti i injekcija"),
        # Latin text, digits and punctuation pass through.
        ("NATO и ЕУ, 2025.", "NATO i EU, 2025."),
        ("„Споразум“ — члан 5.", "„Sporazum“ — član 5."),
        ("Microsoft и Google", "Microsoft i Google"),
    ],
)
def test_cyrillic_to_latin_is_exact(cyrillic, latin):
    assert to_latin(cyrillic) == latin


# -- Latin to Cyrillic: the rules ----------------------------------------------


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Aleksandar Vučić", "Александар Вучић"),
        ("Đukanović", "Ђукановић"),
        ("Njegoš", "Његош"),
        ("Džajić", "Џајић"),
        ("Karadžić", "Караџић"),
        # "lj", "nj", "dž" are one letter by default.
        ("ljubav", "љубав"),
        ("njegov", "његов"),
        ("džep", "џеп"),
        ("budžet", "буџет"),
        ("konj i polje", "коњ и поље"),
        ("Ljubljana, Njegoš, džamija", "Љубљана, Његош, џамија"),
        # Words that only look like an exception are not one.
        ("odžak", "оџак"),
        ("nadžak", "наџак"),
        # Every case: Title, UPPER, and a digraph typed in capitals.
        ("Ljubav", "Љубав"),
        ("LJUBAV", "ЉУБАВ"),
        ("NJEGOŠ", "ЊЕГОШ"),
        ("DŽEP", "ЏЕП"),
        ("NJegoš", "Његош"),
        # Composed whichever way it was typed (NFD: c + combining caron).
        ("Vuc\u030cic\u0301", "Вучић"),
    ],
)
def test_latin_to_cyrillic_by_the_rules(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        # A prefix ending in d before ž: two letters.
        ("nadživeti", "надживети"),
        ("nadživljavati", "надживљавати"),  # the stem's pair only; lj stays љ
        ("nadžnjeti", "наджњети"),
        ("odžaliti", "оджалити"),
        ("odživeti", "одживети"),
        ("podžupan", "поджупан"),
        ("podžanr", "поджанр"),
        ("podželudačna žlezda", "поджелудачна жлезда"),
        ("predželudac", "преджелудац"),
        ("feldžandarmerija", "фелджандармерија"),
        # n + j in loan words and compounds.
        ("injekcija", "инјекција"),
        ("injekcije", "инјекције"),
        ("konjunkcija", "конјункција"),
        ("konjunktura", "конјунктура"),
        ("konjugacija", "конјугација"),
        ("vanjezički", "ванјезички"),
        ("anjon", "анјон"),
        ("Tanjug", "Танјуг"),
        # In every case.
        ("NADŽIVETI", "НАДЖИВЕТИ"),
        ("Injekcija", "Инјекција"),
        ("TANJUG", "ТАНЈУГ"),
    ],
)
def test_digraph_exceptions_are_two_letters(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic


def test_every_digraph_exception_stem_is_lower_case_and_holds_its_pair():
    for stem in DIGRAPH_EXCEPTIONS:
        assert stem == stem.lower()
        assert "dž" in stem or "nj" in stem, stem


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        # Letters Serbian has not: the word is foreign and kept.
        ("Washington", "Washington"),
        ("New York", "New York"),
        ("Xi Đinping", "Xi Ђинпинг"),
        ("Müller i Orbán", "Müller и Orbán"),
        ("Erdoğan", "Erdoğan"),
        # A capital inside a word: a brand as its owner writes it.
        ("iPhone i PhD", "iPhone и PhD"),
        # Roman numerals stay Latin, as Cyrillic typography writes them.
        ("XXI vek", "XXI век"),
        ("II svetski rat", "II светски рат"),
        ("Luj XIV", "Луј XIV"),
        # But not the pronouns MI and VI, nor the conjunction I.
        ("MI I VI", "МИ И ВИ"),
        ("I tako", "И тако"),
        # Serbian spellings of foreign names are Serbian words.
        ("Makron u Briselu", "Макрон у Бриселу"),
        # Digits and punctuation are kept.
        ("G20, 2025. i 3%", "Г20, 2025. и 3%"),
    ],
)
def test_foreign_words_and_roman_numerals_stay_latin(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("NATO", "НАТО"),
        ("Nato", "НАТО"),  # the house's spelling, whatever the case typed
        ("NATO-a i EU-a", "НАТО-а и ЕУ-а"),
        ("KFOR", "КФОР"),
        ("EULEX", "ЕУЛЕКС"),  # x: without the list it would stay Latin
        ("misija EULEX-a", "мисија ЕУЛЕКС-а"),
        ("Frontex", "Фронтекс"),
        ("Microsoft", "Microsoft"),  # kept in Latin
        ("UNMIK", "УНМИК"),
        # Acronyms of Serbian words need no entry: the rules write them.
        ("OEBS i SAD", "ОЕБС и САД"),
    ],
)
def test_the_house_list_spells_acronyms_and_names(latin, cyrillic):
    assert to_cyrillic(latin, HOUSE) == cyrillic


@pytest.mark.parametrize(
    "cyrillic",
    [
        "Љубав и њихов џеп",
        "надживети",
        "надживљавати",
        "инјекција",
        "конјункција и конјунктура",
        "Танјуг",
        "поджупан",
        "преджелудац",
        "Његош",
        "ЏАЈИЋ",
        "ЉУБЉАНА",
        "Ђорђе Ђукановић",
        "оџак и наџак",
        "Београд, 21. мај 2025.",
    ],
)
def test_cyrillic_to_latin_and_back_is_identity_for_native_words(cyrillic):
    assert to_cyrillic(to_latin(cyrillic)) == cyrillic


# -- Markdown: text converted, everything else kept ------------------------


@pytest.mark.parametrize(
    ("source", "converted"),
    [
        (
            "# Србија и ЕУ\n\n**Његош** и _Ђукановић_",
            "# Srbija i EU\n\n**Njegoš** i _Đukanović_",
        ),
        ("- прво\n- друго\n\n> цитат", "- prvo\n- drugo\n\n> citat"),
        (
            '[Извештај](https://example.org/извештај "Наслов")',
            '[Izveštaj](https://example.org/извештај "Naslov")',
        ),
        ("![Мапа](/media/мапа.png)", "![Mapa](/media/мапа.png)"),
        (
            "Види https://sr.wikipedia.org/wiki/Београд.",
            "Vidi https://sr.wikipedia.org/wiki/Београд.",
        ),
        (
            "Пишите на <info@primer.rs> или <https://пример.срб/ђ>",
            "Pišite na <info@primer.rs> ili <https://пример.срб/ђ>",
        ),
        ("Команда `љ` ради", "Komanda `љ` radi"),
        ("Код:\n\n```\nђак\n```\n\nкрај", "Kod:\n\n```\nђак\n```\n\nkraj"),
        ("Увод\n\n    ђак\n\nкрај", "Uvod\n\n    ђак\n\nkraj"),
        ("```compare\nа: Србија\n```", "```compare\nа: Србија\n```"),
        ("Речено[^ђ].\n\n[^ђ]: Извор.", "Rečeno[^ђ].\n\n[^ђ]: Izvor."),
        # A reference definition's destination is kept; its label is
        # converted like the label of every use, so the link still resolves.
        (
            "[Извор][Ш]\n\n[Ш]: https://пример.срб",
            "[Izvor][Š]\n\n[Š]: https://пример.срб",
        ),
        (
            '<abbr title="Уједињене нације">УН</abbr>&nbsp;<code>ђ</code>',
            '<abbr title="Ujedinjene nacije">UN</abbr>&nbsp;<code>ђ</code>',
        ),
        ("Фирма {=Тесла=} и Тесла", "Firma {=Тесла=} i Tesla"),
        ("| А | Б |\n|:--|--:|\n| ђ | џ |", "| A | B |\n|:--|--:|\n| đ | dž |"),
    ],
)
def test_markdown_to_latin(source, converted):
    assert markdown_to_script(source, LATIN) == converted


@pytest.mark.parametrize(
    ("source", "converted"),
    [
        ("[tekst](https://example.org/nj)", "[текст](https://example.org/nj)"),
        ("[tekst](<https://example.org/a b>)", "[текст](<https://example.org/a b>)"),
        (
            "Pišite na info@example.org ili posetite www.primer.rs.",
            "Пишите на info@example.org или посетите www.primer.rs.",
        ),
        ("Sajt nato.int i NATO", "Сајт nato.int и НАТО"),
        (
            "Rečeno[^1] i[^note].\n\n[^note]: Izvor.",
            "Речено[^1] и[^note].\n\n[^note]: Извор.",
        ),
        ("Kod `print(nj)` ostaje", "Код `print(nj)` остаје"),
        ("~~~\nnjegov\n~~~", "~~~\nnjegov\n~~~"),
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
        (
            "| Zemlja | NATO |\n|---|---|\n| Srbija | ne |",
            "| Земља | НАТО |\n|---|---|\n| Србија | не |",
        ),
        ("## EULEX i KFOR\n\nMisija EULEX-a.", "## ЕУЛЕКС и КФОР\n\nМисија ЕУЛЕКС-а."),
    ],
)
def test_markdown_to_cyrillic(source, converted):
    assert markdown_to_script(source, CYRILLIC, HOUSE) == converted


# -- HTML: text nodes and readable attributes only -----------------------------


@pytest.mark.parametrize(
    ("html", "converted"),
    [
        ("<p>Njegoš i <em>ljubav</em></p>", "<p>Његош и <em>љубав</em></p>"),
        (
            '<a href="/nj" class="footnote-ref" id="fnref:nj">nj</a>',
            '<a href="/nj" class="footnote-ref" id="fnref:nj">њ</a>',
        ),
        (
            '<img alt="Karta Srbije" src="/k"><abbr title="Evropska unija">EU</abbr>',
            '<img alt="Карта Србије" src="/k"><abbr title="Европска унија">ЕУ</abbr>',
        ),
        (
            '<div aria-label="Glavni meni">x</div>',
            '<div aria-label="Главни мени">x</div>',
        ),
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
        (
            "<p>Tom &amp; Jerry &nbsp; www.primer.rs</p>",
            "<p>Том &amp; Jerry &nbsp; www.primer.rs</p>",
        ),
        ("<p>x &lt; nj &#8212; lj</p>", "<p>x &lt; њ &#8212; љ</p>"),
        (
            '<p>Piši na <a href="mailto:a@b.rs">a@b.rs</a></p>',
            '<p>Пиши на <a href="mailto:a@b.rs">a@b.rs</a></p>',
        ),
    ],
)
def test_html_to_cyrillic(html, converted):
    assert html_to_script(html, CYRILLIC, {}) == converted


def test_html_to_latin_is_exact_outside_what_is_skipped():
    html = '<h2 id="србија">Србија</h2><p title="Ђаци">Љубав <code>ђ</code></p>'
    assert html_to_script(html, LATIN) == (
        '<h2 id="србија">Srbija</h2><p title="Đaci">Ljubav <code>ђ</code></p>'
    )


# -- Search folding and names ------------------------------------------------


@pytest.mark.parametrize(
    ("spellings", "folded"),
    [
        (["Вучић", "Vučić", "Vucic", "вучић", "VUČIĆ"], "vucic"),
        (["Ђукановић", "Đukanović", "Djukanovic"], "djukanovic"),
        (["Џајић", "Džajić", "Dzajic"], "dzajic"),
        (["ЊЕГОШ", "Njegoš", "njegos"], "njegos"),
        (["Љубљана", "Ljubljana"], "ljubljana"),
    ],
)
def test_search_folds_both_scripts_and_diacritics_alike(spellings, folded):
    assert {fold(spelling) for spelling in spellings} == {folded}


@pytest.mark.django_db
def test_a_name_in_each_public_language():
    assert name_in("en", "Serbia", "Srbija") == "Serbia"
    assert name_in("sr", "Serbia", "Srbija") == "Србија"
    assert name_in("sr-latn", "Serbia", "Србија") == "Srbija"
    assert name_in("sr", "Washington", "", "Вашингтон") == "Вашингтон"
    assert name_in("sr-latn", "Washington", "", "Вашингтон") == "Washington"
    # Names follow the house list, as text does.
    assert name_in("sr", "EULEX") == "ЕУЛЕКС"
    assert name_in("sr", "EULEX", exceptions={}) == "EULEX"
