"""The package as a whole (#15): what it ships, how its parts depend on one another, its public API, and
that it installs and runs anywhere: built as a wheel, installed into a fresh virtual environment, run from
an empty folder on a data file in a folder whose name has spaces and Vietnamese letters."""

from __future__ import annotations

import ast
import inspect
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

import cchc_gen
from cchc_gen import api
from cchc_gen.cli import main
from cchc_gen.paths import bundled_templates
from tests.conftest import ROOT

PACKAGE = ROOT / "cchc_gen"


def modules() -> dict[str, ast.Module]:
    """Every module of the package, parsed, by dotted name."""
    found = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(file.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        found[name] = ast.parse(file.read_text(encoding="utf-8"))
    return found


def imported(tree: ast.Module) -> set[str]:
    """The cchc_gen modules a module imports (``from cchc_gen import x`` counts as the package root)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {name for name in names if name.split(".")[0] == "cchc_gen"}


def test_every_package_is_listed_in_pyproject():
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "packages"
    ]
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in PACKAGE.rglob("__init__.py")}
    assert sorted(listed) == sorted(found | {"cchc_gen.templates"})


def test_the_bundled_profiles_are_the_checkout_s_templates_folder_in_an_editable_install():
    assert Path(cchc_gen.__file__).parent == PACKAGE, "the tests run on the checkout (pip install -e .)"
    assert bundled_templates() == ROOT / "templates"
    assert (bundled_templates() / "bao-cao-dinh-ky" / "profile.yaml").is_file()


STAGES = {"excel", "maintain", "model", "nd30", "render", "runs", "source", "paths", "workspace"}


def front_end(name: str) -> bool:
    """The command line and the web workspace: they call the public API, as any other front end."""
    return name in {"cchc_gen.cli", "cchc_gen.__main__"} or name.startswith("cchc_gen.web")


def test_nothing_imports_upward_from_the_api_or_the_front_ends():
    """The stages never import the facade (api) or a front end, nor the package root, which is the
    public API and imports every stage; of the rest, only the facade starts the web workspace (for
    cchc serve, nhap-kho, tai-khoan)."""
    top = {"cchc_gen", "cchc_gen.api", "cchc_gen.cli"}
    facades = {"cchc_gen", "cchc_gen.api"}
    inside = {name: tree for name, tree in modules().items() if name not in facades and not front_end(name)}
    upward = {name: sorted(imported(tree) & top) for name, tree in inside.items()}
    assert {name: found for name, found in upward.items() if found} == {}
    web = {name for name, tree in inside.items() if any(n.startswith("cchc_gen.web") for n in imported(tree))}
    assert web == set()


FRONT_ENDS = [
    "cchc_gen.cli",
    "cchc_gen.web.views",
    "cchc_gen.web.store",
    "cchc_gen.web.access",
    "cchc_gen.web.province",
    "cchc_gen.web.server",
]


@pytest.mark.parametrize("front", FRONT_ENDS)
def test_the_front_ends_use_the_public_api_and_no_stage(front):
    used = imported(modules()[front])
    assert {name for name in used if name.split(".")[1:2] and name.split(".")[1] in STAGES} == set()


def commands() -> dict[str, object]:
    found = {}
    for name, command in main.commands.items():
        for sub, leaf in getattr(command, "commands", {}).items():
            found[f"{name} {sub}"] = leaf.callback
        if not hasattr(command, "commands"):
            found[name] = command.callback
    return found


def test_every_command_calls_exactly_one_api_function():
    calls = {}
    for name, callback in commands().items():
        tree = ast.parse(inspect.getsource(callback))
        calls[name] = [
            node.func.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "api"
        ]
    assert len(calls) == 19
    assert {name: len(found) for name, found in calls.items()} == dict.fromkeys(calls, 1)


def test_the_public_api_lists_every_command_function_and_its_types():
    functions = {
        name for name, f in inspect.getmembers(api, inspect.isfunction) if f.__module__ == api.__name__
    }
    public = {name for name in functions if not name.startswith("_")}
    assert public <= set(cchc_gen.__all__)
    assert all(hasattr(cchc_gen, name) for name in cchc_gen.__all__)
    assert {"CchcError", "Problem", "Rendered", "BatchReport", "Rollup"} <= set(cchc_gen.__all__)


# --- installed from a wheel, run from anywhere -----------------------------------------------------------


def venv_python(venv: Path, program: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / program


def run(command: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_installed_from_a_wheel_it_runs_from_an_empty_folder(tmp_path):
    # The wheel is built from a copy of the working tree, so that the checkout is left as it was.
    source = tmp_path / "nguồn"
    for part in ("cchc_gen", "templates"):
        shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / part, source / part)
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            tmp_path,
            source,
        ],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("cchc_gen-*.whl")

    # A fresh environment; the package's dependencies are those of the project's environment, read through
    # a .pth file (not its own site folder, so that the checkout's editable install stays out of it).
    venv = tmp_path / "môi trường"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv_python(venv, "python")
    purelib = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path, {})
    (Path(purelib.stdout.strip()) / "cchc_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr

    empty = tmp_path / "thư mục trống"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "PYTHON"))}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "cài đặt")
    where = run(
        [python, "-c", "import cchc_gen.paths as p; print(p.__file__); print(p.bundled_templates())"],
        empty,
        env,
    )
    assert [Path(line).is_relative_to(venv) for line in where.stdout.splitlines()] == [True, True], (
        where.stdout
    )

    cchc = venv_python(venv, "cchc")
    checked = run([cchc, "template", "check", "bao-cao-dinh-ky"], empty, env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Đã kiểm tra 2 tệp: 0 lỗi" in checked.stdout

    folder = tmp_path / "Báo cáo 2026"
    folder.mkdir()
    shutil.copy(ROOT / "data" / "2026-9T" / "ht-duc-tho.yaml", folder)
    shutil.copy(ROOT / "data" / "units.yaml", folder)
    rendered = run([cchc, "render", folder / "ht-duc-tho.yaml"], empty, env)
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    [written] = shlex.split(rendered.stdout.strip().removeprefix("Đã tạo báo cáo: "))
    assert Path(written) == folder / "outputs" / "2026-9T" / "ht-duc-tho.docx"
    assert Path(written).is_file()
    assert not list(empty.iterdir())
