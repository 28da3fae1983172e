"""The web workspace over plain HTTP (no browser): who may do what, and every bad request ending on a page
in Vietnamese, never a stack trace, never a half-written revision."""

from __future__ import annotations

import html
import io
import re
import subprocess
import sys
import zipfile

import docx
import openpyxl
import pytest
import yaml

from cchc_gen import api
from cchc_gen.excel import convert as excel
from tests.web_server import ROOT, Client, Server

REPORT = "/bao-cao/ht-duc-tho/2026-9T/"
TRACEBACK = re.compile(r"Traceback|File \"/|django\.|Exception", re.IGNORECASE)


def _clerk(web: Server, unit: str = "ht-duc-tho") -> Client:
    return web.client(unit)


def _form_fields(client: Client, path: str) -> dict[str, str]:
    """The report form's fields as the page holds them (inputs, textareas, selected options)."""
    page = client.get(path).text
    form = page[
        page.index('<form id="report-form"') : page.index("</form>", page.index('<form id="report-form"'))
    ]
    fields: dict[str, str] = {}
    for match in re.finditer(r"<input([^>]*)>", form):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', match[1]))
        if attrs.get("name") and attrs.get("type") not in ("file", "checkbox"):
            fields[attrs["name"]] = _unescape(attrs.get("value", ""))
        elif attrs.get("type") == "checkbox" and "checked" in match[1]:
            fields[attrs["name"]] = attrs.get("value", "1")
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.DOTALL):
        fields[match[1]] = _unescape(match[2])
    for match in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.DOTALL):
        chosen = re.search(r'<option value="([^"]*)" selected', match[2])
        fields[match[1]] = _unescape(chosen[1]) if chosen else ""
    return fields


def _unescape(text: str) -> str:
    return html.unescape(text)


def _revisions(client: Client, report: str) -> int:
    """How many revisions the report's history lists."""
    return client.get(report + "lich-su/").text.count("<tr") - 1


def _in_vietnamese(reply_text: str) -> None:
    assert not TRACEBACK.search(reply_text), reply_text[:2000]
    assert 'lang="vi"' in reply_text


# --- access -------------------------------------------------------------------------------------------


def test_pages_need_a_login(web: Server) -> None:
    reply = Client(web.url).get(REPORT)
    assert reply.status == 302
    assert reply.headers["Location"].startswith("/dang-nhap/?next=")


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/bao-cao/ht-huong-khe/2026-9T/", "get"),
        ("/bao-cao/ht-huong-khe/2026-9T/tai-ve/docx/", "get"),
        ("/bao-cao/ht-huong-khe/2026-9T/tai-ve/yaml/", "get"),
        ("/bao-cao/ht-huong-khe/2026-9T/lich-su/", "get"),
        ("/bao-cao/ht-huong-khe/2026-9T/lich-su/1/", "get"),
        ("/bao-cao/ht-huong-khe/2026-9T/", "post"),
        ("/bao-cao/ht-huong-khe/2026-9T/nop/", "post"),
        ("/bao-cao/ht-huong-khe/2026-9T/tu-luu/", "post"),
        ("/bao-cao/ht-huong-khe/2026-9T/lich-su/1/khoi-phuc/", "post"),
        ("/bat-dau/ht-huong-khe/", "post"),
    ],
)
def test_a_clerk_cannot_reach_another_units_report(web: Server, path: str, method: str) -> None:
    client = _clerk(web)
    if method == "get":
        reply = client.get(path)
    else:
        reply = client.post(path, {"parent": "1", "revision": "1", "period": "2026-9T"}, token_from=REPORT)
    assert reply.status == 403
    assert "Không có quyền truy cập" in reply.text
    _in_vietnamese(reply.text)


def test_an_officer_reads_her_childrens_reports_but_does_not_change_them(web: Server) -> None:
    officer = web.client("noi-vu-ht")
    page = officer.get("/bao-cao/ht-huong-khe/2026-9T/")
    assert page.status == 200
    assert "UBND xã Hương Khê" in page.text
    assert 'name="luu"' not in page.text  # no save button: the form is read-only for her
    reply = officer.post(
        "/bao-cao/ht-huong-khe/2026-9T/", {"parent": "1"}, token_from="/bao-cao/ht-huong-khe/2026-9T/"
    )
    assert reply.status == 403
    assert "không được sửa báo cáo của đơn vị này" in reply.text


