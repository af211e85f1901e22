"""The validator behind every limit on typed text (README, *Limits and security*).

Each app names its limits as constants next to its models and attaches
`max_chars(LIMIT, _("What"))` to the field, so the admin's forms, importers
calling `full_clean` and `full_clean` itself refuse longer text with a
message naming the limit. A validator rather than `max_length`: a TextField's
`max_length` does not reach the database or `full_clean`.

`what` may be a lazy translation: the message is put together when a value is
refused, in the language of that request.
"""

from django.core.validators import MaxLengthValidator
from django.utils.functional import lazy
from django.utils.translation import gettext


def _message(what) -> str:
    return gettext(
        "%(what)s may be at most %%(limit_value)d characters; "
        "this one has %%(show_value)d."
    ) % {"what": what}


_lazy_message = lazy(_message, str)


def max_chars(limit: int, what) -> MaxLengthValidator:
    """The validator behind each limit, with a message that names it."""
    return MaxLengthValidator(limit, message=_lazy_message(what))
