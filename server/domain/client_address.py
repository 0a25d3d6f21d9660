"""Whose address a request comes from, when reverse proxies may stand between.

X-Forwarded-For is believed only as far as it was written by proxies the
operator named (TRUSTED_PROXIES): walking it from the right, the first
address that is not a trusted proxy is the client. Any client can send the
header, so with no trusted proxies (the default) it is ignored entirely."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(raw: str) -> tuple[Network, ...]:
    """`10.0.0.1, 192.168.0.0/24, ::1` -> networks; ValueError names a bad entry."""
    networks = []
    for item in raw.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"not an IP address or network: {item!r}") from None
    return tuple(networks)


def _trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(",".join(trusted))


def client_address(peer: str, forwarded_for: list[str], trusted_proxies: tuple[str, ...]) -> str:
    """The client's address: `peer` (the TCP peer) unless it is a trusted
    proxy, then the right-most X-Forwarded-For hop not itself trusted.
    `forwarded_for` holds each X-Forwarded-For header value, in order;
    `trusted_proxies` are addresses or networks as TRUSTED_PROXIES lists them."""
    trusted = _networks(trusted_proxies) if trusted_proxies else ()
    if not trusted or not _trusted(peer, trusted):
        return peer
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    address = peer
    for hop in reversed(hops):
        if not _is_ip(hop):
            return address  # garbage in the chain: stop at the last proxy we trust
        address = hop
        if not _trusted(hop, trusted):
            break
    return address


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
