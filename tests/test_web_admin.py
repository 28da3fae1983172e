"""The administrator's pages of the web workspace, as an administrator and the others meet them: logins made,
given a new password and disabled; a profile uploaded as a .zip, refused with its findings or when the
archive is hostile, installed and chosen for a period whose reports then use it; the unit registry
replaced only when it has no problem; a clerk refused everywhere; and the audit log naming who did each of
these and when. A real ``cchc serve`` on a copy of data/, with a profiles folder of its own; over plain
HTTP, and the template upload once in Debian's headless Chromium."""

from __future__ import annotations

import datetime as dt
import io
import re
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from playwright.sync_api import expect

from cchc_gen.api import REGISTRY_COLUMNS
from tests.test_web_browser import ARGS, CHROMIUM
from tests.test_web_province import SILENT as NEW_UNIT
from tests.test_web_province import _page
from tests.web_server import ROOT, Client, Server, start_server

ADMIN = "quan-tri"
CLERK = "ht-duc-tho"
OFFICER = "noi-vu-ht"
SOURCE_PROFILE = ROOT / "templates" / "bao-cao-dinh-ky"
TITLE = "Báo cáo thử bộ mẫu tải lên"
BROKEN_FINDING = "Dấu “{{” không có dấu đóng tương ứng trong cùng đoạn"
TIME = re.compile(r"<td>\d\d:\d\d:\d\d \d\d/\d\d/\d{4}</td>")
TRACEBACK = re.compile(r"Traceback|File \"/|django\.|Exception", re.IGNORECASE)


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's own profiles folder (CCHC_TEMPLATES), where uploaded profiles are installed."""
    return tmp_path_factory.mktemp("bo-mau-rieng")


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, own: Path) -> Iterator[Server]:
    server = start_server(tmp_path_factory.mktemp("quan-tri"), templates=own)
    yield server
    server.stop()


# --- archives ---------------------------------------------------------------------------------------------


def _template_docx(extra: str = "") -> bytes:
    """The default profile's template.docx, with ``extra`` typed at the start of its first text."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(SOURCE_PROFILE / "template.docx") as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "word/document.xml" and extra:
                data = re.sub(rb"(<w:t(?: [^>]*)?>)", lambda m: m[1] + extra.encode(), data, count=1)
            new.writestr(item, data)
    return out.getvalue()


def _profile_zip(name: str, *, broken: bool = False) -> bytes:
    """A .zip of the folder ``name``: a copy of the default profile used only by name (no valid_from),
    whose trích yếu says it is the uploaded one; with ``broken``, its template has a tag left open."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(SOURCE_PROFILE.iterdir()):
            data = file.read_bytes()
            if file.name == "profile.yaml":
                text = re.sub(r"^valid_from:.*$", "", data.decode("utf-8"), flags=re.MULTILINE)
                text = re.sub(
                    r"^title:.*$", f'title: "{TITLE} {{{{ period.label }}}}"', text, flags=re.MULTILINE
                )
                data = text.encode("utf-8")
            elif file.name == "template.docx":
                data = _template_docx("{{ bad tag " if broken else "")
            archive.writestr(f"{name}/{file.name}", data)
    return out.getvalue()


def _zip(members: dict[str, bytes], symlink: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if symlink is not None:
            link = zipfile.ZipInfo(symlink)
            link.create_system = 3
            link.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(link, "/etc/passwd")
    return out.getvalue()


def _in_vietnamese(text: str) -> None:
    assert not TRACEBACK.search(text), text[:2000]
    assert 'lang="vi"' in text


def _upload_profile(admin: Client, filename: str, content: bytes):  # type: ignore[no-untyped-def]
    return admin.post("/quan-tri/bo-mau/", {}, files={"file": (filename, content)}, token_from="/quan-tri/")


def _profiles_listed(admin: Client) -> str:
    page = admin.get("/quan-tri/").text
    return page[page.index('id="bo-mau"') : page.index('id="ky-bao-cao"')]


# --- access -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/quan-tri/", "get"),
        ("/nhat-ky/", "get"),
        ("/quan-tri/tai-khoan/", "post"),
        ("/quan-tri/bo-mau/", "post"),
        ("/quan-tri/danh-muc/", "post"),
        ("/quan-tri/ky-bao-cao/", "post"),
    ],
)
@pytest.mark.parametrize("username", [CLERK, OFFICER])
def test_only_an_administrator_reaches_the_administration(
    web: Server, path: str, method: str, username: str
) -> None:
    client = web.client(username)
    if method == "get":
        reply = client.get(path)
    else:
        fields = {"action": "tao", "username": "ke-gian", "kind": "clerk", "unit": CLERK, "opened": "1"}
        reply = client.post(path, fields, token_from="/")
    assert reply.status == 403
    assert "Không có quyền truy cập" in reply.text
    _in_vietnamese(reply.text)
    assert "ke-gian" not in web.client(ADMIN).get("/quan-tri/").text


