"""PDF through LibreOffice (headless), for printing or for the digital signature (ký số).

:func:`convert_to_pdf` converts the files of one ``render`` with one ``soffice`` call per core, each
given its share of the files (about 0.3 s a file instead of 1.2 s per process). :class:`PdfConverter`,
for batches, keeps one LibreOffice instance running per core and feeds them from one queue, one file at a
time over UNO (``uno_bridge.py``), so that the instances convert side by side and each file has its own
timeout and one retry on a fresh instance. LibreOffice converts a file on one core, so the instances,
not the files of one instance, are what uses every core. Every instance gets a profile directory of its
own, because two instances sharing a profile block each other.

LibreOffice is found on PATH, else in its default install folder (:func:`soffice_candidates`: Program
Files on Windows, /Applications on macOS, /usr/lib/libreoffice or /opt on Linux); the UNO bridge runs in
the Python LibreOffice ships, or the system's with python3-uno on Debian (:func:`uno_python_candidates`).
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import IO, Any

from cchc_gen.errors import CchcError, OutputError, Problem
from cchc_gen.render.docx import save_atomically

SOFFICE_NAMES = ("soffice", "libreoffice")
TIMEOUT_PER_FILE = 60
STARTUP_TIMEOUT = 120
BRIDGE = Path(__file__).with_name("uno_bridge.py")


def soffice_candidates(
    platform: str = sys.platform, environ: Mapping[str, str] = os.environ
) -> list[PurePath]:
    """Where LibreOffice's program is when it is not on PATH: its default install folders on ``platform``
    (``sys.platform``); a ``*`` stands for a version (``/opt/libreoffice7.6``)."""
    if platform == "win32":
        folders = (
            environ.get("ProgramFiles", r"C:\Program Files"),
            environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)"),
        )
        return [
            PureWindowsPath(folder, "LibreOffice", "program", "soffice.exe")
            for folder in dict.fromkeys(folders)
        ]
    if platform == "darwin":
        app = PurePosixPath("LibreOffice.app", "Contents", "MacOS", "soffice")
        return [
            PurePosixPath("/Applications") / app,
            PurePosixPath(environ.get("HOME", "~"), "Applications") / app,
        ]
    return [
        PurePosixPath("/usr/lib/libreoffice/program/soffice"),
        PurePosixPath("/opt/libreoffice*/program/soffice"),
        PurePosixPath("/snap/bin/libreoffice"),
    ]


def find_soffice() -> str:
    """LibreOffice's program: on PATH, else in its default install folder."""
    for name in SOFFICE_NAMES:
        if found := shutil.which(name):
            return found
    for candidate in soffice_candidates():
        for path in _expanded(candidate):
            if path.is_file():
                return str(path)
    raise OutputError(
        [
            Problem(
                "Không tìm thấy LibreOffice để chuyển báo cáo sang PDF.",
                fix="Cài LibreOffice (trên Debian/Ubuntu: sudo apt-get install libreoffice-writer; trên "
                "Windows và macOS: bản cài từ libreoffice.org, vào thư mục mặc định), hoặc mở tệp .docx bằng "
                "Word và chọn Lưu dưới dạng PDF.",
            )
        ]
    )


def _expanded(candidate: PurePath) -> list[Path]:
    """The paths ``candidate`` names; for a version pattern, the newest version first."""
    if "*" not in str(candidate):
        return [Path(candidate)]
    found = [Path(p) for p in glob.glob(str(candidate))]
    return sorted(found, key=lambda path: [int(n) for n in re.findall(r"\d+", str(path))], reverse=True)


def pdf_beside(document: Path) -> Path:
    """Where the PDF of ``document`` goes: beside it, under its name."""
    return document.with_suffix(".pdf")


