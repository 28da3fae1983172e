"""Benchmark of PDF conversion (not a test): ``cchc batch --pdf``'s converter against LibreOffice alone.

Run from the repository root:  python bench/pdf_bench.py [--reports 50] [--sampled 10]

It renders the sample reports (data/2026-9T/*.yaml) and copies them to ``--reports`` files, then prints
the seconds to convert them all to PDF:

- with ``PdfConverter``, the converter of ``cchc batch --pdf``: one long-lived LibreOffice per core
  (``os.cpu_count()``), fed from one queue;
- with one ``soffice --headless --convert-to pdf`` call given every file;
- with one ``soffice`` call per file: timed on ``--sampled`` files only and scaled to all of them (said so
  in what it prints).

Each way starts from a fresh LibreOffice profile (the calls per file share one). The machine's load average
is printed too: with other programs running, the figures are not comparable.
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

from cchc_gen import api  # noqa: E402
from cchc_gen.render.pdf import PdfConverter, find_soffice  # noqa: E402

SAMPLES = sorted((ROOT / "data" / "2026-9T").glob("*.yaml"))


def reports(folder: Path, count: int) -> list[Path]:
    """``count`` .docx reports in ``folder``: the samples rendered once, copied under numbered names."""
    rendered = [api.render_report(sample, folder / "samples" / f"{sample.stem}.docx") for sample in SAMPLES]
    documents = []
    for index in range(count):
        document = folder / "docx" / f"bao-cao-{index + 1:03d}.docx"
        document.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(rendered[index % len(rendered)], document)
        documents.append(document)
    return documents


def converter(documents: list[Path], out: Path) -> float:
    start = time.perf_counter()
    failures: list[object] = []
    jobs = [(document, out / f"{document.stem}.pdf") for document in documents]
    PdfConverter(os.cpu_count() or 1).convert(jobs, lambda _, problem: problem and failures.append(problem))
    seconds = time.perf_counter() - start
    assert not failures and all(pdf.stat().st_size for _, pdf in jobs), failures
    return seconds


def soffice(documents: list[Path], out: Path, profile: Path) -> float:
    """One ``soffice --convert-to pdf`` call for ``documents``."""
    start = time.perf_counter()
    command = [find_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    command += ["--convert-to", "pdf", "--outdir", str(out), *map(str, documents)]
    subprocess.run(command, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    assert all((out / f"{document.stem}.pdf").stat().st_size for document in documents)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=50, help="how many reports to convert")
    parser.add_argument("--sampled", type=int, default=10, help="files timed with one soffice call each")
    parser.add_argument(
        "--rounds", type=int, default=1, help="times the converter and the one call are timed, in turn"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cchc-pdf-bench-") as work:
        folder = Path(work)
        documents = reports(folder, args.reports)
        print(f"{len(documents)} reports, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
        ratios = []
        for round_ in range(args.rounds):
            ours = converter(documents, folder / f"ours-{round_}")
            one_call = soffice(documents, folder / f"one-call-{round_}", folder / f"profile-{round_}")
            ratios.append(one_call / ours)
            print(
                f"PdfConverter ({os.cpu_count()} LibreOffice instances): {ours:.1f} s; one soffice call with "
                f"all {len(documents)} files: {one_call:.1f} s; PdfConverter {one_call / ours:.2f}x faster "
                f"(load average {os.getloadavg()[0]:.2f})"
            )
        if args.rounds > 1:
            print(f"median over {args.rounds} rounds: PdfConverter {statistics.median(ratios):.2f}x faster")
        sampled = documents[: args.sampled]
        start = time.perf_counter()
        for document in sampled:
            soffice([document], folder / "per-file", folder / "profile-per-file")
        per_file = (time.perf_counter() - start) * len(documents) / len(sampled)
        print(
            f"one soffice call per file: {per_file:.1f} s (timed on {len(sampled)} files and scaled to "
            f"{len(documents)}); PdfConverter (last round) {per_file / ours:.2f}x faster"
        )
        print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
