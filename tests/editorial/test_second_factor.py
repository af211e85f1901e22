"""The staff sign-in's second factor (editorial/second_factor.py).

With OTP_REQUIRED on (production), superusers and Publishers reach no admin
page without an authenticator app's code; others may enrol one; a wrong
code counts toward the sign-in pause; a recovery code works once.
"""

import re

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from editorial import second_factor
from tests import factories

PASSWORD = "a-long-staff-password-91"


@pytest.fixture(autouse=True)
def production_rule(settings):
    settings.OTP_REQUIRED = True
    settings.OTP_REQUIRED_GROUPS = ["Publisher"]
    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    settings.LOGIN_FAILURES_PER_ADDRESS = 20
    settings.LOGIN_LOCKOUT_SECONDS = 900


@pytest.fixture
def publisher(db):
    return factories.make_user(role="Publisher", username="pub", password=PASSWORD)


@pytest.fixture
def editor(db):
    return factories.make_user(role="Editor", username="ed", password=PASSWORD)


def app_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app")


def code_of(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(code_of(device)) + 500_000) % 1_000_000:06d}"


def password_step(client, username: str, password: str = PASSWORD):
    return client.post(
        "/admin/login/?next=/admin/briefs/brief/",
        {"username": username, "password": password},
    )


def code_step(client, code: str):
    return client.post("/admin/second-factor/", {"token": code})


def admitted(client) -> bool:
    return client.get("/admin/briefs/brief/").status_code == 200


def test_required_user_signed_in_without_a_code_is_refused_every_admin_page(
    client, publisher
):
    client.force_login(publisher)  # a password-only session
    for path in ["/admin/", "/admin/briefs/brief/", "/admin/briefs/brief/add/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_password_alone_does_not_sign_in_a_user_with_an_app(client, publisher):
    app_for(publisher)
    response = password_step(client, "pub")
    assert response["Location"] == "/admin/second-factor/"
    assert "_auth_user_id" not in client.session
    assert not admitted(client)
    page = client.get("/admin/second-factor/")
    assert "Signing in as <strong>pub</strong>" in page.content.decode()


def test_right_code_admits_and_goes_where_the_user_was_going(client, publisher):
    device = app_for(publisher)
    password_step(client, "pub")
    response = code_step(client, code_of(device))
    assert response.status_code == 302
    assert response["Location"] == "/admin/briefs/brief/"
    assert admitted(client)
    assert client.session["otp_device_id"] == device.persistent_id


def test_wrong_code_is_refused(client, publisher):
    device = app_for(publisher)
    password_step(client, "pub")
    response = code_step(client, wrong_code(device))
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not admitted(client)


def test_wrong_codes_count_toward_the_sign_in_pause(client, publisher):
    device = app_for(publisher)
    password_step(client, "pub")
    for _ in range(3):
        code_step(client, wrong_code(device))
    # A right password does not clear the wrong codes: two more failures pause.
    assert password_step(client, "pub")["Location"] == "/admin/second-factor/"
    code_step(client, wrong_code(device))
    password_step(client, "pub", "wrong")
    response = password_step(client, "pub")
    assert "Too many failed sign-ins" in response.content.decode()
    assert not admitted(client)


def test_a_paused_account_is_refused_at_the_code_step(client, publisher, settings):
    device = app_for(publisher)
    password_step(client, "pub")
    for _ in range(5):
        code_step(client, wrong_code(device))
    device.refresh_from_db()
    device.throttle_reset()  # django-otp's own delay aside: the pause refuses
    response = code_step(client, code_of(device))
    assert "Too many failed sign-ins" in response.content.decode()
    assert not admitted(client)


def test_recovery_code_works_once(client, publisher):
    app_for(publisher)
    recovery = StaticDevice.objects.create(user=publisher, name="Recovery codes")
    StaticToken.objects.create(device=recovery, token="abcd2345")
    password_step(client, "pub")
    assert code_step(client, "ABCD 2345").status_code == 302
    assert admitted(client)
    client.logout()
    password_step(client, "pub")
    response = code_step(client, "abcd2345")
    assert "That code is not right, or was used already" in response.content.decode()
    assert not admitted(client)


def test_optional_user_without_an_app_signs_in_with_the_password_alone(client, editor):
    response = password_step(client, "ed")
    assert response["Location"] == "/admin/briefs/brief/"
    assert admitted(client)


def test_optional_user_with_an_app_is_asked_for_its_code(client, editor):
    device = app_for(editor)
    assert password_step(client, "ed")["Location"] == "/admin/second-factor/"
    assert not admitted(client)
    code_step(client, code_of(device))
    assert admitted(client)


def test_superusers_must_use_a_second_factor(client, db):
    factories.make_user(is_superuser=True, username="chief", password=PASSWORD)
    assert password_step(client, "chief")["Location"] == "/admin/second-factor/enrol/"
    assert not admitted(client)


def test_locally_nobody_is_asked_unless_they_enrolled(client, publisher, settings):
    settings.OTP_REQUIRED = False  # make run: DEBUG on
    assert password_step(client, "pub")["Location"] == "/admin/briefs/brief/"
    assert admitted(client)


def test_required_user_without_an_app_enrols_and_gets_recovery_codes_once(
    client, publisher
):
    assert password_step(client, "pub")["Location"] == "/admin/second-factor/enrol/"
    # Straight to the code step: no app yet, so back to enrolment.
    assert client.get("/admin/second-factor/")["Location"] == (
        "/admin/second-factor/enrol/"
    )
    page = client.get("/admin/second-factor/enrol/")
    html = page.content.decode()
    svg = re.search(r"<svg role=\"img\".*?</svg>", html, re.S)[0]
    assert 'role="img"' in svg and "<path" in svg
    # CSP-clean: no inline script, style attribute or event handler.
    assert not re.search(r"\sstyle=|<script(?![^>]*\ssrc=)|\son[a-z]+=", html)
    assert not admitted(client)
    # The app is made from the key shown; a wrong code first, then the right one.
    device = TOTPDevice(user=publisher, key=client.session[second_factor.PROPOSED_KEY])
    refused = client.post("/admin/second-factor/enrol/", {"token": wrong_code(device)})
    assert "That code is not right" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=publisher).exists()
    response = client.post("/admin/second-factor/enrol/", {"token": code_of(device)})
    assert response.status_code == 200
    codes = re.findall(
        r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode()
    )
    assert len(codes) == 10
    assert sorted(
        StaticToken.objects.filter(device__user=publisher).values_list(
            "token", flat=True
        )
    ) == sorted(codes)
    assert TOTPDevice.objects.get(user=publisher).confirmed
    assert admitted(client)
    # Shown once: enrolment is over, the page now sends the user on.
    again = client.get("/admin/second-factor/enrol/")
    assert again.status_code == 302
    assert not re.search(codes[0], again.content.decode())


