"""The web workspace in a real browser: Debian's headless Chromium driven by Playwright, against a real
``cchc serve`` on 127.0.0.1 (a copy of data/, a fresh store). Screenshots of the login, the form, an error
at its field and the preview are written to outputs/anh-chup-web/."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from tests.docx_text import blocks
from tests.web_server import ROOT, Server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SHOTS = ROOT / "outputs" / "anh-chup-web"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium của Debian (/usr/bin/chromium) chưa được cài"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


# The cookies of each login, so that a test's later sessions of the same clerk need not log in again.
_SESSIONS: dict[str, dict] = {}


def _page(browser, web: Server, username: str, *, width: int = 1366, height: int = 768, script: bool = True):
    """A new browser session (its own window and cookies) of ``username``, logged in."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        accept_downloads=True,
        java_script_enabled=script,
        storage_state=_SESSIONS.get(username),
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    if username not in _SESSIONS:
        page.goto(web.url + "/dang-nhap/")
        page.fill("#username", username)
        page.fill("#password", web.accounts[username])
        page.click("button[type=submit]")
        page.wait_for_url(web.url + "/")
        _SESSIONS[username] = context.storage_state()
    return page


def _save(page) -> None:
    page.locator("button[name=luu]").first.click()
    page.wait_for_load_state()


def _data(page, web: Server, report: str, revision: int | None = None) -> dict:
    """The report's data as its YAML download gives it (of a revision, or the latest)."""
    query = f"?phien-ban={revision}" if revision else ""
    reply = page.request.get(f"{web.url}{report}tai-ve/yaml/{query}")
    assert reply.status == 200
    return yaml.safe_load(reply.text())


def test_a_clerk_writes_checks_downloads_and_submits(browser, web: Server, tmp_path: Path) -> None:
    login = browser.new_page(viewport={"width": 1366, "height": 768})
    login.goto(web.url + "/")
    assert "/dang-nhap/" in login.url
    login.screenshot(path=SHOTS / "dang-nhap.png")
    login.close()

    page = _page(browser, web, "ht-duc-tho")
    # Start quý IV from her previous report (9 tháng).
    page.select_option("#period-ht-duc-tho", "2026-Q4")
    page.check("input[name=mode][value=ky-truoc]")
    page.click("form.start button[type=submit]")
    page.wait_for_url(web.url + "/bao-cao/ht-duc-tho/2026-Q4/")
    assert "Đã tạo báo cáo quý IV năm 2026." in page.inner_text(".messages")
    assert page.input_value("#v-hs_tiep_nhan") == "4.985"  # carried over from 9 tháng, to be updated
    assert page.input_value("#f-title") == "Kết quả thực hiện công tác cải cách hành chính quý IV năm 2026"
    page.screenshot(path=SHOTS / "bieu-mau.png")

    # Three figures changed: the received total no longer adds up.
    page.fill("#v-hs_truoc_han", "1.800")
    page.fill("#v-hs_dung_han_so", "3.091")
    page.fill("#v-hs_dang_giai_quyet", "90")
    _save(page)
    assert "Đã lưu phiên bản 2." in page.inner_text(".messages")
    row = page.locator("#fig-hs_tiep_nhan")
    assert "has-problem" in (row.get_attribute("class") or "")
    error = page.locator("#fig-hs_tiep_nhan + tr.problems-row .problem.err")
    assert "phải bằng số tiếp nhận (4.985)" in error.inner_text()
    assert "đang giải quyết (90)" in error.inner_text()
    assert page.locator("#fig-hs_da_giai_quyet.has-problem").count() == 0
    assert "Báo cáo còn 1 lỗi" in page.inner_text("#chung-van-de")
    assert page.locator("button.submit-report").is_disabled()
    row.scroll_into_view_if_needed()
    top, bottom = row.bounding_box(), page.locator("#fig-hs_tiep_nhan + tr.problems-row").bounding_box()
    page.screenshot(
        path=SHOTS / "loi-tai-o.png",
        clip={
            "x": 0,
            "y": top["y"] - 60,
            "width": 1366,
            "height": bottom["y"] + bottom["height"] - top["y"] + 80,
        },
    )
    # Producing is refused while there is an error.
    page.click("text=Tải .docx")
    assert "báo cáo còn 1 lỗi" in page.inner_text(".messages")

    # Fixed: the downloaded report has the figure in its text and in its appendix.
    page.fill("#v-hs_tiep_nhan", "4.993")
    _save(page)
    assert "không có lỗi" in page.inner_text("#chung-van-de") or "Không còn lỗi" in page.inner_text(
        "#chung-van-de"
    )
    with page.expect_download() as download:
        page.click("text=Tải .docx")
    document = tmp_path / "bao-cao.docx"
    download.value.save_as(document)
    assert download.value.suggested_filename == "ht-duc-tho-2026-Q4.docx"
    found = blocks(document)
    assert any("xã tiếp nhận 4.993 hồ sơ" in b.text for b in found if not b.table_row)
    appendix = [b.text for b in found if b.table_row and "Tổng số hồ sơ TTHC tiếp nhận trong kỳ" in b.text]
    assert appendix and "4.993" in appendix[0]

    page.click("button.submit-report")
    page.wait_for_load_state()
    assert re.search(r"Đã nộp báo cáo lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}\.", page.inner_text(".messages"))
    assert "Đã nộp lúc" in page.inner_text(".report-head")

    # Another unit's report, by its address: refused.
    reply = page.goto(web.url + "/bao-cao/ht-huong-khe/2026-9T/")
    assert reply is not None and reply.status == 403
    assert "Không có quyền truy cập" in page.inner_text("h1")
    page.context.close()


