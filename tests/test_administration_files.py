"""What the administrator uploads, read by the library before anything changes: a registry workbook whose
rows go wrong in the ways a maintainer's do (a unit left without a code, a code twice, parents going round,
a sheet with no unit), and profile archives that lie or overflow in ways a browser upload does not reach
(an archive over the limit, a member whose header understates what it unpacks to, two members of one
name). Every refusal says where, and nothing is installed or replaced."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from cchc_gen import api
from cchc_gen.errors import CchcError
from cchc_gen.maintain import install
from tests.conftest import ROOT

REGISTRY = ROOT / "data" / "units.yaml"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(REGISTRY, folder / "units.yaml")
    return folder


def _edited_download(data_dir: Path, edit: dict[tuple[str, str], object], tmp_path: Path) -> Path:
    """The data folder's registry as the administration page gives it, with cells changed: (unit code or
    a new row's label, column title) → value."""
    book = openpyxl.load_workbook(io.BytesIO(api.registry_workbook(data_dir / "units.yaml")))
    sheet = book["Đơn vị"]
    titles = {cell.value: cell.column for cell in sheet[1]}
    rows = {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}
    for (row_name, title), value in edit.items():
        row = rows.setdefault(row_name, sheet.max_row + 1)
        sheet.cell(row, titles[title], value)
    file = tmp_path / "danh-muc.xlsx"
    book.save(file)
    return file


def _refused(data_dir: Path, file: Path) -> list[tuple[str | None, str]]:
    before = (data_dir / "units.yaml").read_bytes()
    with pytest.raises(CchcError) as caught:
        api.replace_registry(data_dir, file, "danh-muc.xlsx")
    assert (data_dir / "units.yaml").read_bytes() == before
    assert all(p.file == Path("danh-muc.xlsx") for p in caught.value.problems)
    return [(p.location, p.message) for p in caught.value.problems]


def test_a_registry_workbook_row_without_a_code_and_a_code_twice_are_both_told(
    data_dir: Path, tmp_path: Path
) -> None:
    file = _edited_download(
        data_dir,
        {
            ("dong-moi", "Mã đơn vị"): None,
            ("dong-moi", "Tên ngắn"): "UBND xã Mới",
            ("lap", "Mã đơn vị"): "ht",
        },
        tmp_path,
    )
    below = len(yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))["units"]) + 2  # under header and units
    assert _refused(data_dir, file) == [
        (f"Sheet 'Đơn vị', ô A{below}", "Dòng có thông tin đơn vị nhưng thiếu mã đơn vị."),
        (f"Sheet 'Đơn vị', ô A{below + 1}", "Mã đơn vị 'ht' đã có ở một dòng phía trên."),
    ]


def test_parents_going_round_in_a_workbook_are_told_at_their_cells(data_dir: Path, tmp_path: Path) -> None:
    file = _edited_download(data_dir, {("ht", "Mã đơn vị cấp trên"): "ht-duc-tho"}, tmp_path)
    [(location, message)] = _refused(data_dir, file)
    assert location == "Sheet 'Đơn vị', ô E2"
    assert "Các đơn vị cấp trên lặp vòng: 'ht' (Sheet 'Đơn vị', ô E2) → 'ht-duc-tho'" in message


def test_a_workbook_without_units_or_without_its_header_is_refused(data_dir: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Mã đơn vị", "Tên đầy đủ", "Tên ngắn", "Cấp"])
    book.save(tmp_path / "trong.xlsx")
    assert _refused(data_dir, tmp_path / "trong.xlsx") == [(None, "Sheet 'Sheet' chưa có đơn vị nào.")]
    sheet.delete_rows(1)
    sheet.append(["Tên", "Cấp"])
    book.save(tmp_path / "khac.xlsx")
    [(_, message)] = _refused(data_dir, tmp_path / "khac.xlsx")
    assert message.startswith("Không tìm thấy sheet 'Đơn vị' (sheet có dòng tiêu đề gồm 'Mã đơn vị'")


def test_a_workbook_round_trip_keeps_the_registry(data_dir: Path, tmp_path: Path) -> None:
    file = _edited_download(data_dir, {}, tmp_path)
    units = api.replace_registry(data_dir, file, "danh-muc.xlsx")
    assert list(units) == list(yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))["units"])
    assert yaml.safe_load((data_dir / "units.yaml").read_text(encoding="utf-8")) == yaml.safe_load(
        REGISTRY.read_text(encoding="utf-8")
    )


# --- profile archives ---------------------------------------------------------------------------------------


def _profile_members(name: str) -> dict[str, bytes]:
    folder = ROOT / "templates" / "bao-cao-kiem-tra"
    return {f"{name}/{file.name}": file.read_bytes() for file in folder.iterdir()}


def _install_refused(archive: Path, own: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CCHC_TEMPLATES", str(own))
    with pytest.raises(CchcError) as caught:
        install.install_profile(archive, archive.name)
    assert not own.exists() or not any(own.iterdir())
    [problem] = caught.value.problems
    assert problem.file == archive
    return problem.message


def test_an_archive_over_the_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(install, "MAX_ARCHIVE_BYTES", 1024)
    archive = tmp_path / "mau.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as out:
        for name, data in _profile_members("mau").items():
            out.writestr(name, data)
    message = _install_refused(archive, tmp_path / "own", monkeypatch)
    assert message.startswith("Tệp nén quá lớn (hơn ")


def test_a_member_larger_than_its_header_says_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "mau.zip"
    members = _profile_members("mau") | {"mau/phu-luc.bin": bytes(200 * 1024)}
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as out:
        for name, data in members.items():
            out.writestr(name, data)
    # The central directory understates every size, as a crafted archive would.
    content = bytearray(archive.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as opened:
        infos = opened.infolist()
    directory = content.rfind(b"PK\x05\x06")
    start = int.from_bytes(content[directory + 16 : directory + 20], "little")
    offset = start
    for _ in infos:
        content[offset + 24 : offset + 28] = (1).to_bytes(4, "little")  # uncompressed size
        name_length = int.from_bytes(content[offset + 28 : offset + 30], "little")
        extra = int.from_bytes(content[offset + 30 : offset + 32], "little")
        comment = int.from_bytes(content[offset + 32 : offset + 34], "little")
        offset += 46 + name_length + extra + comment
    archive.write_bytes(bytes(content))
    message = _install_refused(archive, tmp_path / "own", monkeypatch)
    assert message.startswith("Không giải nén được tệp 'mau/")


def test_two_members_of_one_name_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "mau.zip"
    with zipfile.ZipFile(archive, "w") as out, pytest.warns(UserWarning):
        for name, data in _profile_members("mau").items():
            out.writestr(name, data)
        out.writestr("mau/profile.yaml", b"name: khac")
    message = _install_refused(archive, tmp_path / "own", monkeypatch)
    assert message == "Tệp nén có hai tệp cùng tên 'mau/profile.yaml'."
