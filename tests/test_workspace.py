"""The workspace library under the web pages: the form generated from the profile and read back, a draft's
problems placed at their fields, starting from the previous report, the .docx of a report's data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cchc_gen import api
from cchc_gen.errors import DataError
from cchc_gen.excel.convert import plain_data
from cchc_gen.model.report import Report
from cchc_gen.source.yaml_file import load_yaml
from cchc_gen.workspace import form
from tests.conftest import ROOT

DATA = ROOT / "data"
SAMPLES = sorted(p for p in DATA.rglob("*.yaml") if p.name != "units.yaml")


def _raw(file: Path) -> dict[str, Any]:
    return plain_data(load_yaml(file).data)


def _place(data: dict[str, Any]) -> api.Place:
    return api.place(DATA, data["unit"], str(data["period"]))


def _layout(where: api.Place) -> form.FormLayout:
    return api.report_form(where, {"sections": [{"heading": "A"}]}).layout


@pytest.mark.parametrize("file", SAMPLES, ids=lambda p: p.name)
def test_every_sample_report_comes_back_from_its_form_unchanged(file: Path) -> None:
    data = _raw(file)
    where = _place(data)
    shown = api.report_form(where, data)
    back = api.data_from_report_form(where, form.form_fields(shown.values), data)
    assert Report.model_validate(back) == Report.model_validate(data)


@pytest.mark.parametrize(
    ("typed", "kind", "stored"),
    [
        ("4985", "integer", 4985),
        ("4.985", "integer", 4985),
        (" 4.985 ", "integer", 4985),
        ("0", "integer", 0),
        ("02", "integer", "02"),  # printed as typed, as in a YAML file
        ("47,37", "percentage", "47,37"),
        ("28,30", "percentage", "28,30"),
        ("1.5", "integer", "1.5"),  # ambiguous: the check says so, at the field
        ("mười", "integer", "mười"),
        ("1", "code", 1),
        ("Hoàn thành tốt", "text", "Hoàn thành tốt"),
        ("", "integer", None),
        ("   ", "text", None),
    ],
)
def test_a_figure_keeps_what_the_clerk_typed_unless_it_is_a_plain_whole_number(
    typed: str, kind: str, stored: Any
) -> None:
    assert form.figure_value(typed, kind) == stored


_HEADING = {"b.0.kind": "h", "b.0.heading": "Kết quả"}


@pytest.mark.parametrize(
    ("fields", "content"),
    [
        ({"b.0.0.kind": "p", "b.0.0.text": "Đoạn một.\n\n  Đoạn   hai. "}, ["Đoạn một.", "Đoạn hai."]),
        ({"b.0.0.kind": "p", "b.0.0.text": "   "}, None),
        (
            {"b.0.0.kind": "list", "b.0.0.text": "- Việc A\n+ Phần a1\n+ Phần a2\n- Việc B\nViệc C"},
            [{"list": [{"text": "Việc A", "sub": ["Phần a1", "Phần a2"]}, "Việc B", "Việc C"]}],
        ),
        ({"b.0.0.kind": "num", "b.0.0.text": "1. Hoàn thành\n2) Triển khai\nGiữ nguyên"}, None),
        (
            {
                "b.0.0.kind": "table",
                "b.0.0.columns": "Nơi | Số",
                "b.0.0.rows": "Xã A\t5\nXã B | 6 | thừa\nXã C",
            },
            [
                {
                    "table": {
                        "columns": ["Nơi", "Số"],
                        "rows": [["Xã A", "5"], ["Xã B", "6 | thừa"], ["Xã C", ""]],
                    }
                }
            ],
        ),
        (
            {
                "b.0.0.kind": "table",
                "b.0.0.columns": "A | B",
                "b.0.0.rows": "1 | 2",
                "b.0.0.number_column": "",
            },
            [{"table": {"number_column": None, "columns": ["A", "B"], "rows": [["1", "2"]]}}],
        ),
        (
            {
                "b.0.0.kind": "image",
                "b.0.0.image": "bieu-do.png",
                "b.0.0.width_cm": "12,5",
                "b.0.0.caption": "Hình 1",
            },
            [{"image": "bieu-do.png", "caption": "Hình 1", "width_cm": 12.5}],
        ),
        ({"b.0.0.kind": "image", "b.0.0.image": "", "b.0.0.caption": "Chưa có ảnh"}, None),
        (
            {"b.0.0.kind": "h", "b.0.0.heading": "Mục con", "b.0.0.0.kind": "p", "b.0.0.0.text": "Nội dung."},
            [{"heading": "Mục con", "content": ["Nội dung."]}],
        ),
        ({"b.0.0.kind": "h", "b.0.0.heading": ""}, None),
        # Gaps in the numbering (blocks removed in the browser) do not matter; the order does.
        (
            {"b.0.5.kind": "p", "b.0.5.text": "Sau", "b.0.2.kind": "p", "b.0.2.text": "Trước"},
            ["Trước", "Sau"],
        ),
    ],
)
def test_blocks_are_read_from_the_form(fields: dict[str, str], content: list[Any] | None) -> None:
    where = api.place(DATA, "ht-duc-tho", "2026-9T")
    data = api.data_from_report_form(where, {**_HEADING, **fields}, {})
    if content is None and fields.get("b.0.0.kind") == "num":
        content = [{"numbered": ["Hoàn thành", "Triển khai", "Giữ nguyên"]}]
    expected = {"heading": "Kết quả", **({"content": content} if content else {})}
    assert data["sections"] == [expected]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"b.0.kind": "p", "b.0.text": "A"}, "mục lớn phải là một đề mục"),
        ({**_HEADING, "b.0.1.1.kind": "p", "b.0.1.1.text": "A"}, "không thuộc mục nào"),
        ({**_HEADING, "b.0.0.kind": "p", "b.0.0.text": "A", "b.0.0.0.kind": "p"}, "chỉ đề mục mới chứa"),
        ({**_HEADING, "b.0.0.kind": "script"}, "không rõ loại"),
        ({**_HEADING, "b.0.0.text": "thiếu loại"}, "không rõ loại"),
        ({"b." + "0." * 9 + "kind": "h"}, "lồng quá nhiều cấp"),
    ],
)
def test_a_form_that_is_not_ours_is_refused(fields: dict[str, str], message: str) -> None:
    where = api.place(DATA, "ht-duc-tho", "2026-9T")
    with pytest.raises(form.FormError) as refused:
        api.data_from_report_form(where, fields, {})
    assert message in refused.value.problems[0].message
    assert refused.value.problems[0].fix


def test_values_equal_to_the_units_and_profiles_defaults_are_left_out() -> None:
    where = api.place(DATA, "ht-huong-khe", "2026-Q4")
    shown = api.report_form(where, {"sections": [{"heading": "A"}]})
    fields = form.form_fields(shown.values)
    assert fields["recipients"] == "Sở Nội vụ tỉnh Hà Tĩnh\nVăn phòng UBND tỉnh Hà Tĩnh"
    assert fields["title"] == "Kết quả thực hiện công tác cải cách hành chính quý IV năm 2026"
    assert fields["signer.name"] == "Phan Đình Nam"
    data = api.data_from_report_form(where, fields, {})
    assert not {"recipients", "title", "closing", "signer", "distribution", "archive"} & set(data)
    fields.update({"recipients": "Sở Nội vụ tỉnh Hà Tĩnh", "signer.name": "Lê Thị Hoa", "archive": "VT"})
    data = api.data_from_report_form(where, fields, {})
    assert data["recipients"] == ["Sở Nội vụ tỉnh Hà Tĩnh"]
    assert data["signer"]["name"] == "Lê Thị Hoa"
    assert data["archive"] == ["VT"]


def test_the_form_follows_the_profile() -> None:
    where = api.place(DATA, "ht-duc-tho", "2026-9T")
    layout = _layout(where)
    rows = {row.code: row for row in layout.indicators if row.code}
    assert rows["hs_tiep_nhan"].stt == "3.5.7."
    assert rows["hs_tiep_nhan"].derived  # a rule adds it up when left empty
    assert rows["kh_ty_le"].kind == "percentage"
    assert rows["cqs_hop_truc_tuyen"].kind == "code"
    assert rows["cqs_hop_truc_tuyen"].choices == (("0", "Chưa có"), ("1", "2 cấp"), ("2", "3 cấp"))
    assert [entry.key for entry in layout.outline] == [
        "chi-dao",
        "ket-qua",
        "danh-gia",
        "phuong-huong",
        "kien-nghi",
    ]
    assert all(entry.hint for entry in layout.outline)
    assert [entry.required for entry in layout.outline] == [True, True, True, True, False]


def test_every_problem_of_a_draft_is_placed_at_its_field_all_at_once() -> None:
    data = _raw(DATA / "2026-9T" / "ht-duc-tho.yaml")
    data["date"] = "31/02/2026"  # refused by the model
    data["figures"]["hs_dang_giai_quyet"] = 90  # the received total no longer adds up
    data["figures"]["kh_hoan_thanh"] = 30  # more done than planned
    data["sections"][0]["content"][1]["heading"] = ""  # an empty heading
    check = api.check_report_data(_place(data), data)
    assert check.errors == 4
    assert [p.message for p in check.by_field["date"]] == [
        "Trường 'Ngày ban hành': Ngày '31/02/2026' không có thật."
    ]
    assert "phải bằng số tiếp nhận (4.985)" in check.by_field["fig-hs_tiep_nhan"][0].message
    assert (
        "không được lớn hơn số nhiệm vụ đề ra trong kế hoạch (26)"
        in check.by_field["fig-kh_hoan_thanh"][0].message
    )
    assert check.by_field["b-0-1"][0].location == "Nội dung báo cáo, mục I, khối 2"


def test_a_report_with_errors_is_not_produced() -> None:
    data = _raw(DATA / "2026-9T" / "ht-duc-tho.yaml")
    data["figures"]["hs_dang_giai_quyet"] = 90
    with pytest.raises(DataError) as refused:
        api.report_document(_place(data), data)
    assert [p.path for p in refused.value.problems] == [("figures", "hs_tiep_nhan")]


@pytest.mark.parametrize("unit", ["ht-duc-tho", "ht-huong-khe", "ht-thanh-sen"])
def test_the_document_of_a_reports_data_is_what_cchc_render_writes(unit: str, tmp_path: Path) -> None:
    file = DATA / "2026-9T" / f"{unit}.yaml"
    rendered = api.render_report(file, tmp_path / "cli.docx")
    assert api.report_document(api.place(DATA, unit, "2026-9T"), _raw(file)) == rendered.read_bytes()


def test_a_report_starts_from_the_previous_one_with_its_figures_to_bring_up_to_date() -> None:
    previous = _raw(DATA / "2026-9T" / "ht-duc-tho.yaml")
    where = api.place(DATA, "ht-duc-tho", "2026-Q4")
    started = api.report_from_previous(where, previous)
    assert started["period"] == "2026-Q4"
    assert not {"number", "date", "title", "closing"} & set(started)
    assert started["sections"] == previous["sections"]
    assert started["figures"]["hs_tiep_nhan"] == 4985
    shown = api.report_form(where, started, previous)
    assert "hs_tiep_nhan" in shown.stale
    assert shown.previous["hs_tiep_nhan"] == "4.985"
    stale = [p for p in shown.check.problems if p.path == ("figures",)]
    assert stale and stale[0].severity == "cảnh báo"
    assert f"{len(shown.stale)} số liệu vẫn bằng số liệu 9 tháng đầu năm 2026" in stale[0].message


def test_a_previous_report_with_errors_is_not_copied() -> None:
    previous = _raw(DATA / "2026-9T" / "ht-duc-tho.yaml")
    previous["date"] = "hôm qua"
    with pytest.raises(DataError) as refused:
        api.report_from_previous(api.place(DATA, "ht-duc-tho", "2026-Q4"), previous)
    assert "Báo cáo kỳ trước còn lỗi" in refused.value.problems[0].message


def test_an_empty_report_has_the_profiles_outline() -> None:
    data = api.new_report(api.place(DATA, "ht-thanh-sen", "2027-Q1"))
    assert [s["heading"] for s in data["sections"]][:2] == [
        "Công tác chỉ đạo, điều hành cải cách hành chính",
        "Kết quả thực hiện các nhiệm vụ cải cách hành chính",
    ]
    assert api.check_report_data(api.place(DATA, "ht-thanh-sen", "2027-Q1"), data).errors == 0


def test_the_changes_between_two_versions_are_labelled_as_the_form_labels_them() -> None:
    theirs = _raw(DATA / "2026-9T" / "ht-duc-tho.yaml")
    mine = {
        **theirs,
        "lead_in": [*theirs["lead_in"], "Câu mới."],
        "figures": {**theirs["figures"], "kh_nhiem_vu": 27},
    }
    changes = api.report_changes(_place(theirs), mine, theirs)
    assert [c.label for c in changes] == [
        "Các đoạn mở đầu (căn cứ)",
        "Số liệu: 1.1.1. Số nhiệm vụ đề ra trong kế hoạch",
    ]
    assert changes[1].mine == "27"
    assert changes[1].theirs == "26"


@pytest.mark.parametrize(
    ("unit", "period", "message"),
    [
        ("khong-co", "2026-9T", "Không có đơn vị mã 'khong-co'"),
        ("ht-duc-tho", "2026-q3", "phải viết là '2026-Q3'"),
    ],
)
def test_a_place_is_a_unit_of_the_registry_and_a_period_in_its_notation(
    unit: str, period: str, message: str
) -> None:
    with pytest.raises(DataError) as refused:
        api.place(DATA, unit, period)
    assert message in refused.value.problems[0].message
