"""The province's side of the web workspace, as an officer, her clerks and an administrator meet it: a
period opened with a deadline, the dashboard of the four states of the children's reports, a report sent
back with a note the clerk reads, refusals for clerks, and the audit log. A real ``cchc serve`` on a copy
of data/ whose province has a fourth commune that never starts; the officer's pages in Debian's headless
Chromium, the clerks' routine steps over plain HTTP."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from playwright.sync_api import expect

from cchc_gen.model.profile import load_profile
from tests.excel_book import Book
from tests.office import libreoffice_convert, libreoffice_save, pdf_pages
from tests.province_data import make_province
from tests.test_web_browser import ARGS, CHROMIUM
from tests.test_web_http import _form_fields
from tests.web_server import ROOT, Client, Server, serve_folder, start_server

PERIOD = "2026"
DASHBOARD = f"/tong-quan/{PERIOD}/"
# The zip of the two submitted reports: each as .docx and PDF.
PACKED = ["ht-duc-tho.docx", "ht-duc-tho.pdf", "ht-thanh-sen.docx", "ht-thanh-sen.pdf"]
ROLLUP_CHART_CAPTION = "Biểu đồ 1. Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn của từng đơn vị"
TODAY = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
# A commune of the sample province with no report and no login: it never starts.
SILENT = """
  ht-can-loc:
    name: Ủy ban nhân dân xã Can Lộc
    short_name: UBND xã Can Lộc
    level: xa
    parent: ht
    issuing_body: [Ủy ban nhân dân, xã Can Lộc]
    symbol: UBND
    place: Can Lộc
    signer: {authority: TM., on_behalf: Ủy ban nhân dân, title: Chủ tịch, name: Lê Văn Nam}
    recipients: [Sở Nội vụ tỉnh Hà Tĩnh]
    archive: [VT, VP]
"""


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    source = tmp_path_factory.mktemp("province-source") / "data"
    shutil.copytree(ROOT / "data", source, ignore=shutil.ignore_patterns(".cchc-web"))
    registry = source / "units.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + SILENT, encoding="utf-8")
    server = start_server(tmp_path_factory.mktemp("province"), source)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium của Debian (/usr/bin/chromium) chưa được cài")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def _page(browser, web: Server, username: str):
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.set_default_timeout(30_000)
    page.goto(web.url + "/dang-nhap/")
    page.fill("#username", username)
    page.fill("#password", web.accounts[username])
    page.click("button[type=submit]")
    page.wait_for_url(web.url + "/")
    return page


def _open_period(page, web: Server, deadline: dt.date) -> None:
    page.goto(web.url + "/")
    page.select_option("#open-period", PERIOD)
    page.fill("#deadline", deadline.isoformat())
    page.click("#ky-bao-cao button[type=submit]")
    page.wait_for_url(web.url + DASHBOARD)


def _start(client: Client, unit: str, mode: str) -> str:
    reply = client.post(f"/bat-dau/{unit}/", {"period": PERIOD, "mode": mode}, token_from="/")
    assert reply.status == 302, reply.text[:500]
    return f"/bao-cao/{unit}/{PERIOD}/"


def _submit(client: Client, unit: str) -> None:
    path = _start(client, unit, "ky-truoc")
    reply = client.post(path + "nop/", {"revision": "1"}, token_from=path)
    assert reply.status == 302
    assert "Đã nộp báo cáo lúc" in client.get(path).text


def _data(page, web: Server, unit: str, period: str = PERIOD) -> dict:
    reply = page.request.get(f"{web.url}/bao-cao/{unit}/{period}/tai-ve/yaml/")
    assert reply.status == 200
    return yaml.safe_load(reply.text())


def _figures(page, web: Server, unit: str, period: str = PERIOD) -> dict:
    return _data(page, web, unit, period)["figures"]


def _pictures(data: object) -> list[dict]:
    """The picture blocks of a report's data, wherever they are."""
    if isinstance(data, dict):
        return [data] if "image" in data else [p for value in data.values() for p in _pictures(value)]
    if isinstance(data, list):
        return [p for item in data for p in _pictures(item)]
    return []


def _counts(page) -> dict[str, str]:
    return {
        state: page.locator(f"#dem [data-state={state}]").inner_text()
        for state in ("tat-ca", "chua-bat-dau", "dang-soan", "co-loi", "da-nop", "tra-lai", "nop-muon")
    }


