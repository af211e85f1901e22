"""Public pages. Every queryset starts from `Brief.objects.published()`.

Actor and agreement pages live here, not in `actors`, because they list the
briefs that discuss them and `actors` never imports `briefs`.
"""

from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.generic import DetailView, ListView

from actors.models import Actor, Agreement, AgreementParty
from briefs.citations import EXPORT_FORMATS, citation_record
from briefs.models import Brief, Contribution, Person, Recommendation, Topic
from briefs.pdf import PDFUnavailable, ensure_brief_pdf


class BriefListView(ListView):
    template_name = "briefs/brief_list.html"
    paginate_by = 20

    def get_queryset(self):
        return Brief.objects.published().with_cards()


def with_page_relations(queryset):
    """What the brief page shows, prefetched (shared with the admin's preview)."""
    return queryset.prefetch_related(
        Prefetch(
            "contributions",
            queryset=Contribution.objects.select_related("person"),
        ),
        "topics",
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.prefetch_related("addressees"),
        ),
        "corrections",
    )


class BriefDetailView(DetailView):
    template_name = "briefs/brief_detail.html"

    def get_queryset(self):
        return with_page_relations(Brief.objects.published())


def render_brief_preview(request: HttpRequest, brief: Brief) -> HttpResponse:
    """Any brief rendered exactly as its public page, under a "not published" banner.

    Not routed publicly: only the admin's preview view calls this, after
    checking that the user may see the brief (briefs/admin.py).
    """
    brief = with_page_relations(Brief.objects.filter(pk=brief.pk)).get()
    return TemplateResponse(
        request,
        "briefs/brief_preview.html",
        {"brief": brief, "object": brief, "preview": True},
    )


class PersonDetailView(DetailView):
    template_name = "briefs/person_detail.html"
    queryset = Person.objects.select_related("affiliation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["briefs"] = (
            Brief.objects.published().by_person(self.object).with_cards()
        )
        return context


class TopicDetailView(DetailView):
    template_name = "briefs/topic_detail.html"
    model = Topic

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["briefs"] = (
            Brief.objects.published().filter(topics=self.object).with_cards()
        )
        return context


class ActorListView(ListView):
    template_name = "actors/actor_list.html"
    model = Actor
    paginate_by = 100


class ActorDetailView(DetailView):
    template_name = "actors/actor_detail.html"
    model = Actor

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor = self.object
        context["briefs"] = Brief.objects.published().for_actor(actor).with_cards()
        context["agreements"] = Agreement.objects.filter(parties__actor=actor)
        return context


class AgreementListView(ListView):
    template_name = "actors/agreement_list.html"
    model = Agreement
    paginate_by = 50


class AgreementDetailView(DetailView):
    template_name = "actors/agreement_detail.html"

    def get_queryset(self):
        return Agreement.objects.prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("actor", "signatory"),
            ),
            "sources",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["briefs"] = (
            Brief.objects.published().for_agreement(self.object).with_cards()
        )
        return context


# --- Citation downloads and the PDF -------------------------------------------
# Kept together at the end of the module: both serve a published brief in
# another format, both go through `Brief.objects.published()`.


def _citable_brief(slug: str) -> Brief:
    """A published brief with what a citation reads, or 404."""
    return get_object_or_404(
        Brief.objects.published().prefetch_related(
            Prefetch(
                "contributions",
                queryset=Contribution.objects.select_related("person"),
            ),
            "topics",
            "corrections",
        ),
        slug=slug,
    )


def brief_citation(request: HttpRequest, slug: str, ext: str) -> HttpResponse:
    """`/briefs/<slug>/cite.bib|.ris|.json`: BibTeX, RIS or CSL-JSON."""
    if ext not in EXPORT_FORMATS:
        raise Http404(f"No citation format .{ext}; use .bib, .ris or .json.")
    brief = _citable_brief(slug)
    formatter, content_type = EXPORT_FORMATS[ext]
    response = HttpResponse(
        formatter(citation_record(brief)), content_type=f"{content_type}; charset=utf-8"
    )
    # A download with a sensible name; reference managers also recognise the
    # media type and offer to import it.
    response["Content-Disposition"] = f'attachment; filename="{brief.slug}.{ext}"'
    # Public metadata: let browser-based citation tools fetch it cross-origin.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def brief_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """`/briefs/<slug>.pdf`: the stored PDF of the current version.

    The PDF is generated once per version (see `briefs.pdf`) and served from
    storage afterwards; only the first request after a change waits for it.
    """
    brief = _citable_brief(slug)
    try:
        name = ensure_brief_pdf(brief=brief)
    except PDFUnavailable:
        return HttpResponse(
            "The PDF cannot be made on this server right now.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    return FileResponse(
        default_storage.open(name, "rb"),
        content_type="application/pdf",
        filename=f"{brief.slug}.pdf",
    )
