"""`cchc batch` for one unit reads only that unit's registry entry and manifest record (#21): the indexes
that make it so follow every change of the files they index, and the manifest, written again without its
superseded lines, keeps every guarantee of the batch."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import docx
import pytest
import yaml

from cchc_gen.runs import manifest as manifest_module
from cchc_gen.runs.manifest import INDEX_FILE as MANIFEST_INDEX
from cchc_gen.runs.registry_index import INDEX_FILE as REGISTRY_INDEX
from cchc_gen.runs.registry_index import RegistryIndex
from cchc_gen.source.loading import load_registry
from tests.conftest import write_yaml
from tests.docx_text import text_blocks
from tests.test_batch import OUT, batch, make_communes, manifest

REGISTRY = Path("data/units.yaml")


class _Plain(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True


def write_registry(registry: dict[str, object]) -> None:
    """The registry written without anchors, as a clerk writes it (a registry with anchors is read whole)."""
    REGISTRY.write_text(
        yaml.dump(registry, Dumper=_Plain, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


@pytest.fixture
def communes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)

    def make(count: int) -> None:
        make_communes(tmp_path, count)
        write_registry(yaml.safe_load(REGISTRY.read_text(encoding="utf-8")))

    return make


def settle(path: Path, seconds_ago: int) -> None:
    """Date the file's last change ``seconds_ago`` back: only a registry changed a while ago is indexed."""
    moment = time.time() - seconds_ago
    os.utime(path, (moment, moment))


def change_signer(code: str, name: str) -> None:
    registry = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    registry["units"][code]["signer"]["name"] = name
    write_registry(registry)


def signed_by(code: str) -> str:
    return "\n".join(text_blocks(OUT / f"{code}.docx"))


def test_one_unit_is_made_again_from_its_registry_entry_as_it_is_now(communes):
    communes(3)
    settle(REGISTRY, 60)
    assert batch().exit_code == 0
    assert Path("outputs", REGISTRY_INDEX).is_file(), "the registry was indexed"
    change_signer("tx-xa-002", "Lê Văn Mới")
    settle(REGISTRY, 30)
    result = batch("--units", "tx-xa-002")
    assert result.exit_code == 0, result.output
    assert "Đã tạo: 1" in result.output  # the registry changed: its digest recorded is no longer the same
    assert "Lê Văn Mới" in signed_by("tx-xa-002")

    change_signer("tx-xa-002", "Lê Văn Mớj")  # the same size: only the time of the change tells
    settle(REGISTRY, 20)
    result = batch("--units", "tx-xa-002")
    assert result.exit_code == 0, result.output
    assert "Lê Văn Mớj" in signed_by("tx-xa-002")


def test_a_unit_added_to_the_registry_after_it_was_indexed_is_found(communes):
    communes(2)
    settle(REGISTRY, 60)
    assert batch().exit_code == 0
    registry = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    registry["units"]["tx-xa-009"] = {**registry["units"]["tx-xa-001"], "name": "Ủy ban nhân dân xã Chín"}
    write_registry(registry)
    settle(REGISTRY, 30)
    report = yaml.safe_load(Path("data/2024-Q1/tx-xa-001.yaml").read_text(encoding="utf-8"))
    write_yaml(Path("data/2024-Q1/tx-xa-009.yaml"), {**report, "unit": "tx-xa-009"})
    result = batch("--units", "tx-xa-009")
    assert result.exit_code == 0, result.output
    assert (OUT / "tx-xa-009.docx").is_file()


def test_each_unit_read_from_the_index_is_the_unit_of_the_registry_read_whole(communes):
    """The index keeps each unit as the JSON of its model: read back, just as the registry makes it, with
    the same fields set (a single issuing body, fields left out), whether just indexed, kept in memory for
    a registry changed a moment ago, or read from the index file."""
    communes(3)
    registry = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    registry["units"]["tx-xa-002"]["issuing_body"] = "Ủy ban nhân dân xã  Hai"
    del registry["units"]["tx-xa-002"]["distribution"]
    registry["units"]["tx-xa-003"]["signer"] = {"title": "Chủ tịch"}
    write_registry(registry)
    whole = load_registry(REGISTRY)
    for settled, note in ((False, "kept in memory"), (True, "indexed now"), (True, "indexed before")):
        if settled:
            settle(REGISTRY, 60)
        index = RegistryIndex(REGISTRY, Path("outputs", REGISTRY_INDEX))
        assert (index.index is not None) == settled, note
        for code, unit in whole.items():
            read = index.unit(code)
            assert read is not None and read == unit, (note, code)
            assert read.model_fields_set == unit.model_fields_set, (note, code)
            assert read.signer.model_fields_set == unit.signer.model_fields_set, (note, code)
        assert index.unit("tx-xa-999") is None
        index.close()


