"""The editorial workflow: who may make which move, from where, and what it leaves."""

import datetime
import threading

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.utils import timezone

from briefs.models import Brief, BriefSlugHistory, Correction, Status
from editorial.models import BriefTransition, EditPresence, ReviewComment
from editorial.workflow import (
    Action,
    TransitionError,
    add_review_comment,
    available_actions,
    can_edit_brief,
    editable_briefs,
    submitter_id,
    transition_brief,
)
from tests import factories

ROLES = [
    "anonymous",
    "contributor_owner",
    "contributor_other",
    "editor",
    "publisher",
    "superuser",
]
EDITORS = {"editor", "publisher", "superuser"}
# Who may make each move on a brief owned by contributor_owner, in a state
# where the move is legal.
ALLOWED = {
    Action.SUBMIT: {"contributor_owner"} | EDITORS,
    Action.RESUME: {"contributor_owner"} | EDITORS,
    Action.REQUEST_CHANGES: {"editor", "superuser"},
    Action.APPROVE: {"editor", "superuser"},
    Action.PUBLISH: {"publisher", "superuser"},
    Action.UNSCHEDULE: {"publisher", "superuser"},
    Action.WITHDRAW: {"publisher", "superuser"},
    Action.START_CORRECTION: EDITORS,
    Action.TRASH: {"contributor_owner"} | EDITORS,
    Action.UNTRASH: EDITORS,
    Action.PURGE: {"superuser"},
}
INPUTS = {
    Action.REQUEST_CHANGES: {"comment": "The second table needs a source."},
    Action.WITHDRAW: {"public_note": "Superseded by a new edition."},
}


@pytest.fixture
def people(db):
    return {
        "anonymous": AnonymousUser(),
        "contributor_owner": factories.make_user(role="Contributor"),
        "contributor_other": factories.make_user(role="Contributor"),
        "editor": factories.make_user(role="Editor"),
        "publisher": factories.make_user(role="Publisher"),
        "superuser": factories.make_user(is_superuser=True),
    }


def brief_ready_for(action: Action, owner) -> Brief:
    """A brief owned by `owner`, in a state from which `action` is legal."""
    now = timezone.now()
    fields = {
        Action.SUBMIT: {"status": Status.DRAFT},
        Action.RESUME: {"status": Status.CHANGES_REQUESTED},
        Action.REQUEST_CHANGES: {"status": Status.IN_REVIEW},
        Action.APPROVE: {"status": Status.IN_REVIEW},
        Action.PUBLISH: {"status": Status.APPROVED},
        Action.UNSCHEDULE: {"published_at": now + datetime.timedelta(days=1)},
        Action.WITHDRAW: {},
        Action.START_CORRECTION: {},
        Action.TRASH: {"status": Status.DRAFT},
        Action.UNTRASH: {"status": Status.DRAFT, "deleted_at": now},
        Action.PURGE: {"status": Status.DRAFT, "deleted_at": now},
    }[action]
    return factories.make_brief(
        created_by=owner, authors=[factories.make_person()], **fields
    )


def state(brief: Brief) -> tuple:
    row = Brief.objects.filter(pk=brief.pk).values().first()
    return (
        row,
        BriefTransition.objects.filter(brief_id=brief.pk).count(),
        Brief.objects.filter(draft_of_id=brief.pk).count(),
    )


