"""Translations as the public sees them: which exist, and which are stale.

A translation (briefs.models.Brief.translation_of) is made from one version
of its original: `translated_from_number`, frozen into each of its editions
(Edition.translation_of, Edition.translated_from_number). It is *stale* when
its original's current public edition is a later one: the original was
corrected and the translation was not brought up to it. That fact has one
home, `is_stale`, which the page, `stale_translations` (the editors'
dashboard) and the pre-publish checks (through briefs.hooks) all use.
"""

import datetime

from django.db.models import F, OuterRef, Subquery

from publishing.models import Edition, EditionQuerySet


def is_stale(made_from: int | None, original_now: int | None) -> bool:
    """Is a translation made from version `made_from` behind its original's?

    `original_now` is the original's current public version (None when the
    original is not public: nothing public to be behind).
    """
    if made_from is None or original_now is None:
        return False
    return original_now > made_from


def current_numbers(brief_ids: list[int]) -> dict[int, int]:
    """Each brief's current public version, for the briefs that are public."""
    return dict(
        Edition.objects.public()
        .filter(brief_id__in=brief_ids)
        .values_list("brief_id", "number")
    )


def stale_translations(at: datetime.datetime | None = None) -> EditionQuerySet:
    """Public translations whose original has a later public version, oldest first.

    Each comes annotated with its original's public edition: its number
    (`original_number`), the day it was published (`original_updated_on`),
    its title and address. The SQL filter is `is_stale` (number greater than
    the version the translation was made from).
    """
    original = Edition.objects.public(at=at).filter(
        brief_id=OuterRef("translation_of_id")
    )

    def of_original(field: str) -> Subquery:
        return Subquery(original.values(field)[:1])

    return (
        Edition.objects.public(at=at)
        .filter(translation_of__isnull=False)
        .annotate(
            original_number=of_original("number"),
            original_updated_on=of_original("updated_on"),
            original_title=of_original("title"),
            original_slug=of_original("slug"),
        )
        .filter(original_number__gt=F("translated_from_number"))
        .order_by("original_updated_on", "title", "brief_id")
    )