@pytest.mark.parametrize(
    "path",
    [
        "/bao-cao/khong-co/2026-9T/",
        "/bao-cao/ht-duc-tho/2026-Q5/",
        "/bao-cao/ht-duc-tho/1999/",
        "/khong-co/",
        "/bao-cao/ht-duc-tho/2026-9T/tai-ve/docx/?phien-ban=999",
        "/bao-cao/ht-duc-tho/2026-9T/tai-ve/yaml/?phien-ban=abc",
        "/bao-cao/ht-duc-tho/2026-9T/lich-su/999/",
    ],
)
def test_unknown_units_periods_and_pages_are_not_found_in_vietnamese(web: Server, path: str) -> None:
    reply = _clerk(web).get(path)
    assert reply.status == 404
    assert "Không tìm thấy trang" in reply.text
    _in_vietnamese(reply.text)


def test_a_post_without_its_csrf_token_is_refused(web: Server) -> None:
    client = _clerk(web)
    fields = _form_fields(client, REPORT)
    del fields["csrfmiddlewaretoken"]
    before = _revisions(client, REPORT)
    reply = client.post(REPORT, fields)  # the session cookie is there, the form's token is not
    assert reply.status == 403
    assert "mã bảo vệ" in reply.text
    _in_vietnamese(reply.text)
    assert _revisions(client, REPORT) == before
    # Nor with a token from elsewhere: a forged form on another site has none of ours.
    fields["csrfmiddlewaretoken"] = "x" * 64
    assert client.post(REPORT, fields).status == 403


def test_logins_are_throttled_after_repeated_failures(web: Server) -> None:
    client = Client(web.url)
    for _ in range(5):
        reply = client.post(
            "/dang-nhap/", {"username": "quan-tri", "password": "sai"}, token_from="/dang-nhap/"
        )
        assert reply.status == 401
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in reply.text
    reply = client.post(
        "/dang-nhap/",
        {"username": "quan-tri", "password": web.accounts["quan-tri"]},
        token_from="/dang-nhap/",
    )
    assert reply.status == 429
    assert "tạm bị khóa" in reply.text
    assert re.search(r"thử lại sau \d+ phút", reply.text)


def test_the_session_cookie_is_signed_http_only_and_same_site(web: Server) -> None:
    client = Client(web.url)
    reply = client.post(
        "/dang-nhap/",
        {"username": "ht-thanh-sen", "password": web.accounts["ht-thanh-sen"]},
        token_from="/dang-nhap/",
    )
    cookie = next(v for v in reply.cookies_set if v.startswith("cchc_phien="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    session = next(c for c in client.cookies if c.name == "cchc_phien")
    session.value = session.value[:-3] + ("aaa" if not session.value.endswith("aaa") else "bbb")
    assert (
        client.get(REPORT.replace("ht-duc-tho", "ht-thanh-sen")).status == 302
    )  # a forged cookie is no login


# --- bad requests ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"parent": "abc"}, "không đúng dạng của biểu mẫu"),
        ({"parent": "999"}, "không đúng dạng của biểu mẫu"),
        ({"parent": "1", "b.0.kind": "h", "b.0.heading": "A", "b.0.3.7.text": "lạc"}, "không thuộc mục nào"),
        ({"parent": "1", "b.0.kind": "p", "b.0.text": "A"}, "mục lớn phải là một đề mục"),
        ({"parent": "1", "b.0.kind": "h", "b.0.heading": "A", "b.0.0.kind": "bang"}, "không rõ loại"),
    ],
)
def test_malformed_form_data_ends_in_a_message_and_no_revision(
    web: Server, fields: dict[str, str], expected: str
) -> None:
    client = _clerk(web)
    before = _revisions(client, REPORT)
    reply = client.post(REPORT, fields, token_from=REPORT)
    assert reply.status == 400
    assert expected in reply.text
    _in_vietnamese(reply.text)
    assert _revisions(client, REPORT) == before


def test_a_huge_upload_is_refused_with_a_message(web: Server) -> None:
    client = _clerk(web)
    huge = b"PK" + b"\0" * (13 * 1024 * 1024)
    reply = client.post(
        "/bat-dau/ht-duc-tho/", {"period": "2025", "mode": "bang-tinh"}, {"workbook": ("to.xlsx", huge)}, "/"
    )
    assert reply.status == 413
    assert "vượt giới hạn 12 MB" in reply.text
    _in_vietnamese(reply.text)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("hong.xlsx", b"day khong phai bang tinh", "không phải bảng tính hợp lệ"),
        ("bao-cao.docx", b"PK\x03\x04", "không phải bảng tính .xlsx"),
    ],
)
def test_a_broken_workbook_is_refused_with_its_problem(
    web: Server, name: str, content: bytes, expected: str
) -> None:
    client = _clerk(web)
    reply = client.post(
        "/bat-dau/ht-duc-tho/", {"period": "2024", "mode": "bang-tinh"}, {"workbook": (name, content)}, "/"
    )
    assert reply.status == 400
    assert expected in reply.text
    _in_vietnamese(reply.text)
    assert client.get("/bao-cao/ht-duc-tho/2024/").status == 404  # nothing started