def test_two_sessions_saving_the_same_report_lose_nothing(browser, web: Server) -> None:
    report = "/bao-cao/ht-huong-khe/2026-9T/"
    first, second = _page(browser, web, "ht-huong-khe"), _page(browser, web, "ht-huong-khe")
    for page in (first, second):
        page.goto(web.url + report)
    head = int(first.input_value("input[name=parent]"))

    first.fill("#f-lead_in", first.input_value("#f-lead_in") + "\nCâu của phiên thứ nhất.")
    _save(first)
    assert f"Đã lưu phiên bản {head + 1}." in first.inner_text(".messages")

    paragraph = second.locator(".blk-p textarea").first
    paragraph.fill(paragraph.input_value() + " Câu của phiên thứ hai.")
    _save(second)
    assert "Báo cáo vừa được người khác lưu" in second.inner_text("h1")
    changes = second.inner_text("table.changes")
    assert "Câu của phiên thứ hai." in changes  # her text, shown to her
    assert "Câu của phiên thứ nhất." in changes  # and the newer one
    second.click("text=Lưu bản của tôi thành phiên bản mới nhất")
    second.wait_for_load_state()
    assert f"Đã lưu bản của bạn thành phiên bản {head + 2}." in second.inner_text(".messages")

    # Nothing lost: each session's text is in a revision of its own.
    assert "Câu của phiên thứ nhất." in _data(second, web, report, head + 1)["lead_in"]
    assert "Câu của phiên thứ hai." in json.dumps(_data(second, web, report), ensure_ascii=False)
    for page in (first, second):
        page.context.close()


def test_autosave_keeps_the_draft_of_a_closed_browser(browser, web: Server) -> None:
    report = "/bao-cao/ht-thanh-sen/2026-9T/"
    page = _page(browser, web, "ht-thanh-sen")
    page.goto(web.url + report)
    page.fill("#f-closing", "Câu kết gõ dở trước khi mất điện")
    assert page.evaluate("window.cchcAutosave()") is True
    assert "Đã tự lưu bản nháp lúc" in page.inner_text("[data-autosave-status]")
    page.context.close()  # the browser closes without saving

    again = _page(browser, web, "ht-thanh-sen")
    again.goto(web.url + report)
    assert "Có bản nháp tự lưu" in again.inner_text("#ban-nhap")
    assert again.input_value("#f-closing") != "Câu kết gõ dở trước khi mất điện"
    again.click("text=Mở bản nháp")
    assert again.input_value("#f-closing") == "Câu kết gõ dở trước khi mất điện"
    _save(again)
    assert _data(again, web, report)["closing"] == "Câu kết gõ dở trước khi mất điện"
    assert again.locator("#ban-nhap").count() == 0  # the draft became a revision
    again.context.close()


