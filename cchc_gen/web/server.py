"""Starting the workspace, for the commands ``cchc serve``, ``nhap-kho`` and ``tai-khoan`` (through
:mod:`cchc_gen.api`); nothing here prints.

:func:`open_store` configures Django for the data folder and brings the store's tables up to date
(migrations). On a fresh store (no report, no login) it reads the data folder's period files in, and
creates demo logins for the units that have reports (their passwords are returned once, and kept in
``<data>/.cchc-web/tai-khoan-thu.txt`` for whoever missed them). :func:`serve` then answers requests
with waitress until it is stopped. Django is imported only inside these functions: this module's results
are plain data, so the public API can name them without starting Django.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cchc_gen.errors import Problem
from cchc_gen.web.config import WebOptions, configure

DEMO_FILE = "tai-khoan-thu.txt"
THREADS = 8
# waitress's own limit, far above the workspace's (which answers in Vietnamese): beyond it waitress cuts
# the request off before it reaches the application.
WAITRESS_BODY_LIMIT = 256 * 1024 * 1024


@dataclass(frozen=True)
class DemoAccount:
    """A login made for trying the workspace out, with its password (shown once)."""

    username: str
    password: str
    description: str


@dataclass
class StoreImport:
    """What an import of period files into the store did: reports created or given a new revision, left
    unchanged, and the files that could not be read."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Opened:
    """What opening the store did: reports read from the period files, demo logins made."""

    imported: StoreImport | None = None
    demo: list[DemoAccount] = field(default_factory=list)
    demo_file: Path | None = None


def _store_ready(options: WebOptions) -> None:
    configure(options)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def open_store(options: WebOptions) -> Opened:
    """Configure Django for ``options`` and make the store ready; a fresh one gets the period files and
    demo logins."""
    _store_ready(options)
    from django.contrib.auth.models import User

    from cchc_gen.web import store
    from cchc_gen.web.models import Report

    opened = Opened()
    if Report.objects.exists() or User.objects.exists():
        return opened
    opened.imported = store.import_period_files(options.data_dir)
    opened.demo = store.create_demo_accounts(options.data_dir)
    if opened.demo:
        path = options.state_dir / DEMO_FILE
        lines = ["Tài khoản dùng thử (chỉ để thử; đổi mật khẩu hoặc xóa trước khi dùng thật):"]
        lines += [f"{a.username}\t{a.password}\t{a.description}" for a in opened.demo]
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write("\n".join(lines) + "\n")
        opened.demo_file = path
    return opened


def import_files(options: WebOptions) -> StoreImport:
    """Read the data folder's period files into the store (new revisions where they differ from the
    store's latest)."""
    _store_ready(options)
    from cchc_gen.web import store

    return store.import_period_files(options.data_dir)


def create_account(options: WebOptions, username: str, kind: str, unit: str) -> str:
    """A new login; returns its password."""
    _store_ready(options)
    from cchc_gen.web import store

    return store.create_account(options.data_dir, username, kind, unit)


def reset_password(options: WebOptions, username: str) -> str:
    """A new password for a login; returns it."""
    _store_ready(options)
    from cchc_gen.web import store

    return store.reset_password(username)


def serve(
    options: WebOptions,
    host: str,
    port: int,
    on_opened: Callable[[Opened], None],
    on_ready: Callable[[str], None],
    threads: int = THREADS,
) -> None:
    """Open the store, then answer requests on ``host``:``port`` (0: any free port) until stopped;
    ``on_opened`` gets what opening the store did, ``on_ready`` the address once the port is open. Behind
    a reverse proxy (``options.https``), the address and scheme come from the proxy's headers
    (X-Forwarded-For, X-Forwarded-Proto) when it runs on the same machine."""
    on_opened(open_store(options))
    from django.core.wsgi import get_wsgi_application
    from waitress.server import create_server

    from cchc_gen.api import close_pdf_service

    proxy = (
        {"trusted_proxy": "127.0.0.1", "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto"}
        if options.https
        else {}
    )
    server = create_server(
        get_wsgi_application(),
        host=host,
        port=port,
        threads=threads,
        ident="cchc",
        max_request_body_size=WAITRESS_BODY_LIMIT,
        clear_untrusted_proxy_headers=True,
        **proxy,
    )
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    on_ready(f"http://{shown}:{server.effective_port}/")
    try:
        server.run()
    finally:
        close_pdf_service()