def convert_to_pdf(
    documents: Sequence[Path], outdir: Path | None = None, instances: int | None = None
) -> list[Path]:
    """Convert ``documents`` (.docx) to PDF beside them (or into ``outdir``); returns the PDF paths.

    ``instances`` ``soffice`` calls (one per core when not given) run side by side, each on its share of
    the files, with a profile folder and an output folder of its own."""
    if not documents:
        return []
    soffice = find_soffice()
    targets = [outdir / f"{doc.stem}.pdf" if outdir else pdf_beside(doc) for doc in documents]
    count = max(1, min(instances or os.cpu_count() or 1, len(documents)))
    with tempfile.TemporaryDirectory(prefix="cchc-lo-") as work:
        # Each call converts into a private folder first, so that a half-written PDF never replaces a good
        # one (and two files of the same name do not meet).
        calls: list[_SofficeCall] = []
        try:
            for n in range(count):
                calls.append(_SofficeCall(soffice, Path(work), n, documents[n::count]))
            late = [call.documents[0] for call in calls if not call.finished()]
        finally:
            for call in calls:  # interrupted: no LibreOffice is left running
                call.stop()
        if late:
            raise OutputError([Problem(_LATE, doc, fix=_LATE_FIX) for doc in late])
        missing = []
        for index, (doc, target) in enumerate(zip(documents, targets, strict=True)):
            produced = calls[index % count].outdir / f"{doc.stem}.pdf"
            if not produced.is_file() or produced.stat().st_size == 0:
                missing.append(Problem(_NOT_OPENED, doc, fix=_NOT_OPENED_FIX))
                continue
            save_atomically(target, lambda temporary, produced=produced: shutil.copyfile(produced, temporary))
        if missing:
            raise OutputError(missing)
    return targets


_LATE = "LibreOffice không chuyển xong sang PDF trong thời gian cho phép."
_LATE_FIX = (
    "Đóng bớt chương trình khác rồi chạy lại; nếu vẫn vậy, mở tệp .docx bằng Word hoặc LibreOffice và lưu "
    "dưới dạng PDF."
)
_NOT_OPENED = "LibreOffice không mở được tệp này để chuyển sang PDF."
_NOT_OPENED_FIX = "Mở tệp .docx bằng Word hoặc LibreOffice xem có lỗi không, lưu lại rồi chạy lại lệnh."


class _SofficeCall:
    """One ``soffice --convert-to pdf`` call, started at once, on a share of the files, with a profile and
    an output folder of its own under ``work``; ``TIMEOUT_PER_FILE`` seconds a file to finish."""

    def __init__(self, soffice: str, work: Path, number: int, documents: Sequence[Path]) -> None:
        self.documents = documents
        self.outdir = work / f"out-{number}"
        command = [
            soffice,
            f"-env:UserInstallation={(work / f'profile-{number}').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(self.outdir),
            *(str(doc.resolve()) for doc in documents),
        ]
        self.deadline = time.monotonic() + TIMEOUT_PER_FILE * len(documents)
        # A session of its own, so that LibreOffice is stopped with the launcher (as for _Office).
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )

    def finished(self) -> bool:
        """Wait for the call to end; False when it did not end in time (it is stopped then)."""
        try:
            self.process.wait(max(0.0, self.deadline - time.monotonic()))
            return True
        except subprocess.TimeoutExpired:
            self.stop()
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            _kill_tree(self.process)
            self.process.wait()


def uno_python_candidates(soffice: PurePath, platform: str = sys.platform) -> list[PurePath]:
    """The Pythons that may import LibreOffice's ``uno`` module, for the program ``soffice`` (its real
    path) on ``platform``: the one LibreOffice ships (``python.exe`` beside soffice.exe on Windows, the
    app's ``Resources/python`` on macOS, ``program/python`` of the official Linux builds), then the
    system's (Debian: ``/usr/bin/python3`` with python3-uno)."""
    program = soffice.parent
    if platform == "win32":
        return [program / "python.exe"]
    if platform == "darwin":
        return [program.parent / "Resources" / "python"]
    return [program / "python", PurePosixPath("/usr/bin/python3")]


