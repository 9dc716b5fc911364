"""Student copies (`make student`) and the "check your answer" cells of every exercise.

Fast tests (the unit stage): every exercise has its check cell, right after its solution; the
student copy strips solutions, tags the checks and names what they read; `make student` never
overwrites a copy the learner has changed; the website's zip holds every chapter.

Slow tests (marker ``students``, the stage `make students` of `make test`): every student copy runs
top to bottom with nbclient and only the unanswered exercises' checks fail, each with its message;
with solutions put back (chapters 02 and 03) the checks pass, and a wrong answer gets its hint.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import notebook_tools  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def exercises_of(nb: nbformat.NotebookNode) -> list[tuple[str, int, int]]:
    """(label, index of {solution-start}, index of {solution-end}) of each exercise, in order."""
    found, start, label = [], None, None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        if notebook_tools.SOLUTION_START in cell.source:
            label = cell.source.split(notebook_tools.SOLUTION_START)[1].split()[0]
            start = i
        elif notebook_tools.SOLUTION_END in cell.source:
            found.append((label, start, i))
    return found


def exercise_labels(nb: nbformat.NotebookNode) -> list[str]:
    labels = []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "{exercise}" in cell.source:
            line = next(ln for ln in cell.source.splitlines() if ln.startswith(":label:"))
            labels.append(line.split(":label:")[1].strip())
    return labels


# ------------------------------------------------------------------ the convention, in the book


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_exercise_has_one_check_cell_right_after_its_solution(path):
    nb = read(path)
    solved = exercises_of(nb)
    assert [label for label, _, _ in solved] == exercise_labels(nb), (
        f"{path.name}: every exercise needs a solution with its label, in the same order")
    for label, _, end in solved:
        after = nb.cells[end + 1] if end + 1 < len(nb.cells) else None
        assert after is not None and notebook_tools.is_check_cell(after), (
            f"{path.name}: {label}: the cell after its {{solution-end}} must be its check cell "
            f"(a code cell tagged {notebook_tools.CHECK_CELL_TAG!r}); see tests/notebook_tools.py")
        assert notebook_tools.check_label(after) == label, (
            f"{path.name}: the check after {label} checks {notebook_tools.check_label(after)}")
        assert after.source.startswith(f"# Check your answer to {label}."), (
            f"{path.name}: {label}: a check cell starts with '# Check your answer to {label}.'")
        assert "needs=[" in after.source, f"{path.name}: {label}: the check names what it reads"
        texts = [o.get("text", "") for o in after.get("outputs", []) if o.get("name") == "stdout"]
        assert texts and texts[-1].startswith(f"\u2714 {label}: right."), (
            f"{path.name}: {label}: the executed check must confirm the solution; "
            f"run `make execute NB={path.relative_to(ROOT)}`")
    checks = [c for c in nb.cells if notebook_tools.is_check_cell(c)]
    assert len(checks) == len(solved), f"{path.name}: a check cell without an exercise"


def test_the_course_has_checks_for_every_exercise():
    counts = {p.name[:2]: len(exercises_of(read(p))) for p in NOTEBOOKS}
    assert sum(counts.values()) >= 36, counts
    assert all(counts.values()), f"a chapter without an exercise: {counts}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_checks_do_not_print_or_contain_the_solution(path):
    nb = read(path)
    for label, start, end in exercises_of(nb):
        check = nb.cells[end + 1]
        solution_lines = {ln.strip() for c in nb.cells[start + 1:end] if c.cell_type == "code"
                          for ln in c.source.splitlines()
                          if len(ln.strip()) > 25 and not ln.strip().startswith("#")}
        copied = [ln for ln in check.source.splitlines() if ln.strip() in solution_lines]
        assert not copied, f"{path.name}: {label}: the check repeats solution code: {copied}"
        printed = "".join(o.get("text", "") for o in check.get("outputs", []))
        assert printed.count("\n") == 1, f"{path.name}: {label}: a check prints one line"


# ------------------------------------------------------------------ the student copy


def small_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    check = nbformat.v4.new_code_cell(
        "# Check your answer to ex-x. Define answer\nfrom lstm_lab import exercises\n\n"
        "exercises.check('ex-x', needs=['answer'], tests=[\n"
        "    (lambda: answer % 7 == 0, 'a multiple of 7'),\n], done='')")
    check.metadata["tags"] = [notebook_tools.CHECK_CELL_TAG]
    nb.cells = [
        nbformat.v4.new_markdown_cell(":::{exercise}\n:label: ex-x\n\nDo it.\n:::"),
        nbformat.v4.new_markdown_cell(":::{solution-start} ex-x\n:class: dropdown\n:::"),
        nbformat.v4.new_code_cell("answer = 42\nassert answer == 42"),
        nbformat.v4.new_markdown_cell(":::{solution-end}\n:::"),
        check,
        nbformat.v4.new_code_cell("print('kept')", execution_count=3,
                                  outputs=[nbformat.v4.new_output("stream", text="kept\n")]),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def test_student_copy_tags_checks_and_names_what_they_read():
    nb = small_notebook()
    out = notebook_tools.student_copy(nb)
    sources = [c.source for c in out.cells]
    assert "answer = 42" not in "".join(sources)
    assert "# Your solution here. The check below reads: answer\n" in sources
    check = out.cells[sources.index("# Your solution here. The check below reads: answer\n") + 1]
    assert check.metadata["tags"] == [notebook_tools.CHECK_CELL_TAG, notebook_tools.RAISES_TAG]
    assert out.cells[-1].outputs == [] and out.cells[-1].execution_count is None
    assert notebook_tools.RAISES_TAG not in nb.cells[4].metadata["tags"], "the original is kept"


def test_student_copy_of_a_small_notebook_runs_past_the_failing_check():
    from nbclient import NotebookClient

    out = notebook_tools.student_copy(small_notebook())
    NotebookClient(out, timeout=60, kernel_name="python3").execute()  # raises if not allowed
    errors = [o for c in out.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert [e.ename for e in errors] == ["AnswerMissing"]
    assert errors[0].evalue.startswith("ex-x: not answered yet. Define `answer` first")
    assert out.cells[-1].outputs[0].text == "kept\n", "the cells after the check ran"


def copies(tmp_path: Path, names=("02-lstm-cell.ipynb", "05-first-keras-forecaster.ipynb")):
    return [ROOT / "notebooks" / n for n in names]


def test_make_student_writes_missing_copies_and_keeps_changed_ones(tmp_path):
    out = tmp_path / "student"
    paths = copies(tmp_path)
    first = notebook_tools.write_student_copies(paths, out)
    assert first["written"] == [p.name for p in paths]
    manifest = json.loads((out / notebook_tools.MANIFEST).read_text())
    assert set(manifest) == {p.name for p in paths}

    # the learner answers an exercise in 02 and only runs cells of 05 (outputs only)
    mine = out / paths[0].name
    nb = read(mine)
    spot = next(i for i, c in enumerate(nb.cells) if c.source.startswith("# Your solution here"))
    nb.cells[spot].source = "b_needed = 4.0  # my answer"
    nbformat.write(nb, mine)
    ran = read(out / paths[1].name)
    ran.cells[1].outputs = [nbformat.v4.new_output("stream", text="ran\n")]
    nbformat.write(ran, out / paths[1].name)

    second = notebook_tools.write_student_copies(paths, out)
    assert second["kept"] == [paths[0].name] and second["up to date"] == [paths[1].name]
    assert "my answer" in mine.read_text(), "an edited copy is never overwritten"

    # a chapter that changed refreshes an unchanged copy, never an edited one
    changed = tmp_path / "changed"
    changed.mkdir()
    for p in paths:
        nb = read(p)
        nb.cells[0].source += "\n\nA new sentence."
        nbformat.write(nb, changed / p.name)
    third = notebook_tools.write_student_copies(sorted(changed.iterdir()), out)
    assert third["kept"] == [paths[0].name] and third["refreshed"] == [paths[1].name]
    assert "A new sentence." in (out / paths[1].name).read_text()
    assert "my answer" in mine.read_text()

    # FRESH=02: a fresh copy, the changed one moved aside, not lost
    fourth = notebook_tools.write_student_copies(paths, out, fresh=["ch02"], stamp="t")
    assert fourth["fresh"] == [paths[0].name]
    assert "my answer" not in mine.read_text()
    backup = out / notebook_tools.BACKUPS / "02-lstm-cell-t.ipynb"
    assert "my answer" in backup.read_text()
    assert fourth["refreshed"] == [paths[1].name], "05 unchanged by the learner: back in step"
    assert notebook_tools.write_student_copies(paths, out)["up to date"] == [p.name for p in paths]


def test_make_student_keeps_a_copy_it_did_not_write(tmp_path):
    out = tmp_path / "student"
    out.mkdir()
    (out / "02-lstm-cell.ipynb").write_text("not a notebook, but the learner's file")
    report = notebook_tools.write_student_copies(copies(tmp_path)[:1], out)
    assert report["kept"] == ["02-lstm-cell.ipynb"]
    assert (out / "02-lstm-cell.ipynb").read_text() == "not a notebook, but the learner's file"


@pytest.mark.parametrize("fresh, chosen", [
    (["06"], {"06-weather.ipynb"}), (["ch6"], {"06-weather.ipynb"}),
    (["06-weather.ipynb"], {"06-weather.ipynb"}),
    (["02,06"], {"02-lstm-cell.ipynb", "06-weather.ipynb"}),
    (["all"], {"02-lstm-cell.ipynb", "06-weather.ipynb"}), ([], set()), (None, set()),
])
def test_fresh_selects_chapters(fresh, chosen):
    assert notebook_tools.parse_fresh(fresh, ["02-lstm-cell.ipynb", "06-weather.ipynb"]) == chosen


@pytest.mark.parametrize("fresh", [["weather"], ["11"]])
def test_fresh_rejects_what_is_not_a_chapter(fresh):
    with pytest.raises(ValueError, match="FRESH"):
        notebook_tools.parse_fresh(fresh, ["02-lstm-cell.ipynb", "06-weather.ipynb"])


def test_make_student_command_line_reports_kept_copies(tmp_path):
    out = tmp_path / "student"
    command = [sys.executable, str(ROOT / "tests" / "notebook_tools.py"), "student", "--out",
               str(out), str(ROOT / "notebooks" / "02-lstm-cell.ipynb")]
    subprocess.run(command, check=True, capture_output=True, text=True)
    nb = read(out / "02-lstm-cell.ipynb")
    nb.cells.append(nbformat.v4.new_code_cell("print('my work')"))
    nbformat.write(nb, out / "02-lstm-cell.ipynb")
    done = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    assert "kept 1 copies that you have changed" in done
    assert "make student FRESH=02" in done and "delete the file" in done
    bad = subprocess.run(command + ["--fresh", "nonsense"], capture_output=True, text=True)
    assert bad.returncode == 2 and "FRESH" in bad.stderr


def test_student_zip_holds_every_chapter(tmp_path):
    target = notebook_tools.student_zip(NOTEBOOKS, tmp_path / "copies.zip")
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        assert names == {"student/README.txt"} | {f"student/{p.name}" for p in NOTEBOOKS}
        one = nbformat.reads(archive.read("student/02-lstm-cell.ipynb").decode(), as_version=4)
    assert not any("{solution-start}" in c.source for c in one.cells)


def test_student_copies_are_kept_out_of_git_lint_tests_and_the_book():
    assert "notebooks/student/" in (ROOT / ".gitignore").read_text().splitlines()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"notebooks/student"' in pyproject  # ruff's extend-exclude and pytest's norecursedirs
    assert "notebooks/student" in (ROOT / "_config.yml").read_text()  # exclude_patterns
    makefile = (ROOT / "Makefile").read_text()
    clean = makefile.split("\nclean:")[1].split("\n\n")[0]
    assert "notebooks/student" not in clean, "make clean keeps the learner's copies"


# ------------------------------------------------------------------ slow: the copies run


def run(nb: nbformat.NotebookNode, folder: Path) -> float:
    from nbclient import NotebookClient

    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return time.perf_counter() - start


def errors_by_cell(nb: nbformat.NotebookNode) -> dict[int, list]:
    return {i: [o for o in c.outputs if o.output_type == "error"]
            for i, c in enumerate(nb.cells) if c.cell_type == "code"
            and any(o.output_type == "error" for o in c.outputs)}


@pytest.mark.students
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_student_copy_runs_and_only_unanswered_checks_fail(path, tmp_path):
    nb = notebook_tools.student_copy(read(path))
    seconds = run(nb, tmp_path)
    checks = {i: notebook_tools.check_label(c) for i, c in enumerate(nb.cells)
              if notebook_tools.is_check_cell(c)}
    failed = errors_by_cell(nb)
    assert set(failed) == set(checks), (
        f"{path.name}: cells that failed {sorted(failed)} are not exactly the check cells "
        f"{sorted(checks)}: " + "; ".join(f"{e[0].ename}: {e[0].evalue}" for e in failed.values()))
    for i, label in checks.items():
        (error,) = failed[i]
        assert error.ename == "AnswerMissing", (
            f"{path.name}: {label}: {error.ename}: {error.evalue}")
        assert error.evalue.startswith(f"{label}: not answered yet. Define `"), error.evalue
    print(f"{path.name}: student copy ran in {seconds:.1f} s, {len(checks)} checks failed as "
          "expected")


def answered(path: Path, wrong: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """The student copy of ``path`` with each solution's code put back (or a wrong answer)."""
    book = read(path)
    solutions = {label: [c for c in book.cells[start + 1:end] if c.cell_type == "code"]
                 for label, start, end in exercises_of(book)}
    nb = notebook_tools.student_copy(book)
    cells = []
    for i, cell in enumerate(nb.cells):
        after = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        if cell.source.startswith("# Your solution here") and after is not None:
            label = notebook_tools.check_label(after)
            if wrong and label in wrong:
                cells.append(nbformat.v4.new_code_cell(wrong[label]))
            else:
                cells.extend(nbformat.v4.new_code_cell(c.source) for c in solutions[label])
            continue
        cells.append(cell)
    nb.cells = cells
    return nb


