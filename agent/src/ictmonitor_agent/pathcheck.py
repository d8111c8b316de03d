"""Which line carries the school's traffic: `primary` or `backup`.

Either a configured command (printing `primary` or `backup`: a router's status, say), or the
public address the speed-test server sees (getIP) compared with the addresses or networks
configured for each line. An address in `backup_addresses` means backup; with
`primary_addresses` set, an address outside them means backup too; without either, primary.
"""

from __future__ import annotations

import ipaddress
import shlex
import subprocess
from collections.abc import Sequence
from typing import Callable

PATHS = ("primary", "backup")


def networks(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """`198.51.100.0/24, 2001:db8::/32, 203.0.113.7` as networks."""
    return [ipaddress.ip_network(part.strip(), strict=False)
            for part in text.replace(";", ",").split(",") if part.strip()]


def by_address(address: str, primary: Sequence, backup: Sequence) -> str:
    """The path a public address says."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        raise ValueError(f"getIP answered {address!r}, not an address") from None
    if any(ip in net for net in backup):
        return "backup"
    if primary and not any(ip in net for net in primary):
        return "backup"
    return "primary"


def by_command(command: str, timeout: float = 30.0) -> str:
    """The path a configured command prints."""
    done = subprocess.run(shlex.split(command), capture_output=True, text=True,
                          timeout=timeout, check=False)
    said = (done.stdout.split() or [""])[0].lower()
    if said not in PATHS:
        raise ValueError(f"path_command printed {done.stdout.strip()[:80]!r}, "
                         "not primary or backup")
    return said


def current(command: str, address: Callable[[], str], primary: Sequence,
            backup: Sequence) -> str:
    """The path now: by the command if one is configured, else by the public address."""
    if command:
        return by_command(command)
    if not primary and not backup:
        return "primary"
    return by_address(address(), primary, backup)
