"""Admin for partner API keys: staff issue, name and revoke them here."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from kernel.authentication import issue_api_key, revoke_api_key
from kernel.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "is_active",
        "request_count",
        "last_used_at",
        "created_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "contact", "prefix"]
    fields = [
        "name",
        "contact",
        "prefix",
        "request_count",
        "last_used_at",
        "created_by",
        "created_at",
        "revoked_at",
    ]
    readonly_fields = [
        "prefix",
        "request_count",
        "last_used_at",
        "created_by",
        "created_at",
        "revoked_at",
    ]
    actions = ["revoke_selected"]

    @admin.display(boolean=True, description="active")
    def is_active(self, obj: ApiKey) -> bool:
        return obj.is_active

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list:
        # Counters and the prefix do not exist until the key is issued.
        return ["name", "contact"] if obj is None else self.fields

    def save_model(
        self, request: HttpRequest, obj: ApiKey, form: object, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        api_key, key = issue_api_key(
            name=obj.name, contact=obj.contact, created_by=request.user
        )
        # The admin goes on to log and redirect with `obj`: make it the saved row.
        for field in ApiKey._meta.concrete_fields:
            setattr(obj, field.attname, getattr(api_key, field.attname))
        obj._state.adding = False
        messages.warning(
            request,
            f"The API key for {api_key.name} is {key} — copy it now and send it "
            "to the partner securely: it is stored only as a hash and cannot be "
            "shown again.",
        )

    def has_delete_permission(
        self, request: HttpRequest, obj: ApiKey | None = None
    ) -> bool:
        # Revoke instead: the row keeps the usage history.
        return False

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for api_key in queryset.filter(revoked_at__isnull=True):
            revoke_api_key(api_key=api_key)
            count += 1
        self.message_user(request, f"Revoked {count} key(s).", messages.SUCCESS)
