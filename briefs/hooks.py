"""What briefs announces to the apps built on it, and what it asks of them.

`briefs` imports neither `editorial` nor `publishing` (README, Layout). When
a briefs write function must let them react, it sends one of these signals,
and they connect receivers in `AppConfig.ready()`: decoupled side effects
only (STYLE 11), such as history and page invalidation. The preview renderer
is the one service that `editorial` (the admin's preview button) needs from
`publishing` (which renders public pages); neither may import the other, so
publishing provides it here and editorial asks for it here.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from briefs.models import Brief

# Sent by `briefs.importers.import_brief` once a brief and its related rows
# are saved, inside its transaction. Arguments: `brief`, `comment`.
# editorial records a revision (if the content changed).
brief_imported = Signal()

# Sent by `briefs.services` after writes that send no model signals (bulk
# updates of mention counts and states). Argument: `brief_ids`.
# publishing has the briefs' pages prepared again.
briefs_changed_in_bulk = Signal()


PreviewRenderer = Callable[["HttpRequest", "Brief"], "HttpResponse"]
_preview: dict[str, PreviewRenderer] = {}


def provide_preview(renderer: PreviewRenderer) -> None:
    """Register how any brief is rendered as its public page would look."""
    _preview["renderer"] = renderer


def render_preview(request: "HttpRequest", brief: "Brief") -> "HttpResponse":
    """The brief rendered by the registered renderer (publishing's)."""
    try:
        renderer = _preview["renderer"]
    except KeyError:
        raise LookupError("no preview renderer: is publishing installed?") from None
    return renderer(request, brief)