def test_a_workbook_of_the_unit_starts_the_period(web: Server, tmp_path) -> None:
    # A clerk's workbook for quý IV năm 2025: made as cchc chuyen-doi makes it, from a YAML file.
    data = tmp_path / "data"
    (data / "2025-Q4").mkdir(parents=True)
    (data / "units.yaml").write_bytes((web.data_dir / "units.yaml").read_bytes())
    text = (ROOT / "data" / "2026-6T" / "ht-duc-tho.yaml").read_text(encoding="utf-8")
    source = data / "2025-Q4" / "ht-duc-tho.yaml"
    source.write_text(text.replace("period: 2026-6T", "period: 2025-Q4"), "utf-8")
    workbook = excel.convert(source, tmp_path / "duc-tho.xlsx")
    upload = {"workbook": ("duc-tho.xlsx", workbook.read_bytes())}
    client = _clerk(web)
    wrong = client.post("/bat-dau/ht-duc-tho/", {"period": "2025-Q3", "mode": "bang-tinh"}, upload, "/")
    assert wrong.status == 400
    assert "Bảng tính là báo cáo của đơn vị &#x27;ht-duc-tho&#x27;, quý IV năm 2025" in wrong.text
    assert client.get("/bao-cao/ht-duc-tho/2025-Q3/").status == 404
    right = client.post("/bat-dau/ht-duc-tho/", {"period": "2025-Q4", "mode": "bang-tinh"}, upload, "/")
    assert right.status == 302
    assert right.headers["Location"] == "/bao-cao/ht-duc-tho/2025-Q4/"
    started = yaml.safe_load(client.get("/bao-cao/ht-duc-tho/2025-Q4/tai-ve/yaml/").text)
    original = yaml.safe_load(text)
    assert started["sections"] == original["sections"]
    assert "Tải lên bảng tính" in client.get("/bao-cao/ht-duc-tho/2025-Q4/lich-su/").text


def test_a_word_report_of_the_last_period_starts_the_period(web: Server, tmp_path) -> None:
    """“Bắt đầu từ báo cáo Word kỳ trước”: the unit's 9-month report in Word (here as cchc renders it, with a
    line the clerk added after its closing sentence) starts the year's report: the text as cchc nhap-word
    reads it, Số, date, trích yếu and figures left for the new period; what the reading could not place is
    said on the report's page, with its place in the .docx."""
    document = api.render_report(ROOT / "data" / "2026-9T" / "ht-huong-khe.yaml", tmp_path / "bao-cao.docx")
    edited = docx.Document(str(document))
    closing = next(p for p in edited.paragraphs if p.text.startswith("Trên đây"))
    closing._p.addnext(docx.Document().add_paragraph("Dòng viết thêm sau câu kết.")._p)
    edited.save(str(document))
    client = _clerk(web, "ht-huong-khe")
    other = api.render_report(ROOT / "data" / "2026-9T" / "ht-duc-tho.yaml", tmp_path / "duc-tho.docx")
    wrong = client.post(
        "/bat-dau/ht-huong-khe/",
        {"period": "2026", "mode": "word"},
        {"word": ("a.docx", other.read_bytes())},
        "/",
    )
    assert wrong.status == 400
    assert "Báo cáo này là của UBND xã Đức Thọ (mã &#x27;ht-duc-tho&#x27;)" in wrong.text
    _in_vietnamese(wrong.text)
    letter = client.post(
        "/bat-dau/ht-huong-khe/",
        {"period": "2026", "mode": "word"},
        {"word": ("a.docx", _workbook_bytes())},
        "/",
    )
    assert letter.status == 400 and "Tệp này là một bảng tính Excel được đổi tên thành .docx" in letter.text
    assert client.get("/bao-cao/ht-huong-khe/2026/").status == 404  # nothing started

    upload = {"word": ("bao-cao-9-thang.docx", document.read_bytes())}
    right = client.post("/bat-dau/ht-huong-khe/", {"period": "2026", "mode": "word"}, upload, "/")
    assert right.status == 302, right.text[:2000]
    assert right.headers["Location"] == "/bao-cao/ht-huong-khe/2026/"
    page = client.get("/bao-cao/ht-huong-khe/2026/").text
    assert "Tệp Word, đoạn" in page and "“Dòng viết thêm sau câu kết.”: Đoạn sau câu kết" in page
    started = yaml.safe_load(client.get("/bao-cao/ht-huong-khe/2026/tai-ve/yaml/").text)
    assert started["period"] == "2026" and {"number", "date", "title", "figures"}.isdisjoint(started)
    read = api.import_word(document, output=tmp_path / "doc-lai.yaml", data_dir=web.data_dir)
    assert started["sections"] == yaml.safe_load(read.written.read_text(encoding="utf-8"))["sections"]
    assert "Nhập từ báo cáo Word" in client.get("/bao-cao/ht-huong-khe/2026/lich-su/").text


