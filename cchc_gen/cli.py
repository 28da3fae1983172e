"""Command line of cchc_gen: a thin layer over the library.

Each command parses its options and calls one library function. :class:`CchcGroup` is the one place
that turns errors into Vietnamese messages and exit codes: 0 done, 1 bad input or failed check,
2 wrong usage. Help, headings and click's own usage messages are shown in Vietnamese too.
"""

from __future__ import annotations

import re
import signal
import sys
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

import click

import cchc_gen
from cchc_gen import CchcError, DataError, api, format_check, shown
from cchc_gen.errors import excerpt, os_problem
from cchc_gen.vn.dates import DateParseError, parse_date

if TYPE_CHECKING:
    from cchc_gen import BatchReport, Opened, Progress, Rollup, StoreImport

_SECTIONS = {"Options": "Tùy chọn", "Commands": "Lệnh", "Arguments": "Tham số"}

# click's own messages (usage errors, and its checks of paths and numbers), in the words a clerk reads.
_CLICK_MESSAGES = [
    (re.compile(r"Missing argument '(.+?)\.*'\."), r"Thiếu tham số \1."),
    (re.compile(r"Missing option '(.+?)'\."), r"Thiếu tùy chọn \1."),
    (re.compile(r"Missing parameter:? '?([^'\s]+?)'?\.?$"), r"Thiếu tham số \1."),
    (re.compile(r"No such option '(.+?)'\."), r"Không có tùy chọn \1."),
    (re.compile(r"No such option: (\S+)"), r"Không có tùy chọn \1."),
    (re.compile(r"\(Possible options: (.+)\)"), r"(Các tùy chọn có thể dùng: \1)"),
    (re.compile(r"No such command '(.+)'\."), r"Không có lệnh '\1'."),
    (re.compile(r"Missing command\."), "Thiếu tên lệnh."),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), r"Thừa tham số: \1."),
    (re.compile(r"Option '(.+)' requires an argument\."), r"Tùy chọn \1 cần một giá trị."),
    (re.compile(r"Option '(.+)' requires (\d+) arguments\."), r"Tùy chọn \1 cần \2 giá trị."),
    (re.compile(r"Option '(.+)' does not take a value\."), r"Tùy chọn \1 không nhận giá trị nào."),
    (re.compile(r"Argument '(.+)' takes (\d+) values\."), r"Tham số \1 cần \2 giá trị."),
    (re.compile(r"Did you mean (.+)\?"), r"Có phải ý bạn là \1?"),
    (re.compile(r"Invalid value for (.+?): "), r"Giá trị không hợp lệ của \1: "),
    (re.compile(r"Invalid value: "), r"Giá trị không hợp lệ: "),
    (re.compile(r"(?:Directory|File|Path) (.+) does not exist\."), r"Không có \1."),
    (re.compile(r"(?:Directory|File|Path) (.+) is a directory\."), r"\1 là một thư mục, cần một tệp."),
    (re.compile(r"(?:Directory|File|Path) (.+) is a file\."), r"\1 là một tệp, cần một thư mục."),
    (re.compile(r"(?:Directory|File|Path) (.+) is not readable\."), r"Không có quyền đọc \1."),
    (re.compile(r"(?:Directory|File|Path) (.+) is not writable\."), r"Không có quyền ghi vào \1."),
    (re.compile(r"(?:Directory|File|Path) (.+) is not executable\."), r"Không có quyền chạy \1."),
    (re.compile(r"(.+) is not a valid (?:integer|float)(?: range)?\."), r"\1 không phải một số."),
    (re.compile(r"(.+) is not in the range (.+)\."), r"\1 nằm ngoài khoảng cho phép (\2)."),
    (re.compile(r"(.+) is not one of (.+)\."), r"\1 không phải một trong: \2."),
    (re.compile(r"Could not open file (.+?): "), r"Không mở được tệp \1: "),
]


# A word of more than an excerpt, without the quotes and the full stop around it.
_LONG_WORD = re.compile(r"""([^\s'"]{61,}?)([.,;:)]*)(?=[\s'"]|$)""")


def _in_vietnamese(message: str) -> str:
    # What was typed is quoted back, but not a page pasted as an argument (and the patterns below then
    # read a short line).
    message = _LONG_WORD.sub(lambda word: excerpt(word[1]) + word[2], message)
    for pattern, replacement in _CLICK_MESSAGES:
        message = pattern.sub(replacement, message)
    return message


class VietnameseHelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="Cách dùng: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_SECTIONS.get(heading, heading))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        # click's own words in option lists: type names and the [default: …] / [required] notes.
        super().write_dl(
            [(_replace_all(term, _METAVARS), _replace_all(text, _NOTES)) for term, text in rows],
            col_max,
            col_spacing,
        )


_METAVARS = {
    " DIRECTORY": " THƯ_MỤC",
    " FILE": " TỆP",
    " PATH": " ĐƯỜNG_DẪN",
    " TEXT": " CHỮ",
    " INTEGER RANGE": " SỐ",
    " INTEGER": " SỐ",
}
_NOTES = {"[default: ": "[mặc định: ", "[required]": "[bắt buộc]"}


def _replace_all(text: str, words: dict[str, str]) -> str:
    for old, new in words.items():
        text = text.replace(old, new)
    return text


class CchcContext(click.Context):
    formatter_class = VietnameseHelpFormatter


class CchcCommand(click.Command):
    context_class = CchcContext

    def __init__(self, *args: Any, **options: Any) -> None:
        options.setdefault("options_metavar", "[TÙY_CHỌN]")
        super().__init__(*args, **options)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Hiện hướng dẫn này rồi thoát."
        return option


