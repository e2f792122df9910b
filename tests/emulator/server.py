"""A real HTTP/1.1 server on 127.0.0.1 (keep-alive, one thread per connection) that
counts TCP connections and requests, plus a port whose connects time out."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, list[str]]  # lower-case name -> values in arrival order
    body: bytes
    raw_query: str = ""

    def header(self, name: str, default: str = "") -> str:
        values = self.headers.get(name.lower())
        return values[0] if values else default


@dataclass
class Response:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay_s: float = 0.0  # sleep before answering (read-timeout faults)
    drop: bool = False  # close the connection without answering


Handler = Callable[[Request], Response]


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, handler: Handler) -> None:
        self.app = handler
        self.connections = 0
        self.requests = 0
        self._count_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _RequestHandler)
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def address(self) -> str:
        host, port = self.server_address[:2]
        return f"{host}:{port}"

    def count(self, what: str) -> None:
        with self._count_lock:
            setattr(self, what, getattr(self, what) + 1)

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real services
    disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms delayed-ACK stall
    server: LoopbackServer

    def setup(self) -> None:
        super().setup()
        self.server.count("connections")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet tests
        return

    def _handle(self) -> None:
        self.server.count("requests")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        headers: dict[str, list[str]] = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        request = Request(self.command, parts.path, parse_qsl(parts.query, keep_blank_values=True),
                          headers, body, parts.query)
        response = self.server.app(request)
        if response.delay_s:
            threading.Event().wait(response.delay_s)
        if response.drop:
            self.close_connection = True
            return
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)
        except OSError:  # the client gave up (read timeout); nothing to answer
            self.close_connection = True

    do_GET = do_POST = do_PUT = _handle


class Blackhole:
    """A listening port whose accept queue is full, so new connects time out."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(0)
        self.port = self.listener.getsockname()[1]
        self._fill: list[socket.socket] = []
        for _ in range(8):  # bounded: the queue fills after one or two
            probe = socket.socket()
            probe.settimeout(0.2)
            try:
                probe.connect(("127.0.0.1", self.port))
            except OSError:
                probe.close()
                break
            self._fill.append(probe)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def close(self) -> None:
        for s in self._fill:
            s.close()
        self.listener.close()


def free_port_address() -> str:
    """An address nothing listens on (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{s.getsockname()[1]}"
