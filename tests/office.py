"""Real office programs in tests: LibreOffice converts and saves workbooks again, poppler reads the PDF
back page by page."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def pdf_pages(pdf: Path) -> list[str]:
    """Text of each page (pdftotext keeps the page order; pages are separated by form feeds)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def first_line(page: str) -> str:
    return next((line.strip() for line in page.splitlines() if line.strip()), "")


def libreoffice_save(files: list[Path], outdir: Path) -> None:
    """Open each file in LibreOffice Calc and save it again as .xlsx (recalculating formulas)."""
    libreoffice_convert(files, outdir, "xlsx")


def libreoffice_convert(files: list[Path], outdir: Path, kind: str) -> None:
    """Open each file in LibreOffice and save it as ``kind`` (xlsx, pdf…) into ``outdir``."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="cchc-lo-test-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                kind,
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )


def signature_page(pages: list[str]) -> tuple[int, list[str]]:
    """The index of the page that has "Nơi nhận:", and the lines above the label on that page (its page
    number left out)."""
    index = next(i for i, page in enumerate(pages) if "Nơi nhận:" in page)
    above = [line.strip() for line in pages[index].split("Nơi nhận:")[0].splitlines() if line.strip()]
    return index, above[1:] if index and above[:1] == [str(index + 1)] else above
