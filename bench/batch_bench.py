"""Benchmark of ``cchc batch`` (not a test): speed against a naive docxtpl loop, peak memory, and PDF.

Run from the repository root:  python bench/batch_bench.py

It generates synthetic communes in a temporary folder (a registry and one period file each, made from
the sample files data/2026-9T/*.yaml, so of the same size and content), then prints:

- ms per report and reports per second of ``run_batch`` (the library call of ``cchc batch``, -j 2,
  everything included: reading, checks, layout, rendering, writing, manifest, process start-up) and of
  a naive loop over the same data files (each read, checked and laid out by the library's functions,
  the registry loaded once, then a new ``DocxTemplate``, ``render`` and ``save``), and their ratio;
  the naive loop's DocxTemplate+render+save time alone is shown too, with the ratio against it;
- the peak memory (max RSS) of the batch process and of its largest worker, for 100 and 3,321 units,
  each size run in a fresh process;
- the time to convert 50 reports to PDF with ``PdfConverter`` (two long-lived LibreOffice instances)
  and with one ``soffice --convert-to pdf`` process per report.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the cchc_gen of this checkout, installed or not
SIZES = (100, 3321)
JOBS = 2
PDF_REPORTS = 50
PERIOD = "2026-9T"


def make_communes(folder: Path, count: int) -> list[Path]:
    """``count`` communes: a registry entry and a period file each, cycling over the sample files."""
    registry = yaml.safe_load((ROOT / "data" / "units.yaml").read_text(encoding="utf-8"))["units"]
    samples = sorted((ROOT / "data" / PERIOD).glob("*.yaml"))
    units, files = {}, []
    (folder / "data" / PERIOD).mkdir(parents=True)
    for index in range(count):
        sample = samples[index % len(samples)]
        code = f"tn-xa-{index + 1:05d}"
        unit = copy.deepcopy(registry[sample.stem])  # shared values would be written as YAML anchors
        unit["name"] = f"Ủy ban nhân dân xã Thử Nghiệm {index + 1}"
        unit["short_name"] = f"UBND xã Thử Nghiệm {index + 1}"
        unit["issuing_body"] = ["Ủy ban nhân dân", f"xã Thử Nghiệm {index + 1}"]
        unit["place"] = f"Thử Nghiệm {index + 1}"
        units[code] = unit
        text = sample.read_text(encoding="utf-8").replace(f"unit: {sample.stem}", f"unit: {code}")
        path = folder / "data" / PERIOD / f"{code}.yaml"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    (folder / "data" / "units.yaml").write_text(
        yaml.safe_dump({"units": units}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    shutil.copytree(ROOT / "templates", folder / "templates")
    return files


def child(kind: str, count: int) -> dict[str, float]:
    """One measurement in this (fresh) process; the working folder holds the communes."""
    from cchc_gen.runs.batch import Status, run_batch

    files = sorted(Path("data", PERIOD).glob("*.yaml"))
    assert len(files) == count
    if kind == "batch":
        start = time.perf_counter()
        report = run_batch(Path("data"), PERIOD, jobs=JOBS)
        seconds = time.perf_counter() - start
        assert report.count(Status.DONE) == count, report.problems[:3]
        docxtpl = 0.0
    else:
        seconds, docxtpl = naive_loop(files)
    return {
        "seconds": seconds,
        "docxtpl_seconds": docxtpl,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def naive_loop(files: list[Path]) -> tuple[float, float]:
    """Seconds for the whole loop (read, check and lay out each data file, then a new DocxTemplate,
    render and save), and the part of it spent in DocxTemplate, render and save."""
    from docxtpl import DocxTemplate

    from cchc_gen.model.check import check_report
    from cchc_gen.model.profile import load_profile
    from cchc_gen.model.report import Report
    from cchc_gen.render.context import build_context
    from cchc_gen.render.docx import make_environment
    from cchc_gen.source.loading import LoadedReport, load_registry
    from cchc_gen.source.yaml_file import load_yaml

    registry = load_registry(Path("data", "units.yaml"))
    profiles: dict[str | None, Any] = {}  # loaded once, as the batch does
    env = make_environment()
    out = Path("naive")
    out.mkdir(exist_ok=True)
    spent = 0.0
    begin = time.perf_counter()
    for data_file in files:
        document = load_yaml(data_file)
        report = Report.model_validate(document.data)
        loaded = LoadedReport(data_file, report, registry[report.unit], document)
        if report.profile not in profiles:
            profiles[report.profile] = load_profile(report.profile)
        profile = profiles[report.profile]
        context = build_context(report, loaded.unit, profile, check_report(loaded, profile).figures, env)
        start = time.perf_counter()
        template = DocxTemplate(str(profile.template_path))
        template.render(context, jinja_env=env, autoescape=True)
        template.save(str(out / f"{data_file.stem}.docx"))
        spent += time.perf_counter() - start
    return time.perf_counter() - begin, spent


def measure(kind: str, count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as work:
        make_communes(Path(work), count)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        run = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(count)],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
        )
        if run.returncode:
            sys.exit(f"{kind} {count} failed:\n{run.stderr}")
        return json.loads(run.stdout.splitlines()[-1])


def pdf_comparison() -> tuple[float, float]:
    """Seconds for PDF_REPORTS reports: the converter pool, then one soffice process per report."""
    from cchc_gen.render.pdf import PdfConverter, find_soffice

    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as work:
        folder = Path(work)
        make_communes(folder, PDF_REPORTS)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-m", "cchc_gen", "batch", "-j", str(JOBS)],
            cwd=folder,
            env=env,
            check=True,
            capture_output=True,
        )
        documents = sorted((folder / "outputs" / PERIOD).glob("*.docx"))
        assert len(documents) == PDF_REPORTS
        start = time.perf_counter()
        failures = []
        jobs = [(doc, folder / "pool" / f"{doc.stem}.pdf") for doc in documents]
        PdfConverter(JOBS).convert(jobs, lambda index, problem: problem and failures.append(problem))
        pool = time.perf_counter() - start
        assert not failures and all(pdf.stat().st_size for _, pdf in jobs), failures
        soffice = find_soffice()
        profile = (folder / "profile").as_uri()
        start = time.perf_counter()
        for doc in documents:
            command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
            command += ["--convert-to", "pdf", "--outdir", str(folder / "single"), str(doc)]
            subprocess.run(command, check=True, capture_output=True)
        single = time.perf_counter() - start
        assert len(list((folder / "single").glob("*.pdf"))) == PDF_REPORTS
        return pool, single


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("KIND", "COUNT"), help=argparse.SUPPRESS)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF comparison")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]))))
        return

    print(f"cchc batch benchmark: {os.cpu_count()} CPUs, -j {JOBS}, period files like data/{PERIOD}/*.yaml")
    # Other work on the machine slows every figure below: say how busy it was before this run.
    print(f"load average at the start: {os.getloadavg()[0]:.2f}\n")
    print(f"{'units':>6} {'run':<34} {'total s':>8} {'ms/report':>10} {'reports/s':>10} {'peak MB':>8}")
    batch: dict[int, dict[str, float]] = {}
    for count in SIZES:
        batch[count] = result = measure("batch", count)
        naive = measure("naive", count)
        runs = [
            (f"cchc batch -j {JOBS} (everything)", result["seconds"], result["rss_mb"]),
            ("  its largest worker", None, result["worker_rss_mb"]),
            ("naive loop (everything)", naive["seconds"], naive["rss_mb"]),
            ("  of it DocxTemplate+render+save", naive["docxtpl_seconds"], None),
        ]
        for label, seconds, memory in runs:
            timing = (
                f"{seconds:8.2f} {seconds / count * 1000:10.2f} {count / seconds:10.1f}"
                if seconds
                else " " * 30
            )
            print(f"{count:>6} {label:<34} {timing} {f'{memory:8.0f}' if memory else ''}")
        whole, docxtpl = (naive[key] / result["seconds"] for key in ("seconds", "docxtpl_seconds"))
        print(
            f"{'':>6} batch vs naive loop: {whole:.1f}x faster per report "
            f"({docxtpl:.1f}x against its DocxTemplate+render+save alone)"
        )
    small, large = batch[SIZES[0]], batch[SIZES[1]]
    print()
    for key, name in (("rss_mb", "batch process"), ("worker_rss_mb", "largest worker")):
        growth = (large[key] / small[key] - 1) * 100
        print(f"peak memory of the {name}: {small[key]:.0f} MB -> {large[key]:.0f} MB ({growth:+.1f}%)")
    print(f"{SIZES[1]} units with -j {JOBS}: {large['seconds']:.1f} s wall clock")
    if not args.no_pdf:
        pool, single = pdf_comparison()
        print(
            f"\nPDF of {PDF_REPORTS} reports: {pool:.1f} s with {JOBS} long-lived LibreOffice instances, "
            f"{single:.1f} s with one soffice process per report ({single / pool:.1f}x faster)"
        )


if __name__ == "__main__":
    main()
