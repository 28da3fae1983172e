"""PDF through LibreOffice (headless), for printing or for the digital signature (ký số).

One ``soffice`` call converts many files (about 0.3 s each instead of 1.2 s per process). Each call gets a
profile directory of its own, because two instances sharing a profile block each other, and a timeout.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import OutputError, Problem
from .rendering import save_atomically

SOFFICE_NAMES = ("soffice", "libreoffice")
TIMEOUT_PER_FILE = 60


def find_soffice() -> str:
    for name in SOFFICE_NAMES:
        if found := shutil.which(name):
            return found
    raise OutputError(
        [
            Problem(
                "Không tìm thấy LibreOffice để chuyển báo cáo sang PDF.",
                fix="Cài LibreOffice (trên Debian/Ubuntu: sudo apt-get install libreoffice-writer), "
                "hoặc mở tệp .docx bằng Word và chọn Lưu dưới dạng PDF.",
            )
        ]
    )


def convert_to_pdf(documents: Sequence[Path], outdir: Path | None = None) -> list[Path]:
    """Convert ``documents`` (.docx) to PDF beside them (or into ``outdir``); returns the PDF paths."""
    if not documents:
        return []
    soffice = find_soffice()
    targets = [(outdir or doc.parent) / f"{doc.stem}.pdf" for doc in documents]
    with tempfile.TemporaryDirectory(prefix="cchc-lo-") as work:
        work_dir = Path(work)
        profile = (work_dir / "profile").as_uri()
        # Convert into a private folder first, so that a half-written PDF never replaces a good one.
        staging = work_dir / "out"
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(staging),
            *(str(doc.resolve()) for doc in documents),
        ]
        try:
            subprocess.run(
                command,
                check=False,
                capture_output=True,
                timeout=TIMEOUT_PER_FILE * len(documents),
            )
        except subprocess.TimeoutExpired:
            raise OutputError(
                [Problem("LibreOffice không chuyển xong sang PDF trong thời gian cho phép.", documents[0])]
            ) from None
        missing = []
        for doc, target in zip(documents, targets, strict=True):
            produced = staging / f"{doc.stem}.pdf"
            if not produced.is_file() or produced.stat().st_size == 0:
                missing.append(Problem("LibreOffice không mở được tệp này để chuyển sang PDF.", doc))
                continue
            save_atomically(target, lambda temporary, produced=produced: shutil.copyfile(produced, temporary))
        if missing:
            raise OutputError(missing)
    return targets
