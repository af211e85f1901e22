"""The workflow in the admin: views and buttons per role, saves, conflicts, trash."""

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from briefs.importers import import_brief_file
from briefs.models import Brief, Recommendation, Status
from editorial.models import (
    BriefRevision,
    BriefTransition,
    EditPresence,
    ReviewComment,
    RevisionKind,
)
from editorial.revisions import record_revision
from editorial.sharing import create_share_link
from editorial.workflow import Action
from publishing.models import Edition
from tests import factories

ROLES = [
    "anonymous",
    "contributor_owner",
    "contributor_other",
    "editor",
    "publisher",
    "superuser",
]


@pytest.fixture
def people(db):
    return {
        "contributor_owner": factories.make_user(role="Contributor"),
        "contributor_other": factories.make_user(role="Contributor"),
        "editor": factories.make_user(role="Editor"),
        "publisher": factories.make_user(role="Publisher"),
        "superuser": factories.make_user(is_superuser=True),
    }


def client_for(client, people, role):
    if role != "anonymous":
        client.force_login(people[role])
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_data(response) -> dict:
    """The POST a browser would send for the change form as it was rendered."""
    data = {}

    def add(form, prefix_name):
        for name in form.fields:
            value = form[name].value()
            key = prefix_name(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)

    add(response.context["adminform"].form, lambda name: name)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for form in formset.forms:
            add(form, form.add_prefix)
    return data


def draft_of(owner, **overrides) -> Brief:
    fields = {
        "status": Status.DRAFT,
        "created_by": owner,
        "authors": [factories.make_person()],
        "recommendations": 1,
        "title": "Owner's draft",
    }
    fields.update(overrides)
    brief = factories.make_brief(**fields)
    record_revision(brief=brief, user=owner, comment="Created")
    return brief


# -- Every role against every admin view of a brief --------------------------

VIEWS = ["change", "history", "compare", "restore", "preview", "delete"]
ALLOWED = {
    "anonymous": set(),
    "contributor_owner": set(VIEWS),
    "contributor_other": set(),
    "editor": set(VIEWS),
    "publisher": set(VIEWS),
    "superuser": set(VIEWS),
}


def hit(client, view: str, brief: Brief, revision: BriefRevision):
    base = f"/admin/briefs/brief/{brief.pk}"
    return {
        "change": lambda: client.get(f"{base}/change/"),
        "history": lambda: client.get(f"{base}/history/"),
        "compare": lambda: client.get(f"{base}/revisions/compare/?a={revision.pk}"),
        "restore": lambda: client.post(f"{base}/revisions/{revision.pk}/restore/"),
        "preview": lambda: client.get(f"{base}/preview/"),
        "delete": lambda: client.post(f"{base}/delete/", {"post": "yes"}),
    }[view]()


def fingerprint(brief: Brief) -> tuple:
    return (
        Brief.objects.filter(pk=brief.pk).values().first(),
        BriefRevision.objects.filter(brief=brief).count(),
        BriefTransition.objects.filter(brief=brief).count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_against_every_admin_view(client, people, role, view):
    brief = draft_of(people["contributor_owner"], title="Secret plan for Tirana")
    revision = brief.revisions.get()
    before = fingerprint(brief)
    response = hit(client_for(client, people, role), view, brief, revision)
    if view in ALLOWED[role]:
        if view in {"restore", "delete"}:
            assert response.status_code == 302
            brief.refresh_from_db()
            if view == "restore":
                assert brief.revisions.first().kind == RevisionKind.RESTORE
            else:
                assert brief.deleted_at is not None
        else:
            assert response.status_code == 200
            assert "Secret plan for Tirana" in response.content.decode()
    else:
        assert response.status_code in {302, 403, 404}
        if response.status_code == 302:
            # To the login page, or to the admin index saying it does not exist.
            location = response["Location"]
            assert location == "/admin/" or location.startswith("/admin/login/")
        assert "Secret plan for Tirana" not in response.content.decode()
        assert fingerprint(brief) == before


@pytest.mark.django_db
@pytest.mark.parametrize("view", VIEWS)
def test_guessing_ids_reveals_nothing(client, people, view):
    """A contributor probing ids sees the same for others' briefs and missing ones."""
    others = draft_of(people["contributor_other"], title="Not yours")
    revision = others.revisions.get()
    client.force_login(people["contributor_owner"])
    missing = Brief(pk=others.pk + 10_000)
    answers = [hit(client, view, b, revision).status_code for b in (others, missing)]
    assert answers[0] == answers[1] and answers[0] in {302, 404}
    changelist = client.get("/admin/briefs/brief/").content.decode()
    assert "Not yours" not in changelist


# -- Every admin URL of a brief and its parts, for a brief one may not see ------


def _brief_admins() -> list:
    """The brief's admin and the admins of its parts, from the admin registry."""
    from editorial.admin import BriefAdmin, BriefPartAdmin

    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, BriefAdmin | BriefPartAdmin)
    ]


