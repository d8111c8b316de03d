"""Bearer secrets, for API tokens and measuring devices' tokens alike.

A secret reads `KIND_PREFIX_RANDOM`: the kind (`ictm`, `ictd`), a public prefix that finds the
row, and 43 random URL-safe characters. Only its SHA-256 digest is stored; the secret is shown
once, when it is made, and compared with the digest in constant time.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

# A secret is about 58 characters; anything much longer, or with a NUL, is not one.
MAX_LENGTH = 200


def digest(secret: str) -> str:
    """The stored digest of a secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(kind: str, taken: Callable[[str], bool] = lambda prefix: False) -> tuple[str, str]:
    """(prefix, secret) of a new secret whose prefix is not `taken` (32 bits: a clash is rare,
    not impossible)."""
    while True:
        prefix = secrets.token_hex(4)
        if not taken(prefix):
            return prefix, f"{kind}_{prefix}_{secrets.token_urlsafe(32)}"


def prefix_of(secret: str, kind: str) -> str | None:
    """The prefix a secret of this kind names, or None when it cannot be one."""
    if not secret or len(secret) > MAX_LENGTH or "\x00" in secret:
        return None
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != kind:
        return None
    return parts[1]


def matches(stored: str, secret: str) -> bool:
    """Whether a secret is the one a stored digest was made from."""
    return secrets.compare_digest(stored, digest(secret))