def test_a_damaged_index_is_made_again(communes):
    communes(2)
    settle(REGISTRY, 60)
    assert batch().exit_code == 0
    for index in (Path("outputs", REGISTRY_INDEX), OUT / MANIFEST_INDEX):
        index.write_bytes(b"SQLite format 3\x00 h\xe1ng")
    result = batch()
    assert result.exit_code == 0, result.output
    assert "Đã tạo: 0   Bỏ qua (không đổi): 2" in result.output


def test_records_appended_after_the_index_was_saved_are_read(communes):
    """A killed run may have appended records that its index never saved."""
    communes(2)
    assert batch().exit_code == 0
    edited = OUT / "tx-xa-001.docx"
    document = docx.Document(str(edited))
    document.add_paragraph("Đoạn thêm bằng tay.")
    document.save(str(edited))
    record = {**manifest()["tx-xa-001"], "docx_sha256": hashlib.sha256(edited.read_bytes()).hexdigest()}
    with (OUT / ".manifest.jsonl").open("a", encoding="utf-8") as journal:
        journal.write(json.dumps({"unit": "tx-xa-001", **record}) + "\n")
    result = batch()
    assert result.exit_code == 0, result.output
    assert "sửa tay" not in result.output  # the output is the one recorded last
    assert "Đã tạo: 0   Bỏ qua (không đổi): 2" in result.output


def test_the_manifest_is_written_again_without_superseded_lines(communes, monkeypatch):
    monkeypatch.setattr(manifest_module, "COMPACT_AFTER", 0)
    communes(3)
    for _ in range(3):
        assert batch("--force").exit_code == 0
    journal = OUT / ".manifest.jsonl"
    assert len(journal.read_text(encoding="utf-8").splitlines()) == 9  # 6 superseded, not more than 3
    records = manifest()

    assert batch("--force").exit_code == 0  # 6 superseded lines, more than the 3 records: written again
    lines = journal.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6  # the 3 records kept, then the 3 of this run
    assert [json.loads(line)["unit"] for line in lines[:3]] == sorted(records)
    assert not list(OUT.glob(".*.tmp"))

    # The hand-edit guard still reads each unit's last record.
    edited = OUT / "tx-xa-003.docx"
    document = docx.Document(str(edited))
    document.add_paragraph("Đoạn thêm bằng tay.")
    document.save(str(edited))
    result = batch()
    assert result.exit_code == 0, result.output
    assert "đã sửa tay sau khi tạo; dữ liệu không đổi nên giữ nguyên bản đã sửa" in result.output
    assert "Đoạn thêm bằng tay." in [p.text for p in docx.Document(str(edited)).paragraphs]


def test_a_wrong_entry_stops_the_whole_period_with_its_line_and_not_another_unit(communes):
    communes(3)
    registry = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    del registry["units"]["tx-xa-003"]["name"]
    write_registry(registry)
    settle(REGISTRY, 60)
    line = 2 + REGISTRY.read_text(encoding="utf-8").splitlines().index("  tx-xa-003:")  # its first field
    result = batch()
    assert result.exit_code != 0
    assert f"units.yaml, dòng {line}: Trường 'units.tx-xa-003.name' thiếu trường bắt buộc." in result.output
    assert not list(OUT.glob("*.docx"))
    result = batch("--units", "tx-xa-001")  # its own entry is sound: it is made
    assert result.exit_code == 0, result.output
    assert (OUT / "tx-xa-001.docx").is_file()


def test_parents_that_come_back_round_stop_the_whole_period(communes):
    communes(2)
    registry = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    registry["units"]["tx-xa-001"]["parent"] = "tx-xa-002"
    registry["units"]["tx-xa-002"]["parent"] = "tx-xa-001"
    write_registry(registry)
    settle(REGISTRY, 60)
    result = batch()
    assert result.exit_code != 0
    assert "Các đơn vị cấp trên lặp vòng" in result.output


def test_a_record_cut_short_by_a_kill_leaves_the_next_records_whole(communes):
    communes(2)
    assert batch().exit_code == 0
    journal = OUT / ".manifest.jsonl"
    with journal.open("a", encoding="utf-8") as cut:
        cut.write('{"unit": "tx-xa-002", "docx_sha2')  # the kill came in the middle of the line
    result = batch("--force")
    assert result.exit_code == 0, result.output
    lines = journal.read_text(encoding="utf-8").splitlines()
    assert lines[2] == '{"unit": "tx-xa-002", "docx_sha2'
    assert [json.loads(line)["unit"] for line in lines[3:]] == ["tx-xa-001", "tx-xa-002"]
    assert "Đã tạo: 0   Bỏ qua (không đổi): 2" in batch().output