def test_a_clerk_cannot_reach_the_dashboard_but_an_administrator_can(web: Server) -> None:
    assert web.client(CLERK).get("/tong-quan/2026-9T/").status == 403
    page = web.client(ADMIN).get("/tong-quan/2026-9T/")
    assert page.status == 200
    assert "UBND xã Đức Thọ" in page.text


# --- accounts ---------------------------------------------------------------------------------------------


def _password(page: str) -> str:
    match = re.search(r'<code id="mat-khau">([^<]+)</code>', page)
    assert match, page[:3000]
    return match[1]


def _can_log_in(web: Server, username: str, password: str) -> bool:
    client = Client(web.url)
    reply = client.post("/dang-nhap/", {"username": username, "password": password}, token_from="/dang-nhap/")
    return reply.status == 302


def test_an_account_made_for_a_unit_logs_in_with_its_one_time_password_until_disabled(web: Server) -> None:
    admin = web.client(ADMIN)
    fields = {"action": "tao", "username": "nguyen.van.a", "kind": "clerk", "unit": "ht-huong-khe"}
    made = admin.post("/quan-tri/tai-khoan/", fields, token_from="/quan-tri/")
    assert made.status == 200
    assert "Đã tạo tài khoản nguyen.van.a" in made.text
    first = _password(made.text)
    assert not any(first in cookie for cookie in made.cookies_set)
    assert made.headers["Cache-Control"] == "no-store"
    # Shown once: the page opened again does not show it.
    assert first not in admin.get("/quan-tri/").text

    clerk = Client(web.url)
    clerk.login("nguyen.van.a", first)
    # Her own password first: every page sends her to the change.
    for path in ("/", "/bao-cao/ht-huong-khe/2026-9T/"):
        reply = clerk.get(path)
        assert (reply.status, reply.headers["Location"]) == (302, "/doi-mat-khau/")
    for new, again, said in (
        ("mot-mat-khau-dai", "mat-khau-khac-han", "Hai lần nhập mật khẩu mới không giống nhau."),
        ("ngan", "ngan", "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
        ("password", "password", "Mật khẩu này quá phổ biến"),
        (first, first, "Mật khẩu mới phải khác mật khẩu đang dùng."),
    ):
        refused = clerk.post("/doi-mat-khau/", {"new": new, "again": again}, token_from="/doi-mat-khau/")
        assert refused.status == 400
        assert said in refused.text, refused.text[refused.text.index("<h1>") :]
    mine = "cay-lua-xanh-Huong-Khe-2026"
    changed = clerk.post("/doi-mat-khau/", {"new": mine, "again": mine}, token_from="/doi-mat-khau/")
    assert changed.status == 302
    assert "UBND xã Hương Khê" in clerk.get("/").text
    assert clerk.get("/bao-cao/ht-duc-tho/2026-9T/").status == 403
    assert not _can_log_in(web, "nguyen.van.a", first)
    assert _can_log_in(web, "nguyen.van.a", mine)

    reset = admin.post(
        "/quan-tri/tai-khoan/", {"action": "dat-lai", "username": "nguyen.van.a"}, token_from="/quan-tri/"
    )
    second = _password(reset.text)
    assert "Đã đặt lại mật khẩu nguyen.van.a" in reset.text
    assert not _can_log_in(web, "nguyen.van.a", mine)
    assert _can_log_in(web, "nguyen.van.a", second)

    disabled = admin.post(
        "/quan-tri/tai-khoan/", {"action": "khoa", "username": "nguyen.van.a"}, token_from="/quan-tri/"
    )
    assert disabled.status == 302
    assert not _can_log_in(web, "nguyen.van.a", second)
    # The session she had open ends too.
    assert clerk.get("/").headers["Location"].startswith("/dang-nhap/")
    row = re.search(r'<tr data-user="nguyen.van.a">.*?</tr>', admin.get("/quan-tri/").text, re.DOTALL)
    assert row and "Đã khóa" in row[0]

    admin.post(
        "/quan-tri/tai-khoan/", {"action": "mo-lai", "username": "nguyen.van.a"}, token_from="/quan-tri/"
    )
    assert _can_log_in(web, "nguyen.van.a", second)


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"action": "tao", "username": "Tên Có Dấu", "kind": "clerk", "unit": CLERK}, "không hợp lệ"),
        ({"action": "tao", "username": "ht-duc-tho", "kind": "clerk", "unit": CLERK}, "Đã có tài khoản"),
        ({"action": "tao", "username": "moi", "kind": "clerk", "unit": "khong-co"}, "Không có đơn vị mã"),
        ({"action": "tao", "username": "moi", "kind": "admin", "unit": ""}, "Chưa chọn vai trò"),
        ({"action": "dat-lai", "username": "khong-co-ai"}, "Không có tài khoản"),
        ({"action": "khoa", "username": ADMIN}, "Không tự khóa"),
    ],
)
def test_an_account_change_that_cannot_be_made_says_why(
    web: Server, fields: dict[str, str], said: str
) -> None:
    reply = web.client(ADMIN).post("/quan-tri/tai-khoan/", fields, token_from="/quan-tri/")
    assert reply.status == 400
    assert said in reply.text
    _in_vietnamese(reply.text)
    assert _can_log_in(web, ADMIN, web.accounts[ADMIN])


