"""Shared fixtures: small data trees built in code, and rendering helpers; hypothesis profiles."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

from cchc_gen import api
from cchc_gen.errors import Problem
from cchc_gen.render import template_cache
from cchc_gen.runs.rollup import roll_up
from tests.excel_book import Book, as_workbook

# CI runs (CI=true) draw the same examples every time, so a red run is the code's fault and can be
# reproduced; developers' runs draw new ones each time, to find what CI has not seen yet. A test's own
# max_examples still applies.
settings.register_profile("ci", derandomize=True, max_examples=100, print_blob=True)
settings.register_profile("dev", max_examples=100)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PROFILE = ROOT / "templates" / "bao-cao-dinh-ky"
# The sample units' data (data/<period>/) and the published reports rebuilt as data (data/examples/).
SAMPLES = sorted((ROOT / "data").glob("20*/*.yaml")) + sorted((ROOT / "data" / "examples").glob("*.yaml"))
# The province the sample communes report to: its roll-up of each sample period is a report too.
PROVINCE = "ht"
ROLLUP_PERIODS = sorted({sample.parent.name for sample in SAMPLES if "examples" not in sample.parts})
# Every report the suite renders from the repository's data, by name: "2026-9T/ht-duc-tho", "2026-9T/ht".
REPORTS = [f"{s.parent.name}/{s.stem}" for s in SAMPLES] + [f"{p}/{PROVINCE}" for p in ROLLUP_PERIODS]
TEST_INDICATORS = [
    {
        "label": "Kế hoạch CCHC",
        "items": [
            {"code": "kh_nhiem_vu", "label": "Số nhiệm vụ đề ra trong kế hoạch", "unit": "Nhiệm vụ"},
            {"code": "kh_hoan_thanh", "label": "Số nhiệm vụ đã hoàn thành", "unit": "Nhiệm vụ"},
        ],
    }
]
TEST_EXTRA_INDICATORS = [
    {
        "label": "Kết quả giải quyết hồ sơ",
        "items": [
            {"code": "kh_ty_le", "label": "Tỷ lệ nhiệm vụ đã hoàn thành", "unit": "%"},
            {"code": "hs_tiep_nhan", "label": "Số hồ sơ tiếp nhận", "unit": "Hồ sơ"},
            {"code": "hs_da_giai_quyet", "label": "Số hồ sơ đã giải quyết", "unit": "Hồ sơ"},
            {"code": "hs_dang_giai_quyet", "label": "Số hồ sơ đang giải quyết", "unit": "Hồ sơ"},
            {"code": "ks_hinh_thuc", "label": "Hình thức khảo sát", "unit": "Trực tuyến = 0 Phát phiếu = 1"},
            {"code": "kinh_phi", "label": "Kinh phí CCHC", "unit": "Đồng", "type": "money"},
            {"code": "ghi_chu", "label": "Ghi chú chung", "type": "text", "required": True},
        ],
    }
]
TEST_RULES = [
    {"kind": "le", "left": "kh_hoan_thanh", "right": "kh_nhiem_vu"},
    {"kind": "rate", "target": "kh_ty_le", "part": "kh_hoan_thanh", "whole": "kh_nhiem_vu"},
    {
        "kind": "sum",
        "total": "hs_tiep_nhan",
        "parts": ["hs_da_giai_quyet", "hs_dang_giai_quyet"],
        "message": "Số hồ sơ đã giải quyết ({hs_da_giai_quyet}) cộng đang giải quyết ({hs_dang_giai_quyet}) "
        "phải bằng số tiếp nhận ({hs_tiep_nhan})",
    },
]

UNITS: dict[str, Any] = {
    "units": {
        "tx-an-binh": {
            "name": "Ủy ban nhân dân xã An Bình",
            "short_name": "UBND xã An Bình",
            "level": "xa",
            "governing_body": "UBND tỉnh Thử Nghiệm",
            "issuing_body": ["Ủy ban nhân dân", "xã An Bình"],
            "symbol": "UBND",
            "place": "An Bình",
            "signer": {
                "authority": "TM.",
                "on_behalf": "Ủy ban nhân dân",
                "title": "Chủ tịch",
                "name": "Lê Văn An",
            },
            "recipients": ["Sở Nội vụ tỉnh Thử Nghiệm"],
            "distribution": ["Thường trực Đảng ủy xã", "Chủ tịch, các PCT UBND xã;"],
            "archive": ["VT", "VP"],
        }
    }
}

REPORT: dict[str, Any] = {
    "unit": "tx-an-binh",
    "period": "2024-Q1",
    "number": 7,
    "date": "05/01/2024",
    "lead_in": ["Thực hiện Kế hoạch số 01/KH-UBND ngày 02/01/2024 của Ủy ban nhân dân tỉnh;"],
    "sections": [
        {
            "heading": "Công tác chỉ đạo, điều hành cải cách hành chính",
            "content": [
                {
                    "heading": "Kế hoạch cải cách hành chính",
                    "content": [
                        "Ủy ban nhân dân xã ban hành Kế hoạch cải cách hành chính năm 2024 với 19 nhiệm vụ.",
                        {
                            "list": [
                                "Nhiệm vụ thứ nhất",
                                {"text": "Nhiệm vụ thứ hai gồm:", "sub": ["Việc A", "Việc B"]},
                            ]
                        },
                        {"heading": "Điểm thứ nhất"},
                    ],
                }
            ],
        },
        {"heading": "Kiến nghị, đề xuất", "content": ["Không có kiến nghị."]},
    ],
    "figures": {"kh_nhiem_vu": 19, "kh_hoan_thanh": 9},
}


@pytest.fixture(autouse=True)
def _every_problem_has_a_fix(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every problem made while a test runs, error or warning, says what to do about it (#16): each test
    that makes a command report something is also a test of this, the bad-input corpus first."""
    made: list[Problem] = []
    make = Problem.__init__

    def recorded(self: Problem, *args: Any, **fields: Any) -> None:
        make(self, *args, **fields)
        made.append(self)

    monkeypatch.setattr(Problem, "__init__", recorded)
    yield
    without = [f"{p.file}, {p.location}: {p.message}" for p in made if not (p.fix or "").strip()]
    assert without == [], "problems without a fix (Cách sửa)"


