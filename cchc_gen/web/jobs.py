"""Background jobs of the server: the zip of every submitted report of a period.

A job runs in a thread of the server process. Its state is in the database (:class:`Job`): the page shows
the progress the thread writes there, so a reload loses nothing. The .docx files, and their PDFs when
LibreOffice is installed, are made by the batch engine (``cchc batch --pdf``, through the api: worker
processes, the template compiled once per worker) in the data folder's outputs, which records each file in its
manifest: a job whose server stopped (its row says running, but no thread of this process runs it) is
resumed by starting it again, and the files already made are skipped as up to date.
"""

from __future__ import annotations

import os
import tempfile
import threading
import zipfile
from pathlib import Path

from django.db import close_old_connections, connection
from django.utils import timezone

from cchc_gen import api
from cchc_gen.errors import CchcError
from cchc_gen.web import config
from cchc_gen.web.models import Job, Period

_running: dict[int, threading.Thread] = {}
_lock = threading.Lock()


def folder() -> Path:
    return config.state_dir() / "goi-bao-cao"


def alive(job: Job) -> bool:
    """Whether a thread of this process is working on ``job``."""
    with _lock:
        thread = _running.get(job.pk)
        return thread is not None and thread.is_alive()


def start(job: Job) -> None:
    """Run ``job`` (again) in a thread of its own; nothing when it is already running here."""
    with _lock:
        thread = _running.get(job.pk)
        if thread is not None and thread.is_alive():
            return
        Job.objects.filter(pk=job.pk).update(state=Job.RUNNING, message="", finished_at=None)
        thread = threading.Thread(target=_run, args=(job.pk,), name=f"cchc-job-{job.pk}", daemon=True)
        _running[job.pk] = thread
        thread.start()


def _run(pk: int) -> None:
    close_old_connections()
    try:
        job = Job.objects.get(pk=pk)
        data_dir = config.data_dir()
        units = len(job.units)
        pdf_too = api.pdf_available()
        # The progress counts files: every .docx, then every PDF (those up to date count as done).
        total = units * (2 if pdf_too else 1)
        Job.objects.filter(pk=pk).update(total=total)

        def progress(step: api.Progress) -> None:
            done = step.done if step.stage == "docx" else units + units - step.total + step.done
            Job.objects.filter(pk=pk).update(done=done)

        # Laid out with the profile chosen for the period the officer opened, as each clerk saw it.
        opened = Period.objects.filter(unit=job.unit, period=job.period).exclude(profile="").first()
        report = api.run_batch(
            data_dir,
            job.period,
            list(job.units),
            pdf_too=pdf_too,
            on_progress=progress,
            period_profile=opened.profile if opened else None,
        )
        report.raise_for_problems()
        target = folder() / f"{job.unit}-{job.period}-{job.pk}.zip"
        suffixes = (".docx", ".pdf") if pdf_too else (".docx",)
        _pack([report.output_dir / f"{code}{suffix}" for code in job.units for suffix in suffixes], target)
        Job.objects.filter(pk=pk).update(
            state=Job.DONE, file=target.name, done=total, finished_at=timezone.now()
        )
    except CchcError as exc:
        Job.objects.filter(pk=pk).update(
            state=Job.FAILED, message=str(exc)[:1000], finished_at=timezone.now()
        )
    finally:
        connection.close()


def _pack(files: list[Path], target: Path) -> None:
    """``files`` into the zip ``target``, written to a temporary file then renamed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".", suffix=".zip.tmp", dir=target.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in files:
                archive.write(file, file.name)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
