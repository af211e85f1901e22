"""The page's links to itself in the other languages: hreflang links, switcher.

`{% alternate_links %}` (in <head>) and `{% language_switcher %}` (in the
header) read the context's `alternates` (languages.alternates.alternates; a view
may put its own). A page shell rendered once for many pages (publishing's
brief and actor pages, the comparison) sets `language_shell` in its context:
both tags then leave a marker that languages.alternates.fill_page_links replaces
per request.
"""

from django import template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from languages import alternates
from languages.codes import public_language

register = template.Library()


@register.simple_tag(takes_context=True)
def alternate_links(context: template.Context) -> SafeString:
    if context.get("language_shell"):
        return mark_safe(alternates.ALTERNATES_MARK)
    return alternates.alternate_links_html(context.get("alternates") or [])


@register.simple_tag(takes_context=True)
def language_switcher(context: template.Context) -> SafeString:
    if context.get("language_shell"):
        return mark_safe(alternates.SWITCHER_MARK)
    request = context.get("request")
    query = request.META.get("QUERY_STRING", "") if request else ""
    return alternates.switcher_html(context.get("alternates") or [], query)


@register.simple_tag
def current_language_tag() -> str:
    """The active language's BCP 47 tag (en, sr-Cyrl, sr-Latn), for `lang`."""
    return public_language(translation.get_language()).tag