def _object_urls() -> list:
    """(model, URL template) for every admin URL pattern that names one object.

    Read from the admins' get_urls() and the site's, so that a URL added
    later is walked too; a new URL parameter fails the test until the test
    knows how to fill it.
    """
    site_patterns = [
        p for p in admin.site.get_urls() if "object_id" in p.pattern.converters
    ]
    cases = []
    for model, model_admin in _brief_admins():
        prefix = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        cases += [
            (model, prefix + str(p.pattern))
            for p in model_admin.get_urls()
            if "object_id" in p.pattern.converters
        ]
        cases += [(model, "/admin/" + str(p.pattern)) for p in site_patterns]
    return cases


OBJECT_URLS = _object_urls()


def _fill(template: str, values: dict) -> str:
    def value(match):
        name = match.group(1)
        if name not in values:
            pytest.fail(f"Teach this test how to fill <{name}> in {template}")
        return str(values[name])

    return re.sub(r"<(?:\w+:)?(\w+)>", value, template)


def _answer(user, method: str, url: str, hidden: list[str], pk: int) -> tuple:
    """What a response tells: status, where to, messages (with the id masked)."""
    client = Client()  # no messages left over from the previous request
    client.force_login(user)
    if method == "GET":
        response = client.get(url)
    else:
        # A forged POST that would change things if it were let through.
        response = client.post(
            url,
            {"post": "yes", "comment": "x", "public_note": "x", "body": "x"},
        )
    text = response.content.decode() + response.get("Location", "")
    text += " ".join(messages_of(response))
    for secret in hidden:
        assert secret not in text, (method, url)

    def mask(value: str) -> str:
        return re.sub(rf"\b{pk}\b", "PK", value)

    return (
        response.status_code,
        mask(response.get("Location", "")),
        [mask(m) for m in messages_of(response)],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    ("model", "template"),
    OBJECT_URLS,
    ids=[f"{m._meta.model_name}:{t}" for m, t in OBJECT_URLS],
)
def test_every_admin_url_answers_for_an_unseen_brief_as_for_a_missing_one(
    people, model, template, method
):
    others = draft_of(
        people["contributor_other"],
        title="Secret plan for Tirana",
        slug="secret-plan-for-tirana",
        actors=[factories.make_actor()],
        agreements=[factories.make_agreement()],
    )
    revision = others.revisions.get()
    comment = ReviewComment.objects.create(brief=others, body="Tighten this.")
    link, _token = create_share_link(brief=others, user=people["contributor_other"])
    target = (
        others
        if model is Brief
        else model.objects.filter(brief=others).order_by("pk").first()
    )
    assert target is not None, f"make the brief a {model._meta.verbose_name}"
    missing_pk = (model.objects.order_by("-pk").values_list("pk", flat=True)[0]) + 1000
    hidden = [others.title, others.slug, str(target)]
    before = fingerprint(others)
    content_type = ContentType.objects.get_for_model(model).pk
    answers = []
    for pk in (target.pk, missing_pk):
        actions = [a.value for a in Action] if "<slug:action>" in template else [""]
        answers.append(
            [
                _answer(
                    people["contributor_owner"],
                    method,
                    _fill(
                        template,
                        {
                            "object_id": pk,
                            "action": action,
                            "revision_id": revision.pk,
                            "comment_id": comment.pk,
                            "link_id": link.pk,
                            "content_type_id": content_type,
                        },
                    ),
                    hidden,
                    pk,
                )
                for action in actions
            ]
        )
    assert answers[0] == answers[1]
    assert fingerprint(others) == before