@pytest.fixture(scope="session", autouse=True)
def _own_template_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The built templates of the run (cchc_gen/render/template_cache.py) are kept in a folder of its own,
    under XDG_CACHE_HOME, never in the cache of the person running the tests; commands started by a test
    find it too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        template_cache.forget_folder()
        yield
    template_cache.forget_folder()


@pytest.fixture(autouse=True)
def _no_user_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the settings of the person running it: no CCHC_DATA or CCHC_TEMPLATES, and a
    settings folder (click.get_app_dir, under XDG_CONFIG_HOME) of its own."""
    monkeypatch.delenv("CCHC_DATA", raising=False)
    monkeypatch.delenv("CCHC_TEMPLATES", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


def write_yaml(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file, folder and link under ``root`` (links not followed) with what it holds (a file's hash,
    a link's target, a folder's or a FIFO's kind) and its modification time: equal before and after a
    command that created, changed and removed nothing, not even a temporary file."""
    found = {}
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(folder, name)
            status = path.lstat()
            if stat.S_ISLNK(status.st_mode):
                content = os.readlink(path)
            elif stat.S_ISREG(status.st_mode):
                content = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                content = stat.filemode(status.st_mode)
            found[path.relative_to(root).as_posix()] = (content, status.st_mtime_ns)
    return found


def install_tree(root: Path) -> Callable[..., Path]:
    """Under ``root``: the default profile with the small test catalogue (``templates/``) and the unit
    registry; returns a function that writes the report, with overrides of its fields, and gives its path.

    The default profile is used as it is, but with a small indicator catalogue of its own, so that these
    tests do not depend on the full catalogue's codes.
    """
    profile = root / "templates" / DEFAULT_PROFILE.name
    profile.mkdir(parents=True)
    (profile / "template.docx").write_bytes((DEFAULT_PROFILE / "template.docx").read_bytes())
    spec = yaml.safe_load((DEFAULT_PROFILE / "profile.yaml").read_text(encoding="utf-8"))
    spec["appendix"]["indicators"] = TEST_INDICATORS
    spec["rules"] = []
    write_yaml(profile / "profile.yaml", spec)

    def build(**overrides: Any) -> Path:
        write_yaml(root / "data" / "units.yaml", UNITS)
        report = {**REPORT, **overrides}
        report = {k: v for k, v in report.items() if v is not None}
        return write_yaml(root / "data" / "2024-Q1" / "tx-an-binh.yaml", report)

    return build


def edit_profile(root: Path = Path("."), **changes: Any) -> None:
    """Change the working copy of the profile under ``root`` (the test's folder), as a maintainer edits
    profile.yaml; ``indicators`` replaces the appendix's catalogue."""
    file = root / "templates" / DEFAULT_PROFILE.name / "profile.yaml"
    spec = yaml.safe_load(file.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key == "indicators":
            spec["appendix"]["indicators"] = value
        else:
            spec[key] = value
    write_yaml(file, spec)


@pytest.fixture
def data_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """A data folder with a registry and one report (see :func:`install_tree`); call it with overrides
    of the report's fields. The working folder is ``tmp_path``."""
    build = install_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    return build


@pytest.fixture(scope="session")
def every_report(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Each of :data:`REPORTS` rendered once for the session, as (data file, .docx). The published reports
    are rendered without the figure check, as published: their own figures are wrong (the Quảng Thọ
    appendix has percentages of 130, tests/test_validation.py). The province's roll-ups are made by
    ``cchc tong-hop --bieu-do`` from the sample period folders, so they carry the chart and its caption."""
    out = tmp_path_factory.mktemp("reports")
    reports = {
        f"{s.parent.name}/{s.stem}": (
            s,
            api.render_report(s, out / f"{s.parent.name}-{s.stem}.docx", check="examples" not in s.parts),
        )
        for s in SAMPLES
    }
    data = out / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / "units.yaml", data)
    for period in ROLLUP_PERIODS:
        shutil.copytree(ROOT / "data" / period, data / period)
        rolled = roll_up(PROVINCE, period, data, chart=True)
        assert not rolled.problems and rolled.chart is not None, rolled.problems
        docx = api.render_report(rolled.written, out / f"{period}-{PROVINCE}.docx")
        reports[f"{period}/{PROVINCE}"] = (rolled.written, docx)
    return reports


@pytest.fixture
def book(data_tree) -> Book:
    """The test report as a workbook in its period folder (the YAML file removed), under a catalogue with
    a percentage, counts, a coded answer, an amount and a text, and the test rules (its cells are listed in
    tests/test_excel_messy.py)."""
    edit_profile(indicators=TEST_INDICATORS + TEST_EXTRA_INDICATORS, rules=TEST_RULES)
    data_file = data_tree(figures={"kh_nhiem_vu": 19, "kh_hoan_thanh": 9, "ghi_chu": "x"})
    return Book(as_workbook(data_file))


@pytest.fixture(scope="session")
def web(tmp_path_factory: pytest.TempPathFactory):
    """``cchc serve`` running on a copy of data/ with a fresh store (demo accounts printed at start)."""
    from tests.web_server import start_server

    server = start_server(tmp_path_factory.mktemp("web"))
    yield server
    server.stop()
