"""Covers, figures and attachments: from the library into the edition and out.

An image or attachment is public only through a published edition, which
froze what it showed (alt, caption, credit, the names of the stored sizes)
when it was published. Files live in the storage under unguessable names.
"""

import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PillowImage

from briefs.models import Attachment, Status
from briefs.services import store_attachment
from languages import codes
from languages.transliteration import markdown_to_script
from library.models import Image, store_image
from publishing import pdf
from publishing.exports import export_archive
from tests import factories

FIGURE = "```figure\nbridge-photo\nThe bridge at Novi Sad, rebuilt in 2005.\n```"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(pdf, "render_pdf", lambda html: b"%PDF-1.7 stand-in")


def jpeg(size=(2000, 1200)) -> SimpleUploadedFile:
    out = io.BytesIO()
    PillowImage.new("RGB", size, (10, 90, 160)).save(out, "JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue())


def make_image(slug="bridge-photo", **fields) -> Image:
    fields = {
        "title": slug,
        "slug": slug,
        "alt": "A steel arch bridge over the Danube",
        "caption": "Library caption",
        "credit": "Photo: Ana Petrović",
        "licence": "CC BY 4.0",
        **fields,
    }
    return store_image(image=Image(**fields), upload=jpeg())


def attach(brief, title="Annex 1: survey data", data=b"year,value\n2024,3\n"):
    return store_attachment(
        attachment=Attachment(brief=brief, title=title),
        upload=SimpleUploadedFile("survey.csv", data),
    )


def page(client, brief, prefix="") -> str:
    response = client.get(f"{prefix}/briefs/{brief.slug}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_sizes_are_made_at_upload_and_stored_under_unguessable_names():
    image = make_image()
    assert [r["width"] for r in image.renditions] == [480, 960, 1600]
    for size in image.renditions:
        assert default_storage.exists(size["name"])
        folder = size["name"].split("/")[1]
        assert len(folder) >= 24  # a random token, not the slug or an id
        assert image.slug not in size["name"]
    assert default_storage.exists(image.file)


@pytest.mark.django_db
def test_a_figure_block_renders_a_responsive_figure_with_caption_and_credit(client):
    make_image()
    brief = factories.make_brief(body=f"## Bridges\n\nText.\n\n{FIGURE}\n\nAfter.")
    html = page(client, brief)
    assert '<figure class="figure" id="figure-1">' in html
    assert 'alt="A steel arch bridge over the Danube"' in html
    assert 'loading="lazy"' in html
    assert 'width="1600" height="960"' in html
    assert "480w" in html and "960w" in html and "1600w" in html
    assert 'sizes="(min-width: 60rem) 45rem, 100vw"' in html
    assert "<figcaption>" in html
    assert "The bridge at Novi Sad, rebuilt in 2005." in html
    assert "Photo: Ana Petrović · CC BY 4.0" in html
    assert "```figure" not in html


@pytest.mark.django_db
def test_a_figure_is_frozen_at_publication(client):
    image = make_image()
    brief = factories.make_brief(body=FIGURE)
    image.alt = "Changed later"
    image.credit = "Someone else"
    image.save()
    html = page(client, brief)
    assert "A steel arch bridge over the Danube" in html
    assert "Changed later" not in html and "Someone else" not in html


@pytest.mark.django_db
def test_a_figure_naming_no_usable_image_shows_a_notice(client):
    make_image(slug="ornament", alt="", decorative=True)
    brief = factories.make_brief(
        body="```figure\nmissing\n```\n\n```figure\nornament\n```"
    )
    html = page(client, brief)
    assert "No image named “missing” in the media library." in html
    assert "“ornament” is decorative: it cannot be a figure." in html


@pytest.mark.django_db
def test_an_image_not_cleared_for_display_is_not_shown(client):
    make_image(cleared=False)
    brief = factories.make_brief(body=FIGURE)
    html = page(client, brief)
    assert 'class="figure"' not in html
    assert "not cleared for public display" in html


def test_the_figure_reference_survives_transliteration():
    body = "Текст.\n\n```figure\nbridge-photo\nМост у Новом Саду\n```\n"
    latin = markdown_to_script(body, codes.LATIN)
    assert "```figure\nbridge-photo\n" in latin
    assert "Tekst." in latin
    back = markdown_to_script(latin, codes.CYRILLIC, exceptions={})
    assert "```figure\nbridge-photo\n" in back


@pytest.mark.django_db
def test_a_serbian_figure_caption_follows_the_page_script(client):
    make_image(alt="Мост преко Дунава")
    brief = factories.make_brief(
        language="sr-Cyrl",
        body="Текст.\n\n```figure\nbridge-photo\nМост у Новом Саду\n```\n",
    )
    assert "Мост у Новом Саду" in page(client, brief, "/sr")
    latin = page(client, brief, "/sr-latn")
    assert "Most u Novom Sadu" in latin
    assert 'alt="Most preko Dunava"' in latin


@pytest.mark.django_db
def test_the_cover_is_shown_eagerly_with_its_credit(client):
    cover = make_image(slug="cover")
    brief = factories.make_brief(cover=cover)
    html = page(client, brief)
    assert '<figure class="brief-cover">' in html
    assert 'loading="eager"' in html
    assert 'alt="A steel arch bridge over the Danube"' in html


@pytest.mark.django_db
def test_a_decorative_cover_has_empty_alt(client):
    cover = make_image(slug="texture", alt="", decorative=True)
    brief = factories.make_brief(cover=cover)
    assert 'alt=""' in page(client, brief)


@pytest.mark.django_db
def test_attachments_are_listed_on_the_page_with_type_and_size(client):
    brief = factories.make_brief(edition=False)
    attach(brief)
    factories.publish(brief)
    html = page(client, brief)
    assert "Annex 1: survey data" in html
    assert "CSV data" in html
    assert "18\xa0bytes" in html
    stored = Attachment.objects.get(brief=brief)
    assert default_storage.url(stored.file) in html
    assert stored.kind == "csv" and stored.size == 18


@pytest.mark.django_db
def test_attachments_and_cover_are_in_the_api(client):
    cover = make_image(slug="cover")
    brief = factories.make_brief(edition=False, cover=cover)
    attach(brief)
    factories.publish(brief)
    data = client.get(f"/api/v1/briefs/{brief.slug}/").json()
    [attachment] = data["attachments"]
    stored = Attachment.objects.get(brief=brief)
    assert attachment == {
        "title": "Annex 1: survey data",
        "description": "",
        "type": "csv",
        "media_type": "text/csv",
        "size": 18,
        "url": f"http://testserver{default_storage.url(stored.file)}",
    }
    assert data["cover"]["alt"] == "A steel arch bridge over the Danube"
    assert [s["width"] for s in data["cover"]["sizes"]] == [480, 960, 1600]


@pytest.mark.django_db
def test_the_export_carries_attachments_and_image_files(tmp_path):
    make_image()
    brief = factories.make_brief(edition=False, body=FIGURE)
    attachment = attach(brief)
    factories.publish(brief)
    export_archive(directory=tmp_path / "export", with_pdfs=False)
    [row] = [
        json.loads(line)
        for line in (tmp_path / "export" / "briefs.jsonl").read_text().splitlines()
    ]
    assert row["attachments"] == [
        {
            "title": "Annex 1: survey data",
            "description": "",
            "type": "csv",
            "size": 18,
            "path": f"media/{attachment.file}",
        }
    ]
    copied = tmp_path / "export" / "media" / attachment.file
    assert copied.read_bytes() == b"year,value\n2024,3\n"
    manifest = json.loads((tmp_path / "export" / "manifest.json").read_text())
    listed = {f["path"] for f in manifest["files"]}
    assert f"media/{attachment.file}" in listed
    assert manifest["counts"]["media"] == 4  # three sizes and the attachment


@pytest.mark.django_db
def test_media_of_an_unpublished_brief_is_not_listed_anywhere_public(client):
    secret_image = make_image(slug="secret-photo", alt="Secret meeting")
    draft = factories.make_brief(
        status=Status.DRAFT, cover=secret_image, body="```figure\nsecret-photo\n```"
    )
    attachment = attach(draft, title="Leaked annex")
    factories.make_brief()  # something public on every list
    names = [r["name"] for r in secret_image.renditions] + [attachment.file]
    for url in [
        "/",
        "/briefs/",
        "/api/v1/briefs/",
        "/feeds/briefs/",
        "/sitemap.xml",
        f"/briefs/{draft.slug}/",
        f"/api/v1/briefs/{draft.slug}/",
    ]:
        body = client.get(url).content.decode()
        assert "Leaked annex" not in body, url
        assert "Secret meeting" not in body, url
        for name in names:
            assert name not in body, url


def _queries(client, url: str) -> int:
    client.get(url)  # the first reader prepares the page
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 4])
def test_media_adds_no_query_to_the_brief_page_and_api_list(client, n):
    plain = factories.make_brief()
    list_before = _queries(client, "/api/v1/briefs/")
    for i in range(n):
        make_image(slug=f"figure-{i}")
    body = "\n\n".join(f"```figure\nfigure-{i}\n```" for i in range(n))
    rich = factories.make_brief(edition=False, body=body, cover=make_image("c"))
    for _ in range(n):
        attach(rich)
    factories.publish(rich)
    assert 'class="figure"' in page(client, rich)
    assert _queries(client, f"/briefs/{rich.slug}/") == _queries(
        client, f"/briefs/{plain.slug}/"
    )
    assert _queries(client, "/api/v1/briefs/") == list_before