AUTOCOMPLETES = [
    (model, field)
    for model, model_admin in admin.site._registry.items()
    for field in model_admin.autocomplete_fields
    if model._meta.get_field(field).related_model in {m for m, _ in _brief_admins()}
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "field"),
    AUTOCOMPLETES,
    ids=[f"{m._meta.model_name}.{f}" for m, f in AUTOCOMPLETES],
)
def test_autocomplete_offers_no_unseen_brief(client, people, model, field):
    others = draft_of(people["contributor_other"], title="Secret plan for Tirana")
    mine = draft_of(people["contributor_owner"], title="Secret plan, mine")
    client.force_login(people["contributor_owner"])

    def search(term: str) -> dict:
        response = client.get(
            "/admin/autocomplete/",
            {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field,
                "term": term,
            },
        )
        assert response.status_code == 200
        assert others.slug not in response.content.decode()
        return response.json()

    related = model._meta.get_field(field).related_model
    if related is Brief:
        found = {r["id"] for r in search("Secret plan")["results"]}
        assert found == {str(mine.pk)}
    assert search("Secret plan for Tirana") == search("No such title anywhere")


@pytest.mark.django_db
def test_view_on_site_goes_only_to_public_briefs_one_may_see(client, people):
    content_type = ContentType.objects.get_for_model(Brief).pk
    own = draft_of(people["contributor_owner"])
    live = factories.make_brief(created_by=people["contributor_owner"])
    client.force_login(people["contributor_owner"])
    response = client.get(f"/admin/r/{content_type}/{live.pk}/")
    assert response.status_code == 302
    assert response["Location"] == live.get_absolute_url()
    # Not public yet: no public address to go to, for its owner either.
    assert client.get(f"/admin/r/{content_type}/{own.pk}/").status_code == 404
    assert client.get(f"/admin/r/{content_type}/x/").status_code == 404
    assert client.get(f"/admin/r/nope/{own.pk}/").status_code == 404
    client.force_login(people["editor"])
    assert client.get(f"/admin/r/{content_type}/{live.pk}/").status_code == 302
    assert client.get(f"/admin/r/{content_type}/{own.pk}/").status_code == 404


@pytest.mark.django_db
def test_nobody_edits_a_published_brief_in_place(client, people):
    live = factories.make_brief(
        title="Live brief", created_by=people["editor"], recommendations=1
    )
    revision = record_revision(brief=live, user=people["editor"])
    for role in ["editor", "publisher", "superuser"]:
        client.force_login(people[role])
        page = client.get(f"/admin/briefs/brief/{live.pk}/change/")
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()  # view-only
        # Its inline parts are read-only too, not inputs that cannot be saved.
        assert "Recommendation 1" in page.content.decode()
        assert 'name="recommendations-0-title"' not in page.content.decode()
        assert client.post(
            f"/admin/briefs/brief/{live.pk}/change/", {}
        ).status_code == (403)
        restore = f"/admin/briefs/brief/{live.pk}/revisions/{revision.pk}/restore/"
        assert client.post(restore).status_code == 403
        assert client.post(
            f"/admin/briefs/brief/{live.pk}/delete/", {"post": "yes"}
        ).status_code == (403)
    live.refresh_from_db()
    assert live.deleted_at is None and live.title == "Live brief"


@pytest.mark.django_db
def test_the_parts_of_a_published_brief_are_frozen_everywhere(client, people):
    live = factories.make_brief(recommendations=1)
    recommendation = Recommendation.objects.get(brief=live)
    client.force_login(people["superuser"])
    url = f"/admin/briefs/recommendation/{recommendation.pk}/change/"
    assert client.post(url, {"title": "Changed"}).status_code == 403
    response = client.post(
        "/admin/briefs/recommendation/add/",
        {"brief": live.pk, "order": 2, "title": "Sneaked in", "body": "x"},
    )
    assert response.status_code == 200  # the form refuses this brief
    assert not Recommendation.objects.filter(title="Sneaked in").exists()


@pytest.mark.django_db
def test_editing_a_part_on_its_own_page_records_a_revision(client, people):
    brief = draft_of(people["editor"])
    recommendation = Recommendation.objects.get(brief=brief)
    client.force_login(people["editor"])
    url = f"/admin/briefs/recommendation/{recommendation.pk}/change/"
    data = form_data(client.get(url))
    data["title"] = "Sharper"
    assert client.post(url, data).status_code == 302
    latest = brief.revisions.first()
    assert latest.content["recommendations"][0]["title"] == "Sharper"
    assert latest.created_by == people["editor"]


# -- Buttons on the change page ------------------------------------------------


@pytest.mark.django_db
def test_each_role_sees_its_own_buttons(client, people):
    brief = draft_of(people["contributor_owner"], status=Status.IN_REVIEW)
    expected = {
        "contributor_owner": set(),
        "editor": {"request_changes", "approve"},
        "publisher": set(),
        "superuser": {"request_changes", "approve"},
    }
    for role, actions in expected.items():
        client.force_login(people[role])
        page = client.get(f"/admin/briefs/brief/{brief.pk}/change/").content.decode()
        found = set(
            re.findall(rf"/admin/briefs/brief/{brief.pk}/workflow/(\w+)/", page)
        )
        assert found == actions, role


