"""The admin as an editor finds it: what the issue's editor trial tripped over."""

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from briefs.models import Brief, Status
from editorial.checks import BLOCKERS, blocked_briefs, run_checks
from editorial.models import BriefRevision
from editorial.revisions import record_revision
from editorial.workflow import Action, refusal, transition_brief
from tests import factories
from tests.editorial import test_admin_workflow as workflow_tests
from tests.editorial.test_admin_workflow import draft_of, form_data

people = workflow_tests.people  # the fixture: one user per role

# -- The changelist ----------------------------------------------------------------


@pytest.mark.django_db
def test_changelist_authors_column_lists_authors_only_in_credit_order(client, people):
    second = factories.make_person(name="Zora Second")
    first = factories.make_person(name="Ana First")
    factories.make_brief(
        title="Credited",
        authors=[second, first],
        researchers=[factories.make_person(name="Rade Researcher")],
    )
    client.force_login(people["editor"])
    page = client.get("/admin/briefs/brief/").content.decode()
    assert '<td class="field-author_names">Zora Second, Ana First</td>' in page
    assert "Rade Researcher" not in page


# -- History, revisions and the log -------------------------------------------------


@pytest.mark.django_db
def test_change_messages_never_name_the_edit_token(client, people):
    brief = draft_of(people["editor"])
    client.force_login(people["editor"])
    url = f"/admin/briefs/brief/{brief.pk}/change/"
    data = form_data(client.get(url))
    data["title"] = "Retitled"
    assert client.post(url, data).status_code == 302
    entry = LogEntry.objects.get(object_id=str(brief.pk))
    assert entry.get_change_message() == "Changed Title."
    assert brief.revisions.first().comment == "Changed Title."
    history = client.get(f"/admin/briefs/brief/{brief.pk}/history/").content.decode()
    assert "edit token" not in history.lower()


@pytest.mark.django_db
def test_an_unchanged_save_reports_no_change(client, people):
    brief = draft_of(people["editor"])
    client.force_login(people["editor"])
    url = f"/admin/briefs/brief/{brief.pk}/change/"
    client.post(url, form_data(client.get(url)))
    entry = LogEntry.objects.get(object_id=str(brief.pk))
    assert entry.get_change_message() == "No fields changed."


@pytest.mark.django_db
def test_revision_pages_use_the_admins_breadcrumbs(client, people):
    brief = draft_of(people["editor"])
    revision = brief.revisions.get()
    client.force_login(people["editor"])
    base = f"/admin/briefs/brief/{brief.pk}"
    for url in (
        f"{base}/revisions/compare/?a={revision.pk}",
        f"{base}/revisions/{revision.pk}/restore/",
    ):
        page = client.get(url).content.decode()
        assert '<ol class="breadcrumbs">' in page, url
        assert '<div class="breadcrumbs">' not in page, url
        assert f'<li><a href="{base}/history/">History</a></li>' in page


@pytest.mark.django_db
def test_history_with_revisions_never_says_there_is_no_history(client, people):
    brief = draft_of(people["editor"])  # made outside the admin: no admin log
    client.force_login(people["editor"])
    page = client.get(f"/admin/briefs/brief/{brief.pk}/history/").content.decode()
    assert "Revisions" in page and "Created" in page
    assert "have a change history" not in page
    assert "Admin log" not in page
    # Once the admin has logged something, the log is shown under the revisions.
    url = f"/admin/briefs/brief/{brief.pk}/change/"
    data = form_data(client.get(url))
    data["title"] = "Retitled"
    client.post(url, data)
    page = client.get(f"/admin/briefs/brief/{brief.pk}/history/").content.decode()
    assert page.index("Revisions") < page.index("Admin log")
    assert "Changed Title." in page and "1 entry" in page


@pytest.mark.django_db
def test_workflow_log_shows_labels_not_action_codes(client, people):
    brief = draft_of(people["contributor_owner"], status=Status.IN_REVIEW)
    transition_brief(
        brief, user=people["editor"], action="request_changes", comment="Cite it"
    )
    client.force_login(people["editor"])
    for url in (
        f"/admin/briefs/brief/{brief.pk}/change/",
        f"/admin/briefs/brief/{brief.pk}/history/",
    ):
        page = client.get(url).content.decode()
        assert "<td>Request changes</td>" in page, url
        assert "request_changes</td>" not in page, url


# -- Revision numbers ----------------------------------------------------------------


@pytest.mark.django_db
def test_revisions_are_numbered_per_brief(client, people):
    editor = people["editor"]
    one = draft_of(editor)
    other = draft_of(editor)
    record_revision(brief=one, user=editor, comment="Second")
    record_revision(brief=other, user=editor, comment="Second of the other")
    third = record_revision(brief=one, user=editor, comment="Third")
    assert list(one.revisions.values_list("number", flat=True)) == [3, 2, 1]
    assert list(other.revisions.values_list("number", flat=True)) == [2, 1]
    assert third.number == 3 and str(third) == f"Revision 3 of {one}"
    client.force_login(editor)
    history = client.get(f"/admin/briefs/brief/{one.pk}/history/").content.decode()
    assert 'aria-label="revision 3 as old"' in history
    compare = client.get(
        f"/admin/briefs/brief/{one.pk}/revisions/compare/?a={third.pk}"
    ).content.decode()
    assert "From <strong>revision 3 (" in compare


