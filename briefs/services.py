"""Write functions for briefs: transactional, keyword-only, used by every interface."""

from django.core.exceptions import ValidationError
from django.db import transaction

from briefs.models import Brief, BriefSlugHistory


@transaction.atomic
def change_brief_slug(*, brief: Brief, new_slug: str) -> Brief:
    """Give a brief a new public address and keep the old one answering 301.

    The old slug is remembered for good. Moving back to a slug the brief used
    before drops that history row (it is the current address again); a slug
    that another brief used before is refused, so old links never change target.
    """
    old_slug = brief.slug
    if new_slug == old_slug:
        return brief
    claimed = BriefSlugHistory.objects.filter(old_slug=new_slug).first()
    if claimed is not None and claimed.brief_id != brief.pk:
        raise ValidationError(
            {"slug": f"“{new_slug}” was an address of another brief; choose another."}
        )
    if claimed is not None:
        claimed.delete()
    brief.slug = new_slug
    brief.full_clean(validate_unique=True, validate_constraints=True)
    brief.save(update_fields=["slug", "updated_at"])
    BriefSlugHistory.objects.create(brief=brief, old_slug=old_slug)
    return brief
