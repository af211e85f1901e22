"""Stable publication: the public page changes only when a new version is published."""

import datetime
import re
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from briefs.models import Brief, Correction, Recommendation, Status
from editorial.models import BriefRevision, BriefTransition, ReviewComment
from editorial.revisions import record_revision, snapshot_brief
from editorial.workflow import TransitionError, add_review_comment, transition_brief
from tests import factories


@pytest.fixture
def staff(db):
    return {
        "editor": factories.make_user(role="Editor"),
        # Two pairs of eyes: whoever submits a correction may not approve it.
        "reviewer": factories.make_user(role="Editor"),
        "publisher": factories.make_user(role="Publisher"),
        "superuser": factories.make_user(is_superuser=True),
    }


@pytest.fixture
def live(db):
    actor = factories.make_actor(name="Albania")
    person = factories.make_person(name="Ana Author")
    brief = factories.make_brief(
        slug="balkan-alliances",
        title="Balkan alliances",
        body="## Tirana\n\nSigned on 18 March 2025 in Tirana.",
        authors=[person],
        actors=[actor],
        agreements=[factories.make_agreement()],
        topics=[factories.make_topic(slug="security")],
        recommendations=1,
    )
    Recommendation.objects.get(brief=brief).addressees.set([actor])
    return brief


def public_surfaces(brief: Brief) -> list[str]:
    """Every public page on which `brief` could appear (cards or its own page)."""
    person = brief.contributions.first().person
    actor = brief.actor_links.first().actor
    agreement = brief.agreement_links.first().agreement
    return [
        "/",
        "/briefs/",
        f"/people/{person.slug}/",
        f"/topics/{brief.topics.first().slug}/",
        f"/actors/{actor.slug}/",
        f"/agreements/{agreement.slug}/",
    ]


def shown_anywhere(client, brief: Brief, text: str) -> list[str]:
    return [
        url
        for url in public_surfaces(brief)
        if text in client.get(url).content.decode()
    ]


def publish_copy(copy: Brief, staff: dict, note: str = "") -> Brief:
    transition_brief(copy, user=staff["editor"], action="submit")
    transition_brief(copy, user=staff["reviewer"], action="approve")
    return transition_brief(
        copy, user=staff["publisher"], action="publish", public_note=note
    ).brief


def test_a_correction_is_prepared_on_a_copy_and_published_onto_the_live_brief(
    client, live, staff
):
    copy = transition_brief(live, user=staff["editor"], action="start_correction").brief
    assert copy.draft_of == live and copy.status == Status.DRAFT
    assert copy.slug == "balkan-alliances--draft-1"
    expected = snapshot_brief(live)
    expected["fields"]["slug"] = copy.slug
    assert snapshot_brief(copy) == expected

    copy.body = "## Tirana\n\nSigned on 18 March 2025 in the Albanian capital."
    copy.save()
    Recommendation.objects.filter(brief=copy).update(title="Talk first")
    add_review_comment(brief=copy, user=staff["editor"], body="Looks right.")

    # The public site still serves version 1, and nothing of the copy.
    page = client.get("/briefs/balkan-alliances/").content.decode()
    assert "in Tirana." in page and "Albanian capital" not in page
    assert "Recommendation 1" in page and "Talk first" not in page
    assert client.get(f"/briefs/{copy.slug}/").status_code == 404
    assert shown_anywhere(client, live, copy.slug) == []
    assert list(Brief.objects.published()) == [live]

    published = publish_copy(
        copy, staff, note="Corrected where the declaration was signed."
    )

    assert published == live
    live.refresh_from_db()
    assert live.version == 2 and live.status == Status.PUBLISHED
    assert not Brief.objects.filter(pk=copy.pk).exists()
    page = client.get("/briefs/balkan-alliances/").content.decode()
    assert "Albanian capital" in page and "Talk first" in page
    today = timezone.localdate().isoformat()
    assert (
        f'Updated <time datetime="{today}">{today}</time></strong>: '
        "Corrected where the declaration was signed." in page
    )
    # Who wrote and reviewed the correction stays on the record of the brief.
    assert ReviewComment.objects.filter(brief=live, body="Looks right.").exists()
    assert list(
        BriefTransition.objects.filter(brief=live).values_list("action", flat=True)
    ) == ["start_correction", "submit", "approve", "publish"]
    assert BriefRevision.objects.filter(brief=live).first().comment == (
        "Version 2 published: Corrected where the declaration was signed."
    )


