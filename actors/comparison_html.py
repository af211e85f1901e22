"""The HTML of a comparison table, from the dict `comparisons.build_table` makes.

Written with string joins rather than a template: a template took 3.6 ms
for the seed's two blocs (most of the page's time), this about a tenth of it.
Every text is escaped here, once (`_e`); addresses come from slugs and from
`Indicator.source_link`, which only lets http(s) through.
Used by the /compare/ page and by editions embedding a frozen table.
"""

from html import escape
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# Words used inside f-strings below, where makemessages (xgettext) cannot
# see them: listed here so that they reach the catalogue.
_IN_F_STRINGS = (
    gettext_noop("no data"),
    gettext_noop("Metric"),
    gettext_noop("Total"),
    gettext_noop("(not additive)"),
    gettext_noop("No indicator is recorded for these actors."),
    gettext_noop("Sources"),
    gettext_noop("Embed this comparison in a brief"),
    gettext_noop("Compare actors"),
    gettext_noop("Permalink"),
    gettext_noop("Download:"),
    gettext_noop("Change the comparison"),
    gettext_noop("Build a comparison"),
    gettext_noop("Group %(key)s"),
    gettext_noop("Actors"),
    gettext_noop("Name (optional)"),
    gettext_noop("Figures valid on (optional)"),
    gettext_noop("Metrics (none ticked: every metric with a figure)"),
    gettext_noop("Compare"),
)


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
        out = f'<a href="#{prefix}-src-{source}" class="no-data">{_e(_("no data"))}</a>'
    else:
        out = f'<span class="no-data">{_e(_("no data"))}</span>'
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
    names = _(" compared with ").join(group["name"] for group in groups)
    caption = _("%(names)s, figures valid on %(day)s") % {
        "names": names,
        "day": table["on"],
    }
    parts = [
        f'<figure class="comparison" id="{prefix}">',
        f'<div class="table-scroll" role="region" aria-labelledby="{prefix}-caption"'
        ' tabindex="0">',
        '<table class="data-table comparison-table">',
        f'<caption id="{prefix}-caption">{_e(caption)}</caption>',
        f'<thead><tr><th scope="col" rowspan="2">{_e(_("Metric"))}</th>',
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
        parts.append(f'<th scope="col" class="total">{_e(_("Total"))}</th>')
    parts.append("</tr></thead><tbody>")
    for row in table["rows"]:
        label = _e(row["label"])
        if not row["additive"] and not row["qualitative"]:
            label += f' <span class="meta">{_e(_("(not additive)"))}</span>'
        parts.append(f'<tr><th scope="row">{label}</th>')
        for group in row["groups"]:
            parts.extend(_cell(cell, prefix) for cell in group["cells"])
            parts.append(_total(group["total"], row["qualitative"]))
        parts.append("</tr>")
    if not table["rows"]:
        width = 1 + sum(len(g["actors"]) + 1 for g in groups)
        parts.append(
            f'<tr><td colspan="{width}">'
            f"{_e(_('No indicator is recorded for these actors.'))}</td></tr>"
        )
    on = _e(table["on"])
    note = _(
        'Figures valid on <time datetime="%(on)s">%(on)s</time>: for each actor and '
        "metric, the latest year not after it. Totals add only additive metrics, "
        "only when every member's figure is known, in service and in one unit; "
        "ranges add as ranges."
    ) % {"on": on}
    if frozen:
        note += " " + _(
            "<strong>Frozen at publication</strong>: these are the figures this "
            'edition was published with; <a href="%(url)s">the '
            "comparison page</a> shows the current ones."
        ) % {"url": _e(table["url"])}
    parts += [
        "</tbody></table></div><figcaption>",
        f'<p class="meta">{note}</p>',
    ]
    if table["sources"]:
        parts.append(
            f'<p class="sources-heading">{_e(_("Sources"))}</p><ol class="sources">'
        )
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
        f'<details class="embed-help"><summary>'
        f"{_e(_('Embed this comparison in a brief'))}</summary>\n"
        "<pre><code>```compare\n" + "".join(lines) + "```</code></pre>\n"
        "</details>\n"
    )


