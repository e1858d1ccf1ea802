"""Which IP addresses a fetched link may reach: public ones only, IPv4 hidden in IPv6 included.

Python's `is_global` alone lets through IPv6 forms that carry an IPv4 address inside
(`::ffff:0:7f00:1`, `::127.0.0.1`, `64:ff9b::a9fe:a9fe`, `2002:7f00:1::`) and the old site-local
range (`fec0::/10`). A translator or tunnel on the way may deliver such an address to the IPv4
address inside, so that address must be public too.
"""

from __future__ import annotations

import ipaddress

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_COMPATIBLE = ipaddress.IPv6Network("::/96")
"""IPv4-compatible addresses (`::a.b.c.d`), deprecated but still parsed."""
_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0/96")
"""IPv4-translated addresses (`::ffff:0:a.b.c.d`, SIIT)."""


def is_public(address: Address) -> bool:
    """True when `address` is global unicast; for an IPv6 address that carries IPv4 ones
    (a mapped or NAT64 address of a public site among them), when every one of those is."""
    if isinstance(address, ipaddress.IPv4Address):
        return _plain_public(address)
    inner = embedded_ipv4(address)
    if inner:
        return all(_plain_public(v4) for v4 in inner)
    return _plain_public(address) and not (address.is_site_local or address in _NAT64_LOCAL)


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address `address` carries: mapped, translated, compatible, NAT64, 6to4,
    Teredo (server and client)."""
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    if any(address in network for network in (_NAT64, _COMPATIBLE, _TRANSLATED)):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def _plain_public(address: Address) -> bool:
    return address.is_global and not (
        address.is_multicast
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
        or address.is_reserved
        or address.is_private
    )