def assert_effect(action: Action, brief: Brief) -> None:
    if action == Action.PURGE:
        assert not Brief.objects.filter(pk=brief.pk).exists()
        return
    brief.refresh_from_db()
    expected_status = {
        Action.SUBMIT: Status.IN_REVIEW,
        Action.RESUME: Status.DRAFT,
        Action.REQUEST_CHANGES: Status.CHANGES_REQUESTED,
        Action.APPROVE: Status.APPROVED,
        Action.PUBLISH: Status.PUBLISHED,
        Action.UNSCHEDULE: Status.APPROVED,
        Action.WITHDRAW: Status.WITHDRAWN,
        Action.START_CORRECTION: Status.PUBLISHED,
        Action.TRASH: Status.DRAFT,
        Action.UNTRASH: Status.DRAFT,
    }[action]
    assert brief.status == expected_status
    if action == Action.START_CORRECTION:
        assert brief.working_copies.count() == 1
    if action == Action.TRASH:
        assert brief.deleted_at is not None
    if action == Action.UNTRASH:
        assert brief.deleted_at is None
    if action == Action.UNSCHEDULE:
        assert brief.published_at is None
    entry = BriefTransition.objects.filter(brief=brief).last()
    assert entry.action == action


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_every_role_against_every_transition(people, role, action):
    brief = brief_ready_for(action, people["contributor_owner"])
    before = state(brief)
    user = people[role]
    if role in ALLOWED[action]:
        assert action in available_actions(user, brief)
        transition_brief(brief, user=user, action=action, **INPUTS.get(action, {}))
        assert_effect(action, brief)
    else:
        assert action not in available_actions(user, brief)
        with pytest.raises(TransitionError) as refused:
            transition_brief(brief, user=user, action=action, **INPUTS.get(action, {}))
        message = refused.value.message.lower()
        assert "not allowed" in message or "only" in message
        assert state(brief) == before


def brief_in(status: str, **extra) -> Brief:
    fields = {"status": status, **extra}
    if status == Status.WITHDRAWN:
        fields["withdrawn_reason"] = "Superseded."
    return factories.make_brief(authors=[factories.make_person()], **fields)


@pytest.mark.django_db
@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize(
    "action", [a for a in Action if a not in {Action.UNTRASH, Action.PURGE}], ids=str
)
def test_moves_from_the_wrong_state_are_refused_even_for_a_superuser(
    people, status, action
):
    legal_from = {
        Action.SUBMIT: {Status.DRAFT, Status.CHANGES_REQUESTED},
        Action.RESUME: {Status.CHANGES_REQUESTED},
        Action.REQUEST_CHANGES: {Status.IN_REVIEW, Status.APPROVED},
        Action.APPROVE: {Status.IN_REVIEW},
        Action.PUBLISH: {Status.APPROVED},
        Action.UNSCHEDULE: set(),  # only a scheduled brief, tested apart
        Action.WITHDRAW: {Status.PUBLISHED},
        Action.START_CORRECTION: {Status.PUBLISHED},
        Action.TRASH: {
            Status.DRAFT,
            Status.IN_REVIEW,
            Status.CHANGES_REQUESTED,
            Status.APPROVED,
        },
    }[action]
    if status in legal_from:
        return
    brief = brief_in(status)
    before = state(brief)
    with pytest.raises(TransitionError) as refused:
        transition_brief(brief, user=people["superuser"], action=action)
    assert "cannot be" in refused.value.message or "already public" in (
        refused.value.message
    )
    assert state(brief) == before


@pytest.mark.django_db
def test_trashed_briefs_move_only_out_of_the_trash(people):
    brief = brief_in(Status.DRAFT, deleted_at=timezone.now())
    with pytest.raises(TransitionError, match="in the trash"):
        transition_brief(brief, user=people["superuser"], action=Action.SUBMIT)
    live = brief_in(Status.DRAFT)
    for action in (Action.UNTRASH, Action.PURGE):
        with pytest.raises(TransitionError, match="not in the trash"):
            transition_brief(live, user=people["superuser"], action=action)


@pytest.mark.django_db
def test_contributor_may_trash_own_drafts_only(people):
    owner = people["contributor_owner"]
    submitted = factories.make_brief(status=Status.IN_REVIEW, created_by=owner)
    with pytest.raises(TransitionError, match="only your own drafts"):
        transition_brief(submitted, user=owner, action=Action.TRASH)