# --- profiles ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (_zip({"../thoat-ra/profile.yaml": b"name: x"}), "có tên trỏ ra ngoài tệp"),
        (_zip({"/etc/cchc/profile.yaml": b"name: x"}), "có tên trỏ ra ngoài tệp"),
        (_zip({"mau/profile.yaml": b"name: x"}, symlink="mau/template.docx"), "liên kết tượng trưng"),
        (_zip({f"mau/{i}.txt": b"x" for i in range(150)} | {"mau/profile.yaml": b"name: x"}), "bất thường"),
        (_zip({"mau/profile.yaml": b"name: x", "mau/template.docx": bytes(30 * 1024 * 1024)}), "bất thường"),
        (b"PK\x03\x04 khong phai zip", "không phải tệp nén .zip"),
        (_zip({"mau/README.md": b"x"}), "không có tệp profile.yaml"),
    ],
    ids=["zip-slip", "absolute", "symlink", "too-many", "bomb", "not-a-zip", "no-profile"],
)
def test_a_hostile_or_wrong_archive_is_refused_and_nothing_is_installed(
    web: Server, own: Path, content: bytes, said: str
) -> None:
    admin = web.client(ADMIN)
    before = sorted(p.name for p in own.iterdir())
    reply = _upload_profile(admin, "mau.zip", content)
    assert reply.status == 400
    assert said in reply.text
    _in_vietnamese(reply.text)
    assert sorted(p.name for p in own.iterdir()) == before
    assert not (web.data_dir.parent / "thoat-ra").exists()


def test_a_profile_with_a_broken_tag_is_refused_with_its_finding(web: Server, own: Path) -> None:
    admin = web.client(ADMIN)
    reply = _upload_profile(admin, "bao-cao-hong.zip", _profile_zip("bao-cao-hong", broken=True))
    assert reply.status == 400
    assert BROKEN_FINDING in reply.text
    assert "template.docx, bảng 1, dòng 1, ô 1, đoạn 1" in reply.text
    assert "bao-cao-hong" not in _profiles_listed(admin)
    assert not (own / "bao-cao-hong").exists()


