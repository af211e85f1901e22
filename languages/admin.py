from django.contrib import admin

from languages.models import ScriptException
from languages.transliteration import DEFAULT_EXCEPTIONS


@admin.register(ScriptException)
class ScriptExceptionAdmin(admin.ModelAdmin):
    """The house list of words the rules would write wrongly in Cyrillic.

    Saving records a change (languages/apps.py): the list is re-read and
    every cached page retires. Briefs already published keep the Cyrillic
    they were published with until they are republished.
    """

    list_display = ["latin", "cyrillic", "kept_in_latin", "note", "updated_at"]
    search_fields = ["latin", "cyrillic", "note"]
    fields = ["latin", "cyrillic", "note"]

    @admin.display(boolean=True, description="kept in Latin")
    def kept_in_latin(self, obj: ScriptException) -> bool:
        return obj.cyrillic.lower() == obj.latin.lower()

    def changelist_view(self, request, extra_context=None):
        # The built-in list, shown beside the editors' own for reference.
        extra_context = {
            **(extra_context or {}),
            "subtitle": "Built in: "
            + ", ".join(
                f"{latin.upper() if len(latin) <= 5 else latin} → {cyrillic}"
                for latin, cyrillic in sorted(DEFAULT_EXCEPTIONS.items())
            ),
        }
        return super().changelist_view(request, extra_context)