class CchcGroup(CchcCommand, click.Group):
    """The one place that turns errors into messages and exit codes.

    A :class:`CchcError` from the library → its Vietnamese message, exit 1; wrong usage → exit 2. Python's
    warnings are not shown, except with --debug.
    """

    command_class = CchcCommand

    def __init__(self, *args: Any, **options: Any) -> None:
        options.setdefault("subcommand_metavar", "LỆNH [THAM_SỐ]...")
        super().__init__(*args, **options)

    # Narrower than click's: always standalone, since this is the one place that exits.
    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> NoReturn:
        debug = "--debug" in (sys.argv[1:] if args is None else list(args))
        try:
            with warnings.catch_warnings():
                if not debug:
                    # Python's warnings are notes to programmers, in English (openpyxl's on a clerk's odd
                    # cell, for one): what an officer must know comes as a message of cchc's own.
                    warnings.simplefilter("ignore")
                super().main(args, prog_name, standalone_mode=False, **extra)
        except CchcError as exc:
            if debug:
                raise
            click.secho("Lỗi:", fg="red", bold=True, err=True)
            click.echo(str(exc), err=True)
            sys.exit(1)
        except click.UsageError as exc:
            message = exc.format_message()
            if exc.ctx is not None and message == exc.ctx.get_help():  # a group run without a command
                click.echo(message, err=True)
                sys.exit(2)
            if exc.ctx is not None:
                click.echo(exc.ctx.get_usage(), err=True)
            command = exc.ctx.command_path if exc.ctx is not None else "cchc"
            click.echo(f"Xem '{command} --help' để biết cách dùng.", err=True)
            click.echo(f"\nLỗi: {_in_vietnamese(message)}", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            click.secho("Lỗi:", fg="red", bold=True, err=True)
            click.echo(_in_vietnamese(exc.format_message()), err=True)
            sys.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt):
            click.echo("Đã dừng.", err=True)
            sys.exit(1)
        except MemoryError:
            if debug:
                raise
            click.secho("Lỗi:", fg="red", bold=True, err=True)
            click.echo("Không đủ bộ nhớ để xử lý các tệp đã đưa vào.", err=True)
            click.echo(
                "  Cách sửa: kiểm tra đã đưa đúng tệp chưa (tệp dữ liệu, mẫu Word, bảng tính quá lớn?), đóng "
                "bớt chương trình khác rồi chạy lại.",
                err=True,
            )
            sys.exit(1)
        except OSError as exc:
            if debug:
                raise
            click.secho("Lỗi:", fg="red", bold=True, err=True)
            click.echo(str(os_problem(exc)), err=True)
            sys.exit(1)
        except Exception as exc:
            # Whatever the library did not foresee still reaches the clerk as a sentence, not a traceback.
            if debug:
                raise
            click.secho("Lỗi không mong đợi:", fg="red", bold=True, err=True)
            click.echo(f"{type(exc).__name__}: {exc}", err=True)
            click.echo(
                "  Cách sửa: chạy lại với 'cchc --debug ...' và gửi toàn bộ thông báo cho người bảo trì.",
                err=True,
            )
            sys.exit(1)
        sys.exit(0)


@click.group(cls=CchcGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cchc-gen", message="cchc %(version)s", help="Hiện phiên bản rồi thoát.")
@click.option(
    "--debug", is_flag=True, help="Hiện đầy đủ chi tiết kỹ thuật: traceback khi có lỗi, cảnh báo của Python."
)
def main(debug: bool) -> None:
    """Tạo báo cáo cải cách hành chính (CCHC) đúng thể thức Nghị định 30/2020/NĐ-CP."""


# Shared by the commands that read the data folder (registry and period folders).
_DATA_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False),
    show_default="biến môi trường CCHC_DATA, thư mục data/ ở đây, hoặc thư mục đặt bằng cchc cau-hinh",
    help="Thư mục dữ liệu: có units.yaml và các thư mục kỳ.",
)


def _templates_option(exists: bool = True) -> Any:
    """``--templates``, shared by the commands that use a profile."""
    return click.option(
        "--templates",
        type=click.Path(path_type=Path, file_okay=False, exists=exists),
        show_default="biến môi trường CCHC_TEMPLATES, hoặc thư mục templates/ ở đây",
        help="Thư mục bộ mẫu của bạn: bộ mẫu ở đây được dùng trước các bộ mẫu có sẵn trong chương trình.",
    )


_TEMPLATES_OPTION = _templates_option()


@main.command("render")
@click.argument(
    "data_files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="TỆP_DỮ_LIỆU..."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Tệp .docx cần ghi, khi chỉ có một tệp dữ liệu (mặc định: outputs/<kỳ>/<mã đơn vị>.docx).",
)
@click.option("--pdf", is_flag=True, help="Tạo thêm bản PDF bên cạnh mỗi tệp .docx (cần LibreOffice).")
@_DATA_OPTION
@_TEMPLATES_OPTION
def render_command(
    data_files: tuple[Path, ...],
    output: Path | None,
    pdf: bool,
    data_dir: Path | None,
    templates: Path | None,
) -> None:
    """Tạo báo cáo .docx từ tệp dữ liệu (YAML hoặc Excel) của một đơn vị cho một kỳ.

    Danh mục đơn vị là units.yaml cạnh tệp dữ liệu hoặc ở thư mục cha, hoặc trong thư mục dữ liệu. Báo cáo
    ghi vào outputs/<kỳ>/<mã đơn vị>.docx: thư mục outputs/ cạnh thư mục dữ liệu tên data, hoặc bên trong
    thư mục có units.yaml.

    Có thể đưa nhiều tệp cùng lúc, ví dụ: cchc render data/2026-9T/*.yaml
    """
    if output is not None and len(data_files) > 1:
        raise click.UsageError("Tùy chọn -o chỉ dùng khi tạo một báo cáo.")
    result = api.render_reports(list(data_files), output, pdf, data_dir=data_dir, templates=templates)
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    for written in result.written:
        click.echo(f"Đã tạo báo cáo: {shown(written)}")


