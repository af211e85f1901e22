"""What briefs announces to the apps built on it, and what it asks of them.

The public record. The editorial workflow decides *when* a brief is
published, corrected, withdrawn, trashed or renamed; publishing decides
*what* the public then sees (its editions). Publishing registers its
`PublicRecord` in `PublishingConfig.ready()`, and every write function that
changes a brief's public state calls `public_record()` inside its own
transaction: an explicit call, not a signal, because the edition must exist
exactly when the publication does, and a missing keeper is an error.

`briefs` imports neither `editorial` nor `publishing` (README, Layout). When
a briefs write function must let them react, it sends one of these signals,
and they connect receivers in `AppConfig.ready()`: decoupled side effects
only (STYLE 11), such as history. The preview renderer
is the one service that `editorial` (the admin's preview button) needs from
`publishing` (which renders public pages); neither may import the other, so
publishing provides it here and editorial asks for it here.
"""

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from django.dispatch import Signal

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from briefs.models import Brief

# Sent by `briefs.importers.import_brief` once a brief and its related rows
# are saved, inside its transaction. Arguments: `brief`, `comment`.
# editorial records a revision (if the content changed).
brief_imported = Signal()


# (request, brief, **options): options are `script` (the script a Serbian
# preview is shown in) and `unsaved` (the form's text it shows, not saved).
PreviewRenderer = Callable[..., "HttpResponse"]
_preview: dict[str, PreviewRenderer] = {}


def provide_preview(renderer: PreviewRenderer) -> None:
    """Register how any brief is rendered as its public page would look."""
    _preview["renderer"] = renderer


def render_preview(
    request: "HttpRequest", brief: "Brief", **options: object
) -> "HttpResponse":
    """The brief rendered by the registered renderer (publishing's)."""
    try:
        renderer = _preview["renderer"]
    except KeyError:
        raise LookupError("no preview renderer: is publishing installed?") from None
    return renderer(request, brief, **options)


class PublicRecord(Protocol):
    def published(
        self, *, brief: "Brief", released_at: datetime.datetime, note: str = ""
    ) -> object: ...

    def unscheduled(self, *, brief: "Brief") -> None: ...

    def withdrawn(self, *, brief: "Brief") -> None: ...

    def trashed(self, *, brief: "Brief", trashed: bool) -> None: ...

    def renamed(self, *, brief: "Brief") -> None: ...

    # Read-only questions editorial asks of the public record (a translation's
    # default version, the dashboard, the pre-publish checks).
    def current_numbers(self, brief_ids: list[int]) -> dict[int, int]: ...

    def stale_translations(self) -> list: ...

    def newer_original(self, *, original_id: int, made_from: int | None) -> object: ...


_keeper: list[PublicRecord] = []


def register(keeper: PublicRecord) -> None:
    _keeper[:] = [keeper]


def public_record() -> PublicRecord:
    if not _keeper:
        raise RuntimeError(
            "No public record keeper is registered: is the publishing app installed?"
        )
    return _keeper[0]
