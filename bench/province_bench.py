"""Benchmark of the province's side of the web workspace (not a test): the officer's dashboard and the zip
of every submitted report, for a province of many communes.

Run from the repository root:  python bench/province_bench.py [--communes 150] [--requests 30]

It makes a province in a temporary folder (a registry with one parent unit and ``--communes`` communes
below it, each with a period file made from the sample files of data/2026-9T: tests/province_data.py),
opens the web store of that folder in this process (the period files imported, as ``cchc serve`` does on a
fresh store), then prints:

- the time to render the officer's dashboard (Django's test client in this process, logged in; the view,
  its queries and the template, no network): the first render, then median and p95 of ``--requests``
  requests, with every report being drafted (each is checked for its errors at the first render, which
  the server then remembers while the report is unchanged) and with every report submitted, and the
  queries of one request;
- the time of the zip of every submitted report, made as the officer's button makes it (the background
  job: the batch engine with one worker per CPU, .docx and, when LibreOffice is installed, PDF, then the
  zip), against ``cchc batch -j <CPUs> [--pdf]`` on a copy of the same data folder, and their ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the cchc_gen of this checkout, installed or not

from tests.province_data import PERIOD, make_province, open_province, set_states  # noqa: E402

PARENT = "tn"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def dashboard_times(requests: int) -> tuple[list[float], int, int]:
    """Seconds of each of ``requests`` renders of the dashboard, the queries and rows of one."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(User.objects.get(username=f"noi-vu-{PARENT}"))
    page = f"/tong-quan/{PERIOD}/"
    start = time.perf_counter()
    assert client.get(page).status_code == 200  # the errors of the reports being drafted remembered
    print(f"dashboard, first render: {(time.perf_counter() - start) * 1000:.0f} ms")
    seconds = []
    for _ in range(requests):
        start = time.perf_counter()
        reply = client.get(page)
        seconds.append(time.perf_counter() - start)
        assert reply.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        reply = client.get(page)
    return seconds, len(queries), reply.content.decode().count("<tr data-unit=")


def show(label: str, seconds: list[float]) -> None:
    median, p95 = statistics.median(seconds) * 1000, percentile(seconds, 0.95) * 1000
    print(f"{label}: median {median:.0f} ms, p95 {p95:.0f} ms ({len(seconds)} requests)")


def web_zip(data: Path) -> tuple[float, int]:
    """Seconds of the officer's zip job, from the button to the zip written; and the files in it."""
    import zipfile

    from django.contrib.auth.models import User
    from django.test import Client

    from cchc_gen.web import jobs
    from cchc_gen.web.models import Job

    client = Client()
    client.force_login(User.objects.get(username=f"noi-vu-{PARENT}"))
    start = time.perf_counter()
    reply = client.post(f"/tong-quan/{PERIOD}/tai-ca/")
    assert reply.status_code == 302, reply.content[:300]
    job = Job.objects.get()
    while Job.objects.filter(pk=job.pk, state=Job.RUNNING).exists():
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    job.refresh_from_db()
    assert job.state == Job.DONE, job.message
    with zipfile.ZipFile(jobs.folder() / job.file) as archive:
        return seconds, len(archive.namelist())


def cli_batch(data: Path, workers: int, pdf_too: bool) -> float:
    """Seconds of ``cchc batch`` on a copy of ``data`` (its period files as the store wrote them)."""
    with tempfile.TemporaryDirectory(prefix="cchc-province-batch-") as temporary:
        copy = Path(temporary) / "data"
        shutil.copytree(data, copy, ignore=shutil.ignore_patterns(".cchc-web"))
        command = [
            sys.executable,
            "-m",
            "cchc_gen",
            "batch",
            str(copy),
            "--period",
            PERIOD,
            "-j",
            str(workers),
        ]
        start = time.perf_counter()
        subprocess.run([*command, *(["--pdf"] if pdf_too else [])], check=True, capture_output=True)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=150, help="communes of the province (default 150)")
    parser.add_argument("--requests", type=int, default=30, help="dashboard requests timed (default 30)")
    options = parser.parse_args()
    os.environ.setdefault("CCHC_TEMPLATES", str(ROOT / "templates"))
    os.environ.pop("CCHC_DATABASE_URL", None)

    with tempfile.TemporaryDirectory(prefix="cchc-province-bench-") as temporary:
        data = Path(temporary) / "data"
        communes = make_province(data, {PARENT: options.communes})[PARENT]
        start = time.perf_counter()
        open_province(data)
        print(f"{len(communes)} communes, store opened in {time.perf_counter() - start:.1f} s")

        from cchc_gen import api

        drafting, _, _ = dashboard_times(max(3, options.requests // 6))
        show("dashboard, every report being drafted", drafting)
        set_states(PERIOD, communes, "submitted")
        submitted, queries, rows = dashboard_times(options.requests)
        assert rows == len(communes)
        show(f"dashboard, every report submitted ({rows} rows, {queries} queries)", submitted)

        workers, pdf_too = os.cpu_count() or 1, api.pdf_available()
        made = "with PDF" if pdf_too else "without PDF (no LibreOffice)"
        print(f"zip of {len(communes)} reports, {workers} workers, {made}")
        web, files = web_zip(data)
        print(f"web zip job: {web:.1f} s ({files} files in the zip)")
        cli = cli_batch(data, workers, pdf_too)
        print(f"cchc batch -j {workers}{' --pdf' if pdf_too else ''}: {cli:.1f} s")
        print(f"ratio web / cchc batch: {web / cli:.2f} (target at most 1.5)")


if __name__ == "__main__":
    main()
