"""Where LibreOffice and the Python of its UNO bridge are looked for on each platform (#15).

The candidate lists are tables per platform, read without running anything: nothing here pretends to be
Windows or macOS. Which candidate is taken is tested with files made in a temporary folder.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from cchc_gen import OutputError
from cchc_gen.render import pdf

WINDOWS_FOLDERS = {"ProgramFiles": r"C:\Program Files", "ProgramFiles(x86)": r"C:\Program Files (x86)"}


@pytest.mark.parametrize(
    ("platform", "environ", "expected"),
    [
        (
            "win32",
            WINDOWS_FOLDERS,
            [
                r"C:\Program Files\LibreOffice\program\soffice.exe",
                r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
            ],
        ),
        (
            "win32",
            {},
            [
                r"C:\Program Files\LibreOffice\program\soffice.exe",
                r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
            ],
        ),
        (
            "win32",
            {"ProgramFiles": r"D:\Ứng dụng", "ProgramFiles(x86)": r"D:\Ứng dụng"},
            [r"D:\Ứng dụng\LibreOffice\program\soffice.exe"],
        ),
        (
            "darwin",
            {"HOME": "/Users/lan"},
            [
                "/Applications/LibreOffice.app/Contents/MacOS/soffice",
                "/Users/lan/Applications/LibreOffice.app/Contents/MacOS/soffice",
            ],
        ),
        (
            "linux",
            {},
            [
                "/usr/lib/libreoffice/program/soffice",
                "/opt/libreoffice*/program/soffice",
                "/snap/bin/libreoffice",
            ],
        ),
    ],
    ids=["windows", "windows-default-folders", "windows-one-program-files", "macos", "linux"],
)
def test_libreoffice_is_looked_for_in_its_default_install_folders(platform, environ, expected):
    assert [str(path) for path in pdf.soffice_candidates(platform, environ)] == expected


@pytest.mark.parametrize(
    ("platform", "soffice", "expected"),
    [
        (
            "win32",
            PureWindowsPath(r"C:\Program Files\LibreOffice\program\soffice.exe"),
            [r"C:\Program Files\LibreOffice\program\python.exe"],
        ),
        (
            "darwin",
            PurePosixPath("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
            ["/Applications/LibreOffice.app/Contents/Resources/python"],
        ),
        (
            "linux",
            PurePosixPath("/usr/lib/libreoffice/program/soffice"),
            ["/usr/lib/libreoffice/program/python", "/usr/bin/python3"],
        ),
        (
            "linux",
            PurePosixPath("/opt/libreoffice24.8/program/soffice"),
            ["/opt/libreoffice24.8/program/python", "/usr/bin/python3"],
        ),
    ],
    ids=["windows", "macos", "debian", "official-linux-build"],
)
def test_the_bridge_runs_in_the_python_libreoffice_ships(platform, soffice, expected):
    assert [str(path) for path in pdf.uno_python_candidates(soffice, platform)] == expected


@pytest.fixture
def no_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No program on PATH; returns a folder to install fake LibreOffices in."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    return tmp_path


def install(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_on_path_comes_first(no_path, monkeypatch):
    on_path = install(no_path / "bin" / "soffice")
    monkeypatch.setenv("PATH", str(on_path.parent))
    monkeypatch.setattr(
        pdf, "soffice_candidates", lambda: [PurePosixPath(install(no_path / "opt" / "soffice"))]
    )
    assert pdf.find_soffice() == str(on_path)


def test_the_first_install_folder_that_has_it_and_the_newest_version(no_path, monkeypatch):
    newest = install(no_path / "opt" / "libreoffice24.8" / "program" / "soffice")
    install(no_path / "opt" / "libreoffice7.6" / "program" / "soffice")
    candidates = [
        no_path / "Applications" / "soffice",
        no_path / "opt" / "libreoffice*" / "program" / "soffice",
    ]
    monkeypatch.setattr(pdf, "soffice_candidates", lambda: [PurePosixPath(c) for c in candidates])
    assert pdf.find_soffice() == str(newest)


def test_no_libreoffice_anywhere_is_a_message(no_path, monkeypatch):
    monkeypatch.setattr(
        pdf, "soffice_candidates", lambda: [PurePosixPath(no_path / "Applications" / "soffice")]
    )
    with pytest.raises(OutputError) as missing:
        pdf.find_soffice()
    assert "Không tìm thấy LibreOffice để chuyển báo cáo sang PDF." in str(missing.value)
    assert "vào thư mục mặc định" in str(missing.value)
