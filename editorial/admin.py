"""The admin: where editors write, review, publish and correct briefs.

Every workflow move on a brief, from a button, a bulk action or a forged
POST, goes through `editorial.workflow.transition_brief`; every save records a
revision (editorial/revisions.py); a save made on a stale form is kept as an
unapplied revision instead of overwriting anyone.

About 1,000 lines, above the house's ~800: one ModelAdmin for the brief with
its workflow, history, compare, restore, preview and presence views, plus the
parts' admins that share its per-object permission checks. Splitting it
would put those checks in two places; the parts' admins are the first thing
to move out if it grows.
"""

import copy
import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from briefs.hooks import public_record, render_preview
from briefs.markdown import render_markdown
from briefs.models import (
    PUBLIC_NOTE_MAX_CHARS,
    Brief,
    BriefActor,
    BriefAgreement,
    Contribution,
    Correction,
    Institution,
    Language,
    MentionState,
    Person,
    Recommendation,
    Role,
    Status,
    Topic,
    load_content,
)
from briefs.reading import reading_stats
from briefs.services import (
    confirm_suggested_mentions,
    refresh_brief,
    reject_suggested_mentions,
    set_mention_state,
)
from editorial.checks import run_checks
from editorial.media_admin import AttachmentInline
from editorial.models import (
    WORKFLOW_COMMENT_MAX_CHARS,
    ReviewComment,
    RevisionKind,
    ShareLink,
)
from editorial.revisions import (
    current_edit_token,
    diff_contents,
    record_revision,
    snapshot_brief,
)
from editorial.sharing import (
    DEFAULT_DAYS,
    MAX_DAYS,
    ShareError,
    create_share_link,
    revoke_share_link,
    share_link_uses,
)
from editorial.workflow import (
    Action,
    TransitionError,
    add_review_comment,
    available_actions,
    can_comment_brief,
    can_edit_brief,
    can_preview_brief,
    can_resolve_comments,
    can_view_brief,
    clear_presence,
    comment_sections,
    editable_briefs,
    may_ever,
    others_editing,
    overrides_four_eyes,
    record_presence,
    refusal,
    resolve_review_comment,
    restore_revision,
    revisions_of,
    transition_brief,
    visible_briefs,
)
from languages import codes
from languages.admin import SerbianNameAdmin
from languages.codes import is_serbian
from languages.transliteration import (
    house_exceptions,
    markdown_to_script,
    to_cyrillic,
    to_latin,
)


