import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from briefs.hooks import public_record
from tests import factories


@pytest.mark.django_db
def test_rename_brief_keeps_the_old_address_redirecting(client):
    factories.make_brief(slug="old-name")
    call_command("rename_brief", "old-name", "new-name")
    response = client.get("/briefs/old-name/")
    assert response.status_code == 301
    assert response["Location"].endswith("/briefs/new-name/")
    assert client.get("/briefs/new-name/").status_code == 200


@pytest.mark.django_db
def test_rename_brief_refuses_an_unknown_or_taken_address():
    factories.make_brief(slug="first")
    factories.make_brief(slug="second")
    with pytest.raises(CommandError, match="No brief"):
        call_command("rename_brief", "missing", "anything")
    with pytest.raises(CommandError):
        call_command("rename_brief", "first", "second")


@pytest.mark.django_db
def test_old_slug_cite_files_and_pdf_redirect_to_the_new_address(client):
    factories.make_brief(slug="old-name")
    call_command("rename_brief", "old-name", "new-name")
    for ext in ("bib", "ris", "json"):
        response = client.get(f"/briefs/old-name/cite.{ext}")
        assert response.status_code == 301
        assert response["Location"] == f"/briefs/new-name/cite.{ext}"
    response = client.get("/briefs/old-name.pdf")
    assert response.status_code == 301
    assert response["Location"] == "/briefs/new-name.pdf"


@pytest.mark.django_db
def test_old_slug_of_an_unpublished_brief_does_not_reveal_its_new_address(client):
    brief = factories.make_brief(slug="old-name")
    call_command("rename_brief", "old-name", "new-name")
    # Moved to the trash: its editions follow it (public pages read only
    # editions, so a status set on the working brief alone changes nothing).
    brief.deleted_at = timezone.now()
    brief.save()
    public_record().trashed(brief=brief, trashed=True)
    assert client.get("/briefs/old-name/cite.bib").status_code == 404
    assert client.get("/briefs/old-name.pdf").status_code == 404
    assert client.get("/briefs/old-name/").status_code == 404
