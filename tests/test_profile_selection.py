"""Choosing the profile: the one a data file names, else by the period's date within the default series.

A new circular gets a copy of the profile with its own ``valid_from``; reports of earlier periods keep the
old profile, so both are in use at the same time.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cchc_gen import api
from cchc_gen.cli import main
from cchc_gen.errors import TemplateProblem
from cchc_gen.model.profile import period_end, profile_name_for
from cchc_gen.runs.batch import MANIFEST_FILE, Status
from cchc_gen.vn.periods import Period
from tests.conftest import write_yaml
from tests.docx_text import text_blocks

NEW = "bao-cao-dinh-ky-2025"
NEW_CLOSING = "Trên đây là báo cáo theo hướng dẫn mới {{ period.label }} của {{ unit.short_name }}"


def add_profile(name: str, **changes: object) -> Path:
    """A copy of the working folder's default profile with ``changes`` to its profile.yaml."""
    root = Path("templates")
    shutil.copytree(root / "bao-cao-dinh-ky", root / name)
    spec = yaml.safe_load((root / name / "profile.yaml").read_text(encoding="utf-8"))
    spec.update(changes)
    spec = {k: v for k, v in spec.items() if v is not None}
    return write_yaml(root / name / "profile.yaml", spec)


@pytest.fixture
def two_circulars(data_tree):
    """The default profile (valid from 2020) and a new one of the same series valid from 01/7/2025."""
    data_tree()
    add_profile(NEW, valid_from="01/07/2025", closing=NEW_CLOSING)
    return data_tree


@pytest.mark.parametrize(
    ("period", "chosen"),
    [
        ("2025-Q2", "bao-cao-dinh-ky"),
        ("2025-6T", "bao-cao-dinh-ky"),
        ("2025-Q3", NEW),
        ("2025-9T", NEW),
        ("2025", NEW),
        ("2026-Q1", NEW),
        ("2019", "bao-cao-dinh-ky"),
    ],
)
def test_the_newest_profile_valid_at_the_end_of_the_period(two_circulars, period, chosen):
    assert profile_name_for(None, Period.parse(period)) == chosen


def test_the_period_ends_on_the_last_day_of_its_last_month():
    assert period_end(Period.parse("2025-6T")).isoformat() == "2025-06-30"
    assert period_end(Period.parse("2024-Q1")).isoformat() == "2024-03-31"


def test_a_named_profile_is_used_whatever_the_date(two_circulars):
    assert profile_name_for("bao-cao-dinh-ky", Period.parse("2026-Q1")) == "bao-cao-dinh-ky"


def test_another_series_and_a_profile_without_valid_from_are_only_used_by_name(two_circulars):
    add_profile("bao-cao-kiem-tra", series="bao-cao-kiem-tra", valid_from="01/01/2026")
    add_profile("ban-nhap", valid_from=None)
    assert profile_name_for(None, Period.parse("2026-Q2")) == NEW


def test_two_profiles_of_a_series_valid_from_the_same_day_are_refused(two_circulars):
    add_profile("ban-sao", valid_from="2025-07-01")
    with pytest.raises(TemplateProblem) as refused:
        profile_name_for(None, Period.parse("2025-Q4"))
    message = str(refused.value)
    assert (
        "ban-sao, bao-cao-dinh-ky-2025" in message
        and "01/07/2025" in message
        and "quý IV năm 2025" in message
    )


def test_render_uses_each_period_s_profile(two_circulars, tmp_path):
    before = api.render_report(two_circulars(period="2025-Q2", date="20/06/2025"), tmp_path / "q2.docx")
    after = api.render_report(two_circulars(period="2025-Q3", date="20/09/2025"), tmp_path / "q3.docx")
    assert "Trên đây là báo cáo theo hướng dẫn mới quý III năm 2025 của UBND xã An Bình./." in text_blocks(
        after
    )
    assert not any("hướng dẫn mới" in text for text in text_blocks(before))


def test_batch_records_the_profile_chosen_by_date(two_circulars):
    two_circulars()
    shutil.move("data/2024-Q1", "data/2025-Q3")
    report = yaml.safe_load(Path("data/2025-Q3/tx-an-binh.yaml").read_text(encoding="utf-8"))
    write_yaml(Path("data/2025-Q3/tx-an-binh.yaml"), {**report, "period": "2025-Q3", "date": "20/09/2025"})
    result = CliRunner().invoke(main, ["batch", "--period", "2025-Q3", "-j", "1"])
    assert result.exit_code == 0, result.output
    record = json.loads((Path("outputs/2025-Q3") / MANIFEST_FILE).read_text(encoding="utf-8").splitlines()[0])
    assert record["profile"] == NEW


def test_batch_lays_out_with_the_period_s_profile_and_again_when_it_changes(two_circulars):
    """The web workspace's zip: reports whose data names no profile use the one chosen for the period, and
    a report made with another period profile is not taken as up to date."""
    add_profile("bao-cao-kiem-tra", series="bao-cao-kiem-tra", closing="Trên đây là báo cáo kiểm tra")
    two_circulars()
    unit = "tx-an-binh"
    chosen = api.run_batch(Path("data"), "2024-Q1", period_profile="bao-cao-kiem-tra", jobs=1)
    assert chosen.statuses == {unit: Status.DONE}
    docx = Path("outputs/2024-Q1") / f"{unit}.docx"
    assert "Trên đây là báo cáo kiểm tra./." in text_blocks(docx)
    same = api.run_batch(Path("data"), "2024-Q1", period_profile="bao-cao-kiem-tra", jobs=1)
    assert same.statuses == {unit: Status.SKIPPED}
    by_date = api.run_batch(Path("data"), "2024-Q1", jobs=1)
    assert by_date.statuses == {unit: Status.DONE}
    assert "Trên đây là báo cáo kiểm tra./." not in text_blocks(docx)
