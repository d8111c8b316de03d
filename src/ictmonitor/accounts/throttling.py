"""Login throttling: django-axes, with a limit of its own for each lock-out rule.

django-axes counts failed logins by each rule of AXES_LOCKOUT_PARAMETERS (one user name from
one address, one address, one user name) and locks when the rule with the most failures reaches
AXES_FAILURE_LIMIT: one limit for every rule. Five is right for one user name from one address,
but far too few for one address whatever the names (a school's whole staff share one address)
and for one name from anywhere (anyone could lock anyone out). So each rule has its own limit,
settings.LOGIN_THROTTLE_RULES, and axes is told the failures of the rule nearest its limit,
on the scale of AXES_FAILURE_LIMIT: it locks exactly when some rule has reached its own limit.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def scaled_failures(failures: list[int], limits: list[int], scale: int) -> int:
    """The rules' failures against their own limits, as one count against `scale`: at least
    `scale` exactly when some rule's failures have reached its limit."""
    return max((count * scale // limit for count, limit in zip(failures, limits, strict=True)),
               default=0)


class PerRuleLimits(AxesDatabaseHandler):
    """The database handler of django-axes with a limit for each lock-out rule."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """Failed logins within the cool-off time, scaled as scaled_failures says."""
        failures = [attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
                    for attempts in self.get_user_attempts(request, credentials)]
        limits = [limit for _, limit in settings.LOGIN_THROTTLE_RULES]
        return scaled_failures(failures, limits, settings.AXES_FAILURE_LIMIT)

    def reset_user_attempts(self, request: HttpRequest,
                            credentials: dict[str, Any] | None = None) -> int:
        """After a successful login, forget that user's own failures from that address, and
        no others: logging in to one's own account must not wipe the failures an address
        piled up against other accounts, nor those made against this one from elsewhere."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address  # type: ignore[attr-defined]
        ).delete()
        return count