@pytest.mark.django_db
def test_schedule_and_publish_edge_cases_are_refused_with_reasons(people):
    publisher = people["publisher"]
    approved = brief_in(Status.APPROVED)
    past = timezone.now() - datetime.timedelta(minutes=5)
    with pytest.raises(TransitionError, match="passed"):
        transition_brief(approved, user=publisher, action="publish", publish_at=past)
    with pytest.raises(TransitionError, match="correction"):
        transition_brief(approved, user=publisher, action="publish", public_note="x")
    public = brief_in(Status.PUBLISHED)
    with pytest.raises(TransitionError, match="already public"):
        transition_brief(public, user=publisher, action="unschedule")
    scheduled = brief_in(
        Status.PUBLISHED, published_at=timezone.now() + datetime.timedelta(days=1)
    )
    with pytest.raises(TransitionError, match="not public yet"):
        transition_brief(scheduled, user=publisher, action="withdraw", public_note="x")
    with pytest.raises(TransitionError, match="public reason"):
        transition_brief(public, user=publisher, action="withdraw")
    with pytest.raises(TransitionError, match="comment is required"):
        transition_brief(
            brief_in(Status.IN_REVIEW), user=people["editor"], action="request_changes"
        )
    with pytest.raises(TransitionError, match="no workflow action"):
        transition_brief(public, user=publisher, action="explode")
    assert approved.status == Status.APPROVED
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED and approved.published_at is None


@pytest.mark.django_db
def test_every_transition_is_logged_with_who_when_from_to_and_comment(people):
    brief = brief_in(Status.DRAFT, created_by=people["contributor_owner"])
    moves = [
        ("contributor_owner", "submit", ""),
        ("editor", "request_changes", "Add a source for the troop numbers."),
        ("contributor_owner", "resume", ""),
        ("contributor_owner", "submit", "Sources added."),
        ("editor", "approve", "Good to go."),
        ("publisher", "publish", ""),
    ]
    started = timezone.now()
    for role, action, comment in moves:
        transition_brief(brief, user=people[role], action=action, comment=comment)
    log = list(BriefTransition.objects.filter(brief=brief))
    assert [
        (e.created_by, e.action, e.from_status, e.to_status, e.comment) for e in log
    ] == [
        (people["contributor_owner"], "submit", "draft", "in_review", ""),
        (
            people["editor"],
            "request_changes",
            "in_review",
            "changes_requested",
            "Add a source for the troop numbers.",
        ),
        (people["contributor_owner"], "resume", "changes_requested", "draft", ""),
        (people["contributor_owner"], "submit", "draft", "in_review", "Sources added."),
        (people["editor"], "approve", "in_review", "approved", "Good to go."),
        (people["publisher"], "publish", "approved", "published", ""),
    ]
    assert all(started <= e.created_at <= timezone.now() for e in log)


@pytest.mark.django_db
def test_submit_logs_check_findings_and_publish_is_blocked_by_errors(people):
    brief = factories.make_brief(status=Status.DRAFT, summary="", recommendations=1)
    result = transition_brief(brief, user=people["superuser"], action="submit")
    checks = {f["check"] for f in result.entry.checks}
    assert {"summary_present", "author_present", "recommendations_addressed"} <= checks
    transition_brief(brief, user=people["editor"], action="approve")
    with pytest.raises(TransitionError, match="no summary") as refused:
        transition_brief(brief, user=people["superuser"], action="publish")
    assert "names no author" in refused.value.message
    brief.refresh_from_db()
    assert brief.status == Status.APPROVED


@pytest.mark.django_db
def test_publish_logs_warnings_and_goes_through(people):
    brief = brief_in(Status.APPROVED, recommendations=1)
    result = transition_brief(brief, user=people["publisher"], action="publish")
    assert [f.check for f in result.warnings] == ["recommendations_addressed"]
    assert result.entry.checks[0]["level"] == "warning"
    assert Brief.objects.published().filter(pk=brief.pk).exists()


