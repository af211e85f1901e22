"""A ```compare block in a brief: computed at publication, frozen in the edition.

The edition's snapshot keeps the table it was published with, so a newer
figure shows on /compare/ but not in the published brief, and rendering the
editions again (a template release) shows the same figures. A preview shows
live figures. A bad block is a visible notice, never a 500; the editorial
checks stop an unknown actor and warn about gaps.
"""

import pytest

from editorial.checks import run_checks
from publishing.editions import preview_edition, rebuild_editions
from publishing.models import Edition
from tests import factories

pytestmark = pytest.mark.django_db

DIRECTIVE = (
    "## The blocs\n\nTwo groupings, side by side.\n\n"
    "```compare\n"
    "a: Serbia, Hungary\n"
    "a_name: Belgrade pair\n"
    "b: Albania, Croatia, Kosovo\n"
    "metrics: main_battle_tanks, combat_aircraft\n"
    "```\n\nAfter the table.\n"
)


@pytest.fixture
def blocs():
    return factories.make_blocs()


def _hungary_tanks_total(page: str) -> bool:
    return "<strong>294–344</strong> tanks" in page


def test_the_table_is_rendered_into_the_edition_and_stored_in_its_snapshot(
    client, blocs
):
    brief = factories.make_brief(body=DIRECTIVE)
    page = client.get(brief.get_absolute_url()).content.decode()

    assert response_ok(client, brief)
    assert '<figure class="comparison" id="comparison-1">' in page
    assert "Belgrade pair" in page
    assert _hungary_tanks_total(page)
    assert "Frozen at publication" in page
    assert 'href="#comparison-1-src-1"' in page
    assert "comparison-embed" not in page  # the placeholder is replaced
    edition = Edition.objects.get(brief=brief)
    [entry] = edition.content["comparisons"]
    assert entry["table"]["groups"][0]["name"] == "Belgrade pair"
    # The API's body is the page's.
    api = client.get(f"/api/v1/briefs/{brief.slug}/").json()
    assert "294–344" in api["body_html"]


def response_ok(client, brief) -> bool:
    return client.get(brief.get_absolute_url()).status_code == 200


def test_a_newer_figure_shows_on_compare_not_in_the_published_brief(client, blocs):
    brief = factories.make_brief(body=DIRECTIVE)
    factories.make_indicator(
        blocs["hungary"], "main_battle_tanks", 88, unit="tanks", year=2026
    )
    rebuild_editions()  # a template release renders every edition again

    published = client.get(brief.get_absolute_url()).content.decode()
    assert _hungary_tanks_total(published)
    assert "338–388" not in published
    live = client.get(
        "/compare/?a=serbia,hungary&b=albania,croatia,kosovo&on=2026-12-31"
    ).content.decode()
    assert "<strong>338–388</strong> tanks" in live
    # A preview of the next version renders today's figures.
    preview = preview_edition(brief)
    assert "<strong>338–388</strong> tanks" in preview.article_html


def test_a_correction_freezes_the_figures_of_its_own_day(client, blocs):
    brief = factories.make_brief(body=DIRECTIVE)
    factories.make_indicator(
        blocs["hungary"], "main_battle_tanks", 88, unit="tanks", year=2026
    )
    factories.publish(brief, note="Figures brought up to date.")
    assert "338–388" in client.get(brief.get_absolute_url()).content.decode()
    first = client.get(f"{brief.get_absolute_url()}v1/").content.decode()
    assert _hungary_tanks_total(first)


@pytest.mark.parametrize(
    ("block", "notice"),
    [
        ("a: Serbia\nb: Atlantis\n", "Unknown actor: Atlantis"),
        ("a: Serbia\n", "at least two groups"),
        ("this is not a comparison\n", "Line 1 is not understood"),
        ("a: Serbia\nb: Hungary\non: 2025-02-30\n", "YYYY-MM-DD"),
        ("a: Serbia\nb: Hungary\n" + "x" * 3000 + "\n", "Longer than 2,000"),
        ("a: <script>alert(1)</script>\nb: Hungary\n", "Unknown actor: &lt;script&gt;"),
    ],
)
def test_a_bad_block_publishes_a_visible_notice_not_an_error(
    client, blocs, block, notice
):
    brief = factories.make_brief(body=f"Before.\n\n```compare\n{block}```\n\nAfter.")
    response = client.get(brief.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert '<div class="comparison-notice" role="note">' in page
    assert notice in page
    assert "<script>alert" not in page
    assert "After." in page


def test_blocks_past_the_limit_are_notices(client, blocs):
    block = "```compare\na: Serbia\nb: Hungary\nmetrics: main_battle_tanks\n```\n\n"
    brief = factories.make_brief(body=block * 11)
    page = client.get(brief.get_absolute_url()).content.decode()
    assert page.count('<figure class="comparison"') == 10
    assert "More than 10 comparisons in one brief." in page


def test_other_fenced_code_is_untouched(client, blocs):
    brief = factories.make_brief(body="```python\na: Serbia\n```\n")
    page = client.get(brief.get_absolute_url()).content.decode()
    assert "<pre><code>a: Serbia\n</code></pre>" in page
    assert "comparison" not in page.split("<article", 1)[-1].split("</article>")[0]


def _comparison_findings(brief):
    return [f for f in run_checks(brief) if f.check == "embedded_comparisons_complete"]


def test_checks_error_on_an_unknown_actor_and_a_malformed_block(blocs):
    brief = factories.make_brief(
        body="```compare\na: Serbia\nb: Atlantis\n```\n\n```compare\nnonsense\n```\n",
        edition=False,
    )
    findings = _comparison_findings(brief)
    assert [(f.level, f.message) for f in findings] == [
        ("error", "Comparison 1 (b): Unknown actor: Atlantis"),
        ("error", "Comparison 2 (directive): Line 1 is not understood: 'nonsense'."),
        ("error", "Comparison 2 (help): " + findings[2].message.split(": ", 1)[1]),
    ]


def test_checks_warn_about_missing_values_and_name_them(blocs):
    brief = factories.make_brief(body=DIRECTIVE, edition=False)
    [finding] = _comparison_findings(brief)
    assert finding.level == "warning"
    assert finding.message == (
        "Comparison 1 has 3 missing values, shown as “no data”: Albania (Main "
        "combat aircraft), Croatia (Main combat aircraft), Kosovo (Main combat "
        "aircraft)."
    )


def test_checks_are_quiet_on_a_complete_comparison(blocs):
    brief = factories.make_brief(
        body="```compare\na: Serbia, Hungary\nb: Albania\n"
        "metrics: main_battle_tanks\n```\n",
        edition=False,
    )
    assert _comparison_findings(brief) == []


def test_names_resolve_by_name_slug_or_alias_in_any_case(client, blocs):
    from actors.models import ActorAlias

    ActorAlias.objects.create(actor=blocs["serbia"], alias="Србија")
    brief = factories.make_brief(
        body="```compare\na: србија, HUNGARY\nb: albania\n"
        "metrics: main_battle_tanks\n```\n"
    )
    page = client.get(brief.get_absolute_url()).content.decode()
    assert _hungary_tanks_total(page)
