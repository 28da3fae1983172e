"""A province of any size for the web workspace, made from the sample files, and its store in this process.

:func:`make_province` writes a data folder whose registry has parent units (copies of the sample province)
with as many communes below each as asked, every commune with a period file made from one of the sample
files of data/2026-9T. :func:`open_province` then opens the web store of that folder in this process
(Django is set up once per process: run it in a process of its own, as ``tests/dashboard_queries.py`` and
``bench/province_bench.py`` are), and :func:`set_states` puts the reports in the states the dashboard shows.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PERIOD = "2026-9T"
SAMPLE_PARENT = "ht"


def make_province(data: Path, parents: dict[str, int], period: str = PERIOD) -> dict[str, list[str]]:
    """Write the data folder ``data`` (registry and period files) with ``parents`` (code → number of
    communes below it); returns the codes of each parent's communes, in registry order."""
    registry = yaml.safe_load((ROOT / "data" / "units.yaml").read_text(encoding="utf-8"))["units"]
    samples = sorted((ROOT / "data" / PERIOD).glob("*.yaml"))
    units: dict[str, Any] = {}
    children: dict[str, list[str]] = {}
    (data / period).mkdir(parents=True)
    for parent, count in parents.items():
        head = copy.deepcopy(registry[SAMPLE_PARENT])
        head["short_name"] = f"UBND tỉnh Thử Nghiệm {parent}"
        units[parent] = head
        children[parent] = []
        for index in range(count):
            sample = samples[index % len(samples)]
            code = f"{parent}-xa-{index + 1:03d}"
            name = f"Thử Nghiệm {parent.upper()} {index + 1}"
            unit = copy.deepcopy(registry[sample.stem])  # shared values would be written as YAML anchors
            unit.update(
                name=f"Ủy ban nhân dân xã {name}",
                short_name=f"UBND xã {name}",
                issuing_body=["Ủy ban nhân dân", f"xã {name}"],
                place=name,
                parent=parent,
            )
            units[code] = unit
            children[parent].append(code)
            text = sample.read_text(encoding="utf-8").replace(f"unit: {sample.stem}", f"unit: {code}")
            (data / period / f"{code}.yaml").write_text(
                text.replace("period: 2026-9T", f"period: {period}"), encoding="utf-8"
            )
    (data / "units.yaml").write_text(
        yaml.safe_dump({"units": units}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return children


def open_province(data: Path) -> None:
    """Open the web store of ``data`` in this process: the period files imported, the demo logins made
    (an officer ``noi-vu-<parent>`` for each parent)."""
    from cchc_gen.web.config import WebOptions
    from cchc_gen.web.server import open_store

    open_store(WebOptions(data_dir=data.resolve()))


def set_states(period: str, units: list[str], state: str) -> None:
    """Submit (``submitted``) or send back (``returned``) the reports of ``units`` as the store does
    it, by the unit's clerk and the parent's officer; ``missing`` deletes them (never started)."""
    from django.contrib.auth.models import User

    from cchc_gen import api
    from cchc_gen.web import config, store
    from cchc_gen.web.models import Report

    for code in units:
        where = api.place(config.data_dir(), code, period)
        if state == "missing":
            Report.objects.filter(unit=code, period=period).delete()
            continue
        store.submit(where, 1, User.objects.get(username=code))
        if state == "returned":
            officer = User.objects.get(username=f"noi-vu-{where.unit.parent}")
            store.send_back(where, "Bổ sung số liệu.", officer)
