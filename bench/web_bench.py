"""Benchmark of the web workspace ``cchc serve`` (not a test): the form of a full report, and many clerks
saving at once.

Run from the repository root:  python bench/web_bench.py [--seconds 60] [--clerks 30]

It makes synthetic communes in a temporary folder (as bench/batch_bench.py does, from the sample files of
data/2026-9T), fills every indicator of the profile's catalogue in each (a full report: about 140 rows, 116
figures), starts the real ``cchc serve`` on 127.0.0.1 with a fresh SQLite store, then prints:

- the time to serve the form of a full report (GET, logged in, nothing else running): median and p95;
- ``--clerks`` clerks saving concurrently for ``--seconds`` seconds, two sessions per commune, so that
  saves of the same report from the same revision meet: each save carries a marker of its own; a save
  told of a newer revision (409) takes the revision the page gives and saves again. Printed: saves, saves
  per second, conflicts, p50/p95 of a save;
- the check of the store afterwards (read straight from the SQLite file): every report's revisions are
  numbered 1…n without a gap, each the child of the one before, and every save the server acknowledged is in
  exactly one revision (nothing lost, nothing duplicated), conflicts made none.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the cchc_gen of this checkout, installed or not
sys.path.insert(0, str(ROOT / "bench"))

from batch_bench import PERIOD, make_communes  # noqa: E402

from cchc_gen import api  # noqa: E402
from cchc_gen.workspace.form import form_fields  # noqa: E402
from tests.web_server import Client, start_server  # noqa: E402  (the real server the web tests use)

FORM_REQUESTS = 40
_PARENT = re.compile(r'name="parent" value="(\d+)"')


def fill_every_figure(data: dict[str, Any], where: api.Place) -> dict[str, Any]:
    """``data`` with a value for every indicator of the catalogue: 0 for the counts it lacks (sums stay
    right), the first answer of a coded one; totals and rates a rule derives stay empty."""
    layout = api.report_form(where, data).layout
    figures = dict(data.get("figures") or {})
    for row in layout.indicators:
        if row.code and row.code not in figures and not row.derived:
            figures[row.code] = (
                int(row.choices[0][0]) if row.kind == "code" else "có" if row.kind == "text" else 0
            )
    return {**data, "figures": figures}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long the clerks save (default 60)")
    parser.add_argument("--clerks", type=int, default=30, help="clerks saving at once (default 30)")
    options = parser.parse_args()
    units = -(-options.clerks // 2)

    with tempfile.TemporaryDirectory(prefix="cchc-web-bench-") as temporary:
        folder = Path(temporary)
        files = make_communes(folder / "source", units)
        data_dir = folder / "source" / "data"
        for file in files:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
            full = fill_every_figure(data, api.place(data_dir, data["unit"], PERIOD))
            file.write_text(yaml.safe_dump(full, allow_unicode=True, sort_keys=False), encoding="utf-8")
        server = start_server(folder / "web", data_dir)
        try:
            codes = sorted(file.stem for file in files)
            figures = len(yaml.safe_load(files[0].read_text(encoding="utf-8"))["figures"])
            where = api.place(server.data_dir, codes[0], PERIOD)
            rows = len(api.report_form(where, {"sections": [{"heading": "A"}]}).layout.indicators)
            print(
                f"{len(codes)} xã, báo cáo đủ {rows} dòng chỉ tiêu ({figures} số liệu), "
                f"{options.clerks} công chức"
            )

            # The form of a full report, one user.
            client = Client(server.url)
            client.login(codes[0], server.accounts[codes[0]])
            path = f"/bao-cao/{codes[0]}/{PERIOD}/"
            client.get(path)  # warm: profile, registry and template read once
            times = []
            for _ in range(FORM_REQUESTS):
                start = time.perf_counter()
                reply = client.get(path)
                times.append(time.perf_counter() - start)
                assert reply.status == 200 and "Số liệu (phụ lục)" in reply.text
            print(
                f"Mở biểu mẫu báo cáo đủ chỉ tiêu ({FORM_REQUESTS} lần): trung vị "
                f"{ms(statistics.median(times))}, p95 {ms(percentile(times, 0.95))} "
                "(mục tiêu: trung vị dưới 300 ms)"
            )

            saved, conflicts, latencies = concurrent_saves(server, codes, options.clerks, options.seconds)
        finally:
            server.stop()
        print(
            f"Lưu đồng thời trong {options.seconds:.0f} giây: {len(saved)} lần lưu "
            f"({len(saved) / options.seconds:.1f}/giây), {conflicts} lần báo có bản mới hơn; "
            f"một lần lưu: p50 {ms(percentile(latencies, 0.5))}, p95 {ms(percentile(latencies, 0.95))}"
        )
        problems = verify_store(server.data_dir / ".cchc-web" / "kho.sqlite3", saved)
        if problems:
            print("KHO SAI:\n" + "\n".join(problems))
            sys.exit(1)
        print(
            f"Kho đúng: {len(saved)} lần lưu đã nhận đều có đúng một phiên bản; "
            "không phiên bản nào thiếu, trùng."
        )


def concurrent_saves(
    server: Any, codes: list[str], clerks: int, seconds: float
) -> tuple[dict[str, tuple[str, int]], int, list[float]]:
    """Clerks saving until ``seconds`` have passed; returns each acknowledged save's marker → (unit,
    revision), the number of conflicts, and the time of each save."""
    saved: dict[str, tuple[str, int]] = {}
    conflicts = 0
    latencies: list[float] = []
    lock = threading.Lock()
    # Each commune's form as the page sends it, from its imported data.
    fields_of = {}
    for code in codes:
        where = api.place(server.data_dir, code, PERIOD)
        data = yaml.safe_load((server.data_dir / PERIOD / f"{code}.yaml").read_text(encoding="utf-8"))
        fields_of[code] = form_fields(api.report_form(where, data).values)
    sessions = []
    for index in range(clerks):
        code = codes[index // 2]
        client = Client(server.url)
        client.login(code, server.accounts[code])
        path = f"/bao-cao/{code}/{PERIOD}/"
        sessions.append((index, code, client, path, client.token(path)))
    deadline = time.monotonic() + seconds
    barrier = threading.Barrier(len(sessions))

    def clerk(index: int, code: str, client: Client, path: str, token: str) -> None:
        nonlocal conflicts
        parent = int(_PARENT.search(client.get(path).text)[1])  # type: ignore[index]
        barrier.wait()
        count = 0
        while time.monotonic() < deadline:
            count += 1
            marker = f"Lưu thử của phiên {index}, lần {count}."
            fields = {
                **fields_of[code],
                "lead_in": marker,
                "parent": str(parent),
                "csrfmiddlewaretoken": token,
            }
            start = time.perf_counter()
            reply = client.post(path, fields)
            took = time.perf_counter() - start
            with lock:
                latencies.append(took)
                if reply.status == 302:
                    parent += 1
                    saved[marker] = (code, parent)
                elif reply.status == 409:
                    conflicts += 1
                    parent = int(_PARENT.findall(reply.text)[-1])
                else:
                    raise SystemExit(f"lưu thất bại ({reply.status}): {reply.text[:500]}")

    threads = [threading.Thread(target=clerk, args=session) for session in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return saved, conflicts, latencies


def verify_store(database: Path, saved: dict[str, tuple[str, int]]) -> list[str]:
    """What is wrong with the store after the run (nothing, when all is well)."""
    problems = []
    with sqlite3.connect(database) as connection:
        heads = dict(connection.execute("SELECT id, unit FROM cchc_report"))
        revisions: dict[str, list[tuple[int, int | None, str]]] = {}
        for report, number, parent, data in connection.execute(
            "SELECT report_id, number, parent, data FROM cchc_revision ORDER BY report_id, number"
        ):
            lead_in = json.loads(data).get("lead_in") or []
            revisions.setdefault(heads[report], []).append((number, parent, lead_in[0] if lead_in else ""))
    found: dict[str, list[tuple[str, int]]] = {}
    for unit, rows in revisions.items():
        numbers = [number for number, _, _ in rows]
        if numbers != list(range(1, len(rows) + 1)):
            problems.append(f"{unit}: phiên bản không liên tục {numbers}")
        for number, parent, marker in rows:
            if number > 1 and parent != number - 1:
                problems.append(f"{unit}: phiên bản {number} có phiên bản cha {parent}")
            found.setdefault(marker, []).append((unit, number))
    for marker, where in saved.items():
        if found.get(marker) != [where]:
            problems.append(f"lần lưu “{marker}” ({where}) có trong kho: {found.get(marker)}")
    made = sum(len(rows) - 1 for rows in revisions.values())
    if made != len(saved):
        problems.append(f"kho có {made} phiên bản đã lưu, máy chủ đã nhận {len(saved)} lần lưu")
    return problems


if __name__ == "__main__":
    main()
