"""Benchmark of ``cchc batch`` (not a test): what a report costs, alone and in a batch, and one unit.

Run from the repository root:  python bench/batch_bench.py          (everything, several minutes)
                               python bench/batch_bench.py --quick  (small sizes, about a minute)

It generates synthetic communes in temporary folders, made from the sample files data/2026-9T/*.yaml (so
of the same size and content), and prints, in one run:

1. per report in one worker (one process, everything loaded, min of several rounds): the render of the
   template's parts (``CompiledTemplate.render_bytes`` and the write of the file) and the whole unit (read
   the YAML file, model, checks, layout, render, write, as ``cchc batch`` does for each unit), each against
   the floor: the same compiled Jinja templates rendered to strings and zipped with the parts no tag touches
   deflated beforehand, then written; nothing else;
2. one unit's report (``cchc batch --units X --force``, the command as a person runs it, start-up included)
   in a period of a few units and in one of 100,000: the registry, the period folder and the manifest
   hold every unit of the period (the other units' files are small: they are never read);
3. ``run_batch`` (the library call of ``cchc batch``: reading, checks, layout, rendering, writing, manifest,
   process start-up) with -j 1 and with -j 2, against a naive loop over the same data files in one
   process (each read with the same YAML reader, checked and laid out by the library's functions, the
   registry loaded once, then a new ``DocxTemplate``, ``render`` and ``save``): the ratio per process
   (-j 1 against the loop) and for the whole batch (-j 2 against the loop), each side the fastest of
   ``--rounds`` runs (a run of half a second is at the mercy of any other job on the machine), the naive
   loop over at most ``--naive-limit`` units; and the peak memory (max RSS) of the batch process and of
   its largest worker, each size run in a fresh process. The registry's index
   (made once per change of the registry, cchc_gen/runs/registry_index.py) is made before, and its time
   and memory shown apart.
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
PERIOD = "2026-9T"
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def work_folder() -> Path:
    """Where the bench's communes and reports go: under the repository's outputs/, where cchc writes reports,
    not in the system's temporary folder, which may be slower to create files in (on the 2-core machine of
    issue 21, 0.6 ms a file in /tmp against 0.06 ms beside the repository, the same disk: a tenth of what a
    report costs, for the batch and the naive loop alike)."""
    folder = ROOT / "outputs" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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
        yaml.dump({"units": units}, Dumper=_DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    settle(folder / "data" / "units.yaml")
    shutil.copytree(ROOT / "templates", folder / "templates")
    return files


def settle(registry: Path) -> None:
    """Date the registry a minute back, as a registry is (changed long before a batch runs): the index of
    a registry changed a moment ago is not kept (see cchc_gen/runs/registry_index.py)."""
    moment = time.time() - 60
    os.utime(registry, (moment, moment))


# --- 1. per report in one worker ----------------------------------------------------------------------------


def per_report(repeats: int, rounds: int) -> None:
    from cchc_gen.runs.batch import _Job, _Worker
    from cchc_gen.source.loading import load_registry

    with tempfile.TemporaryDirectory(prefix="cchc-bench-", dir=work_folder()) as work:
        folder = Path(work)
        files = make_communes(folder, 3)
        registry = load_registry(folder / "data" / "units.yaml")
        worker = _Worker(folder / "data" / "units.yaml", None, None)
        out = folder / "outputs" / PERIOD
        out.mkdir(parents=True)
        print("1. Per report in one worker (ms of CPU time, the least of several rounds)")
        columns = f"{'floor':>6} {'render':>7} {'ratio':>6} {'whole unit':>11} {'ratio':>6} {'(floor*)':>9}"
        print(f"   {'sample':<17} {columns}")
        for data_file in files:
            job = _Job(data_file.stem, data_file, out, None, True, registry[data_file.stem])
            floor, least, render, whole = sample_times(worker, job, repeats, rounds)
            print(
                f"   {data_file.name:<17} {floor:6.2f} {render:7.2f} {render / floor:5.2f}x "
                f"{whole:11.2f} {whole / floor:5.2f}x {least:9.2f}"
            )
        print(
            "   floor: the compiled Jinja templates rendered to strings, then every part of the package\n"
            "   written with zipfile (ZIP_DEFLATED); render: CompiledTemplate.render_bytes and the write of\n"
            "   the file; whole unit: read the YAML file, model, checks, layout, render, write (the batch's\n"
            "   worker, a new output each time). floor*: the strings zipped with the parts no tag touches\n"
            "   deflated beforehand (as render_bytes does): the least a render can cost.\n"
            "   (targets: render within 1.5x of the floor, whole unit within 2x)\n"
        )


def sample_times(worker: Any, job: Any, repeats: int, rounds: int) -> tuple[float, float, float, float]:
    """Milliseconds per report of the floor, the least floor, the render and the whole unit ``job``."""
    import zipfile

    from cchc_gen.render.docx import _Member, _zip
    from cchc_gen.render.prepare import prepare

    loaded = worker.load(job, job.data_file.read_bytes())
    prepared = prepare(loaded, worker.env, choose_profile=worker.profile)
    template = worker.template(prepared.profile)
    parts = [template._body, *template._headers_footers, *template._footnotes]
    with zipfile.ZipFile(template.template_path) as source:
        package = {name: source.read(name) for name in source.namelist()}
    output = job.output_dir / f"{job.unit}.docx"

    def strings() -> dict[str, bytes]:
        return {part.member: part.template.render(prepared.context).encode() for part in parts}

    def floor() -> None:
        rendered = strings()
        with zipfile.ZipFile(job.output_dir / "floor.docx", "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in package.items():
                archive.writestr(name, rendered.get(name, data))

    def least() -> None:
        rendered = {**strings(), template._core_member: template._core_xml}  # its properties left as they are
        members = [m if isinstance(m, _Member) else _Member.of(m, rendered[m]) for m in template._members]
        (job.output_dir / "least.docx").write_bytes(_zip(members))

    def render() -> None:
        (job.output_dir / "render.docx").write_bytes(template.render_bytes(prepared.context, prepared.where))

    def whole() -> None:
        output.unlink(missing_ok=True)
        worker.render(job)

    return tuple(best(step, repeats, rounds) for step in (floor, least, render, whole))  # type: ignore[return-value]


def best(step: Any, repeats: int, rounds: int) -> float:
    """Milliseconds of CPU time per call of ``step`` (other work on the machine does not count): the least,
    over ``rounds``, of the mean of ``repeats`` calls."""
    step()
    means = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(repeats):
            step()
        means.append((time.process_time() - start) / repeats * 1000)
    return min(means)


# --- 2. one unit in a period of any size --------------------------------------------------------------------


def make_period(folder: Path, count: int) -> str:
    """A period of ``count`` units as a batch leaves it: a registry entry, a data file and a manifest record
    each; the unit returned has the sample's data and registry entry, the others small ones (never read by
    a run for that unit). Returns the code of that unit."""
    registry = (ROOT / "data" / "units.yaml").read_text(encoding="utf-8")
    entry = registry.split("\n  ht-duc-tho:\n", 1)[1].split("\n\n", 1)[0]
    data = folder / "data" / PERIOD
    data.mkdir(parents=True)
    out = folder / "outputs" / PERIOD
    out.mkdir(parents=True)
    lines = ["units:", "  x000001:", entry]
    sample = (ROOT / "data" / PERIOD / "ht-duc-tho.yaml").read_text(encoding="utf-8")
    (data / "x000001.yaml").write_text(sample.replace("unit: ht-duc-tho", "unit: x000001"), encoding="utf-8")
    hashes = {key: key[0] * 64 for key in ("registry", "template", "profile", "generator", "data", "docx")}
    with open(out / ".manifest.jsonl", "w", encoding="utf-8") as manifest:
        for index in range(2, count + 1):
            code = f"x{index:06d}"
            lines.append(
                f"  {code}: {{name: Xã {index}, short_name: Xã {index}, level: xa, parent: ht, "
                f"issuing_body: Xã {index}, symbol: UB, place: P{index}, signer: {{title: CT, name: A}}}}"
            )
            (data / f"{code}.yaml").write_text(f"unit: {code}\nperiod: {PERIOD}\n", encoding="utf-8")
            record = {"unit": code, "profile": "bao-cao-dinh-ky", "data": f"data/{PERIOD}/{code}.yaml"}
            record |= {f"{key}_sha256": value for key, value in hashes.items()}
            manifest.write(json.dumps(record) + "\n")
    (folder / "data" / "units.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copytree(ROOT / "templates", folder / "templates")
    settle(folder / "data" / "units.yaml")
    return "x000001"


def one_unit(sizes: list[int], rounds: int) -> None:
    print("2. One unit's report: cchc batch --units X --force -j 1 (s, the least of several runs)")
    seconds = {}
    for count in sizes:
        with tempfile.TemporaryDirectory(prefix="cchc-bench-", dir=work_folder()) as work:
            folder = Path(work)
            unit = make_period(folder, count)
            command = [sys.executable, "-m", "cchc_gen", "batch", "--units", unit, "--force", "-j", "1"]
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            runs = []
            for _ in range(rounds + 1):  # the first run makes the indexes
                start = time.perf_counter()
                subprocess.run(command, cwd=folder, env=env, check=True, capture_output=True)
                runs.append(time.perf_counter() - start)
            seconds[count] = min(runs[1:])
            print(
                f"   {count:>7} units in the period: {seconds[count]:.2f} s "
                f"(first run, making the indexes: {runs[0]:.2f} s)"
            )
    small, large = seconds[min(sizes)], seconds[max(sizes)]
    print(f"   {max(sizes)} units against {min(sizes)}: {large / small:.2f}x (target: within 2x)\n")


# --- 3. batch against the naive loop, and memory ------------------------------------------------------------


def child(kind: str, count: int, extent: int) -> dict[str, float]:
    """One measurement in this (fresh) process; the working folder holds the communes. ``extent`` is the
    number of worker processes of a batch, the number of units of the naive loop."""
    from cchc_gen.runs.batch import Status, run_batch
    from cchc_gen.runs.registry_index import INDEX_FILE, RegistryIndex

    files = sorted(Path("data", PERIOD).glob("*.yaml"))
    if kind == "index":
        start = time.perf_counter()
        RegistryIndex(Path("data", "units.yaml"), Path("outputs", INDEX_FILE)).close()
        seconds, done, docxtpl = time.perf_counter() - start, count, 0.0
    elif kind == "batch":
        start = time.perf_counter()
        report = run_batch(Path("data"), PERIOD, jobs=extent)
        seconds = time.perf_counter() - start
        assert report.count(Status.DONE) == count, report.problems[:3]
        done, docxtpl = count, 0.0
    else:
        files = files[:extent]
        seconds, docxtpl = naive_loop(files)
        done = len(files)
    return {
        "seconds": seconds,
        "per_report_ms": seconds / done * 1000,
        "docxtpl_ms": docxtpl / done * 1000,
        "units": done,
        "rss_mb": peak_rss_mb(),
        "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def peak_rss_mb() -> float:
    """The peak RSS of this process (VmHWM). Not ru_maxrss: Linux carries that over from the process that
    started this one, here the bench itself, whose own data would be measured."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def naive_loop(files: list[Path]) -> tuple[float, float]:
    """Seconds for the whole loop (read with the same YAML reader as the batch, check and lay out each data
    file, then a new DocxTemplate, render and save), and the part of it spent in DocxTemplate, render and
    save."""
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
        document = load_yaml(data_file)  # libyaml, lines only on demand: the batch's reader
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