def test_correction_notes_are_shown_in_order(client, live, staff):
    for note in ["First fix.", "Second fix."]:
        copy = transition_brief(
            live, user=staff["editor"], action="start_correction"
        ).brief
        publish_copy(copy, staff, note=note)
    live.refresh_from_db()
    assert live.version == 3
    assert list(
        Correction.objects.filter(brief=live).values_list("note", flat=True)
    ) == [
        "First fix.",
        "Second fix.",
    ]
    page = client.get("/briefs/balkan-alliances/").content.decode()
    assert page.index("First fix.") < page.index("Second fix.")


def test_a_correction_without_a_note_is_still_a_new_version(client, live, staff):
    copy = transition_brief(live, user=staff["editor"], action="start_correction").brief
    publish_copy(copy, staff)
    [correction] = Correction.objects.filter(brief=live)
    assert correction.note == "" and live.version == 2
    today = timezone.localdate().isoformat()
    page = client.get("/briefs/balkan-alliances/").content.decode()
    assert f'Updated <time datetime="{today}">{today}</time></strong></li>' in page


def test_a_working_copy_can_never_be_published_by_itself(live, staff):
    copy = transition_brief(live, user=staff["editor"], action="start_correction").brief
    with pytest.raises(IntegrityError), transaction.atomic():
        Brief.objects.filter(pk=copy.pk).update(
            status=Status.PUBLISHED, published_at=timezone.now()
        )
    assert not Brief.objects.published().filter(pk=copy.pk).exists()


def test_one_correction_draft_at_a_time_and_never_scheduled(live, staff):
    copy = transition_brief(live, user=staff["editor"], action="start_correction").brief
    with pytest.raises(TransitionError, match="already has a correction draft"):
        transition_brief(live, user=staff["editor"], action="start_correction")
    transition_brief(copy, user=staff["editor"], action="submit")
    transition_brief(copy, user=staff["reviewer"], action="approve")
    with pytest.raises(TransitionError, match="published at once"):
        transition_brief(
            copy,
            user=staff["publisher"],
            action="publish",
            publish_at=timezone.now() + datetime.timedelta(days=1),
        )
    # A discarded draft (trashed) makes way for a new one.
    transition_brief(copy, user=staff["editor"], action="trash")
    second = transition_brief(live, user=staff["editor"], action="start_correction")
    assert second.brief.slug == "balkan-alliances--draft-2"


def test_a_correction_of_a_withdrawn_brief_cannot_be_published(live, staff):
    copy = transition_brief(live, user=staff["editor"], action="start_correction").brief
    transition_brief(copy, user=staff["editor"], action="submit")
    transition_brief(copy, user=staff["reviewer"], action="approve")
    transition_brief(
        live, user=staff["publisher"], action="withdraw", public_note="Wrong data."
    )
    with pytest.raises(TransitionError, match="withdrawn"):
        transition_brief(copy, user=staff["publisher"], action="publish")
    live.refresh_from_db()
    assert live.version == 1


def test_a_scheduled_brief_is_nowhere_public_until_its_time(client, live, staff):
    Brief.objects.filter(pk=live.pk).update(status=Status.APPROVED, published_at=None)
    release = timezone.now() + datetime.timedelta(hours=3)
    # After commit the generation turns and learns the release time.
    with factories.commit():
        transition_brief(
            live, user=staff["publisher"], action="publish", publish_at=release
        )
    live.refresh_from_db()
    assert live.is_scheduled
    assert client.get("/briefs/balkan-alliances/").status_code == 404
    assert shown_anywhere(client, live, "Balkan alliances") == []
    assert Brief.objects.published(at=release).filter(pk=live.pk).exists()

    # Time passes (no job runs, nothing is saved): the release time is now in
    # the past, for the database gate and for the content generation alike.
    after = release + datetime.timedelta(seconds=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=after),
        mock.patch("kernel.pagecache.time.time", return_value=after.timestamp()),
    ):
        assert client.get("/briefs/balkan-alliances/").status_code == 200
        assert shown_anywhere(client, live, "Balkan alliances") == public_surfaces(live)


def test_unscheduling_takes_a_release_back(live, staff):
    Brief.objects.filter(pk=live.pk).update(
        published_at=timezone.now() + datetime.timedelta(days=1)
    )
    transition_brief(live, user=staff["publisher"], action="unschedule")
    live.refresh_from_db()
    assert live.status == Status.APPROVED and live.published_at is None


def test_a_withdrawn_brief_leaves_every_listing_and_keeps_its_reason(
    client, live, staff
):
    transition_brief(
        live,
        user=staff["publisher"],
        action="withdraw",
        public_note="The figures were superseded.",
    )
    live.refresh_from_db()
    assert live.status == Status.WITHDRAWN
    assert live.withdrawn_reason == "The figures were superseded."
    assert live.withdrawn_at is not None
    assert shown_anywhere(client, live, "Balkan alliances") == []


