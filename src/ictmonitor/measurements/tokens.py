"""Device tokens: issued per location by its coordinator or a provider serving it, at most
MAX_DEVICES_PER_LOCATION in force, revocable; written by hand through core.recording."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmonitor.core import bearer
from ictmonitor.core.recording import WriteRefused, audit, stamp, who
from ictmonitor.measurements.models import MAX_DEVICES_PER_LOCATION, SECRET_PREFIX, DeviceToken
from ictmonitor.registry.models import Location

DEVICE_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def issue(location: Location, device: str, by: Any) -> tuple[DeviceToken, str]:
    """A new token for a device at a location, and its secret (shown once)."""
    device = device.strip()
    if not DEVICE_ID.match(device):
        raise WriteRefused(_("A device id has letters, digits, - and _ only, at most 40."))
    _user, actor = who(by)
    now = timezone.now()
    with transaction.atomic():
        list(Location.objects.select_for_update().filter(pk=location.pk).order_by()
             .values_list("pk", flat=True))
        in_force = DeviceToken.objects.filter(location=location, revoked_at__isnull=True)
        if in_force.filter(device=device).exists():
            raise WriteRefused(_("Device %(device)s has a token already; revoke it first.")
                               % {"device": device}, "conflict")
        if in_force.count() >= MAX_DEVICES_PER_LOCATION:
            raise WriteRefused(_("A location has at most %(most)s measuring devices.")
                               % {"most": MAX_DEVICES_PER_LOCATION})
        prefix, secret = bearer.new_secret(
            SECRET_PREFIX, taken=lambda p: DeviceToken.objects.filter(prefix=p).exists())
        token = DeviceToken.objects.create(location=location, device=device, prefix=prefix,
                                           digest=bearer.digest(secret),
                                           **stamp(actor, now, created=True))
        audit(by, now, "create", DeviceToken, _key(token),
              {"device": (None, device), "prefix": (None, prefix)})
    return token, secret


def revoke(token: DeviceToken, by: Any) -> None:
    """Revoke a token: its device's posts are refused from now on; its measurements stay."""
    _user, actor = who(by)
    now = timezone.now()
    with transaction.atomic():
        done = DeviceToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now, **stamp(actor, now))
        if not done:
            raise WriteRefused(_("This token was revoked already."), "conflict")
        audit(by, now, "update", DeviceToken, _key(token), {"revoked_at": (None, now)})


# What a post needs of its token, read in one plain query (no ORM on a path 200 agents take
# at the same instant), in the model's field order as from_db takes them; the other columns are
# loaded if ever asked for (deferred).
AUTHENTICATED = ("id", "location_id", "device", "prefix", "digest")


def authenticate(secret: str) -> DeviceToken | None:
    """The token in force a secret belongs to, or None (a revoked token at once: read each
    time). The secret's SHA-256 digest is compared in constant time."""
    prefix = bearer.prefix_of(secret, SECRET_PREFIX)
    if prefix is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(AUTHENTICATED)} FROM measurements_devicetoken "
                       "WHERE prefix = %s AND revoked_at IS NULL", [prefix])
        row = cursor.fetchone()
    if row is None or not bearer.matches(row[-1], secret):
        return None
    return DeviceToken.from_db(connection.alias, AUTHENTICATED, row)


def _key(token: DeviceToken) -> str:
    return f"{token.location_id}/{token.device}/{token.prefix}"
