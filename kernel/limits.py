"""The validator behind every limit on typed text (README, *Limits and security*).

Each app names its limits as constants next to its models and attaches
`max_chars(LIMIT, "What")` to the field, so the admin's forms, importers
calling `full_clean` and `full_clean` itself refuse longer text with a
message naming the limit. A validator rather than `max_length`: a TextField's
`max_length` does not reach the database or `full_clean`.
"""

from django.core.validators import MaxLengthValidator


def max_chars(limit: int, what: str) -> MaxLengthValidator:
    """The validator behind each limit, with a message that names it."""
    return MaxLengthValidator(
        limit,
        message=(
            f"{what} may be at most %(limit_value)d characters; "
            "this one has %(show_value)d."
        ),
    )