@admin.register(Institution)
class InstitutionAdmin(SerbianNameAdmin):
    list_display = ["name", "local_name", "people_count"]
    search_fields = ["name", "local_name", "name_sr"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(_people=Count("people"))

    @admin.display(description=_("people"), ordering="_people")
    def people_count(self, obj: Institution) -> int:
        return obj._people


@admin.register(Person)
class PersonAdmin(SerbianNameAdmin):
    list_display = ["name", "affiliation", "orcid", "contribution_count"]
    list_select_related = ["affiliation"]
    list_filter = [("affiliation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "name_sr", "slug", "orcid", "affiliation__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["affiliation"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(_contributions=Count("contributions"))
        )

    @admin.display(description=_("contributions"), ordering="_contributions")
    def contribution_count(self, obj: Person) -> int:
        return obj._contributions


@admin.register(Topic)
class TopicAdmin(SerbianNameAdmin):
    list_display = ["name", "slug", "brief_count"]
    search_fields = ["name", "name_sr", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(_briefs=Count("briefs"))

    @admin.display(description=_("briefs"), ordering="_briefs")
    def brief_count(self, obj: Topic) -> int:
        return obj._briefs


def _may_change_brief(request: HttpRequest, brief: Brief | None) -> bool:
    """The object-level edit rule for a brief (editorial/workflow.py).

    The admin makes a brief's inlines read-only whenever the brief itself is.

    One exception: a form whose brief stopped being editable while it was
    open is let through once, so that its content can be kept as an
    unapplied revision instead of being lost (see BriefAdmin.get_object).
    """
    if brief is None:
        return True
    if getattr(request, "_brief_unapplied", None) and (
        request._brief_unapplied[0] == brief.pk
    ):
        return True
    return can_edit_brief(request.user, brief)


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["order", "person", "role"]
    ordering = ["order", "id"]


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0
    autocomplete_fields = ["addressees"]
    fields = [("order", "policy_area"), "title", "body", "addressees"]
    ordering = ["order"]


class BriefActorInline(admin.TabularInline):
    """Actor links: suggestions found in the text and links added by hand.

    The state is editable here, which is how an editor confirms or rejects
    one suggestion; the changelist actions do all of a brief's at once.
    """

    model = BriefActor
    extra = 0
    autocomplete_fields = ["actor"]
    fields = ["actor", "state", "mention_count", "first_position"]
    readonly_fields = ["mention_count", "first_position"]
    ordering = ["first_position", "actor__name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("actor")


class BriefAgreementInline(admin.TabularInline):
    model = BriefAgreement
    extra = 0
    autocomplete_fields = ["agreement"]


class TrashFilter(admin.SimpleListFilter):
    """Trashed briefs are hidden unless asked for; they stay restorable."""

    title = "trash"
    parameter_name = "trash"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("yes", "In the trash")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.in_trash()
        return queryset.not_in_trash()

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "All":
                choice["display"] = "Not in the trash"
            yield choice


class BriefAdminForm(forms.ModelForm):
    # The revision the form was loaded from (optimistic concurrency): a save
    # whose token is not the current one is kept, not applied.
    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)

    # Fields of the form's machinery, not of the brief: never reported as
    # changed (the history and revision comments would name them).
    INTERNAL_FIELDS = frozenset({"edit_token"})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["edit_token"] = current_edit_token(self.instance)

    @cached_property
    def changed_data(self) -> list[str]:
        return [
            name for name in super().changed_data if name not in self.INTERNAL_FIELDS
        ]


class TransitionForm(forms.Form):
    comment = forms.CharField(required=False, max_length=WORKFLOW_COMMENT_MAX_CHARS)
    public_note = forms.CharField(required=False, max_length=PUBLIC_NOTE_MAX_CHARS)
    publish_at = forms.DateTimeField(required=False)
    expected_status = forms.ChoiceField(choices=Status.choices, required=False)


# Which actions ask for which inputs on the change page.
NEEDS_COMMENT = {Action.REQUEST_CHANGES}
NEEDS_PUBLIC_NOTE = {Action.WITHDRAW}


class CorrectionInline(admin.TabularInline):
    # Each correction is a new version; citations name the latest one. They
    # are recorded by publishing a correction draft (editorial/workflow.py), so
    # here they are a read-only record.
    model = Correction
    extra = 0
    fields = ["published_on", "note"]
    readonly_fields = ["published_on", "note"]

    def has_add_permission(self, request: HttpRequest, obj: Brief | None) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Brief | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Brief | None = None
    ) -> bool:
        return False


@admin.register(Brief)
class BriefAdmin(admin.ModelAdmin):
    form = BriefAdminForm
    change_form_template = "admin/briefs/brief/change_form.html"
    object_history_template = "admin/briefs/brief/object_history.html"
    delete_confirmation_template = "admin/briefs/brief/delete_confirmation.html"
    list_display = [
        "title",
        "state",
        "kind",
        "publication_date",
        "author_names",
        "updated_at",
    ]
    list_filter = [TrashFilter, "status", "kind", "language", "featured", "topics"]
    search_fields = ["title", "slug", "summary", "contributions__person__name"]
    date_hierarchy = "publication_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topics", "translation_of", "cover"]
    # The workflow owns these: they change only through editorial/workflow.py.
    readonly_fields = [
        "status",
        "published_at",
        "withdrawn_reason",
        "withdrawn_at",
        "version",
        "correction_of",
        "translation_status",
        "created_by",
        "created_at",
        "updated_at",
        "deleted_at",
    ]
    inlines = [
        ContributionInline,
        RecommendationInline,
        BriefActorInline,
        BriefAgreementInline,
        AttachmentInline,
        CorrectionInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "language", "summary", "body"]}),
        (
            "Classification",
            {"fields": ["topics", "featured", "licence", "doi"]},
        ),
        # From the media library (editorial/media_admin.py).
        ("Cover image", {"fields": ["cover"]}),
        (
            "Translation",
            {
                "fields": [
                    "translation_of",
                    "translated_from_number",
                    "translation_status",
                ],
                "description": "For a translation: the brief it translates and "
                "which version of it. Credit the translator under contributors "
                "(role: translator).",
            },
        ),
        (
            "Publication",
            {
                "fields": [
                    "status",
                    "publication_date",
                    "published_at",
                    "version",
                    "correction_of",
                    "withdrawn_reason",
                    "withdrawn_at",
                ]
            },
        ),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": ["created_by", "created_at", "updated_at", "deleted_at"],
            },
        ),
    ]
    actions = [
        "submit_selected",
        "approve_selected",
        "publish_selected",
        "trash_selected",
        "untrash_selected",
        "purge_selected",
        "confirm_mentions",
        "reject_mentions",
    ]

    # -- Who may do what (the rules live in editorial/workflow.py) --

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Prefetch the authors (in credit order): the changelist names them
        # on every row; researchers and other contributors are not authors.
        return (
            (super().get_queryset(request) & visible_briefs(request.user))
            .select_related("draft_of")
            .prefetch_related(
                Prefetch(
                    "contributions",
                    queryset=Contribution.objects.filter(role=Role.AUTHOR)
                    .select_related("person")
                    .order_by("order", "id"),
                    to_attr="author_credits",
                )
            )
        )

    def has_view_permission(self, request: HttpRequest, obj: Brief | None = None):
        if obj is None:
            return super().has_view_permission(request)
        return can_view_brief(request.user, obj)

    def has_change_permission(self, request: HttpRequest, obj: Brief | None = None):
        if obj is None:
            return super().has_change_permission(request)
        return _may_change_brief(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Brief | None = None):
        # Deleting is moving to the trash, a workflow move like any other.
        if obj is None:
            return super().has_delete_permission(request)
        return refusal(request.user, obj, Action.TRASH) is None

    # Bulk actions are offered only to whoever may make the move on some
    # brief (editorial.workflow.may_ever): a Contributor may trash own drafts
    # but is not offered restoring from the trash, which is an editor's.

    def has_submit_permission(self, request: HttpRequest) -> bool:
        return may_ever(request.user, Action.SUBMIT)

    def has_review_permission(self, request: HttpRequest) -> bool:
        return may_ever(request.user, Action.APPROVE)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return may_ever(request.user, Action.PUBLISH)

    def has_trash_permission(self, request: HttpRequest) -> bool:
        return may_ever(request.user, Action.TRASH)

    def has_untrash_permission(self, request: HttpRequest) -> bool:
        return may_ever(request.user, Action.UNTRASH)

    def has_purge_permission(self, request: HttpRequest) -> bool:
        return may_ever(request.user, Action.PURGE)

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Brief | None:
        if request.method == "POST" and getattr(request, "_brief_changeform", False):
            # Lock the row before reading it, so that a transition or another
            # save that commits meanwhile is seen rather than overwritten.
            try:
                pk = unquote(object_id)
                list(Brief.objects.select_for_update().filter(pk=pk).values("pk"))
            except (ValueError, ValidationError):
                pass
        obj = super().get_object(request, object_id, from_field)
        if (
            obj is not None
            and getattr(request, "_brief_changeform", False)
            and request.method == "POST"
            and "edit_token" in request.POST
            and not can_edit_brief(request.user, obj)
            and can_view_brief(request.user, obj)
            and request.user.has_perm("briefs.change_brief")
        ):
            request._brief_unapplied = (
                obj.pk,
                f"it is now {obj.get_status_display().lower()}"
                + (" and in the trash" if obj.deleted_at else "")
                + ", so it can no longer be edited here",
            )
        return obj

    def get_fieldsets(self, request: HttpRequest, obj: Brief | None = None):
        fieldsets = copy.deepcopy(super().get_fieldsets(request, obj))
        if obj is not None and self.has_change_permission(request, obj):
            fieldsets[0][1]["fields"].append("edit_token")
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Brief | None = None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # A public address is kept stable; a working copy's is not public.
            fields.append("slug")
        return fields

    def get_prepopulated_fields(self, request: HttpRequest, obj: Brief | None = None):
        return super().get_prepopulated_fields(request, obj) if obj is None else {}

    def get_actions(
        self,
        request: HttpRequest,
        action_location: ActionLocation = ActionLocation.CHANGE_LIST,
    ) -> dict:
        actions = super().get_actions(request, action_location)
        # Bulk deletion would bypass the trash; "Move to trash" replaces it.
        actions.pop("delete_selected", None)
        return actions

    def view_on_site(self, obj: Brief) -> str | None:
        return obj.get_absolute_url() if obj.is_public else None

    # -- Display --

    @admin.display(description=_("status"), ordering="status")
    def state(self, obj: Brief) -> str:
        parts = [obj.get_status_display()]
        if obj.is_scheduled:
            parts.append(
                f"scheduled for {timezone.localtime(obj.published_at):%Y-%m-%d %H:%M}"
            )
        if obj.draft_of_id:
            parts.append(f"correction of “{obj.draft_of}”")
        if obj.deleted_at:
            parts.append("in the trash")
        return " · ".join(parts)

    @admin.display(description=_("authors"))
    def author_names(self, obj: Brief) -> str:
        return ", ".join(c.person.name for c in obj.author_credits)

    @admin.display(description=_("correction of"))
    def correction_of(self, obj: Brief) -> str:
        if not obj.draft_of_id:
            return "—"
        url = reverse("admin:briefs_brief_change", args=[obj.draft_of_id])
        return format_html(
            '<a href="{}">{}</a> (version {})', url, obj.draft_of, obj.draft_of.version
        )

    @admin.display(description=_("translations"))
    def translation_status(self, obj: Brief) -> str:
        """A translation's standing against its original, or an original's
        translations: what the editor needs to keep them in step."""
        if obj.pk is None:
            return "—"
        if obj.translation_of_id:
            original = obj.translation_of
            newer = public_record().newer_original(
                original_id=original.pk, made_from=obj.translated_from_number
            )
            url = reverse("admin:briefs_brief_change", args=[original.pk])
            if newer is None:
                return format_html(
                    'Translates <a href="{}">{}</a>, version {}: up to date.',
                    url,
                    original,
                    obj.translated_from_number,
                )
            return format_html(
                'Translates <a href="{}">{}</a>, version {}; <strong>the original '
                "is at version {} since {}</strong>.",
                url,
                original,
                obj.translated_from_number,
                newer.number,
                newer.updated_on or "—",
            )
        live = obj.draft_of_id or obj.pk
        translations = Brief.objects.filter(translation_of=live).order_by("language")
        if not translations:
            return "No translations."
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> ({}, made from version {})',
            (
                (
                    reverse("admin:briefs_brief_change", args=[t.pk]),
                    t.title,
                    t.get_language_display(),
                    t.translated_from_number,
                )
                for t in translations
            ),
        )

    # -- Saving: every save is a revision; a stale form never overwrites --

    def _unapplied(self, request: HttpRequest) -> tuple | None:
        return getattr(request, "_brief_unapplied", None)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        request._brief_changeform = True
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Brief, form, change: bool) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        if change and not self._unapplied(request):
            token = form.cleaned_data.get("edit_token") or ""
            if token != current_edit_token(obj):
                request._brief_unapplied = (
                    obj.pk,
                    "somebody else saved this brief after you opened it",
                )
        if self._unapplied(request):
            # Save inside a savepoint only to snapshot the edit, then undo it.
            request._brief_savepoint = transaction.savepoint_create()
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        brief = form.instance
        unapplied = self._unapplied(request)
        if unapplied:
            content = snapshot_brief(brief)
            transaction.savepoint_rollback(request._brief_savepoint)
            request._brief_conflict_revision = record_revision(
                brief=brief,
                user=request.user,
                kind=RevisionKind.CONFLICT,
                content=content,
                comment=f"Not applied: {unapplied[1]}.",
            )
            return
        # After the inlines: mentions are found in recommendations too.
        scan = refresh_brief(brief=brief)
        if scan.suggested:
            self.message_user(
                request,
                ngettext(
                    "%(count)d new actor mention suggested; confirm or reject it "
                    "under “Actors discussed”.",
                    "%(count)d new actor mentions suggested; confirm or reject them "
                    "under “Actors discussed”.",
                    len(scan.suggested),
                )
                % {"count": len(scan.suggested)},
                messages.INFO,
            )
        message = LogEntry(
            change_message=json.dumps(
                self.construct_change_message(request, form, formsets, not change)
            )
        ).get_change_message()
        record_revision(
            brief=brief,
            user=request.user,
            comment=message if change else "Created in the admin.",
        )
        clear_presence(brief=brief, user=request.user)

    def log_change(self, request: HttpRequest, obj: Brief, message):
        if self._unapplied(request):
            return None  # nothing changed
        return super().log_change(request, obj, message)

    def response_change(self, request: HttpRequest, obj: Brief) -> HttpResponse:
        unapplied = self._unapplied(request)
        if not unapplied:
            return super().response_change(request, obj)
        revision = request._brief_conflict_revision
        current = current_edit_token(obj)
        compare = reverse("admin:briefs_brief_compare", args=[obj.pk])
        messages.error(
            request,
            format_html(
                gettext(
                    "Your changes were not applied: {}. Nothing is lost: they are "
                    'kept as revision {}. <a href="{}?a={}&amp;b={}">Compare them '
                    "with the current version</a>, then restore them or copy what "
                    "you need."
                ),
                unapplied[1],
                revision.number,
                compare,
                current or "current",
                revision.pk,
            ),
        )
        return HttpResponseRedirect(reverse("admin:briefs_brief_change", args=[obj.pk]))

    # -- Deleting is trashing --

    def get_deleted_objects(self, objs, request: HttpRequest):
        # Nothing is deleted, so nothing related needs listing or permission.
        return [str(obj) for obj in objs], {}, set(), []

    def log_deletions(self, request: HttpRequest, queryset) -> None:
        pass  # the workflow log records the move to the trash

    def delete_model(self, request: HttpRequest, obj: Brief) -> None:
        try:
            transition_brief(obj, user=request.user, action=Action.TRASH)
        except TransitionError as error:
            raise PermissionDenied(error.message) from error

    def response_delete(
        self, request: HttpRequest, obj_display: str, obj_id
    ) -> HttpResponse:
        messages.success(
            request,
            gettext("“%(brief)s” was moved to the trash; an editor can restore it.")
            % {"brief": obj_display},
        )
        return HttpResponseRedirect(reverse("admin:briefs_brief_changelist"))

    # -- Bulk actions: each brief goes through the same checker --

    def _bulk(self, request: HttpRequest, queryset: QuerySet, action: Action) -> None:
        done, refused = 0, []
        for brief in queryset:
            try:
                transition_brief(brief, user=request.user, action=action)
                done += 1
            except TransitionError as error:
                refused.append(error.message)
        if done:
            messages.success(
                request,
                ngettext(
                    "%(action)s: done for %(count)d brief.",
                    "%(action)s: done for %(count)d briefs.",
                    done,
                )
                % {"action": action.label, "count": done},
            )
        for message in refused:
            messages.error(request, message)

    @admin.action(
        description=_("Submit selected briefs for review"), permissions=["submit"]
    )
    def submit_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, Action.SUBMIT)

    @admin.action(description=_("Approve selected briefs"), permissions=["review"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, Action.APPROVE)

    @admin.action(description=_("Publish selected briefs now"), permissions=["publish"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, Action.PUBLISH)

    @admin.action(
        description=_("Move selected briefs to the trash"), permissions=["trash"]
    )
    def trash_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, Action.TRASH)

    @admin.action(
        description=_("Restore selected briefs from the trash"), permissions=["untrash"]
    )
    def untrash_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, Action.UNTRASH)

    @admin.action(
        description=_("Purge selected briefs for good"), permissions=["purge"]
    )
    def purge_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, Action.PURGE)

    @admin.action(
        description=_("Confirm all suggested actor mentions"), permissions=["change"]
    )
    def confirm_mentions(self, request: HttpRequest, queryset: QuerySet) -> None:
        briefs = queryset.filter(pk__in=editable_briefs(request.user).values("pk"))
        count = confirm_suggested_mentions(briefs=briefs)
        self.message_user(
            request,
            ngettext(
                "Confirmed %(count)d actor mention.",
                "Confirmed %(count)d actor mentions.",
                count,
            )
            % {"count": count},
        )

    @admin.action(
        description=_("Reject all suggested actor mentions"), permissions=["change"]
    )
    def reject_mentions(self, request: HttpRequest, queryset: QuerySet) -> None:
        briefs = queryset.filter(pk__in=editable_briefs(request.user).values("pk"))
        count = reject_suggested_mentions(briefs=briefs)
        self.message_user(
            request,
            ngettext(
                "Rejected %(count)d actor mention.",
                "Rejected %(count)d actor mentions.",
                count,
            )
            % {"count": count},
        )

    # -- The change page: workflow panel, log, comments, presence, checks --

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None:
            user = request.user
            editable = can_edit_brief(user, obj)
            # Opening the form is not editing, and a GET never writes: presence
            # is recorded by the form's script on the first keystroke
            # (presence_view), or here when a POSTed form comes back (errors).
            if request.method == "POST" and editable:
                record_presence(brief=obj, user=user)
            token = request.POST.get("edit_token") if request.method == "POST" else None
            transitions = list(obj.transitions.select_related("created_by"))
            requests = [t for t in transitions if t.action == Action.REQUEST_CHANGES]
            latest_request = requests[-1] if requests else None
            resubmitted = latest_request is not None and any(
                t.action == Action.SUBMIT
                for t in transitions[transitions.index(latest_request) :]
            )
            comments = list(
                obj.review_comments.select_related("created_by", "resolved_by")
            )
            actions = [
                a
                for a in available_actions(user, obj)
                if a not in {Action.TRASH, Action.PURGE}  # the Delete link does it
            ]
            context["workflow"] = {
                "actions": [
                    {
                        "value": a.value,
                        "label": a.label,
                        "needs_comment": a in NEEDS_COMMENT,
                        # A superuser approving their own submission: the
                        # comment is the override's recorded reason.
                        "needs_reason": overrides_four_eyes(user, obj, a),
                        "needs_public_note": a in NEEDS_PUBLIC_NOTE,
                        "publish": a == Action.PUBLISH,
                    }
                    for a in actions
                ],
                "can_purge": refusal(user, obj, Action.PURGE) is None,
                "findings": run_checks(obj) if obj.status != Status.WITHDRAWN else [],
                "transitions": transitions,
                "latest_request": latest_request,
                "resubmitted": resubmitted,
                "open_comments": [c for c in comments if c.resolved_at is None],
                "resolved_comments": [c for c in comments if c.resolved_at],
                "sections": comment_sections(obj),
                "can_comment": can_comment_brief(user, obj),
                "can_resolve": can_resolve_comments(user, obj),
                "stats": reading_stats(*self._typed_text(request, obj)),
                "share": self._share_context(request, obj),
                "others_editing": others_editing(obj, user=user),
                "working_copy": (
                    obj.working_copies.filter(deleted_at__isnull=True).first()
                    if obj.status == Status.PUBLISHED
                    else None
                ),
                "corrections": obj.corrections.all(),
                "stale": token is not None and token != current_edit_token(obj),
                "can_preview": can_preview_brief(user, obj),
                # A Serbian brief is previewed in either script.
                "serbian": is_serbian(obj.language),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _typed_text(self, request: HttpRequest, obj: Brief) -> tuple[str, str]:
        """The summary and body the form shows: as POSTed, or as saved."""
        if request.method == "POST":
            return request.POST.get("summary", ""), request.POST.get("body", "")
        return obj.summary, obj.body

    def _share_context(self, request: HttpRequest, obj: Brief) -> dict | None:
        if not can_preview_brief(request.user, obj):
            return None
        links = list(ShareLink.objects.filter(brief=obj).select_related("created_by"))
        uses = share_link_uses(links)
        for link in links:
            link.uses = uses[link.pk]
        return {
            "links": links,
            "can_create": obj.deleted_at is None
            and obj.status not in (Status.PUBLISHED, Status.WITHDRAWN),
            "default_days": DEFAULT_DAYS,
            "max_days": MAX_DAYS,
        }

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_view_permission(request, obj):
            extra_context = {
                **(extra_context or {}),
                "revisions": revisions_of(obj),
                "transitions": obj.transitions.select_related("created_by"),
                "can_restore": can_edit_brief(request.user, obj),
            }
        return super().history_view(request, object_id, extra_context)

    # -- Extra views: workflow moves, comments, compare, restore, preview --

    def get_urls(self) -> list:
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path(
                "<path:object_id>/workflow/<slug:action>/",
                wrap(self.workflow_view),
                name="briefs_brief_workflow",
            ),
            path(
                "<path:object_id>/comment/",
                wrap(self.comment_view),
                name="briefs_brief_comment",
            ),
            path(
                "<path:object_id>/comment/<int:comment_id>/resolve/",
                wrap(self.resolve_view),
                name="briefs_brief_resolve",
            ),
            path(
                "<path:object_id>/presence/",
                wrap(self.presence_view),
                name="briefs_brief_presence",
            ),
            path(
                "<path:object_id>/share/",
                wrap(self.share_view),
                name="briefs_brief_share",
            ),
            path(
                "<path:object_id>/share/<int:link_id>/revoke/",
                wrap(self.revoke_share_view),
                name="briefs_brief_share_revoke",
            ),
            path(
                "<path:object_id>/revisions/compare/",
                wrap(self.compare_view),
                name="briefs_brief_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                wrap(self.restore_view),
                name="briefs_brief_restore",
            ),
            path(
                "<path:object_id>/preview/",
                # cacheable: the view sets its own, exact Cache-Control.
                self.admin_site.admin_view(self.preview_view, cacheable=True),
                name="briefs_brief_preview",
            ),
            *super().get_urls(),
        ]

    def _visible_or_404(self, request: HttpRequest, object_id: str) -> Brief:
        # Briefs a user may not see answer exactly like briefs that don't exist.
        brief = self.get_object(request, unquote(object_id))
        if brief is None or not can_view_brief(request.user, brief):
            raise Http404("No such brief.")
        return brief

    def _change_url(self, brief: Brief) -> str:
        return reverse("admin:briefs_brief_change", args=[brief.pk])

    def workflow_view(self, request: HttpRequest, object_id: str, action: str):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        brief = self._visible_or_404(request, object_id)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            errors = "; ".join(
                f"{name.replace('_', ' ')}: {' '.join(errs)}"
                for name, errs in form.errors.items()
            )
            messages.error(
                request, gettext("Nothing was done. %(errors)s") % {"errors": errors}
            )
            return HttpResponseRedirect(self._change_url(brief))
        try:
            result = transition_brief(
                brief,
                user=request.user,
                action=action,
                comment=form.cleaned_data["comment"],
                public_note=form.cleaned_data["public_note"],
                publish_at=form.cleaned_data["publish_at"],
                expected_status=form.cleaned_data["expected_status"],
            )
        except TransitionError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(self._change_url(brief))
        label = Action(action).label
        messages.success(
            request,
            gettext("%(action)s: done for “%(title)s”.")
            % {"action": label, "title": brief.title},
        )
        for finding in result.warnings:
            messages.warning(request, finding.message)
        if result.brief is None:
            return HttpResponseRedirect(reverse("admin:briefs_brief_changelist"))
        return HttpResponseRedirect(self._change_url(result.brief))

    def comment_view(self, request: HttpRequest, object_id: str):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        brief = self._visible_or_404(request, object_id)
        try:
            add_review_comment(
                brief=brief,
                user=request.user,
                body=request.POST.get("body", ""),
                section=request.POST.get("section", ""),
            )
        except TransitionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, gettext("Comment added."))
        return HttpResponseRedirect(self._change_url(brief) + "#review")

    def resolve_view(self, request: HttpRequest, object_id: str, comment_id: int):
        """POST: resolve a review comment (`resolved=0` reopens it)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        brief = self._visible_or_404(request, object_id)
        comment = ReviewComment.objects.filter(brief=brief, pk=comment_id).first()
        if comment is None:
            raise Http404(gettext("This brief has no such comment."))
        comment.brief = brief
        resolved = request.POST.get("resolved", "1") != "0"
        try:
            resolve_review_comment(
                comment=comment, user=request.user, resolved=resolved
            )
        except TransitionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                gettext("Comment resolved.")
                if resolved
                else gettext("Comment reopened."),
            )
        return HttpResponseRedirect(self._change_url(brief) + "#review")

    def presence_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """POST from the change form's script: `editing` on the first input,
        `left` when the page is closed (navigator.sendBeacon). 204, no page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        brief = self._visible_or_404(request, object_id)
        state = request.POST.get("state", "")
        if state not in ("editing", "left"):
            raise BadRequest("state is “editing” or “left”.")
        if state == "left":
            clear_presence(brief=brief, user=request.user)
        elif can_edit_brief(request.user, brief):
            record_presence(brief=brief, user=request.user)
        return HttpResponse(status=204)

    def share_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """POST: a new share link; its address is shown once on the form."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        brief = self._visible_or_404(request, object_id)
        if not can_preview_brief(request.user, brief):
            raise PermissionDenied
        try:
            days = int(request.POST.get("days") or DEFAULT_DAYS)
        except ValueError:
            days = 0
        try:
            _link, token = create_share_link(
                brief=brief,
                user=request.user,
                days=days,
                note=request.POST.get("note", ""),
            )
        except ShareError as error:
            messages.error(request, error.message)
        else:
            # In the message (a cookie, shown once), not the session: showing
            # it is a GET, and a GET never writes the database.
            messages.success(
                request,
                format_html(
                    '{} <input id="id_new_share_link" type="text" readonly '
                    'size="90" value="{}">',
                    gettext("Share link created. Copy it now: it is shown only once."),
                    request.build_absolute_uri(
                        reverse("editorial:share", args=[token])
                    ),
                ),
            )
        return HttpResponseRedirect(self._change_url(brief) + "#share")

    def revoke_share_view(
        self, request: HttpRequest, object_id: str, link_id: int
    ) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        brief = self._visible_or_404(request, object_id)
        if not can_preview_brief(request.user, brief):
            raise PermissionDenied
        link = ShareLink.objects.filter(brief=brief, pk=link_id).first()
        if link is None:
            raise Http404(gettext("This brief has no such share link."))
        revoke_share_link(
            link=link, user=request.user, reason=gettext("revoked by hand")
        )
        messages.success(request, gettext("Share link revoked."))
        return HttpResponseRedirect(self._change_url(brief) + "#share")

    def _revision_content(self, brief: Brief, key: str) -> tuple[dict, object]:
        if key in {"", "current"}:
            return snapshot_brief(brief), None
        if not key.isdigit():
            raise BadRequest(
                gettext("“%(key)s” is not a revision number.") % {"key": key}
            )
        revision = revisions_of(brief).filter(pk=int(key)).first()
        if revision is None:
            raise Http404(gettext("This brief has no such revision."))
        return revision.content, revision

    def compare_view(self, request: HttpRequest, object_id: str):
        brief = self._visible_or_404(request, object_id)
        old, old_revision = self._revision_content(brief, request.GET.get("a", ""))
        new, new_revision = self._revision_content(brief, request.GET.get("b", ""))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Compare revisions: %(brief)s") % {"brief": brief},
            "subtitle": None,
            "original": brief,
            "old_revision": old_revision,
            "new_revision": new_revision,
            "changes": diff_contents(old, new),
            "can_restore": can_edit_brief(request.user, brief),
        }
        return TemplateResponse(
            request, "admin/briefs/brief/revision_compare.html", context
        )

    def restore_view(self, request: HttpRequest, object_id: str, revision_id: int):
        brief = self._visible_or_404(request, object_id)
        revision = revisions_of(brief).filter(pk=revision_id).first()
        if revision is None:
            raise Http404(gettext("This brief has no such revision."))
        if not can_edit_brief(request.user, brief):
            raise PermissionDenied(
                gettext(
                    "This brief cannot be changed as it is now; start a correction "
                    "and restore into that."
                )
                if brief.status == Status.PUBLISHED
                else gettext("This brief cannot be changed as it is now.")
            )
        if request.method == "POST":
            try:
                restored = restore_revision(
                    brief=brief, revision=revision, user=request.user
                )
            except TransitionError as error:
                raise PermissionDenied(error.message) from error
            messages.success(
                request,
                gettext("Restored revision %(old)d; this is now revision %(new)d.")
                % {"old": revision.number, "new": restored.number},
            )
            return HttpResponseRedirect(self._change_url(brief))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Restore revision %(number)d: %(brief)s")
            % {"number": revision.number, "brief": brief},
            "subtitle": None,
            "original": brief,
            "revision": revision,
            "changes": diff_contents(snapshot_brief(brief), revision.content),
        }
        return TemplateResponse(
            request, "admin/briefs/brief/revision_restore.html", context
        )

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The brief as its public page would show it; nothing is written.

        GET previews the saved brief. POST (the change form's preview
        buttons) previews the form's title, summary and body as typed,
        unsaved. A Serbian brief is shown in the script asked for
        (`script`: Cyrl or Latn), whichever it was written in.
        """
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        brief = self._visible_or_404(request, object_id)
        if not can_preview_brief(request.user, brief):
            raise PermissionDenied
        unsaved = None
        if request.method == "POST":
            unsaved = {
                name: request.POST.get(name, getattr(brief, name))
                for name in PREVIEW_FIELDS
            }
            try:
                for name, value in unsaved.items():
                    Brief._meta.get_field(name).clean(value, brief)
            except ValidationError as error:
                return HttpResponse(
                    " ".join(error.messages),
                    status=400,
                    content_type="text/plain; charset=utf-8",
                )
        params = request.POST if request.method == "POST" else request.GET
        script = params.get("script", "")
        if script not in SCRIPTS or not is_serbian(brief.language):
            script = ""
        shown = preview_copy(brief, unsaved=unsaved or {}, script=script)
        response = render_preview(request, shown, script=script, unsaved=unsaved)
        # Never cached by anyone, never indexed, whatever the page template says.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        # Framed by the change form's side-by-side panel, and by nothing else.
        response["X-Frame-Options"] = "SAMEORIGIN"
        response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]}
        return response


