"""Site-wide pages that span both apps."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from briefs.models import Brief, Topic


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
