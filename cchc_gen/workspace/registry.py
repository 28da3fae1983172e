"""A new unit registry for the data folder, from a ``units.yaml`` or a registry workbook a maintainer
uploads.

The file is read and checked as every command reads the registry (:func:`load_registry`: every unit's
problems at once, each with its line; a workbook first by :mod:`cchc_gen.excel.registry`, each problem at
its cell, then written as ``units.yaml``), and against the units that must stay (those the workspace has
logins or reports for). Only a registry without problems replaces the data folder's: it is written beside
it and renamed over it, so that no reader ever sees half of it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from cchc_gen.errors import DataError, Problem, excerpt
from cchc_gen.excel.registry import read_registry_workbook, registry_yaml
from cchc_gen.model.report import Unit
from cchc_gen.source.loading import REGISTRY_FILE, load_registry
from cchc_gen.source.safety import read_input

MAX_REGISTRY_BYTES = 2 * 1024 * 1024


def replace_registry(
    data_dir: Path, uploaded: Path, shown_name: str, keep: Collection[str] = ()
) -> dict[str, Unit]:
    """Make the registry file ``uploaded`` (named ``shown_name`` in messages; a workbook when that name
    ends in .xlsx) the registry of ``data_dir``, if it has no problem and still has every unit of
    ``keep``; returns its units. A :class:`~cchc_gen.errors.DataError` with every problem found otherwise,
    the registry unchanged."""
    if shown_name.lower().endswith(".xlsx"):
        try:
            content = registry_yaml(read_registry_workbook(uploaded)).encode("utf-8")
        except DataError as exc:
            raise DataError([_named(p, uploaded, shown_name) for p in exc.problems]) from None
    else:
        content = read_input(uploaded, "danh mục đơn vị", MAX_REGISTRY_BYTES)
    handle, name = tempfile.mkstemp(prefix=f".{REGISTRY_FILE}.", suffix=".yaml", dir=data_dir)
    staged = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        try:
            units = load_registry(staged)
        except DataError as exc:
            raise DataError([_named(p, staged, shown_name) for p in exc.problems]) from None
        missing = [code for code in keep if code not in units]
        if missing:
            raise DataError(
                [
                    Problem(
                        f"Danh mục mới không còn đơn vị '{excerpt(code)}', đơn vị đang có tài khoản hoặc "
                        "báo cáo trong ứng dụng.",
                        Path(shown_name),
                        fix=f"Giữ đơn vị '{excerpt(code)}' (cùng mã) trong danh mục, rồi tải lên lại.",
                    )
                    for code in missing
                ]
            )
        os.chmod(staged, 0o644)
        os.replace(staged, data_dir / REGISTRY_FILE)
        return units
    finally:
        staged.unlink(missing_ok=True)


def _named(problem: Problem, read: Path, shown_name: str) -> Problem:
    """The problem as it is in the uploaded file, not in the copy that was ``read``."""
    return replace(problem, file=Path(shown_name)) if problem.file in (read, None) else problem
