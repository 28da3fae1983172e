"""The title: tên loại ("BÁO CÁO"), the trích yếu under it and its line, and "Kính gửi" (NĐ 30/2020,
Phụ lục I, Phần I, mục II.5 and II.9)."""

from __future__ import annotations

import re

from cchc_gen.errors import Severity
from cchc_gen.nd30.docx_view import Paragraph
from cchc_gen.nd30.elements import kinh_gui_inline
from cchc_gen.nd30.rules.judge import THIRD_TO_HALF, Judge, quoted, tail


def check(judge: Judge) -> None:
    _title(judge)
    _kinh_gui(judge)


def _title(judge: Judge) -> None:
    layout = judge.layout
    if layout.type_name is None:
        if layout.kinh_gui is None and layout.quoc_hieu is not None:
            judge.flag(
                "ten-loai",
                "không thấy tên loại văn bản dưới phần đầu",
                "tên loại (ví dụ “BÁO CÁO”) canh giữa, dưới số và ngày tháng",
                "trang đầu",
            )
        return
    judge.look("ten-loai", layout.type_name, (13, 14), bold=True, upper=True, centred=True)
    if not layout.title:
        judge.flag(
            "trich-yeu", "không có trích yếu", "trích yếu ngay dưới tên loại", layout.type_name.location
        )
        return
    first = layout.title[0]
    if re.match(r"(?i)\s*v\s*/\s*v\b", first.text):
        judge.flag(
            "trich-yeu-vv",
            f"trích yếu bắt đầu bằng “V/v”: {quoted(first.plain)}",
            "trích yếu không có “V/v” (chỉ công văn mới dùng “V/v”)",
            first.location,
        )
    for paragraph in layout.title:
        judge.look("trich-yeu", paragraph, (13, 14), bold=True, upper=False, centred=True)
    above = layout.title
    if layout.title_note is not None:  # "(số liệu tính từ …)": under the trích yếu, the rule below it
        judge.look("trich-yeu", layout.title_note, (13, 14), italic=None, centred=True)
        above = [*layout.title, layout.title_note]
    column = [b for b in judge.doc.blocks if isinstance(b, Paragraph)]
    judge.line("trich-yeu-duong-ke", column, above, THIRD_TO_HALF, "dài từ 1/3 đến 1/2 dòng chữ")


def _kinh_gui(judge: Judge) -> None:
    paragraph = judge.layout.kinh_gui
    if paragraph is None:
        return
    where = paragraph.location
    if not paragraph.plain.startswith("Kính gửi:"):
        required = "“Kính gửi:” (chữ thường, dấu hai chấm sau “Kính gửi”)"
        judge.flag("kinh-gui", quoted(paragraph.plain), required, where)
    judge.look("kinh-gui", paragraph, (13, 14), italic=False)
    rest = kinh_gui_inline(paragraph)
    if rest:
        if rest.endswith((";", ",")):
            judge.flag(
                "kinh-gui",
                f"kết thúc bằng {tail(rest)}",
                "một nơi nhận viết cùng dòng, không có “;”",
                where,
            )
        return
    entries = judge.layout.recipients
    if not entries:
        judge.flag(
            "kinh-gui",
            "“Kính gửi:” không có tên nơi nhận",
            "tên nơi nhận cùng dòng, hoặc các dòng “- …;”",
            where,
        )
        return
    if len(entries) == 1:
        found, required = "danh sách chỉ có một nơi nhận", "một nơi nhận viết cùng dòng với “Kính gửi:”"
        judge.flag("kinh-gui", found, required, entries[0].location, Severity.WARNING)
    for position, entry in enumerate(entries):
        judge.entry("kinh-gui", entry.plain, entry.location, last=position == len(entries) - 1)
        judge.look("kinh-gui", entry, (13, 14), italic=False)