@pytest.mark.django_db
def test_a_move_against_a_state_the_user_did_not_see_is_refused(people):
    brief = brief_in(Status.IN_REVIEW)
    transition_brief(brief, user=people["editor"], action="approve")
    with pytest.raises(TransitionError, match="changed while you were looking"):
        transition_brief(
            brief,
            user=people["superuser"],
            action="request_changes",
            comment="Needs work.",
            expected_status=Status.IN_REVIEW,
        )
    brief.refresh_from_db()
    assert brief.status == Status.APPROVED


@pytest.mark.django_db
def test_a_stale_object_cannot_repeat_a_move(people):
    # Two people holding the same brief as loaded before either acted: the
    # second move re-reads the row under the lock and finds it moved.
    brief = brief_in(Status.APPROVED)
    stale = Brief.objects.get(pk=brief.pk)
    transition_brief(brief, user=people["publisher"], action="publish")
    with pytest.raises(TransitionError, match="is published"):
        transition_brief(stale, user=people["superuser"], action="publish")
    assert BriefTransition.objects.filter(brief=brief, action="publish").count() == 1


def race(brief_pk: int, attempts: list[tuple]) -> list[object]:
    """Run the attempts at once in separate threads (connections); return results."""
    barrier = threading.Barrier(len(attempts))
    results: list[object] = [None] * len(attempts)

    def attempt(index: int, user, kwargs: dict) -> None:
        try:
            barrier.wait()
            brief = Brief.objects.get(pk=brief_pk)
            results[index] = transition_brief(brief, user=user, **kwargs)
        except TransitionError as error:
            results[index] = error
        except Exception as error:  # surfaced by the assertions below
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(i, user, kwargs))
        for i, (user, kwargs) in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


needs_row_locks = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite has no row locks (select_for_update is a no-op) and its shared "
    "in-memory test database fails a second writer at once ('database table is "
    "locked') instead of making it wait, so real concurrency can only be shown on "
    "PostgreSQL; the same rule is covered on both databases by "
    "test_a_stale_object_cannot_repeat_a_move and "
    "test_a_move_against_a_state_the_user_did_not_see_is_refused.",
)


@needs_row_locks
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_approve_and_request_changes_end_in_one_legal_outcome():
    editor = factories.make_user(role="Editor")
    other_editor = factories.make_user(role="Editor")
    brief = brief_in(Status.IN_REVIEW)
    results = race(
        brief.pk,
        [
            (editor, {"action": "approve", "expected_status": Status.IN_REVIEW}),
            (
                other_editor,
                {
                    "action": "request_changes",
                    "comment": "Not yet.",
                    "expected_status": Status.IN_REVIEW,
                },
            ),
        ],
    )
    refused = [r for r in results if isinstance(r, TransitionError)]
    applied = [r for r in results if not isinstance(r, Exception)]
    assert len(applied) == 1 and len(refused) == 1, results
    brief.refresh_from_db()
    assert brief.status == applied[0].brief.status
    assert brief.status in {Status.APPROVED, Status.CHANGES_REQUESTED}
    assert BriefTransition.objects.filter(brief=brief).count() == 1


@needs_row_locks
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_clicked_publish_publishes_once():
    publisher = factories.make_user(role="Publisher")
    brief = brief_in(Status.APPROVED)
    results = race(
        brief.pk,
        [(publisher, {"action": "publish"}), (publisher, {"action": "publish"})],
    )
    assert sum(isinstance(r, TransitionError) for r in results) == 1, results
    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    assert BriefTransition.objects.filter(brief=brief, action="publish").count() == 1


