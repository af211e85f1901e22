"""OpenAPI schema: the answers every operation can give, with examples."""

from collections.abc import Iterable

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from kernel import negotiation


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer (documentation only)."""

    detail = serializers.CharField(help_text="What went wrong, for people.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="400 only: the messages for each offending query parameter.",
    )


def _error_response(
    description: str, examples: Iterable[tuple[str, dict]]
) -> OpenApiResponse:
    return OpenApiResponse(
        response=ErrorSerializer,
        description=description,
        examples=[
            OpenApiExample(name, value=value, response_only=True)
            for name, value in examples
        ],
    )


UNKNOWN_PARAMETER = (
    "Unknown parameter",
    {
        "detail": "Invalid request parameters.",
        "errors": {"actr": ["Unknown query parameter. Allowed here: …"]},
    },
)
UNKNOWN_LANGUAGE = (
    "Unknown language",
    {
        "detail": "Invalid request parameters.",
        "errors": {"lang": ["Unknown language 'de'. Use en (English), …"]},
    },
)
BAD_ITEM_REQUEST = _error_response(
    "An item's address takes no query parameter but `lang`; `errors` names the "
    "one at fault.",
    [UNKNOWN_PARAMETER, UNKNOWN_LANGUAGE],
)
BAD_REQUEST = _error_response(
    "A query parameter is unknown or its value is invalid; `errors` names it.",
    [
        (
            "Malformed date",
            {
                "detail": "Invalid request parameters.",
                "errors": {"published_after": ["Enter a valid date."]},
            },
        ),
        (
            "Unknown slug",
            {
                "detail": "Invalid request parameters.",
                "errors": {
                    "actor": [
                        "Select a valid choice. atlantis is not one of the "
                        "available choices."
                    ]
                },
            },
        ),
        UNKNOWN_PARAMETER,
        UNKNOWN_LANGUAGE,
        (
            "Page size over the maximum",
            {
                "detail": "Invalid request parameters.",
                "errors": {"page_size": ["Must be a whole number from 1 to 100."]},
            },
        ),
    ],
)
UNAUTHORIZED = _error_response(
    "The API key is malformed, unknown or revoked. Requests without a key are "
    "allowed (at a lower rate).",
    [("Revoked key", {"detail": "Invalid or revoked API key."})],
)
NOT_FOUND = _error_response(
    "No published item has this slug.",
    [("Unknown slug", {"detail": "Not found."})],
)
TOO_MANY = _error_response(
    "Rate limit reached; `Retry-After` says how many seconds to wait.",
    [
        (
            "Throttled",
            {"detail": "Request was throttled. Expected available in 42 seconds."},
        )
    ],
)


class ArchiveAutoSchema(AutoSchema):
    """Documents the answers every operation can give, not just its 200."""

    def get_description(self) -> str:
        # Without this, operations inherit ArchiveViewSet's docstring, which is
        # written for developers, not partners.
        if type(self.view).__dict__.get("__doc__"):
            return super().get_description()
        return ""

    def get_override_parameters(self) -> list:
        parameters = list(super().get_override_parameters())
        found = negotiation.negotiator()
        if found is not None:
            parameters.append(
                OpenApiParameter(
                    negotiation.PARAMETER,
                    str,
                    OpenApiParameter.QUERY,
                    enum=list(found.choices),
                    description=(
                        "The language of names and texts: `en` (English), `sr` "
                        "(Serbian, Cyrillic) or `sr-latn` (Serbian, Latin); the "
                        "tags `sr-Cyrl` and `sr-Latn` are accepted too, in any "
                        "case. Without it, `Accept-Language` chooses (`sr-Latn`, "
                        "`sr`, `en-GB` …), else English. It wins over the header. "
                        "The answer says its language in `Content-Language`."
                    ),
                )
            )
        return parameters

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        is_item = "{" in self.path
        errors = {
            "400": BAD_ITEM_REQUEST if is_item else BAD_REQUEST,
            "401": UNAUTHORIZED,
            "429": TOO_MANY,
        }
        if is_item:
            errors["404"] = NOT_FOUND
        for code, response in errors.items():
            responses.setdefault(code, self._get_response_for_code(response, code))
        return dict(sorted(responses.items()))

    def _get_response_headers_for_code(
        self, status_code: str, direction: str = "response"
    ) -> dict:
        headers = super()._get_response_headers_for_code(status_code, direction)
        if status_code == "200":
            headers["Content-Language"] = {
                "schema": {"type": "string"},
                "description": "The answer's language (BCP 47): en, sr-Cyrl or "
                "sr-Latn.",
            }
            headers["ETag"] = {
                "schema": {"type": "string"},
                "description": "Send it back in If-None-Match to get a 304.",
            }
            if "{" in self.path:
                headers["Last-Modified"] = {
                    "schema": {"type": "string"},
                    "description": "When the item last changed (HTTP date).",
                }
        if status_code == "429":
            headers["Retry-After"] = {
                "schema": {"type": "integer"},
                "description": "Seconds to wait before the next request.",
            }
        return headers


class ApiKeySchemeExtension(OpenApiAuthenticationExtension):
    target_class = "kernel.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Optional. `Authorization: Api-Key <key>` (or `X-Api-Key: <key>`) "
                "for the partner rate limit; without it the anonymous limit applies."
            ),
        }