@main.command("kiem-tra")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="TỆP_HOẶC_THƯ_MỤC")
@_DATA_OPTION
@_TEMPLATES_OPTION
def check_command(paths: tuple[Path, ...], data_dir: Path | None, templates: Path | None) -> None:
    """Kiểm tra tệp dữ liệu theo đề cương và quy tắc số liệu của bộ mẫu, không tạo báo cáo.

    Báo mọi lỗi và cảnh báo cùng lúc, theo từng tệp, kèm dòng và cách sửa. Kết thúc với mã 1 nếu có lỗi.
    Ví dụ: cchc kiem-tra data/2026-9T
    """
    result = api.check_files(list(paths), data_dir=data_dir, templates=templates)
    click.echo(format_check(result.warnings, result.checked))


@main.command("doc-so", context_settings={"ignore_unknown_options": True})
@click.argument("text", metavar="SỐ")
@click.option("--tien", is_flag=True, help="Đọc thành số tiền: viết hoa chữ đầu, thêm “đồng” ở cuối.")
@click.option("--chan", is_flag=True, help="Thêm “chẵn” sau “đồng” (đã gồm --tien).")
@click.option("--le", is_flag=True, help="Đọc “lẻ” thay cho “linh” (105: một trăm lẻ năm).")
@click.option("--tu", is_flag=True, help="Số 4 sau “mươi” đọc là “tư” (24: hai mươi tư).")
@click.option("--ngan", is_flag=True, help="Hàng nghìn đọc là “ngàn” (15.000: mười lăm ngàn).")
def doc_so_command(text: str, tien: bool, chan: bool, le: bool, tu: bool, ngan: bool) -> None:
    """Đọc một số thành chữ theo lối viết “Bằng chữ” của văn bản hành chính.

    SỐ viết theo kiểu Việt Nam: dấu chấm ngăn cách hàng nghìn, dấu phẩy trước phần thập phân.

    \b
    Ví dụ:
      cchc doc-so 1.050.000         → một triệu không trăm năm mươi nghìn
      cchc doc-so 47,37             → bốn mươi bảy phẩy ba mươi bảy
      cchc doc-so 30.000.000 --tien → Ba mươi triệu đồng
    """
    click.echo(api.spell_out(text, amount=tien, chan=chan, le=le, tu=tu, ngan=ngan))


class _BatchProgress:
    """A click progress bar for each stage of a batch: the library reports progress, the CLI draws it.

    click's bar rather than tqdm: click is already how the CLI talks to the user, its label is ours to
    write in Vietnamese, and it draws nothing but the label when the output is not a terminal (logs, CI).
    """

    _LABELS: ClassVar[dict[str, str]] = {"docx": "Tạo báo cáo .docx", "pdf": "Chuyển sang PDF"}

    def __init__(self) -> None:
        self.stage: str | None = None
        self.bar: Any = None

    def __call__(self, progress: Progress) -> None:
        if progress.stage != self.stage:
            self.close()
            self.stage = progress.stage
            self.bar = click.progressbar(
                length=progress.total,
                label=self._LABELS.get(progress.stage, progress.stage),
                show_pos=True,
                item_show_func=lambda unit: unit,
                file=sys.stderr,
            )
            self.bar.__enter__()
        self.bar.update(1, progress.unit)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def format_batch(report: BatchReport) -> str:
    """The summary of a batch: how many units were done, skipped and failed, and a row for each unit
    with something to say (every failure, with its reason)."""
    counts = {status: report.count(status) for status in cchc_gen.Status}
    pdfs = f"   PDF đã tạo: {report.pdfs_written}" if report.pdfs_written else ""
    lines = [
        f"Kỳ {report.period}, thư mục {shown(report.output_dir)}:",
        f"  Đã tạo: {counts[cchc_gen.Status.DONE]}   Bỏ qua (không đổi): {counts[cchc_gen.Status.SKIPPED]}   "
        f"Lỗi: {counts[cchc_gen.Status.FAILED]}{pdfs}",
    ]
    rows = list(report.notable.values())
    if rows:
        width = max(len("Đơn vị"), *(len(r.unit) for r in rows))
        lines += ["", f"  {'Đơn vị':<{width}}  {'Kết quả':<7}  Lý do"]
        lines += [f"  {r.unit:<{width}}  {r.status.value:<7}  {r.reason}" for r in rows]
    if report.missing:
        lines.append(f"\nĐơn vị trong danh mục chưa có dữ liệu kỳ {report.period}: {len(report.missing)}")
        lines += [f"  {problem.message}" for problem in report.missing]
    if report.warnings:
        lines.append(
            f"\nCó {report.warnings} cảnh báo trong dữ liệu; xem từng cảnh báo: cchc kiem-tra <thư mục kỳ>"
        )
    return "\n".join(lines)


