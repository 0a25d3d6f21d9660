"""A TCP proxy between the browser and the server, for breaking connections the
way a phone's network does, and for counting the bytes really sent.

It reads each request's head on the way in (request line and Content-Length;
keep-alive connections carry several requests), so it can act on one chosen
request:

- ``cut_body``: forward the head and the first ``cut_after`` bytes of the body,
  then close both sockets — the upload dies mid-stream, the server never gets
  the whole photo;
- ``drop_reply``: forward the whole request, wait until the server starts to
  answer, then close both sockets without passing the answer on — the server
  stored the photo, the phone never hears so.

Responses are passed through byte for byte. Everything else is untouched.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field


@dataclass
class Seen:
    method: str
    path: str
    head_bytes: int
    body_bytes: int  # bytes of the body that went on to the server
    action: str = "forward"  # forward | cut_body | drop_reply


@dataclass
class TcpProxy:
    target_port: int
    target_host: str = "127.0.0.1"
    mode: str | None = None  # None | "cut_body" | "drop_reply"
    match: str = "PUT /api/v1/photos/"
    cut_after: int = 16 * 1024
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._open: set[socket.socket] = set()
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    # --- control -------------------------------------------------------------

    def arm(self, mode: str, *, cut_after: int | None = None) -> None:
        with self._lock:
            self.mode = mode
            if cut_after is not None:
                self.cut_after = cut_after

    def disarm(self) -> None:
        with self._lock:
            self.mode = None

    def requests(self, prefix: str = "") -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if f"{s.method} {s.path}".startswith(prefix)]

    def close(self) -> None:
        self._stopped = True
        self._listener.close()
        with self._lock:
            open_sockets = list(self._open)
        for s in open_sockets:
            _close(s)

    # --- plumbing ------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection((self.target_host, self.target_port))
        except OSError:
            _close(client)
            return
        with self._lock:
            self._open |= {client, upstream}
        conn = _Connection(client, upstream)
        threading.Thread(target=conn.pump_replies, daemon=True).start()
        try:
            self._requests(conn)
        except OSError:
            pass
        finally:
            conn.close()
            with self._lock:
                self._open -= {client, upstream}

    def _requests(self, conn: _Connection) -> None:
        buf = b""
        while True:
            while b"\r\n\r\n" not in buf:
                chunk = conn.client.recv(65536)
                if not chunk:
                    return
                buf += chunk
            head, buf = buf.split(b"\r\n\r\n", 1)
            head += b"\r\n\r\n"
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            method, path = (request_line.split(" ") + ["", ""])[:2]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
                elif name.strip().lower() == b"transfer-encoding":
                    raise OSError("chunked request bodies are not handled")
            with self._lock:
                mode = self.mode if request_line.startswith(self.match) else None
                cut_after = self.cut_after
            seen = Seen(method, path, len(head), 0, mode or "forward")
            with self._lock:
                self.seen.append(seen)
            limit = min(length, cut_after) if mode == "cut_body" else length
            if mode == "drop_reply":
                conn.swallow.set()
            conn.upstream.sendall(head)
            sent = 0
            while sent < limit:
                if not buf:
                    buf = conn.client.recv(65536)
                    if not buf:
                        return
                piece, buf = buf[:limit - sent], buf[limit - sent:]
                conn.upstream.sendall(piece)
                sent += len(piece)
                seen.body_bytes = sent
            if mode == "cut_body":
                return  # both sockets close mid-upload
            if mode == "drop_reply":
                conn.replied.wait(60)  # the server has handled it; the phone never hears
                return


class _Connection:
    def __init__(self, client: socket.socket, upstream: socket.socket) -> None:
        self.client = client
        self.upstream = upstream
        self.swallow = threading.Event()
        self.replied = threading.Event()

    def pump_replies(self) -> None:
        try:
            while True:
                chunk = self.upstream.recv(65536)
                if not chunk:
                    break
                if self.swallow.is_set():
                    self.replied.set()
                    continue
                self.client.sendall(chunk)
        except OSError:
            pass
        finally:
            self.replied.set()
            _close(self.client)

    def close(self) -> None:
        _close(self.client)
        _close(self.upstream)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