def _states(page) -> dict[str, str]:
    rows = page.locator("#don-vi tbody tr[data-unit]")
    return {
        rows.nth(i).get_attribute("data-unit"): rows.nth(i).locator("td.state").inner_text().strip()
        for i in range(rows.count())
    }


def test_an_officer_follows_her_communes_and_returns_a_report(browser, province: Server, tmp_path) -> None:
    officer = _page(browser, province, "noi-vu-ht")
    # Opened with a deadline already past: the first commune's submission is late.
    _open_period(officer, province, TODAY - dt.timedelta(days=1))
    clerks = ("ht-duc-tho", "ht-thanh-sen", "ht-huong-khe")
    duc_tho, thanh_sen, huong_khe = (province.client(unit) for unit in clerks)
    home = duc_tho.get("/").text
    assert f"hạn nộp <strong>{TODAY - dt.timedelta(days=1):%d/%m/%Y}</strong>" in home
    assert "đã quá hạn" in home
    _submit(duc_tho, "ht-duc-tho")
    # The deadline extended: the second commune submits on time, the first stays late.
    _open_period(officer, province, TODAY + dt.timedelta(days=7))
    _submit(thanh_sen, "ht-thanh-sen")
    # The third saves more tasks done than planned and leaves it so; Can Lộc never starts.
    path = _start(huong_khe, "ht-huong-khe", "ky-truoc")
    fields = _form_fields(huong_khe, path)
    fields.update({"fig.kh_nhiem_vu": "10", "fig.kh_hoan_thanh": "12"})
    assert huong_khe.post(path, fields).status == 302
    errors = 1
    assert "Báo cáo còn 1 lỗi" in huong_khe.get(path).text

    officer.goto(province.url + DASHBOARD)
    expect(officer.locator("#han-nop")).to_have_text(f"{TODAY + dt.timedelta(days=7):%d/%m/%Y}")
    assert _counts(officer) == {
        "tat-ca": "4",
        "chua-bat-dau": "1",
        "dang-soan": "0",
        "co-loi": "1",
        "da-nop": "2",
        "tra-lai": "0",
        "nop-muon": "1",
    }
    assert _states(officer) == {
        "ht-thanh-sen": "Đã nộp, đúng hạn",
        "ht-duc-tho": "Đã nộp, muộn",
        "ht-huong-khe": f"Có lỗi: {errors} lỗi",
        "ht-can-loc": "Chưa bắt đầu",
    }
    reminder = officer.locator("#nhac-nop").input_value()
    assert reminder.splitlines() == ["- UBND xã Hương Khê: có lỗi", "- UBND xã Can Lộc: chưa bắt đầu"]

    # Filtered and sorted on the server.
    officer.goto(province.url + DASHBOARD + "?trang-thai=da-nop&sap-xep=nop")
    assert list(_states(officer)) == ["ht-duc-tho", "ht-thanh-sen"]

    # A child's report read-only, with its problems and its history.
    officer.goto(province.url + f"/bao-cao/ht-huong-khe/{PERIOD}/")
    expect(officer.locator("body")).to_contain_text(f"Báo cáo còn {errors} lỗi")
    assert officer.locator("button[name=luu]").count() == 0
    officer.goto(province.url + f"/bao-cao/ht-huong-khe/{PERIOD}/lich-su/")
    expect(officer.locator("table.history tbody tr")).to_have_count(2)

    # Every submitted report in one zip, made in the background: the .docx files, which open in
    # LibreOffice, and their PDFs.
    officer.goto(province.url + DASHBOARD)
    officer.locator("#tai-ca button[type=submit]").click()
    officer.wait_for_url(re.compile(r".*/goi/\d+/$"))
    expect(officer.locator("#tai-goi")).to_be_visible(timeout=120_000)  # the page refreshes itself
    assert officer.locator("#tien-do").get_attribute("value") == "4"
    packed = officer.request.get(province.url + (officer.locator("#tai-goi").get_attribute("href") or ""))
    assert packed.status == 200
    unpacked = tmp_path / "goi"
    with zipfile.ZipFile(io.BytesIO(packed.body())) as archive:
        assert sorted(archive.namelist()) == PACKED
        archive.extractall(unpacked)
    libreoffice_convert(sorted(unpacked.glob("*.docx")), tmp_path / "pdf", "pdf")
    for unit, name in (("ht-duc-tho", "ĐỨC THỌ"), ("ht-thanh-sen", "THÀNH SEN")):
        assert name in " ".join(pdf_pages(tmp_path / "pdf" / f"{unit}.pdf")).upper()
        assert name in " ".join(pdf_pages(unpacked / f"{unit}.pdf")).upper()

    # The roll-up of the two submitted reports, as a report of the officer's own unit she can edit.
    officer.goto(province.url + DASHBOARD)
    officer.locator("#tong-hop button[type=submit]").click()
    officer.wait_for_url(province.url + f"/bao-cao/ht/{PERIOD}/")
    expect(officer.locator(".messages")).to_contain_text("Đã tổng hợp số liệu của 2/4 đơn vị đã nộp")
    expect(officer.locator("button[name=luu]").first).to_be_enabled()
    rolled = _figures(officer, province, "ht")
    communes = [_figures(officer, province, unit) for unit in ("ht-duc-tho", "ht-thanh-sen")]
    catalogue = load_profile(None).spec.indicators()
    counts = {c for c, i in catalogue.items() if i.type == "integer" and i.aggregate != "same"}
    summed = [code for code in counts if all(isinstance(f.get(code), int) for f in communes)]
    assert len(summed) > 40
    assert {code: rolled[code] for code in summed} == {
        code: sum(f[code] for f in communes) for code in summed
    }
    # With the chart of the communes' on-time rates, as cchc tong-hop --bieu-do draws it.
    charts = [p for p in _pictures(_data(officer, province, "ht")) if p["image"].endswith(".png")]
    assert [p.get("caption") for p in charts] == [ROLLUP_CHART_CAPTION]
    assert (province.data_dir / PERIOD / charts[0]["image"]).read_bytes().startswith(b"\x89PNG")

    # Sent back with a note: the clerk reads it on her report, which she may change and submit again.
    note = "Bổ sung số liệu thủ tục hành chính quý IV."
    officer.goto(province.url + DASHBOARD)
    officer.fill("#note-ht-thanh-sen", note)
    officer.locator("tr[data-unit=ht-thanh-sen] button[type=submit]").click()
    officer.wait_for_url(province.url + DASHBOARD)
    assert _counts(officer)["tra-lai"] == "1"
    assert _counts(officer)["da-nop"] == "1"
    clerk = _page(browser, province, "ht-thanh-sen")
    clerk.goto(province.url + f"/bao-cao/ht-thanh-sen/{PERIOD}/")
    expect(clerk.locator("#tra-lai")).to_contain_text(note)
    expect(clerk.locator("#tra-lai")).to_contain_text("noi-vu-ht")
    expect(clerk.locator("button.submit-report")).to_be_enabled()

    # A clerk cannot reach the dashboard.
    reply = clerk.goto(province.url + DASHBOARD)
    assert reply.status == 403
    expect(clerk.locator("h1")).to_have_text("Không có quyền truy cập")

    # The administrator's audit log shows each of those actions with who and when.
    admin = _page(browser, province, "quan-tri")
    admin.goto(province.url + "/nhat-ky/")
    log = admin.locator("#nhat-ky tbody")
    for action, who, what in [
        ("period", "noi-vu-ht", "mở năm 2026"),
        ("period", "noi-vu-ht", "đổi hạn năm 2026"),
        ("submit", "ht-duc-tho", "phiên bản 1"),
        ("submit", "ht-thanh-sen", "phiên bản 1"),
        ("download", "noi-vu-ht", "gói .zip 2 báo cáo đã nộp"),
        ("rollup", "noi-vu-ht", "tổng hợp 2/4 đơn vị đã nộp"),
        ("return", "noi-vu-ht", note),
    ]:
        row = log.locator(f"tr[data-action={action}]").filter(has_text=who).filter(has_text=what)
        expect(row).to_have_count(1)
        assert re.search(r"\d\d:\d\d:\d\d \d\d/\d\d/\d{4}", row.inner_text())


