"""Pictures in the body (a chart of the roll-up, a scanned table): checked, placed, opened by LibreOffice."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Cm, Pt
from docxtpl import InlineImage
from PIL import Image

from cchc_gen import api
from cchc_gen.cli import main
from cchc_gen.model.check import check_report
from cchc_gen.model.profile import load_profile
from cchc_gen.render.context import build_context
from cchc_gen.render.docx import CompiledTemplate, make_environment
from cchc_gen.render.pdf import convert_to_pdf
from cchc_gen.runs.batch import Status, run_batch
from cchc_gen.source.loading import load_report
from tests.conftest import REPORT
from tests.test_batch import MarkedTemplate, canonical_parts

CHART = "bieu-do.png"
CAPTION = "Biểu đồ 1. Tỷ lệ nhiệm vụ hoàn thành: {kh_hoan_thanh/kh_nhiem_vu}"


def draw(path: Path, size: tuple[int, int] = (600, 300), kind: str = "PNG") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (31, 78, 121)).save(path, kind)
    return path


def with_picture(data_tree, image: str = CHART, **block) -> Path:
    """The test report with a picture block after the first paragraph of its first item."""
    section = REPORT["sections"][0]
    item = section["content"][0]
    content = [item["content"][0], {"image": image, **block}, *item["content"][1:]]
    sections = [{**section, "content": [{**item, "content": content}]}, *REPORT["sections"][1:]]
    return data_tree(sections=sections)


def test_a_picture_is_placed_centred_at_its_width_with_its_caption(data_tree, tmp_path):
    picture = draw(tmp_path / "data" / "2024-Q1" / CHART)
    data_file = with_picture(data_tree, caption=CAPTION, width_cm=14)
    document = docx.Document(str(api.render_report(data_file, tmp_path / "out.docx")))

    shape = document.inline_shapes[0]
    assert shape.width == Cm(14) and shape.height == Cm(7), "the width asked for, the proportions kept"
    paragraphs = document.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p._p.xpath(".//w:drawing"))
    assert paragraphs[at].style.name == "CCHC Ảnh"
    assert paragraphs[at].style.paragraph_format.alignment == 1  # centred
    assert paragraphs[at].style.paragraph_format.keep_with_next, "never apart from its caption"
    caption = paragraphs[at + 1]
    assert caption.text == "Biểu đồ 1. Tỷ lệ nhiệm vụ hoàn thành: 09/19"
    assert caption.style.font.italic and caption.style.font.size == Pt(13)
    assert paragraphs[at - 1].text.startswith("Ủy ban nhân dân xã ban hành"), "where the data puts it"
    media = [p for p in document.part.package.iter_parts() if p.partname.startswith("/word/media/")]
    assert [p.blob for p in media] == [picture.read_bytes()]


def test_without_a_caption_no_empty_paragraph_and_the_default_width(data_tree, tmp_path):
    draw(tmp_path / "data" / "2024-Q1" / "anh" / "bang.jpg", (400, 400), "JPEG")
    document = docx.Document(
        str(api.render_report(with_picture(data_tree, "anh/bang.jpg"), tmp_path / "o.docx"))
    )
    assert document.inline_shapes[0].width == Cm(15) == document.inline_shapes[0].height
    at = next(i for i, p in enumerate(document.paragraphs) if p._p.xpath(".//w:drawing"))
    assert document.paragraphs[at + 1].style.name != "CCHC Chú thích ảnh"


@pytest.mark.office
def test_libreoffice_opens_the_report_and_shows_the_picture(data_tree, tmp_path):
    draw(tmp_path / "data" / "2024-Q1" / CHART)
    docx_file = api.render_report(with_picture(data_tree, caption=CAPTION), tmp_path / "out.docx")
    [pdf] = convert_to_pdf([docx_file])
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
    assert len(listed.stdout.splitlines()) == 3, listed.stdout  # two header lines, one picture
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Biểu đồ 1. Tỷ lệ nhiệm vụ hoàn thành: 09/19" in text


def test_the_fast_path_places_a_picture_as_docxtpl_inline_image_does(data_tree, tmp_path):
    draw(tmp_path / "data" / "2024-Q1" / CHART)
    loaded = load_report(with_picture(data_tree, caption=CAPTION, width_cm=12.5))
    profile = load_profile(loaded.report.profile)
    env = make_environment()
    checked = check_report(loaded, profile)
    context = build_context(loaded.report, loaded.unit, profile, checked.figures, env, checked.pictures)
    fast = CompiledTemplate(profile.template_path, env).render_bytes(context, "thử")

    # docxtpl's own render (with the marks applied), with its InlineImage where our context has a placed
    # picture.
    reference = MarkedTemplate(str(profile.template_path))
    for block in context["body"]:
        if block["kind"] == "image":
            data = tmp_path / "data" / "2024-Q1" / block["image"].picture.name
            block["image"] = InlineImage(reference, str(data), Cm(12.5))
    reference.render(context, jinja_env=env, autoescape=True)
    expected = tmp_path / "expected.docx"
    reference.save(str(expected))
    assert canonical_parts(fast) == canonical_parts(expected.read_bytes())


@pytest.mark.parametrize(
    ("image", "prepare", "expected"),
    [
        ("khong-co.png", None, "Không tìm thấy ảnh 'khong-co.png'"),
        ("../bieu-do.png", "../bieu-do.png", "phải là tên tệp nằm trong thư mục của tệp dữ liệu"),
        ("/etc/passwd", None, "phải là tên tệp nằm trong thư mục của tệp dữ liệu"),
        ("C:\\anh\\bieu-do.png", None, "phải là tên tệp nằm trong thư mục của tệp dữ liệu"),
        ("ghi-chu.png", "text", "không phải ảnh PNG hoặc JPEG"),
        ("bieu-do.gif", "gif", "không phải ảnh PNG hoặc JPEG"),
        ("hong.png", "broken", "bị hỏng hoặc có kích thước không đọc được"),
        ("cao.png", "tall", "quá một trang"),
        ("thu-muc.png", "folder", "Không tìm thấy ảnh 'thu-muc.png'"),
    ],
)
def test_a_bad_picture_is_an_error_at_its_line(data_tree, tmp_path, image, prepare, expected):
    folder = tmp_path / "data" / "2024-Q1"
    if prepare == "../bieu-do.png":
        draw(tmp_path / "data" / CHART)
    elif prepare == "text":
        folder.mkdir(parents=True)
        (folder / image).write_text("không phải ảnh", encoding="utf-8")
    elif prepare == "gif":
        draw(folder / image, kind="GIF")
    elif prepare == "broken":
        folder.mkdir(parents=True)
        (folder / image).write_bytes(draw(tmp_path / "ok.png").read_bytes()[:30])
    elif prepare == "tall":
        draw(folder / image, (100, 1000))
    elif prepare == "folder":
        (folder / image).mkdir(parents=True)
    data_file = with_picture(data_tree, image)
    result = CliRunner().invoke(main, ["render", str(data_file)])
    assert result.exit_code == 1, result.output
    assert expected in result.output and "Traceback" not in result.output
    lines = data_file.read_text(encoding="utf-8").splitlines()
    assert f"dòng {next(i for i, text in enumerate(lines, 1) if 'image:' in text)}" in result.output
    assert not list(Path("outputs").rglob("*.docx"))


@pytest.mark.parametrize(
    ("width", "accepted"), [(2, True), (16.5, True), (1.9, False), (17, False), ("rộng", False)]
)
def test_the_width_must_fit_the_page(data_tree, tmp_path, width, accepted):
    draw(tmp_path / "data" / "2024-Q1" / CHART)
    result = CliRunner().invoke(main, ["kiem-tra", str(with_picture(data_tree, width_cm=width))])
    assert (result.exit_code == 0) is accepted, result.output
    if not accepted:
        assert "width_cm" in result.output and "Traceback" not in result.output


def test_batch_makes_a_report_again_when_its_picture_changes(data_tree, tmp_path):
    picture = draw(tmp_path / "data" / "2024-Q1" / CHART)
    with_picture(data_tree, caption=CAPTION)
    first = run_batch(Path("data"))
    assert first.count(Status.DONE) == 1
    assert run_batch(Path("data")).count(Status.SKIPPED) == 1, "nothing changed"
    draw(picture, (600, 400))
    again = run_batch(Path("data"))
    assert again.count(Status.DONE) == 1, "the chart was drawn again"
    document = docx.Document(str(tmp_path / "outputs" / "2024-Q1" / "tx-an-binh.docx"))
    assert document.inline_shapes[0].height == Cm(10)
