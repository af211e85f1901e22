from django.contrib import admin
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from actors.models import (
    Actor,
    ActorAlias,
    Agreement,
    AgreementParty,
    AgreementSource,
    Indicator,
    Membership,
    Office,
)
from languages.admin import SerbianNameAdmin


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "member"
    extra = 0
    autocomplete_fields = ["organization"]
    verbose_name = _("membership")
    verbose_name_plural = _("memberships (this actor as member)")


class OfficeInline(admin.TabularInline):
    model = Office
    fk_name = "holder"
    extra = 0
    autocomplete_fields = ["of_actor"]
    verbose_name_plural = _("offices held")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = [
        "metric",
        "value",
        "value_max",
        "unit",
        "year",
        "status",
        "status_year",
        "source",
        "source_url",
        "note",
    ]


@admin.register(Actor)
class ActorAdmin(SerbianNameAdmin):
    list_display = ["name", "kind", "iso_code", "alias_count", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name", "name_sr", "slug", "iso_code", "aliases__alias"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ActorAliasInline, MembershipInline, OfficeInline, IndicatorInline]
    fields = [
        "name",
        "slug",
        "kind",
        "iso_code",
        "description",
        "status_note",
        "emblem",
    ]
    autocomplete_fields = ["emblem"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # One annotated query for the changelist, not one count per row.
        return super().get_queryset(request).annotate(_alias_count=Count("aliases"))

    @admin.display(description=_("aliases"), ordering="_alias_count")
    def alias_count(self, obj: Actor) -> int:
        return obj._alias_count

    def get_inlines(self, request: HttpRequest, obj: Actor | None):
        # Offices only make sense for people.
        if obj is not None and not obj.is_person:
            return [ActorAliasInline, MembershipInline, IndicatorInline]
        return super().get_inlines(request, obj)


@admin.register(ActorAlias)
class ActorAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "actor", "case_sensitive"]
    list_select_related = ["actor"]
    list_filter = ["case_sensitive", "actor__kind"]
    search_fields = ["alias", "actor__name"]
    autocomplete_fields = ["actor"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "organization", "since", "until"]
    list_select_related = ["member", "organization"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["member__name", "organization__name"]
    autocomplete_fields = ["member", "organization"]
    date_hierarchy = "since"


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["holder", "title", "of_actor", "since", "until"]
    list_select_related = ["holder", "of_actor"]
    search_fields = ["holder__name", "title", "of_actor__name"]
    autocomplete_fields = ["holder", "of_actor"]


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0
    autocomplete_fields = ["actor", "signatory"]
    fields = ["order", "actor", "signatory", "signatory_capacity"]


class AgreementSourceInline(admin.TabularInline):
    model = AgreementSource
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(SerbianNameAdmin):
    list_display = [
        "title",
        "kind",
        "signed_on",
        "signed_at",
        "status",
        "mutual_defense",
        "party_names",
    ]
    list_filter = ["kind", "status", "mutual_defense"]
    search_fields = ["title", "name_sr", "slug", "summary", "parties__actor__name"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "signed_on"
    inlines = [AgreementPartyInline, AgreementSourceInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Prefetch parties: the changelist names them on every row.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "parties", queryset=AgreementParty.objects.select_related("actor")
                )
            )
        )

    @admin.display(description=_("parties"))
    def party_names(self, obj: Agreement) -> str:
        return ", ".join(party.actor.name for party in obj.parties.all())


@admin.register(AgreementParty)
class AgreementPartyAdmin(admin.ModelAdmin):
    list_display = ["agreement", "actor", "signatory", "signatory_capacity"]
    list_select_related = ["agreement", "actor", "signatory"]
    search_fields = ["agreement__title", "actor__name", "signatory__name"]
    autocomplete_fields = ["agreement", "actor", "signatory"]


@admin.register(AgreementSource)
class AgreementSourceAdmin(admin.ModelAdmin):
    list_display = ["title", "agreement", "url"]
    list_select_related = ["agreement"]
    search_fields = ["title", "agreement__title"]
    autocomplete_fields = ["agreement"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["actor", "metric", "display_value", "year", "source"]
    list_select_related = ["actor"]
    list_filter = ["metric", "year"]
    search_fields = ["actor__name", "source", "note"]
    autocomplete_fields = ["actor"]
