"""One long-lived LibreOffice converting .docx to PDF, driven over UNO.

This file runs as a script in the Python that has LibreOffice's ``uno`` module (Debian: python3-uno for
the system ``python3``), not in cchc_gen's own interpreter, and imports nothing from cchc_gen.
``cchc_gen.render.pdf`` starts it with the soffice program, a profile folder of its own and a pipe name; it
starts a headless LibreOffice listening on that pipe, and when connected prints ``{"ready": true}``.
Then each line on stdin is a request ``{"source": ".../x.docx", "target": ".../x.pdf"}``, answered by one
line ``{"ok": true}`` or ``{"ok": false, "error": "..."}``. When stdin closes (cchc_gen finished, or
died), LibreOffice is closed too.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from typing import Any

import uno
from com.sun.star.beans import PropertyValue

CONNECT_SECONDS = 60


def _properties(**values: Any) -> tuple[Any, ...]:
    found = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        found.append(prop)
    return tuple(found)


def _reply(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _connect(pipe: str) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except Exception:  # NoConnectException until LibreOffice listens; it is a UNO type, not importable
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _convert(desktop: Any, source: str, target: str) -> None:
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, _properties(Hidden=True, ReadOnly=True)
    )
    if document is None:
        raise RuntimeError("không mở được tệp")  # shown to the clerk, within cchc_gen's sentence
    try:
        document.storeToURL(uno.systemPathToFileUrl(target), _properties(FilterName="writer_pdf_Export"))
    finally:
        document.close(True)


def main(soffice: str, profile_url: str, pipe: str) -> None:
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile_url}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    desktop = None
    try:
        desktop = _connect(pipe)
        _reply({"ready": True})
        for line in sys.stdin:
            request = json.loads(line)
            try:
                _convert(desktop, request["source"], request["target"])
                _reply({"ok": True})
            except Exception as exc:  # any UNO error is this file's failure, reported to cchc_gen
                _reply({"ok": False, "error": str(exc) or type(exc).__name__})
    finally:
        if desktop is not None:
            # LibreOffice may already be gone (it is killed below anyway): any UNO error is fine here.
            with contextlib.suppress(Exception):
                desktop.terminate()
        try:
            office.wait(10)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(*sys.argv[1:4])
