"""The admin of the media library and of briefs' attachments.

Uploads go through the write functions (library.models.store_image,
briefs.services.store_attachment), which check the bytes before storing
anything: a bad file is a form error on its field, never a 500.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from briefs.models import Attachment
from briefs.services import store_attachment
from library import uploads
from library.models import Image, store_image, update_image


class ImageForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("image file"),
        required=False,
        help_text=_(
            "PNG, JPEG, WebP or GIF, at most %(mb)d MB; SVG is not accepted. "
            "It is re-encoded (location and camera data removed) and stored "
            "in sizes of %(widths)s pixels."
        )
        % {
            "mb": uploads.IMAGE_MAX_BYTES // (1024 * 1024),
            "widths": ", ".join(str(w) for w in uploads.RENDITION_WIDTHS),
        },
    )

    class Meta:
        model = Image
        fields = [
            "title",
            "slug",
            "upload",
            "alt",
            "decorative",
            "caption",
            "credit",
            "licence",
            "source_url",
            "cleared",
            "focal_x",
            "focal_y",
        ]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            if not self.instance.file:
                raise ValidationError(_("Choose an image file."), code="required")
            return None
        # Checked here so that the error shows on the field; stored on save.
        uploads.prepare_image(upload)
        return upload


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "title", "slug", "credit", "licence", "cleared"]
    list_display_links = ["thumbnail", "title"]
    list_filter = ["cleared", "decorative"]
    search_fields = ["title", "slug", "alt", "caption", "credit"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["preview", "dimensions"]

    def get_fields(self, request: HttpRequest, obj: Image | None = None) -> list:
        fields = list(self.form.Meta.fields)
        return ["preview", "dimensions", *fields] if obj else fields

    @admin.display(description=_("preview"))
    def thumbnail(self, obj: Image) -> str:
        return self._img(obj, 120)

    @admin.display(description=_("preview"))
    def preview(self, obj: Image) -> str:
        return self._img(obj, 480)

    @admin.display(description=_("size in pixels"))
    def dimensions(self, obj: Image) -> str:
        return f"{obj.width} × {obj.height}" if obj.width else "—"

    def _img(self, obj: Image, width: int) -> str:
        if not obj.renditions:
            return "—"
        smallest = obj.renditions[0]
        return format_html(
            '<img src="{}" alt="{}" width="{}" loading="lazy">',
            default_storage.url(smallest["name"]),
            obj.alt_text,
            min(width, smallest["width"]),
        )

    def save_model(self, request, obj: Image, form, change: bool) -> None:
        upload = form.cleaned_data.get("upload")
        if upload is not None:
            store_image(image=obj, upload=upload)
        else:
            update_image(image=obj)


class AttachmentForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_("PDF, XLSX, ODS, CSV, DOCX, ODT or plain text, at most %(mb)d MB.")
        % {"mb": uploads.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
    )

    class Meta:
        model = Attachment
        fields = ["order", "title", "description", "upload"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            if not self.instance.file:
                raise ValidationError(_("Choose a file."), code="required")
            return None
        uploads.sniff_attachment(upload)
        return upload

    def save(self, commit: bool = True) -> Attachment:
        attachment = super().save(commit=False)
        upload = self.cleaned_data.get("upload")
        if commit:
            if upload is not None:
                store_attachment(attachment=attachment, upload=upload)
            else:
                attachment.save()
        else:
            self._upload = upload
        return attachment


class AttachmentInline(admin.TabularInline):
    """Annexes and data files; the public list is frozen when the brief is
    published (a correction publishes the live brief's attachments).

    Not offered on a correction's working copy: its rows would be deleted
    with the copy when it is published (editorial.revisions.move_content
    moves the versioned content only). Attachments are the live brief's.
    """

    model = Attachment
    form = AttachmentForm
    extra = 0
    fields = ["order", "title", "description", "upload", "stored"]
    readonly_fields = ["stored"]
    ordering = ["order", "id"]

    def _on_working_copy(self, obj) -> bool:
        return obj is not None and bool(getattr(obj, "draft_of_id", None))

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._on_working_copy(obj) and super().has_add_permission(
            request, obj
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._on_working_copy(obj) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._on_working_copy(obj) and super().has_delete_permission(
            request, obj
        )

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._on_working_copy(obj) and super().has_view_permission(
            request, obj
        )

    @admin.display(description=_("stored file"))
    def stored(self, obj: Attachment) -> str:
        if not obj.file:
            return "—"
        return format_html(
            "{} ({}, {} bytes)", obj.filename, obj.get_kind_display(), obj.size
        )
