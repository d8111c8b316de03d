"""`ictmonitor serve`: the site over HTTP, with its static files."""

from __future__ import annotations

import threading
import time
import urllib.request
from io import StringIO

from django.core.management import call_command

from ictmonitor.core.management.commands.serve import Command


def test_serve_prints_its_url_and_serves_static_files() -> None:
    command = Command(stdout=StringIO(), stderr=StringIO())
    thread = threading.Thread(target=call_command, args=(command,),
                              kwargs={"port": 0, "threads": 2}, daemon=True)
    thread.start()
    for _ in range(100):
        if command.server is not None and "http://" in command.stdout._out.getvalue():
            break
        time.sleep(0.05)
    url = command.stdout._out.getvalue().split()[4]
    assert url.startswith("http://127.0.0.1:")
    try:
        with urllib.request.urlopen(f"{url}static/admin/css/base.css", timeout=10) as response:  # noqa: S310
            assert response.status == 200
            assert "text/css" in response.headers["Content-Type"]
    finally:
        command.server.close()
        thread.join(timeout=5)
