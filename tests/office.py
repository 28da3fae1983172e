"""Real office programs in tests: LibreOffice converts, poppler reads the PDF back page by page."""

from __future__ import annotations

import subprocess
from pathlib import Path


def pdf_pages(pdf: Path) -> list[str]:
    """Text of each page (pdftotext keeps the page order; pages are separated by form feeds)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def first_line(page: str) -> str:
    return next((line.strip() for line in page.splitlines() if line.strip()), "")