@main.command("batch")
@click.argument(
    "data_dir", required=False, type=click.Path(path_type=Path, file_okay=False), metavar="[THƯ_MỤC_DỮ_LIỆU]"
)
@click.option(
    "--period",
    metavar="KỲ",
    help="Kỳ báo cáo, ví dụ 2026-9T (mặc định: kỳ mới nhất mà quá nửa số đơn vị đã có dữ liệu).",
)
@click.option(
    "--units",
    multiple=True,
    metavar="MÃ,...",
    help="Chỉ tạo cho các đơn vị này: mã đơn vị cách nhau bởi dấu phẩy, hoặc lặp lại tùy chọn.",
)
@click.option("--pdf", is_flag=True, help="Tạo thêm bản PDF (cần LibreOffice và gói python3-uno).")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Số tiến trình chạy song song (mặc định: số nhân CPU)."
)
@click.option(
    "--force",
    is_flag=True,
    help="Tạo lại mọi báo cáo, kể cả báo cáo không đổi và báo cáo đã sửa tay (chép bản đã sửa vào ban-cu/).",
)
@click.option(
    "--cho-phep-thieu",
    "allow_missing",
    is_flag=True,
    help="Không báo lỗi (mã 1) khi đơn vị trong danh mục chưa có dữ liệu kỳ này; vẫn nêu tên các đơn vị đó.",
)
@_TEMPLATES_OPTION
def batch_command(
    data_dir: Path | None,
    period: str | None,
    units: tuple[str, ...],
    pdf: bool,
    jobs: int | None,
    force: bool,
    allow_missing: bool,
    templates: Path | None,
) -> None:
    """Tạo báo cáo của mọi đơn vị có dữ liệu trong một kỳ, vào outputs/<kỳ>/<mã đơn vị>.docx.

    Dữ liệu của mỗi đơn vị là tệp <kỳ>/<mã đơn vị>.yaml hoặc bảng tính <kỳ>/<mã đơn vị>.xlsx (có cả hai thì
    đơn vị đó bị báo lỗi). Không có tham số: mọi đơn vị trong thư mục dữ liệu (biến môi trường CCHC_DATA,
    thư mục data/ ở đây, hoặc thư mục đặt bằng cchc cau-hinh), kỳ mới nhất. Thư mục outputs/ nằm cạnh thư
    mục dữ liệu tên data, hoặc bên trong thư mục dữ liệu có tên khác. Báo cáo đã tạo từ
    đúng dữ liệu hiện có thì bỏ qua, nên chạy lại sau khi bị dừng giữa chừng sẽ làm tiếp phần còn lại. Lỗi của
    một đơn vị không dừng các đơn vị khác; lệnh kết thúc với mã 1 nếu có đơn vị lỗi.

    Không chọn --units: lệnh nêu tên các đơn vị trong danh mục (cùng cấp trên với các đơn vị có dữ liệu)
    chưa có dữ liệu kỳ này và kết thúc với mã 1, trừ khi có --cho-phep-thieu. Không có --period: kỳ mới nhất
    mà quá nửa số đơn vị đã có dữ liệu (không phải kỳ mới nhất mà một đơn vị nào đó vừa bắt đầu).

    \b
    Ví dụ:
      cchc batch
      cchc batch --period 2026-9T --units ht-duc-tho,ht-thanh-sen --pdf
    """
    codes = [code.strip() for value in units for code in value.split(",") if code.strip()]
    progress = _BatchProgress()
    # kill (SIGTERM) stops a batch as Ctrl-C does, so that no temporary file is left behind.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        report = api.run_batch(
            data_dir,
            period,
            codes or None,
            pdf_too=pdf,
            jobs=jobs,
            force=force,
            on_progress=progress,
            templates=templates,
        )
    finally:
        signal.signal(signal.SIGTERM, previous)
        progress.close()
    click.echo(format_batch(report))
    report.raise_for_problems(allow_missing)


def format_rollup(result: Rollup) -> str:
    """What a roll-up wrote, and how many units it counted."""
    lines = [f"Đã ghi dữ liệu tổng hợp: {shown(result.written)}"]
    if result.backup:
        lines.append(f"Bản cũ được giữ lại: {shown(result.backup)}")
    if result.chart:
        lines.append(f"Đã vẽ biểu đồ: {shown(result.chart)}")
    included = result.count(cchc_gen.UnitStatus.INCLUDED)
    lines.append(f"Đã tổng hợp số liệu của {included}/{len(result.units)} đơn vị.")
    lines.append(f"Tạo báo cáo: cchc render {shown(result.written)}")
    return "\n".join(lines)


@main.command("tong-hop")
@click.argument("unit_code", metavar="MÃ_ĐƠN_VỊ")
@click.option("--period", metavar="KỲ", help="Kỳ báo cáo, ví dụ 2026-9T (bắt buộc).")
@_DATA_OPTION
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Tệp dữ liệu cần ghi (mặc định: <thư mục dữ liệu>/<kỳ>/<mã đơn vị>.yaml, hoặc bảng tính "
    "<mã đơn vị>.xlsx nếu đơn vị đã có); tệp .xlsx được ghi thành bảng tính.",
)
@click.option(
    "--han-nop",
    metavar="NGÀY",
    help="Hạn nộp báo cáo của các đơn vị, ví dụ 15/09/2026: báo cáo ký sau ngày này là nộp muộn.",
)
@click.option(
    "--bieu-do",
    is_flag=True,
    help="Vẽ biểu đồ tỷ lệ hồ sơ giải quyết đúng hạn của từng đơn vị (.png, cạnh tệp dữ liệu) và chèn vào "
    "mục kết quả của báo cáo.",
)
@click.option("--ghi-de", is_flag=True, help="Ghi đè tệp đã có; bản cũ được giữ lại thành tệp .bak.")
@_TEMPLATES_OPTION
def rollup_command(
    unit_code: str,
    period: str | None,
    data_dir: Path | None,
    output: Path | None,
    han_nop: str | None,
    bieu_do: bool,
    ghi_de: bool,
    templates: Path | None,
) -> None:
    """Tổng hợp số liệu của các đơn vị trực thuộc thành tệp dữ liệu báo cáo của đơn vị cấp trên.

    Đọc số liệu kỳ báo cáo (tệp .yaml hoặc bảng tính .xlsx) của mọi đơn vị có 'parent' là MÃ_ĐƠN_VỊ trong danh
    mục, kiểm tra từng đơn vị, rồi ghi tệp dữ liệu của cấp trên: số đếm được cộng, tỷ lệ được tính lại từ số
    đếm đã cộng, bảng số liệu từng đơn vị (Phụ lục II), các câu gợi ý cho từng mục, danh sách đơn vị chưa có
    số liệu, có lỗi hoặc nộp muộn; với --bieu-do, biểu đồ tỷ lệ đúng hạn của từng đơn vị (Biểu đồ 1) sau các
    câu về kết quả giải quyết hồ sơ. Tệp vẫn được ghi khi thiếu đơn vị, nhưng lệnh kết thúc với mã 1 và nêu
    tên các đơn vị đó. Tạo báo cáo từ tệp này bằng cchc render như mọi tệp dữ liệu khác.

    \b
    Ví dụ:
      cchc tong-hop ht --period 2026-9T
      cchc tong-hop ht --period 2026-9T --han-nop 15/09/2026 --bieu-do --ghi-de
    """
    if not period:
        raise click.UsageError("Thiếu tùy chọn --period (kỳ báo cáo, ví dụ 2026-9T).")
    try:
        deadline = parse_date(han_nop) if han_nop else None
    except DateParseError as exc:
        raise click.UsageError(f"Tùy chọn --han-nop: {exc}") from None
    result = api.roll_up(
        unit_code,
        period,
        data_dir=data_dir,
        output=output,
        overwrite=ghi_de,
        deadline=deadline,
        chart=bieu_do,
        templates=templates,
    )
    click.echo(format_rollup(result))
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    result.raise_for_problems()


