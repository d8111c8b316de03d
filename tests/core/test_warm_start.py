"""A server loads every page's code before it takes requests (core/warm.py): the first upload
after a start waited seconds for the URLconf's imports before its answer (issue 13)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import clear_url_caches, get_resolver

from ictmonitor.core import warm
from ictmonitor.core.management.commands import serve


def test_serve_loads_every_page_before_it_takes_requests(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    order: list[str] = []

    class Server:  # waitress's server, which would take requests from run()
        effective_port = 8000

        def run(self) -> None:
            order.append("requests")
            raise KeyboardInterrupt

        def close(self) -> None:
            pass

    monkeypatch.setattr(serve.Command, "_close_unfinished", lambda self: None)
    monkeypatch.setattr(serve.Command, "_collect_static", lambda self: None)
    monkeypatch.setattr(serve, "load_every_page", lambda: order.append("pages loaded"))
    monkeypatch.setattr("waitress.server.create_server", lambda *a, **k: Server())
    monkeypatch.setattr(serve.signal, "signal", lambda *a: None)
    serve.Command().handle(host="127.0.0.1", port=0, threads=1, no_worker=True)
    assert order == ["pages loaded", "requests"]


def test_every_page_is_loaded_with_the_maps_of_its_names(settings: Any) -> None:
    clear_url_caches()  # as a process that has served nothing yet
    resolver = get_resolver()
    assert not resolver._populated
    warm.load_every_page()
    assert get_resolver() is resolver and resolver._populated
    assert "api" in resolver.namespace_dict  # the jobs' addresses an upload answers with
