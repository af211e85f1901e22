import pytest
from django.core.management import CommandError, call_command

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
