"""Rate limits: per API key for partners, per client address for everyone else.

The client address is REMOTE_ADDR, unless REMOTE_ADDR is one of the trusted
proxies (settings.TRUSTED_PROXIES); then it is the right-most address in
X-Forwarded-For that is not a trusted proxy. Entries further left were written
by the client and could be anything, so a client cannot pick its own bucket.
IPv6 clients are counted per /64, the block one subscriber usually holds.
"""

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from kernel.authentication import ApiClient

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def client_address(request: Request | HttpRequest) -> str:
    """The address a rate limit counts this request against."""
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    remote = _parse(request.META.get("REMOTE_ADDR", ""))

    def is_trusted(address: Any) -> bool:
        return address is not None and any(address in net for net in trusted)

    address = remote
    if is_trusted(remote):
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed(hops):
            parsed = _parse(hop)
            if parsed is None:
                # Garbage where a proxy's entry should be: count it against
                # the last trusted hop rather than trust what lies left of it.
                break
            address = parsed
            if not is_trusted(parsed):
                break
    if address is None:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class ClientAddressThrottle(SimpleRateThrottle):
    """Anonymous requests: settings.API_ANON_RATE per client address."""

    scope = "anon"

    def get_rate(self) -> str:
        # Read per request (not frozen at import like DRF's THROTTLE_RATES) so
        # tests and operators' settings take effect.
        return settings.API_ANON_RATE

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiClient):
            return None
        return self.cache_format % {
            "scope": self.scope,
            "ident": client_address(request),
        }


class ApiKeyThrottle(SimpleRateThrottle):
    """Requests with a key: settings.API_KEY_RATE per key, wherever they come from."""

    scope = "key"

    def get_rate(self) -> str:
        return settings.API_KEY_RATE

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, ApiClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}


class SearchPageThrottle(SimpleRateThrottle):
    """The site's /search/ page: settings.SEARCH_RATE per client address.

    The same bucket logic as the API's anonymous throttle (X-Forwarded-For is
    believed only from TRUSTED_PROXIES), used directly by a plain Django view.
    """

    scope = "search"

    def get_rate(self) -> str:
        return settings.SEARCH_RATE

    def get_cache_key(self, request: HttpRequest, view: Any) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": client_address(request),
        }
