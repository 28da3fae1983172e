"""Compare two folders of rendered reports: the same files, and in each .docx the same parts, byte for byte.

    python tools/same_documents.py THƯ_MỤC_TRƯỚC THƯ_MỤC_SAU

Used to show that a change of code left every rendered sample as it was: render the samples before and
after the change into two folders, then compare them. A .docx is unzipped and each of its parts compared
(the zip container around them, its dates and compression, is not); any other file is compared whole.
Prints one line per file and a summary; exits 1 when anything differs.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path


def parts(document: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(document) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def difference(before: Path, after: Path) -> str | None:
    """What differs between two files, or None when they are the same."""
    if before.suffix.lower() != ".docx":
        return None if before.read_bytes() == after.read_bytes() else "nội dung khác"
    old, new = parts(before), parts(after)
    if old.keys() != new.keys():
        return f"danh sách phần khác: {sorted(old.keys() ^ new.keys())}"
    changed = sorted(name for name in old if old[name] != new[name])
    return f"phần khác: {', '.join(changed)}" if changed else None


def main(before_dir: Path, after_dir: Path) -> int:
    before = {p.relative_to(before_dir) for p in before_dir.rglob("*") if p.is_file()}
    after = {p.relative_to(after_dir) for p in after_dir.rglob("*") if p.is_file()}
    differing = 0
    for name in sorted(before | after):
        if name not in after or name not in before:
            print(f"CHỈ CÓ Ở {'TRƯỚC' if name in before else 'SAU'}: {name}")
            differing += 1
            continue
        found = difference(before_dir / name, after_dir / name)
        print(f"{'KHÁC' if found else 'GIỐNG'}: {name}{f' ({found})' if found else ''}")
        differing += found is not None
    documents = sum(1 for name in before if name.suffix.lower() == ".docx")
    print(f"{len(before | after)} tệp ({documents} tệp .docx), {differing} khác.")
    return 1 if differing else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