@main.command("mau-excel")
@click.argument("unit_code", metavar="MÃ_ĐƠN_VỊ")
@click.argument("period", metavar="KỲ")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Tệp .xlsx cần ghi (mặc định: <thư mục dữ liệu>/<kỳ>/<mã đơn vị>.xlsx).",
)
@click.option(
    "--tu-ky-truoc",
    is_flag=True,
    help="Điền sẵn nội dung, Kính gửi, người ký… từ báo cáo kỳ trước của đơn vị; số liệu kỳ trước hiện ở "
    "một cột bên cạnh để đối chiếu.",
)
@_DATA_OPTION
@_TEMPLATES_OPTION
def excel_template_command(
    unit_code: str,
    period: str,
    output: Path | None,
    tu_ky_truoc: bool,
    data_dir: Path | None,
    templates: Path | None,
) -> None:
    """Tạo bảng tính Excel để công chức điền dữ liệu báo cáo của một đơn vị cho một kỳ.

    Bảng tính có các sheet Thông tin chung, Nội dung (đề cương của bộ mẫu), Số liệu (danh mục chỉ tiêu)
    và Hướng dẫn. Điền xong, tạo báo cáo bằng cchc render như với tệp YAML. Không ghi đè tệp đã có.

    \b
    Ví dụ:
      cchc mau-excel ht-duc-tho 2026
      cchc mau-excel ht-duc-tho 2026 --tu-ky-truoc -o duc-tho-2026.xlsx
    """
    made = api.unit_workbook(
        unit_code, period, output, from_previous=tu_ky_truoc, data_dir=data_dir, templates=templates
    )
    click.echo(f"Đã tạo bảng tính: {shown(made.path)}")
    click.echo(f"Điền xong thì kiểm tra: cchc kiem-tra {shown(made.path)}")
    if made.warnings:
        click.echo("Nội dung chép từ kỳ trước còn nhắc đến kỳ khác, xem lại:", err=True)
    for warning in made.warnings:
        click.echo(str(warning), err=True)


@main.command("chuyen-doi")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False), metavar="TỆP_VÀO")
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False), metavar="TỆP_RA")
@_DATA_OPTION
@_TEMPLATES_OPTION
def convert_command(source: Path, target: Path, data_dir: Path | None, templates: Path | None) -> None:
    """Chuyển tệp dữ liệu giữa YAML (.yaml) và bảng tính Excel (.xlsx), theo đuôi tên tệp.

    Hai tệp cho cùng một báo cáo. Không ghi đè tệp đã có.

    \b
    Ví dụ:
      cchc chuyen-doi data/2026-9T/ht-duc-tho.yaml ht-duc-tho.xlsx
      cchc chuyen-doi ht-duc-tho.xlsx ht-duc-tho.yaml
    """
    written = api.convert(source, target, data_dir=data_dir, templates=templates)
    click.echo(f"Đã chuyển thành: {shown(written)}")


@main.command("mau-excel-thu-thap")
@click.argument("parent_code", metavar="MÃ_ĐƠN_VỊ_CẤP_TRÊN")
@click.argument("period", metavar="KỲ")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Tệp .xlsx cần ghi (mặc định: thu-thap-<mã cấp trên>-<kỳ>.xlsx).",
)
@_DATA_OPTION
@_TEMPLATES_OPTION
def collection_template_command(
    parent_code: str, period: str, output: Path | None, data_dir: Path | None, templates: Path | None
) -> None:
    """Tạo bảng tính thu thập số liệu chỉ tiêu của mọi đơn vị trực thuộc, trên một sheet.

    Mỗi dòng một đơn vị (các đơn vị có 'parent' là MÃ_ĐƠN_VỊ_CẤP_TRÊN trong danh mục), mỗi cột một chỉ
    tiêu; số liệu đơn vị đã có trong tệp dữ liệu kỳ được điền sẵn. Điền xong, đưa số liệu vào tệp dữ liệu
    của từng đơn vị bằng cchc nhap-excel-thu-thap.

    \b
    Ví dụ:
      cchc mau-excel-thu-thap ht 2026-9T
    """
    written = api.collection_workbook(parent_code, period, output, data_dir=data_dir, templates=templates)
    click.echo(f"Đã tạo bảng tính thu thập số liệu: {shown(written)}")
    click.echo(f"Điền xong thì chạy: cchc nhap-excel-thu-thap {shown(written)}")


@main.command("nhap-excel-thu-thap")
@click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False), metavar="TỆP.xlsx")
@_DATA_OPTION
@_TEMPLATES_OPTION
def collection_import_command(workbook: Path, data_dir: Path | None, templates: Path | None) -> None:
    """Đưa số liệu của bảng tính thu thập vào tệp dữ liệu kỳ của từng đơn vị.

    Số liệu trên sheet thay cho số liệu trong tệp của đơn vị (ô để trống thì số liệu đó bị xóa). Mọi
    dòng được kiểm tra trước theo bộ mẫu; có lỗi thì không tệp nào bị sửa và lỗi ghi rõ sheet, ô. Tệp
    YAML giữ nguyên chú thích và các phần khác; đơn vị chưa có tệp thì được tạo bảng tính mới.

    \b
    Ví dụ:
      cchc nhap-excel-thu-thap thu-thap-ht-2026-9T.xlsx
    """
    result = api.import_collection(workbook, data_dir=data_dir, templates=templates)
    for written in result.updated:
        click.echo(f"Đã cập nhật số liệu: {shown(written)}")
    for written in result.created:
        click.echo(f"Đã tạo tệp dữ liệu mới: {shown(written)}")
    click.echo(f"Không đổi: {len(result.unchanged)} tệp.")
    for warning in result.warnings:
        click.echo(str(warning), err=True)


