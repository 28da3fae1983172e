"""Jinja filters available in every template profile.

Each filter is a plain function registered in :data:`FILTERS`; the rendering environment installs them
all. The docstring's first line is "<Vietnamese description>: <example>"; the description and the example
of :data:`EXAMPLES`, rendered by Jinja, make the maintainers' filter table (docs/bo-loc.md), built by
:func:`filter_table_markdown` so that it cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from cchc_gen.vn import dates, numbers
from cchc_gen.vn.periods import Period


def ngay_tieu_de(value: date | dates.IssueDate) -> str:
    """Ngày ở dòng địa danh theo NĐ 30: 05/01/2024 → "ngày 05 tháng 01 năm 2024"."""
    return dates.header_date(value)


def ngay(value: date) -> str:
    """Ngày trong câu văn: 2023-01-18 → "18/01/2023"."""
    return dates.prose_date(value)


def _period(value: Period | str) -> Period:
    return Period.parse(value) if isinstance(value, str) else value


def ky(value: Period | str) -> str:
    """Tên kỳ báo cáo trong câu văn: "2023-Q1" → "quý I năm 2023"."""
    return _period(value).label


def ky_sau(value: Period | str) -> str:
    """Tên kỳ tiếp theo: "2023-Q1" → "quý II năm 2023"."""
    return _period(value).next.label


def ky_chot(value: Period | str) -> str:
    """Thời gian chốt số liệu của kỳ: "2023-Q1" → "15/12/2022 – 14/3/2023"."""
    return _period(value).window_label


def so(value: object, thap_phan: int | None = None) -> str:
    """Số viết theo kiểu Việt Nam, tùy chọn số chữ số thập phân: 1601 → "1.601"."""
    return numbers.format_number(value, thap_phan)


def phan_tram(value: object, thap_phan: int = 2) -> str:
    """Tỷ lệ phần trăm, làm tròn, không cách trước dấu %: "47,368" → "47,37%"."""
    return numbers.format_percent(value, thap_phan)


def ty_le(value: object, tong: object, thap_phan: int = 2) -> str:
    """Tỷ lệ phần trăm của một số trên tổng số, tính chính xác: 9 trên 19 → "47,37%"."""
    return numbers.format_percent(numbers.rate(value, tong, thap_phan), thap_phan)


def dem(value: object) -> str:
    """Số đếm trong câu văn, thêm số 0 trước số có một chữ số: 3 → "03"."""
    return numbers.pad_count(value)


def ty_so(value: object, tong: object, thap_phan: int = 2) -> str:
    """Số đạt trên tổng số kèm tỷ lệ phần trăm: 9 trên 19 → "09/19, đạt 47,37%"."""
    return numbers.format_ratio(value, tong, thap_phan)


def doc_so(value: object, le: bool = False, tu: bool = False, ngan: bool = False) -> str:
    """Đọc số thành chữ (tùy chọn “lẻ”, “tư”, “ngàn”): 1050000 → "một triệu không trăm năm mươi nghìn"."""
    return numbers.read_number(value, numbers.ReadingStyle.from_flags(le=le, tu=tu, ngan=ngan))


def doc_tien(
    value: object, chan: bool = False, le: bool = False, tu: bool = False, ngan: bool = False
) -> str:
    """Số tiền bằng chữ, tùy chọn thêm “chẵn”: 30000000 → "Ba mươi triệu đồng"."""
    style = numbers.ReadingStyle.from_flags(le=le, tu=tu, ngan=ngan)
    return numbers.amount_in_words(value, style, chan=chan)


FILTERS: dict[str, Callable[..., Any]] = {
    "ngay_tieu_de": ngay_tieu_de,
    "ngay": ngay,
    "ky": ky,
    "ky_sau": ky_sau,
    "ky_chot": ky_chot,
    "so": so,
    "phan_tram": phan_tram,
    "ty_le": ty_le,
    "dem": dem,
    "ty_so": ty_so,
    "doc_so": doc_so,
    "doc_tien": doc_tien,
}


@dataclass(frozen=True)
class Example:
    """One use of a filter in a template; ``context`` holds values a template cannot write literally."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


EXAMPLES: dict[str, list[Example]] = {
    "ngay_tieu_de": [Example("{{ ngay_ky | ngay_tieu_de }}", {"ngay_ky": date(2024, 1, 5)})],
    "ngay": [Example("{{ ngay_ky | ngay }}", {"ngay_ky": date(2023, 1, 18)})],
    "ky": [Example('{{ "2023-Q1" | ky }}')],
    "ky_sau": [Example('{{ "2023-Q1" | ky_sau }}'), Example('{{ "2023-6T" | ky_sau }}')],
    "ky_chot": [Example('{{ "2023-Q1" | ky_chot }}'), Example('{{ "2023-6TC" | ky_chot }}')],
    "so": [Example("{{ 1601 | so }}"), Example('{{ "47,368" | so(2) }}'), Example('{{ "2,5" | so(2) }}')],
    "phan_tram": [Example('{{ "47,368" | phan_tram }}'), Example("{{ 100 | phan_tram }}")],
    "ty_le": [Example("{{ 9 | ty_le(19) }}"), Example("{{ 2 | ty_le(3, 1) }}")],
    "dem": [Example("{{ 3 | dem }}"), Example("{{ 19 | dem }}")],
    "ty_so": [Example("{{ 9 | ty_so(19) }}")],
    "doc_so": [
        Example('{{ "1.050.000" | doc_so }}'),
        Example('{{ "47,37" | doc_so }}'),
        Example("{{ 105 | doc_so(le=true) }}"),
        Example("{{ 24 | doc_so(tu=true) }}"),
        Example("{{ 15000 | doc_so(ngan=true) }}"),
    ],
    "doc_tien": [Example('{{ "30.000.000" | doc_tien }}'), Example("{{ 2500000 | doc_tien(chan=true) }}")],
}


def _example_environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


def render_example(example: Example) -> str:
    """What the template text of ``example`` renders to with every filter installed."""
    return _example_environment().from_string(example.template).render(example.context)


def _context_note(example: Example) -> str:
    shown = {
        name: dates.prose_date(value) if isinstance(value, date) else str(value)
        for name, value in example.context.items()
    }
    return "".join(f" (`{name}` là {value})" for name, value in shown.items())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def filter_table_markdown() -> str:
    """The maintainers' page docs/bo-loc.md: every filter with its description and rendered examples."""
    lines = [
        "# Bộ lọc dùng trong mẫu báo cáo",
        "",
        "Mỗi bộ lọc viết sau dấu `|` trong mẫu Word, ví dụ `{{ so_ho_so | so }}`.",
        "Cột “Kết quả” là kết quả thật của từng ví dụ. Trang này được sinh từ mã nguồn",
        "(`cchc_gen/render/filters.py`), đừng sửa tay; sinh lại bằng:",
        "",
        "```",
        'python -c "import cchc_gen.render.filters as f; '
        "open('docs/bo-loc.md', 'w', encoding='utf-8').write(f.filter_table_markdown())\"",
        "```",
        "",
        "| Bộ lọc | Ý nghĩa | Ví dụ trong mẫu | Kết quả |",
        "|---|---|---|---|",
    ]
    for name, function in FILTERS.items():
        description = (function.__doc__ or "").strip().splitlines()[0].partition(": ")[0]
        for index, example in enumerate(EXAMPLES[name]):
            first = index == 0
            lines.append(
                f"| {f'`{name}`' if first else ''} | {_cell(description) if first else ''} "
                f"| `{_cell(example.template)}`{_context_note(example)} | {_cell(render_example(example))} |"
            )
    return "\n".join(lines) + "\n"
