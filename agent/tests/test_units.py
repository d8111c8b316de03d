"""The agent's own units, with the standard library only (unittest; no Django, no pytest):
LibreSpeed's ping and jitter, the path by address or command, the queue, the settings, and the
posting of a queue against a small HTTP server that answers as ictmonitor's ingest does."""

from __future__ import annotations

import json
import sys
import tempfile
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from unittest import mock

from ictmonitor_agent import config, pathcheck, poster, speedtest
from ictmonitor_agent.queue import Queue
from ictmonitor_agent.runner import Agent


class Ingest(BaseHTTPRequestHandler):
    """Answers as ictmonitor: keys seen before are duplicates, a missing offset is refused."""

    seen: set[str] = set()
    posts: list[list[dict[str, Any]]] = []
    token = "ictd_ab_secret"

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.headers.get("Authorization") != f"Bearer {self.token}":
            self._answer(401, {"detail": "Unauthorized"})
            return
        items = body["measurements"]
        self.posts.append(items)
        results = []
        for index, item in enumerate(items):
            key = item["key"]
            if not item["measured_at"].endswith(("Z", "+00:00")):
                results.append({"index": index, "key": key, "status": "refused",
                                "reason": "measured_at: has no offset"})
            elif key in self.seen:
                results.append({"index": index, "key": key, "status": "duplicate"})
            else:
                self.seen.add(key)
                results.append({"index": index, "key": key, "status": "accepted"})
        self._answer(200, {"results": results})

    def do_GET(self) -> None:  # noqa: N802
        if self.path.startswith("/speedtest/getIP"):
            self._answer(200, {"processedString": "203.0.113.9 - a provider", "rawIspInfo": ""})
        else:
            self._answer(200, {})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


class Portal:
    """Answers that are not ictmonitor's: a page with status 200, an answer cut short."""

    @staticmethod
    def send(handler: BaseHTTPRequestHandler, page: bytes) -> None:
        handler.rfile.read(int(handler.headers["Content-Length"]))
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(page)))
        handler.end_headers()
        handler.wfile.write(page)

    @staticmethod
    def break_off(handler: BaseHTTPRequestHandler) -> None:
        handler.rfile.read(int(handler.headers["Content-Length"]))
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.write(b'{"results": [')
        handler.close_connection = True


