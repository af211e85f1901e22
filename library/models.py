"""The media library: images uploaded once and used by briefs and actors.

The library is its own low room (imported by actors and briefs, importing
neither) because actors' emblems and briefs' covers, figures and people's
photos all use the same images, and actors may not import briefs.

Files go through Django's storage API (`default_storage`, so STORAGES can put
them on object storage) under unguessable names (a random token per image):
a file is only found through a page that shows it, and pages are built from
published editions. The re-encoded master and its WebP sizes are made once,
at upload (`store_image`), never on a GET.
"""

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.changes import changed
from library import uploads

ALT_MAX_CHARS = 300


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Image(models.Model):
    """An image with its text alternative, credit and licence.

    Alt text is required unless the image is marked decorative: a decorative
    image adds nothing a reader would miss (a cover's texture, an ornament),
    is shown with alt="" and may not be used as a figure in a body, where
    every image carries meaning.
    """

    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text=_("How a brief's body refers to it: ```figure then this name."),
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("For editors."))
    alt = models.CharField(
        _("alt text"),
        max_length=ALT_MAX_CHARS,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    decorative = models.BooleanField(
        _("decorative"),
        default=False,
        help_text=_(
            "Only for images that carry no information: shown with empty alt "
            "text, and never as a figure."
        ),
    )
    caption = models.TextField(
        _("caption"), blank=True, help_text=_("The default caption of a figure.")
    )
    credit = models.CharField(
        _("credit"), max_length=300, blank=True, help_text=_("Photo: Name / Agency")
    )
    licence = models.CharField(
        _("licence"),
        max_length=200,
        blank=True,
        help_text=_("E.g. CC BY 4.0, or “used with permission”."),
    )
    source_url = models.URLField(_("source"), blank=True)
    cleared = models.BooleanField(
        _("cleared for public display"),
        default=True,
        help_text=_(
            "Untick when the licence does not allow showing it on the site "
            "(e.g. an emblem used without permission)."
        ),
    )
    focal_x = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("focal point, % from left"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    focal_y = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("focal point, % from top"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # The re-encoded master and its sizes: [{"width", "height", "name"}].
    file = models.CharField(max_length=300, editable=False, blank=True)
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    renditions = models.JSONField(default=list, editable=False, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            # Alt text unless decorative (README, *Figures and photos*).
            models.CheckConstraint(
                condition=Q(decorative=True) | ~Q(alt=""),
                name="image_alt_unless_decorative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not self.decorative and not self.alt.strip():
            raise ValidationError(
                {
                    "alt": _(
                        "Describe the image, or mark it decorative if it "
                        "carries no information."
                    )
                }
            )

    @property
    def alt_text(self) -> str:
        return "" if self.decorative else self.alt

    def frozen(self) -> dict:
        """What an edition keeps of the image (names, not URLs: the storage
        may move; the URLs are made when the edition is rendered)."""
        return {
            "id": self.pk,
            "slug": self.slug,
            "alt": self.alt_text,
            "caption": self.caption,
            "credit": self.credit,
            "licence": self.licence,
            "width": self.width,
            "height": self.height,
            "focal": [self.focal_x, self.focal_y],
            "renditions": self.renditions,
        }


@transaction.atomic
def store_image(*, image: Image, upload) -> Image:
    """Validate `upload`, store it re-encoded with its sizes, save `image`.

    Raises ValidationError (uploads.prepare_image) before anything is stored.
    """
    prepared = uploads.prepare_image(upload)
    token = new_token()
    folder = f"library/{token}"
    master = default_storage.save(
        f"{folder}/original{prepared.extension}", ContentFile(prepared.content)
    )
    sizes = []
    for width, height, content in uploads.renditions(prepared.content):
        name = default_storage.save(f"{folder}/{width}w.webp", ContentFile(content))
        sizes.append({"width": width, "height": height, "name": name})
    image.file = master
    image.width, image.height = prepared.width, prepared.height
    image.renditions = sizes
    image.full_clean()
    image.save()
    changed("image", [image.pk])
    return image


@transaction.atomic
def update_image(*, image: Image) -> Image:
    """Save an edit of an image's texts, credit, licence or focal point.
    Pages that show it live (actors' emblems) are prepared again after
    commit; published editions keep what they froze until republished."""
    image.full_clean()
    image.save()
    changed("image", [image.pk])
    return image