@pytest.mark.parametrize("path", [DASHBOARD, "/nhat-ky/", f"{DASHBOARD}thu-thap/"])
def test_clerks_reach_neither_the_dashboard_nor_the_log(province: Server, path: str) -> None:
    reply = province.client("ht-duc-tho").get(path)
    assert reply.status == 403
    assert "Không có quyền truy cập" in reply.text


def test_a_clerk_cannot_open_a_period_or_send_a_report_back(province: Server) -> None:
    clerk = province.client("ht-huong-khe")
    opened = clerk.post("/ky-bao-cao/mo/", {"period": "2027", "deadline": "2027-01-15"}, token_from="/")
    assert opened.status == 403
    back = clerk.post(f"{DASHBOARD}tra-lai/ht-duc-tho/", {"note": "x"}, token_from="/")
    assert back.status == 403
    collected = clerk.post(
        f"{DASHBOARD}thu-thap/nhap/", {}, {"workbook": ("thu-thap.xlsx", b"PK")}, token_from="/"
    )
    assert collected.status == 403


def test_a_period_without_a_valid_deadline_is_not_opened(province: Server) -> None:
    officer = province.client("noi-vu-ht")
    reply = officer.post("/ky-bao-cao/mo/", {"period": "2025-Q1", "deadline": "15/01/2025"}, token_from="/")
    assert reply.status == 400
    assert "Hạn nộp chưa đúng ngày" in reply.text
    assert "2025-Q1" not in officer.get("/").text.split('id="ky-bao-cao"')[1].split("<form")[0]


