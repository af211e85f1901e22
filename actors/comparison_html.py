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


def table_html(
    table: dict[str, Any], *, prefix: str, caption: str, frozen: bool = False
) -> str:
    """The accessible table (caption, column groups, row headers), its note
    on how figures are chosen and added, and its numbered sources."""
    groups = table["groups"]
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
