"""Protections across the site: Content-Security-Policy, staff login lockout,
the search page's throttle (README, *Security*)."""

import re

import pytest

from tests import factories


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/briefs/", "/search/?q=serbia", "/api/v1/briefs/", "/admin/login/", "/x/"],
)
def test_every_response_carries_an_enforced_policy_without_unsafe_inline(client, path):
    factories.make_brief()
    response = client.get(path)
    policy = _policy(response)
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response.headers


@pytest.mark.django_db
def test_public_pages_need_no_nonce(client):
    brief = factories.make_brief()
    response = client.get(brief.get_absolute_url())
    assert "nonce-" not in response.headers["Content-Security-Policy"]
    assert b"<script" not in response.content.replace(
        b'<script type="application/ld+json">', b""
    )


@pytest.mark.django_db
def test_api_docs_inline_script_and_style_carry_the_response_nonce(client):
    response = client.get("/api/docs/")
    nonce = re.search(r"'nonce-([^']+)'", _policy(response)["script-src"])[1]
    html = response.content.decode()
    assert f'<script nonce="{nonce}">' in html
    assert f'<style nonce="{nonce}">' in html
    assert "<script>" not in html and "<style>" not in html


def test_no_template_has_inline_style_attributes_or_handlers():
    from django.conf import settings

    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        if path.name == "brief_pdf.html":
            continue  # read by WeasyPrint, never served to a browser
        text = path.read_text()
        assert not re.search(r"\sstyle=|\son[a-z]+=|<style>|<script>", text), path
