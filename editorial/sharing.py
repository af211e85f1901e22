"""Share links: a brief's preview for reviewers without accounts, for a while.

Staff who may preview a brief create a link on its admin page; the token is
`secrets.token_urlsafe(32)` and only its SHA-256 is stored. A link expires
(7 days by default, 30 at most), can be revoked at any time, and is revoked
when the brief is published or moved to the trash (editorial.workflow).

Each use is logged without writing the database, since a GET never writes
(README, *Architecture*): the application log ("editorial.sharing") gets a
line per use with the link's id, the brief's id, the time and the client's
network truncated to /24 (IPv4) or /48 (IPv6) — enough to tell one
reviewer's office from another, not to identify a person; and the cache
keeps each link's use count and its last `RECENT_USES` uses (time and the
same truncated network) for the admin page. The cache is not a record: it
may be emptied, and the log is what lasts. No user agent, no cookie, no full
address is kept.
"""

import datetime
import ipaddress
import logging
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefs.models import Brief, Status
from editorial.models import Action, ShareLink, hash_share_token
from kernel.throttling import SearchPageThrottle, client_address

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 7
MAX_DAYS = 30
RECENT_USES = 20
# Each link's uses are kept in the cache this long after the last one.
_USES_TTL = MAX_DAYS * 24 * 3600

SHARE_REVOKED_REASONS = {
    Action.PUBLISH: _("published"),
    Action.TRASH: _("moved to the trash"),
}


class ShareLinkThrottle(SearchPageThrottle):
    """Requests to share links per client address: guessing tokens is pointless
    (256 bits), but a leaked link should not become a feed for scrapers."""

    scope = "share"

    def get_rate(self) -> str:
        return SHARE_RATE


SHARE_RATE = "60/min"


class ShareError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def create_share_link(
    *, brief: Brief, user: AbstractUser, days: int = DEFAULT_DAYS, note: str = ""
) -> tuple[ShareLink, str]:
    """A new link to `brief`'s preview and its token (shown once, never stored)."""
    if not 1 <= days <= MAX_DAYS:
        raise ShareError(
            _("A share link lasts from 1 to %(days)d days.") % {"days": MAX_DAYS}
        )
    if brief.deleted_at is not None or brief.status in (
        Status.PUBLISHED,
        Status.WITHDRAWN,
    ):
        raise ShareError(_("Only an unpublished brief is shared this way."))
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = ShareLink.objects.create(
        brief=brief,
        token_hash=hash_share_token(token),
        note=note.strip()[:200],
        created_by=user,
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    logger.info("Share link %s for brief %s created by %s", link.pk, brief.pk, user)
    return link, token


@transaction.atomic
def revoke_share_link(
    *, link: ShareLink, user: AbstractUser | None, reason: str
) -> None:
    if link.revoked_at is not None:
        return
    link.revoked_at = timezone.now()
    link.revoked_by = user
    link.revoked_reason = str(reason)[:200]
    link.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    logger.info("Share link %s revoked by %s: %s", link.pk, user, reason)


def revoke_share_links(*, brief: Brief, user: AbstractUser | None, reason: str) -> int:
    """Revoke every link to `brief` still unrevoked; returns how many."""
    count = ShareLink.objects.filter(brief=brief, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=user, revoked_reason=str(reason)[:200]
    )
    if count:
        logger.info("%s share link(s) of brief %s revoked: %s", count, brief.pk, reason)
    return count


def find_share_link(token: str) -> ShareLink | None:
    """The link `token` opens, active or not (None: no such link). Reads only."""
    if not token or len(token) > 100:
        return None
    return (
        ShareLink.objects.select_related("brief")
        .filter(token_hash=hash_share_token(token))
        .first()
    )


def truncated_network(request: HttpRequest) -> str:
    """The client's network, not its address: /24 for IPv4, /48 for IPv6."""
    address = client_address(request)
    try:
        network = ipaddress.ip_network(address, strict=False)
    except ValueError:
        return "unknown"
    prefix = 24 if network.version == 4 else 48
    return str(network.supernet(new_prefix=prefix))


def _uses_key(link: ShareLink) -> str:
    return f"sharelink:{link.pk}:uses"


def log_share_use(request: HttpRequest, link: ShareLink) -> None:
    """Record one use of `link`: the application log and the cache, not the DB."""
    now = timezone.now()
    network = truncated_network(request)
    logger.info(
        "Share link %s (brief %s) used at %s from %s",
        link.pk,
        link.brief_id,
        now.isoformat(timespec="seconds"),
        network,
    )
    key = _uses_key(link)
    uses = cache.get(key) or {"count": 0, "recent": []}
    uses["count"] += 1
    uses["recent"] = [(now, network), *uses["recent"]][:RECENT_USES]
    cache.set(key, uses, _USES_TTL)


def share_link_uses(links: list[ShareLink]) -> dict[int, dict]:
    """Each link's use count and recent uses, as far as the cache remembers."""
    found = cache.get_many([_uses_key(link) for link in links])
    empty = {"count": 0, "recent": []}
    return {link.pk: found.get(_uses_key(link)) or empty for link in links}