def test_the_trash_hides_a_brief_and_keeps_its_history(client, staff):
    brief = factories.make_brief(status=Status.APPROVED)
    record_revision(brief=brief, user=staff["editor"], content=snapshot_brief(brief))
    transition_brief(brief, user=staff["editor"], action="trash")
    brief.refresh_from_db()
    assert brief.deleted_at is not None
    assert not Brief.objects.not_in_trash().filter(pk=brief.pk).exists()
    transition_brief(brief, user=staff["editor"], action="untrash")
    brief.refresh_from_db()
    assert brief.deleted_at is None and brief.status == Status.APPROVED
    assert brief.revisions.count() == 1
    assert list(brief.transitions.values_list("action", flat=True)) == [
        "trash",
        "untrash",
    ]


def test_only_a_superuser_purges_and_only_from_the_trash(staff):
    brief = factories.make_brief(status=Status.DRAFT, deleted_at=timezone.now())
    with pytest.raises(TransitionError, match="Only a superuser"):
        transition_brief(brief, user=staff["editor"], action="purge")
    transition_brief(brief, user=staff["superuser"], action="purge")
    assert not Brief.objects.filter(pk=brief.pk).exists()


def test_published_briefs_are_withdrawn_not_trashed(live, staff):
    with pytest.raises(TransitionError, match="cannot be moved to the trash"):
        transition_brief(live, user=staff["superuser"], action="trash")


def test_the_api_serves_the_published_version_while_a_correction_is_prepared(
    client, live, staff
):
    copy = transition_brief(live, user=staff["editor"], action="start_correction").brief
    copy.body = "## Tirana\n\nRewritten while in review."
    copy.save()
    detail = client.get("/api/v1/briefs/balkan-alliances/").json()
    assert "in Tirana." in detail["body_markdown"]
    assert "Rewritten" not in detail["body_markdown"]
    assert client.get(f"/api/v1/briefs/{copy.slug}/").status_code == 404
    listing = client.get("/api/v1/briefs/").json()
    assert [b["slug"] for b in listing["results"]] == ["balkan-alliances"]
    publish_copy(copy, staff, note="Rewritten.")
    detail = client.get("/api/v1/briefs/balkan-alliances/").json()
    assert "Rewritten while in review." in detail["body_markdown"]


def _list_counts(client) -> tuple[int, int]:
    """The unfiltered list's total and its Albania facet count (0 when absent)."""
    page = client.get("/briefs/").content.decode()
    total = re.search(r'id="results-h">(\d+) brief', page)
    albania = re.search(r'>Albania</a> <span class="count">(\d+)</span>', page)
    return int(total.group(1)), int(albania.group(1)) if albania else 0


def test_list_counts_follow_publishing_withdrawing_and_release(client, live, staff):
    # The unfiltered list's counts are prepared once per content generation:
    # every publication, withdrawal and passing release time must retire them
    # (once each, after commit: kernel/changes.py).
    albania = live.actor_links.get().actor
    waiting = factories.make_brief(
        title="Waiting brief",
        actors=[albania],
        authors=[factories.make_person()],
        status=Status.APPROVED,
    )
    Brief.objects.filter(pk=live.pk).update(title="Balkan alliances")  # no signal
    factories.make_topic(slug="bump")  # a save: a new generation
    assert _list_counts(client) == (1, 1)

    with factories.commit():
        transition_brief(waiting, user=staff["publisher"], action="publish")
    assert _list_counts(client) == (2, 2)
    assert "Waiting brief" in client.get("/briefs/").content.decode()

    with factories.commit():
        transition_brief(
            live, user=staff["publisher"], action="withdraw", public_note="Superseded."
        )
    assert _list_counts(client) == (1, 1)
    assert "Balkan alliances" not in client.get("/briefs/").content.decode()

    later = factories.make_brief(
        title="Later brief",
        actors=[albania],
        authors=[factories.make_person()],
        status=Status.APPROVED,
    )
    release = timezone.now() + datetime.timedelta(hours=3)
    with factories.commit():
        transition_brief(
            later, user=staff["publisher"], action="publish", publish_at=release
        )
    assert _list_counts(client) == (1, 1)
    assert "Later brief" not in client.get("/briefs/").content.decode()
    # The release time passes and nothing runs: the generation expires with it.
    after = release + datetime.timedelta(seconds=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=after),
        mock.patch("kernel.pagecache.time.time", return_value=after.timestamp()),
    ):
        assert _list_counts(client) == (2, 2)
        assert "Later brief" in client.get("/briefs/").content.decode()
