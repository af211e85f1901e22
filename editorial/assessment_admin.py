"""The admin of assessments: drafts written, checked against stale forms,
reviewed, published, taken back, with their history and restore.

The rules and the moves are editorial/assessments.py; this module is the
forms and buttons around them.
"""

import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.forms.models import BaseInlineFormSet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from briefs.models import (
    Assessment,
    AssessmentSource,
    AssessmentState,
    Recommendation,
    validate_web_url,
)
from editorial.assessments import (
    AssessmentError,
    assessable_recommendations,
    can_edit_assessment,
    current_token,
    overrides_four_eyes,
    publish_assessment,
    publish_refusal,
    recommendation_of,
    record_assessment_revision,
    restore_assessment_revision,
    unpublish_assessment,
)
from editorial.models import AssessmentRevision, AssessmentRevisionKind


def recommendation_choice(rec: Recommendation) -> tuple[str, str]:
    label = (
        f"{Truncator(rec.brief.title).chars(70)} — "
        f"{rec.order}. {Truncator(rec.title).chars(70)}"
    )
    return f"{rec.brief_id}:{rec.key}", label


class AssessmentForm(forms.ModelForm):
    # Only when adding: which recommendation ("<brief id>:<key>").
    recommendation = forms.ChoiceField(
        choices=[],
        required=False,
        help_text=_("A recommendation of a published brief."),
    )
    # The optimistic check: the revision the form was loaded at.
    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Assessment
        fields = ["status", "assessed_on", "justification"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["recommendation"].required = True
            self.fields["recommendation"].choices = [
                ("", "---------"),
                *(recommendation_choice(r) for r in assessable_recommendations()),
            ]
        else:
            del self.fields["recommendation"]
            if not self.is_bound:
                self.initial["edit_token"] = current_token(self.instance)

    def clean_recommendation(self) -> tuple[int, uuid.UUID]:
        value = self.cleaned_data["recommendation"]
        brief_id, _, key = value.partition(":")
        try:
            return int(brief_id), uuid.UUID(key)
        except ValueError:
            raise forms.ValidationError(_("Choose a recommendation.")) from None

    def _post_clean(self) -> None:
        # The recommendation chosen belongs on the instance before the
        # model's own validation runs.
        if self.instance.pk is None and "recommendation" in self.cleaned_data:
            brief_id, key = self.cleaned_data["recommendation"]
            self.instance.brief_id = brief_id
            self.instance.recommendation_key = key
        super()._post_clean()


class SourceFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise forms.ValidationError(_("Give at least one evidence source."))


class AssessmentSourceForm(forms.ModelForm):
    # Only web pages: the form says so itself (a form URLField takes ftp:).
    url = forms.URLField(
        label="Address",
        max_length=500,
        assume_scheme="https",
        validators=[validate_web_url],
        error_messages={"invalid": "Give an http:// or https:// address."},
    )

    class Meta:
        model = AssessmentSource
        fields = ["url", "title", "published_on", "order"]


class AssessmentSourceInline(admin.TabularInline):
    model = AssessmentSource
    form = AssessmentSourceForm
    formset = SourceFormSet
    fields = ["url", "title", "published_on", "order"]
    extra = 1
    min_num = 1
    validate_min = True

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit_assessment(request.user, obj)
        )

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_add_permission(request, obj) and (
            obj is None or can_edit_assessment(request.user, obj)
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (
            obj is None or can_edit_assessment(request.user, obj)
        )


class PublishForm(forms.Form):
    comment = forms.CharField(required=False, max_length=2000)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    form = AssessmentForm
    inlines = [AssessmentSourceInline]
    list_display = [
        "recommendation_label",
        "status",
        "assessed_on",
        "state",
        "published_at",
    ]
    list_filter = ["state", "status"]
    list_select_related = ["brief"]
    search_fields = ["justification", "brief__title"]
    date_hierarchy = "assessed_on"
    readonly_fields = ["recommendation_label", "state", "published_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        live = Recommendation.objects.filter(
            brief_id=OuterRef("brief_id"), key=OuterRef("recommendation_key")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                recommendation_order=Subquery(live.values("order")[:1]),
                recommendation_title=Subquery(live.values("title")[:1]),
            )
        )

    def get_fieldsets(self, request: HttpRequest, obj: Assessment | None = None):
        first = ["recommendation"] if obj is None else ["recommendation_label"]
        fields = [*first, "status", "assessed_on", "justification"]
        if obj is not None:
            fields += ["state", "published_at"]
            if can_edit_assessment(request.user, obj):
                fields.append("edit_token")
        return [(None, {"fields": fields})]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj is not None and not can_edit_assessment(request.user, obj):
            return ["recommendation_label", "status", "assessed_on", "justification"]
        return ["recommendation_label", "state", "published_at"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # Published ones are shown read-only: take them back to draft first.
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit_assessment(request.user, obj)
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.state == AssessmentState.DRAFT
        )

    @admin.display(description=_("Recommendation"))
    def recommendation_label(self, obj: Assessment) -> str:
        order = getattr(obj, "recommendation_order", None)
        title = getattr(obj, "recommendation_title", None)
        if order is None:
            rec = recommendation_of(obj)
            if rec is None:
                return f"{obj.brief} — (no longer made by the brief)"
            order, title = rec.order, rec.title
        return f"{Truncator(obj.brief.title).chars(70)} — {order}. {title}"

    # -- Saving: every save is a revision; a stale form never overwrites --

    def save_model(self, request: HttpRequest, obj: Assessment, form, change: bool):
        if not change:
            obj.created_by = request.user
        elif (form.cleaned_data.get("edit_token") or "") != current_token(obj):
            request._assessment_stale = True
            return  # nothing saved; save_related keeps the edit as a revision
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool):
        obj = form.instance
        if getattr(request, "_assessment_stale", False):
            sources = [
                {
                    "url": f.cleaned_data["url"],
                    "title": f.cleaned_data["title"],
                    "published_on": f.cleaned_data["published_on"].isoformat(),
                }
                for formset in formsets
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            data = form.cleaned_data
            request._assessment_conflict = record_assessment_revision(
                assessment=Assessment.objects.get(pk=obj.pk),
                user=request.user,
                kind=AssessmentRevisionKind.CONFLICT,
                comment="Not applied: somebody else changed this assessment "
                "after you opened it.",
                content={
                    "brief": obj.brief_id,
                    "recommendation_key": str(obj.recommendation_key),
                    "status": data["status"],
                    "assessed_on": data["assessed_on"].isoformat(),
                    "justification": data["justification"],
                    "sources": sources,
                },
            )
            return
        super().save_related(request, form, formsets, change)
        record_assessment_revision(
            assessment=obj,
            user=request.user,
            kind=AssessmentRevisionKind.EDIT,
            comment="Changed in the admin." if change else "Created in the admin.",
        )

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "_assessment_stale", False):
            return []  # nothing was saved
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request: HttpRequest, obj, message):
        if getattr(request, "_assessment_stale", False):
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request: HttpRequest, obj: Assessment) -> HttpResponse:
        conflict = getattr(request, "_assessment_conflict", None)
        if conflict is None:
            return super().response_change(request, obj)
        messages.error(
            request,
            format_html(
                gettext(
                    "Your changes were not applied: somebody else changed this "
                    "assessment after you opened it. Nothing is lost: they are kept "
                    'as revision {} in its <a href="{}">history</a>, where you can '
                    "restore them."
                ),
                conflict.pk,
                reverse("admin:briefs_assessment_history", args=[obj.pk]),
            ),
        )
        return HttpResponseRedirect(
            reverse("admin:briefs_assessment_change", args=[obj.pk])
        )

    # -- The change page's review panel, history, moves --

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None:
            user = request.user
            context["review"] = {
                "state": obj.get_state_display(),
                "published": obj.state == AssessmentState.PUBLISHED,
                "can_publish": publish_refusal(user, obj) is None,
                "refusal": publish_refusal(user, obj),
                "needs_reason": obj.state == AssessmentState.DRAFT
                and overrides_four_eyes(user, obj),
                "can_unpublish": obj.state == AssessmentState.PUBLISHED
                and user.has_perm("briefs.publish_assessment"),
                "revisions": AssessmentRevision.objects.filter(
                    assessment=obj
                ).select_related("created_by")[:5],
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_view_permission(request, obj):
            extra_context = {
                **(extra_context or {}),
                "revisions": AssessmentRevision.objects.filter(
                    assessment=obj
                ).select_related("created_by"),
                "can_restore": can_edit_assessment(request.user, obj),
            }
        return super().history_view(request, object_id, extra_context)

    def get_urls(self) -> list:
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path(
                "<path:object_id>/publish/",
                wrap(self.publish_view),
                name="briefs_assessment_publish",
            ),
            path(
                "<path:object_id>/unpublish/",
                wrap(self.unpublish_view),
                name="briefs_assessment_unpublish",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                wrap(self.restore_view),
                name="briefs_assessment_restore",
            ),
            *super().get_urls(),
        ]

    def _object_or_404(self, request: HttpRequest, object_id: str) -> Assessment:
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404("No such assessment.")
        return obj

    def _change_url(self, obj: Assessment) -> str:
        return reverse("admin:briefs_assessment_change", args=[obj.pk])

    def _move(self, request: HttpRequest, object_id: str, move, done: str):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._object_or_404(request, object_id)
        form = PublishForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                gettext("Nothing was done: a comment is at most 2,000 characters."),
            )
            return HttpResponseRedirect(self._change_url(obj))
        try:
            move(
                assessment=obj, user=request.user, comment=form.cleaned_data["comment"]
            )
        except AssessmentError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
        return HttpResponseRedirect(self._change_url(obj))

    def publish_view(self, request: HttpRequest, object_id: str):
        return self._move(
            request, object_id, publish_assessment, gettext("Assessment published.")
        )

    def unpublish_view(self, request: HttpRequest, object_id: str):
        return self._move(
            request,
            object_id,
            unpublish_assessment,
            gettext("Assessment taken back to draft."),
        )

    def restore_view(self, request: HttpRequest, object_id: str, revision_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._object_or_404(request, object_id)
        revision = AssessmentRevision.objects.filter(
            assessment=obj, pk=revision_id
        ).first()
        if revision is None:
            raise Http404(
                gettext("This assessment has no revision %(number)d.")
                % {"number": revision_id}
            )
        try:
            restored = restore_assessment_revision(
                assessment=obj, revision=revision, user=request.user
            )
        except AssessmentError as error:
            raise PermissionDenied(error.message) from error
        messages.success(
            request,
            gettext("Restored revision %(old)d; this is now revision %(new)d.")
            % {"old": revision.pk, "new": restored.pk},
        )
        return HttpResponseRedirect(self._change_url(obj))
