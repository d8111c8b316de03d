"""One demo login per role, with memberships that show what each role sees."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from ictmonitor.accounts.models import Role, User
from ictmonitor.connectivity.models import Provider
from ictmonitor.registry.models import Board, Institution

PROVIDERS = {"telenet": "Telenet", "proximus": "Proximus"}
# Tried in order: the first pattern the password validators accept for every role is used.
PASSWORD_PATTERNS = ("{role}-demo", "Demo-{role}-2026")
ROLES = (Role.ANALYST, Role.BOARD, Role.COORDINATOR, Role.PROVIDER, Role.ADMIN)


@dataclass(frozen=True)
class DemoLogin:
    """A demo account as the demo command prints it."""

    username: str
    password: str
    role: str
    sees: str


def _user(role: str) -> User:
    user = User.objects.filter(username=role).first() or User(username=role)
    user.role = role
    user.email = f"{role}@example.org"
    user.first_name, user.last_name = "Demo", str(Role(role).label)
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.is_active = True
    return user


def demo_passwords() -> dict[str, str]:
    """The password of each demo role: deterministic, and accepted by the password validators."""
    for pattern in PASSWORD_PATTERNS:
        passwords = {role.value: pattern.format(role=role.value) for role in ROLES}
        try:
            for role, password in passwords.items():
                validate_password(password, _user(role))
        except ValidationError:
            continue
        return passwords
    raise ValidationError("no demo password pattern passes the password validators")


def demo_board() -> Board | None:
    """A board with several schools: the largest with 5 to 20, else the largest there is."""
    boards = Board.objects.annotate(schools=Count("institution")).order_by("-schools", "code")
    return boards.filter(schools__gte=5, schools__lte=20).first() or boards.first()


def demo_school() -> Institution | None:
    """A basisschool with pupils and two or more locations, else the best there is."""
    schools = Institution.objects.annotate(
        sites=Count("locations", distinct=True),
        counts=Count("locations__enrolments", distinct=True),
    ).order_by("number")
    for wanted in (
        {"level": "basis", "special": False, "institution_type": "Basisschool",
         "sites__gte": 2, "counts__gt": 0},
        {"level": "basis", "sites__gte": 2},
        {"level": "basis"},
        {},
    ):
        school = schools.filter(**wanted).first()
        if school is not None:
            return school
    return None


@transaction.atomic
def create_demo_users() -> list[DemoLogin]:
    """Create or update the five demo users, the demo providers, and their memberships."""
    for code, name in PROVIDERS.items():
        Provider.objects.update_or_create(code=code, defaults={"name": name})
    passwords = demo_passwords()
    board, school = demo_board(), demo_school()
    sees = {
        Role.ANALYST: "alle scholen / all schools",
        Role.BOARD: f"bestuur / board {board.code}: {board.institution_set.count()} "
                    "scholen / schools" if board else "-",
        Role.COORDINATOR: f"{school.name} ({school.number})" if school else "-",
        Role.PROVIDER: PROVIDERS["telenet"],
        Role.ADMIN: "beheer / administration",
    }
    logins = []
    for role in ROLES:
        user = _user(role)
        user.provider = Provider.objects.get(code="telenet") if role == Role.PROVIDER else None
        user.set_password(passwords[role])
        user.save()
        user.boards.set([board] if role == Role.BOARD and board else [])
        user.institutions.set([school] if role == Role.COORDINATOR and school else [])
        user.school_groups.set([])
        logins.append(DemoLogin(user.username, passwords[role], role.value, sees[role]))
    return logins
