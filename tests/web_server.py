"""The web workspace as its users meet it: ``cchc serve`` started for real on a copy of data/, and a plain
HTTP client (urllib) that keeps cookies and can send forms with or without their CSRF token."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ACCOUNT = re.compile(r"^  (\S+)\s+(\S+)\s+\((.+)\)$")


@dataclass
class Server:
    """A running ``cchc serve``: its address, its data folder and the demo accounts it printed."""

    process: subprocess.Popen[str]
    url: str
    data_dir: Path
    accounts: dict[str, str] = field(default_factory=dict)
    output: list[str] = field(default_factory=list)
    _clients: dict[str, Client] = field(default_factory=dict)

    def client(self, username: str) -> Client:
        """A session logged in as ``username`` (one per name, shared by the tests that only read or save)."""
        if username not in self._clients:
            client = Client(self.url)
            client.login(username, self.accounts[username])
            self._clients[username] = client
        return self._clients[username]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(workdir: Path, source: Path = ROOT / "data", templates: Path = ROOT / "templates") -> Server:
    """Copy the data folder ``source`` into ``workdir`` and start ``cchc serve`` on a free port of 127.0.0.1
    on the copy (a fresh store: the period files are imported, demo accounts made); its own profiles are
    ``templates``."""
    data = workdir / "data"
    shutil.copytree(source, data, ignore=shutil.ignore_patterns(".cchc-web"))
    return serve_folder(data, workdir, templates)


def serve_folder(data: Path, workdir: Path, templates: Path = ROOT / "templates") -> Server:
    """Start ``cchc serve`` on the data folder ``data`` as it is (a stopped server's, to start it again)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "CCHC_TEMPLATES": str(templates)}
    env.pop("CCHC_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "cchc_gen", "serve", "--data", str(data), "--port", "0"],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env=env,
    )
    lines: list[str] = []
    accounts: dict[str, str] = {}
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if match := _ACCOUNT.match(lines[-1]):
            accounts[match[1]] = match[2]
        if line.startswith("Ứng dụng đang chạy tại: "):
            url = line.split(": ", 1)[1].strip().rstrip("/")
            break
    else:
        raise RuntimeError("cchc serve stopped:\n" + "\n".join(lines))
    server = Server(process, url, data, accounts, lines)
    # Keep reading what the server prints, so that its pipe never fills up.
    threading.Thread(target=lambda: [lines.append(x) for x in process.stdout], daemon=True).start()  # type: ignore[union-attr]
    return server


@dataclass
class Response:
    status: int
    text: str
    headers: dict[str, str]
    body: bytes
    cookies_set: list[str] = field(default_factory=list)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Client:
    """One browser session without a browser: cookies kept, redirects not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(
        self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as reply:
                body, status, message = reply.read(), reply.status, reply.headers
        except urllib.error.HTTPError as error:
            body, status, message = error.read(), error.code, error.headers
        cookies = message.get_all("Set-Cookie") or []
        return Response(status, body.decode("utf-8", "replace"), dict(message), body, cookies)

    def get(self, path: str) -> Response:
        return self.request(path)

    def token(self, path: str) -> str:
        """The CSRF token of the page at ``path`` (and its cookie, now in the jar)."""
        match = _CSRF.search(self.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match[1]

    def post(
        self,
        path: str,
        fields: dict[str, str],
        files: dict[str, tuple[str, bytes]] | None = None,
        token_from: str | None = None,
    ) -> Response:
        """POST ``fields`` (and ``files``) as a form; with ``token_from``, with that page's CSRF token."""
        fields = dict(fields)
        if token_from is not None:
            fields["csrfmiddlewaretoken"] = self.token(token_from)
        headers = {"Referer": self.base + (token_from or path)}
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in fields.items():
                disposition = f'Content-Disposition: form-data; name="{name}"'
                parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
            for name, (filename, content) in files.items():
                disposition = f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'
                head = f"--{boundary}\r\n{disposition}\r\nContent-Type: application/octet-stream\r\n\r\n"
                parts.append(head.encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request(path, body, headers)

    def login(self, username: str, password: str) -> Response:
        reply = self.post(
            "/dang-nhap/", {"username": username, "password": password}, token_from="/dang-nhap/"
        )
        assert reply.status == 302, reply.text[:500]
        return reply
