"""Users, their role, what they belong to (institutions, boards, a provider) and API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ictmonitor.core import bearer
from ictmonitor.core.nowait import write_unless_busy
from ictmonitor.core.roles import Role

# How often a token's last use is written down: the list of tokens shows it to the minute or so.
USE_RECORDED_EVERY = timedelta(minutes=5)
SECRET_KIND = "ictm"  # noqa: S105 (a label, not a secret)


class User(AbstractUser):
    """An account. No pupil ever has one; staff log in with a user name and password."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    institutions = models.ManyToManyField(
        "registry.Institution", blank=True, related_name="coordinators",
        verbose_name=_("institutions"),
    )
    boards = models.ManyToManyField(
        "registry.Board", blank=True, related_name="members", verbose_name=_("boards")
    )
    school_groups = models.ManyToManyField(
        "registry.SchoolGroup", blank=True, related_name="members",
        verbose_name=_("school groups"),
    )
    provider = models.ForeignKey(
        "connectivity.Provider", null=True, blank=True, on_delete=models.PROTECT,
        related_name="users", verbose_name=_("provider"),
    )

    REQUIRED_FIELDS = ["email", "role"]

    class Meta:
        verbose_name = _("user")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_known"
            ),
        ]


class ApiToken(models.Model):
    """A secret that lets a program (a provider's feed, an integration) act as a user on the API.

    Only a hash is stored; the secret is shown once, when the token is made.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """Make a token; returns it and the secret, which is never shown again."""
        prefix, secret = bearer.new_secret(
            SECRET_KIND, taken=lambda p: cls.objects.filter(prefix=p).exists())
        token = cls.objects.create(user=user, name=name, prefix=prefix,
                                   digest=bearer.digest(secret))
        return token, secret

    @classmethod
    def authenticate(cls, secret: str) -> User | None:
        """The active user a secret belongs to, or None."""
        prefix = bearer.prefix_of(secret, SECRET_KIND)
        if prefix is None:
            return None
        token = cls.objects.select_related("user").filter(
            prefix=prefix, revoked_at__isnull=True
        ).first()
        if token is None or not bearer.matches(token.digest, secret):
            return None
        if not token.user.is_active:
            return None
        token.record_use(timezone.now())
        return token.user

    def record_use(self, now: datetime) -> None:
        """Note that the token was used, at most once per USE_RECORDED_EVERY and never making
        the request wait: a read must not queue behind another writer (an import's merge)."""
        since = now - USE_RECORDED_EVERY
        if self.last_used_at is not None and self.last_used_at > since:
            return
        stale = models.Q(last_used_at__isnull=True) | models.Q(last_used_at__lte=since)
        write_unless_busy(lambda: ApiToken.objects.filter(stale, pk=self.pk)
                          .update(last_used_at=now))