def test_blocks_are_added_moved_and_removed(browser, web: Server) -> None:
    report = "/bao-cao/ht-thanh-sen/2026-6T/"
    page = _page(browser, web, "ht-thanh-sen")
    page.goto(web.url + report)
    section = page.locator("[data-root] > section.blk-h").first
    before = _data(page, web, report)["sections"][0]
    section.locator(":scope > [data-add-bar] button[data-add=list]").click()
    added = section.locator(":scope > [data-children] > .blk-list").last
    added.locator("textarea").fill("- Việc thứ nhất\n+ Phần nhỏ\n- Việc thứ hai")
    added.locator(":scope > .blk-bar button[data-op=up]").click()  # above the last block of the section
    page.once("dialog", lambda dialog: dialog.accept())  # "Xóa khối này…?"
    first = section.locator(":scope > [data-children] > [data-block]").first
    first.locator(":scope > .blk-bar button[data-op=remove]").click()
    _save(page)
    after = _data(page, web, report)["sections"][0]["content"]
    expected = before["content"][1:]
    expected.insert(
        len(expected) - 1, {"list": [{"text": "Việc thứ nhất", "sub": ["Phần nhỏ"]}, "Việc thứ hai"]}
    )
    assert after == expected
    page.context.close()


def test_the_form_saves_without_javascript(browser, web: Server) -> None:
    report = "/bao-cao/ht-duc-tho/2026-6T/"
    page = _page(browser, web, "ht-duc-tho", script=False)
    page.goto(web.url + report)
    assert page.locator("[data-add-bar]").first.is_hidden()  # adding blocks needs the script
    page.fill("#v-kh_nhiem_vu", "27")
    _save(page)
    assert "Đã lưu phiên bản" in page.inner_text(".messages")
    assert _data(page, web, report)["figures"]["kh_nhiem_vu"] == 27
    page.context.close()


def test_history_shows_every_revision_and_restores_one(browser, web: Server) -> None:
    report = "/bao-cao/ht-huong-khe/2026-6T/"
    page = _page(browser, web, "ht-huong-khe")
    page.goto(web.url + report)
    page.fill("#f-number", "41")
    _save(page)
    page.click("text=Lịch sử")
    rows = page.locator("table.history tbody tr")
    assert rows.count() >= 2
    assert "Sửa trong trình duyệt" in rows.first.inner_text()
    oldest = rows.last
    number = int(oldest.locator("td").first.inner_text().split()[0])
    oldest.locator("button", has_text="Khôi phục").click()
    page.wait_for_load_state()
    assert f"Đã khôi phục phiên bản {number} thành phiên bản mới" in page.inner_text(".messages")
    restored = _data(page, web, report)
    assert restored["number"] != 41
    assert restored == _data(page, web, report, number)
    page.context.close()


@pytest.mark.office
def test_preview_shows_the_pages_and_a_phone_can_use_the_form(browser, web: Server) -> None:
    report = "/bao-cao/ht-thanh-sen/2026-6T/"
    page = _page(browser, web, "ht-thanh-sen")
    page.goto(web.url + report)
    page.click("text=Xem trước")
    page.wait_for_url(web.url + report + "xem-truoc/")
    first = page.locator("figure.page img").first
    first.scroll_into_view_if_needed()
    expect(first).to_have_js_property("complete", True)  # waits for the picture, as a reader does
    assert first.evaluate("img => img.naturalWidth") > 0  # the picture of page 1, drawn
    assert page.locator("figure.page").count() >= 2
    page.screenshot(path=SHOTS / "xem-truoc.png")
    with page.expect_download() as download:
        page.click("text=Tải PDF")
    assert download.value.suggested_filename == "ht-thanh-sen-2026-6T.pdf"
    page.context.close()

    phone = _page(browser, web, "ht-thanh-sen", width=390, height=844)
    phone.goto(web.url + report)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=SHOTS / "bieu-mau-dien-thoai.png")
    phone.context.close()
