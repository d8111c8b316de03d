"""The agent's settings: an INI file's [agent] section, then the environment's
ICTMONITOR_AGENT_TOKEN, then the command line. See README.md for every key."""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


@dataclass
class Config:
    server: str = ""                      # ictmonitor's address, https://ictmonitor.example/
    token: str = ""                       # the device token, ictd_...
    token_file: str = ""                  # or a file holding it
    speedtest: str = ""                   # the LibreSpeed server; default SERVER/speedtest/
    speedtest_suffix: str = ""            # ".php" for LibreSpeed's PHP back end
    state_dir: str = "/var/lib/ictmonitor-agent"
    speed_every: float = 6 * 3600         # seconds between speed tests (four a day)
    ping_every: float = 15 * 60           # seconds between reachability checks
    ping_school_hours_only: bool = True   # pings Monday–Friday 08:00–17:00 local time only
    ping_url: str = ""                    # what a reachability check asks; default `empty`
    ping_tries: int = 4
    download_seconds: float = 10.0
    upload_seconds: float = 10.0
    streams: int = 3
    chunks: int = 25                      # MiB per download request (ckSize)
    pings: int = 10                       # requests for latency and jitter
    primary_addresses: str = ""           # public addresses/networks of the primary line
    backup_addresses: str = ""            # … of the backup line
    path_command: str = ""                # or a command printing primary or backup
    batch_size: int = 100
    extra: dict = field(default_factory=dict)

    def speedtest_url(self) -> str:
        base = self.speedtest or (self.server.rstrip("/") + "/speedtest/")
        return base if base.endswith("/") else base + "/"

    def ingest_url(self) -> str:
        from ictmonitor_agent.poster import INGEST

        return self.server.rstrip("/") + "/" + INGEST

    def secret(self) -> str:
        if self.token:
            return self.token.strip()
        if self.token_file:
            return Path(self.token_file).read_text(encoding="utf-8").strip()
        return ""

    def problems(self) -> list[str]:
        found = []
        if not self.server.startswith(("http://", "https://")):
            found.append("server: ictmonitor's address, http(s)://…, is required")
        if not self.secret():
            found.append("token: the device token (or token_file, or ICTMONITOR_AGENT_TOKEN) "
                         "is required")
        if self.batch_size < 1 or self.batch_size > 500:
            found.append("batch_size: 1 to 500")
        return found


def _typed(name: str, kind: Any, text: str) -> Any:
    if kind in (bool, "bool"):
        lowered = text.strip().lower()
        if lowered not in ("1", "0", "yes", "no", "true", "false", "on", "off"):
            raise ValueError(f"{name}: {text!r} is not yes or no")
        return lowered in ("1", "yes", "true", "on")
    if kind in (int, "int"):
        return int(text)
    if kind in (float, "float"):
        return float(text)
    return text.strip()


def load(path: str | None, overrides: dict[str, Any]) -> Config:
    """The settings from the file (if any), the environment and the command line, in that
    order; a key the agent does not know, or a value of the wrong kind, is an error naming it."""
    config = Config()
    known = {f.name: f.type for f in fields(Config) if f.name != "extra"}
    if path:
        parser = configparser.ConfigParser(interpolation=None)
        with open(path, encoding="utf-8") as source:
            parser.read_file(source)
        if not parser.has_section("agent"):
            raise ValueError(f"{path}: no [agent] section")
        for name, text in parser.items("agent"):
            if name not in known:
                raise ValueError(f"{path}: [agent] {name}: not a setting of the agent")
            try:
                setattr(config, name, _typed(name, known[name], text))
            except ValueError as error:
                raise ValueError(f"{path}: [agent] {error}") from None
    if os.environ.get("ICTMONITOR_AGENT_TOKEN"):
        config.token = os.environ["ICTMONITOR_AGENT_TOKEN"]
    for name, value in overrides.items():
        if value is not None:
            setattr(config, name, value)
    return config
