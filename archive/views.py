"""Site-wide pages that span both apps."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from briefs.models import Brief, Topic
from briefs.oai import withdrawn_briefs


def home(request: HttpRequest) -> HttpResponse:
    published = Brief.objects.published().with_cards()
    return render(
        request,
        "home.html",
        {
            "latest": published[:10],
            "featured": published.filter(featured=True)[:3],
            "topics": Topic.objects.all(),
        },
    )


def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """`/b/<id>/`: the permanent address of a brief, cited in every format.

    It redirects to the brief's current page, whatever its slug is now. The
    redirect is a 302, as doi.org and Handle resolvers do: the permanent
    address is the identifier, and its target may change with the next slug
    rename, so browsers and caches must not remember the target for good (a
    301 would let them). A withdrawn brief redirects too; its page explains
    the withdrawal (410). Drafts, scheduled and trashed briefs are 404.
    """
    brief = (
        Brief.objects.published().filter(pk=pk).first()
        or withdrawn_briefs().filter(pk=pk).first()
    )
    if brief is None:
        raise Http404("No brief has this permanent link.")
    return HttpResponseRedirect(brief.get_absolute_url())