def _opened_row(admin: Client, period: str) -> str:
    page = admin.get("/quan-tri/").text
    match = re.search(
        rf'<tr data-period="{period}" data-unit="ht">.*?name="opened" value="(\d+)"', page, re.DOTALL
    )
    assert match, page[page.index('id="ky-bao-cao"') :][:2000]
    return match[1]


def _docx_text(client: Client, report: str) -> str:
    reply = client.get(report + "tai-ve/docx/")
    assert reply.status == 200, reply.text[:1000]
    document = docx.Document(io.BytesIO(reply.body))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def test_a_good_profile_installs_and_a_period_chosen_to_use_it_renders_with_it(
    web: Server, own: Path
) -> None:
    admin, clerk = web.client(ADMIN), web.client(CLERK)
    report = "/bao-cao/ht-duc-tho/2026-9T/"
    assert TITLE.casefold() not in _docx_text(clerk, report).casefold()

    reply = _upload_profile(admin, "bao-cao-thu.zip", _profile_zip("bao-cao-thu"))
    assert reply.status == 302, reply.text[:2000]
    assert (own / "bao-cao-thu" / "template.docx").is_file()
    assert not [p for p in own.iterdir() if p.name.startswith(".")]
    assert "bao-cao-thu" in _profiles_listed(admin)

    deadline = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    opened = web.client(OFFICER).post(
        "/ky-bao-cao/mo/", {"period": "2026-9T", "deadline": deadline}, token_from="/"
    )
    assert opened.status == 302
    chosen = admin.post(
        "/quan-tri/ky-bao-cao/",
        {"opened": _opened_row(admin, "2026-9T"), "profile": "bao-cao-thu"},
        token_from="/quan-tri/",
    )
    assert chosen.status == 302
    assert 'value="bao-cao-thu" selected' in admin.get("/quan-tri/").text
    assert TITLE.casefold() in _docx_text(clerk, report).casefold()
    # Another period keeps the profile chosen by date.
    assert TITLE.casefold() not in _docx_text(clerk, "/bao-cao/ht-duc-tho/2026-6T/").casefold()

    # An unknown profile is not chosen.
    refused = admin.post(
        "/quan-tri/ky-bao-cao/",
        {"opened": _opened_row(admin, "2026-9T"), "profile": "../../etc"},
        token_from="/quan-tri/",
    )
    assert refused.status == 400
    assert "Không có kỳ báo cáo hoặc bộ mẫu này" in refused.text


# --- registry ---------------------------------------------------------------------------------------------


def _upload_registry(admin: Client, text: str, filename: str = "units.yaml"):  # type: ignore[no-untyped-def]
    files = {"file": (filename, text.encode("utf-8"))}
    return admin.post("/quan-tri/danh-muc/", {}, files=files, token_from="/quan-tri/")


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_registry_with_errors_shows_all_of_them_and_is_not_used(web: Server) -> None:
    admin = web.client(ADMIN)
    registry = web.data_dir / "units.yaml"
    current = registry.read_bytes()
    text = current.decode("utf-8") + NEW_UNIT
    text = text.replace(
        "    level: xa\n    parent: ht\n    issuing_body: [Ủy ban nhân dân, xã Can Lộc]",
        "    level: lang\n    parent: ht\n    issuing_body: [Ủy ban nhân dân, xã Can Lộc]",
    )
    text = text.replace("    place: Thành Sen\n", "    place: Thành Sen\n    dien_thoai: 0239\n")
    reply = _upload_registry(admin, text)
    assert reply.status == 400
    _in_vietnamese(reply.text)
    errors = re.findall(r'<li class="problem err"><span class="where">units.yaml, dòng (\d+):', reply.text)
    assert sorted(int(line) for line in errors) == sorted(
        [_line_of(text, "level: lang"), _line_of(text, "dien_thoai")]
    ), reply.text[reply.text.index('id="danh-muc"') :]
    assert registry.read_bytes() == current
    assert "ht-can-loc" not in admin.get("/quan-tri/").text


