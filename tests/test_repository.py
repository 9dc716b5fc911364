"""The environment files agree with each other, and the student tool strips solutions."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import notebook_tools  # noqa: E402


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.lock: {line!r} is not an exact pin"
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_lock_file_pins_the_course_stack():
    pins = lock_pins()
    for name in ("tensorflow-cpu", "keras", "numpy", "pandas", "matplotlib", "jupyterlab",
                 "jupyter-book", "nbval", "pytest", "scikit-learn", "statsmodels",
                 "sphinx-exercise", "sphinxcontrib-bibtex"):
        assert name in pins, f"{name} is not pinned in requirements.lock"
    assert pins["jupyter-book"].startswith("1."), "the book engine is Jupyter Book 1"
    assert pins["tensorflow-cpu"].startswith("2.21"), "the course is written for TF 2.21"


def test_environment_yml_installs_the_lock_file_and_the_package():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps, "the lock file is made for Python 3.11"
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert pip_section == ["-r requirements.lock", "-e ."]


def test_installed_versions_match_the_lock_file():
    from importlib.metadata import version

    pins = lock_pins()
    for name in ("keras", "numpy", "pandas", "nbval", "jupyter-book", "tensorflow-cpu"):
        assert version(name) == pins[name], f"{name}: installed {version(name)}, lock {pins[name]}"


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
    import tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]["data"]
    makefile = (ROOT / "Makefile").read_text()
    line = next(ln for ln in makefile.splitlines() if ln.startswith("DATA_PINS"))
    assert sorted(line.split(":=")[1].split()) == sorted(extra)