@needs_row_locks
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_correction_publications_apply_one_correction():
    publisher = factories.make_user(role="Publisher")
    live = brief_in(Status.PUBLISHED)
    copy = transition_brief(live, user=publisher, action="start_correction").brief
    Brief.objects.filter(pk=copy.pk).update(status=Status.APPROVED)
    results = race(
        copy.pk,
        [
            (publisher, {"action": "publish", "public_note": "Fixed a date."}),
            (publisher, {"action": "publish", "public_note": "Fixed a date."}),
        ],
    )
    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    live.refresh_from_db()
    assert live.version == 2
    assert live.corrections.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_child_row_left_on_a_published_copy_fails_the_publication():
    """The copy's row is deleted with one DELETE, not Django's collector.

    The foreign keys keep the collector's guarantee: a child row that the
    correction did not move or delete (here a correction record on the copy,
    which the workflow never makes) fails the publication at commit, and
    nothing of it stays; no orphan row is left.
    """
    publisher = factories.make_user(role="Publisher")
    live = brief_in(Status.PUBLISHED)
    copy = transition_brief(live, user=publisher, action="start_correction").brief
    Brief.objects.filter(pk=copy.pk).update(status=Status.APPROVED)
    Correction.objects.create(brief_id=copy.pk, published_on=timezone.localdate())
    logged = BriefTransition.objects.count()
    with pytest.raises(IntegrityError):
        transition_brief(
            Brief.objects.get(pk=copy.pk), user=publisher, action="publish"
        )
    assert Brief.objects.filter(pk=copy.pk, draft_of=live).exists()
    live.refresh_from_db()
    assert live.version == 1
    assert live.corrections.count() == 0
    assert BriefTransition.objects.count() == logged


@pytest.mark.django_db
def test_publishing_a_correction_removes_every_row_of_its_copy(people):
    """Presence, the copy's old slugs and its content rows go with it."""
    publisher = people["publisher"]
    live = brief_in(Status.PUBLISHED)
    copy = transition_brief(live, user=publisher, action="start_correction").brief
    EditPresence.objects.create(brief=copy, user=people["editor"])
    call_command("rename_brief", copy.slug, "renamed-copy")
    assert BriefSlugHistory.objects.filter(brief=copy).exists()
    Brief.objects.filter(pk=copy.pk).update(status=Status.APPROVED)
    transition_brief(Brief.objects.get(pk=copy.pk), user=publisher, action="publish")
    assert not Brief.objects.filter(pk=copy.pk).exists()
    assert not EditPresence.objects.filter(brief_id=copy.pk).exists()
    assert not BriefSlugHistory.objects.filter(brief_id=copy.pk).exists()
    assert live.contributions.exists()
    connection.check_constraints()  # no row points at the deleted copy


