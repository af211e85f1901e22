"""The admin answers in the editor's language: its pages, its refusals and its
validation errors come out in Serbian when the editor's browser asks for it."""

import pytest

from briefs.models import SUMMARY_MAX_CHARS
from tests import factories
from tests.editorial.test_admin_workflow import form_data

SERBIAN = {"HTTP_ACCEPT_LANGUAGE": "sr-RS,sr;q=0.9,en;q=0.5"}


@pytest.fixture
def editor_client(client, db):
    client.force_login(factories.make_user(role="Editor"))
    return client


def test_the_add_brief_page_is_in_serbian_for_a_serbian_editor(editor_client):
    response = editor_client.get("/admin/briefs/brief/add/", **SERBIAN)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="sr"' in page
    assert "Сачувај" in page  # Django's own words
    assert "Сва права задржана" in page  # the archive's: a licence's name
    assert "All rights reserved" not in page


def test_a_refused_save_says_why_in_serbian(editor_client):
    data = form_data(editor_client.get("/admin/briefs/brief/add/", **SERBIAN))
    data.update(
        {
            "title": "Нова публикација",
            "slug": "nova-publikacija",
            "summary": "а" * (SUMMARY_MAX_CHARS + 1),
            "body": "## Један\n\nТекст",
        }
    )

    response = editor_client.post("/admin/briefs/brief/add/", data, **SERBIAN)

    assert response.status_code == 200  # the form again, with the error
    errors = " ".join(response.context["adminform"].form.errors["summary"])
    assert errors == (
        f"Сажетак: највише {SUMMARY_MAX_CHARS} знакова, "
        f"а овде их има {SUMMARY_MAX_CHARS + 1}."
    )


def test_the_same_refusal_is_english_for_an_english_editor(editor_client):
    data = form_data(editor_client.get("/admin/briefs/brief/add/"))
    data.update({"title": "New", "slug": "new", "summary": "a" * 2001, "body": "x"})

    response = editor_client.post(
        "/admin/briefs/brief/add/", data, HTTP_ACCEPT_LANGUAGE="en"
    )

    errors = " ".join(response.context["adminform"].form.errors["summary"])
    assert errors.startswith("A summary may be at most 2000 characters")


def test_a_workflow_refusal_is_in_serbian(client, db):
    contributor = factories.make_user(role="Contributor")
    brief = factories.make_brief(status="draft", created_by=contributor)
    client.force_login(contributor)

    response = client.post(
        f"/admin/briefs/brief/{brief.pk}/workflow/approve/", follow=True, **SERBIAN
    )

    page = response.content.decode()
    assert "Немате право да одобравате публикације." in page
