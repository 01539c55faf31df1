"""Who is asking, behind a reverse proxy: `TRUSTED_PROXIES` names the proxies in front of the
bot (addresses or networks). Only a request that comes from one of them has its
`X-Forwarded-For` (or RFC 7239 `Forwarded`) read, right to left, skipping the trusted proxies
along the way: the first address that is not one of ours is the client. From anyone else
those headers are ignored, so nobody can forge them to pass for another client."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wsgiref.types import WSGIEnvironment

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Networks = tuple[Network, ...]
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(raw: str) -> Networks:
    """ "10.0.0.1, 172.16.0.0/12, ::1" as networks; ValueError names the first one that is
    not an address or a network."""
    networks: list[Network] = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(part) from None
    return tuple(networks)


def _address(text: str) -> Address | None:
    """An address as a header gives it: bare, "[v6]:port", "v4:port" or quoted; None when it
    is none (e.g. "unknown" or an obfuscated name)."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted(address: str, trusted: Networks) -> bool:
    found = _address(address)
    return found is not None and any(found in network for network in trusted)


def _hops(environ: WSGIEnvironment) -> list[str]:
    """The addresses the request passed through before the proxy that sent it, as the
    forwarding headers list them (the nearest last)."""
    forwarded = str(environ.get("HTTP_FORWARDED", ""))
    if forwarded:
        hops = []
        for element in forwarded.split(","):
            for pair in element.split(";"):
                name, _, value = pair.strip().partition("=")
                if name.lower() == "for":
                    hops.append(value)
        return hops
    return [h for h in str(environ.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]


def client_address(environ: WSGIEnvironment, trusted: Networks) -> str:
    """The address of whoever sent the request, through the trusted proxies in front."""
    seen = str(environ.get("REMOTE_ADDR", ""))
    if not is_trusted(seen, trusted):
        return seen
    for hop in reversed(_hops(environ)):
        address = _address(hop)
        if address is None:
            return seen  # a hop no proxy of ours wrote: nothing further left can be trusted
        if not any(address in network for network in trusted):
            return str(address)
        seen = str(address)
    return seen