def test_a_registry_without_a_unit_in_use_is_refused(web: Server) -> None:
    admin = web.client(ADMIN)
    registry = web.data_dir / "units.yaml"
    current = registry.read_bytes()
    text = current.decode("utf-8")
    start = text.index("  ht-huong-khe:")
    end = text.index("\n\n", start)
    reply = _upload_registry(admin, text[:start] + text[end + 2 :])
    assert reply.status == 400
    assert "không còn đơn vị &#x27;ht-huong-khe&#x27;" in reply.text
    assert registry.read_bytes() == current


def test_a_valid_registry_replaces_the_old_one(web: Server) -> None:
    admin = web.client(ADMIN)
    registry = web.data_dir / "units.yaml"
    text = registry.read_text(encoding="utf-8") + NEW_UNIT
    reply = _upload_registry(admin, text, "danh-muc-moi.yaml")
    assert reply.status == 302, reply.text[:3000]
    assert registry.read_text(encoding="utf-8") == text
    assert not [p for p in web.data_dir.iterdir() if p.name.startswith(".units.yaml")]
    assert '<option value="ht-can-loc">UBND xã Can Lộc (ht-can-loc)</option>' in admin.get("/quan-tri/").text


def _column(title: str) -> str:
    return "ABCDEFGHIJKLMNOPQ"[[t for _, t in REGISTRY_COLUMNS].index(title)]


def test_the_registry_downloaded_as_a_workbook_is_uploaded_again_with_its_errors_at_their_cells(
    web: Server,
) -> None:
    admin = web.client(ADMIN)
    registry = web.data_dir / "units.yaml"
    current = registry.read_bytes()
    units = yaml.safe_load(current)["units"]
    download = admin.get("/quan-tri/danh-muc/tai-ve/")
    assert download.status == 200
    assert download.headers["Content-Disposition"] == 'attachment; filename="danh-muc-don-vi.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(download.body))
    sheet = book["Đơn vị"]
    rows = {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}
    assert list(rows) == list(units)
    assert (
        sheet[f"{_column('Tên cơ quan ban hành')}{rows['ht-duc-tho']}"].value == "Ủy ban nhân dân\nxã Đức Thọ"
    )

    sheet[f"{_column('Cấp')}{rows['ht-duc-tho']}"] = "lang"
    sheet[f"{_column('Chức vụ người ký')}{rows['ht-thanh-sen']}"] = None
    broken = io.BytesIO()
    book.save(broken)
    files = {"file": ("danh-muc.xlsx", broken.getvalue())}
    reply = admin.post("/quan-tri/danh-muc/", {}, files=files, token_from="/quan-tri/")
    assert reply.status == 400
    _in_vietnamese(reply.text)
    places = re.findall(r'<span class="where">danh-muc.xlsx, Sheet &#x27;Đơn vị&#x27;, ô (\w+):', reply.text)
    assert sorted(places) == sorted(
        [f"{_column('Cấp')}{rows['ht-duc-tho']}", f"{_column('Chức vụ người ký')}{rows['ht-thanh-sen']}"]
    ), reply.text[reply.text.index('id="danh-muc"') :]
    assert registry.read_bytes() == current

    files = {"file": ("danh-muc.xlsx", download.body)}
    reply = admin.post("/quan-tri/danh-muc/", {}, files=files, token_from="/quan-tri/")
    assert reply.status == 302, reply.text[reply.text.index('id="danh-muc"') :]
    assert yaml.safe_load(registry.read_text(encoding="utf-8"))["units"] == units
    assert f"Đã thay danh mục đơn vị: {len(units)} đơn vị." in admin.get("/quan-tri/").text


# --- the audit log ----------------------------------------------------------------------------------------


def _log_rows(admin: Client, action: str) -> list[str]:
    page = admin.get(f"/nhat-ky/?viec={action}").text
    return re.findall(rf'<tr data-action="{action}">.*?</tr>', page, re.DOTALL)