@pytest.mark.django_db
def test_a_forged_post_is_refused_with_a_message_and_changes_nothing(client, people):
    brief = draft_of(people["contributor_owner"], status=Status.IN_REVIEW)
    before = fingerprint(brief)
    client.force_login(people["contributor_owner"])
    response = client.post(f"/admin/briefs/brief/{brief.pk}/workflow/approve/")
    assert response.status_code == 302
    assert messages_of(response)[-1] == "You are not allowed to approve briefs."
    assert fingerprint(brief) == before
    client.force_login(people["contributor_other"])
    response = client.post(f"/admin/briefs/brief/{brief.pk}/workflow/submit/")
    assert response.status_code == 404
    assert fingerprint(brief) == before
    client.force_login(people["editor"])
    assert client.get(
        f"/admin/briefs/brief/{brief.pk}/workflow/approve/"
    ).status_code == (405)
    response = client.post(
        f"/admin/briefs/brief/{brief.pk}/workflow/approve/",
        {"publish_at": "not a date"},
    )
    assert "Nothing was done" in messages_of(response)[-1]
    assert fingerprint(brief) == before


@pytest.mark.django_db
def test_a_button_pressed_on_a_stale_page_does_nothing(client, people):
    brief = draft_of(people["contributor_owner"], status=Status.IN_REVIEW)
    client.force_login(people["editor"])
    url = f"/admin/briefs/brief/{brief.pk}/workflow/"
    client.post(url + "approve/", {"expected_status": "in_review"})
    response = client.post(
        url + "request_changes/",
        {"expected_status": "in_review", "comment": "Wait."},
    )
    assert "changed while you were looking" in messages_of(response)[-1]
    brief.refresh_from_db()
    assert brief.status == Status.APPROVED


@pytest.mark.django_db
def test_review_comments_are_left_by_editors_and_seen_by_the_author(client, people):
    owner = people["contributor_owner"]
    brief = draft_of(owner, status=Status.IN_REVIEW)
    client.force_login(people["editor"])
    client.post(
        f"/admin/briefs/brief/{brief.pk}/comment/",
        {"body": "Please <b>cite</b> the source."},
    )
    client.force_login(owner)
    page = client.get(f"/admin/briefs/brief/{brief.pk}/change/").content.decode()
    assert "Please &lt;b&gt;cite&lt;/b&gt; the source." in page
    client.force_login(people["contributor_other"])
    response = client.post(f"/admin/briefs/brief/{brief.pk}/comment/", {"body": "Hi"})
    assert response.status_code == 404
    assert brief.review_comments.count() == 1


@pytest.mark.django_db
def test_the_log_is_shown_on_the_brief_page(client, people):
    brief = draft_of(people["contributor_owner"])
    client.force_login(people["contributor_owner"])
    client.post(
        f"/admin/briefs/brief/{brief.pk}/workflow/submit/", {"comment": "Ready now"}
    )
    page = client.get(f"/admin/briefs/brief/{brief.pk}/change/").content.decode()
    log = page[page.index('id="workflow-log"') :]
    assert people["contributor_owner"].username in log
    assert "Draft" in log and "In review" in log and "Ready now" in log


# -- Saving: revisions, conflicts, nothing lost -------------------------------


@pytest.mark.django_db
def test_every_admin_save_records_a_revision_with_the_whole_content(client, people):
    brief = draft_of(people["editor"])
    client.force_login(people["editor"])
    url = f"/admin/briefs/brief/{brief.pk}/change/"
    data = form_data(client.get(url))
    data["title"] = "Retitled"
    data["recommendations-0-title"] = "Rewritten recommendation"
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    revision = brief.revisions.first()
    assert revision.kind == RevisionKind.EDIT
    assert revision.created_by == people["editor"]
    assert revision.content["fields"]["title"] == "Retitled"
    assert revision.content["recommendations"][0]["title"] == "Rewritten recommendation"
    assert "Title" in revision.comment or "title" in revision.comment.lower()