def test_enrolment_needs_the_password_step_first(client, publisher):
    response = client.get("/admin/second-factor/enrol/")
    assert response["Location"] == "/admin/login/"
    assert client.post("/admin/second-factor/", {"token": "123456"})["Location"] == (
        "/admin/login/"
    )


def test_the_code_step_waits_only_a_few_minutes(client, publisher, monkeypatch):
    import time

    device = app_for(publisher)
    password_step(client, "pub")
    later = time.time() + second_factor.PENDING_SECONDS + 1
    monkeypatch.setattr(second_factor.time, "time", lambda: later)
    assert code_step(client, code_of(device))["Location"] == "/admin/login/"


def test_a_superuser_resets_a_users_second_factor_in_the_admin(client, publisher):
    chief = factories.make_user(is_superuser=True, username="chief", password=PASSWORD)
    chief_app = app_for(chief)
    device = app_for(publisher)
    password_step(client, "chief")
    code_step(client, code_of(chief_app))
    url = f"/admin/otp_totp/totpdevice/{device.pk}/delete/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=publisher).exists()
    client.logout()
    assert password_step(client, "pub")["Location"] == "/admin/second-factor/enrol/"


def test_reset_command_lets_a_locked_out_superuser_enrol_again(client, db):
    chief = factories.make_user(is_superuser=True, username="chief", password=PASSWORD)
    app_for(chief)
    StaticDevice.objects.create(user=chief, name="Recovery codes")
    call_command("reset_second_factor", "chief")
    assert not list(second_factor.devices_for_user(chief, confirmed=None))
    assert password_step(client, "chief")["Location"] == "/admin/second-factor/enrol/"


def test_an_optional_user_may_enrol_from_the_admin(client, editor):
    password_step(client, "ed")
    index = client.get("/admin/").content.decode()
    assert 'href="/admin/second-factor/enrol/">Set up a second factor' in index
    client.get("/admin/second-factor/enrol/")
    device = TOTPDevice(user=editor, key=client.session[second_factor.PROPOSED_KEY])
    response = client.post("/admin/second-factor/enrol/", {"token": code_of(device)})
    assert "Your recovery codes" in response.content.decode()
    assert "Set up a second factor" not in client.get("/admin/").content.decode()
    client.logout()
    assert password_step(client, "ed")["Location"] == "/admin/second-factor/"
