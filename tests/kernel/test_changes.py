"""The after-commit step (kernel/changes.py): record during, act once after."""

from unittest import mock

import pytest
from django.db import transaction

from kernel import changes, pagecache


@pytest.fixture
def seen():
    calls: list[tuple[str, set[int]]] = []
    changes.register("test_a", lambda ids: calls.append(("a", ids)))
    changes.register("test_b", lambda ids: calls.append(("b", ids)))
    yield calls
    changes._handlers.pop("test_a")
    changes._handlers.pop("test_b")


@pytest.fixture
def bumps():
    with mock.patch.object(
        pagecache, "bump_generation", wraps=pagecache.bump_generation
    ) as bump:
        yield bump


def test_changes_of_one_transaction_are_acted_on_once_after_commit(
    db, seen, bumps, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            changes.changed("test_a", [1, 2])
            with transaction.atomic():  # a nested write function
                changes.changed("test_a", [2, 3])
                changes.changed("test_b", [7])
            assert seen == [] and bumps.call_count == 0  # nothing before commit
    assert len(callbacks) == 1
    assert sorted(seen) == [("a", {1, 2, 3}), ("b", {7})]
    assert bumps.call_count == 1


def test_a_rolled_back_transaction_does_nothing(
    db, seen, bumps, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            changes.changed("test_a", [1])
            transaction.set_rollback(True)
    assert seen == [] and bumps.call_count == 0


def test_the_next_transaction_gets_its_own_step(
    db, seen, bumps, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            changes.changed("test_a", [1])
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            changes.changed("test_a", [2])
    assert seen == [("a", {1}), ("a", {2})]
    assert bumps.call_count == 2


def test_a_failing_handler_does_not_stop_the_others_or_the_bump(
    db, seen, bumps, django_capture_on_commit_callbacks
):
    def broken(ids: set[int]) -> None:
        raise RuntimeError("boom")

    changes.register("test_a", broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                changes.changed("test_a", [1])
                changes.changed("test_b", [2])
    finally:
        changes._handlers["test_a"].remove(broken)
    assert ("b", {2}) in seen
    assert bumps.call_count == 1