@pytest.mark.django_db
def test_creating_a_brief_in_the_admin_makes_it_yours_with_a_first_revision(
    client, people
):
    owner = people["contributor_owner"]
    client.force_login(owner)
    data = form_data(client.get("/admin/briefs/brief/add/"))
    data.update({"title": "New brief", "slug": "new-brief", "body": "## One\n\nText"})
    assert client.post("/admin/briefs/brief/add/", data).status_code == 302
    brief = Brief.objects.get(slug="new-brief")
    assert brief.created_by == owner and brief.status == Status.DRAFT
    assert brief.revisions.get().comment == "Created in the admin."


@pytest.mark.django_db
def test_the_second_of_two_concurrent_saves_is_kept_not_applied(client, people):
    brief = draft_of(people["editor"])
    first, second = client, type(client)()
    first.force_login(people["editor"])
    second.force_login(people["publisher"])
    url = f"/admin/briefs/brief/{brief.pk}/change/"
    form_a = form_data(first.get(url))
    form_b = form_data(second.get(url))  # both loaded before any save

    form_a["title"] = "Edit A"
    assert first.post(url, form_a).status_code == 302
    form_b["title"] = "Edit B"
    form_b["summary"] = "Summary B"
    response = second.post(url, form_b)

    assert response.status_code == 302
    [message] = messages_of(response)
    assert message.startswith("Your changes were not applied: somebody else saved")
    brief.refresh_from_db()
    assert brief.title == "Edit A"  # the first save stands
    conflict = brief.revisions.get(kind=RevisionKind.CONFLICT)
    assert conflict.content["fields"]["title"] == "Edit B"  # the second is kept
    assert conflict.content["fields"]["summary"] == "Summary B"
    assert conflict.created_by == people["publisher"]
    compare = re.search(r'href="([^"]+/revisions/compare/[^"]+)"', message).group(1)
    diff = second.get(compare.replace("&amp;", "&")).content.decode()
    assert "Edit <del>A</del><ins>B</ins>" in diff
    # A conflicting edit does not move the token: the loser's next form is current.
    form_c = form_data(second.get(url))
    form_c["title"] = "Edit C"
    assert second.post(url, form_c).status_code == 302
    brief.refresh_from_db()
    assert brief.title == "Edit C"


@pytest.mark.django_db
def test_a_stale_form_that_fails_validation_warns_before_saving(client, people):
    brief = draft_of(people["editor"])
    client.force_login(people["editor"])
    url = f"/admin/briefs/brief/{brief.pk}/change/"
    data = form_data(client.get(url))
    record_revision(brief=brief, user=people["publisher"], comment="Meanwhile")
    data["title"] = ""
    page = client.post(url, data).content.decode()
    assert "Somebody saved this brief after you opened this form" in page


@pytest.mark.django_db
def test_an_edit_to_a_brief_that_was_approved_meanwhile_is_kept(client, people):
    brief = draft_of(people["editor"], status=Status.IN_REVIEW)
    client.force_login(people["editor"])
    url = f"/admin/briefs/brief/{brief.pk}/change/"
    data = form_data(client.get(url))
    Brief.objects.filter(pk=brief.pk).update(status=Status.APPROVED)
    data["title"] = "Late fix"
    response = client.post(url, data)
    assert response.status_code == 302
    assert "it is now approved" in messages_of(response)[-1]
    brief.refresh_from_db()
    assert brief.title == "Owner's draft" and brief.status == Status.APPROVED
    assert brief.revisions.get(kind=RevisionKind.CONFLICT).content["fields"][
        "title"
    ] == ("Late fix")


@pytest.mark.django_db
def test_others_see_who_is_editing_and_since_when(client, people):
    brief = draft_of(people["editor"])
    people["publisher"].first_name, people["publisher"].last_name = "Pia", "Publisher"
    people["publisher"].save()
    url = f"/admin/briefs/brief/{brief.pk}/change/"
    client.force_login(people["publisher"])
    client.get(url)
    # Opening the form is not editing; the first keystroke's ping is.
    assert not EditPresence.objects.filter(brief=brief).exists()
    client.post(f"/admin/briefs/brief/{brief.pk}/presence/", {"state": "editing"})
    since = timezone.localtime(EditPresence.objects.get(brief=brief).started_at)
    client.force_login(people["editor"])
    page = client.get(url).content.decode()
    assert (
        "<strong>Pia Publisher</strong> has been editing this brief since "
        f"{since:%H:%M}" in page
    )
    # Ten minutes without a ping and the notice goes.
    EditPresence.objects.filter(user=people["publisher"]).update(
        last_seen=timezone.now() - datetime.timedelta(minutes=11)
    )
    assert "has been editing" not in client.get(url).content.decode()


