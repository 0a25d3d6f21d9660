"""A real `rounds serve --workers N` on PostgreSQL + S3 (moto over HTTP), and a
plain HTTP/1.1 client that knows which worker process accepted its connection
(read from /proc, so a test can prove a request crossed workers, or kill the
one serving it)."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROUNDS = str(Path(sys.executable).parent / "rounds")
HEADERS = {"X-Rounds-Client": "pwa"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and b"resource_tracker" not in cmdline:
            out.append(int(entry))
    return out


def _socket_inode(server_port: int, client_port: int) -> str | None:
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        local, remote, inode = parts[1], parts[2], parts[9]
        if int(local.split(":")[1], 16) == server_port and int(remote.split(":")[1], 16) == client_port:
            return inode if inode != "0" else None
    return None


@dataclass
class ServedApp:
    proc: subprocess.Popen
    port: int
    log: Path
    env: dict = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        return _children(self.proc.pid)

    def wait_for_workers(self, n: int, timeout: float = 60) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.workers()
            if len(pids) >= n and all(self._listening(p) for p in pids):
                return pids
            time.sleep(0.2)
        raise AssertionError(f"{n} workers did not come up: {self.workers()}\n{self.log.read_text()[-2000:]}")

    def _listening(self, pid: int) -> bool:
        try:
            return any(os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
                       for fd in os.listdir(f"/proc/{pid}/fd"))
        except OSError:
            return False

    def owner(self, client_port: int, timeout: float = 10) -> int:
        """The worker process that accepted the connection from client_port."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            inode = _socket_inode(self.port, client_port)
            if inode:
                for pid in self.workers():
                    try:
                        fds = os.listdir(f"/proc/{pid}/fd")
                    except OSError:
                        continue
                    for fd in fds:
                        try:
                            if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                                return pid
                        except OSError:
                            continue
            time.sleep(0.02)
        raise AssertionError(f"no worker holds the connection from port {client_port}")

    def stop(self) -> None:
        workers = self.workers()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for pid in workers:  # never leave a worker behind its supervisor
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def serve(env: dict, workers: int, log: Path, cwd: Path) -> ServedApp:
    port = free_port()
    env = {**env, "BASE_URL": f"http://127.0.0.1:{port}"}
    proc = subprocess.Popen([ROUNDS, "serve", "--port", str(port), "--workers", str(workers), "--quiet"],
                            env=env, cwd=cwd, stdout=open(log, "ab"), stderr=subprocess.STDOUT)
    app = ServedApp(proc, port, log, env)
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, log.read_text()[-3000:]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            pass
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.2)
    app.wait_for_workers(workers)
    return app


class Conn:
    """One keep-alive connection, with the cookies of the phone (or browser)
    that owns it; `pid` is the worker that accepted it."""

    def __init__(self, app: ServedApp, cookies: dict[str, str] | None = None, timeout: float = 60):
        self.app = app
        self.http = http.client.HTTPConnection("127.0.0.1", app.port, timeout=timeout)
        self.http.connect()
        self.cookies = cookies if cookies is not None else {}
        self.pid = app.owner(self.http.sock.getsockname()[1])

    def send(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
             ) -> tuple[int, dict, bytes]:
        self.start(method, path, body, headers)
        return self.finish()

    def start(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
              partial: int | None = None) -> None:
        """Sends the request (only the first `partial` bytes of the body, when given)."""
        hdrs = {**HEADERS, **(headers or {})}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.http.putrequest(method, path)
        for k, v in hdrs.items():
            self.http.putheader(k, v)
        self.http.putheader("Content-Length", str(len(body or b"")))
        self.http.endheaders()
        if body:
            self.http.send(body if partial is None else body[:partial])

    def finish(self) -> tuple[int, dict, bytes]:
        r = self.http.getresponse()
        data = r.read()
        for raw in r.headers.get_all("set-cookie") or []:
            jar = SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return r.status, dict(r.headers.items()), data

    def json(self, method: str, path: str, payload: object = None) -> tuple[int, dict]:
        body = json.dumps(payload).encode() if payload is not None else None
        status, _, data = self.send(method, path, body, {"Content-Type": "application/json"} if body else None)
        return status, (json.loads(data) if data else {})

    def close(self) -> None:
        self.http.close()


def conn_on(app: ServedApp, pid: int, cookies: dict[str, str], tries: int = 200) -> Conn:
    """A new connection accepted by worker `pid` (the kernel picks; keep trying)."""
    for _ in range(tries):
        c = Conn(app, cookies)
        if c.pid == pid:
            return c
        c.close()
    raise AssertionError(f"worker {pid} accepted none of {tries} connections")


def login(app: ServedApp, username: str, password: str) -> tuple[Conn, dict[str, str]]:
    c = Conn(app)
    status, body = c.json("POST", "/api/v1/session", {"username": username, "password": password})
    assert status == 200, body
    return c, c.cookies


def batch_body(visits: list[tuple[str, bytes]]) -> bytes:
    """The envelope the field app sends: each body the exact bytes of its PUT."""
    return b'{"visits":[' + b",".join(
        b'{"client_uuid":"' + uid.encode() + b'","body":' + body + b"}" for uid, body in visits) + b"]}"


def new_uuid() -> str:
    return str(uuid.uuid4())
