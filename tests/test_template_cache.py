"""A profile's Word template is built once and kept on disk (cchc_gen/render/template_cache.py, #21): the
next run takes it from the cache and writes the same report; a changed template, a damaged entry or a
folder that others could write is never used; the cache saves time and is never needed."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest

from cchc_gen.errors import TemplateProblem
from cchc_gen.model.check import check_report
from cchc_gen.model.profile import load_profile
from cchc_gen.render import docx as rendering
from cchc_gen.render import template_cache
from cchc_gen.render.context import build_context
from cchc_gen.render.docx import CompiledTemplate, make_environment
from cchc_gen.source.loading import load_report
from tests.conftest import DEFAULT_PROFILE

TEMPLATE = DEFAULT_PROFILE / "template.docx"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    template_cache.forget_folder()
    yield tmp_path / "cache" / "cchc_gen" / "templates"
    template_cache.forget_folder()


@pytest.fixture
def render(data_tree: Callable[..., Path]) -> Callable[[Path], bytes]:
    """Render the sample report of ``data_tree`` with a template: a new build of it each time, as a new
    command does."""
    loaded = load_report(data_tree())
    profile = load_profile(loaded.report.profile)

    def rendered(template: Path) -> bytes:
        env = make_environment()
        context = build_context(
            loaded.report, loaded.unit, profile, check_report(loaded, profile).figures, env
        )
        return CompiledTemplate(template, env).render_bytes(context, "thử")

    return rendered


def text_of(report: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(report)).paragraphs)


def test_the_next_run_takes_the_template_from_the_cache_and_writes_the_same_report(
    cache: Path, render: Callable[[Path], bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = render(TEMPLATE)
    assert "An Bình" in text_of(first)
    assert template_cache.load_build(TEMPLATE.read_bytes()) is not None

    def not_built(cls: type, template: Path) -> None:
        raise AssertionError(f"{template} built again")

    monkeypatch.setattr(rendering._Build, "of", classmethod(not_built))
    assert render(TEMPLATE) == first


def test_a_changed_template_is_built_again(
    cache: Path, render: Callable[[Path], bytes], tmp_path: Path
) -> None:
    render(TEMPLATE)
    kept = len(list(cache.iterdir()))
    document = docx.Document(str(TEMPLATE))
    document.add_paragraph("Đoạn thêm vào mẫu sau lần dựng đầu")
    changed = tmp_path / "changed.docx"
    document.save(str(changed))

    assert "Đoạn thêm vào mẫu sau lần dựng đầu" in text_of(render(changed))
    assert len(list(cache.iterdir())) > kept
    assert template_cache.load_build(changed.read_bytes()) is not None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:40] + bytes([data[40] ^ 0xFF]) + data[41:],
        lambda data: b"",
    ],
    ids=["cut", "one-byte-changed", "empty"],
)
def test_a_damaged_entry_is_built_again(
    cache: Path, render: Callable[[Path], bytes], tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    first = render(TEMPLATE)
    for entry in cache.iterdir():
        entry.write_bytes(damage(entry.read_bytes()))

    assert render(TEMPLATE) == first
    assert template_cache.load_build(TEMPLATE.read_bytes()) is not None, "replaced by a good one"


def test_a_folder_others_can_write_is_not_used(
    cache: Path, render: Callable[[Path], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = render(TEMPLATE)
    kept = {entry: entry.stat().st_mtime_ns for entry in cache.iterdir()}
    cache.chmod(0o777)
    template_cache.forget_folder()  # as the next command finds it
    builds = []
    build = rendering._Build.of
    monkeypatch.setattr(
        rendering._Build, "of", classmethod(lambda cls, template: builds.append(template) or build(template))
    )

    assert render(TEMPLATE) == first
    assert builds == [TEMPLATE], "what is in the folder is not read"
    assert {entry: entry.stat().st_mtime_ns for entry in cache.iterdir()} == kept, "nor written"


def test_without_a_cache_folder_the_report_is_the_same(
    cache: Path, render: Callable[[Path], bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = render(TEMPLATE)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    template_cache.forget_folder()

    assert render(TEMPLATE) == first


def test_a_template_that_does_not_compile_is_not_kept(
    cache: Path, render: Callable[[Path], bytes], tmp_path: Path
) -> None:
    document = docx.Document(str(TEMPLATE))
    document.add_paragraph("Tỷ lệ {{ bad tag")
    broken = tmp_path / "broken.docx"
    document.save(str(broken))

    messages = []
    for _ in range(2):
        with pytest.raises(TemplateProblem) as error:
            render(broken)
        messages.append(str(error.value.problems[0]))
    assert messages[0] == messages[1]
    assert "Tỷ lệ {{ bad tag" in messages[0]
    assert template_cache.load_build(broken.read_bytes()) is None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="ownership of folders")
def test_the_cache_folder_is_private(cache: Path, render: Callable[[Path], bytes], tmp_path: Path) -> None:
    render(TEMPLATE)
    assert cache.stat().st_mode & 0o777 == 0o700


def test_an_entry_of_another_shape_is_built_again_and_replaced(
    cache: Path, render: Callable[[Path], bytes]
) -> None:
    first = render(TEMPLATE)
    template_cache.store_build(TEMPLATE.read_bytes(), ("of an older cchc",))

    assert render(TEMPLATE) == first
    assert template_cache.load_build(TEMPLATE.read_bytes()) != ("of an older cchc",)