@pytest.mark.django_db
def test_a_correction_numbers_on_and_its_history_joins_the_brief(people):
    publisher, editor = people["publisher"], people["editor"]
    live = factories.make_brief(authors=[factories.make_person()], recommendations=1)
    record_revision(brief=live, user=editor, comment="First")
    record_revision(brief=live, user=editor, comment="Second")
    copy = transition_brief(live, user=editor, action="start_correction").brief
    assert copy.revisions.get().number == 3
    for action, user in (
        ("submit", publisher),
        ("approve", editor),
        ("publish", publisher),
    ):
        copy = transition_brief(copy, user=user, action=action).brief
    assert list(live.revisions.values_list("number", flat=True)) == [4, 3, 2, 1]


@pytest.mark.django_db
def test_a_draft_from_the_trash_is_numbered_past_the_brief_it_corrects(people):
    publisher, editor = people["publisher"], people["editor"]
    live = factories.make_brief(authors=[factories.make_person()], recommendations=1)
    record_revision(brief=live, user=editor, comment="First")
    old = transition_brief(live, user=editor, action="start_correction").brief
    transition_brief(old, user=editor, action="trash")
    # Another correction is published meanwhile: the brief's history grows.
    new = transition_brief(live, user=editor, action="start_correction").brief
    for action, user in (("submit", publisher), ("approve", editor)):
        transition_brief(new, user=user, action=action)
    transition_brief(new, user=publisher, action="publish")
    assert list(live.revisions.values_list("number", flat=True)) == [3, 2, 1]
    # The old draft's revision 2 would collide; it becomes revision 4.
    transition_brief(old, user=editor, action="untrash")
    for action, user in (("submit", publisher), ("approve", editor)):
        transition_brief(old, user=user, action=action)
    transition_brief(old, user=publisher, action="publish")
    numbers = live.revisions.order_by("-number").values_list("number", "kind")
    assert list(numbers) == [
        (5, "publication"),
        (4, "edit"),  # the old draft's
        (3, "publication"),
        (2, "edit"),
        (1, "edit"),
    ]


@pytest.mark.django_db
def test_the_migration_numbers_existing_revisions_per_brief_in_order(people):
    editor = people["editor"]
    live = factories.make_brief()
    record_revision(brief=live, user=editor, comment="Live 1")
    copy = transition_brief(live, user=editor, action="start_correction").brief
    other = draft_of(editor)
    record_revision(brief=other, user=editor, comment="Other 2")
    record_revision(brief=live, user=editor, comment="Live 2")
    # Scramble the numbers as a database from before numbering might hold them.
    for revision in BriefRevision.objects.all():
        BriefRevision.objects.filter(pk=revision.pk).update(number=1000 + revision.pk)
    migration = __import__(
        "editorial.migrations.0006_number_existing_revisions",
        fromlist=["number_revisions"],
    )
    migration.number_revisions(apps, None)

    def numbers(brief: Brief) -> list[tuple[int, str]]:
        return list(brief.revisions.order_by("id").values_list("number", "comment"))

    assert numbers(live) == [(1, "Live 1"), (2, "Live 2")]
    assert [n for n, _ in numbers(copy)] == [3]
    assert numbers(other) == [(1, "Created"), (2, "Other 2")]


# -- Actions offered and messages --------------------------------------------------


@pytest.mark.django_db
def test_a_contributor_is_not_offered_restoring_from_the_trash(client, people):
    owner = people["contributor_owner"]
    brief = draft_of(owner, deleted_at=timezone.now())
    client.force_login(owner)
    page = client.get("/admin/briefs/brief/?trash=yes").content.decode()
    assert 'value="trash_selected"' in page
    assert 'value="untrash_selected"' not in page
    # A forged POST of the action does nothing either.
    client.post(
        "/admin/briefs/brief/?trash=yes",
        {"action": "untrash_selected", "_selected_action": [brief.pk]},
    )
    brief.refresh_from_db()
    assert brief.deleted_at is not None
    client.force_login(people["editor"])
    page = client.get("/admin/briefs/brief/?trash=yes").content.decode()
    assert 'value="untrash_selected"' in page


