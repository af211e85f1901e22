from django.contrib import admin, messages
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest

from briefs.models import (
    Brief,
    BriefActor,
    BriefAgreement,
    Contribution,
    Institution,
    MentionState,
    Person,
    Recommendation,
    Topic,
)
from briefs.services import (
    confirm_suggested_mentions,
    index_brief,
    refresh_brief,
    reject_suggested_mentions,
    set_mention_state,
)


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "local_name", "people_count"]
    search_fields = ["name", "local_name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(_people=Count("people"))

    @admin.display(description="people", ordering="_people")
    def people_count(self, obj: Institution) -> int:
        return obj._people


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "orcid", "contribution_count"]
    list_select_related = ["affiliation"]
    list_filter = [("affiliation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "orcid", "affiliation__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["affiliation"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(_contributions=Count("contributions"))
        )

    @admin.display(description="contributions", ordering="_contributions")
    def contribution_count(self, obj: Person) -> int:
        return obj._contributions


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "brief_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(_briefs=Count("briefs"))

    @admin.display(description="briefs", ordering="_briefs")
    def brief_count(self, obj: Topic) -> int:
        return obj._briefs


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


@admin.register(Brief)
class BriefAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "status",
        "kind",
        "publication_date",
        "author_names",
        "updated_at",
    ]
    list_filter = ["status", "kind", "language", "featured", "topics"]
    search_fields = ["title", "slug", "summary", "contributions__person__name"]
    date_hierarchy = "publication_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topics"]
    readonly_fields = ["created_at", "updated_at", "deleted_at"]
    actions = ["confirm_mentions", "reject_mentions"]
    inlines = [
        ContributionInline,
        RecommendationInline,
        BriefActorInline,
        BriefAgreementInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "language", "summary", "body"]}),
        (
            "Classification",
            {"fields": ["topics", "featured", "licence", "doi"]},
        ),
        (
            "Publication",
            {
                "fields": [
                    "status",
                    "publication_date",
                    "published_at",
                    "withdrawn_reason",
                    "withdrawn_at",
                ]
            },
        ),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": ["created_at", "updated_at", "deleted_at"],
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Prefetch contributors: the changelist names the authors on every row.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "contributions",
                    queryset=Contribution.objects.select_related("person"),
                )
            )
        )

    @admin.display(description="authors")
    def author_names(self, obj: Brief) -> str:
        return ", ".join(c.person.name for c in obj.contributions.all())

    def save_model(self, request, obj: Brief, form, change: bool) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # After the inlines: mentions are found in recommendations too, and
        # the search document holds credits and confirmed actors.
        result = refresh_brief(brief=form.instance)
        if result.suggested:
            self.message_user(
                request,
                f"{len(result.suggested)} new actor mention(s) suggested; "
                "confirm or reject them under “Actors discussed”.",
                messages.INFO,
            )

    @admin.action(description="Confirm all suggested actor mentions")
    def confirm_mentions(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = confirm_suggested_mentions(briefs=queryset)
        self.message_user(request, f"Confirmed {count} actor mention(s).")

    @admin.action(description="Reject all suggested actor mentions")
    def reject_mentions(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = reject_suggested_mentions(briefs=queryset)
        self.message_user(request, f"Rejected {count} actor mention(s).")


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["title", "brief", "order", "policy_area"]
    list_select_related = ["brief"]
    list_filter = ["policy_area"]
    search_fields = ["title", "body", "brief__title"]
    autocomplete_fields = ["brief", "addressees"]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "brief", "order"]
    list_select_related = ["person", "brief"]
    list_filter = ["role"]
    search_fields = ["person__name", "brief__title"]
    autocomplete_fields = ["person", "brief"]


@admin.register(BriefActor)
class BriefActorAdmin(admin.ModelAdmin):
    list_display = ["actor", "brief", "state", "mention_count", "first_position"]
    list_select_related = ["actor", "brief"]
    list_filter = ["state"]
    search_fields = ["actor__name", "brief__title"]
    autocomplete_fields = ["actor", "brief"]
    actions = ["confirm", "reject"]

    @admin.action(description="Confirm selected mentions")
    def confirm(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = set_mention_state(links=queryset, state=MentionState.CONFIRMED)
        self.message_user(request, f"Confirmed {count} mention(s).")

    @admin.action(description="Reject selected mentions")
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = set_mention_state(links=queryset, state=MentionState.REJECTED)
        self.message_user(request, f"Rejected {count} mention(s).")

    def save_model(self, request, obj: BriefActor, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Confirmed actors' names are part of the brief's search document.
        index_brief(brief=obj.brief)


@admin.register(BriefAgreement)
class BriefAgreementAdmin(admin.ModelAdmin):
    list_display = ["agreement", "brief"]
    list_select_related = ["agreement", "brief"]
    search_fields = ["agreement__title", "brief__title"]
    autocomplete_fields = ["agreement", "brief"]
