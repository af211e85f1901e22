"""The HTML of a comparison table, from the dict `comparisons.build_table` makes.

Written with string joins rather than a template: a template took 3.6 ms
for the seed's two blocs (most of the page's time), this about a tenth of it.
Every text is escaped here, once (`_e`); addresses come from slugs and from
`Indicator.source_link`, which only lets http(s) through.
Used by the /compare/ page and by editions embedding a frozen table.
"""

from html import escape
from typing import Any


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _cell(cell: dict[str, Any], prefix: str) -> str:
    source = cell["source"]
    if cell["known"]:
        text = _e(cell["text"])
        if source:
            out = f'<a href="#{prefix}-src-{source}" class="figure">{text}</a>'
        else:
            out = f'<span class="figure">{text}</span>'
        if cell["unit"] and cell["value"] is not None:
            out += f" {_e(cell['unit'])}"
    elif source:
        out = f'<a href="#{prefix}-src-{source}" class="no-data">no data</a>'
    else:
        out = '<span class="no-data">no data</span>'
    meta = []
    if cell["year"]:
        meta.append(_e(cell["year"]))
    if cell["status_text"]:
        meta.append(f"<strong>{_e(cell['status_text'])}</strong>")
    if meta:
        out += f'<br><span class="meta">{" · ".join(meta)}</span>'
    return f"<td>{out}</td>"


def _total(total: dict[str, Any], qualitative: bool) -> str:
    if total["available"]:
        out = f"<strong>{_e(total['text'])}</strong>"
        if total["unit"]:
            out += f" {_e(total['unit'])}"
        if total["years"]:
            years = ", ".join(_e(y) for y in total["years"])
            out += f'<br><span class="meta">{years}</span>'
    else:
        out = f'<span class="no-total">{_e(total["text"])}</span>'
        if total["reason"] and not qualitative:
            out += f'<br><span class="meta">{_e(total["reason"])}</span>'
    return f'<td class="total">{out}</td>'


def table_html(table: dict[str, Any], *, prefix: str, frozen: bool = False) -> str:
    """The accessible table (caption, column groups, row headers), its note
    on how figures are chosen and added, and its numbered sources."""
    groups = table["groups"]
    names = " compared with ".join(group["name"] for group in groups)
    caption = f"{names}, figures valid on {table['on']}"
    parts = [
        f'<figure class="comparison" id="{prefix}">',
        f'<div class="table-scroll" role="region" aria-labelledby="{prefix}-caption"'
        ' tabindex="0">',
        '<table class="data-table comparison-table">',
        f'<caption id="{prefix}-caption">{_e(caption)}</caption>',
        '<thead><tr><th scope="col" rowspan="2">Metric</th>',
    ]
    for group in groups:
        span = len(group["actors"]) + 1
        parts.append(f'<th scope="colgroup" colspan="{span}">{_e(group["name"])}</th>')
    parts.append("</tr><tr>")
    for group in groups:
        for actor in group["actors"]:
            parts.append(
                f'<th scope="col"><a href="{_e(actor["url"])}">{_e(actor["name"])}'
                "</a></th>"
            )
        parts.append('<th scope="col" class="total">Total</th>')
    parts.append("</tr></thead><tbody>")
    for row in table["rows"]:
        label = _e(row["label"])
        if not row["additive"] and not row["qualitative"]:
            label += ' <span class="meta">(not additive)</span>'
        parts.append(f'<tr><th scope="row">{label}</th>')
        for group in row["groups"]:
            parts.extend(_cell(cell, prefix) for cell in group["cells"])
            parts.append(_total(group["total"], row["qualitative"]))
        parts.append("</tr>")
    if not table["rows"]:
        width = 1 + sum(len(g["actors"]) + 1 for g in groups)
        parts.append(
            f'<tr><td colspan="{width}">No indicator is recorded for these actors.'
            "</td></tr>"
        )
    on = _e(table["on"])
    note = (
        f'Figures valid on <time datetime="{on}">{on}</time>: for each actor and '
        "metric, the latest year not after it. Totals add only additive metrics, "
        "only when every member's figure is known, in service and in one unit; "
        "ranges add as ranges."
    )
    if frozen:
        note += (
            " <strong>Frozen at publication</strong>: these are the figures this "
            f'edition was published with; <a href="{_e(table["url"])}">the '
            "comparison page</a> shows the current ones."
        )
    parts += [
        "</tbody></table></div><figcaption>",
        f'<p class="meta">{note}</p>',
    ]
    if table["sources"]:
        parts.append('<p class="sources-heading">Sources</p><ol class="sources">')
        for source in table["sources"]:
            title = _e(source["title"])
            inner = (
                f'<a href="{_e(source["url"])}" rel="noopener noreferrer">{title}</a>'
                if source["url"]
                else f"<cite>{title}</cite>"
            )
            parts.append(f'<li id="{prefix}-src-{source["n"]}">{inner}</li>')
        parts.append("</ol>")
    parts.append("</figcaption></figure>")
    return "".join(parts)


# --- The /compare/ page's head and content ------------------------------------------
# Written in Python for the same reason as the table: the two templates they
# replace (the page head and the form) took about 1.3 ms of a 3 ms page. Every
# value from the request or the database goes through `_e`, once.


def _truncated(text: str, length: int) -> str:
    """Django's `truncatechars` (only ever shortens; NFC can only shorten)."""
    if len(text) <= length:
        return text
    from django.utils.text import Truncator

    return Truncator(text).chars(length)


