"""The base class of every partner-API viewset (see kernel/rest.py).

Successful GETs are kept in the page cache (kernel/pagecache.py) under the
content generation, so a repeated request costs authentication, throttling,
query-string validation and a cache lookup, not queries and serialisation. A
change to any public content (or a scheduled brief's release) retires the
generation and with it every cached answer.

Every answer is in one of the archive's languages (kernel/negotiation.py):
`?lang=` or `Accept-Language` chooses it, the request runs with it active
(names and texts in its script), the answer says it in `Content-Language`
and `Vary: Accept-Language`, and the cache keeps each language apart.
"""

import hashlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import (
    get_conditional_response,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import ReadOnlyModelViewSet

from kernel import negotiation, pagecache
from kernel.rest import SLUG_REGEX, StrictOrderingFilter, echo


class ArchiveViewSet(ReadOnlyModelViewSet):
    """Read-only, slug-addressed, strict about its query string, cacheable.

    Subclasses set `queryset`/`get_queryset()`, `serializer_class` (detail),
    optionally `list_serializer_class`, `filterset_class`, `ordering_fields`
    and `ordering`.
    """

    # Answers in the page cache start with this, then the generation.
    CACHE_KEY_PREFIX = "api:answer"

    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX
    list_serializer_class: type[serializers.BaseSerializer] | None = None
    # The language of the answer (requested_language), once initial() ran.
    language: str | None = None

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return super().get_serializer_class()

    def allowed_query_parameters(self) -> set[str]:
        """The query parameters this action understands; any other is a 400."""
        allowed = {negotiation.PARAMETER} if negotiation.negotiator() else set()
        if self.action != "list":
            return allowed
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
        self.language = self.requested_language(request)
        # For the rest of the request (dispatch restores the one before):
        # serializers give names and labels in it.
        translation.activate(self.language)

    def requested_language(self, request: Request) -> str:
        """`?lang=` when given (a 400 naming it if it is no language of the
        archive), else the best fit for `Accept-Language`, else the default."""
        found = negotiation.negotiator()
        if found is None:
            return negotiation.default_language()
        values = request.query_params.getlist(negotiation.PARAMETER)
        if len(values) > 1:
            raise exceptions.ValidationError(
                {negotiation.PARAMETER: ["Give one language, not several."]}
            )
        if values:
            language = found.from_parameter(values[0])
            if language is None:
                raise exceptions.ValidationError(
                    {
                        negotiation.PARAMETER: [
                            f"Unknown language {echo(values[0])!r}. {found.hint}"
                        ]
                    }
                )
            return language
        return found.from_header(request.headers.get("Accept-Language", ""))

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # `initial()` activates the answer's language; whatever was active
        # before comes back afterwards.
        with translation.override(translation.get_language()):
            response = super().dispatch(request, *args, **kwargs)
        # Every answer, cached, 304 or error alike: it depends on the header.
        patch_vary_headers(response, ["Accept-Language"])
        language = getattr(self, "language", None)
        found = negotiation.negotiator()
        if language is not None and found is not None:
            response["Content-Language"] = found.tag(language)
        return response

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """The filter backends in turn; the FilterSet only when one of its
        parameters was sent.

        Without one it would return the queryset as it is, after deep-copying
        every filter and form field it has: for the brief list, about as long
        as the rest of an uncached request. (Empty values are a 400 already.)
        """
        filterset_class = getattr(self, "filterset_class", None)
        wanted = filterset_class is not None and not set(
            filterset_class.base_filters
        ).isdisjoint(self.request.query_params)
        for backend in self.filter_backends:
            if issubclass(backend, DjangoFilterBackend) and not wanted:
                continue
            queryset = backend().filter_queryset(self.request, queryset, self)
        return queryset

    def _cache_key(self, request: Request) -> str | None:
        """Where this GET's answer is cached, or None when caching is off.

        Called only after `initial()`: authentication (and a key's request
        count), throttling and query validation have run, so every request
        counts against its rate and bad ones still get their 401/429/400.
        The key holds everything the body depends on: the generation, the
        scheme and host (pagination links are absolute), the path, the query
        string in a canonical order, the negotiated media type (its
        parameters, such as `indent`, change the body) and the language
        (which `Accept-Language` may choose). Answers do not depend
        on who asks: a key only raises the rate limit.
        """
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if not seconds or request.method not in ("GET", "HEAD"):
            return None
        query = sorted(request.query_params.lists())
        address = "\n".join(
            [
                request.scheme,
                request.get_host(),
                request.path,
                repr(query),
                str(request.accepted_media_type),
                self.language,
            ]
        ).encode()
        generation = pagecache.current_generation()
        digest = hashlib.sha256(address).hexdigest()
        return f"{self.CACHE_KEY_PREFIX}:{generation}:{digest}"

    def _cached_answer(self, request: Request) -> HttpResponse | None:
        """The cached answer to this request, or None (then remember where)."""
        self._answer_key = key = self._cache_key(request)
        if key is None:
            return None
        entry = pagecache.get_cached(key)
        if entry is None:
            return None
        content, content_type, etag, timestamp = entry
        response = HttpResponse(content, content_type=content_type)
        response["ETag"] = etag
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        response.cached_timestamp = timestamp
        return response

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        cached = self._cached_answer(request)
        if cached is not None:
            return cached
        with self.list_limits(request):
            return self.answer_list(request, *args, **kwargs)

    def answer_list(
        self, request: Request, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        """The list's answer when it is not cached; subclasses may read it
        their own way. Every query it runs is inside `list_limits()`."""
        return super().list(request, *args, **kwargs)

    @contextmanager
    def list_limits(self, request: Request) -> Iterator[None]:
        """The limits of the filters this list was sent, around its queries.

        A filter with a `time_limit(name)` context manager (the search filter,
        `q`) gets the whole answer inside it: the filtering, the paginator's
        count and the page, not only its own query. The filter turns running
        past it into a 400 naming its parameter.
        """
        filterset_class = getattr(self, "filterset_class", None)
        filters = filterset_class.base_filters if filterset_class else {}
        with ExitStack() as stack:
            for name, filter_ in filters.items():
                limit = getattr(filter_, "time_limit", None)
                if limit is not None and name in request.query_params:
                    stack.enter_context(limit(name))
            yield

    def last_modified(self, instance: Any) -> datetime | None:
        """When this item (and what it shows of related items) last changed."""
        return getattr(instance, "updated_at", None)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        cached = self._cached_answer(request)
        if cached is not None:
            return cached
        instance = self.get_object()
        self._last_modified = self.last_modified(instance)
        return Response(self.get_serializer(instance).data)

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if hasattr(response, "cached_timestamp"):
            # From the cache: ETag and Last-Modified as stored, still conditional.
            return get_conditional_response(
                request,
                etag=response["ETag"],
                last_modified=response.cached_timestamp,
                response=response,
            )
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
        key = getattr(self, "_answer_key", None)
        if key is not None:
            entry = (
                response.content,
                response["Content-Type"],
                response["ETag"],
                timestamp,
            )
            pagecache.set_cached(key, entry, settings.PAGE_CACHE_SECONDS)
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=timestamp,
            response=response,
        )
