"""Budgets of the write-time pipeline: queries and cache-generation bumps.

A publication goes through `editorial.workflow.transition_brief`; everything it
changes is acted on once, after commit (kernel/changes.py), with exactly one
content-generation bump (`kernel.pagecache.bump_generation`). Bounds hold for
1 and for 5 of every related row (contributors, actors, agreements, topics,
recommendations with addressees).

Reproduce the figures: `pytest tests/test_pipeline.py -k budget -s` prints them.
Before this pipeline: first publication 46 queries / 2 bumps (50 with 5 rows),
a correction 199 queries / 34 bumps (391 / 138 with 5 rows).
"""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefs.importers import import_brief_file
from briefs.models import Contribution, Recommendation, Role, Status
from briefs.services import refresh_brief
from editorial.workflow import transition_brief
from kernel import pagecache
from tests import factories

FIRST_PUBLICATION_QUERIES = 40
# The target is 40 for a correction too; not met yet (43 measured:
# 42 before editions were rendered per language, 43 before the checks
# against the record, 56 before, 113 before the budget branch). Of the 43:
# the savepoint pair (test-only), the locked read (1), both briefs' content
# (7), the editorial checks' reference fingerprint (1: actors, aliases,
# people and office titles are re-read, 5 queries, only after one of them
# changed; editorial/checks.py), the live brief, correction and history
# writes (9), the edition (~14: history, supersede, link rows,
# recommendations re-written as edition 1 had no addressees, search, both
# editions' Serbian renderings in one upsert), the copy's content rows (6
# here, one per non-empty relation; only database-level cascades would fold
# them into the copy's DELETE, and Django's DB_CASCADE must then be used on
# every chain through Brief), its presence and old slugs and its row (3),
# and the release-time read after commit (1). The media library adds 2 (45):
# the edition's list of attachments (1) and the copy's attachments found by
# the DELETE's cascade (1). The editor's desk adds the copy's share links,
# deleted with it (1): 46.
CORRECTION_QUERIES = 46


def _brief(n: int, **fields):
    actors = [factories.make_actor() for _ in range(n)]
    people = [
        factories.make_person(affiliation=factories.make_institution())
        for _ in range(n)
    ]
    brief = factories.make_brief(
        authors=people,
        actors=actors,
        agreements=[factories.make_agreement(parties=actors) for _ in range(n)],
        topics=[factories.make_topic() for _ in range(n)],
        recommendations=n,
        **fields,
    )
    for recommendation in Recommendation.objects.filter(brief=brief):
        recommendation.addressees.set(actors)
    return brief


def _measure(django_capture_on_commit_callbacks, write) -> tuple[int, int]:
    """Queries of `write` (with its after-commit step) and bumps after commit."""
    with mock.patch.object(
        pagecache, "bump_generation", wraps=pagecache.bump_generation
    ) as bump:
        with CaptureQueriesContext(connection) as queries:
            with django_capture_on_commit_callbacks(execute=True):
                write()
                assert bump.call_count == 0, "bumped before commit"
    return len(queries), bump.call_count


@pytest.fixture
def publisher(db):
    return factories.make_user(is_superuser=True)


@pytest.mark.parametrize("n", [1, 5])
def test_budget_first_publication(
    publisher, n, django_capture_on_commit_callbacks, capsys
):
    for _ in range(3):  # neighbours sharing nothing, and one sharing an actor
        _brief(n)
    brief = _brief(n, status=Status.APPROVED)
    queries, bumps = _measure(
        django_capture_on_commit_callbacks,
        lambda: transition_brief(brief, user=publisher, action="publish"),
    )
    with capsys.disabled():
        print(f"\nfirst publication, {n} of each: {queries} queries, {bumps} bump")  # noqa: T201 (the figures, with -s)
    assert queries <= FIRST_PUBLICATION_QUERIES
    assert bumps == 1


@pytest.mark.parametrize("n", [1, 5])
def test_budget_correction(publisher, n, django_capture_on_commit_callbacks, capsys):
    brief = _brief(n)
    copy = transition_brief(brief, user=publisher, action="start_correction").brief
    transition_brief(copy, user=publisher, action="submit")
    # Two pairs of eyes: another editor approves what the publisher submitted.
    reviewer = factories.make_user(role="Editor")
    transition_brief(copy, user=reviewer, action="approve")
    queries, bumps = _measure(
        django_capture_on_commit_callbacks,
        lambda: transition_brief(
            copy, user=publisher, action="publish", public_note="A figure."
        ),
    )
    with capsys.disabled():
        print(f"\ncorrection, {n} of each: {queries} queries, {bumps} bump")  # noqa: T201
    assert queries <= CORRECTION_QUERIES
    assert bumps == 1


def test_a_dry_run_import_writes_nothing_and_bumps_nothing(
    db, seed_path, model_counts, django_capture_on_commit_callbacks
):
    before = model_counts()
    with mock.patch.object(pagecache, "bump_generation") as bump:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            import_brief_file(seed_path, dry_run=True)
    assert model_counts() == before
    assert bump.call_count == 0
    assert callbacks == []


def test_editing_a_draft_bumps_nothing(db, django_capture_on_commit_callbacks):
    """A draft is not public: editing it changes no public byte, so no bump."""
    draft = factories.make_brief(status=Status.DRAFT)
    person = factories.make_person()
    with mock.patch.object(pagecache, "bump_generation") as bump:
        with django_capture_on_commit_callbacks(execute=True):
            draft.title = "A better title"
            draft.save()
            Contribution.objects.create(brief=draft, person=person, role=Role.AUTHOR)
            Recommendation.objects.create(brief=draft, order=1, title="T", body="B")
            refresh_brief(brief=draft)
    assert bump.call_count == 0


def test_an_actor_change_prepares_its_pages_and_bumps_once_after_commit(
    client, db, django_capture_on_commit_callbacks
):
    nato = factories.make_actor(name="NATO", slug="nato")
    member = factories.make_actor(name="Albania", slug="albania")
    factories.make_membership(member, nato)
    queries, bumps = _measure(
        django_capture_on_commit_callbacks,
        lambda: (
            setattr(nato, "name", "The Alliance"),
            nato.save(),
            nato.aliases.create(alias="North Atlantic Treaty Organization"),
        ),
    )
    assert bumps == 1
    member.refresh_from_db()
    nato.refresh_from_db()
    # Both pages naming it are prepared, with the new name, before any GET.
    assert member.page_is_current and "The Alliance" in "".join(member.rendered_parts)
    assert nato.page_is_current and "North Atlantic" in "".join(nato.rendered_parts)
