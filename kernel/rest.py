"""Partner-API building blocks named in settings.REST_FRAMEWORK.

Kept apart from `kernel/viewsets.py` and `kernel/schema.py`: DRF imports
these while `rest_framework.generics` is still loading, so this module must not
import viewsets or drf-spectacular's AutoSchema (a circular import).

The rules they enforce are the API's contract (docs/api.md):
- bad input is a 400 whose JSON body names the parameter (unknown parameters,
  unknown ordering fields, page sizes over the maximum, pages out of range);
- every error body has the same shape: {"detail": ..., "errors": {param: [...]}};
- every successful GET carries an ETag and answers If-None-Match with a 304.
"""

import json
import re
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import EmptyPage
from django.db.models import Expression, F, OrderBy, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
# Slugs are ASCII ([-a-zA-Z0-9_]); anything else in a detail address is a
# plain 404 from the URL resolver and never reaches the database.
SLUG_REGEX = r"[-a-zA-Z0-9_]+"
# How much of a client's bad value is echoed back in an error message.
ECHO_LIMIT = 40

_DIGITS = re.compile(r"[0-9]{1,9}")


def echo(value: str) -> str:
    return value if len(value) <= ECHO_LIMIT else value[:ECHO_LIMIT] + "…"


def invalid(param: str, message: str) -> exceptions.ValidationError:
    """A 400 naming the query parameter at fault."""
    return exceptions.ValidationError({param: [message]})


# --- Errors ---------------------------------------------------------------


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, with one error shape for every status.

    `{"detail": "…"}` always; 400s add `"errors": {"<parameter>": ["…"]}` so a
    client can tell which parameter was wrong.
    """
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: Django's handler500 answers
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
        response.data = {"detail": "Invalid request parameters.", "errors": errors}
    elif isinstance(exc, exceptions.NotFound | Http404):
        # One wording for every 404, like the URL resolver's.
        response.data = {"detail": "Not found."}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: JSON under /api/ (clients parse it), the HTML page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: JSON under /api/, the HTML page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)


# --- Pagination -----------------------------------------------------------


class ArchivePagination(PageNumberPagination):
    """Page numbers, 20 items a page, at most 100; never silently clamped.

    DRF clamps an oversized `page_size` and answers a page out of range with a
    404; the API answers both with a 400 that names the parameter.
    """

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()
    template = None

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not _DIGITS.fullmatch(raw) or not 1 <= int(raw) <= self.max_page_size:
            raise invalid(
                self.page_size_query_param,
                f"Must be a whole number from 1 to {self.max_page_size}.",
            )
        return int(raw)

    def get_page_number(self, request: Request) -> int:
        raw = request.query_params.get(self.page_query_param, "1")
        if not _DIGITS.fullmatch(raw) or int(raw) < 1:
            raise invalid(self.page_query_param, "Must be a whole number from 1.")
        return int(raw)

    def requested_window(self, request: Request) -> tuple[int, int]:
        """(offset, limit) of the page asked for; a 400 for bad parameters.

        Lets a view read the page together with the count (publishing/api.py).
        """
        size = self.get_page_size(request)
        return (self.get_page_number(request) - 1) * size, size

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list:
        self.request = request
        page_size = self.get_page_size(request)
        number = self.get_page_number(request)
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(number)
        except EmptyPage:
            raise invalid(
                self.page_query_param,
                f"Page {number} is out of range; the last page is "
                f"{paginator.num_pages}.",
            ) from None
        return list(self.page)

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1. A page past the last is a 400.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 999999999},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Items per page: {self.page_size} by default, at most "
                    f"{self.max_page_size} (more is a 400, not a smaller page)."
                ),
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                },
            },
        ]


# --- Ordering -------------------------------------------------------------


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=a,-b` over the view's explicit `ordering_fields`, or a 400.

    DRF drops unknown fields silently, so a typo would return the default
    order and look right. The primary key is always the last key, so pages
    never shuffle rows that tie.

    A view whose public field names are not its model's (the briefs API lists
    editions: `publication_date` is `public_date`, `id` is `brief_id`) maps
    them in `ordering_sources`; names it does not map are model fields.
    """

    def get_ordering(
        self, request: Request, queryset: QuerySet, view: Any
    ) -> list[str]:
        raw = request.query_params.get(self.ordering_param, "")
        if raw == "":
            if "search_order" in queryset.query.annotations:
                # `q` ranked the results (archive.search): keep that order
                # unless an ordering is asked for.
                return []
            return list(self.get_default_ordering(view) or [])
        allowed = [name for name, _label in self.get_valid_fields(queryset, view)]
        terms = [term.strip() for term in raw.split(",")]
        unknown = [
            term
            for term in terms
            if (term[1:] if term.startswith("-") else term) not in allowed
        ]
        if unknown:
            raise invalid(
                self.ordering_param,
                f"Unknown ordering field {echo(unknown[0])!r}. Use one or more of "
                f"{', '.join(allowed)} (comma-separated; '-' for descending).",
            )
        if not {"id", "-id", "pk", "-pk"} & set(terms):
            terms.append("id")
        return terms

    def filter_queryset(
        self, request: Request, queryset: QuerySet, view: Any
    ) -> QuerySet:
        terms = self.get_ordering(request, queryset, view)
        if not terms:
            return queryset
        return ordered(queryset, terms, getattr(view, "ordering_sources", {}))

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        fields = [
            name for name, _label in self.get_valid_fields(view.get_queryset(), view)
        ]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    "Sort keys, comma-separated; a leading '-' sorts descending. "
                    f"Allowed: {', '.join(fields)}."
                ),
                "schema": {
                    "type": "array",
                    "items": {
                        "type": "string",
                        "enum": [v for f in fields for v in (f, f"-{f}")],
                    },
                },
                "style": "form",
                "explode": False,
            }
        ]