def _workbook_bytes() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


# --- the store and the files ---------------------------------------------------------------------------


def test_a_save_writes_the_period_file_the_cli_reads(web: Server) -> None:
    client = _clerk(web, "ht-thanh-sen")
    path = "/bao-cao/ht-thanh-sen/2026-6T/"
    fields = _form_fields(client, path)
    fields["lead_in"] += "\nĐoạn thêm từ trình duyệt."
    fields["csrfmiddlewaretoken"] = client.token(path)
    reply = client.post(path, fields)
    assert reply.status == 302, reply.text[:3000]
    saved = yaml.safe_load((web.data_dir / "2026-6T" / "ht-thanh-sen.yaml").read_text(encoding="utf-8"))
    assert saved["lead_in"][-1] == "Đoạn thêm từ trình duyệt."
    checked = api.check_files([web.data_dir / "2026-6T" / "ht-thanh-sen.yaml"])  # raises on an error
    assert checked.checked == 1


def test_the_docx_download_has_the_parts_cchc_render_makes(web: Server, tmp_path) -> None:
    client = _clerk(web, "ht-huong-khe")
    reply = client.get("/bao-cao/ht-huong-khe/2026-9T/tai-ve/docx/")
    assert reply.status == 200
    assert 'filename="ht-huong-khe-2026-9T.docx"' in reply.headers["Content-Disposition"]
    rendered = api.render_report(web.data_dir / "2026-9T" / "ht-huong-khe.yaml", tmp_path / "cli.docx")
    web_parts = zipfile.ZipFile(io.BytesIO(reply.body))
    cli_parts = zipfile.ZipFile(rendered)
    assert web_parts.namelist() == cli_parts.namelist()
    for name in cli_parts.namelist():
        assert web_parts.read(name) == cli_parts.read(name), name


def test_data_downloads_as_yaml_and_workbook(web: Server) -> None:
    client = _clerk(web, "ht-huong-khe")
    text = client.get("/bao-cao/ht-huong-khe/2026-6T/tai-ve/yaml/").text
    data = yaml.safe_load(text)
    assert data["unit"] == "ht-huong-khe"
    assert data["period"] == "2026-6T"
    workbook = client.get("/bao-cao/ht-huong-khe/2026-6T/tai-ve/xlsx/")
    assert workbook.status == 200
    sheets = openpyxl.load_workbook(io.BytesIO(workbook.body), read_only=True).sheetnames
    assert "Thông tin chung" in sheets
    assert "Số liệu" in sheets


