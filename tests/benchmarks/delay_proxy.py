"""A delaying TCP proxy on 127.0.0.1: a slow network in front of a local server (no netem needed).

Every chunk read from one side is written to the other ``delay`` seconds after it arrived, in the
order it arrived (each direction has its own queue and writer), so a request answered at once
comes back one round-trip delay later: ``--delay-ms 10`` each way is 20 ms of round trip.
The proxy counts *round trips*: on each connection, a burst from the client followed by a burst
from the server is one (how many times the client waited for the server).

Run alone: ``python tests/benchmarks/delay_proxy.py --upstream 127.0.0.1:5432 --delay-ms 10``
(prints ``listening on PORT``).  From a benchmark: :class:`ProxyProcess` starts it in a process of
its own (so the proxy never competes for the benchmark's interpreter lock) and talks to it over
a control port: the one-way delay can be changed between runs, the counters read and reset.

Control protocol (one line each way, on the control port): ``delay MS`` -> ``ok``; ``stats`` ->
JSON ``{"round_trips", "up_chunks", "down_chunks", "up_bytes", "down_bytes", "connections"}``;
``reset`` -> ``ok`` (counters to zero).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

CHUNK = 256 * 1024


@dataclass
class Counters:
    round_trips: int = 0
    up_chunks: int = 0
    down_chunks: int = 0
    up_bytes: int = 0
    down_bytes: int = 0
    connections: int = 0

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class _Link:
    """One proxied connection: which side spoke last (for counting round trips)."""

    last: str = ""  # "up" (client -> server) / "down" (server -> client)
    waiting: deque = field(default_factory=deque)


class DelayProxy:
    """The proxy itself (an asyncio server); ``delay``: one-way seconds, read at each chunk."""

    def __init__(self, upstream: tuple[str, int], delay: float = 0.0):
        self.upstream = upstream
        self.delay = delay
        self.counters = Counters()

    async def serve(self, port: int = 0, control_port: int | None = None) -> tuple[asyncio.Server, asyncio.Server | None]:
        server = await asyncio.start_server(self._client, "127.0.0.1", port)
        control = None
        if control_port is not None:
            control = await asyncio.start_server(self._control, "127.0.0.1", control_port)
        return server, control

    async def _client(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_writer.close()
            return
        for writer in (client_writer, server_writer):
            sock = writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.counters.connections += 1
        link = _Link()
        await asyncio.gather(self._pump(client_reader, server_writer, link, "up"),
                             self._pump(server_reader, client_writer, link, "down"),
                             return_exceptions=True)

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link: _Link, way: str) -> None:
        """Read from one side; each chunk is written to the other side ``delay`` after it arrived."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                if not data:
                    break
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                await writer.drain()
            try:
                if writer.can_write_eof():
                    writer.write_eof()
            except OSError:
                pass

        delivering = asyncio.create_task(deliver())
        try:
            while True:
                data = await reader.read(CHUNK)
                if not data:
                    break
                now = loop.time()
                if way == "up":
                    self.counters.up_chunks += 1
                    self.counters.up_bytes += len(data)
                else:
                    self.counters.down_chunks += 1
                    self.counters.down_bytes += len(data)
                    if link.last == "up":  # the server answers what the client sent: one round trip
                        self.counters.round_trips += 1
                link.last = way
                queue.put_nowait((now + self.delay, data))
        except (ConnectionError, OSError):
            pass
        finally:
            queue.put_nowait((0.0, b""))
            try:
                await delivering
            except (ConnectionError, OSError):
                pass
            writer.close()

    async def _control(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := (await reader.readline()).decode().strip():
                command, _, argument = line.partition(" ")
                if command == "delay":
                    self.delay = float(argument) / 1000
                    answer = "ok"
                elif command == "stats":
                    answer = json.dumps(self.counters.to_dict())
                elif command == "reset":
                    self.counters = Counters()
                    answer = "ok"
                else:
                    answer = "error unknown command"
                writer.write((answer + "\n").encode())
                await writer.drain()
        finally:
            writer.close()


class ProxyProcess:
    """:class:`DelayProxy` in a process of its own, driven over its control port.

    ``with ProxyProcess(("127.0.0.1", 5432), delay_ms=10) as proxy: ... proxy.port ...``
    """

    def __init__(self, upstream: tuple[str, int], delay_ms: float = 0.0):
        self.upstream = upstream
        self.initial_delay_ms = delay_ms
        self.process: subprocess.Popen[str] | None = None
        self.port = 0
        self.control_port = 0
        self._control: socket.socket | None = None
        self._lines = None

    def __enter__(self) -> ProxyProcess:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--upstream", f"{self.upstream[0]}:{self.upstream[1]}",
             "--delay-ms", str(self.initial_delay_ms), "--control-port", "0"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # stdin: ends when this process ends
        assert self.process.stdout is not None
        words = self.process.stdout.readline().split()  # "listening on PORT control CONTROL_PORT"
        self.port, self.control_port = int(words[2]), int(words[4])
        self._control = socket.create_connection(("127.0.0.1", self.control_port))
        self._lines = self._control.makefile("rw", encoding="utf-8", newline="\n")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._control is not None:
            self._control.close()
        if self.process is not None:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.terminate()
            self.process.wait(timeout=10)

    def _ask(self, line: str) -> str:
        assert self._lines is not None
        self._lines.write(line + "\n")
        self._lines.flush()
        return self._lines.readline().strip()

    def set_delay(self, one_way_ms: float) -> None:
        if self._ask(f"delay {one_way_ms}") != "ok":
            raise RuntimeError("the proxy refused the delay")

    def stats(self) -> dict[str, int]:
        return json.loads(self._ask("stats"))

    def reset(self) -> None:
        self._ask("reset")

    def url(self, database_url: str) -> str:
        """``database_url`` (a SQLAlchemy URL to the upstream server) pointed at the proxy instead."""
        from sqlalchemy.engine import make_url

        return make_url(database_url).set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)


async def _main(args: argparse.Namespace) -> None:
    host, _, port = args.upstream.rpartition(":")
    proxy = DelayProxy((host or "127.0.0.1", int(port)), args.delay_ms / 1000)
    server, control = await proxy.serve(args.port, args.control_port)
    listening = server.sockets[0].getsockname()[1]
    control_port = control.sockets[0].getsockname()[1] if control is not None else 0
    print(f"listening on {listening} control {control_port}", flush=True)
    loop = asyncio.get_running_loop()
    if args.control_port is not None:  # started by ProxyProcess: end with it (its end closes our stdin)
        stdin = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
        async with server:
            await stdin.read()
        return
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", default="127.0.0.1:5432", help="HOST:PORT of the real server")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free one, printed)")
    parser.add_argument("--delay-ms", type=float, default=10.0, help="one-way delay in ms (round trip: twice this)")
    parser.add_argument("--control-port", type=int, default=None, help="port of the control channel (0: any)")
    args = parser.parse_args(argv)
    try:
        asyncio.run(_main(args))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