def ordered(
    queryset: QuerySet, terms: list[str], sources: dict[str, str | Expression]
) -> QuerySet:
    """`queryset` in the order of validated `terms` (public names, '-' for
    descending), each mapped through `sources` onto the model's field."""
    return queryset.order_by(
        *(
            _order_term(queryset, sources.get(name, name), descending=term != name)
            for term in terms
            for name in [term.removeprefix("-")]
        )
    )


def _order_term(
    queryset: QuerySet, name: str | Expression, *, descending: bool
) -> str | OrderBy:
    """`name` ascending or descending.

    Empty values last on both databases (SQLite and PostgreSQL disagree by
    default), so a page holds the same items whichever one serves it. A column
    that cannot be empty is ordered plainly: NULLS LAST would keep PostgreSQL
    from reading it in the order of a descending index. A view may map a
    public name onto an expression (`Lower("name")`: names sorted without
    regard to case on both databases), ordered as it is.
    """
    if isinstance(name, Expression):
        return name.desc() if descending else name.asc()
    try:
        nullable = queryset.model._meta.get_field(name).null
    except FieldDoesNotExist:
        nullable = True  # an annotation or a related field's column
    if not nullable:
        return f"-{name}" if descending else name
    return F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)


# --- Stored JSON ----------------------------------------------------------


class StoredJSON:
    """An answer whose JSON text already exists (stored with the content).

    Served as it is: decoding it only to encode it again would cost more
    than the rest of the request. See `StoredJSONRenderer`.
    """

    def __init__(self, text: str) -> None:
        self.text = text


class StoredJSONRenderer(JSONRenderer):
    """JSON, passing `StoredJSON` through untouched.

    Only when the client asked for the default form: `indent` (a media type
    parameter) re-encodes it, as any other answer would be. The stored text
    may be spaced differently from DRF's compact output; it is the same JSON.
    """

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> bytes:
        if isinstance(data, StoredJSON):
            if not self.get_indent(accepted_media_type or "", renderer_context or {}):
                return data.text.encode()
            data = json.loads(data.text)
        return super().render(data, accepted_media_type, renderer_context)


# --- Links ----------------------------------------------------------------

# Matches every slug pattern, including recommendations' "<brief>-<n>".
_PLACEHOLDER = "SLUGPLACEHOLDER-0"


def absolute_url(context: dict, view_name: str, slug: str) -> str:
    """The absolute URL of `view_name` for `slug`, reversed once per request.

    Serializers build hundreds of links per page; reversing each one costs more
    than the rest of the item, so the pattern is reversed once and filled in.
    """
    templates = context.setdefault("_url_templates", {})
    template = templates.get(view_name)
    if template is None:
        path = reverse(view_name, kwargs={"slug": _PLACEHOLDER})
        request = context.get("request")
        template = request.build_absolute_uri(path) if request else path
        templates[view_name] = template
    return template.replace(_PLACEHOLDER, slug)


def absolute_list_url(context: dict, view_name: str, **params: str) -> str:
    """A filtered list address, e.g. the briefs that discuss an actor."""
    path = reverse(view_name)
    query = "&".join(f"{key}={value}" for key, value in params.items())
    request = context.get("request")
    url = request.build_absolute_uri(path) if request else path
    return f"{url}?{query}" if query else url
