"""The province's side of the web workspace, as an officer, her clerks and an administrator meet it: a
period opened with a deadline, the dashboard of the four states of the children's reports, a report sent
back with a note the clerk reads, refusals for clerks, and the audit log. A real ``cchc serve`` on a copy
of data/ whose province has a fourth commune that never starts; the officer's pages in Debian's headless
Chromium, the clerks' routine steps over plain HTTP."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import sqlite3
import threading
import zipfile
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import yaml
from playwright.sync_api import expect

from cchc_gen.model.profile import load_profile
from tests.office import libreoffice_convert, pdf_pages
from tests.test_web_browser import ARGS, CHROMIUM
from tests.test_web_http import _form_fields
from tests.web_server import ROOT, Client, Server, serve_folder, start_server

PERIOD = "2026"
DASHBOARD = f"/tong-quan/{PERIOD}/"
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


def _figures(page, web: Server, unit: str) -> dict:
    reply = page.request.get(f"{web.url}/bao-cao/{unit}/{PERIOD}/tai-ve/yaml/")
    assert reply.status == 200
    return yaml.safe_load(reply.text())["figures"]


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

    # Every submitted report in one zip, made in the background; the .docx files open in LibreOffice.
    officer.goto(province.url + DASHBOARD)
    officer.locator("#tai-ca button[type=submit]").click()
    officer.wait_for_url(re.compile(r".*/goi/\d+/$"))
    expect(officer.locator("#tai-goi")).to_be_visible(timeout=60_000)  # the page refreshes itself
    assert officer.locator("#tien-do").get_attribute("value") == "2"
    packed = officer.request.get(province.url + (officer.locator("#tai-goi").get_attribute("href") or ""))
    assert packed.status == 200
    unpacked = tmp_path / "goi"
    with zipfile.ZipFile(io.BytesIO(packed.body())) as archive:
        assert sorted(archive.namelist()) == ["ht-duc-tho.docx", "ht-thanh-sen.docx"]
        archive.extractall(unpacked)
    libreoffice_convert(sorted(unpacked.glob("*.docx")), tmp_path / "pdf", "pdf")
    for unit, name in (("ht-duc-tho", "ĐỨC THỌ"), ("ht-thanh-sen", "THÀNH SEN")):
        assert name in " ".join(pdf_pages(tmp_path / "pdf" / f"{unit}.pdf")).upper()

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


@pytest.mark.parametrize("path", [DASHBOARD, "/nhat-ky/"])
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


def test_a_period_without_a_valid_deadline_is_not_opened(province: Server) -> None:
    officer = province.client("noi-vu-ht")
    reply = officer.post("/ky-bao-cao/mo/", {"period": "2025-Q1", "deadline": "15/01/2025"}, token_from="/")
    assert reply.status == 400
    assert "Hạn nộp chưa đúng ngày" in reply.text
    assert "2025-Q1" not in officer.get("/").text.split('id="ky-bao-cao"')[1].split("<form")[0]


def test_a_zip_job_a_stopped_server_left_is_resumed_and_keeps_the_files_made(province: Server) -> None:
    """Runs after the officer's test: its zip job is made to look cut off by a restart (the row says
    running, nothing of the zip), then the server is started again on the same folder."""
    outputs = province.data_dir.parent / "outputs" / PERIOD
    made = {file.name: file.stat().st_mtime_ns for file in outputs.glob("*.docx")}
    assert sorted(made) == ["ht-duc-tho.docx", "ht-thanh-sen.docx"]
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
        assert 'value="1" max="2"' in page
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
            assert sorted(archive.namelist()) == ["ht-duc-tho.docx", "ht-thanh-sen.docx"]
        # The files made before the restart were kept, not made again.
        assert {file.name: file.stat().st_mtime_ns for file in outputs.glob("*.docx")} == made
    finally:
        again.stop()