class WithServer(unittest.TestCase):
    def setUp(self) -> None:
        Ingest.seen, Ingest.posts = set(), []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Ingest)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.folder = Path(tempfile.mkdtemp())

    def tearDown(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def result(self, second: int, kind: str = "ping", offset: str = "+00:00") -> dict[str, Any]:
        at = f"2026-03-02T09:15:{second:02d}{offset}"
        return {"key": f"{at}/{kind}", "measured_at": at, "kind": kind, "path": "primary",
                "reachable": 1}


class Posting(WithServer):
    def test_a_queue_goes_in_batches_and_answered_results_leave_it(self) -> None:
        queue = Queue(self.folder)
        for second in range(5):
            queue.put(self.result(second))
        queue.put(self.result(5, offset=""))
        done = poster.flush(queue, self.url + poster.INGEST, Ingest.token, batch_size=2)
        self.assertEqual((done.accepted, done.duplicates, done.refused), (5, 0, 1))
        self.assertEqual([len(batch) for batch in Ingest.posts], [2, 2, 2])
        self.assertEqual(queue.size(), 0)
        refused = json.loads(next((self.folder / "refused").glob("*.json")).read_text())
        self.assertEqual(refused["refused_because"], "measured_at: has no offset")
        self.assertEqual(len((self.folder / "journal.jsonl").read_text().splitlines()), 6)

    def test_sent_again_is_a_duplicate_and_leaves_the_queue(self) -> None:
        queue = Queue(self.folder)
        queue.put(self.result(1))
        poster.flush(queue, self.url + poster.INGEST, Ingest.token)
        queue.put(self.result(1))
        done = poster.flush(queue, self.url + poster.INGEST, Ingest.token)
        self.assertEqual((done.accepted, done.duplicates), (0, 1))
        self.assertEqual(queue.size(), 0)

    def test_unreachable_keeps_everything(self) -> None:
        queue = Queue(self.folder)
        queue.put(self.result(1))
        self.tearDown()
        with self.assertRaises(OSError):
            poster.flush(queue, self.url + poster.INGEST, Ingest.token)
        self.assertEqual(queue.size(), 1)
        self.setUp()

    def test_an_answer_that_is_not_ictmonitors_keeps_everything(self) -> None:
        queue = Queue(self.folder)
        queue.put(self.result(1))
        for page in (b"<html>Log in to the school's Wi-Fi</html>", b"[]", b""):
            answer = mock.patch.object(Ingest, "do_POST",
                                       lambda handler, page=page: Portal.send(handler, page))
            with answer, self.assertRaises(OSError):
                poster.flush(queue, self.url + poster.INGEST, Ingest.token)
            self.assertEqual(queue.size(), 1)

    def test_a_broken_answer_keeps_everything(self) -> None:
        queue = Queue(self.folder)
        queue.put(self.result(1))
        broken = mock.patch.object(Ingest, "do_POST", Portal.break_off)
        with broken, self.assertRaises(OSError):
            poster.flush(queue, self.url + poster.INGEST, Ingest.token)
        self.assertEqual(queue.size(), 1)

    def test_a_refused_token_keeps_everything(self) -> None:
        queue = Queue(self.folder)
        queue.put(self.result(1))
        with self.assertRaises(poster.TokenRefused):
            poster.flush(queue, self.url + poster.INGEST, "ictd_ab_wrong")
        self.assertEqual(queue.size(), 1)

    def test_a_change_of_public_address_is_a_failover(self) -> None:
        settings = config.Config(server=self.url, token=Ingest.token,
                                 state_dir=str(self.folder), backup_addresses="203.0.113.0/24")
        agent = Agent(settings)
        agent.state["path"] = "primary"
        self.assertEqual(agent.path(), "backup")
        waiting = [json.loads(p.read_text()) for p in (self.folder / "queue").glob("*.json")]
        self.assertEqual([(r["kind"], r["path"]) for r in waiting], [("failover", "backup")])
        self.assertEqual(agent.path(), "backup")  # no change, no second failover
        self.assertEqual(Agent(settings).state["path"], "backup")  # kept across restarts


class LibreSpeedFigures(unittest.TestCase):
    def test_ping_is_the_lowest_and_jitter_librespeeds_weighted_mean(self) -> None:
        rounds = iter([10.0, 14.0, 12.0, 20.0, 11.0])  # ms each request takes
        clock = {"now": 0.0, "started": False}

        def perf_counter() -> float:
            if clock["started"]:
                clock["now"] += next(rounds) / 1000
            clock["started"] = not clock["started"]
            return clock["now"]

        connection = mock.MagicMock()
        connection.getresponse.return_value.status = 200
        with mock.patch.object(speedtest, "connect", return_value=(connection, "/empty")), \
                mock.patch.object(speedtest.time, "perf_counter", perf_counter):
            ping, jitter = speedtest.ping_and_jitter("http://x/empty", count=5)
        # differences 4, 2, 8, 9: jitter 4, then 4*0.8+2*0.2=3.6, 3.6*0.3+8*0.7=6.68,
        # 6.68*0.3+9*0.7=8.304
        self.assertAlmostEqual(ping, 10.0)
        self.assertAlmostEqual(jitter, 8.304)

    def test_public_address_reads_librespeeds_json_and_plain_text(self) -> None:
        for body, expected in ((b'{"processedString": "198.51.100.4 - ISP"}', "198.51.100.4"),
                               (b"2001:db8::1\n", "2001:db8::1")):
            connection = mock.MagicMock()
            connection.getresponse.return_value.status = 200
            connection.getresponse.return_value.read.return_value = body
            with mock.patch.object(speedtest, "connect", return_value=(connection, "/getIP")):
                self.assertEqual(speedtest.public_address("http://x/getIP"), expected)


class Paths(unittest.TestCase):
    def test_by_address(self) -> None:
        primary = pathcheck.networks("198.51.100.0/24")
        backup = pathcheck.networks("203.0.113.7, 2001:db8::/32")
        self.assertEqual(pathcheck.by_address("198.51.100.20", primary, backup), "primary")
        self.assertEqual(pathcheck.by_address("203.0.113.7", primary, backup), "backup")
        self.assertEqual(pathcheck.by_address("2001:db8::5", [], backup), "backup")
        self.assertEqual(pathcheck.by_address("192.0.2.1", primary, []), "backup")
        self.assertEqual(pathcheck.by_address("192.0.2.1", [], backup), "primary")
        with self.assertRaises(ValueError):
            pathcheck.by_address("not an address", primary, backup)

    def test_by_command(self) -> None:
        python = f'"{sys.executable}" -S -c'
        self.assertEqual(pathcheck.by_command(f"{python} \"print('backup')\""), "backup")
        self.assertEqual(pathcheck.by_command(f"{python} \"print('Primary up')\""), "primary")
        with self.assertRaises(ValueError):
            pathcheck.by_command(f"{python} \"print('lte')\"")


class Settings(unittest.TestCase):
    def test_a_file_then_the_environment_then_the_command_line(self) -> None:
        path = Path(tempfile.mkdtemp()) / "agent.ini"
        path.write_text("[agent]\nserver = https://ictmonitor.example/\ntoken = ictd_a_b\n"
                        "speed_every = 3600\nping_school_hours_only = no\nstreams = 4\n")
        with mock.patch.dict("os.environ", {"ICTMONITOR_AGENT_TOKEN": "ictd_env_x"}):
            loaded = config.load(str(path), {"streams": 2, "state_dir": None})
        self.assertEqual((loaded.server, loaded.token, loaded.speed_every), (
            "https://ictmonitor.example/", "ictd_env_x", 3600.0))
        self.assertEqual((loaded.ping_school_hours_only, loaded.streams), (False, 2))
        self.assertEqual(loaded.speedtest_url(), "https://ictmonitor.example/speedtest/")
        self.assertEqual(loaded.ingest_url(),
                         "https://ictmonitor.example/api/v1/measurements/batches")
        self.assertEqual(loaded.problems(), [])

    def test_a_wrong_setting_is_named(self) -> None:
        path = Path(tempfile.mkdtemp()) / "agent.ini"
        path.write_text("[agent]\nspeed_evry = 3600\n")
        with self.assertRaisesRegex(ValueError, r"agent.ini: \[agent\] speed_evry: not a"):
            config.load(str(path), {})
        path.write_text("[agent]\nping_school_hours_only = maybe\n")
        with self.assertRaisesRegex(ValueError, "ping_school_hours_only: 'maybe' is not yes"):
            config.load(str(path), {})
        self.assertEqual(len(config.Config().problems()), 2)


if __name__ == "__main__":
    unittest.main()
