"""Uploading through the admin: the library's images and briefs' attachments."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage

from briefs.models import Attachment, Status
from editorial.media_admin import AttachmentForm
from library.models import Image
from tests import factories


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    PillowImage.new("RGB", (800, 600), (0, 120, 60)).save(out, "PNG")
    return SimpleUploadedFile("chart.png", out.getvalue(), content_type="image/png")


def form_data(**overrides) -> dict:
    return {
        "title": "Chart",
        "slug": "chart",
        "alt": "Bar chart of defence spending, 2015–2024",
        "caption": "",
        "credit": "",
        "licence": "",
        "source_url": "",
        "cleared": "on",
        "focal_x": "50",
        "focal_y": "50",
        **overrides,
    }


@pytest.mark.django_db
def test_an_editor_uploads_an_image_and_sees_its_thumbnail(admin_client):
    response = admin_client.post(
        "/admin/library/image/add/", {**form_data(), "upload": png()}
    )
    assert response.status_code == 302
    image = Image.objects.get(slug="chart")
    assert [r["width"] for r in image.renditions] == [480, 800]
    listing = admin_client.get("/admin/library/image/").content.decode()
    assert image.renditions[0]["name"] in listing
    change = admin_client.get(f"/admin/library/image/{image.pk}/change/")
    assert change.status_code == 200


@pytest.mark.django_db
def test_alt_text_is_required_unless_decorative(admin_client):
    response = admin_client.post(
        "/admin/library/image/add/", {**form_data(alt=""), "upload": png()}
    )
    assert response.status_code == 200
    assert "mark it decorative" in response.content.decode()
    assert not Image.objects.exists()
    response = admin_client.post(
        "/admin/library/image/add/",
        {**form_data(alt="", decorative="on"), "upload": png()},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_an_svg_upload_is_a_form_error_not_a_500(admin_client):
    svg = SimpleUploadedFile("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    response = admin_client.post(
        "/admin/library/image/add/", {**form_data(), "upload": svg}
    )
    assert response.status_code == 200
    assert "SVG images are not accepted" in response.content.decode()
    assert not Image.objects.exists()


@pytest.mark.django_db
def test_an_image_needs_a_file(admin_client):
    response = admin_client.post("/admin/library/image/add/", form_data())
    assert response.status_code == 200
    assert "Choose an image file." in response.content.decode()


@pytest.mark.django_db
def test_the_attachment_form_stores_a_checked_file():
    brief = factories.make_brief(status=Status.DRAFT)
    form = AttachmentForm(
        data={"order": 0, "title": "Annex", "description": ""},
        files={"upload": SimpleUploadedFile("annex.pdf", b"%PDF-1.7 test")},
        instance=Attachment(brief=brief),
    )
    assert form.is_valid(), form.errors
    attachment = form.save()
    assert attachment.kind == "pdf" and attachment.size == 13
    assert attachment.file.startswith("attachments/")
    assert attachment.file.endswith("/annex.pdf")


@pytest.mark.django_db
def test_a_spoofed_attachment_is_a_form_error():
    brief = factories.make_brief(status=Status.DRAFT)
    form = AttachmentForm(
        data={"order": 0, "title": "Annex", "description": ""},
        files={"upload": SimpleUploadedFile("annex.pdf", b"MZ\x90\x00 exe")},
        instance=Attachment(brief=brief),
    )
    assert not form.is_valid()
    assert "not accepted" in form.errors["upload"][0]


@pytest.mark.django_db
def test_the_brief_form_shows_the_attachments_inline(admin_client):
    brief = factories.make_brief(status=Status.DRAFT)
    response = admin_client.get(f"/admin/briefs/brief/{brief.pk}/change/")
    assert response.status_code == 200
    assert "attachments-TOTAL_FORMS" in response.content.decode()


@pytest.mark.django_db
def test_every_editorial_role_may_upload_images_and_attach_files():
    for role in ("Contributor", "Editor", "Publisher"):
        user = factories.make_user(role=role)
        assert user.has_perm("library.add_image"), role
        assert user.has_perm("briefs.add_attachment"), role
    assert not factories.make_user(role="Contributor").has_perm("library.delete_image")
    assert factories.make_user(role="Editor").has_perm("library.delete_image")
