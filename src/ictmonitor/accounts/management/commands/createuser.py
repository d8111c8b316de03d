"""`ictmonitor createuser USERNAME --role ROLE ...`: make or update an account and its memberships.

    ictmonitor createuser an --role coordinator --institution 12345 --password-stdin < pw.txt
    ictmonitor createuser bo --role board --board 950001 --school-group 110001
    ictmonitor createuser feed --role provider --provider telenet --no-password

Memberships given replace that kind of membership; kinds not given stay as they are. Without
--password-stdin or --no-password it asks for the password twice.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ictmonitor.accounts.models import Role, User
from ictmonitor.accounts.services import check_role, save_user
from ictmonitor.connectivity.selectors import provider_with_code
from ictmonitor.core.recording import WriteRefused
from ictmonitor.registry.models import Board, Institution, SchoolGroup

# Which membership each role needs to see anything.
NEEDS = {
    Role.COORDINATOR: ("institutions", "--institution"),
    Role.BOARD: ("boards", "--board or --school-group"),
    Role.PROVIDER: ("provider", "--provider"),
}


class Command(BaseCommand):
    help = "Create or update a user with a role and memberships (institutions, boards, provider)."

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the options."""
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=", ".join(Role.values))
        parser.add_argument("--email", help="e-mail address")
        parser.add_argument(
            "--institution",
            action="append",
            metavar="NUMBER",
            default=None,
            help="institution number; repeat for more",
        )
        parser.add_argument(
            "--board",
            action="append",
            metavar="CODE",
            default=None,
            help="school board number; repeat for more",
        )
        parser.add_argument(
            "--school-group",
            action="append",
            metavar="CODE",
            default=None,
            help="school group number; repeat for more",
        )
        parser.add_argument("--provider", metavar="CODE", help="internet provider code")
        password = parser.add_mutually_exclusive_group()
        password.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )
        password.add_argument(
            "--no-password",
            action="store_true",
            help="set no password (token-only account); keeps an existing one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Create or update the user."""
        username = options["username"].strip()
        if not username:
            raise CommandError(_("The user name is empty."))
        try:
            role = check_role(options["role"])
            memberships = self.memberships(options)
            password = (None if options["no_password"]
                        else self.password(options["password_stdin"]))
            user, created = save_user(username, role=role, email=options["email"],
                                      password=password, memberships=memberships,
                                      by=f"{getpass.getuser()} (command line)")
        except WriteRefused as refused:
            raise CommandError(str(refused)) from refused
        self.warn_if_sees_nothing(user)
        verb = _("Created") if created else _("Updated")
        self.stdout.write(f"{verb} {user.username} ({user.role}).")

    def memberships(self, options: dict[str, Any]) -> dict[str, Any]:
        """The memberships asked for, looked up; a CommandError for the first unknown one."""
        found: dict[str, Any] = {}
        kinds: list[tuple[str, str, Any, str, str]] = [
            ("institutions", "institution", Institution, "number", _("institution")),
            ("boards", "board", Board, "code", _("board")),
            ("school_groups", "school_group", SchoolGroup, "code", _("school group")),
        ]
        for field, option, model, key, label in kinds:
            wanted = options[option]
            if wanted is None:
                continue
            rows = {getattr(r, key): r for r in model.objects.filter(**{f"{key}__in": wanted})}
            for value in wanted:
                if value not in rows:
                    raise CommandError(
                        _("Unknown %(kind)s %(value)r.") % {"kind": label, "value": value}
                    )
            found[field] = [rows[v] for v in dict.fromkeys(wanted)]
        if options["provider"] is not None:
            code = options["provider"]
            provider = provider_with_code(code)
            if provider is None:
                raise CommandError(_("Unknown provider %(value)r.") % {"value": code})
            found["provider"] = provider
        return found

    def password(self, from_stdin: bool) -> str:
        """The new password, read from stdin or asked for twice."""
        if from_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError(_("No password on standard input."))
            return password
        first = getpass.getpass(_("Password: "))
        if first != getpass.getpass(_("Password (again): ")):
            raise CommandError(_("The passwords do not match."))
        if not first:
            raise CommandError(_("The password is empty."))
        return first

    def warn_if_sees_nothing(self, user: User) -> None:
        """Say so when the role's membership is missing, since the user would see nothing."""
        need = NEEDS.get(Role(user.role))
        if need is None:
            return
        field, option = need
        if field == "boards":
            has = user.boards.exists() or user.school_groups.exists()
        elif field == "provider":
            has = user.provider_id is not None
        else:
            has = getattr(user, field).exists()
        if not has:
            self.stderr.write(
                _("Warning: a %(role)s without %(option)s sees nothing.")
                % {"role": user.role, "option": option}
            )
