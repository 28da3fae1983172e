"""cchc_gen: Vietnamese administrative reform reports (BÁO CÁO CCHC) laid out per Nghị định 30/2020/NĐ-CP.

The public API is what ``__all__`` lists: one function per ``cchc`` command (:mod:`cchc_gen.api`), the
results they return, and the errors they raise for a user to fix. The command line, and any other front
end, calls these; everything else is the library's inside and may change.

Only the errors are imported with the package: every other name is imported the first time it is used
(PEP 562), so that ``cchc --help`` or ``cchc doc-so`` does not pay for Word, Excel and the data model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cchc_gen.errors import (
    BatchError,
    CchcError,
    CheckFailed,
    DataError,
    FormatCheckFailed,
    IncompleteRollup,
    OutputError,
    Problem,
    Severity,
    TemplateProblem,
    format_check,
    shown,
)
from cchc_gen.lazy import lazy_names

if TYPE_CHECKING:
    from cchc_gen.api import (
        DemoAccount,
        FilesChecked,
        Opened,
        Rendered,
        Settings,
        StoreImport,
        check_files,
        check_format,
        check_profile,
        collection_workbook,
        configure,
        convert,
        create_account,
        data_files_in,
        import_collection,
        import_into_store,
        import_word,
        new_profile,
        render_report,
        render_reports,
        reset_password,
        roll_up,
        run_batch,
        serve,
        spell_out,
        template_fields,
        unit_workbook,
    )
    from cchc_gen.excel.collect import Imported
    from cchc_gen.maintain.fields import FieldUse
    from cchc_gen.nd30.check import FormatCheckRun
    from cchc_gen.runs.batch import BatchReport, Progress, Status
    from cchc_gen.runs.rollup import Rollup, UnitStatus
    from cchc_gen.source.word import WordImported

# The module each name of the public API comes from, for the names imported when first used.
_LAZY = {
    "DemoAccount": "cchc_gen.api",
    "FilesChecked": "cchc_gen.api",
    "Opened": "cchc_gen.api",
    "Rendered": "cchc_gen.api",
    "Settings": "cchc_gen.api",
    "StoreImport": "cchc_gen.api",
    "check_files": "cchc_gen.api",
    "check_format": "cchc_gen.api",
    "check_profile": "cchc_gen.api",
    "collection_workbook": "cchc_gen.api",
    "configure": "cchc_gen.api",
    "convert": "cchc_gen.api",
    "create_account": "cchc_gen.api",
    "data_files_in": "cchc_gen.api",
    "import_collection": "cchc_gen.api",
    "import_into_store": "cchc_gen.api",
    "import_word": "cchc_gen.api",
    "new_profile": "cchc_gen.api",
    "render_report": "cchc_gen.api",
    "render_reports": "cchc_gen.api",
    "reset_password": "cchc_gen.api",
    "roll_up": "cchc_gen.api",
    "run_batch": "cchc_gen.api",
    "serve": "cchc_gen.api",
    "spell_out": "cchc_gen.api",
    "template_fields": "cchc_gen.api",
    "unit_workbook": "cchc_gen.api",
    "Imported": "cchc_gen.excel.collect",
    "FieldUse": "cchc_gen.maintain.fields",
    "FormatCheckRun": "cchc_gen.nd30.check",
    "BatchReport": "cchc_gen.runs.batch",
    "Progress": "cchc_gen.runs.batch",
    "Status": "cchc_gen.runs.batch",
    "Rollup": "cchc_gen.runs.rollup",
    "UnitStatus": "cchc_gen.runs.rollup",
    "WordImported": "cchc_gen.source.word",
}


__getattr__ = lazy_names(globals(), _LAZY)


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "BatchError",
    "BatchReport",
    "CchcError",
    "CheckFailed",
    "DataError",
    "DemoAccount",
    "FieldUse",
    "FilesChecked",
    "FormatCheckFailed",
    "FormatCheckRun",
    "Imported",
    "IncompleteRollup",
    "Opened",
    "OutputError",
    "Problem",
    "Progress",
    "Rendered",
    "Rollup",
    "Settings",
    "Severity",
    "Status",
    "StoreImport",
    "TemplateProblem",
    "UnitStatus",
    "WordImported",
    "check_files",
    "check_format",
    "check_profile",
    "collection_workbook",
    "configure",
    "convert",
    "create_account",
    "data_files_in",
    "format_check",
    "import_collection",
    "import_into_store",
    "import_word",
    "new_profile",
    "render_report",
    "render_reports",
    "reset_password",
    "roll_up",
    "run_batch",
    "serve",
    "shown",
    "spell_out",
    "template_fields",
    "unit_workbook",
]
