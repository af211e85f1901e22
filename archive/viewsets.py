"""The base class of every partner-API viewset (see archive/rest.py)."""

from datetime import datetime
from typing import Any

from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import ReadOnlyModelViewSet

from archive.rest import SLUG_REGEX, StrictOrderingFilter, echo


class ArchiveViewSet(ReadOnlyModelViewSet):
    """Read-only, slug-addressed, strict about its query string, cacheable.

    Subclasses set `queryset`/`get_queryset()`, `serializer_class` (detail),
    optionally `list_serializer_class`, `filterset_class`, `ordering_fields`
    and `ordering`.
    """

    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX
    list_serializer_class: type[serializers.BaseSerializer] | None = None

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return super().get_serializer_class()

    def allowed_query_parameters(self) -> set[str]:
        """The query parameters this action understands; any other is a 400."""
        if self.action != "list":
            return set()
        allowed = set()
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            allowed |= set(filterset_class.base_filters)
        if getattr(self, "ordering_fields", None):
            allowed.add(StrictOrderingFilter.ordering_param)
        if self.paginator is not None:
            allowed |= {
                self.paginator.page_query_param,
                self.paginator.page_size_query_param,
            }
        return allowed

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # After authentication and throttling: a throttled client gets its 429
        # whatever it sent. Before any query: a typo like ?actr=kfor must not
        # silently return everything.
        if request.method not in ("GET", "HEAD"):
            return
        allowed = self.allowed_query_parameters()
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            hint = (
                f"Allowed here: {', '.join(sorted(allowed))}."
                if allowed
                else "This address takes no query parameters."
            )
            raise exceptions.ValidationError(
                {
                    echo(name): [f"Unknown query parameter. {hint}"]
                    for name in unknown[:10]
                }
            )
        # The pages share the FilterSets and treat an empty field as "any"
        # (HTML forms send every field); the API says what it means instead.
        empty = sorted(
            name for name, values in request.query_params.lists() if "" in values
        )
        if empty:
            raise exceptions.ValidationError(
                {
                    name: ["Empty value: leave the parameter out to not filter by it."]
                    for name in empty
                }
            )

    def last_modified(self, instance: Any) -> datetime | None:
        """When this item (and what it shows of related items) last changed."""
        return getattr(instance, "updated_at", None)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        self._last_modified = self.last_modified(instance)
        return Response(self.get_serializer(instance).data)

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        # The ETag is a hash of the body: exact whatever changed (a renamed
        # co-author, a brief leaving the list), and cheap (about 20 µs for a
        # page of 20 briefs). Last-Modified only on items: a list can lose an
        # item without any remaining row changing, so a date would lie.
        response.render()
        set_response_etag(response)
        last_modified = getattr(self, "_last_modified", None)
        timestamp = None
        if last_modified is not None:
            timestamp = int(last_modified.timestamp())
            response["Last-Modified"] = http_date(timestamp)
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=timestamp,
            response=response,
        )