@pytest.mark.django_db
def test_a_persons_library_photo_is_on_their_page_in_credits_and_api(client):
    photo = make_image(slug="ana", alt="Ana Petrović at a lectern")
    ana = factories.make_person(name="Ana Petrović", portrait=photo)
    brief = factories.make_brief(authors=[ana])
    person_page = client.get(f"/people/{ana.slug}/").content.decode()
    assert 'alt="Ana Petrović at a lectern"' in person_page
    credits = page(client, brief)
    # An author's photo is in their chip in the title block (empty alt: the
    # name is beside it).
    assert '<span class="author-chip"><img' in credits
    assert 'sizes="3rem" width="1600" height="960" alt=""' in credits
    data = client.get(f"/api/v1/people/{ana.slug}/").json()
    assert data["photo"] == (
        f"http://testserver{default_storage.url(photo.renditions[-1]['name'])}"
    )


@pytest.mark.django_db
def test_a_photo_not_cleared_is_not_shown(client):
    ana = factories.make_person(portrait=make_image(slug="ana", cleared=False))
    factories.make_brief(authors=[ana])
    assert "<img" not in client.get(f"/people/{ana.slug}/").content.decode()
    assert client.get(f"/api/v1/people/{ana.slug}/").json()["photo"] is None


@pytest.mark.django_db(transaction=True)
def test_an_actors_emblem_is_shown_only_while_cleared(client):
    from library.models import update_image

    emblem = make_image(slug="nato-emblem", alt="NATO compass rose")
    nato = factories.make_actor(name="NATO", emblem=emblem)
    assert (
        'alt="NATO compass rose"'
        in client.get(f"/actors/{nato.slug}/").content.decode()
    )
    emblem.cleared = False
    update_image(image=emblem)
    assert (
        "NATO compass rose" not in client.get(f"/actors/{nato.slug}/").content.decode()
    )


@pytest.mark.django_db
def test_the_checks_block_a_figure_that_would_show_a_notice():
    from editorial.checks import run_checks

    make_image()
    make_image(slug="ornament", alt="", decorative=True)
    make_image(slug="uncleared", cleared=False)
    body = "\n\n".join(
        f"```figure\n{slug}\n```"
        for slug in ("bridge-photo", "missing", "ornament", "uncleared")
    )
    brief = factories.make_brief(status=Status.DRAFT, body=body)
    findings = [f for f in run_checks(brief) if f.check == "figures_in_library"]
    assert [(f.level, f.message) for f in findings] == [
        ("error", "Figure 2: no image named “missing” is in the media library."),
        (
            "error",
            "Figure 3: “ornament” is marked decorative, and a figure carries meaning.",
        ),
        ("error", "Figure 4: “uncleared” is not cleared for public display."),
    ]
