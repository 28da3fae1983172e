"""The documentation and the command line agree (in the spirit of sqlite-utils' tests/test_docs.py).

- Every command of ``cchc`` (the click group walked recursively) and every option of each is named in
  README.md or docs/*.md, and has help text. A command or option added later fails here until it is
  documented.
- Every command line the README shows, in a code block or in the "Lệnh" column of its tables, runs as
  written: split as a shell splits it, globs expanded as a shell expands them, in a fresh copy of the
  repository's data and templates. It exits 0, and where the README shows its result ("… → một triệu …")
  it prints exactly that. A line that uses what another README line makes (the workbook ``mau-excel``
  writes, a rendered report) runs after that line, in the same copy: see ``NEEDS``.
- Every other ``cchc …`` the README names in running text names a real command with real options.
"""

from __future__ import annotations

import glob
import re
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from cchc_gen.cli import main
from tests.conftest import ROOT

README = ROOT / "README.md"
DOCS = [README, *sorted((ROOT / "docs").glob("*.md"))]

# README lines that use what an earlier README line makes, with that line.
RENDER_DUC_THO = "cchc render data/2026-9T/ht-duc-tho.yaml"
NEEDS = {
    "cchc render data/2026/ht-duc-tho.xlsx": "cchc mau-excel ht-duc-tho 2026",
    "cchc nhap-excel-thu-thap thu-thap-ht-2026-9T.xlsx": "cchc mau-excel-thu-thap ht 2026-9T",
    "cchc kiem-tra-the-thuc outputs/2026-9T/ht-duc-tho.docx": RENDER_DUC_THO,
    "cchc nhap-word outputs/2026-9T/ht-duc-tho.docx --ky-moi 2026": RENDER_DUC_THO,
}
PLACEHOLDER = re.compile(r"<[^<>]+>|…")


def walk(command: click.Command, path: tuple[str, ...] = ("cchc",)) -> Iterator[tuple[str, click.Command]]:
    yield " ".join(path), command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from walk(sub, (*path, name))


COMMANDS = dict(walk(main))


def options(command: click.Command) -> list[click.Option]:
    return [p for p in command.get_params(click.Context(command)) if isinstance(p, click.Option)]


def names(option: click.Option) -> list[str]:
    """The names a reader looks for: the long ones (``--output`` rather than ``-o``), else the short."""
    every = option.opts + option.secondary_opts
    return [name for name in every if name.startswith("--")] or every


def named(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


@pytest.fixture(scope="module")
def documentation() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in DOCS)


# --- every command and option is documented ---------------------------------------------------------------


@pytest.mark.parametrize("path", COMMANDS)
def test_every_command_is_documented(path: str, documentation: str) -> None:
    command = COMMANDS[path]
    assert (command.help or "").strip(), f"{path} has no help text"
    assert named(path, documentation), f"{path} is not named in README.md or docs/*.md"


@pytest.mark.parametrize(
    ("path", "name"),
    [
        pytest.param(path, name, id=f"{path} {name}")
        for path, command in COMMANDS.items()
        for option in options(command)
        for name in names(option)
    ],
)
def test_every_option_is_documented(path: str, name: str, documentation: str) -> None:
    option = next(o for o in options(COMMANDS[path]) if name in names(o))
    assert (option.help or "").strip(), f"{path} {name} has no help text"
    assert named(name, documentation), f"{path} {name} is not named in README.md or docs/*.md"


# --- the README's command lines -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A ``cchc …`` the README shows: ``line`` is its line in README.md, ``prints`` what it says it prints."""

    line: int
    command: str
    prints: str | None = None


SPAN = re.compile(r"`(cchc(?: [^`]*)?)`(?:\s*→\s*([^`]+?)\s*$)?")


def readme_commands() -> tuple[list[Shown], list[Shown]]:
    """The command lines the README shows (code blocks, the "Lệnh" column of tables), and its other
    mentions of commands (running text, other table columns)."""
    lines: list[Shown] = []
    mentions: list[Shown] = []
    fenced = False
    column: int | None = None  # the "Lệnh" column of the table being read (-1: a table without one)
    for number, text in enumerate(README.read_text(encoding="utf-8").splitlines(), start=1):
        if text.startswith("```"):
            fenced = not fenced
        elif fenced:
            if text.startswith("cchc "):
                lines.append(Shown(number, text.strip()))
        elif text.startswith("|"):
            cells = [cell.strip() for cell in text.strip().strip("|").split("|")]
            if column is None:
                column = cells.index("Lệnh") if "Lệnh" in cells else -1
            for index, cell in enumerate(cells):
                found = [Shown(number, m.group(1), m.group(2)) for m in SPAN.finditer(cell)]
                (lines if index == column else mentions).extend(found)
        else:
            column = None
            mentions.extend(Shown(number, m.group(1)) for m in SPAN.finditer(text))
    return lines, mentions


LINES, MENTIONS = readme_commands()


def run(command: str) -> Result:
    """``command`` as a shell would run it in the working folder: words split, globs expanded."""
    words: list[str] = []
    for word in shlex.split(command)[1:]:
        matches = sorted(glob.glob(word)) if glob.has_magic(word) else []
        words.extend(matches or [word])  # a pattern that matches nothing stays as it is, as in bash
    return CliRunner().invoke(main, words, prog_name="cchc")


@pytest.fixture
def repository_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("data", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.delenv("CCHC_TEMPLATES", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "shown",
    [
        pytest.param(shown, id=shown.command, marks=[pytest.mark.office] if "--pdf" in shown.command else [])
        for shown in LINES
    ],
)
def test_readme_command_runs_as_written(shown: Shown, repository_copy: Path) -> None:
    assert not PLACEHOLDER.search(shown.command), (
        f"README.md, line {shown.line}: {shown.command!r} cannot run as written; show a real example"
    )
    if shown.command in NEEDS:
        before = run(NEEDS[shown.command])
        assert before.exit_code == 0, before.output
    result = run(shown.command)
    assert result.exit_code == 0, f"README.md, line {shown.line}: {shown.command}\n{result.output}"
    if shown.prints is not None:
        assert result.stdout.strip() == shown.prints


def test_readme_shows_the_lines_it_depends_on() -> None:
    commands = {shown.command for shown in LINES}
    assert commands >= set(NEEDS) | set(NEEDS.values())


def resolve(command: str) -> list[str]:
    """What is wrong with a mention: words that are neither a command, nor an option of the command named
    before them, nor a value (any other word after a command that has no subcommands)."""
    current: click.Command = main
    wrong = []
    for word in shlex.split(command)[1:]:
        if word.startswith("-"):
            known = {name for option in options(current) for name in option.opts + option.secondary_opts}
            if word.split("=")[0] not in known:
                wrong.append(word)
        elif isinstance(current, click.Group):
            if word not in current.commands:
                wrong.append(word)
                break
            current = current.commands[word]
    return wrong


@pytest.mark.parametrize("shown", MENTIONS, ids=lambda shown: f"{shown.line}: {shown.command}")
def test_readme_mentions_real_commands(shown: Shown) -> None:
    assert resolve(shown.command) == [], f"README.md, line {shown.line}: {shown.command}"


def test_ci_runs_the_readme_test_command() -> None:
    """CI runs what the README tells a developer to run, from the venv on (CI installs only the Debian
    packages that are missing)."""
    shown = next(line for line in README.read_text(encoding="utf-8").splitlines() if "-m pytest" in line)
    command = shown[shown.index("python3 -m venv") :]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").replace("\\\n", " ")
    assert command in " ".join(ci.split())