# -- Revisions in the admin -----------------------------------------------------


@pytest.mark.django_db
def test_history_lists_revisions_and_compare_shows_a_readable_diff(client, people):
    brief = draft_of(
        people["editor"], body="## Forces\n\n| A | B |\n|---|---|\n| 1 | 2 |"
    )
    old = brief.revisions.get()
    brief.body = "## Forces\n\n| A | B |\n|---|---|\n| 1 | 3 |"
    brief.save()
    new = record_revision(brief=brief, user=people["editor"], comment="Fixed B")
    client.force_login(people["editor"])
    history = client.get(f"/admin/briefs/brief/{brief.pk}/history/").content.decode()
    assert "Fixed B" in history and f"/revisions/{old.pk}/restore/" in history
    diff = client.get(
        f"/admin/briefs/brief/{brief.pk}/revisions/compare/?a={old.pk}&b={new.pk}"
    ).content.decode()
    assert "Table 1 under “Forces”, row 1, column “B”" in diff
    assert "<del>2</del><ins>3</ins>" in diff
    bad = client.get(f"/admin/briefs/brief/{brief.pk}/revisions/compare/?a=x")
    assert bad.status_code == 400
    other = draft_of(people["editor"]).revisions.get()
    foreign = client.get(
        f"/admin/briefs/brief/{brief.pk}/revisions/compare/?a={other.pk}"
    )
    assert foreign.status_code == 404


@pytest.mark.django_db
def test_restore_in_the_admin_confirms_then_creates_a_revision(client, people):
    brief = draft_of(people["editor"])
    old = brief.revisions.get()
    Brief.objects.filter(pk=brief.pk).update(title="Later title")
    client.force_login(people["editor"])
    url = f"/admin/briefs/brief/{brief.pk}/revisions/{old.pk}/restore/"
    confirm = client.get(url).content.decode()
    assert "<del>Later</del><ins>Owner&#x27;s</ins>" in confirm
    response = client.post(url)
    assert response.status_code == 302
    brief.refresh_from_db()
    assert brief.title == "Owner's draft"
    assert brief.revisions.count() == 2


# -- Preview ---------------------------------------------------------------------


