"""`ictmonitor serve`: the site over HTTP, with its static files."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request

SERVE = [sys.executable, "-c", "from ictmonitor.cli import main; main()", "serve", "--port", "0",
         "--threads", "2"]


def test_serve_prints_its_url_and_serves_static_files(tmp_path) -> None:
    # A data folder of its own: the static files are collected there on the first start (the
    # suite's folder may hold them from the other database's run already).
    env = {**os.environ, "ICTMONITOR_DATA_DIR": str(tmp_path)}
    server = subprocess.Popen(SERVE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env)
    try:
        first = server.stdout.readline() if server.stdout else ""
        assert first.startswith("ictmonitor is served at http://127.0.0.1:"), (
            first + (server.stderr.read() if server.poll() is not None and server.stderr else ""))
        url = first.split()[4]
        with urllib.request.urlopen(f"{url}static/admin/css/base.css", timeout=10) as response:  # noqa: S310
            assert response.status == 200
            assert "text/css" in response.headers["Content-Type"]
    finally:
        server.terminate()
        server.wait(timeout=10)
    warnings = server.stderr.read() if server.stderr else ""
    assert "No directory at" not in warnings  # collected before WhiteNoise looked (issue 17)
    assert "static files collected" in warnings
