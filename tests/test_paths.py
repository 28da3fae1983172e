"""From any folder, on any path: where cchc finds the registry, the data folder, the profiles and where
it writes; paths with spaces and Vietnamese letters; every printed path pastes back into a shell (#15)."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import cchc_gen
from cchc_gen.cli import main
from tests.conftest import ROOT, write_yaml
from tests.docx_text import text_blocks

SAMPLE = ROOT / "data" / "2026-9T" / "ht-duc-tho.yaml"
OUTPUT = Path("outputs") / "2026-9T" / "ht-duc-tho.docx"
CLOSING = "Trên đây là báo cáo theo bộ mẫu riêng của {{ unit.short_name }}"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def printed_path(output: str, label: str) -> Path:
    """The path printed after ``label``, read back as a shell reads it when pasted."""
    line = next(line for line in output.splitlines() if line.startswith(label))
    [path] = shlex.split(line.removeprefix(label))
    return Path(path)


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, away from the repository and from the data."""
    folder = tmp_path / "nơi khác"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def data_folder(folder: Path, registry: bool = True) -> Path:
    """A data folder laid out as the repository's (registry, and the sample in its period folder)."""
    (folder / "2026-9T").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "2026-9T" / SAMPLE.name)
    if registry:
        shutil.copy(ROOT / "data" / "units.yaml", folder / "units.yaml")
    return folder


def own_profile(folder: Path) -> Path:
    """A user's profiles folder holding a copy of the default profile with its own closing sentence."""
    shutil.copytree(ROOT / "templates" / "bao-cao-dinh-ky", folder / "bao-cao-dinh-ky")
    spec_file = folder / "bao-cao-dinh-ky" / "profile.yaml"
    write_yaml(spec_file, {**yaml.safe_load(spec_file.read_text(encoding="utf-8")), "closing": CLOSING})
    return folder


def closing_of(document: Path) -> str:
    return next(text for text in text_blocks(document) if text.startswith("Trên đây là báo cáo"))


# --- the registry and the outputs of one data file ---------------------------------------------------------


def test_a_sample_in_a_folder_with_spaces_and_vietnamese_letters_renders_from_elsewhere(elsewhere, tmp_path):
    folder = tmp_path / "Báo cáo 2026"
    folder.mkdir()
    shutil.copy(SAMPLE, folder)
    shutil.copy(ROOT / "data" / "units.yaml", folder)
    result = run("render", str(folder / SAMPLE.name))
    assert result.exit_code == 0, result.output
    written = printed_path(result.output, "Đã tạo báo cáo: ")
    assert written == folder / OUTPUT, "outputs/ inside the folder that holds the registry"
    assert "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính" in closing_of(written)
    assert not list(elsewhere.iterdir()), "nothing is written in the working folder"


def test_the_registry_above_the_data_file_is_found(elsewhere, tmp_path):
    data = data_folder(tmp_path / "data")
    result = run("render", str(data / "2026-9T" / SAMPLE.name))
    assert result.exit_code == 0, result.output
    assert printed_path(result.output, "Đã tạo báo cáo: ") == tmp_path / OUTPUT, "outputs/ beside data/"


def test_a_data_file_without_a_registry_names_the_ways_to_give_one(elsewhere, tmp_path):
    data = data_folder(tmp_path / "Dữ liệu", registry=False)
    result = run("render", str(data / "2026-9T" / SAMPLE.name))
    assert result.exit_code == 1
    assert "Không tìm thấy danh mục đơn vị." in result.output
    assert "--data, biến môi trường CCHC_DATA hay lệnh cchc cau-hinh --thu-muc-du-lieu" in result.output


@pytest.mark.parametrize("way", ["option", "environment", "settings"])
def test_a_registry_elsewhere_is_given_by_option_environment_or_settings(
    elsewhere, tmp_path, monkeypatch, way
):
    registry = data_folder(tmp_path / "Danh mục", registry=True)
    (registry / "2026-9T" / SAMPLE.name).unlink()
    loose = tmp_path / "tệp rời" / SAMPLE.name
    loose.parent.mkdir()
    shutil.copy(SAMPLE, loose)
    options = []
    if way == "option":
        options = ["--data", str(registry)]
    elif way == "environment":
        monkeypatch.setenv("CCHC_DATA", str(registry))
    else:
        assert run("cau-hinh", "--thu-muc-du-lieu", str(registry)).exit_code == 0
    result = run("render", str(loose), *options)
    assert result.exit_code == 0, result.output
    assert printed_path(result.output, "Đã tạo báo cáo: ") == registry / OUTPUT