# -- The preview: unsaved text, in either script --------------------------------

# What the change form's preview buttons send: the text an editor is typing.
PREVIEW_FIELDS = ("title", "summary", "body")
SCRIPTS = {codes.CYRILLIC, codes.LATIN}


def _text_in_script(text: str, script: str) -> str:
    if script == codes.LATIN:
        return to_latin(text)
    return to_cyrillic(text, house_exceptions())


def _markdown_in_script(text: str, script: str) -> str:
    # Code, addresses, link targets and footnote labels are kept as they are.
    return markdown_to_script(text, script, house_exceptions())


def preview_copy(brief: Brief, *, unsaved: dict[str, str], script: str) -> Brief:
    """An unsaved copy of `brief` with the form's text, in `script` if given.

    Never saved: a fresh instance (briefs.models.load_content) whose fields
    and loaded recommendations are changed in memory only, so the preview
    writes nothing and the caller's instance is left as it was.
    """
    [copy] = load_content(brief)
    for name, value in unsaved.items():
        setattr(copy, name, value)
    if script:
        copy.title = _text_in_script(copy.title, script)
        copy.summary = _text_in_script(copy.summary, script)
        copy.body = _markdown_in_script(copy.body, script)
        copy.language = (
            Language.SERBIAN_LATIN
            if script == codes.LATIN
            else Language.SERBIAN_CYRILLIC
        )
        for recommendation in copy.recommendations.all():
            recommendation.title = _text_in_script(recommendation.title, script)
            recommendation.body = _text_in_script(recommendation.body, script)
    if unsaved or script:
        copy.body_html, copy.toc = render_markdown(copy.body)
    return copy