@pytest.mark.students
@pytest.mark.parametrize("name, wrong, hint", [
    ("02-lstm-cell.ipynb", {"ex-02-half-life": "b_needed = 3.0"}, "solve sigma(b_f)^50 = 1/2"),
    ("03-lstm-from-scratch.ipynb",
     {"ex-03-count": "def lstm_weights(D, H):\n    return 4 * (D * H + H * H)\n\n\n"
                     "def gru_weights(D, H):\n    return 3 * (D * H + H * H + 2 * H)"},
     "four gates, each with input weights, recurrent weights and a bias"),
])
def test_solutions_put_back_pass_their_checks_and_a_wrong_answer_gets_its_hint(
        name, wrong, hint, tmp_path):
    nb = answered(ROOT / "notebooks" / name, wrong)
    run(nb, tmp_path)
    failed = errors_by_cell(nb)
    (label,) = wrong
    assert len(failed) == 1, [e[0].evalue for e in failed.values()]
    (error,) = next(iter(failed.values()))
    assert error.ename == "AnswerWrong" and error.evalue.startswith(f"{label}: not right yet")
    assert hint in error.evalue
    passed = [o.text for c in nb.cells if notebook_tools.is_check_cell(c) for o in c.outputs
              if o.output_type == "stream"]
    others = [lbl for lbl, _, _ in exercises_of(read(ROOT / "notebooks" / name)) if lbl != label]
    assert sorted(t.split(":")[0][2:] for t in passed) == sorted(others)
    assert all(": right." in t for t in passed)
