"""The editor's desk (issue #14): writing, review, presence and shared drafts."""

import datetime
import logging
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.utils import timezone

from briefs.models import Language, Status
from briefs.reading import (
    WORDS_PER_MINUTE,
    ReadingStats,
    count_words,
    reading_stats,
)
from editorial.models import EditPresence, ReviewComment, ShareLink, hash_share_token
from editorial.sharing import MAX_DAYS, create_share_link, revoke_share_link
from editorial.workflow import (
    TransitionError,
    add_review_comment,
    resolve_review_comment,
    transition_brief,
)
from tests import factories
from tests.editorial import test_admin_workflow as workflow_tests
from tests.editorial.test_admin_workflow import draft_of, form_data
from tests.test_no_writes import no_writes

people = workflow_tests.people  # the fixture: one user per role

BODY = (
    "## Forces\n\nSerbia keeps [tanks](https://example.org/t).[^1]\n\n"
    "| Country | Tanks |\n|---|--:|\n| Serbia | 262 |\n\n"
    "## Outlook\n\nMore to come.\n\n[^1]: A source."
)


def change_url(brief) -> str:
    return f"/admin/briefs/brief/{brief.pk}/change/"


def article(html: str) -> str:
    return re.search(r"<article\b.*?</article>", html, re.DOTALL).group()


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


# -- Writing: preview, cheat sheet, word count --------------------------------------


@pytest.mark.django_db
def test_preview_renders_the_article_publishing_then_shows(client, people):
    # No recommendations: the public page adds their follow-up at request time.
    brief = draft_of(
        people["editor"],
        body=BODY,
        recommendations=0,
        publication_date=datetime.date(2026, 1, 5),
    )
    client.force_login(people["editor"])
    preview = client.get(f"/admin/briefs/brief/{brief.pk}/preview/").content.decode()
    brief.status, brief.published_at = Status.PUBLISHED, timezone.now()
    brief.save()
    factories.publish(brief)
    public = client.get(brief.get_absolute_url()).content.decode()
    assert article(preview) == article(public)
    assert '<h2 id="forces">Forces</h2>' in article(public)


@pytest.mark.django_db
def test_unsaved_text_previews_as_publishing_would_render_it_saved(client, people):
    brief = draft_of(people["editor"], body="## Old\n\nOld text.")
    client.force_login(people["editor"])
    data = form_data(client.get(change_url(brief)))
    data["body"] = BODY
    unsaved = client.post(f"/admin/briefs/brief/{brief.pk}/preview/", data)
    brief.body = BODY
    brief.save()
    saved = client.get(f"/admin/briefs/brief/{brief.pk}/preview/")
    assert article(unsaved.content.decode()) == article(saved.content.decode())