def test_nhap_kho_imports_a_changed_period_file_as_a_new_revision(web: Server) -> None:
    file = web.data_dir / "2026-6T" / "ht-huong-khe.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(
        text.replace("lead_in:\n", "lead_in:\n  - Đoạn sửa bằng tay trong tệp.\n", 1), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "cchc_gen", "nhap-kho", "--data", str(web.data_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 báo cáo có phiên bản mới" in result.stdout
    client = _clerk(web, "ht-huong-khe")
    history = client.get("/bao-cao/ht-huong-khe/2026-6T/lich-su/").text
    assert "Nhập từ tệp dữ liệu (ht-huong-khe.yaml)" in history
    assert "Đoạn sửa bằng tay trong tệp." in client.get("/bao-cao/ht-huong-khe/2026-6T/").text


def test_a_revision_whose_period_file_cannot_be_written_is_not_made(web: Server) -> None:
    client = _clerk(web, "ht-huong-khe")
    started = client.post("/bat-dau/ht-huong-khe/", {"period": "2027-Q2", "mode": "trong"}, token_from="/")
    assert started.status == 302
    path = "/bao-cao/ht-huong-khe/2027-Q2/"
    file = web.data_dir / "2027-Q2" / "ht-huong-khe.yaml"
    file.unlink()
    file.mkdir()  # a folder where the file goes: the write fails
    try:
        fields = _form_fields(client, path)
        fields["lead_in"] = "Đoạn không lưu được."
        reply = client.post(path, fields)
    finally:
        file.rmdir()
    assert reply.status == 400
    assert "Không ghi được tệp" in reply.text
    _in_vietnamese(reply.text)
    assert _revisions(client, path) == 1
    assert "Đoạn không lưu được." not in client.get(path + "tai-ve/yaml/").text


def test_a_picture_uploaded_in_the_form_is_kept_beside_the_period_file(web: Server) -> None:
    client = _clerk(web, "ht-huong-khe")
    path = "/bao-cao/ht-huong-khe/2026-9T/"
    fields = _form_fields(client, path)
    png = _png(40, 20)
    fields.update({"b.0.99.kind": "image", "b.0.99.caption": "Biểu đồ kết quả", "b.0.99.width_cm": "8"})
    reply = client.post(path, fields, {"b.0.99.file": ("bieu do.png", png)})
    assert reply.status == 302, reply.text[:2000]
    data = yaml.safe_load(client.get(path + "tai-ve/yaml/").text)
    image = data["sections"][0]["content"][-1]
    assert image["caption"] == "Biểu đồ kết quả"
    assert re.fullmatch(r"ht-huong-khe-anh-[0-9a-f]{12}\.png", image["image"])  # never the uploaded name
    assert (web.data_dir / "2026-9T" / image["image"]).read_bytes() == png
    document = client.get(path + "tai-ve/docx/")
    assert document.status == 200
    assert any(
        name.startswith("word/media/") for name in zipfile.ZipFile(io.BytesIO(document.body)).namelist()
    )


def _png(width: int, height: int) -> bytes:
    """A small PNG made with Pillow."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_report_with_errors_is_saved_but_neither_produced_nor_submitted(web: Server) -> None:
    client = _clerk(web, "ht-thanh-sen")
    started = client.post("/bat-dau/ht-thanh-sen/", {"period": "2027-Q3", "mode": "trong"}, token_from="/")
    assert started.status == 302
    path = "/bao-cao/ht-thanh-sen/2027-Q3/"
    fields = _form_fields(client, path)
    fields.update({"fig.kh_nhiem_vu": "10", "fig.kh_hoan_thanh": "12"})  # more done than planned
    assert client.post(path, fields).status == 302  # a draft with errors is kept
    page = client.get(path).text
    assert "Báo cáo còn 1 lỗi" in page
    assert "không được lớn hơn" in page
    for kind in ("docx", "pdf"):
        refused = client.get(f"{path}tai-ve/{kind}/")
        assert refused.status == 302
        assert "báo cáo còn 1 lỗi" in client.get(path).text
    reply = client.post(path + "nop/", {"revision": "2"}, token_from=path)
    assert reply.status == 302
    page = client.get(path).text
    assert "còn 1 lỗi nên chưa nộp được" in page
    assert "Đang soạn" in page


def test_accounts_are_made_and_their_passwords_reset_from_the_command_line(web: Server) -> None:
    def cchc(*words: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cchc_gen", "tai-khoan", *words, "--data", str(web.data_dir)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )

    made = cchc("tao", "le.thi.hoa", "--vai-tro", "cong-chuc", "--don-vi", "ht-thanh-sen")
    assert made.returncode == 0, made.stderr
    first = made.stdout.rsplit(": ", 1)[1].strip()
    again = cchc("tao", "le.thi.hoa", "--vai-tro", "cong-chuc", "--don-vi", "ht-thanh-sen")
    assert again.returncode == 1
    assert "Đã có tài khoản 'le.thi.hoa'." in again.stderr
    clerk = Client(web.url)
    clerk.login("le.thi.hoa", first)
    # The password handed over is a one-time one: she sets her own first.
    assert clerk.get("/bao-cao/ht-thanh-sen/2026-9T/").headers["Location"] == "/doi-mat-khau/"
    mine = {"new": "dong-lua-Thanh-Sen", "again": "dong-lua-Thanh-Sen"}
    assert clerk.post("/doi-mat-khau/", mine, token_from="/doi-mat-khau/").status == 302
    assert clerk.get("/bao-cao/ht-thanh-sen/2026-9T/").status == 200
    assert clerk.get("/bao-cao/ht-duc-tho/2026-9T/").status == 403
    reset = cchc("dat-lai-mat-khau", "le.thi.hoa")
    assert reset.returncode == 0, reset.stderr
    second = reset.stdout.rsplit(": ", 1)[1].strip()
    old = {"username": "le.thi.hoa", "password": first}
    stale = Client(web.url).post("/dang-nhap/", old, token_from="/dang-nhap/")
    assert stale.status == 401
    Client(web.url).login("le.thi.hoa", second)
