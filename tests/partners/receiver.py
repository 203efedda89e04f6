"""A real local webhook receiver (http.server in a thread) that checks signatures."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from partners import signing


@dataclass
class Receiver:
    secrets: list[str] = field(default_factory=list)
    status: int = 204  # what it answers; 503 simulates an outage
    received: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def verified(self) -> list[dict[str, Any]]:
        return [message for message in self.received if message["verified"]]


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            headers = {key.lower(): value for key, value in self.headers.items()}
            receiver.received.append(
                {
                    "headers": headers,
                    "body": body,
                    "verified": any(
                        signing.verify(secret=secret, headers=headers, body=body)
                        for secret in receiver.secrets
                    ),
                    "verified_by": [
                        secret
                        for secret in receiver.secrets
                        if signing.verify(secret=secret, headers=headers, body=body)
                    ],
                }
            )
            self.send_response(receiver.status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
