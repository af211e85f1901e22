"""Checking uploaded files: what they are is read from their bytes, not their name.

Images are opened with Pillow, verified, checked against a format whitelist
and a pixel limit (a decompression bomb is refused before it is decoded),
then re-encoded: the stored bytes are Pillow's, so EXIF (GPS included), ICC
comments and anything appended to the file are gone. SVG is refused (it is
a document that can carry scripts; sanitising it is not worth the risk).

Attachments (annexes, data) are sniffed by their magic bytes against a short
whitelist: PDF, the zip containers of XLSX, DOCX, ODS and ODT, CSV and plain
text (UTF-8, no NUL bytes). A file whose name says one type and whose bytes
say another is refused. The limits are README's *Limits and security* table.
"""

import io
import warnings
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

IMAGE_MAX_BYTES = 15 * 1024 * 1024
# Larger than any photograph an editor needs; a 40 MP image decodes to 160 MB.
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# The widths of the responsive sizes made at upload (never on a GET).
RENDITION_WIDTHS = (480, 960, 1600)
RENDITION_QUALITY = 82

ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
# Files inside an office container: a zip bomb is refused before reading.
ATTACHMENT_MAX_UNZIPPED = 200 * 1024 * 1024


@dataclass(frozen=True)
class AttachmentType:
    code: str
    label: str
    extensions: tuple[str, ...]
    content_type: str


ATTACHMENT_TYPES = {
    t.code: t
    for t in (
        AttachmentType("pdf", "PDF", (".pdf",), "application/pdf"),
        AttachmentType(
            "xlsx",
            "Excel spreadsheet",
            (".xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        AttachmentType(
            "docx",
            "Word document",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        AttachmentType(
            "ods",
            "OpenDocument spreadsheet",
            (".ods",),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        AttachmentType(
            "odt",
            "OpenDocument text",
            (".odt",),
            "application/vnd.oasis.opendocument.text",
        ),
        AttachmentType("csv", "CSV data", (".csv",), "text/csv"),
        AttachmentType("txt", "Plain text", (".txt", ".md"), "text/plain"),
    )
}


@dataclass(frozen=True)
class PreparedImage:
    """An upload re-encoded: the bytes to store and what they are."""

    content: bytes
    width: int
    height: int
    extension: str  # ".webp" or ".png" etc.


def _read(upload: UploadedFile, limit: int, what: str) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("%(what)s is larger than %(limit)d MB.")
            % {"what": what, "limit": limit // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("%(what)s is larger than %(limit)d MB.")
            % {"what": what, "limit": limit // (1024 * 1024)},
            code="too_large",
        )
    return data


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head


def _open(data: bytes) -> Image.Image:
    """Pillow's image, refusing bombs: warnings about size become errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        if width * height > IMAGE_MAX_PIXELS:
            raise Image.DecompressionBombError("too many pixels")
        return image


def prepare_image(upload: UploadedFile) -> PreparedImage:
    """The upload re-encoded, or a ValidationError saying what is wrong."""
    data = _read(upload, IMAGE_MAX_BYTES, _("The image"))
    if _looks_like_svg(data):
        raise ValidationError(
            _(
                "SVG images are not accepted: they can carry scripts. "
                "Upload a PNG, JPEG, WebP or GIF export instead."
            ),
            code="svg",
        )
    too_big = ValidationError(
        _("The image has more than %(limit)d million pixels.")
        % {"limit": IMAGE_MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )
    not_image = ValidationError(
        _("This file is not an image in an accepted format (PNG, JPEG, WebP, GIF)."),
        code="not_image",
    )
    try:
        probe = _open(data)
        if probe.format not in IMAGE_FORMATS:
            raise not_image
        probe.verify()
        # verify() leaves the image unusable: open again to decode.
        image = _open(data)
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except ValidationError:
        raise
    except Exception:  # Pillow raises many kinds on a corrupt file
        raise not_image from None
    # Photographs carry their rotation in EXIF, which re-encoding drops.
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    out = io.BytesIO()
    # A fresh image: no info (EXIF, XMP, comments) is carried over.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    if has_alpha:
        clean.save(out, "PNG", optimize=True)
        extension = ".png"
    else:
        clean.save(out, "JPEG", quality=90, optimize=True)
        extension = ".jpg"
    return PreparedImage(out.getvalue(), clean.width, clean.height, extension)


def renditions(content: bytes) -> list[tuple[int, int, bytes]]:
    """(width, height, WebP bytes) for each of RENDITION_WIDTHS the image
    reaches, plus its own width when it is narrower than the largest."""
    image = Image.open(io.BytesIO(content))
    image.load()
    widths = [w for w in RENDITION_WIDTHS if w < image.width]
    if image.width <= RENDITION_WIDTHS[-1]:
        widths.append(image.width)
    else:
        widths.append(RENDITION_WIDTHS[-1])
    made = []
    for width in sorted(set(widths)):
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        resized.save(out, "WEBP", quality=RENDITION_QUALITY, method=4)
        made.append((width, height, out.getvalue()))
    return made


def sniff_attachment(upload: UploadedFile) -> AttachmentType:
    """The type of an attachment from its bytes, checked against its name."""
    data = _read(upload, ATTACHMENT_MAX_BYTES, _("The file"))
    name = (upload.name or "").lower()
    extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    found = _sniff(data, extension)
    if found is None:
        raise ValidationError(
            _(
                "This type of file is not accepted. Attach a PDF, a spreadsheet "
                "(XLSX, ODS, CSV), a document (DOCX, ODT) or plain text."
            ),
            code="type",
        )
    if extension not in found.extensions:
        raise ValidationError(
            _("The file's name ends in “%(extension)s” but it is a %(type)s file.")
            % {"extension": extension or "…", "type": found.label},
            code="spoofed",
        )
    return found


def _sniff(data: bytes, extension: str) -> AttachmentType | None:
    if data.startswith(b"%PDF-"):
        return ATTACHMENT_TYPES["pdf"]
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<", b"<?xml")) and (b"<svg" in head or b"<html" in head):
        return None  # markup that a browser would run
    return ATTACHMENT_TYPES["csv" if extension == ".csv" else "txt"]


def _sniff_zip(data: bytes) -> AttachmentType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(i.file_size for i in infos) > ATTACHMENT_MAX_UNZIPPED:
                return None
            names = {i.filename for i in infos}
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace")
                for code in ("ods", "odt"):
                    if mimetype.strip() == ATTACHMENT_TYPES[code].content_type:
                        return ATTACHMENT_TYPES[code]
                return None
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" in names:
        if any(n.startswith("xl/") for n in names):
            return ATTACHMENT_TYPES["xlsx"]
        if any(n.startswith("word/") for n in names):
            return ATTACHMENT_TYPES["docx"]
    return None