def measure(folder: Path, kind: str, count: int, extent: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if kind == "batch":  # every report made again; the registry's index is kept
        shutil.rmtree(folder / "outputs" / PERIOD, ignore_errors=True)
    run = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(count), str(extent)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    if run.returncode:
        sys.exit(f"{kind} {count} failed:\n{run.stderr}")
    return dict(json.loads(run.stdout.splitlines()[-1]))


def least(folder: Path, kind: str, count: int, extent: int, rounds: int) -> dict[str, float]:
    """The fastest of ``rounds`` runs of :func:`measure`: a run that another job on the machine slowed down
    says nothing about the code (points 1 and 2 take the least of several rounds too)."""
    return min((measure(folder, kind, count, extent) for _ in range(rounds)), key=lambda run: run["seconds"])


def batches(sizes: list[int], naive_limit: int | None, memory_sizes: list[int], rounds: int) -> None:
    print("3. cchc batch (run_batch) against a naive docxtpl loop, per report (ms)")
    header = f"{'-j 1':>8} {'-j 2':>8} {'naive':>8} {'(docxtpl)':>10} {'per process':>12} {'whole batch':>12}"
    print(f"   {'units':>6} {header}")
    peaks: dict[int, dict[str, float]] = {}
    indexes: dict[int, dict[str, float]] = {}
    for count in sorted(set(sizes) | set(memory_sizes)):
        with tempfile.TemporaryDirectory(prefix="cchc-bench-", dir=work_folder()) as work:
            folder = Path(work)
            make_communes(folder, count)
            indexes[count] = measure(folder, "index", count, 0)  # once per change of the registry
            two = measure(folder, "batch", count, 2)
            peaks[count] = two
            if count not in sizes:
                continue
            others = (measure(folder, "batch", count, 2) for _ in range(rounds - 1))
            two = min([two, *others], key=lambda run: run["seconds"])
            one = least(folder, "batch", count, 1, rounds)
            naive = least(folder, "naive", count, min(count, naive_limit or count), rounds)
        loop = naive["per_report_ms"]
        one_ms, two_ms = one["per_report_ms"], two["per_report_ms"]
        print(
            f"   {count:>6} {one_ms:8.2f} {two_ms:8.2f} {loop:8.2f} {naive['docxtpl_ms']:10.2f} "
            f"{loop / one_ms:11.1f}x {loop / two_ms:11.1f}x"
            + (f"   (naive loop over {naive['units']:.0f} of the units)" if naive["units"] < count else "")
        )
    print(
        f"   (each the fastest of {rounds} runs; per process: naive loop / -j 1; whole batch: naive loop"
        " / -j 2; target: whole batch >= 8x)\n"
    )
    print("   Peak memory of cchc batch -j 2 (max RSS, MB), each size in a fresh process:")
    for count, peak in sorted(peaks.items()):
        batch, worker, index = peak["rss_mb"], peak["worker_rss_mb"], indexes[count]
        print(
            f"   {count:>6} units: batch process {batch:6.0f}, largest worker {worker:6.0f}   "
            f"(indexing the registry, once per change: {index['seconds']:.1f} s, {index['rss_mb']:.0f} MB)"
        )
    if len(peaks) > 1:
        small, large = peaks[min(peaks)], peaks[max(peaks)]
        for key, name in (("rss_mb", "batch process"), ("worker_rss_mb", "largest worker")):
            growth = (large[key] / small[key] - 1) * 100
            print(f"   {name}: {min(peaks)} -> {max(peaks)} units: {growth:+.1f}% (target: under +20%)")


def sizes_of(text: str) -> list[int]:
    return [int(size) for size in text.split(",") if size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=3, metavar=("KIND", "COUNT", "EXTENT"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--quick", action="store_true", help="small sizes: --one-unit 100,10000 --batch 100 --memory 100,1000"
    )
    parser.add_argument(
        "--one-unit",
        type=sizes_of,
        default=[100, 100_000],
        help="period sizes for point 2 (default 100,100000)",
    )
    parser.add_argument(
        "--batch", type=sizes_of, default=[100, 3321], help="batch sizes for point 3 (default 100,3321)"
    )
    parser.add_argument(
        "--memory", type=sizes_of, default=[100, 10_000], help="sizes for the peak memory (default 100,10000)"
    )
    parser.add_argument(
        "--naive-limit",
        type=int,
        default=1000,
        help="run the naive loop over at most this many units (its cost per report does not grow with them; "
        "default 1000)",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of each batch and of the naive loop, the fastest kept"
    )
    parser.add_argument("--skip", default="", help="points to leave out, e.g. 2,3")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), int(args.child[2]))))
        return
    if args.quick:
        args.one_unit, args.batch, args.memory = [100, 10_000], [100], [100, 1000]
    skip = set(args.skip.split(","))
    print(f"cchc batch benchmark: {os.cpu_count()} CPUs, period files like data/{PERIOD}/*.yaml")
    # Other work on the machine slows every figure below: say how busy it was before this run.
    print(f"load average at the start: {os.getloadavg()[0]:.2f}\n")
    if "1" not in skip:
        per_report(repeats=20, rounds=5)
    if "2" not in skip:
        one_unit(args.one_unit, rounds=3)
    if "3" not in skip:
        batches(args.batch, args.naive_limit, args.memory, args.rounds)


if __name__ == "__main__":
    main()