@main.command("nhap-word")
@click.argument("docx", type=click.Path(path_type=Path, dir_okay=False), metavar="BÁO_CÁO.docx")
@click.option(
    "--unit",
    metavar="MÃ",
    help="Mã đơn vị (mặc định: đơn vị trong danh mục có tên cơ quan ban hành như báo cáo).",
)
@click.option(
    "--period", metavar="KỲ", help="Kỳ của báo cáo, ví dụ 2023-Q1 (mặc định: kỳ ghi trong trích yếu)."
)
@click.option(
    "--ky-moi",
    metavar="KỲ",
    help="Bắt đầu kỳ mới KỲ từ báo cáo này (như mau-excel --tu-ky-truoc): để trống số, ngày, số liệu, trích "
    "yếu và câu kết, giữ nội dung, chỉ ra các chỗ còn nhắc kỳ cũ.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Tệp dữ liệu cần ghi, .yaml hoặc bảng tính .xlsx (mặc định: <thư mục dữ liệu>/<kỳ>/<mã đơn "
    "vị>.yaml).",
)
@_DATA_OPTION
@_TEMPLATES_OPTION
def word_import_command(
    docx: Path,
    unit: str | None,
    period: str | None,
    ky_moi: str | None,
    output: Path | None,
    data_dir: Path | None,
    templates: Path | None,
) -> None:
    """Đọc báo cáo Word (.docx) soạn tay của kỳ trước thành tệp dữ liệu (YAML hoặc Excel) để khỏi gõ lại.

    Nhận ra phần đầu (bảng hoặc các dòng căn bằng Tab), BÁO CÁO và trích yếu, Kính gửi, các mục theo số thứ
    tự gõ tay hoặc đánh số tự động của Word, danh sách "-" và "+", bảng, ảnh, câu kết, Nơi nhận, chữ ký và
    phụ lục số liệu (khớp với danh mục chỉ tiêu của bộ mẫu). Phần nào không xếp được vào đâu vẫn được giữ lại
    và được báo kèm vị trí trong tệp Word (đoạn, bảng, ô). Đơn vị chưa có trong danh mục thì in ra mục danh
    mục đề xuất để dán vào units.yaml. Không ghi đè tệp đã có.

    \b
    Ví dụ:
      cchc nhap-word "Báo cáo CCHC quý I.docx"
      cchc nhap-word bao-cao-2025.docx --ky-moi 2026 --unit ht-duc-tho
    """
    result = api.import_word(
        docx,
        unit=unit,
        period=period,
        new_period=ky_moi,
        output=output,
        data_dir=data_dir,
        templates=templates,
    )
    for problem in result.problems:
        click.echo(str(problem), err=True)
    click.echo(
        f"Đã tạo tệp dữ liệu: {shown(result.written)} (đơn vị {result.unit}, kỳ {result.period}, "
        f"bộ mẫu {result.profile})"
    )
    for picture in result.pictures:
        click.echo(f"Đã lưu ảnh: {shown(picture)}")
    if result.problems:
        errors = result.errors
        click.echo(
            f"Có {len(result.problems)} điều cần xem lại ({errors} lỗi, {len(result.problems) - errors} cảnh "
            "báo), kèm vị trí trong tệp Word (in ở trên)."
        )
    if result.unit_entry is not None:
        where = (
            "Dán các dòng sau vào dưới 'units:' của danh mục"
            if result.registry.is_file()
            else f"Chưa có tệp danh mục: tạo tệp {shown(result.registry)} có dòng đầu 'units:' rồi dán "
            "các dòng sau vào dưới"
        )
        click.echo(f"\nĐơn vị chưa có trong danh mục {shown(result.registry)}. {where} (sửa lại nếu cần):\n")
        click.echo(result.unit_entry)
    click.echo(f"Kiểm tra dữ liệu: cchc kiem-tra {shown(result.written)}")
    click.echo(f"Tạo báo cáo: cchc render {shown(result.written)}")


@main.group("template", cls=CchcGroup)
def template_group() -> None:
    """Bộ mẫu báo cáo (cho người bảo trì mẫu): sao chép, xem các trường, kiểm tra.

    Hướng dẫn từng bước: docs/huong-dan-bao-tri-mau.md
    """


@template_group.command("new")
@click.argument("new", metavar="TÊN_MỚI")
@click.option(
    "--from", "source", required=True, metavar="BỘ_MẪU", help="Bộ mẫu để sao chép, ví dụ bao-cao-dinh-ky."
)
@click.option(
    "--valid-from",
    metavar="NGÀY",
    help="Ngày bộ mẫu mới bắt đầu áp dụng (ví dụ 01/07/2025): từ kỳ có ngày cuối kỳ không trước ngày này, "
    "báo cáo không ghi bộ mẫu sẽ dùng bộ mẫu mới. Bỏ trống thì chỉ dùng khi tệp dữ liệu ghi tên bộ mẫu.",
)
@_templates_option(exists=False)
def template_new_command(new: str, source: str, valid_from: str | None, templates: Path | None) -> None:
    """Tạo bộ mẫu mới TÊN_MỚI bằng cách sao chép một bộ mẫu có sẵn (mẫu Word, profile.yaml, README).

    Bộ mẫu mới nằm trong thư mục bộ mẫu của bạn (--templates, biến môi trường CCHC_TEMPLATES, hoặc thư
    mục templates/ ở thư mục đang làm việc, được tạo nếu chưa có).

    \b
    Ví dụ:
      cchc template new bao-cao-dinh-ky-2025 --from bao-cao-dinh-ky --valid-from 01/07/2025
    """
    folder = api.new_profile(new, source, valid_from, templates=templates)
    click.echo(f"Đã tạo bộ mẫu {new}: {shown(folder)}")
    click.echo(f"Sửa template.docx bằng Word và profile.yaml, rồi kiểm tra: cchc template check {new}")