@pytest.mark.django_db
def test_preview_renders_the_public_page_privately(client, people):
    brief = draft_of(people["contributor_owner"], body="## Tirana\n\nThe text.")
    client.force_login(people["contributor_owner"])
    response = client.get(f"/admin/briefs/brief/{brief.pk}/preview/")
    page = response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "Preview — not published." in page
    # The public page is prepared from the same templates (publishing/pages.py).
    used = [t.name for t in response.templates]
    assert "briefs/brief_detail.html" in used
    assert "briefs/_brief_article.html" in used
    assert '<h2 id="tirana">Tirana</h2>' in page
    assert client.get(brief.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_preview_is_for_staff_with_change_permission_only(client, people):
    brief = draft_of(people["contributor_owner"])
    url = f"/admin/briefs/brief/{brief.pk}/preview/"
    viewer = factories.make_user()
    viewer.user_permissions.add(
        *__import__(
            "django.contrib.auth.models", fromlist=["Permission"]
        ).Permission.objects.filter(codename__in=["view_brief", "edit_any_brief"])
    )
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    not_staff = factories.make_user(role="Editor", is_staff=False)
    client.force_login(not_staff)
    assert client.get(url)["Location"].startswith("/admin/login/")


# -- Trash -------------------------------------------------------------------------


@pytest.mark.django_db
def test_delete_moves_to_the_trash_and_an_editor_restores(client, people):
    brief = draft_of(people["contributor_owner"], title="Trashable")
    client.force_login(people["contributor_owner"])
    confirm = client.get(f"/admin/briefs/brief/{brief.pk}/delete/").content.decode()
    assert "Move the brief “Trashable” to the trash?" in confirm
    client.post(f"/admin/briefs/brief/{brief.pk}/delete/", {"post": "yes"})
    change_link = f"/admin/briefs/brief/{brief.pk}/change/"
    assert change_link not in client.get("/admin/briefs/brief/").content.decode()

    client.force_login(people["editor"])
    trash = client.get("/admin/briefs/brief/?trash=yes").content.decode()
    assert change_link in trash
    response = client.post(
        "/admin/briefs/brief/?trash=yes",
        {"action": "untrash_selected", "_selected_action": [brief.pk]},
    )
    assert response.status_code == 302
    brief.refresh_from_db()
    assert brief.deleted_at is None
    assert brief.revisions.count() == 1  # history intact
    assert list(brief.transitions.values_list("action", flat=True)) == [
        "trash",
        "untrash",
    ]


@pytest.mark.django_db
def test_only_a_superuser_can_purge(client, people):
    brief = draft_of(people["editor"], deleted_at=timezone.now())
    client.force_login(people["editor"])
    actions = client.get("/admin/briefs/brief/?trash=yes").content.decode()
    assert "purge_selected" not in actions and "delete_selected" not in actions
    client.post(
        "/admin/briefs/brief/?trash=yes",
        {"action": "purge_selected", "_selected_action": [brief.pk]},
    )
    client.post(f"/admin/briefs/brief/{brief.pk}/workflow/purge/")
    assert Brief.objects.filter(pk=brief.pk).exists()
    client.force_login(people["superuser"])
    client.post(
        "/admin/briefs/brief/?trash=yes",
        {"action": "purge_selected", "_selected_action": [brief.pk]},
    )
    assert not Brief.objects.filter(pk=brief.pk).exists()


@pytest.mark.django_db
def test_bulk_actions_go_through_the_checker_and_log(client, people):
    mine = draft_of(people["editor"])
    approved = draft_of(people["editor"], status=Status.APPROVED)
    client.force_login(people["editor"])
    response = client.post(
        "/admin/briefs/brief/",
        {"action": "submit_selected", "_selected_action": [mine.pk, approved.pk]},
    )
    notes = messages_of(response)
    assert "Submit for review: done for 1 brief." in notes
    assert any("approved, so it cannot be submitted" in n for n in notes)
    assert BriefTransition.objects.get(brief=mine).created_by == people["editor"]
    # An action the user lacks is not offered and a forged one does nothing.
    client.post(
        "/admin/briefs/brief/",
        {"action": "publish_selected", "_selected_action": [approved.pk]},
    )
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


# -- Dashboard -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_index_shows_each_user_their_work(
    client, people, django_assert_max_num_queries
):
    owner = people["contributor_owner"]
    draft_of(owner, title="My own draft")
    draft_of(owner, title="Sent back to me", status=Status.CHANGES_REQUESTED)
    draft_of(owner, title="Waiting for review", status=Status.IN_REVIEW)
    draft_of(people["contributor_other"], title="Someone else's draft")
    factories.make_brief(
        title="Coming Monday",
        published_at=timezone.now() + datetime.timedelta(days=3),
    )
    factories.make_brief(title="Out last week")

    client.force_login(owner)
    page = client.get("/admin/").content.decode()
    dashboard = page[page.index('id="dashboard"') :]
    assert "My own draft" in dashboard and "Sent back to me" in dashboard
    assert "Someone else&#x27;s draft" not in dashboard
    assert "Awaiting my review" not in dashboard
    assert "Out last week" not in dashboard  # contributors see only their own

    client.force_login(people["editor"])
    with django_assert_max_num_queries(20):
        page = client.get("/admin/").content.decode()
    dashboard = page[page.index('id="dashboard"') :]
    review = dashboard[dashboard.index("Awaiting my review") :]
    assert "Waiting for review" in review
    scheduled = dashboard[dashboard.index("Scheduled releases") :]
    assert "Coming Monday" in scheduled
    recent = dashboard[dashboard.index("Recently published") :]
    assert "Out last week" in recent and "Coming Monday" not in recent

    client.force_login(people["publisher"])
    page = client.get("/admin/").content.decode()
    assert "Approved, ready to publish" in page


# -- The whole path, on the seed brief, through the admin only -----------------


