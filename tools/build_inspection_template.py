"""Build templates/bao-cao-kiem-tra/template.docx, the inspection report's Word template.

The same Nghị định 30 layout as the default template (tools/build_default_template.py); its appendices
are only the tables the data gives (the findings of each inspected unit), since the inspection profile
has no indicator catalogue. As with the default, this script is the source of the bundled template.docx
(tests/test_template_sources.py checks it); a maintainer's own copy of the profile is edited in Word.

    python tools/build_inspection_template.py [output.docx]
"""

from __future__ import annotations

import sys
from pathlib import Path

from build_default_template import build

if __name__ == "__main__":
    build(
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path("templates/bao-cao-kiem-tra/template.docx"),
        title="Báo cáo kết quả kiểm tra cải cách hành chính",
        indicators=False,
    )
