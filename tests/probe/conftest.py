"""Fixtures for the probe tests: fake file systems, registries, command runners, and a
throttled HTTP server on 127.0.0.1 (loopback only; every loop is bounded)."""

from __future__ import annotations

import fnmatch
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator, Sequence

import pytest

_DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
if str(_DESKTOP) not in sys.path:  # the package is not necessarily installed in the venv
    sys.path.insert(0, str(_DESKTOP))

from readiness.probe.host import CommandResult, split_key  # noqa: E402


# --------------------------------------------------------------------------- fakes


class FakeFileSystem:
    """Files from a dict; directories are implied by the paths; ``links`` maps realpaths."""

    def __init__(self, files: dict[str, str] | None = None, links: dict[str, str] | None = None,
                 dirs: Sequence[str] = ()) -> None:
        self.files = dict(files or {})
        self.links = dict(links or {})
        self.dirs = {d.rstrip("/\\") for d in dirs}

    def _all_dirs(self) -> set[str]:
        result = set(self.dirs)
        for path in list(self.files) + list(self.dirs):
            sep = "\\" if "\\" in path else "/"
            parts = path.split(sep)
            for i in range(1, len(parts)):
                result.add(sep.join(parts[:i]))
        return result

    def read_text(self, path: str) -> str | None:
        return self.files.get(path)

    def exists(self, path: str) -> bool:
        path = path.rstrip("/\\")
        return path in self.files or path in self._all_dirs()

    def is_dir(self, path: str) -> bool:
        return path.rstrip("/\\") in self._all_dirs()

    def list_dir(self, path: str) -> list[str]:
        path = path.rstrip("/\\")
        names = set()
        for entry in list(self.files) + list(self._all_dirs()):
            for sep in ("/", "\\"):
                prefix = path + sep
                if entry.startswith(prefix):
                    rest = entry[len(prefix):]
                    if rest:
                        names.add(rest.split(sep)[0])
        return sorted(names)

    def glob(self, pattern: str) -> list[str]:
        candidates = set(self.files) | self._all_dirs()
        depth = pattern.count("/")
        return sorted(p for p in candidates if p.count("/") == depth and fnmatch.fnmatchcase(p, pattern))

    def file_exists(self, path: str) -> bool:
        return self.exists(path)

    def realpath(self, path: str) -> str:
        return self.links.get(path, path)


class FakeRegistry:
    r"""``{r'HKLM\SOFTWARE\X': {'Value': data}}``; subkeys are implied by longer keys."""

    def __init__(self, keys: dict[str, dict[str, object]]) -> None:
        self.keys: dict[str, tuple[str, dict[str, object]]] = {}
        for key, values in keys.items():
            hive, sub = split_key(key)
            self.keys[f"{hive}\\{sub}".lower()] = (sub, values)

    def _norm(self, key: str) -> str:
        hive, sub = split_key(key)
        return f"{hive}\\{sub}".lower()

    def get_value(self, key: str, name: str) -> object | None:
        return self.keys.get(self._norm(key), ("", {}))[1].get(name)

    def subkeys(self, key: str) -> list[str]:
        prefix = self._norm(key) + "\\"
        depth = prefix.count("\\")
        names: list[str] = []
        for full, (sub, _values) in self.keys.items():
            if full.startswith(prefix):
                original = ("X\\" + sub).split("\\")[depth]  # original spelling
                if original not in names:
                    names.append(original)
        return names


def make_registry(keys: dict[str, dict[str, object]]) -> FakeRegistry:
    return FakeRegistry(keys)


class FakeRunner:
    """A ``run(args, timeout)`` that answers by matching a substring of the joined command."""

    def __init__(self, answers: dict[str, CommandResult | None | Callable[[], CommandResult | None]]) -> None:
        self.answers = answers
        self.calls: list[tuple[list[str], float]] = []

    def __call__(self, args: Sequence[str], timeout: float) -> CommandResult | None:
        self.calls.append((list(args), timeout))
        joined = " ".join(args)
        for needle, answer in self.answers.items():
            if needle in joined:
                return answer() if callable(answer) else answer
        return None


@pytest.fixture
def fake_fs() -> type[FakeFileSystem]:
    return FakeFileSystem


@pytest.fixture
def fake_registry() -> Callable[[dict], FakeRegistry]:
    return make_registry


@pytest.fixture
def fake_runner() -> type[FakeRunner]:
    return FakeRunner


# --------------------------------------------------------------------------- throttled HTTP server


class TokenBucket:
    """``rate`` bytes per second shared by every connection, small burst."""

    def __init__(self, rate: float, burst: int = 32 * 1024) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.stamp = time.monotonic()
        self.lock = threading.Lock()
        self.closed = threading.Event()

    def take(self, n: int) -> bool:
        """Wait until ``n`` bytes may pass; False once the server is closing."""
        for _ in range(100_000):  # bounded; each round sleeps
            if self.closed.is_set():
                return False
            with self.lock:
                now = time.monotonic()
                self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
                self.stamp = now
                if self.tokens >= n:
                    self.tokens -= n
                    return True
                wait = (n - self.tokens) / self.rate
            time.sleep(min(wait, 0.05))
        return False


class ThrottledServer:
    PIECE = 16 * 1024

    def __init__(self, down_rate: float, up_rate: float, file_size: int = 200 * 1024 * 1024) -> None:
        self.down = TokenBucket(down_rate)
        self.up = TokenBucket(up_rate)
        self.file_size = file_size
        self.received = 0
        self.requests: list[str] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once, like a real server

            def log_message(self, *args) -> None:  # quiet
                pass

            def _reply(self, code: int, body: bytes, extra: dict | None = None) -> None:
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (extra or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                outer.requests.append(f"GET {self.path}")
                if self.path == "/ping":
                    self._reply(200, b"pong")
                elif self.path == "/moved":
                    self._reply(302, b"", {"Location": "/file"})
                elif self.path == "/file":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(outer.file_size))
                    self.end_headers()
                    block = b"\0" * outer.PIECE
                    sent = 0
                    try:
                        while sent < outer.file_size and outer.down.take(outer.PIECE):
                            self.wfile.write(block)
                            sent += outer.PIECE
                    except OSError:
                        self.close_connection = True
                    else:
                        if sent < outer.file_size:
                            self.close_connection = True
                else:
                    self._reply(404, b"not found")

            def do_POST(self) -> None:
                outer.requests.append(f"POST {self.path}")
                if self.path != "/upload":
                    self.close_connection = True
                    self._reply(404, b"not found")
                    return
                length = int(self.headers.get("Content-Length", "0"))
                got = 0
                try:
                    while got < length and outer.up.take(outer.PIECE):
                        data = self.rfile.read(min(outer.PIECE, length - got))
                        if not data:
                            break
                        got += len(data)
                        with outer._lock:
                            outer.received += len(data)
                except OSError:
                    pass
                if got < length:
                    self.close_connection = True
                    return
                self._reply(200, str(got).encode())

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

            def server_bind(self) -> None:
                # small receive buffers so an upload is throttled from its first bytes
                self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
                super().server_bind()

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> ThrottledServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.down.closed.set()
        self.up.closed.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(2)


@pytest.fixture
def throttled_server() -> Callable[..., ThrottledServer]:
    """Factory: ``with throttled_server(down_rate=2e6, up_rate=2e6) as srv: srv.base``."""
    return ThrottledServer


@pytest.fixture
def dead_port() -> Iterator[int]:
    """A loopback port with nothing listening (connects are refused at once)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    yield port