def page_head(meta: dict[str, str], canonical_url: str, publisher_name: str) -> str:
    """`<title>`, the description, the canonical address and the share tags
    (as templates/includes/_meta.html writes them)."""
    title, description = _e(meta["title"]), meta["description"]
    canonical, site = _e(canonical_url), _e(publisher_name)
    robots = (
        f'<meta name="robots" content="{_e(meta["robots"])}">'
        if meta.get("robots")
        else ""
    )
    return (
        f"<title>{title} · {site}</title>\n"
        f'  <meta name="description" content="{_e(_truncated(description, 300))}">\n'
        f'  <link rel="canonical" href="{canonical}">\n'
        f"  {robots}\n"
        f'  <meta property="og:site_name" content="{site}">\n'
        '  <meta property="og:type" content="website">\n'
        f'  <meta property="og:title" content="{title}">\n'
        f'  <meta property="og:description" '
        f'content="{_e(_truncated(description, 300))}">\n'
        f'  <meta property="og:url" content="{canonical}">\n'
        '  <meta name="twitter:card" content="summary">\n'
        f'  <meta name="twitter:title" content="{title}">\n'
        f'  <meta name="twitter:description" '
        f'content="{_e(_truncated(description, 200))}">\n'
    )


def _embed_help(table: dict[str, Any]) -> str:
    lines = []
    for group in table["groups"]:
        names = ", ".join(_e(actor["name"]) for actor in group["actors"])
        lines.append(f"{_e(group['key'])}: {names}\n")
        if group["named"]:
            lines.append(f"{_e(group['key'])}_name: {_e(group['name'])}\n")
    if table["rows"]:
        metrics = ", ".join(_e(row["metric"]) for row in table["rows"])
        lines.append(f"metrics: {metrics}\n")
    return (
        '<details class="embed-help"><summary>Embed this comparison in a brief'
        "</summary>\n<pre><code>```compare\n" + "".join(lines) + "```</code></pre>\n"
        "</details>\n"
    )


def page_content(context: dict[str, Any]) -> str:
    """The heading, the errors, the table with its links, and the form.

    `context`: `form_groups`, `form_on`, `form_metrics`, `example_url`,
    `limits`, `action`, and `errors` or `table` (with `table_html`,
    `permalink`, `dated_permalink`, `csv_url`, `json_url`)."""
    errors, table = context.get("errors"), context.get("table")
    parts = ["<h1>Compare actors</h1>\n"]
    if errors:
        items = "".join(
            f"<li><strong>{_e(name)}</strong>: {_e(message)}</li>"
            for name, message in errors.items()
        )
        parts.append(
            '\n<div class="errors" role="alert">\n'
            "  <p><strong>This comparison cannot be made.</strong> Some values in"
            " the address are not valid:</p>\n"
            f"  <ul>{items}</ul>\n</div>\n"
        )
    parts.append("\n")
    if table:
        parts += [
            "\n",
            context["table_html"],
            '\n<p class="comparison-links">\n'
            f'  <a href="{_e(context["permalink"])}">Permalink</a>\n'
            f'  · <a href="{_e(context["dated_permalink"])}">Permalink to the'
            f" figures valid on {_e(table['on'])}</a>\n"
            f'  · Download: <a href="{_e(context["csv_url"])}">CSV</a> · '
            f'<a href="{_e(context["json_url"])}">JSON</a>\n</p>\n',
            _embed_help(table),
        ]
    elif not errors:
        parts.append(
            "\n<p>Compare two or more groups of actors — states, alliances, missions"
            " — metric by metric, from the sourced figures the archive records."
            f' For example, <a href="{_e(context["example_url"])}">Serbia and'
            " Hungary against Albania, Croatia and Kosovo</a>.</p>\n"
        )
    limits = context["limits"]
    parts.append(
        f'\n\n<form method="get" action="{_e(context["action"])}"'
        ' class="compare-form">\n'
        f"  <h2>{'Change the comparison' if table else 'Build a comparison'}</h2>\n"
        '  <p class="help">Actors by their address name (slug), separated by'
        " commas, as in <code>serbia, hungary</code>. At most"
        f" {_e(limits['groups'])} groups and {_e(limits['actors'])} actors in"
        " all; leave a row empty to skip it.</p>\n  "
    )
    for group in context["form_groups"]:
        key = _e(group["key"])
        parts.append(
            '\n  <fieldset class="compare-group">\n'
            f"    <legend>Group {_e(group['key'].upper())}</legend>\n"
            f'    <label for="group-{key}">Actors</label>\n'
            f'    <input type="text" id="group-{key}" name="{key}"'
            f' value="{_e(group["actors"])}" maxlength="500">\n'
            f'    <label for="group-{key}-name">Name (optional)</label>\n'
            f'    <input type="text" id="group-{key}-name" name="{key}_name"'
            f' value="{_e(group["name"])}" maxlength="80">\n'
            "  </fieldset>\n  "
        )
    boxes = "".join(
        f'<label><input type="checkbox" name="metrics" value="{_e(m["value"])}"'
        f"{' checked' if m['checked'] else ''}> {_e(m['label'])}</label> "
        for m in context["form_metrics"]
    )
    parts.append(
        '\n  <p><label for="compare-on">Figures valid on (optional)</label>\n'
        '  <input type="date" id="compare-on" name="on"'
        f' value="{_e(context["form_on"])}"></p>\n'
        '  <fieldset class="compare-metrics">\n'
        "    <legend>Metrics (none ticked: every metric with a figure)</legend>\n"
        f"    {boxes}\n"
        "  </fieldset>\n"
        '  <p><button type="submit">Compare</button></p>\n'
        "</form>\n"
    )
    return "".join(parts)