# -- Standalone admins of brief parts: same rules as the brief's own inlines ---


class BriefPartAdmin(admin.ModelAdmin):
    """A brief's part edited on its own page obeys the brief's rules.

    Only parts of briefs the user may see are listed; they can be changed
    only while the brief may be; and each change records a revision of the
    brief, exactly as editing it inline would.
    """

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .filter(brief__in=visible_briefs(request.user).values("pk"))
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit_brief(request.user, obj.brief)
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (
            obj is None or can_edit_brief(request.user, obj.brief)
        )

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "brief":
            kwargs["queryset"] = editable_briefs(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        record_revision(
            brief=form.instance.brief,
            user=request.user,
            comment=f"{'Changed' if change else 'Added'} "
            f"{self.opts.verbose_name} “{form.instance}”.",
        )

    def delete_model(self, request: HttpRequest, obj) -> None:
        brief = obj.brief
        super().delete_model(request, obj)
        record_revision(
            brief=brief,
            user=request.user,
            comment=f"Deleted {self.opts.verbose_name} “{obj}”.",
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        briefs = list(Brief.objects.filter(pk__in=queryset.values("brief")))
        super().delete_queryset(request, queryset)
        for brief in briefs:
            record_revision(
                brief=brief,
                user=request.user,
                comment=f"Deleted {self.opts.verbose_name_plural} in bulk.",
            )


@admin.register(Recommendation)
class RecommendationAdmin(BriefPartAdmin):
    list_display = ["title", "brief", "order", "policy_area"]
    list_select_related = ["brief"]
    list_filter = ["policy_area"]
    search_fields = ["title", "body", "brief__title"]
    autocomplete_fields = ["brief", "addressees"]


@admin.register(Contribution)
class ContributionAdmin(BriefPartAdmin):
    list_display = ["person", "role", "brief", "order"]
    list_select_related = ["person", "brief"]
    list_filter = ["role"]
    search_fields = ["person__name", "brief__title"]
    autocomplete_fields = ["person", "brief"]


@admin.register(BriefActor)
class BriefActorAdmin(BriefPartAdmin):
    list_display = ["actor", "brief", "state", "mention_count", "first_position"]
    list_select_related = ["actor", "brief"]
    list_filter = ["state"]
    search_fields = ["actor__name", "brief__title"]
    autocomplete_fields = ["actor", "brief"]
    actions = ["confirm", "reject"]

    def _editable(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(brief__in=editable_briefs(request.user).values("pk"))

    @admin.action(description=_("Confirm selected mentions"), permissions=["change"])
    def confirm(self, request: HttpRequest, queryset: QuerySet) -> None:
        links = self._editable(request, queryset)
        count = set_mention_state(links=links, state=MentionState.CONFIRMED)
        self.message_user(
            request,
            ngettext(
                "Confirmed %(count)d mention.", "Confirmed %(count)d mentions.", count
            )
            % {"count": count},
        )

    @admin.action(description=_("Reject selected mentions"), permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        links = self._editable(request, queryset)
        count = set_mention_state(links=links, state=MentionState.REJECTED)
        self.message_user(
            request,
            ngettext(
                "Rejected %(count)d mention.", "Rejected %(count)d mentions.", count
            )
            % {"count": count},
        )


@admin.register(BriefAgreement)
class BriefAgreementAdmin(BriefPartAdmin):
    list_display = ["agreement", "brief"]
    list_select_related = ["agreement", "brief"]
    search_fields = ["agreement__title", "brief__title"]
    autocomplete_fields = ["agreement", "brief"]


# Assessments of recommendations have their own module (editorial/assessments.py).
from editorial import assessment_admin  # noqa: E402, F401
