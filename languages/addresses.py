"""Addresses reversed once per process and language.

With the language prefixes (`/sr/actors/serbia/`), `reverse()` answers in the
active language. Pages that link hundreds of items (a map's actors, a list's
briefs) reverse a view once with a placeholder slug and fill in each slug;
the template is kept per language, so the first language to ask never
decides the links every reader gets.
"""

from django.urls import reverse
from django.utils import translation

_PLACEHOLDER = "SLUG-PLACEHOLDER"
_templates: dict[tuple[str, str], str] = {}


def view_address(view_name: str, slug: str | None = None) -> str:
    """reverse(view_name) (with `slug`, when given) in the active language.

    Slugs are [-a-zA-Z0-9_]: safe in a URL path as they are.
    """
    key = (view_name, translation.get_language() or "")
    template = _templates.get(key)
    if template is None:
        kwargs = {"slug": _PLACEHOLDER} if slug is not None else None
        template = _templates[key] = reverse(view_name, kwargs=kwargs)
    return template if slug is None else template.replace(_PLACEHOLDER, slug)
