from django.db import models

from languages.names import name_in


class SerbianName(models.Model):
    """The Serbian name of a named record, written once, shown in both scripts."""

    name_sr = models.CharField(
        "Serbian name",
        max_length=300,
        blank=True,
        help_text="In either script; shown in both. Blank: the name as it is.",
    )
    name_sr_cyrl = models.CharField(
        "Cyrillic form (override)",
        max_length=300,
        blank=True,
        help_text="Only where the automatic Cyrillic form is wrong.",
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