@pytest.mark.django_db
def test_the_seed_brief_goes_from_import_to_a_scheduled_release_and_a_correction(
    client, people, seed_path
):
    # The seed file comes in as a draft through the importer (with a revision).
    brief = import_brief_file(seed_path, slug="balkans-alliances").brief
    assert brief.status == Status.DRAFT and brief.revisions.count() == 1
    page_url = "/briefs/balkans-alliances/"

    # An editor adds the summary in the admin and submits it for review.
    editor = people["editor"]
    client.force_login(editor)
    url = f"/admin/briefs/brief/{brief.pk}/change/"
    data = form_data(client.get(url))
    data["summary"] = "Whether new military blocs make the Western Balkans safer."
    assert client.post(url, data).status_code == 302
    assert brief.revisions.first().created_by == editor
    client.post(f"/admin/briefs/brief/{brief.pk}/workflow/submit/")

    # A second editor asks for a change, the first answers, it is approved.
    reviewer = factories.make_user(role="Editor")
    client.force_login(reviewer)
    client.post(
        f"/admin/briefs/brief/{brief.pk}/comment/", {"body": "Name the signatories."}
    )
    client.post(
        f"/admin/briefs/brief/{brief.pk}/workflow/request_changes/",
        {"comment": "See my comment.", "expected_status": "in_review"},
    )
    client.force_login(editor)
    assert "Name the signatories." in client.get(url).content.decode()
    client.post(f"/admin/briefs/brief/{brief.pk}/workflow/submit/")
    client.force_login(reviewer)
    client.post(
        f"/admin/briefs/brief/{brief.pk}/workflow/approve/",
        {"expected_status": "in_review"},
    )

    # A publisher schedules it; it is not public until its time.
    client.force_login(people["publisher"])
    release = timezone.localtime() + datetime.timedelta(days=1)
    client.post(
        f"/admin/briefs/brief/{brief.pk}/workflow/publish/",
        {"publish_at": release.strftime("%Y-%m-%dT%H:%M")},
    )
    brief.refresh_from_db()
    assert brief.is_scheduled, list(brief.transitions.values_list("comment", flat=True))
    assert client.get(page_url).status_code == 404
    # The release time passes (moved back instead of waiting); nothing has to run.
    past = timezone.now() - datetime.timedelta(minutes=1)
    Brief.objects.filter(pk=brief.pk).update(published_at=past)
    Edition.objects.filter(brief=brief).update(released_at=past)
    assert client.get(page_url).status_code == 200

    # Later, an editor prepares a correction; the public page does not move.
    client.force_login(editor)
    response = client.post(f"/admin/briefs/brief/{brief.pk}/workflow/start_correction/")
    copy = Brief.objects.get(draft_of=brief)
    assert response["Location"] == f"/admin/briefs/brief/{copy.pk}/change/"
    assert "A correction draft exists: edit it" in client.get(url).content.decode()
    copy_url = f"/admin/briefs/brief/{copy.pk}/change/"
    data = form_data(client.get(copy_url))
    assert "March 18, 2025" in data["body"]
    data["body"] = data["body"].replace("March 18, 2025", "18 March 2025", 1)
    assert client.post(copy_url, data).status_code == 302
    assert "18 March 2025" not in client.get(page_url).content.decode()
    client.post(f"/admin/briefs/brief/{copy.pk}/workflow/submit/")
    client.force_login(reviewer)
    client.post(f"/admin/briefs/brief/{copy.pk}/workflow/approve/")
    client.force_login(people["publisher"])
    client.post(
        f"/admin/briefs/brief/{copy.pk}/workflow/publish/",
        {"public_note": "Corrected the date format of the Tirana declaration."},
    )

    public = client.get(page_url).content.decode()
    assert "18 March 2025" in public
    assert "Corrected the date format of the Tirana declaration." in public
    brief.refresh_from_db()
    assert brief.version == 2 and brief.status == Status.PUBLISHED
    assert list(brief.transitions.values_list("action", flat=True)) == [
        "submit",
        "request_changes",
        "submit",
        "approve",
        "publish",
        "start_correction",
        "submit",
        "approve",
        "publish",
    ]
    diff = client.get(
        f"/admin/briefs/brief/{brief.pk}/revisions/compare/"
        f"?a={brief.revisions.last().pk}&b=current"
    ).content.decode()
    changed = re.findall(r"<(?:del|ins)>[^<]*</(?:del|ins)>", diff)
    assert "<ins>18 </ins>" in changed and "<del> 18,</del>" in changed, changed


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 5])
def test_the_dashboard_costs_the_same_for_1_or_5_briefs_per_list(
    client, people, django_assert_max_num_queries, rows
):
    editor = people["editor"]
    for _ in range(rows):
        draft_of(editor)
        draft_of(editor, status=Status.CHANGES_REQUESTED)
        draft_of(editor, status=Status.IN_REVIEW)
        draft_of(editor, status=Status.APPROVED)
        factories.make_brief(published_at=timezone.now() + datetime.timedelta(days=1))
        factories.make_brief()
    client.force_login(people["superuser"])
    # Session, user, then one query per list, one for the briefs blocked from
    # publishing, one for the recommendations due for re-assessment and one
    # for the stale translations: the bound holds for 1 and 5 rows.
    with django_assert_max_num_queries(12):
        response = client.get("/admin/")
    assert response.status_code == 200
    assert len(response.context["dashboard"]) == 6