def find_uno_python(soffice: str) -> str:
    """A Python that can import LibreOffice's ``uno`` module: LibreOffice's own, or the system's."""
    candidates = [
        *uno_python_candidates(Path(os.path.realpath(soffice))),
        shutil.which("python3"),
        sys.executable,
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            probe = subprocess.run([str(candidate), "-c", "import uno"], capture_output=True, timeout=60)
            if probe.returncode == 0:
                return str(candidate)
    raise OutputError(
        [
            Problem(
                "Không tìm thấy mô-đun uno của LibreOffice, cần để chuyển PDF hàng loạt.",
                fix="Cài gói python3-uno (trên Debian/Ubuntu: sudo apt-get install python3-uno), "
                "hoặc tạo PDF bằng lệnh cchc render --pdf.",
            )
        ]
    )


class _Failure(Exception):
    """A LibreOffice instance did not convert a file: error, crash or timeout. Internal: the conversion
    retries, then reports the file as a :class:`~cchc_gen.errors.Problem`."""


class _Office:
    """One LibreOffice instance behind the UNO bridge, with a profile folder of its own per start."""

    def __init__(self, soffice: str, python: str, work_dir: Path, name: str) -> None:
        self.soffice, self.python, self.work_dir, self.name = soffice, python, work_dir, name
        self.starts = 0
        self.closed = False
        self.process: subprocess.Popen[str] | None = None
        self.replies: queue.Queue[str | None] = queue.Queue()

    def convert(self, source: Path, target: Path) -> None:
        if self.closed:
            raise _Failure("đã dừng theo yêu cầu")
        if self.process is None:
            self._start()
        process = self.process
        if process is None or process.stdin is None:  # closed meanwhile
            raise _Failure("đã dừng theo yêu cầu")
        try:
            request = {"source": str(source.resolve()), "target": str(target.resolve())}
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
        except OSError:
            raise _Failure("LibreOffice đã dừng") from None
        reply = self._reply(TIMEOUT_PER_FILE)
        if not reply.get("ok"):
            raise _Failure(str(reply.get("error")))

    def _start(self) -> None:
        self.starts += 1
        profile = self.work_dir / f"profile-{self.name}-{self.starts}"
        pipe = f"cchc-{os.getpid()}-{self.name}-{self.starts}"
        # A session of its own (POSIX; Windows ignores it), so that the bridge and its LibreOffice are
        # stopped together.
        self.process = subprocess.Popen(
            [self.python, str(BRIDGE), self.soffice, profile.as_uri(), pipe],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            start_new_session=True,
        )
        self.replies = queue.Queue()
        threading.Thread(target=_read_lines, args=(self.process.stdout, self.replies), daemon=True).start()
        if not self._reply(STARTUP_TIMEOUT).get("ready"):
            raise _Failure("LibreOffice không khởi động được")

    def _reply(self, seconds: float) -> dict[str, Any]:
        try:
            line = self.replies.get(timeout=seconds)
        except queue.Empty:
            raise _Failure(f"quá {seconds:.0f} giây") from None
        if line is None:
            raise _Failure("LibreOffice đã dừng")
        return json.loads(line)

    def close(self) -> None:
        """Stop for good: the run was interrupted, no file is converted any more."""
        self.closed = True
        self.stop(kill=True)

    def stop(self, kill: bool = False) -> None:
        """Close the instance: politely (the bridge closes LibreOffice when its input ends), else by force."""
        process, self.process = self.process, None
        if process is None:
            return
        if not kill:
            assert process.stdin is not None
            with contextlib.suppress(OSError):
                process.stdin.close()
            try:
                process.wait(30)
                return
            except subprocess.TimeoutExpired:
                pass
        _kill_tree(process)
        process.wait()


def _kill_tree(process: subprocess.Popen[Any]) -> None:
    """Stop the bridge and the LibreOffice it started: its session on POSIX, its process tree on Windows."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False)
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _read_lines(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


class PdfConverter:
    """Long-lived LibreOffice instances, ``instances`` of them (one per core when not given), converting
    .docx files to PDF side by side, one file at a time per instance, each taking the next file from one
    queue as soon as it is free.

    Each file has a timeout (``TIMEOUT_PER_FILE``); a file that fails is tried once more on a freshly
    started instance, and a file that fails again is reported without stopping the others. A missing
    LibreOffice (or its ``uno`` module) is an error when the converter is made, before any work.
    """

    def __init__(self, instances: int | None = None) -> None:
        self.soffice = find_soffice()
        self.python = find_uno_python(self.soffice)
        self.instances = max(1, instances or os.cpu_count() or 1)

    def convert(
        self, jobs: Sequence[tuple[Path, Path]], on_done: Callable[[int, Problem | None], None]
    ) -> None:
        """Convert each (docx, pdf) of ``jobs``; ``on_done(index, problem or None)`` after each, one call
        at a time. The PDF is written to a temporary file and renamed into place."""
        if not jobs:
            return
        pending: queue.SimpleQueue[int] = queue.SimpleQueue()
        # The largest files first, so that no instance is left converting a long report alone at the end.
        for index in sorted(range(len(jobs)), key=lambda index: _size(jobs[index][0]), reverse=True):
            pending.put(index)
        stopping = threading.Event()
        report_lock = threading.Lock()

        def serve(office: _Office) -> None:
            try:
                while not stopping.is_set():
                    try:
                        index = pending.get_nowait()
                    except queue.Empty:
                        return
                    problem = _convert_one(office, *jobs[index])
                    with report_lock:
                        on_done(index, problem)
            finally:
                # Its profile folder is thrown away: no need to wait for LibreOffice to close politely.
                office.stop(kill=True)

        with tempfile.TemporaryDirectory(prefix="cchc-lo-") as work:
            count = min(self.instances, len(jobs))
            offices = [_Office(self.soffice, self.python, Path(work), str(n)) for n in range(count)]
            threads = [threading.Thread(target=serve, args=(office,)) for office in offices]
            for thread in threads:
                thread.start()
            try:
                for thread in threads:
                    thread.join()
            finally:
                if any(thread.is_alive() for thread in threads):  # interrupted: stop the instances now
                    stopping.set()
                    for office in offices:
                        office.close()
                    for thread in threads:
                        thread.join()


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0  # reported when converted


def _convert_one(office: _Office, source: Path, target: Path) -> Problem | None:
    reason = ""
    for _attempt in range(2):
        try:
            save_atomically(target, lambda temporary: office.convert(source, Path(temporary)))
            return None
        except _Failure as exc:
            office.stop(kill=True)
            reason = str(exc)
        except OutputError as exc:
            return exc.problems[0]
    return Problem(
        f"LibreOffice không chuyển được sang PDF ({reason}), kể cả khi thử lại.",
        source,
        fix="Mở tệp .docx bằng Word hoặc LibreOffice xem có lỗi không; hoặc chạy lại lệnh.",
    )


class PdfService:
    """LibreOffice kept running between requests, for the web workspace: each request converts one file
    on an idle instance (started at its first use), so that two clerks' PDFs are made side by side and no
    one waits for a LibreOffice to start again. A failed file is tried once more on a fresh instance."""

    def __init__(self, instances: int = 2) -> None:
        self.soffice = find_soffice()
        self.python = find_uno_python(self.soffice)
        self._work = tempfile.TemporaryDirectory(prefix="cchc-lo-")
        work = Path(self._work.name)
        self._offices = [_Office(self.soffice, self.python, work, f"w{n}") for n in range(instances)]
        self._idle: queue.LifoQueue[_Office] = queue.LifoQueue()
        for office in reversed(self._offices):
            self._idle.put(office)

    def convert(self, source: Path, target: Path) -> None:
        """Convert ``source`` (.docx) into ``target`` (.pdf, written atomically)."""
        office = self._idle.get()
        try:
            problem = _convert_one(office, source, target)
        finally:
            self._idle.put(office)
        if problem is not None:
            raise OutputError([problem])

    def close(self) -> None:
        """Stop every instance (the server is stopping)."""
        for office in self._offices:
            office.stop()
        self._work.cleanup()


def pdf_page_images(pdf: Path, folder: Path, resolution: int = 70) -> list[Path]:
    """The pages of ``pdf`` as PNG pictures in ``folder`` (poppler's pdftoppm), for a preview; made once.
    An empty list when pdftoppm is not installed."""
    done = folder / ".xong"
    if not done.is_file():
        program = shutil.which("pdftoppm")
        if program is None:
            return []
        folder.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [program, "-png", "-r", str(resolution), str(pdf), str(folder / "trang")],
            capture_output=True,
            timeout=TIMEOUT_PER_FILE,
            check=False,
        )
        if result.returncode != 0:
            raise OutputError([Problem("Không tạo được ảnh xem trước các trang của bản PDF.", pdf)])
        done.touch()
    return sorted(folder.glob("trang-*.png"))


def pdf_available() -> bool:
    """Whether LibreOffice (with its Python) is installed to make PDFs."""
    try:
        find_uno_python(find_soffice())
    except CchcError:
        return False
    return True