COLLECTING = "2026-9T"
COLLECTION_ROW, COLLECTION_SHEET = 12, "Thu thập số liệu"


def _cell(book: Book, unit: str, code: str) -> str:
    """The cell of a commune's figure in the collection sheet: the row of its code (column A), the column
    of the indicator's code (the header row)."""
    sheet = book[COLLECTION_SHEET]
    column = next(c.column_letter for c in sheet[COLLECTION_ROW] if c.value == code)
    return f"{column}{book.row_of(COLLECTION_SHEET, 'A', unit)}"


def _upload_collection(officer, web: Server, book: Book, saved: Path) -> None:
    """The workbook as the officer saves it in LibreOffice Calc, uploaded on the dashboard."""
    book.save()
    libreoffice_save([book.path], saved)
    officer.goto(web.url + f"/tong-quan/{COLLECTING}/")
    officer.set_input_files("#bang-thu-thap", str(saved / book.path.name))
    officer.locator("#thu-thap button[type=submit]").click()


def test_an_officer_collects_the_figures_in_one_workbook(browser, province: Server, tmp_path) -> None:
    officer = _page(browser, province, "noi-vu-ht")
    officer.goto(province.url + f"/tong-quan/{COLLECTING}/")
    with officer.expect_download() as download:
        officer.click("#tai-thu-thap")
    filled = tmp_path / download.value.suggested_filename
    assert filled.name == f"thu-thap-ht-{COLLECTING}.xlsx"
    download.value.save_as(filled)
    book = Book(filled)
    before = {unit: _figures(officer, province, unit, COLLECTING) for unit in ("ht-duc-tho", "ht-thanh-sen")}
    planned, done = _cell(book, "ht-duc-tho", "kh_nhiem_vu"), _cell(book, "ht-thanh-sen", "kh_hoan_thanh")
    assert book[COLLECTION_SHEET][planned].value == before["ht-duc-tho"]["kh_nhiem_vu"]

    # Words in a number cell, more tasks done than planned, and Can Lộc's first figure: nothing imported.
    book[COLLECTION_SHEET][planned] = "ba mươi"
    book[COLLECTION_SHEET][done] = 999
    book[COLLECTION_SHEET][_cell(book, "ht-can-loc", "kh_nhiem_vu")] = 12
    _upload_collection(officer, province, book, tmp_path / "sai")
    problems = officer.locator("#loi-thu-thap li")
    expect(problems).to_have_count(2)
    where = f"{filled.name}, Sheet '{COLLECTION_SHEET}', ô"
    assert sorted(text.split(":")[0] for text in problems.all_inner_texts()) == sorted(
        [f"{where} {planned}", f"{where} {done}"]
    )
    expect(officer.locator("#loi-thu-thap")).to_contain_text("“ba mươi” không phải là số")
    expect(officer.locator("#loi-thu-thap")).to_contain_text("không được lớn hơn")
    assert _figures(officer, province, "ht-duc-tho", COLLECTING) == before["ht-duc-tho"]
    assert officer.request.get(f"{province.url}/bao-cao/ht-can-loc/{COLLECTING}/").status == 404

    # Corrected: Đức Thọ and Can Lộc get a new revision, the two others are left as they were.
    book[COLLECTION_SHEET][planned] = 31
    book[COLLECTION_SHEET][done] = before["ht-thanh-sen"]["kh_hoan_thanh"]
    _upload_collection(officer, province, book, tmp_path / "dung")
    expect(officer.locator(".messages")).to_contain_text(
        "Đã nhập bảng thu thập: 2 đơn vị có số liệu mới, 2 đơn vị không đổi."
    )
    assert _figures(officer, province, "ht-thanh-sen", COLLECTING) == before["ht-thanh-sen"]
    assert _figures(officer, province, "ht-can-loc", COLLECTING) == {"kh_nhiem_vu": 12}

    # The clerk sees the officer's figures in her report, and where they came from in its history.
    clerk = province.client("ht-duc-tho")
    report = f"/bao-cao/ht-duc-tho/{COLLECTING}/"
    assert yaml.safe_load(clerk.get(report + "tai-ve/yaml/").text)["figures"] == {
        **before["ht-duc-tho"],
        "kh_nhiem_vu": 31,
    }
    history = clerk.get(report + "lich-su/").text
    assert "Nhập từ bảng thu thập số liệu của cấp trên" in history
    log = province.client("quan-tri").get("/nhat-ky/?viec=collect").text
    assert "2 đơn vị có số liệu mới, 2 đơn vị không đổi" in log