# --- the data folder of the commands that take one ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "outputs"),
    [("data", Path("outputs")), ("Dữ liệu CCHC 2026", Path("Dữ liệu CCHC 2026") / "outputs")],
    ids=["named-data: outputs beside it", "other name: outputs inside it"],
)
def test_batch_writes_to_the_outputs_of_its_data_folder(elsewhere, tmp_path, name, outputs):
    data = data_folder(tmp_path / name)
    result = run("batch", str(data), "-j", "1", "--cho-phep-thieu")  # one sample commune of three
    assert result.exit_code == 0, result.output
    assert (tmp_path / outputs / "2026-9T" / "ht-duc-tho.docx").is_file()
    assert f"thư mục {cchc_gen.shown(tmp_path / outputs / '2026-9T')}:" in result.output
    assert not list(elsewhere.iterdir())


def setting(way: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if way == "environment":
        monkeypatch.setenv("CCHC_DATA", str(folder))
    elif way == "working folder":
        monkeypatch.chdir(folder.parent)
    elif way == "settings":
        cchc_gen.configure(folder)


@pytest.mark.parametrize(
    ("ways", "chosen", "because"),
    [
        ([], None, "mặc định"),
        (["settings"], "settings", "cài đặt trong"),
        (["working folder", "settings"], "working folder", "thư mục data/ ở thư mục đang làm việc"),
        (["environment", "working folder", "settings"], "environment", "biến môi trường CCHC_DATA"),
    ],
)
def test_the_data_folder_in_use_and_what_chose_it(elsewhere, tmp_path, monkeypatch, ways, chosen, because):
    folders = {way: data_folder(tmp_path / way.replace(" ", "-") / "data") for way in ways}
    for way in ways:
        setting(way, folders[way], monkeypatch)
    settings = cchc_gen.configure()
    expected = Path("data") if chosen in (None, "working folder") else folders[chosen]
    assert settings.data.folder.resolve() == expected.resolve()
    assert because in settings.data.chosen_by


def test_a_configured_data_folder_serves_every_command_from_anywhere(elsewhere, tmp_path):
    data = data_folder(tmp_path / "Dữ liệu xã")
    set_up = run("cau-hinh", "--thu-muc-du-lieu", str(data))
    assert set_up.exit_code == 0, set_up.output
    assert printed_path(set_up.output, "Đã đặt thư mục dữ liệu: ") == data
    assert run("batch", "-j", "1", "--cho-phep-thieu").exit_code == 0  # one sample commune of three
    assert (data / OUTPUT).is_file()
    workbook = run("mau-excel", "ht-duc-tho", "2026-6T")
    assert workbook.exit_code == 0, workbook.output
    assert printed_path(workbook.output, "Đã tạo bảng tính: ") == data / "2026-6T" / "ht-duc-tho.xlsx"
    shown = run("cau-hinh")
    assert f"Thư mục dữ liệu đang dùng: {cchc_gen.shown(data)} (theo cài đặt trong" in shown.output
    forgotten = run("cau-hinh", "--bo-thu-muc-du-lieu")
    assert "Thư mục dữ liệu đã đặt: (chưa đặt)" in forgotten.output
    assert run("batch").exit_code == 1


def test_a_folder_without_a_registry_is_not_set(elsewhere, tmp_path):
    result = run("cau-hinh", "--thu-muc-du-lieu", str(elsewhere))
    assert result.exit_code == 1
    assert "Thư mục này không có danh mục đơn vị units.yaml." in result.output
    assert "Thư mục dữ liệu đã đặt: (chưa đặt)" in run("cau-hinh").output


def test_a_broken_settings_file_is_a_message(elsewhere):
    settings = cchc_gen.configure().file
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("data: [\n", encoding="utf-8")
    result = run("batch")
    assert result.exit_code == 1
    assert "Không đọc được tệp cài đặt" in result.output
    assert "cchc cau-hinh --thu-muc-du-lieu" in result.output
    assert "Traceback" not in result.output


# --- profiles ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("way", ["option", "environment", "working folder"])
def test_the_user_s_own_profiles_come_before_the_bundled_ones(elsewhere, tmp_path, monkeypatch, way):
    data = data_folder(tmp_path / "data")
    mine = own_profile(elsewhere / "templates" if way == "working folder" else tmp_path / "Mẫu của tôi")
    options = ["--templates", str(mine)] if way == "option" else []
    if way == "environment":
        monkeypatch.setenv("CCHC_TEMPLATES", str(mine))
    result = run("render", str(data / "2026-9T" / SAMPLE.name), "-o", "bao-cao.docx", *options)
    assert result.exit_code == 0, result.output
    assert closing_of(Path("bao-cao.docx")).startswith("Trên đây là báo cáo theo bộ mẫu riêng của UBND xã")


def test_a_profile_the_user_s_folder_lacks_is_the_bundled_one(elsewhere, tmp_path):
    mine = tmp_path / "Mẫu của tôi"
    mine.mkdir()
    result = run("template", "check", "bao-cao-kiem-tra", "--templates", str(mine))
    assert result.exit_code == 0, result.output
    fields = run("template", "fields", "bao-cao-dinh-ky", "--templates", str(mine))
    assert "unit.governing_body" in fields.output.splitlines()


def test_template_new_writes_into_the_user_s_folder(elsewhere, tmp_path):
    mine = tmp_path / "Mẫu của tôi"
    result = run("template", "new", "bao-cao-rieng", "--from", "bao-cao-dinh-ky", "--templates", str(mine))
    assert result.exit_code == 0, result.output
    assert printed_path(result.output, "Đã tạo bộ mẫu bao-cao-rieng: ") == mine / "bao-cao-rieng"
    assert run("template", "check", "bao-cao-rieng", "--templates", str(mine)).exit_code == 0
    assert run("template", "check", "bao-cao-rieng").exit_code == 1, "found only in the user's folder"


def test_template_new_without_a_folder_of_one_s_own_writes_into_templates_here(elsewhere):
    result = run("template", "new", "bao-cao-rieng", "--from", "bao-cao-dinh-ky")
    assert result.exit_code == 0, result.output
    created = printed_path(result.output, "Đã tạo bộ mẫu bao-cao-rieng: ")
    assert created == elsewhere / "templates" / "bao-cao-rieng"
    assert run("template", "check", "bao-cao-rieng").exit_code == 0


def test_a_missing_templates_folder_is_wrong_usage(elsewhere):
    result = run("render", "x.yaml", "--templates", "khong-co")
    assert result.exit_code == 2
    assert "Lỗi: Giá trị không hợp lệ của '--templates': Không có 'khong-co'." in result.output


def test_an_unknown_profile_names_every_folder_searched(elsewhere, tmp_path):
    mine = tmp_path / "Mẫu của tôi"
    mine.mkdir()
    result = run("template", "check", "khong-co", "--templates", str(mine))
    assert result.exit_code == 1
    assert f"Không có bộ mẫu 'khong-co' trong thư mục {cchc_gen.shown(mine)} và " in result.output
    assert "Dùng một trong các bộ mẫu: bao-cao-dinh-ky, bao-cao-kiem-tra." in result.output


# --- paths as printed --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "posix", "windows"),
    [
        ("data/2026-9T/ht-duc-tho.yaml", "data/2026-9T/ht-duc-tho.yaml", "data/2026-9T/ht-duc-tho.yaml"),
        ("Dữ_liệu/Đức-Thọ.yaml", "Dữ_liệu/Đức-Thọ.yaml", "Dữ_liệu/Đức-Thọ.yaml"),
        ("Báo cáo 2026/ht.docx", "'Báo cáo 2026/ht.docx'", '"Báo cáo 2026/ht.docx"'),
        (
            r"C:\Users\Lan\Báo cáo\ht.docx",
            r"'C:\Users\Lan\Báo cáo\ht.docx'",
            r'"C:\Users\Lan\Báo cáo\ht.docx"',
        ),
        (r"D:\du-lieu\ht.yaml", r"'D:\du-lieu\ht.yaml'", r"D:\du-lieu\ht.yaml"),
        ("bao cao (ban sua).docx", "'bao cao (ban sua).docx'", '"bao cao (ban sua).docx"'),
        ("it's.docx", "'it'\"'\"'s.docx'", '"it\'s.docx"'),
        ("a&b;$HOME.docx", "'a&b;$HOME.docx'", '"a&b;$HOME.docx"'),
    ],
)
def test_paths_are_shown_ready_to_paste(path, posix, windows):
    assert cchc_gen.shown(path, windows=False) == posix
    assert cchc_gen.shown(path, windows=True) == windows


@given(st.text(alphabet=st.characters(blacklist_characters="\x00"), min_size=1))
def test_a_shown_path_reads_back_as_itself_in_a_posix_shell(text):
    assert shlex.split(cchc_gen.shown(text, windows=False)) == [text]


def test_an_error_in_a_file_with_spaces_names_it_quoted(elsewhere, tmp_path):
    folder = tmp_path / "Báo cáo 2026"
    folder.mkdir()
    shutil.copy(ROOT / "data" / "units.yaml", folder)
    data_file = folder / "ht-duc-tho.yaml"
    data_file.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("period: 2026-9T", "period: 2026-9X"), "utf-8"
    )
    result = run("render", str(data_file))
    assert result.exit_code == 1
    assert f"{shlex.quote(str(data_file))}, dòng 7:" in result.output
