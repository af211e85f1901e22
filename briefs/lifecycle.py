"""How a brief's public record follows its editorial state.

The editorial workflow decides *when* a brief is published, corrected,
withdrawn, trashed or renamed; the publishing app decides *what* the public
then sees (its editions). Editorial may not import publishing (the arrows
point from both to briefs), so they meet here: publishing registers its
`PublicRecord` in `PublishingConfig.ready()`, and every write function that
changes a brief's public state calls `public_record()` inside its own
transaction. An explicit call, not a signal: the edition must exist exactly
when the publication does, and a missing keeper is an error, not a no-op.
"""

import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from briefs.models import Brief


class PublicRecord(Protocol):
    def published(
        self, *, brief: "Brief", released_at: datetime.datetime, note: str = ""
    ) -> object: ...

    def unscheduled(self, *, brief: "Brief") -> None: ...

    def withdrawn(self, *, brief: "Brief") -> None: ...

    def trashed(self, *, brief: "Brief", trashed: bool) -> None: ...

    def renamed(self, *, brief: "Brief") -> None: ...

    def preview(self, *, brief: "Brief") -> object: ...


_keeper: list[PublicRecord] = []


def register(keeper: PublicRecord) -> None:
    _keeper[:] = [keeper]


def public_record() -> PublicRecord:
    if not _keeper:
        raise RuntimeError(
            "No public record keeper is registered: is the publishing app installed?"
        )
    return _keeper[0]
