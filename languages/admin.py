"""Languages in the admin: the house exception list, and one mixin for every
SerbianName model (names in both scripts).

An editor types the Serbian name once, in either script (`name_sr`), and an
explicit Cyrillic form only where the automatic one is wrong
(`name_sr_cyrl`). Beside the fields the form shows both forms readers get,
and what the automatic Cyrillic would be, so the editor sees at once whether
an override is needed (or no longer is).
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from languages import codes
from languages.models import ScriptException
from languages.names import name_in
from languages.transliteration import (
    DEFAULT_EXCEPTIONS,
    house_exceptions,
    to_cyrillic,
)

SERBIAN_NAME_FIELDS = ("name_sr", "name_sr_cyrl", "serbian_forms")


class SerbianNameAdmin(admin.ModelAdmin):
    """A ModelAdmin mixin: the Serbian name fields in a fieldset of their own."""

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "serbian_forms"]

    def get_fieldsets(self, request: HttpRequest, obj=None) -> list:
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [f for f in options["fields"] if f not in SERBIAN_NAME_FIELDS]
            fieldsets.append((name, {**options, "fields": fields}))
        fieldsets.append(
            (
                _("Serbian name"),
                {
                    "fields": list(SERBIAN_NAME_FIELDS),
                    "description": _(
                        "Readers of the Serbian site see the name in Cyrillic or "
                        "Latin, made from one value. Add a Cyrillic form only where "
                        "the automatic one below is wrong."
                    ),
                },
            )
        )
        return fieldsets

    @admin.display(description=_("As readers see it"))
    def serbian_forms(self, obj) -> str:
        if obj is None or obj.pk is None:
            return _("Shown once saved.")
        english = getattr(obj, obj.english_name_field)
        automatic = to_cyrillic(obj.name_sr or english, house_exceptions())
        override = obj.name_sr_cyrl
        if not override:
            note = _("automatic")
        elif override == automatic:
            note = _("the override equals the automatic form: it can be cleared")
        else:
            note = format_html(_("override; the automatic form is “{}”"), automatic)
        return format_html(
            '<dl class="serbian-forms">'
            '<dt>{}</dt><dd lang="sr-Cyrl">{}</dd> <dd>({})</dd>'
            '<dt>{}</dt><dd lang="sr-Latn">{}</dd>'
            "</dl>",
            _("Cyrillic"),
            name_in(codes.SERBIAN_CYRILLIC, english, obj.name_sr, override),
            note,
            _("Latin"),
            name_in(codes.SERBIAN_LATIN, english, obj.name_sr, override),
        )


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

    @admin.display(boolean=True, description=_("kept in Latin"))
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
