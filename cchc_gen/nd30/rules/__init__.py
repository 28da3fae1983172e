"""The layout rules of Nghị định 30/2020/NĐ-CP, Phụ lục I, applied to one document.

Each rule has an id, the place in the decree it comes from and the element it is about (:data:`RULES`).
:func:`apply_rules` compares what :mod:`cchc_gen.nd30.elements` found with the rule: the text (case,
punctuation, numbering, zero-padding) and the formatting as Word shows it (size, bold, italic, alignment,
indents, spacing, fonts). A rule about an element the document does not have is skipped; a missing element
that such a document must have is an error. Fields left as dots for the office to fill in are not judged.
Line lengths are estimated from Times New Roman metrics, so a length out of range is a warning (cảnh báo).

The same departure in many places (Calibri in 60 paragraphs) is one finding listing all the places.

The rules are grouped by region of the document, one module each, applied in reading order: the page
(:mod:`~cchc_gen.nd30.rules.page`: paper, margins, fonts, page numbers), the header
(:mod:`~cchc_gen.nd30.rules.header`: Quốc hiệu, cơ quan, số, địa danh and date), the title
(:mod:`~cchc_gen.nd30.rules.title`: tên loại, trích yếu, Kính gửi), the body
(:mod:`~cchc_gen.nd30.rules.body`), the signature (:mod:`~cchc_gen.nd30.rules.signature`: Nơi nhận, the
signer) and the appendices (:mod:`~cchc_gen.nd30.rules.appendix`). What they share is in
:mod:`~cchc_gen.nd30.rules.judge`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cchc_gen.errors import Severity
from cchc_gen.nd30.docx_view import WordDocument
from cchc_gen.nd30.elements import Layout
from cchc_gen.nd30.rules import appendix, body, header, page, signature, title
from cchc_gen.nd30.rules.judge import Judge

_PART_I = "NĐ 30/2020, Phụ lục I, Phần I"


@dataclass(frozen=True)
class Rule:
    id: str
    reference: str
    element: str


RULES = {
    rule.id: rule
    for rule in (
        Rule("tep-docx", "điều kiện để kiểm tra", "tệp Word (.docx)"),
        Rule("kho-giay", f"{_PART_I}, mục I.1–2", "khổ giấy và chiều trình bày"),
        Rule("le-trang", f"{_PART_I}, mục I.3", "định lề trang"),
        Rule("phong-chu", f"{_PART_I}, mục I.4", "phông chữ"),
        Rule("mau-chu", f"{_PART_I}, mục I.4", "màu chữ"),
        Rule("so-trang", f"{_PART_I}, mục I.7", "số trang"),
        Rule("so-trang-trang-1", f"{_PART_I}, mục I.7", "không hiển thị số trang thứ nhất"),
        Rule("so-trang-phu-luc", f"{_PART_I}, mục III.1.đ", "số trang của phụ lục"),
        Rule("dau-trang-bang", f"{_PART_I}, mục IV (ô số 1–4)", "bố trí phần đầu văn bản"),
        Rule("quoc-hieu", f"{_PART_I}, mục II.1.a", "Quốc hiệu"),
        Rule("tieu-ngu", f"{_PART_I}, mục II.1.b", "Tiêu ngữ"),
        Rule("tieu-ngu-duong-ke", f"{_PART_I}, mục II.1.b", "đường kẻ dưới Tiêu ngữ"),
        Rule("co-quan-chu-quan", f"{_PART_I}, mục II.2.b", "tên cơ quan, tổ chức chủ quản trực tiếp"),
        Rule("co-quan-ban-hanh", f"{_PART_I}, mục II.2.b", "tên cơ quan, tổ chức ban hành văn bản"),
        Rule("co-quan-ban-hanh-duong-ke", f"{_PART_I}, mục II.2.b", "đường kẻ dưới tên cơ quan ban hành"),
        Rule("so-ky-hieu", f"{_PART_I}, mục II.3", "số, ký hiệu của văn bản"),
        Rule("dia-danh-ngay", f"{_PART_I}, mục II.4", "địa danh và thời gian ban hành văn bản"),
        Rule("ten-loai", f"{_PART_I}, mục II.5.b", "tên loại văn bản"),
        Rule("trich-yeu", f"{_PART_I}, mục II.5.b", "trích yếu nội dung văn bản"),
        Rule("trich-yeu-vv", f"{_PART_I}, mục II.5.b", "trích yếu của văn bản có tên loại (không có “V/v”)"),
        Rule("trich-yeu-duong-ke", f"{_PART_I}, mục II.5.b", "đường kẻ dưới trích yếu"),
        Rule("kinh-gui", f"{_PART_I}, mục II.9.d (ô số 9a)", "Kính gửi"),
        Rule("noi-dung-can-le", f"{_PART_I}, mục II.6.e", "nội dung văn bản — canh đều hai lề"),
        Rule("noi-dung-thut-dau-dong", f"{_PART_I}, mục II.6.e", "nội dung văn bản — lùi đầu dòng"),
        Rule(
            "noi-dung-khoang-cach", f"{_PART_I}, mục II.6.e", "nội dung văn bản — khoảng cách giữa các đoạn"
        ),
        Rule("noi-dung-gian-dong", f"{_PART_I}, mục II.6.e", "nội dung văn bản — khoảng cách giữa các dòng"),
        Rule("noi-dung-co-chu", f"{_PART_I}, mục II.6.e", "nội dung văn bản — cỡ chữ"),
        Rule(
            "chu-thich",
            "thông lệ trình bày văn bản hành chính (NĐ 30/2020 không quy định riêng)",
            "chú thích hình, biểu đồ, bảng",
        ),
        Rule("de-muc-so-thu-tu", f"{_PART_I}, mục II.6.đ", "số thứ tự của mục, khoản, điểm"),
        Rule("de-muc-muc", f"{_PART_I}, mục V (STT 6.b)", "số thứ tự và tiêu đề của mục (I., II. …)"),
        Rule("ket-thuc", "NĐ 30/2020, Phụ lục III, Mẫu 1.4", "dấu kết thúc nội dung “./.”"),
        Rule("noi-nhan-vi-tri", f"{_PART_I}, mục II.9.d (ô số 9b)", "vị trí của Nơi nhận"),
        Rule(
            "noi-nhan-dinh-dang", f"{_PART_I}, mục II.9.d (ô số 9b)", "chữ “Nơi nhận” và danh sách nơi nhận"
        ),
        Rule("noi-nhan-dau-cau", f"{_PART_I}, mục II.9.d (ô số 9b)", "dấu câu của danh sách nơi nhận"),
        Rule("noi-nhan-nhu-tren", f"{_PART_I}, mục II.9.b", "“Như trên” khi có Kính gửi"),
        Rule("chu-ky-quyen-han", f"{_PART_I}, mục II.7.b", "quyền hạn của người ký"),
        Rule("chu-ky-chuc-vu", f"{_PART_I}, mục II.7.đ", "quyền hạn, chức vụ của người ký"),
        Rule("chu-ky-ho-ten", f"{_PART_I}, mục II.7.c–đ", "họ và tên người ký"),
        Rule("phu-luc-trang-moi", "NĐ 30/2020, Phụ lục III, Mẫu 2.1", "phụ lục bắt đầu ở trang mới"),
        Rule("phu-luc-tieu-de", f"{_PART_I}, mục III.1.a–b", "từ “Phụ lục”, số thứ tự và tên phụ lục"),
        Rule("phu-luc-dan-chieu", f"{_PART_I}, mục III.1.c", "thông tin chỉ dẫn kèm theo văn bản"),
    )
}


@dataclass(frozen=True)
class Finding:
    """One departure from a rule: which rule, how bad, what was found, what is required, and where."""

    rule: str
    severity: Severity
    found: str
    required: str
    where: tuple[str, ...]

    @property
    def reference(self) -> str:
        rule = RULES[self.rule]
        return f"{rule.reference} — {rule.element}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "reference": self.reference,
            "found": self.found,
            "required": self.required,
            "where": list(self.where),
        }


# Each region's rules, in reading order: findings are listed in the order they were first flagged.
_REGIONS: tuple[Callable[[Judge], None], ...] = (
    page.check,
    header.check,
    title.check,
    body.check,
    signature.check,
    appendix.check,
)


def apply_rules(document: WordDocument, layout: Layout) -> list[Finding]:
    """Every finding of one document, region by region in reading order."""
    judge = Judge(document, layout)
    for check in _REGIONS:
        check(judge)
    return [
        Finding(rule, severity, found, required, tuple(where))
        for (rule, severity, found, required), where in judge.found.items()
    ]