def page_content(context: dict[str, Any]) -> str:
    """The heading, the errors, the table with its links, and the form.

    `context`: `form_groups`, `form_on`, `form_metrics`, `example_url`,
    `limits`, `action`, and `errors` or `table` (with `table_html`,
    `permalink`, `dated_permalink`, `csv_url`, `json_url`)."""
    errors, table = context.get("errors"), context.get("table")
    parts = [f"<h1>{_e(_('Compare actors'))}</h1>\n"]
    if errors:
        items = "".join(
            f"<li><strong>{_e(name)}</strong>: {_e(message)}</li>"
            for name, message in errors.items()
        )
        parts.append(
            '\n<div class="errors" role="alert">\n'
            "  <p>"
            + _(
                "<strong>This comparison cannot be made.</strong> Some values in"
                " the address are not valid:"
            )
            + "</p>\n"
            f"  <ul>{items}</ul>\n</div>\n"
        )
    parts.append("\n")
    if table:
        parts += [
            "\n",
            context["table_html"],
            '\n<p class="comparison-links">\n'
            f'  <a href="{_e(context["permalink"])}">{_e(_("Permalink"))}</a>\n'
            f'  · <a href="{_e(context["dated_permalink"])}">'
            + _e(_("Permalink to the figures valid on %(day)s") % {"day": table["on"]})
            + "</a>\n"
            f'  · {_e(_("Download:"))} <a href="{_e(context["csv_url"])}">CSV</a> · '
            f'<a href="{_e(context["json_url"])}">JSON</a>\n</p>\n',
            _embed_help(table),
        ]
    elif not errors:
        parts.append(
            "\n<p>"
            + _(
                "Compare two or more groups of actors — states, alliances, missions"
                " — metric by metric, from the sourced figures the archive records."
                ' For example, <a href="%(url)s">Serbia and'
                " Hungary against Albania, Croatia and Kosovo</a>."
            )
            % {"url": _e(context["example_url"])}
            + "</p>\n"
        )
    limits = context["limits"]
    parts.append(
        f'\n\n<form method="get" action="{_e(context["action"])}"'
        ' class="compare-form">\n'
        f"  <h2>{_e(_('Change the comparison') if table else _('Build a comparison'))}"
        "</h2>\n"
        '  <p class="help">'
        + _(
            "Actors by their address name (slug), separated by"
            " commas, as in <code>serbia, hungary</code>. At most"
            " %(groups)s groups and %(actors)s actors in"
            " all; leave a row empty to skip it."
        )
        % {"groups": _e(limits["groups"]), "actors": _e(limits["actors"])}
        + "</p>\n  "
    )
    for group in context["form_groups"]:
        key = _e(group["key"])
        parts.append(
            '\n  <fieldset class="compare-group">\n'
            f"    <legend>{_e(_('Group %(key)s') % {'key': group['key'].upper()})}"
            "</legend>\n"
            f'    <label for="group-{key}">{_e(_("Actors"))}</label>\n'
            f'    <input type="text" id="group-{key}" name="{key}"'
            f' value="{_e(group["actors"])}" maxlength="500">\n'
            f'    <label for="group-{key}-name">{_e(_("Name (optional)"))}</label>\n'
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
        '\n  <p><label for="compare-on">'
        f"{_e(_('Figures valid on (optional)'))}</label>\n"
        '  <input type="date" id="compare-on" name="on"'
        f' value="{_e(context["form_on"])}"></p>\n'
        '  <fieldset class="compare-metrics">\n'
        "    <legend>"
        f"{_e(_('Metrics (none ticked: every metric with a figure)'))}</legend>\n"
        f"    {boxes}\n"
        "  </fieldset>\n"
        f'  <p><button type="submit">{_e(_("Compare"))}</button></p>\n'
        "</form>\n"
    )
    return "".join(parts)