@template_group.command("fields")
@click.argument("profile", metavar="BỘ_MẪU")
@_TEMPLATES_OPTION
def template_fields_command(profile: str, templates: Path | None) -> None:
    """Liệt kê mọi trường mà bộ mẫu dùng và chỗ dùng từng trường.

    Trường viết theo cấp: unit.name; '[]' là từng mục của một danh sách (body[].text là trường text của
    mỗi đoạn trong body: biến vòng lặp được thay bằng danh sách nó lặp qua). Chỗ dùng là số đoạn, hoặc
    bảng, dòng, ô của mẫu Word, kèm chữ của đoạn đó; hoặc dòng của profile.yaml.
    """
    for use in api.template_fields(profile, templates=templates):
        click.echo(use.path)
        for place in use.places:
            click.echo(f"    {place}")


@template_group.command("check")
@click.argument("profile", metavar="BỘ_MẪU")
@_TEMPLATES_OPTION
def template_check_command(profile: str, templates: Path | None) -> None:
    """Kiểm tra bộ mẫu: mẫu Word và profile.yaml, báo mọi lỗi cùng lúc kèm chỗ và cách sửa.

    Tìm: lỗi cú pháp thẻ, thẻ bị Word tách hỏng hoặc có dấu nháy cong, dùng sai {%p %} {%tr %} {%tc %},
    bộ lọc không có, trường chương trình không cung cấp, mục đề cương và chỉ tiêu không được in, số thứ
    tự gõ tay, lỗi của profile.yaml. Kết thúc với mã 1 nếu có lỗi.
    """
    warnings = api.check_profile(profile, templates=templates)
    click.echo(format_check(warnings, 2))


@main.command("kiem-tra-the-thuc")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="TỆP.docx...")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON cho các công cụ khác.")
def format_check_command(files: tuple[Path, ...], as_json: bool) -> None:
    """Kiểm tra thể thức tệp Word (.docx) theo Nghị định 30/2020/NĐ-CP, Phụ lục I.

    Dùng cho mọi tệp .docx, do cchc tạo hay soạn tay: khổ giấy, lề, phông chữ, Quốc hiệu, Tiêu ngữ, tên
    cơ quan và các đường kẻ, số và ký hiệu, địa danh và ngày tháng, tên loại và trích yếu, Kính gửi, nội
    dung (canh lề, lùi dòng, giãn dòng, số thứ tự đề mục), dấu “./.”, Nơi nhận, chữ ký, số trang, phụ lục.
    Chú thích hình, biểu đồ, bảng (“Biểu đồ 1. …” ngay dưới hình hoặc “Bảng 1. …” ngay trên bảng) canh
    giữa, không lùi đầu dòng, theo thông lệ trình bày.

    Mỗi lỗi ghi mã quy tắc, điều tìm thấy, điều cần có, mục của Nghị định và vị trí (đoạn, bảng, ô).
    Cảnh báo (độ dài đường kẻ ước tính, chú thích…) không làm lệnh thất bại. Kết thúc với mã 1 nếu có lỗi.

    \b
    Ví dụ:
      cchc kiem-tra-the-thuc outputs/2026-9T/*.docx
      cchc kiem-tra-the-thuc bao-cao.docx --json
    """
    result = api.check_format(list(files))
    click.echo(result.to_json() if as_json else result.to_text())
    result.raise_for_errors()


@main.command("cau-hinh")
@click.option(
    "--thu-muc-du-lieu",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    metavar="THƯ_MỤC",
    help="Đặt thư mục dữ liệu (có units.yaml) để chạy cchc từ bất kỳ thư mục nào.",
)
@click.option("--bo-thu-muc-du-lieu", "forget", is_flag=True, help="Bỏ thư mục dữ liệu đã đặt.")
def settings_command(data_dir: Path | None, forget: bool) -> None:
    """Xem và đặt cài đặt của cchc: thư mục dữ liệu dùng khi không có --data.

    Thư mục dữ liệu được tìm theo thứ tự: tùy chọn --data, biến môi trường CCHC_DATA, thư mục data/ có
    units.yaml ở thư mục đang làm việc, thư mục đặt bằng lệnh này. Bộ mẫu được tìm trong thư mục bộ mẫu của
    bạn (--templates, biến môi trường CCHC_TEMPLATES, hoặc thư mục templates/ ở thư mục đang làm việc) rồi
    trong các bộ mẫu có sẵn của chương trình.

    \b
    Ví dụ:
      cchc cau-hinh
      cchc cau-hinh --thu-muc-du-lieu "/home/lan/Báo cáo CCHC/data"
      cchc cau-hinh --thu-muc-du-lieu "D:\\Báo cáo CCHC\\data"
    """
    if data_dir is not None and forget:
        raise click.UsageError("Chỉ dùng một trong hai tùy chọn --thu-muc-du-lieu và --bo-thu-muc-du-lieu.")
    settings = api.configure(data_dir, forget_data=forget)
    if data_dir is not None:
        click.echo(f"Đã đặt thư mục dữ liệu: {shown(settings.configured_data or data_dir)}")
    elif forget:
        click.echo("Đã bỏ thư mục dữ liệu đã đặt.")
    configured = shown(settings.configured_data) if settings.configured_data else "(chưa đặt)"
    click.echo(f"Tệp cài đặt: {shown(settings.file)}")
    click.echo(f"Thư mục dữ liệu đã đặt: {configured}")
    click.echo(f"Thư mục dữ liệu đang dùng: {shown(settings.data.folder)} (theo {settings.data.chosen_by})")
    click.echo(f"Bộ mẫu tìm trong: {', rồi '.join(shown(folder) for folder in settings.templates)}")


def format_import(imported: StoreImport) -> str:
    """What an import of period files into the web workspace's store did."""
    return (
        f"Đã nhập vào kho: {imported.created} báo cáo mới, {imported.updated} báo cáo có phiên bản mới, "
        f"{imported.unchanged} báo cáo không đổi."
    )


