"""`ictmonitor token create|list|revoke`: the API tokens programs use to act as a user.

ictmonitor token create feed --name "telenet nightly feed"   # prints the secret, once
ictmonitor token list [USERNAME]
ictmonitor token revoke PREFIX
"""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmonitor.accounts.models import ApiToken, User
from ictmonitor.accounts.services import issue_token, revoke_tokens
from ictmonitor.core.recording import WriteRefused


def command_line() -> str:
    """Who the audit log names for a write made on the command line."""
    return f"{getpass.getuser()} (command line)"


class Command(BaseCommand):
    help = "Create, list and revoke API tokens (Authorization: Bearer ictm_...)."

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the subcommands."""
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="make a token and print its secret once")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what the token is for")
        listing = actions.add_parser("list", help="list tokens, of one user or of all")
        listing.add_argument("username", nargs="?")
        revoke = actions.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the subcommand."""
        action = options["action"]
        if action == "create":
            self.create(options["username"], options["name"])
        elif action == "list":
            self.list_tokens(options["username"])
        else:
            self.revoke(options["prefix"])

    def create(self, username: str, name: str) -> None:
        """Make a token; the secret goes to stdout alone, the explanation to stderr."""
        user = self.user(username)
        try:
            token, secret = issue_token(user, name, by=command_line())
        except WriteRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stderr.write(
            _("Token %(prefix)s for %(user)s. Store the secret now: it is not shown again.")
            % {"prefix": token.prefix, "user": user.username}
        )
        self.stdout.write(secret)

    def list_tokens(self, username: str | None) -> None:
        """One line per token: prefix, user, state, created, last used, name."""
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if username is not None:
            tokens = tokens.filter(user=self.user(username))
        rows = [
            (
                t.prefix,
                t.user.username,
                _("revoked") if t.revoked_at else _("active"),
                f"{timezone.localtime(t.created_at):%Y-%m-%d %H:%M}",
                f"{timezone.localtime(t.last_used_at):%Y-%m-%d %H:%M}" if t.last_used_at else "-",
                t.name,
            )
            for t in tokens
        ]
        if not rows:
            self.stderr.write(_("No tokens."))
            return
        header = (_("prefix"), _("user"), _("state"), _("created"), _("last used"), _("name"))
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header) - 1)]
        for row in [header, *rows]:
            cells = [str(c).ljust(w) for c, w in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[-1]]))

    def revoke(self, prefix: str) -> None:
        """Revoke the token with this prefix; it stops working at once."""
        token = ApiToken.objects.select_related("user").filter(prefix=prefix.strip()).first()
        if token is None:
            raise CommandError(_("No token with prefix %(prefix)r.") % {"prefix": prefix})
        if not revoke_tokens([token], by=command_line()):
            self.stdout.write(_("Token %(prefix)s was already revoked.") % {"prefix": token.prefix})
            return
        self.stdout.write(
            _("Revoked token %(prefix)s of %(user)s.")
            % {"prefix": token.prefix, "user": token.user.username}
        )

    def user(self, username: str) -> User:
        """The user with this name, or a CommandError."""
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Unknown user %(name)r.") % {"name": username})
        return user