@pytest.mark.django_db
def test_refusals_are_sentences(people):
    owner, other = people["contributor_owner"], people["contributor_other"]
    trashed = draft_of(owner, deleted_at=timezone.now())
    draft = draft_of(owner)
    assert (
        refusal(owner, trashed, Action.UNTRASH)
        == "You are not allowed to restore briefs from the trash."
    )
    assert (
        refusal(owner, draft, Action.APPROVE)
        == "You are not allowed to approve briefs."
    )
    assert (
        refusal(owner, draft, Action.START_CORRECTION)
        == "You are not allowed to start corrections of briefs."
    )
    editor_draft = draft_of(people["editor"])
    assert refusal(people["editor"], editor_draft, Action.PURGE) == (
        "Only a superuser can purge a brief."
    )
    assert (
        refusal(other, draft, Action.SUBMIT) == "You are not allowed to see this brief."
    )
    # Every refusal reads as a sentence, whatever the move.
    for action in Action:
        message = refusal(owner, trashed, action) or ""
        assert "trash briefs" not in message and "release briefs" not in message


# -- The favicon ----------------------------------------------------------------------


@pytest.mark.django_db
def test_every_admin_page_names_the_sites_favicon(client, people):
    favicon = '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">'
    login = client.get("/admin/login/").content.decode()
    assert favicon in login
    brief = draft_of(people["editor"])
    revision = brief.revisions.get()
    client.force_login(people["editor"])
    base = f"/admin/briefs/brief/{brief.pk}"
    for url in (
        "/admin/",
        "/admin/briefs/brief/",
        "/admin/briefs/brief/add/",
        f"{base}/change/",
        f"{base}/history/",
        f"{base}/delete/",
        f"{base}/revisions/compare/?a={revision.pk}",
        f"{base}/revisions/{revision.pk}/restore/",
        "/admin/actors/actor/",
        "/admin/password_change/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert favicon in response.content.decode(), url


# -- Actors sort without regard to case ------------------------------------------------


@pytest.mark.django_db
def test_actor_lists_sort_case_insensitively(client, admin_client):
    for name in ("Zagreb office", "eulex", "Albania", "kfor"):
        factories.make_actor(name=name, slug=name.split()[0].lower())
    expected = ["Albania", "eulex", "kfor", "Zagreb office"]
    page = admin_client.get("/admin/actors/actor/").content.decode()
    assert sorted(expected, key=page.index) == expected
    page = client.get("/actors/").content.decode()
    assert sorted(expected, key=page.index) == expected
    # The partner API too, by default and when asked to sort by name.
    for query, names in (("", expected), ("?ordering=-name", expected[::-1])):
        results = client.get(f"/api/v1/actors/{query}").json()["results"]
        assert [a["name"] for a in results] == names, query


# -- The dashboard: what an error-level check keeps from publication -----------------


@pytest.mark.django_db
def test_dashboard_lists_briefs_blocked_from_publishing_with_the_fix(
    client, people, django_assert_max_num_queries
):
    editor = people["editor"]
    draft_of(editor, title="No summary yet", summary="")
    draft_of(editor, title="Nobody wrote it", authors=[], status=Status.APPROVED)
    draft_of(editor, title="Ready to go")
    draft_of(editor, title="Thrown away", summary="", deleted_at=timezone.now())
    factories.make_brief(title="Already out", summary="")  # published: not blocked
    client.force_login(editor)
    with django_assert_max_num_queries(20):
        page = client.get("/admin/").content.decode()
    blocked = page[page.index('id="blocked"') :]
    blocked = blocked[: blocked.index("</div>")]
    # The approved one first: it is one click from publication.
    assert blocked.index("Nobody wrote it") < blocked.index("No summary yet")
    assert "The brief has no summary: write two or three sentences" in blocked
    assert "The brief names no author: add one under" in blocked
    assert "#id_summary" in blocked and "#contributions-group" in blocked
    for title in ("Ready to go", "Thrown away", "Already out"):
        assert title not in blocked


@pytest.mark.django_db
def test_a_contributor_sees_only_their_own_blocked_briefs(client, people):
    draft_of(people["contributor_owner"], title="Mine, no summary", summary="")
    draft_of(people["contributor_other"], title="Theirs, no summary", summary="")
    client.force_login(people["contributor_owner"])
    page = client.get("/admin/").content.decode()
    blocked = page[page.index('id="blocked"') :]
    assert "Mine, no summary" in blocked and "Theirs, no summary" not in blocked


@pytest.mark.django_db
def test_the_dashboard_says_when_nothing_is_blocked(client, people):
    client.force_login(people["editor"])
    page = client.get("/admin/").content.decode()
    assert "Nothing is blocked." in page


@pytest.mark.django_db
def test_the_dashboard_and_the_checks_agree(people):
    editor = people["editor"]
    briefs = [
        draft_of(editor, summary=""),
        draft_of(editor, summary="  "),
        draft_of(editor, authors=[]),
        draft_of(editor, researchers=[factories.make_person()], authors=[]),
        draft_of(editor),
    ]
    listed = {
        item.brief.pk: {b.check for b in item.fixes}
        for item in blocked_briefs(Brief.objects.all(), limit=10)
    }
    checks = {b.check for b in BLOCKERS}
    for brief in briefs:
        failing = {f.check for f in run_checks(brief) if f.level == "error"} & checks
        assert listed.get(brief.pk, set()) == failing, brief