def _show_opened(opened: Opened) -> None:
    """What the first start of a fresh store did: the period files imported, the demo logins."""
    if opened.imported is not None:
        click.echo(format_import(opened.imported))
        for problem in opened.imported.problems:
            click.echo(f"[bỏ qua] {problem}", err=True)
    if opened.demo:
        click.secho("TÀI KHOẢN DÙNG THỬ (chỉ để thử; đổi mật khẩu hoặc xóa trước khi dùng thật):", bold=True)
        width = max(len(account.username) for account in opened.demo)
        for account in opened.demo:
            click.echo(f"  {account.username:<{width}}  {account.password}  ({account.description})")
        if opened.demo_file is not None:
            click.echo(f"  (cũng ghi trong {shown(opened.demo_file)})")


def _show_address(address: str) -> None:
    click.echo(f"Ứng dụng đang chạy tại: {address}")
    click.echo("Mở địa chỉ này bằng trình duyệt. Dừng: Ctrl+C.")
    sys.stdout.flush()


@main.command("serve")
@_DATA_OPTION
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Địa chỉ nhận kết nối: 127.0.0.1 chỉ máy này; 0.0.0.0 mọi máy trong mạng nội bộ.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Cổng (0: một cổng còn trống bất kỳ).",
)
@click.option(
    "--https",
    "behind_proxy",
    is_flag=True,
    help="Chạy sau máy chủ trung gian HTTPS (nginx, IIS…) trên cùng máy: cookie chỉ gửi qua HTTPS, địa chỉ "
    "người dùng lấy từ máy chủ trung gian.",
)
def serve_command(data_dir: Path | None, host: str, port: int, behind_proxy: bool) -> None:
    """Chạy ứng dụng web: công chức soạn, kiểm tra, tải về và nộp báo cáo bằng trình duyệt.

    Kho dữ liệu mặc định là tệp SQLite trong <thư mục dữ liệu>/.cchc-web/ (PostgreSQL: đặt biến môi
    trường CCHC_DATABASE_URL). Lần chạy đầu với kho mới, các tệp dữ liệu kỳ được nhập vào kho và các tài
    khoản dùng thử được tạo, in ra cùng mật khẩu. Báo cáo lưu trong trình duyệt được ghi lại vào
    <kỳ>/<mã đơn vị>.yaml, nên cchc batch và cchc tong-hop thấy đúng bản đó.

    \b
    Ví dụ:
      cchc serve
      cchc serve --host 0.0.0.0 --port 8080
    """
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        api.serve(data_dir, host, port, https=behind_proxy, on_opened=_show_opened, on_ready=_show_address)
    except KeyboardInterrupt:
        click.echo("Đã dừng ứng dụng.")
    finally:
        signal.signal(signal.SIGTERM, previous)


@main.command("nhap-kho")
@_DATA_OPTION
def import_store_command(data_dir: Path | None) -> None:
    """Đưa các tệp dữ liệu kỳ (<kỳ>/<mã đơn vị>.yaml hoặc .xlsx) vào kho của ứng dụng web (cchc serve).

    Báo cáo chưa có trong kho được tạo; tệp khác phiên bản mới nhất trong kho thành phiên bản mới (các
    phiên bản cũ vẫn trong lịch sử). Tệp có lỗi được báo và bỏ qua; khi đó lệnh kết thúc với mã 1.

    \b
    Ví dụ:
      cchc nhap-kho
      cchc nhap-kho --data /srv/cchc/data
    """
    imported = api.import_into_store(data_dir)
    click.echo(format_import(imported))
    if imported.problems:
        raise DataError(imported.problems)


@main.group("tai-khoan", cls=CchcGroup)
def account_group() -> None:
    """Tài khoản đăng nhập ứng dụng web (cchc serve): tạo tài khoản, đặt lại mật khẩu."""


@account_group.command("tao")
@click.argument("username", metavar="TÊN_ĐĂNG_NHẬP")
@click.option(
    "--vai-tro",
    required=True,
    type=click.Choice(api.ACCOUNT_ROLES),
    help="cong-chuc: công chức, làm báo cáo của đơn vị mình; noi-vu: cán bộ Nội vụ, xem báo cáo của các "
    "đơn vị trực thuộc; quan-tri: quản trị, mọi báo cáo.",
)
@click.option("--don-vi", default="", metavar="MÃ_ĐƠN_VỊ", help="Mã đơn vị trong danh mục (trừ quản trị).")
@_DATA_OPTION
def account_create_command(username: str, vai_tro: str, don_vi: str, data_dir: Path | None) -> None:
    """Tạo tài khoản với mật khẩu ngẫu nhiên, in ra một lần để trao cho người dùng (người dùng đặt mật khẩu
    của mình ở lần đăng nhập đầu).

    \b
    Ví dụ:
      cchc tai-khoan tao nguyen.thi.lan --vai-tro cong-chuc --don-vi ht-duc-tho
    """
    password = api.create_account(username, vai_tro, don_vi, data_dir=data_dir)
    click.echo(f"Đã tạo tài khoản {username}. Mật khẩu (chỉ hiện lần này): {password}")


@account_group.command("dat-lai-mat-khau")
@click.argument("username", metavar="TÊN_ĐĂNG_NHẬP")
@_DATA_OPTION
def account_reset_command(username: str, data_dir: Path | None) -> None:
    """Đặt mật khẩu ngẫu nhiên mới cho tài khoản (mở khóa nếu bị khóa vì đăng nhập sai), in ra một lần;
    người dùng đặt lại mật khẩu của mình ở lần đăng nhập sau.

    \b
    Ví dụ:
      cchc tai-khoan dat-lai-mat-khau nguyen.thi.lan
    """
    password = api.reset_password(username, data_dir=data_dir)
    click.echo(f"Mật khẩu mới của {username} (chỉ hiện lần này): {password}")


if __name__ == "__main__":
    main()
