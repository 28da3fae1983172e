"""cchc_gen: Vietnamese administrative reform reports (BÁO CÁO CCHC) laid out per Nghị định 30/2020/NĐ-CP.

The public API is what ``__all__`` lists: one function per ``cchc`` command (:mod:`cchc_gen.api`), the
results they return, and the errors they raise for a user to fix. The command line, and any other front
end, calls these; everything else is the library's inside and may change.
"""

from cchc_gen.api import (
    FilesChecked,
    Rendered,
    Settings,
    check_files,
    check_format,
    check_profile,
    collection_workbook,
    configure,
    convert,
    data_files_in,
    import_collection,
    new_profile,
    render_report,
    render_reports,
    roll_up,
    run_batch,
    spell_out,
    template_fields,
    unit_workbook,
)
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
from cchc_gen.excel.collect import Imported
from cchc_gen.maintain.fields import FieldUse
from cchc_gen.nd30.check import FormatCheckRun
from cchc_gen.runs.batch import BatchReport, Progress, Status
from cchc_gen.runs.rollup import Rollup, UnitStatus

__all__ = [
    "BatchError",
    "BatchReport",
    "CchcError",
    "CheckFailed",
    "DataError",
    "FieldUse",
    "FilesChecked",
    "FormatCheckFailed",
    "FormatCheckRun",
    "Imported",
    "IncompleteRollup",
    "OutputError",
    "Problem",
    "Progress",
    "Rendered",
    "Rollup",
    "Settings",
    "Severity",
    "Status",
    "TemplateProblem",
    "UnitStatus",
    "check_files",
    "check_format",
    "check_profile",
    "collection_workbook",
    "configure",
    "convert",
    "data_files_in",
    "format_check",
    "import_collection",
    "new_profile",
    "render_report",
    "render_reports",
    "roll_up",
    "run_batch",
    "shown",
    "spell_out",
    "template_fields",
    "unit_workbook",
]
