"""The environment files agree with each other, and the student tool strips solutions."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import notebook_tools  # noqa: E402

LOCK_PYTHONS = ("3.10", "3.11", "3.12", "3.13")


def lock_requirements() -> list:
    """Every line of requirements.lock as a ``packaging`` Requirement (name, ==version, marker)."""
    from packaging.requirements import Requirement

    reqs = []
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            req = Requirement(line)
            specs = list(req.specifier)
            assert len(specs) == 1 and specs[0].operator == "==", (
                f"requirements.lock: {line!r} is not an exact pin")
            reqs.append(req)
    return reqs


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins(environment: dict[str, str] | None = None) -> dict[str, str]:
    """The pins that apply in ``environment`` (a dict of marker variables; default: this Python)."""
    pins = {}
    for req in lock_requirements():
        if req.marker is None or req.marker.evaluate(environment):
            name = normalise(req.name)
            assert name not in pins, f"requirements.lock pins {name} twice for one environment"
            pins[name] = next(iter(req.specifier)).version
    return pins


SYSTEMS = {"linux": "Linux", "darwin": "Darwin", "win32": "Windows"}


def environment_for(python: str, sys_platform: str, machine: str) -> dict[str, str]:
    return {"python_version": python, "python_full_version": python + ".0",
            "sys_platform": sys_platform, "platform_machine": machine,
            "platform_system": SYSTEMS[sys_platform],
            "os_name": "nt" if sys_platform == "win32" else "posix",
            "implementation_name": "cpython", "platform_python_implementation": "CPython"}


PLATFORMS = [("linux", "x86_64"), ("linux", "aarch64"), ("darwin", "arm64"), ("win32", "AMD64")]


def test_lock_file_pins_the_course_stack_on_every_platform_and_python():
    for python in LOCK_PYTHONS:
        for sys_platform, machine in PLATFORMS:
            where = f"Python {python} on {sys_platform}/{machine}"
            pins = lock_pins(environment_for(python, sys_platform, machine))
            linux_x86 = (sys_platform, machine) == ("linux", "x86_64")
            tf = "tensorflow-cpu" if linux_x86 else "tensorflow"
            for name in (tf, "keras", "numpy", "pandas", "matplotlib", "jupyterlab",
                         "jupyter-book", "nbval", "pytest", "scikit-learn", "statsmodels",
                         "sphinx-exercise", "sphinxcontrib-bibtex"):
                assert name in pins, f"{name} is not pinned in requirements.lock for {where}"
            assert pins["jupyter-book"].startswith("1."), "the book engine is Jupyter Book 1"
            assert pins[tf].startswith("2.21"), f"the course is written for TF 2.21 ({where})"


def test_lock_file_pins_the_tested_versions_on_python_3_11_to_3_13():
    """The versions the committed outputs were made with, the same on 3.11, 3.12 and 3.13."""
    linux = [lock_pins(environment_for(py, "linux", "x86_64")) for py in ("3.11", "3.12", "3.13")]
    for name in ("tensorflow-cpu", "keras", "numpy", "pandas", "scipy", "matplotlib"):
        versions = {pins[name] for pins in linux}
        assert len(versions) == 1, f"{name}: the lock pins {versions} across Python 3.11-3.13"


def test_makefile_installs_the_lock_on_the_pythons_it_covers():
    makefile = (ROOT / "Makefile").read_text()
    line = next(ln for ln in makefile.splitlines() if ln.startswith("LOCK_PYTHONS"))
    assert tuple(line.split(":=")[1].split()) == LOCK_PYTHONS


def test_environment_yml_installs_the_lock_file_and_the_package():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps, "Binder runs Python 3.11, the version the outputs were made with"
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert pip_section == ["-r requirements.lock", "-e ."]


def installed_from() -> str | None:
    """What `make` installed this environment from (recorded in the venv), or None."""
    record = Path(sys.prefix) / ".lstm-lab-installed-from"
    return record.read_text().strip() if record.exists() else None


def test_installed_versions_match_the_lock_file():
    from importlib.metadata import PackageNotFoundError, version

    source = installed_from()
    if source != "requirements.lock":
        pytest.skip(f"this environment was installed from {source or 'somewhere other than make'}, "
                    "not from requirements.lock: its versions are not pinned")
    wrong = []
    for name, pinned in sorted(lock_pins().items()):
        try:
            found = version(name)
        except PackageNotFoundError:
            found = "missing"
        if found != pinned:
            wrong.append(f"{name}: installed {found}, lock {pinned}")
    assert not wrong, "installed versions differ from requirements.lock:\n" + "\n".join(wrong)


def test_student_copy_removes_solutions_and_outputs():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("```{exercise}\n:label: ex-x\nDo it.\n```"),
        nbformat.v4.new_markdown_cell("```{solution-start} ex-x\n:class: dropdown\n```"),
        nbformat.v4.new_code_cell("answer = 42\nassert answer == 42"),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```"),
        nbformat.v4.new_code_cell("print('kept')", execution_count=3,
                                  outputs=[nbformat.v4.new_output("stream", text="kept\n")]),
    ]
    out = notebook_tools.student_copy(nb)
    sources = [c.source for c in out.cells]
    assert "answer = 42" not in "".join(sources)
    assert "# Your solution here\n" in sources
    assert out.cells[-1].outputs == [] and out.cells[-1].execution_count is None
    assert len(nb.cells) == 5, "the original notebook is not modified"


def test_student_copy_rejects_unbalanced_solution():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("```{solution-start} ex-x\n```")]
    try:
        notebook_tools.student_copy(nb)
    except ValueError as err:
        assert "solution-end" in str(err)
    else:
        raise AssertionError("unbalanced solution was accepted")


def test_check_markers_become_tags():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(1)"),
                nbformat.v4.new_code_cell("print(2)  # NBVAL_CHECK_OUTPUT")]
    assert notebook_tools.markers_to_tags(nb) == 1
    assert nb.cells[0].source == "print(1)"
    assert nb.cells[0].metadata["tags"] == ["nbval-check-output"]
    assert "tags" not in nb.cells[1].metadata


def test_makefile_data_pins_match_the_data_extra():
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]["data"]
    makefile = (ROOT / "Makefile").read_text()
    line = next(ln for ln in makefile.splitlines() if ln.startswith("DATA_PINS"))
    assert sorted(line.split(":=")[1].split()) == sorted(extra)