def test_the_audit_log_shows_each_administration_with_user_and_time(web: Server) -> None:
    admin = web.client(ADMIN)
    admin.post(
        "/quan-tri/tai-khoan/",
        {"action": "tao", "username": "tran.thi.b", "kind": "officer", "unit": "ht"},
        token_from="/quan-tri/",
    )
    admin.post(
        "/quan-tri/tai-khoan/", {"action": "dat-lai", "username": "tran.thi.b"}, token_from="/quan-tri/"
    )
    admin.post("/quan-tri/tai-khoan/", {"action": "khoa", "username": "tran.thi.b"}, token_from="/quan-tri/")
    assert _upload_profile(admin, "bao-cao-nhat-ky.zip", _profile_zip("bao-cao-nhat-ky")).status == 302
    broken = _profile_zip("bao-cao-hong-nhat-ky", broken=True)
    assert _upload_profile(admin, "bao-cao-hong-nhat-ky.zip", broken).status == 400
    assert web.client(CLERK).get("/quan-tri/").status == 403
    assert web.client(CLERK).get("/bao-cao/ht-huong-khe/2026-9T/").status == 403
    registry = (web.data_dir / "units.yaml").read_text(encoding="utf-8")
    assert _upload_registry(admin, registry, "units.yaml").status == 302
    web.client(CLERK).get("/bao-cao/ht-duc-tho/2026-6T/tai-ve/yaml/")

    expected = [
        ("account", "tạo tài khoản tran.thi.b", ADMIN),
        ("account", "đặt lại mật khẩu tran.thi.b", ADMIN),
        ("account", "khóa tài khoản tran.thi.b", ADMIN),
        ("template", "bộ mẫu bao-cao-nhat-ky: cài mới", ADMIN),
        ("template", "từ chối bộ mẫu bao-cao-hong-nhat-ky.zip: 2 lỗi; “{{ bad tag”", ADMIN),
        ("denied", "GET /quan-tri/", CLERK),
        ("denied", "GET /bao-cao/ht-huong-khe/2026-9T/", CLERK),
        ("registry", "đơn vị từ units.yaml", ADMIN),
        ("login", "", ADMIN),
        ("download", "yaml, phiên bản", CLERK),
    ]
    for action, detail, who in expected:
        rows = [row for row in _log_rows(admin, action) if detail in row]
        found = [row for row in rows if re.findall(r"<td>([^<]*)</td>", row)[1] == who]
        assert found, (action, detail, rows[:5])
        assert TIME.search(found[0]), found[0]


# --- in a browser -----------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium của Debian (/usr/bin/chromium) chưa được cài")
def test_an_administrator_uploads_profiles_and_chooses_one_in_a_browser(web: Server, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    broken, good = tmp_path / "bao-cao-trinh-duyet.zip", tmp_path / "bao-cao-trinh-duyet-2.zip"
    broken.write_bytes(_profile_zip("bao-cao-trinh-duyet", broken=True))
    good.write_bytes(_profile_zip("bao-cao-trinh-duyet"))
    deadline = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    web.client(OFFICER).post("/ky-bao-cao/mo/", {"period": "2026-6T", "deadline": deadline}, token_from="/")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = _page(chromium, web, ADMIN)
        page.click("text=Quản trị")
        page.wait_for_url(web.url + "/quan-tri/")

        page.set_input_files("#profile-file", str(broken))
        page.click("text=Tải lên và cài bộ mẫu")
        expect(page.locator("#bo-mau .problems")).to_contain_text(BROKEN_FINDING)
        expect(page.locator("#bo-mau")).not_to_contain_text("bao-cao-trinh-duyet</code>")

        page.set_input_files("#profile-file", str(good))
        page.click("text=Tải lên và cài bộ mẫu")
        expect(page.locator(".msg-success")).to_contain_text("Đã cài bộ mẫu bao-cao-trinh-duyet")
        row = page.locator('#ds-ky tr[data-period="2026-6T"]')
        row.locator("select").select_option("bao-cao-trinh-duyet")
        row.locator("button").click()
        expect(page.locator(".msg-success")).to_contain_text("bộ mẫu bao-cao-trinh-duyet")
        expect(page.locator('#ds-ky tr[data-period="2026-6T"] select')).to_have_value("bao-cao-trinh-duyet")
        chromium.close()
    assert TITLE.casefold() in _docx_text(web.client(CLERK), "/bao-cao/ht-duc-tho/2026-6T/").casefold()
