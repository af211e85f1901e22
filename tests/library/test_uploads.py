"""Upload checks: what a file is comes from its bytes (library/uploads.py)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from library import uploads


def image_bytes(fmt="JPEG", size=(1200, 800), exif=None, mode="RGB") -> bytes:
    out = io.BytesIO()
    image = Image.new(mode, size, (200, 40, 40) if mode == "RGB" else None)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (44.0, 49.0, 0.0), 3: "E", 4: (20.0, 27.0, 0.0)}
    return exif.tobytes()


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_a_jpeg_is_re_encoded_without_its_exif_and_gps():
    data = image_bytes(exif=gps_exif()) + b"<?php system($_GET['c']); ?>"
    assert b"SpyCam" in data
    prepared = uploads.prepare_image(upload(data, "photo.jpg"))
    assert (prepared.width, prepared.height) == (1200, 800)
    assert b"SpyCam" not in prepared.content
    assert b"<?php" not in prepared.content
    reopened = Image.open(io.BytesIO(prepared.content))
    assert not reopened.getexif()
    assert reopened.format == "JPEG"


def test_a_png_with_transparency_stays_a_png():
    prepared = uploads.prepare_image(
        upload(image_bytes("PNG", mode="RGBA"), "chart.png")
    )
    assert prepared.extension == ".png"


def test_an_svg_is_refused_with_a_reason():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError) as error:
        uploads.prepare_image(upload(svg, "logo.svg"))
    assert error.value.code == "svg"
    assert "SVG" in error.value.messages[0]


def test_a_text_file_named_like_an_image_is_refused():
    with pytest.raises(ValidationError) as error:
        uploads.prepare_image(upload(b"not an image at all", "photo.jpg"))
    assert error.value.code == "not_image"


def test_a_truncated_image_is_refused_not_a_crash():
    data = image_bytes()[:300]
    with pytest.raises(ValidationError):
        uploads.prepare_image(upload(data, "photo.jpg"))


def test_an_image_format_outside_the_whitelist_is_refused():
    with pytest.raises(ValidationError) as error:
        uploads.prepare_image(upload(image_bytes("BMP"), "scan.bmp"))
    assert error.value.code == "not_image"


def test_an_oversized_image_file_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "IMAGE_MAX_BYTES", 1000)
    with pytest.raises(ValidationError) as error:
        uploads.prepare_image(upload(image_bytes(), "photo.jpg"))
    assert error.value.code == "too_large"


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # A tiny PNG that claims 20000 × 20000 pixels (400 million).
    data = image_bytes("PNG", size=(20000, 20000), mode="1")
    assert len(data) < uploads.IMAGE_MAX_BYTES
    with pytest.raises(ValidationError) as error:
        uploads.prepare_image(upload(data, "bomb.png"))
    assert error.value.code == "too_many_pixels"


def test_renditions_are_webp_at_the_set_widths():
    sizes = uploads.renditions(image_bytes(size=(2000, 1000)))
    assert [(w, h) for w, h, _ in sizes] == [(480, 240), (960, 480), (1600, 800)]
    assert all(Image.open(io.BytesIO(b)).format == "WEBP" for _, _, b in sizes)


def test_a_small_image_is_not_enlarged():
    sizes = uploads.renditions(image_bytes(size=(700, 350)))
    assert [w for w, _, _ in sizes] == [480, 700]


def office_zip(kind: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if kind == "ods":
            archive.writestr(
                "mimetype", "application/vnd.oasis.opendocument.spreadsheet"
            )
            archive.writestr("content.xml", "<x/>")
        elif kind == "plain":
            archive.writestr("readme.txt", "just a zip")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr(
                "xl/workbook.xml" if kind == "xlsx" else "word/document.xml", "<x/>"
            )
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("annex.pdf", b"%PDF-1.7\n...", "pdf"),
        ("data.csv", "year,value\n2024,Ниш\n".encode(), "csv"),
        ("notes.txt", b"plain text", "txt"),
        ("table.xlsx", office_zip("xlsx"), "xlsx"),
        ("report.docx", office_zip("docx"), "docx"),
        ("table.ods", office_zip("ods"), "ods"),
    ],
)
def test_attachments_of_accepted_types_are_recognised_by_content(name, data, kind):
    assert uploads.sniff_attachment(upload(data, name)).code == kind


def test_an_attachment_whose_name_lies_about_its_type_is_refused():
    with pytest.raises(ValidationError) as error:
        uploads.sniff_attachment(upload(b"%PDF-1.4 ...", "data.csv"))
    assert error.value.code == "spoofed"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
        ("archive.zip", office_zip("plain")),
    ],
)
def test_attachments_of_other_types_are_refused(name, data):
    with pytest.raises(ValidationError):
        uploads.sniff_attachment(upload(data, name))


def test_an_oversized_attachment_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "ATTACHMENT_MAX_BYTES", 10)
    with pytest.raises(ValidationError) as error:
        uploads.sniff_attachment(upload(b"%PDF-1.7 and more bytes", "a.pdf"))
    assert error.value.code == "too_large"
