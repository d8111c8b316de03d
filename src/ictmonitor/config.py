"""Reading ICTMONITOR_* environment variables into Django settings values."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

PACKAGE_DIR = Path(__file__).resolve().parent


def checkout_dir() -> Path:
    """The repository root when running from a checkout, else the working directory."""
    candidate = PACKAGE_DIR.parent.parent
    return candidate if (candidate / "pyproject.toml").exists() else Path.cwd()


def env(name: str, default: str = "") -> str:
    """The value of ICTMONITOR_<name>, or the default."""
    return os.environ.get(f"ICTMONITOR_{name}", default)


def env_flag(name: str, default: bool = False) -> bool:
    """A yes/no ICTMONITOR_<name> variable."""
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class SettingError(ValueError):
    """An ICTMONITOR_* variable holds a value its setting cannot take."""


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """A whole-number ICTMONITOR_<name> variable, at least `minimum`."""
    value = env(name).strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"ICTMONITOR_{name}: {value!r} is not a whole number") from None
    if number < minimum:
        raise SettingError(f"ICTMONITOR_{name}: {number} is less than {minimum}")
    return number


def data_dir() -> Path:
    """Where the embedded database, the secret key and uploads live."""
    path = Path(env("DATA_DIR") or checkout_dir() / "data")
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key() -> str:
    """ICTMONITOR_SECRET_KEY, or one generated once and kept in the data folder."""
    given = env("SECRET_KEY")
    if given:
        return given
    key_file = data_dir() / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class DatabaseUrlError(ValueError):
    """ICTMONITOR_DATABASE_URL could not be understood."""


def database_from_url(url: str) -> dict[str, object]:
    """Django DATABASES entry for sqlite:///PATH or postgresql://USER:PASS@HOST:PORT/NAME."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        raw = unquote(parts.path)
        # sqlite:///relative/path and sqlite:////absolute/path, as SQLAlchemy spells them
        path = Path(raw[1:])
        if not path.is_absolute():
            path = checkout_dir() / path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                # Write-ahead logging: readers never wait for the writer; commits stay durable
                # against a crash of the process, the usual set-up for SQLite behind a website.
                # Bounded page caches (64 MiB each for the tables and for the temporary
                # staging tables of imports): memory stays flat however large a file is.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA cache_size=-65536; PRAGMA temp.cache_size=-65536;"
                ),
            },
        }
    if parts.scheme in {"postgres", "postgresql"}:
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        host = query.pop("host", parts.hostname or "")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": host,
            "PORT": str(parts.port or query.pop("port", "")),
            "OPTIONS": query,
            "CONN_MAX_AGE": 60,
        }
    raise DatabaseUrlError(
        f"ICTMONITOR_DATABASE_URL: unknown scheme {parts.scheme!r}; "
        "expected sqlite:///PATH or postgresql://USER:PASSWORD@HOST:PORT/NAME"
    )


def default_database_url() -> str:
    """The embedded SQLite database in the data folder."""
    return f"sqlite:///{data_dir() / 'ictmonitor.sqlite3'}"


EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
}


def mailers_from_url(url: str) -> dict[str, object]:
    """Django's MAILERS for ICTMONITOR_EMAIL_URL: `smtp://USER:PASS@HOST:PORT` (STARTTLS;
    `?tls=false` for none), `smtps://…` (TLS from the start, as providers' port 465 needs),
    `console://` (the default: e-mails written to the server's output, nothing sent),
    `locmem://` or `dummy://`."""
    parts = urlsplit(url or "console://")
    backend = EMAIL_BACKENDS.get(parts.scheme)
    if backend is None:
        raise SettingError(f"ICTMONITOR_EMAIL_URL: unknown scheme {parts.scheme!r}; expected "
                           "smtp://USER:PASSWORD@HOST:PORT, smtps://…, console:// or locmem://")
    options: dict[str, object] = {}
    if parts.scheme in {"smtp", "smtps"}:
        query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
        if not parts.hostname:
            raise SettingError("ICTMONITOR_EMAIL_URL: no host in the smtp address")
        ssl = parts.scheme == "smtps"
        options = {
            "host": parts.hostname,
            "port": parts.port or (465 if ssl else 587),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": ssl,
            "use_tls": not ssl and query.get("tls", "true") not in {"0", "false", "no"},
            "timeout": 30,
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}