@pytest.mark.django_db
def test_notifications_go_to_reviewers_then_to_the_author(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    owner = people["contributor_owner"]
    people["editor"].email = "editor@example.org"
    people["editor"].save()
    quiet_editor = factories.make_user(role="Editor", email="")
    assert quiet_editor  # no address: nothing to send
    brief = brief_in(Status.DRAFT, created_by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        transition_brief(brief, user=owner, action="submit")
    assert [m.to for m in mailoutbox] == [["editor@example.org"]]
    assert brief.title in mailoutbox[0].subject
    assert f"/admin/briefs/brief/{brief.pk}/change/" in mailoutbox[0].body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transition_brief(
            brief,
            user=people["editor"],
            action="request_changes",
            comment="Please cite the declaration.",
        )
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert "Please cite the declaration." in mailoutbox[0].body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transition_brief(brief, user=owner, action="submit")
        transition_brief(brief, user=people["editor"], action="approve")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transition_brief(brief, user=people["publisher"], action="publish")
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert mailoutbox[0].subject.startswith("Published:")
    assert brief.get_absolute_url() in mailoutbox[0].body


@pytest.mark.django_db
def test_a_refused_move_sends_no_mail(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    brief = brief_in(Status.DRAFT, created_by=people["contributor_owner"])
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(TransitionError):
            transition_brief(brief, user=people["contributor_other"], action="submit")
    assert mailoutbox == []


@pytest.mark.django_db
def test_reviewers_comment_and_the_author_may_answer(people):
    owner = people["contributor_owner"]
    brief = brief_in(Status.IN_REVIEW, created_by=owner)
    add_review_comment(brief=brief, user=people["editor"], body="Source for row 3?")
    add_review_comment(brief=brief, user=owner, body="Added.")
    assert [c.body for c in ReviewComment.objects.filter(brief=brief)] == [
        "Source for row 3?",
        "Added.",
    ]
    for user, body in [(people["contributor_other"], "Hi"), (people["editor"], " ")]:
        with pytest.raises(TransitionError):
            add_review_comment(brief=brief, user=user, body=body)
    assert ReviewComment.objects.filter(brief=brief).count() == 2


@pytest.mark.django_db
def test_groups_come_from_the_migration_and_manage_no_users():
    for name in ["Contributor", "Editor", "Publisher"]:
        codenames = set(
            Group.objects.get(name=name).permissions.values_list("codename", flat=True)
        )
        assert not {c for c in codenames if c.endswith(("_user", "_group"))}
        assert {"add_brief", "change_brief", "submit_brief"} <= codenames
    editor = set(
        Group.objects.get(name="Editor").permissions.values_list("codename", flat=True)
    )
    publisher = set(
        Group.objects.get(name="Publisher").permissions.values_list(
            "codename", flat=True
        )
    )
    assert "review_brief" in editor and "publish_brief" not in editor
    assert "publish_brief" in publisher and "review_brief" not in publisher


@pytest.mark.django_db
def test_the_command_goes_through_the_same_checker(people, capsys):
    brief = brief_in(Status.APPROVED, slug="tirana-declaration")
    with pytest.raises(CommandError, match="not allowed"):
        call_command(
            "brief_transition",
            "tirana-declaration",
            "publish",
            "--user",
            people["editor"].username,
        )
    brief.refresh_from_db()
    assert brief.status == Status.APPROVED
    release = timezone.localtime() + datetime.timedelta(days=2)
    call_command(
        "brief_transition",
        "tirana-declaration",
        "publish",
        "--user",
        people["publisher"].username,
        "--at",
        release.strftime("%Y-%m-%dT%H:%M"),
    )
    brief.refresh_from_db()
    assert brief.status == Status.PUBLISHED and brief.is_scheduled
    assert (
        "scheduled"
        in BriefTransition.objects.filter(brief=brief).last().comment.lower()
    )
    assert "now published" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No brief"):
        call_command(
            "brief_transition", "nope", "submit", "--user", people["superuser"].username
        )


@pytest.mark.django_db
def test_the_editable_query_agrees_with_the_edit_rule(people):
    owner = people["contributor_owner"]
    briefs = [
        brief_in(status, created_by=owner, deleted_at=deleted)
        for status in Status.values
        for deleted in (None, timezone.now())
    ]
    for role, user in people.items():
        if role == "anonymous":
            continue
        expected = {b.pk for b in briefs if can_edit_brief(user, b)}
        assert set(editable_briefs(user).values_list("pk", flat=True)) == expected, role


# -- Two pairs of eyes -----------------------------------------------------------

INTERFACES = ["function", "admin_button", "forged_post", "bulk_action", "command"]


def submitted_by(submitter, *, correction: bool = False) -> Brief:
    """A brief (or a published brief's correction draft) `submitter` submitted."""
    if correction:
        live = brief_in(Status.PUBLISHED, title="Live brief", created_by=submitter)
        brief = transition_brief(
            live, user=submitter, action=Action.START_CORRECTION
        ).brief
    else:
        brief = brief_in(Status.DRAFT, title="Own work", created_by=submitter)
    transition_brief(brief, user=submitter, action=Action.SUBMIT)
    return brief


def approve_through(interface: str, client, brief: Brief, user, comment: str = ""):
    """Try to approve `brief` as `user` through `interface`; the refusal or None."""
    if interface == "function":
        try:
            transition_brief(brief, user=user, action=Action.APPROVE, comment=comment)
        except TransitionError as error:
            return error.message
        return None
    if interface == "command":
        try:
            call_command(
                "brief_transition",
                brief.slug,
                "approve",
                "--user",
                user.username,
                "--comment",
                comment,
            )
        except CommandError as error:
            return str(error)
        return None
    client.force_login(user)
    base = f"/admin/briefs/brief/{brief.pk}"
    if interface == "admin_button":
        page = client.get(f"{base}/change/")
        offered = {a["value"]: a for a in page.context["workflow"]["actions"]}.get(
            "approve"
        )
        # A submitter is not offered the button; a superuser is, asking why.
        own = submitter_id(brief) == user.pk
        assert (offered is not None) == (user.is_superuser or not own)
        if offered:
            assert offered["needs_reason"] == own
            assert ("recorded as an override" in page.content.decode()) == own
    if interface == "bulk_action":
        response = client.post(
            "/admin/briefs/brief/",
            {"action": "approve_selected", "_selected_action": [brief.pk]},
            follow=True,
        )
    else:
        response = client.post(
            f"{base}/workflow/approve/",
            {"comment": comment, "expected_status": Status.IN_REVIEW},
            follow=True,
        )
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    return " ".join(errors) or None


@pytest.mark.django_db
@pytest.mark.parametrize("correction", [False, True], ids=["brief", "correction"])
@pytest.mark.parametrize("interface", INTERFACES)
@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_the_submitter_cannot_approve_without_a_second_pair_of_eyes(
    client, people, role, interface, correction
):
    user = people[role]
    brief = submitted_by(user, correction=correction)
    before = state(brief)
    refused = approve_through(interface, client, brief, user)
    assert refused is not None and "submitted" in refused
    if role == "superuser":
        assert "reason" in refused  # the override needs one
    else:
        assert "someone else must approve" in refused
    assert state(brief) == before
    # Another editor approves it.
    other = factories.make_user(role="Editor")
    assert approve_through(interface, client, brief, other) is None
    brief.refresh_from_db()
    assert brief.status == Status.APPROVED
    entry = BriefTransition.objects.filter(brief=brief).last()
    assert entry.created_by == other and "override" not in entry.comment.lower()


@pytest.mark.django_db
@pytest.mark.parametrize("correction", [False, True], ids=["brief", "correction"])
@pytest.mark.parametrize(
    "interface",
    [i for i in INTERFACES if i != "bulk_action"],  # no comment there
)
def test_a_superuser_overrides_with_a_recorded_reason(
    client, people, interface, correction
):
    user = people["superuser"]
    brief = submitted_by(user, correction=correction)
    reason = "The other editors are on leave; the text is a reprint."
    assert approve_through(interface, client, brief, user, comment=reason) is None
    brief.refresh_from_db()
    assert brief.status == Status.APPROVED
    entry = BriefTransition.objects.filter(brief=brief).last()
    assert (entry.action, entry.created_by) == (Action.APPROVE, user)
    assert entry.comment.startswith("Override of two pairs of eyes")
    assert entry.comment.endswith(reason)


@pytest.mark.django_db
def test_the_latest_submitter_counts_and_the_rule_can_be_turned_off(people, settings):
    editor, other = people["editor"], factories.make_user(role="Editor")
    brief = submitted_by(editor)
    transition_brief(brief, user=other, action=Action.REQUEST_CHANGES, comment="Fix.")
    transition_brief(brief, user=other, action=Action.SUBMIT)
    brief.refresh_from_db()
    # The first submitter may approve now; the one who resubmitted may not.
    assert Action.APPROVE not in available_actions(other, brief)
    assert Action.APPROVE in available_actions(editor, brief)
    settings.FOUR_EYES = False
    assert Action.APPROVE in available_actions(other, brief)
    transition_brief(brief, user=other, action=Action.APPROVE)
    brief.refresh_from_db()
    assert brief.status == Status.APPROVED
    assert BriefTransition.objects.filter(brief=brief).last().comment == ""
