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


# -- Staff sign-in lockout -----------------------------------------------------

PASSWORD = "the-right-password-42"


@pytest.fixture
def staff(db, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    settings.LOGIN_FAILURES_PER_ADDRESS = 20
    settings.LOGIN_LOCKOUT_SECONDS = 900
    return factories.make_user(is_superuser=True, username="chief", password=PASSWORD)


def sign_in(client, username: str, password: str, **extra) -> object:
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        **extra,
    )


def test_right_password_signs_in(client, staff):
    assert sign_in(client, "chief", PASSWORD).status_code == 302


def test_account_is_paused_after_repeated_wrong_passwords_even_with_the_right_one(
    client, staff
):
    for _ in range(5):
        response = sign_in(client, "chief", "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username" in response.content.decode()
    response = sign_in(client, "chief", PASSWORD)
    assert response.status_code == 200
    assert "Too many failed sign-ins" in response.content.decode()
    assert "try again in 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_counts_the_account_whatever_the_address(client, staff):
    for number in range(5):
        sign_in(client, "CHIEF", "wrong", REMOTE_ADDR=f"198.51.100.{number}")
    response = sign_in(client, "chief", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert "Too many failed sign-ins" in response.content.decode()


def test_success_resets_the_account_count(client, staff):
    for _ in range(4):
        sign_in(client, "chief", "wrong")
    assert sign_in(client, "chief", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "chief", "wrong")
    assert sign_in(client, "chief", PASSWORD).status_code == 302


def test_lock_lifts_after_the_cooling_off_period(client, staff, monkeypatch):
    import time

    from editorial import logins

    for _ in range(5):
        sign_in(client, "chief", "wrong")
    later = time.time() + 901
    monkeypatch.setattr(logins.time, "time", lambda: later)
    assert sign_in(client, "chief", PASSWORD).status_code == 302


def test_refused_attempts_do_not_extend_the_lock(client, staff, monkeypatch):
    import time

    from editorial import logins

    for _ in range(5):
        sign_in(client, "chief", "wrong")
    start = time.time()
    monkeypatch.setattr(logins.time, "time", lambda: start + 600)
    sign_in(client, "chief", "wrong")  # refused, not counted
    monkeypatch.setattr(logins.time, "time", lambda: start + 901)
    assert sign_in(client, "chief", PASSWORD).status_code == 302


def test_address_is_paused_after_failures_across_usernames(client, staff, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    for number in range(6):
        sign_in(client, f"guess{number}", "wrong", REMOTE_ADDR="192.0.2.7")
    response = sign_in(client, "chief", PASSWORD, REMOTE_ADDR="192.0.2.7")
    assert "Too many failed sign-ins" in response.content.decode()
    assert (
        sign_in(client, "chief", PASSWORD, REMOTE_ADDR="192.0.2.8").status_code == 302
    )


def test_forwarded_for_does_not_escape_the_address_lock(client, staff, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    for number in range(6):
        sign_in(
            client,
            f"guess{number}",
            "wrong",
            REMOTE_ADDR="192.0.2.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
        )
    response = sign_in(
        client,
        "chief",
        PASSWORD,
        REMOTE_ADDR="192.0.2.7",
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )
    assert "Too many failed sign-ins" in response.content.decode()


def test_behind_a_trusted_proxy_each_client_has_its_own_count(client, staff, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for number in range(6):
        sign_in(
            client,
            f"guess{number}",
            "wrong",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    proxied = {"REMOTE_ADDR": "10.0.0.1"}
    locked = sign_in(
        client, "chief", PASSWORD, **proxied, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert "Too many failed sign-ins" in locked.content.decode()
    other = sign_in(
        client, "chief", PASSWORD, **proxied, HTTP_X_FORWARDED_FOR="198.51.100.8"
    )
    assert other.status_code == 302


def test_authenticate_refuses_a_locked_account_whatever_the_caller(rf, staff):
    from django.contrib.auth import authenticate

    request = rf.post("/elsewhere/")
    for _ in range(5):
        assert authenticate(request, username="chief", password="wrong") is None
    assert authenticate(request, username="chief", password=PASSWORD) is None


# -- The search page's throttle -------------------------------------------------


def test_search_page_is_throttled_per_address(client, db, settings):
    settings.SEARCH_RATE = "3/min"
    for _ in range(3):
        assert client.get("/search/?q=serbia").status_code == 200
    response = client.get("/search/?q=serbia")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many searches from your address" in response.content.decode()
    # Another address has its own count; the empty form is never counted.
    assert client.get("/search/?q=serbia", REMOTE_ADDR="192.0.2.9").status_code == 200
    assert client.get("/search/").status_code == 200


def test_forwarded_for_does_not_bypass_the_search_throttle(client, db, settings):
    settings.SEARCH_RATE = "3/min"
    for number in range(3):
        client.get("/search/?q=serbia", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    response = client.get("/search/?q=serbia", HTTP_X_FORWARDED_FOR="10.0.9.9")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_search_counts_each_client(client, db, settings):
    settings.SEARCH_RATE = "3/min"
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    proxied = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(3):
        client.get("/search/?q=serbia", **proxied, HTTP_X_FORWARDED_FOR="198.51.100.7")
    blocked = client.get(
        "/search/?q=serbia", **proxied, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert blocked.status_code == 429
    other = client.get(
        "/search/?q=serbia", **proxied, HTTP_X_FORWARDED_FOR="198.51.100.8"
    )
    assert other.status_code == 200


# -- Password rules (AUTH_PASSWORD_VALIDATORS) -----------------------------------


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("12345678", "This password is too common."),
        ("k9x2", "This password is too short."),
        ("4815162342", "This password is entirely numeric."),
        ("newbie-archive", "The password is too similar to the username."),
    ],
)
def test_admin_refuses_a_weak_password_for_a_new_user(admin_client, password, reason):
    from django.contrib.auth.models import User

    response = admin_client.post(
        "/admin/auth/user/add/",
        {
            "username": "newbie-archive",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 200
    assert reason in response.content.decode().replace("&#x27;", "'")
    assert not User.objects.filter(username="newbie-archive").exists()


def test_password_change_refuses_a_weak_password(client, staff):
    client.force_login(staff)
    response = client.post(
        "/admin/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "password",
            "new_password2": "password",
        },
    )
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)
