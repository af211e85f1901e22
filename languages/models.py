from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from languages.names import name_in
from languages.transliteration import has_cyrillic, is_cyrillic_word, is_word


class SerbianName(models.Model):
    """The Serbian name of a named record, written once, shown in both scripts."""

    name_sr = models.CharField(
        "Serbian name",
        max_length=300,
        blank=True,
        help_text=_("In either script; shown in both. Blank: the name as it is."),
    )
    name_sr_cyrl = models.CharField(
        "Cyrillic form (override)",
        max_length=300,
        blank=True,
        help_text=_("Only where the automatic Cyrillic form is wrong."),
    )

    # The field that holds the English name (an agreement's is its title).
    english_name_field = "name"

    class Meta:
        abstract = True

    def name_in(self, language: str | None) -> str:
        """The name for readers of `language` (en, sr, sr-latn)."""
        return name_in(
            language,
            getattr(self, self.english_name_field),
            self.name_sr,
            self.name_sr_cyrl,
        )


class ScriptException(models.Model):
    """How the house writes one Latin word in Cyrillic, where the rules would
    not: an acronym ("EULEX" → "ЕУЛЕКС"), a name kept in Latin ("Microsoft"),
    a word whose "dž" or "nj" is two letters. A Cyrillic form equal to the
    Latin one keeps the word in Latin. Adds to (and overrides) the built-in
    list, languages.transliteration.DEFAULT_EXCEPTIONS; the merged list is
    `house_exceptions()`.
    """

    latin = models.CharField(
        "Latin form",
        max_length=100,
        help_text=_("One word, as written in Latin (any case): EULEX, Microsoft."),
    )
    cyrillic = models.CharField(
        "Cyrillic form",
        max_length=100,
        help_text=_(
            "How it is written in Cyrillic: ЕУЛЕКС. The same as the Latin "
            "form keeps the word in Latin in Cyrillic text."
        ),
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Why, or where the spelling comes from."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [Lower("latin")]
        verbose_name = "script exception"
        constraints = [
            # One spelling per word, whatever its case: the lookup is by the
            # word in lower case.
            models.UniqueConstraint(
                Lower("latin"),
                name="languages_scriptexception_latin_ci_unique",
                violation_error_message="This word already has an exception.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.latin} → {self.cyrillic}"

    def clean(self) -> None:
        errors = {}
        self.latin = self.latin.strip()
        self.cyrillic = self.cyrillic.strip()
        if not is_word(self.latin) or has_cyrillic(self.latin):
            errors["latin"] = _("One word in Latin letters, without spaces or digits.")
        kept = self.cyrillic.lower() == self.latin.lower()
        if not kept and (
            not is_word(self.cyrillic) or not is_cyrillic_word(self.cyrillic)
        ):
            errors["cyrillic"] = _(
                "One word in Cyrillic letters, or the Latin form to keep it in Latin."
            )
        if errors:
            raise ValidationError(errors)
