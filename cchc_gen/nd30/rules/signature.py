"""The end of the document: "Nơi nhận" and its list, and the signature block: authority, position and
name of the signer (NĐ 30/2020, Phụ lục I, Phần I, mục II.7 and II.9)."""

from __future__ import annotations

import re

from cchc_gen.nd30.docx_view import Paragraph
from cchc_gen.nd30.elements import is_upper
from cchc_gen.nd30.rules.judge import Judge, alignment, quoted

_PREFIXES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")
_PREFIX_LIKE = re.compile(
    r"(?i)^(?:T\s*/\s*U\s*Q|T\s*/\s*M|K\s*/\s*T|T\s*/\s*L|TUQ|TM|KT|TL|Q)\.?(?=[\s.:]|$)"
)
_TITLES = re.compile(
    r"^(?:(?:GS|PGS|TSKH|TS|ThS|THS|Ths|KS|BS|CN|LS|NGƯT|NGND)(?:\.|\s)|"
    r"(?i:giáo sư|phó giáo sư|tiến sĩ|thạc sĩ|kỹ sư|bác sĩ|luật sư|cử nhân)\s)"
)


def check(judge: Judge) -> None:
    _noi_nhan(judge)
    _signature(judge)


def _noi_nhan(judge: Judge) -> None:
    label = judge.layout.noi_nhan
    if label is None:
        if judge.layout.type_name is not None or judge.layout.kinh_gui is not None:
            judge.flag(
                "noi-nhan-dinh-dang",
                "không có “Nơi nhận”",
                "“Nơi nhận:” cuối văn bản, bên trái",
                "cuối văn bản",
            )
        return
    lines = label.text.split("\n")
    head = lines[0].strip()
    if head != "Nơi nhận:":
        judge.flag(
            "noi-nhan-dinh-dang", quoted(head), "“Nơi nhận:” (chữ thường, dấu hai chấm)", label.location
        )
    if len(lines) == 1:
        judge.look("noi-nhan-dinh-dang", label, (12, 12), bold=True, italic=True)
    _noi_nhan_position(judge, label)
    entries = [(" ".join(line.split()), label.location) for line in lines[1:] if line.strip()]
    for paragraph in judge.layout.distribution:
        entries += [
            (" ".join(line.split()), paragraph.location)
            for line in paragraph.text.split("\n")
            if line.strip()
        ]
        judge.look("noi-nhan-dinh-dang", paragraph, (11, 11), bold=False, italic=False)
    if not entries:
        judge.flag(
            "noi-nhan-dau-cau",
            "không có nơi nhận nào",
            "các dòng “- …;”, dòng cuối “- Lưu: VT, … .”",
            label.location,
        )
        return
    for position, (text, where) in enumerate(entries):
        last = position == len(entries) - 1
        judge.entry("noi-nhan-dau-cau", text, where, last=last)
        archive = bool(re.match(r"-?\s*Lưu\s*:", text))
        if last and not archive:
            judge.flag(
                "noi-nhan-dau-cau",
                f"dòng cuối {quoted(text)}",
                "dòng cuối “- Lưu: VT, <đơn vị soạn thảo>.”",
                where,
            )
        elif last and not re.match(r"-?\s*Lưu\s*:\s*VT\b", text):
            judge.flag("noi-nhan-dau-cau", quoted(text), "“- Lưu: VT, …” (sau “Lưu:” là “VT”)", where)
        elif not last and archive:
            judge.flag(
                "noi-nhan-dau-cau", "dòng “Lưu” không ở cuối", "“- Lưu: VT, … .” là dòng cuối cùng", where
            )
    if judge.layout.kinh_gui is not None and not re.fullmatch(r"-\s*Như trên\s*;", entries[0][0]):
        judge.flag(
            "noi-nhan-nhu-tren",
            f"dòng đầu {quoted(entries[0][0])}",
            "dòng đầu “- Như trên;”",
            entries[0][1],
        )


def _noi_nhan_position(judge: Judge, label: Paragraph) -> None:
    if label.format.alignment not in ("left", "both"):
        judge.flag("noi-nhan-vi-tri", alignment(label), "sát lề trái", label.location)
    if label.cell is None:
        return
    if label.cell.column != 1:
        judge.flag(
            "noi-nhan-vi-tri",
            f"ở cột {label.cell.column} của bảng",
            "sát lề trái (cột đầu)",
            label.location,
        )
    signature = next((p for p in judge.layout.signature if p.cell is not None), None)
    if signature is not None and signature.cell is not None:
        beside = (signature.cell.table, signature.cell.row) == (label.cell.table, label.cell.row)
        if not beside:
            found = f"chữ ký ở {signature.where}, không cùng hàng"
            judge.flag(
                "noi-nhan-vi-tri",
                found,
                "ngang hàng với dòng quyền hạn, chức vụ của người ký",
                label.location,
            )


def _signature(judge: Judge) -> None:
    texts, note = [], False
    for paragraph in judge.layout.signature:
        # "(Chữ ký của người có thẩm quyền, dấu …)" in the decree's samples marks the space to sign.
        if paragraph.plain.startswith("(") or note:
            note = not paragraph.plain.endswith(")")
        elif not paragraph.empty:
            texts.append(paragraph)
    if len(texts) < 2:
        if judge.layout.noi_nhan is not None:
            judge.flag(
                "chu-ky-chuc-vu",
                "không có quyền hạn, chức vụ và họ tên người ký",
                "quyền hạn, chức vụ (in hoa, đậm) và họ tên người ký ở bên phải, ngang hàng Nơi nhận",
                judge.layout.noi_nhan.location,
            )
        return
    titles, name = texts[:-1], texts[-1]
    if judge.layout.signature[-1].empty and is_upper(name.text):
        # The name left blank under the last title line, for the office to write in as it does the number
        # and the day.
        titles = texts
    _authority(judge, titles[0])
    for paragraph in titles:
        judge.look("chu-ky-chuc-vu", paragraph, (13, 14), bold=True, upper=True, centred=True)
    if titles is texts:
        return
    if _TITLES.match(name.plain):
        found = f"họ tên {quoted(name.plain)} có học hàm, học vị"
        judge.flag("chu-ky-ho-ten", found, "không ghi học hàm, học vị, danh hiệu trước họ tên", name.location)
    judge.look("chu-ky-ho-ten", name, (13, 14), bold=True, upper=False, centred=True)


def _authority(judge: Judge, paragraph: Paragraph) -> None:
    """TM., KT., Q., TL., TUQ.: upper case, with a full stop, then a space."""
    text = paragraph.plain
    match = _PREFIX_LIKE.match(text)
    if match is None:
        return
    written = match.group(0)
    canonical = next((p for p in _PREFIXES if p[:-1] == re.sub(r"[\s/.]", "", written).upper()), "TM.")
    if written != canonical or not text[match.end() :].startswith(" "):
        judge.flag(
            "chu-ky-quyen-han",
            f"quyền hạn {quoted(text, 24)}",
            f"“{canonical} …” — viết tắt in hoa có dấu chấm (TM., KT., Q., TL., TUQ.), rồi khoảng trắng",
            paragraph.location,
        )
