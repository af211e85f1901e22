"""The bloc comparison page: /compare/ (HTML, CSV and JSON of one table).

It reads only the reference layer (actors and their indicators), which is
public as it is now: nothing here reads briefs or editions, so nothing
unpublished can show. The table comes from actors/comparisons.py, as the
directive embedded in briefs does.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from actors import comparisons
from actors.comparison_html import page_content, page_head, table_html
from actors.models import Metric
from kernel.csvexport import csv_response
from kernel.pagecache import public_page
from languages.alternates import fill_page_links

FORMATS = ("html", "csv", "json")
# Rows of groups the form offers (a reader may add more in the address).
FORM_GROUPS = 4
# The query string is read whole; longer is not a comparison anyone typed.
MAX_QUERY_STRING = 4_000

CSV_HEADER = [
    "group",
    "group_name",
    "metric",
    "metric_label",
    "actor",
    "actor_name",
    "known",
    "value",
    "value_max",
    "text",
    "unit",
    "year",
    "status",
    "source",
    "source_url",
    "note",
]


# Markers standing for the per-request parts in the page shell.
_HEAD, _CONTENT = "\x00head\x00", "\x00content\x00"
_shells: dict[str, list[str]] = {}


def comparison_shell() -> list[str]:
    """The page around the comparison (header, navigation, footer), rendered
    once per process and split at the markers: the same for every request,
    and most of a template's cost. With DEBUG on it is rendered every time,
    so template edits show at once. One per language; the links to the page in
    the other languages are filled in per request (languages.alternates)."""
    language = get_language()
    if language in _shells and not settings.DEBUG:
        return _shells[language]
    page = render_to_string(
        "actors/comparison_page.html",
        {
            "shell": {"head": _HEAD, "content": _CONTENT},
            "publisher": settings.PUBLISHER,
            "language_shell": True,
        },
    )
    before, rest = page.split(_HEAD)
    middle, after = rest.split(_CONTENT)
    _shells[language] = [before, middle, after]
    return _shells[language]


def _page(
    request: HttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    head = page_head(
        context["meta"], context["canonical_url"], settings.PUBLISHER["name"]
    )
    content = page_content(context)
    before, middle, after = comparison_shell()
    page = "".join([before, head, middle, content, after])
    return HttpResponse(fill_page_links(page, request), status=status)


def table_csv_rows(table: dict[str, Any]) -> list[list[Any]]:
    """One row per cell and one per group total ("total" in `actor`)."""
    names = {g["key"]: g["name"] for g in table["groups"]}
    sources = {s["n"]: s for s in table["sources"]}
    rows = []
    for row in table["rows"]:
        for group in row["groups"]:
            for cell in group["cells"]:
                source = sources.get(cell["source"], {"title": "", "url": ""})
                rows.append(
                    [
                        group["key"],
                        names[group["key"]],
                        row["metric"],
                        row["label"],
                        cell["actor"],
                        cell["actor_name"],
                        "yes" if cell["known"] else "no",
                        cell["value"],
                        cell["value_max"],
                        cell["text"],
                        cell["unit"],
                        cell["year"],
                        cell["status_text"],
                        source["title"],
                        source["url"],
                        cell["note"],
                    ]
                )
            total = group["total"]
            rows.append(
                [
                    group["key"],
                    names[group["key"]],
                    row["metric"],
                    row["label"],
                    "total",
                    "Total",
                    "yes" if total["available"] else "no",
                    total["value"],
                    total["value_max"],
                    total["text"],
                    total["unit"],
                    ",".join(str(y) for y in total["years"]),
                    "",
                    "",
                    "",
                    total["reason"],
                ]
            )
    return rows


def _form_context(request: HttpRequest) -> dict[str, Any]:
    """What the form shows: the request's own values, so a mistake is fixable."""
    params = request.GET
    keys = comparisons.GROUP_KEYS
    used = [k for k in keys if params.get(k, "").strip()]
    count = min(max(FORM_GROUPS, len(used) + 1), len(keys))
    chosen = set(comparisons._split(params.getlist("metrics", [])))
    return {
        "form_groups": [
            {
                "key": key,
                "actors": params.get(key, "")[:500],
                "name": params.get(f"{key}_name", "")[:200],
            }
            for key in keys[:count]
        ],
        "form_on": params.get("on", "")[:20],
        "form_metrics": [
            {"value": value, "label": label, "checked": value in chosen}
            for value, label in Metric.choices
        ],
        "example_url": comparisons.compare_path()
        + "?a=serbia,hungary&b=albania,croatia,kosovo",
        "action": comparisons.compare_path(),
        "limits": {
            "groups": comparisons.MAX_GROUPS,
            "actors": comparisons.MAX_ACTORS,
        },
    }


def _error(request: HttpRequest, fmt: str, errors: dict[str, str]) -> HttpResponse:
    if fmt in ("json", "csv"):
        return JsonResponse(
            {
                "detail": "Invalid comparison.",
                "errors": {k: [v] for k, v in errors.items()},
            },
            status=400,
        )
    context = {
        **_form_context(request),
        "errors": errors,
        "meta": {
            "title": _("Compare: invalid request"),
            "description": _("This comparison cannot be made."),
            "robots": "noindex",
        },
        "canonical_url": settings.SITE_URL + comparisons.compare_path(),
    }
    return _page(request, context, status=400)


@require_safe
@public_page
def compare(request: HttpRequest) -> HttpResponse:
    """`?a=serbia,hungary&b=albania,croatia,kosovo[&a_name=…][&on=…][&metrics=…]`.

    No groups: the form. Bad values: a 400 naming each (HTML, or JSON for
    `format=csv|json`). `format=csv|json`: the same table as a file.
    """
    fmt = request.GET.get("format", "").strip() or "html"
    if fmt not in FORMATS:
        return _error(request, "html", {"format": "Use html, csv or json."})
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return _error(request, fmt, {"query": "The address is too long."})
    asked = any(
        value.strip()
        for name, values in request.GET.lists()
        if name != "format"
        for value in values
    )
    if not asked and fmt == "html":
        context = {
            **_form_context(request),
            "meta": {
                "title": _("Compare actors"),
                "description": _(
                    "Compare groups of states and organizations "
                    "metric by metric, from sourced indicators."
                ),
            },
            "canonical_url": settings.SITE_URL + comparisons.compare_path(),
        }
        return _page(request, context)
    try:
        spec = comparisons.parse_query(request.GET)
        _resolved, table = comparisons.compute(spec)
    except comparisons.ComparisonError as exc:
        return _error(request, fmt, exc.errors)
    if fmt == "json":
        return JsonResponse(table, json_dumps_params={"ensure_ascii": False})
    if fmt == "csv":
        return csv_response(
            CSV_HEADER, table_csv_rows(table), filename="comparison.csv"
        )
    names = [g["name"] for g in table["groups"]]
    context = {
        **_form_context(request),
        "table": table,
        "table_html": table_html(table, prefix="comparison"),
        "permalink": table["url"],
        "dated_permalink": comparisons.compare_url(
            [*[p for p in table["query"] if p[0] != "on"], ("on", table["on"])]
        ),
        "csv_url": table["url"] + "&format=csv",
        "json_url": table["url"] + "&format=json",
        "meta": {
            "title": _("Compare: %(names)s") % {"names": " / ".join(names)},
            "description": _("Metric by metric, from sourced indicators: %(names)s")
            % {"names": "; ".join(names)},
        },
        "canonical_url": settings.SITE_URL + table["url"],
    }
    return _page(request, context)