@pytest.mark.django_db
def test_the_preview_sits_beside_the_form_and_only_the_admin_may_frame_it(
    client, people
):
    brief = draft_of(people["editor"])
    client.force_login(people["editor"])
    page = client.get(change_url(brief)).content.decode()
    preview = f"/admin/briefs/brief/{brief.pk}/preview/"
    assert '<iframe name="brief-preview"' in page
    assert f'src="{preview}"' in page
    # The button posts the typed text into the frame: no JavaScript needed.
    assert re.search(rf'formaction="{preview}"[^>]*formtarget="brief-preview"', page)
    response = client.get(preview)
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    # Everything else stays unframeable.
    assert client.get(change_url(brief))["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_change_form_has_a_cheat_sheet_for_the_documented_markdown(client, people):
    brief = draft_of(people["editor"])
    client.force_login(people["editor"])
    page = client.get(change_url(brief)).content.decode()
    sheet = re.search(r'<details class="markdown-help".*?</details>', page, re.DOTALL)
    text = sheet.group()
    for syntax in ["## ", "|---|", "[^1]:", "```compare", "metrics:"]:
        assert syntax in text
    assert 'id="markdown-help-figures"' in text  # the figure syntax goes here
    # The add form has it too.
    assert "markdown-help" in client.get("/admin/briefs/brief/add/").content.decode()


def test_words_are_counted_in_english_without_markdown_syntax():
    assert count_words(BODY) == 14
    assert count_words("Don't stop — it's Bosnia-Herzegovina's *plan*.") == 5
    assert count_words("```compare\na: Serbia\n```\n\nOne two.") == 2
    assert count_words("") == 0


def test_words_are_counted_in_cyrillic_and_serbian_latin():
    assert count_words("## Увод\n\nСрбија и Мађарска су 1990-их потписале.") == 7
    assert count_words("Србија **чува** [тенкове](https://example.org).[^1]") == 3
    assert count_words("Đorđe i Ćirić žive u Šapcu.") == 6


def test_reading_time_rounds_up_and_is_zero_for_no_text():
    assert reading_stats("") == reading_stats() == ReadingStats(0, 0)
    assert reading_stats("word " * (WORDS_PER_MINUTE + 1)).minutes == 2
    assert reading_stats("one two", "three").words == 3


@pytest.mark.django_db
def test_the_form_and_the_preview_show_the_same_word_count(client, people):
    brief = draft_of(
        people["editor"], summary="Два реда.", body="## Увод\n\nСрбија и Мађарска."
    )
    client.force_login(people["editor"])
    page = client.get(change_url(brief)).content.decode()
    preview = client.get(f"/admin/briefs/brief/{brief.pk}/preview/").content.decode()
    for html in (page, preview):
        assert "6 words" in html and "about 1 minute to read" in html


# -- Review: the request and unresolved comments on top, sections, resolving --------


def submitted_with_request(people):
    brief = draft_of(people["contributor_owner"], body=BODY)
    transition_brief(brief, user=people["contributor_owner"], action="submit")
    transition_brief(
        brief,
        user=people["editor"],
        action="request_changes",
        comment="Cite the 2024 register.",
    )
    return brief


@pytest.mark.django_db
def test_the_latest_request_and_open_comments_come_before_the_form(client, people):
    brief = submitted_with_request(people)
    add_review_comment(
        brief=brief, user=people["editor"], body="Which year?", section="forces"
    )
    done = add_review_comment(brief=brief, user=people["editor"], body="Typo fixed.")
    resolve_review_comment(comment=done, user=people["contributor_owner"])
    client.force_login(people["contributor_owner"])
    page = client.get(change_url(brief)).content.decode()
    form_at = page.index('id="brief_form"')
    assert page.index("Cite the 2024 register.") < form_at
    assert page.index("Which year?") < form_at
    assert "on section “Forces”" in page
    assert "1 unresolved comment" in page
    # The resolved one is kept, collapsed.
    resolved = re.search(
        r'<details class="resolved-comments">.*?</details>', page, re.S
    )
    assert "Typo fixed." in resolved.group()
    assert "Which year?" not in resolved.group()


@pytest.mark.django_db
def test_comments_anchor_only_to_the_bodys_sections(people):
    brief = draft_of(people["editor"], body=BODY)
    comment = add_review_comment(
        brief=brief, user=people["editor"], body="Sharper.", section="outlook"
    )
    assert (comment.section, comment.section_title) == ("outlook", "Outlook")
    with pytest.raises(TransitionError, match="no such section"):
        add_review_comment(
            brief=brief, user=people["editor"], body="x", section="nowhere"
        )


@pytest.mark.django_db
def test_the_author_resolves_and_reopens_and_each_change_is_recorded(client, people):
    brief = submitted_with_request(people)
    comment = add_review_comment(brief=brief, user=people["editor"], body="Shorter.")
    client.force_login(people["contributor_owner"])
    url = f"/admin/briefs/brief/{brief.pk}/comment/{comment.pk}/resolve/"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved_by == people["contributor_owner"]
    assert comment.resolved_at is not None
    client.post(url, {"resolved": "0"})
    comment.refresh_from_db()
    assert comment.resolved_at is None and comment.resolved_by is None
    history = [
        e.get_change_message()
        for e in LogEntry.objects.filter(object_id=str(brief.pk)).order_by("pk")
    ]
    assert history[-2:] == [
        f"Resolved review comment #{comment.pk}: “Shorter.”",
        f"Reopened review comment #{comment.pk}: “Shorter.”",
    ]


@pytest.mark.django_db
def test_only_the_author_or_an_editor_resolves(people):
    brief = submitted_with_request(people)
    comment = add_review_comment(brief=brief, user=people["editor"], body="Shorter.")
    with pytest.raises(TransitionError, match="author or an editor"):
        resolve_review_comment(comment=comment, user=people["contributor_other"])
    resolve_review_comment(comment=comment, user=people["editor"])
    assert ReviewComment.objects.get(pk=comment.pk).resolved_at is not None


# -- Presence: typing, not looking ---------------------------------------------------


@pytest.mark.django_db
def test_opening_the_form_writes_nothing_and_shows_nobody_as_editing(client, people):
    brief = draft_of(people["editor"])
    client.force_login(people["publisher"])
    with no_writes() as writes:
        assert client.get(change_url(brief)).status_code == 200
    assert writes == []
    client.force_login(people["editor"])
    assert "has been editing" not in client.get(change_url(brief)).content.decode()


@pytest.mark.django_db
def test_presence_starts_with_the_first_input_and_ends_on_leaving(client, people):
    brief = draft_of(people["editor"])
    url = f"/admin/briefs/brief/{brief.pk}/presence/"
    client.force_login(people["publisher"])
    page = client.get(change_url(brief)).content.decode()
    # The form's script, loaded with the CSP nonce, knows where to ping.
    assert re.search(
        rf'<script src="[^"]*brief_presence[^"]*" nonce="[^"]+" defer '
        rf'data-presence-url="{url}"',
        page,
    )
    assert client.get(url).status_code == 405
    assert client.post(url, {"state": "editing"}).status_code == 204
    assert EditPresence.objects.filter(brief=brief).count() == 1
    client.force_login(people["editor"])
    assert "has been editing" in client.get(change_url(brief)).content.decode()
    client.force_login(people["publisher"])
    assert client.post(url, {"state": "left"}).status_code == 204
    assert not EditPresence.objects.filter(brief=brief).exists()
    assert client.post(url, {"state": "dancing"}).status_code == 400


@pytest.mark.django_db
def test_a_form_posted_back_with_errors_counts_as_editing(client, people):
    brief = draft_of(people["editor"])
    client.force_login(people["publisher"])
    data = form_data(client.get(change_url(brief)))
    data["title"] = ""
    assert client.post(change_url(brief), data).status_code == 200
    assert EditPresence.objects.filter(brief=brief, user=people["publisher"]).exists()


# -- Sharing a draft ------------------------------------------------------------------


def share_via_admin(client, brief, user, **data) -> str:
    client.force_login(user)
    response = client.post(f"/admin/briefs/brief/{brief.pk}/share/", data)
    assert response.status_code == 302
    with no_writes() as writes:  # showing the new link writes nothing
        page = client.get(change_url(brief)).content.decode()
    assert writes == []
    url = re.search(r'id="id_new_share_link"[^>]*value="([^"]+)"', page).group(1)
    # Shown once only.
    assert "id_new_share_link" not in client.get(change_url(brief)).content.decode()
    return url.removeprefix("http://testserver")


@pytest.mark.django_db
def test_a_share_link_opens_the_draft_for_anyone_and_stores_only_a_hash(
    client, people, caplog
):
    brief = draft_of(people["editor"], title="Embargoed plan", body=BODY)
    url = share_via_admin(client, brief, people["editor"], days="3", note="Ministry")
    token = url.split("/")[-2]
    link = ShareLink.objects.get(brief=brief)
    assert link.token_hash == hash_share_token(token) != token
    assert token not in str(ShareLink.objects.values().get())
    assert link.expires_at - link.created_at == datetime.timedelta(days=3)
    client.logout()
    with caplog.at_level(logging.INFO, logger="editorial.sharing"), no_writes() as w:
        response = client.get(url, REMOTE_ADDR="203.0.113.77")
    assert w == []
    page = response.content.decode()
    assert response.status_code == 200
    assert "Embargoed plan" in page and '<h2 id="forces">Forces</h2>' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "private, no-store"
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert '<meta name="referrer" content="no-referrer">' in page
    # Logged: time and network, never the full address.
    [record] = [r for r in caplog.records if "used" in r.getMessage()]
    assert "203.0.113.0/24" in record.getMessage()
    assert "203.0.113.77" not in caplog.text
    client.force_login(people["editor"])
    admin_page = client.get(change_url(brief)).content.decode()
    assert "203.0.113.0/24" in admin_page and "Ministry" in admin_page


@pytest.mark.django_db
def test_a_shared_serbian_draft_is_shown_in_its_language(client, people):
    brief = draft_of(
        people["editor"],
        language=Language.SERBIAN_CYRILLIC,
        title="План",
        body="## Увод\n\nТекст.",
    )
    _link, token = create_share_link(brief=brief, user=people["editor"])
    response = client.get(f"/share/{token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="sr-Cyrl"' in response.content.decode()
    assert response["Content-Language"] == "sr-Cyrl"
    latin = client.get(f"/share/{token}/?script=Latn")
    assert '<html lang="sr-Latn"' in latin.content.decode()
    assert "Uvod" in latin.content.decode()


@pytest.mark.django_db
def test_expired_revoked_and_unknown_links_say_so_and_show_nothing(client, people):
    brief = draft_of(people["editor"], title="Embargoed plan")
    expired, expired_token = create_share_link(brief=brief, user=people["editor"])
    ShareLink.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    revoked, revoked_token = create_share_link(brief=brief, user=people["editor"])
    revoke_share_link(link=revoked, user=people["editor"], reason="by hand")
    for token, status, words in [
        (expired_token, 410, "expired"),
        (revoked_token, 410, "withdrawn"),
        ("not-a-token", 404, "does not exist"),
    ]:
        with no_writes() as writes:
            response = client.get(f"/share/{token}/")
        assert writes == []
        page = response.content.decode()
        assert response.status_code == status and words in page
        assert "Embargoed plan" not in page
        assert response["X-Robots-Tag"] == "noindex, nofollow"
    client.force_login(people["editor"])
    page = client.get(change_url(brief)).content.decode()
    assert "Revoked" in page and "by hand" in page and "Expired" in page


@pytest.mark.django_db
def test_staff_revoke_a_link_on_the_admin_page(client, people):
    brief = draft_of(people["editor"])
    url = share_via_admin(client, brief, people["editor"])
    link = ShareLink.objects.get(brief=brief)
    revoke = f"/admin/briefs/brief/{brief.pk}/share/{link.pk}/revoke/"
    assert client.get(revoke).status_code == 405
    assert client.post(revoke).status_code == 302
    link.refresh_from_db()
    assert link.revoked_by == people["editor"]
    assert client.get(url).status_code == 410


@pytest.mark.django_db
def test_publishing_revokes_the_briefs_share_links(client, people):
    brief = draft_of(people["contributor_owner"])
    other = draft_of(people["contributor_owner"], title="Another draft")
    _link, token = create_share_link(brief=brief, user=people["editor"])
    _other, other_token = create_share_link(brief=other, user=people["editor"])
    transition_brief(brief, user=people["contributor_owner"], action="submit")
    transition_brief(brief, user=people["editor"], action="approve")
    transition_brief(brief, user=people["publisher"], action="publish")
    link = ShareLink.objects.get(brief=brief)
    assert link.revoked_at is not None and link.revoked_reason == "published"
    assert client.get(f"/share/{token}/").status_code == 410
    # Only that brief's links.
    assert client.get(f"/share/{other_token}/").status_code == 200


@pytest.mark.django_db
def test_a_link_shows_its_own_brief_only(client, people):
    mine = draft_of(people["editor"], title="Shared draft")
    draft_of(people["editor"], title="Private draft")
    _link, token = create_share_link(brief=mine, user=people["editor"])
    page = client.get(f"/share/{token}/").content.decode()
    assert "Shared draft" in page and "Private draft" not in page
    assert client.get(f"/share/{token}x/").status_code == 404


@pytest.mark.django_db
def test_links_last_one_to_thirty_days_and_only_for_unpublished_briefs(client, people):
    draft = draft_of(people["editor"])
    for days in (0, MAX_DAYS + 1):
        client.force_login(people["editor"])
        client.post(f"/admin/briefs/brief/{draft.pk}/share/", {"days": str(days)})
    assert not ShareLink.objects.exists()
    published = factories.make_brief()
    client.post(f"/admin/briefs/brief/{published.pk}/share/", {"days": "7"})
    assert not ShareLink.objects.exists()


@pytest.mark.django_db
def test_only_staff_who_may_preview_create_links(client, people):
    brief = draft_of(people["contributor_owner"])
    client.force_login(people["contributor_other"])  # cannot see the brief
    assert client.post(f"/admin/briefs/brief/{brief.pk}/share/").status_code == 404
    assert not ShareLink.objects.exists()


@pytest.mark.django_db
def test_share_links_are_rate_limited_per_address(client, people, monkeypatch):
    monkeypatch.setattr("editorial.sharing.SHARE_RATE", "2/min")
    brief = draft_of(people["editor"])
    _link, token = create_share_link(brief=brief, user=people["editor"])
    statuses = [client.get(f"/share/{token}/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
