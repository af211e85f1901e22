"""Public pages. Every queryset starts from `Brief.objects.published()`.

Actor and agreement pages live here, not in `actors`, because they list the
briefs that discuss them and `actors` never imports `briefs`.
"""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.generic import DetailView, ListView

from actors.models import Actor, Agreement, AgreementParty
from briefs.models import Brief, Contribution, Person, Recommendation, Topic


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
