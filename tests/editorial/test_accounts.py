"""One command sets up the newsroom: an account per editorial role."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from briefs.models import Brief
from editorial.workflow import Action, may_ever

PASSWORDS = {
    "CONTRIBUTOR_PASSWORD": "plain-ink-harbour-41",
    "EDITOR_PASSWORD": "quiet-lamp-meadow-17",
    "PUBLISHER_PASSWORD": "steady-river-copper-90",
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_role_accounts", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def passwords(monkeypatch):
    for name, value in PASSWORDS.items():
        monkeypatch.setenv(name, value)


@pytest.mark.django_db
def test_one_command_creates_an_account_per_role(passwords, settings):
    settings.OTP_REQUIRED = True
    out = run("--editor", "ivan", "--email-domain", "pupin.example", "--no-input")
    users = {u.username: u for u in get_user_model().objects.all()}
    assert set(users) == {"contributor", "ivan", "publisher"}
    for username, role in (
        ("contributor", "Contributor"),
        ("ivan", "Editor"),
        ("publisher", "Publisher"),
    ):
        user = users[username]
        assert user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.email == f"{username}@pupin.example"
    assert users["ivan"].check_password(PASSWORDS["EDITOR_PASSWORD"])
    # What each role may do follows from its group.
    assert may_ever(users["contributor"], Action.SUBMIT)
    assert not may_ever(users["contributor"], Action.UNTRASH)
    assert may_ever(users["ivan"], Action.APPROVE)
    assert may_ever(users["publisher"], Action.PUBLISH)
    assert out.splitlines() == [
        "Created contributor (Contributor).",
        "Created ivan (Editor).",
        "Created publisher (Publisher); sets up an authenticator app at the "
        "first sign-in.",
    ]
    assert not any(p in out for p in PASSWORDS.values())


@pytest.mark.django_db
def test_running_it_again_changes_nothing(passwords):
    run("--no-input")
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("changed-by-the-editor-55")
    editor.save()
    out = run("--no-input")
    assert "Already there: editor (Editor)." in out
    assert get_user_model().objects.count() == 3
    editor.refresh_from_db()
    assert editor.check_password("changed-by-the-editor-55")


@pytest.mark.django_db
def test_without_a_password_and_no_prompt_nothing_is_created(monkeypatch):
    monkeypatch.setenv("CONTRIBUTOR_PASSWORD", PASSWORDS["CONTRIBUTOR_PASSWORD"])
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="EDITOR_PASSWORD is not set"):
        run("--no-input")
    assert not get_user_model().objects.filter(username="editor").exists()


@pytest.mark.django_db
def test_a_weak_password_is_refused_with_the_validators_reason(passwords, monkeypatch):
    monkeypatch.setenv("PUBLISHER_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="publisher: This password is too common"):
        run("--no-input")
    assert not get_user_model().objects.filter(username="publisher").exists()


@pytest.mark.django_db
def test_the_password_is_asked_twice_when_not_in_the_environment(
    passwords, monkeypatch
):
    monkeypatch.delenv("CONTRIBUTOR_PASSWORD")
    answers = iter(
        ["first-try-ocean-12", "typo", "north-wind-ladder-63", "north-wind-ladder-63"]
    )
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    run()
    user = get_user_model().objects.get(username="contributor")
    assert user.check_password("north-wind-ladder-63")


@pytest.mark.django_db
def test_an_editor_made_this_way_can_work_in_the_admin(passwords, client):
    run("--no-input")
    assert client.login(username="editor", password=PASSWORDS["EDITOR_PASSWORD"])
    assert client.get("/admin/briefs/brief/add/").status_code == 200
    assert not Brief.objects.exists()