def _made(outputs: Path) -> dict[str, int]:
    """The reports made in ``outputs`` (.docx and PDF), with the time each was written."""
    return {f.name: f.stat().st_mtime_ns for f in outputs.iterdir() if f.suffix in (".docx", ".pdf")}


def test_a_zip_job_a_stopped_server_left_is_resumed_and_keeps_the_files_made(province: Server) -> None:
    """Runs after the officer's test: its zip job is made to look cut off by a restart (the row says
    running, nothing of the zip), then the server is started again on the same folder."""
    outputs = province.data_dir.parent / "outputs" / PERIOD
    made = _made(outputs)
    assert sorted(made) == PACKED
    province.stop()
    with sqlite3.connect(province.data_dir / ".cchc-web" / "kho.sqlite3") as database:
        cut = database.execute("UPDATE cchc_job SET state = 'running', done = 1, file = '' WHERE id = 1")
        assert cut.rowcount == 1
    again = serve_folder(province.data_dir, province.data_dir.parent)
    again.accounts = province.accounts
    try:
        officer = again.client("noi-vu-ht")
        page = officer.get("/goi/1/").text
        assert "Việc tạo gói bị dừng" in page
        assert 'value="1" max="4"' in page
        assert officer.get("/goi/1/tai-ve/").status == 404
        assert officer.post("/goi/1/tiep-tuc/", {}, token_from="/goi/1/").status == 302
        for _ in range(300):  # the page a browser would refresh until the job is done
            page = officer.get("/goi/1/").text
            if 'data-state="running"' not in page:
                break
            threading.Event().wait(0.2)
        assert 'data-state="done"' in page
        packed = officer.get("/goi/1/tai-ve/")
        assert packed.status == 200
        with zipfile.ZipFile(io.BytesIO(packed.body)) as archive:
            assert sorted(archive.namelist()) == PACKED
        # The files made before the restart were kept, not made again.
        assert _made(outputs) == made
    finally:
        again.stop()


def test_the_dashboard_makes_as_many_queries_for_thirty_communes_as_for_three(tmp_path) -> None:
    """Counted in a process of its own, on two provinces of one store, their communes in every state."""
    make_province(tmp_path / "data", {"ba": 3, "ba-muoi": 30})
    counted = subprocess.run(
        [sys.executable, "-m", "tests.dashboard_queries", str(tmp_path / "data"), "ba", "ba-muoi"],
        cwd=ROOT,
        env={**os.environ, "CCHC_TEMPLATES": str(ROOT / "templates"), "CCHC_DATABASE_URL": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    few, many = json.loads(counted.stdout).values()
    assert (few["rows"], many["rows"]) == (3, 30)
    assert many["queries"] == few["queries"]
