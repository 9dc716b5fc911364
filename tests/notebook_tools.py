"""Course notebook tools, used by the Makefile (not by learners' notebooks).

    python tests/notebook_tools.py execute notebooks/01-why-lstms.ipynb ...
        re-execute notebooks in place, top to bottom, in their own folder; prints each one's time
    python tests/notebook_tools.py student --out notebooks/student [--fresh 06] notebooks/*.ipynb
        write student copies (solutions removed, outputs cleared) where the learner works; never
        overwrites a copy the learner has changed (see write_student_copies)
    python tests/notebook_tools.py student-zip --out _build/html/_downloads/... notebooks/*.ipynb
        the same copies as one zip file, for the website's download link
    python tests/notebook_tools.py bench notebooks/*.ipynb
        execute every notebook (nothing saved) and print its seconds against the goal
        (45 s per chapter, 600 s for the course); exit status 1 if a goal is missed

Exercise convention (every chapter; tests/test_student_copies.py enforces it): an exercise is a
markdown cell ``:::{exercise}`` with a ``:label: ex-NN-name``, then its solution between a
``:::{solution-start} ex-NN-name`` and a ``:::{solution-end}`` markdown cell (executed code with
asserts in between), then, right after the ``{solution-end}`` cell, exactly one *check cell*: a code
cell tagged ``exercise-check`` (``CHECK_CELL_TAG``) that calls
``exercises.check("ex-NN-name", needs=[...], tests=[...], done=...)`` from lstm_lab/exercises.py,
its first line a comment "# Check your answer to ex-NN-name. Define ...". In the book the check
passes (nbval runs it after the solution); in a student copy the solution is replaced by one
"# Your solution here" cell and the check cell gets the ``raises-exception`` tag, so that running
the whole copy goes on past unanswered exercises, whose checks fail with "not answered yet".
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
import time
from pathlib import Path

import nbformat

CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"
CHECK_TAG = "nbval-check-output"
SOLUTION_START = "{solution-start}"
SOLUTION_END = "{solution-end}"
CHECK_CELL_TAG = "exercise-check"  # lstm_lab.exercises.CHECK_TAG
RAISES_TAG = "raises-exception"


def markers_to_tags(nb: nbformat.NotebookNode) -> int:
    """Turn a first line ``# NBVAL_CHECK_OUTPUT`` into the cell tag ``nbval-check-output``.

    nbval treats both alike; the tag keeps the marker out of the rendered book.
    Returns the number of cells changed.
    """
    changed = 0
    for cell in nb.cells:
        lines = cell.source.split("\n")
        if cell.cell_type == "code" and lines[0].strip() == CHECK_MARKER:
            cell.source = "\n".join(lines[1:])
            tags = cell.metadata.setdefault("tags", [])
            if CHECK_TAG not in tags:
                tags.append(CHECK_TAG)
            changed += 1
    return changed


# a MyST directive fenced with backticks: ```{name} args ... ``` (3 or more backticks)
_BACKTICK_DIRECTIVE = re.compile(r"^(?P<fence>`{3,})\{(?P<name>[\w-]+)\}(?P<rest>.*)$")
OBJECTIVES_TITLE = "**Learning objectives**"


def normalise_markup(source: str) -> str:
    """Write a markdown cell's MyST directives so that they read well where MyST is not rendered.

    Jupyter Book and JupyterLab with jupyterlab-myst render the directives as boxes. Colab, GitHub
    and plain Jupyter show their source: a directive fenced with backticks appears there as a code
    block (the exercise's text in monospace, its math not rendered), a colon fence as a line of
    text. So every directive gets a colon fence (``:::{exercise}`` ... ``:::``), its options are
    followed by a blank line (they do not run into the text), and the objectives' title is bold,
    so that plain Markdown shows it as a heading. Idempotent; used by ``make execute``.
    """
    lines, out, stack = source.split("\n"), [], []
    for line in lines:
        match = _BACKTICK_DIRECTIVE.match(line)
        if match:
            stack.append(match["fence"])
            out.append(f":::{{{match['name']}}}{match['rest']}")
            continue
        if stack and line.strip() == stack[-1]:
            stack.pop()
            out.append(":::")
            continue
        out.append(line)
    if stack:
        raise ValueError(f"a directive fenced with {stack[-1]} is never closed:\n{source[:200]}")
    text = "\n".join(out)
    text = re.sub(r"^(:::\{admonition\}) Learning objectives\s*$", rf"\1 {OBJECTIVES_TITLE}",
                  text, flags=re.M)
    # a blank line between a directive's options and its content
    text = re.sub(r"^(:::+\{[\w-]+\}.*\n(?::[\w-]+:.*\n)+)(?=[^\n:])", r"\1\n", text,
                  flags=re.M)
    # and one before a closing fence that ends text, or plain Markdown runs ":::" into the text
    text = re.sub(r"^(?!:)(.*\S.*)\n(:::+)\s*$", r"\1\n\n\2", text, flags=re.M)
    return text


def normalise_notebook_markup(nb: nbformat.NotebookNode) -> int:
    """Apply ``normalise_markup`` to every markdown cell; returns the number of cells changed."""
    changed = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            new = normalise_markup(cell.source)
            if new != cell.source:
                cell.source = new
                changed += 1
    return changed


REPOSITORY_URL = "https://github.com/lstm-for-time-series/lstm-for-time-series"  # _config.yml
COLAB_MARKER = "# Only on Google Colab"
COLAB_CELL = f"""{COLAB_MARKER}: install the course's helper package lstm_lab, with its data.
# Colab's own TensorFlow and Keras are used (chapter 00 checks their versions).
# Anywhere else (make lab, Binder) this cell does nothing.
import sys

if "google.colab" in sys.modules:
    %pip install --quiet --no-deps "git+{REPOSITORY_URL}"
"""


def ensure_colab_cell(nb: nbformat.NotebookNode) -> bool:
    """Put the Colab install cell first among the code cells (after the title cell).

    Returns True when the notebook changed. A cell that starts with ``COLAB_MARKER`` is
    rewritten to the current text; otherwise one is inserted after the first markdown cell.
    """
    cell = next((c for c in nb.cells if c.cell_type == "code"
                 and c.source.startswith(COLAB_MARKER)), None)
    if cell is None:
        at = next((i + 1 for i, c in enumerate(nb.cells) if c.cell_type == "markdown"), 0)
        nb.cells.insert(at, nbformat.v4.new_code_cell(COLAB_CELL.rstrip("\n")))
        return True
    if cell.source != COLAB_CELL.rstrip("\n"):
        cell.source = COLAB_CELL.rstrip("\n")
        return True
    return False


def execute(paths: list[Path], timeout: int = 600) -> None:
    """Execute each notebook top to bottom and save it with its outputs."""
    from nbclient import NotebookClient

    for path in paths:
        nb = nbformat.read(path, as_version=4)
        markers_to_tags(nb)
        normalise_notebook_markup(nb)
        ensure_colab_cell(nb)
        start = time.perf_counter()
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute()
        seconds = time.perf_counter() - start
        nb.metadata.pop("widgets", None)
        nbformat.write(nb, path)
        print(f"{path}: executed in {seconds:.1f} s", flush=True)


GOAL_S = 45.0
COURSE_GOAL_S = 600.0


def bench(paths: list[Path], out: Path | None = None, timeout: int = 600) -> int:
    """Execute each notebook (kernel start-up included, nothing saved); print a table of seconds.

    Returns 1 when a chapter is over ``GOAL_S`` or the course over ``COURSE_GOAL_S``, else 0.
    """
    import platform

    from nbclient import NotebookClient

    rows = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        seconds = time.perf_counter() - start
        rows.append((path.name, seconds))
        print(f"  {seconds:6.1f} s  {path.name}", flush=True)
    total = sum(s for _, s in rows)
    over = [name for name, s in rows if s > GOAL_S]
    lines = [f"make bench: {len(rows)} notebooks, {os.cpu_count()} CPUs, "
             f"Python {platform.python_version()}",
             f"{'notebook':<42} {'seconds':>8}  goal {GOAL_S:.0f} s"]
    lines += [f"{name:<42} {s:8.1f}  {'OVER' if s > GOAL_S else 'ok'}" for name, s in rows]
    lines.append(f"{'all notebooks':<42} {total:8.1f}  "
                 f"{'OVER' if total > COURSE_GOAL_S else 'ok'} (goal {COURSE_GOAL_S:.0f} s)")
    if over:
        lines.append("over the goal: " + ", ".join(over))
    report = "\n".join(lines)
    print("\n" + report)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report + "\n")
        print(f"\nwrote {out}")
    return 1 if over or total > COURSE_GOAL_S else 0


_NEEDS = re.compile(r"needs=\[([^\]]*)\]")


def is_check_cell(cell: nbformat.NotebookNode) -> bool:
    """True for an exercise's "check your answer" cell (a code cell tagged ``exercise-check``)."""
    return cell.cell_type == "code" and CHECK_CELL_TAG in cell.get("metadata", {}).get("tags", [])


def check_label(cell: nbformat.NotebookNode) -> str | None:
    """The exercise label a check cell checks (its ``exercises.check("...")`` argument)."""
    match = re.search(r"exercises\.check\(\s*['\"]([\w-]+)['\"]", cell.source)
    return match.group(1) if match else None


def solution_placeholder(check: nbformat.NotebookNode | None) -> str:
    """The code cell that replaces a solution: says which names the check below reads."""
    if check is None:
        return "# Your solution here\n"
    match = _NEEDS.search(check.source)
    names = re.findall(r"['\"](\w+)['\"]", match.group(1)) if match else []
    if not names:
        return "# Your solution here\n"
    return f"# Your solution here. The check below reads: {', '.join(names)}\n"


def student_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` without solutions and outputs, its check cells tagged to raise.

    Each {solution-start}..{solution-end} block becomes one "# Your solution here" code cell;
    check cells get the ``raises-exception`` tag (nbclient and JupyterLab's Run All go on past
    them when they fail). ``nb`` itself is not changed.
    """
    out = copy.deepcopy(nb)
    cells, inside = [], False
    for index, cell in enumerate(out.cells):
        source = cell.source
        if cell.cell_type == "markdown" and SOLUTION_START in source:
            inside = True
            following = out.cells[index + 1:]
            end = next((k for k, c in enumerate(following)
                        if c.cell_type == "markdown" and SOLUTION_END in c.source), None)
            after = following[end + 1] if end is not None and end + 1 < len(following) else None
            check = after if after is not None and is_check_cell(after) else None
            cells.append(nbformat.v4.new_code_cell(solution_placeholder(check)))
            continue
        if cell.cell_type == "markdown" and SOLUTION_END in source:
            inside = False
            continue
        if inside:
            continue
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            if is_check_cell(cell):
                tags = cell.metadata.setdefault("tags", [])
                if RAISES_TAG not in tags:
                    tags.append(RAISES_TAG)
        cells.append(cell)
    if inside:
        raise ValueError("a {solution-start} cell has no matching {solution-end} cell")
    out.cells = cells
    return out


MANIFEST = ".student-manifest.json"
BACKUPS = ".replaced"


def sources_hash(nb: nbformat.NotebookNode) -> str:
    """A hash of a notebook's cell types and sources: what a learner edits (outputs ignored)."""
    import hashlib
    import json

    cells = [[c.cell_type, c.source] for c in nb.cells]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def _chapter_key(name: str) -> str:
    return name[:2]


def parse_fresh(fresh: list[str] | None, names: list[str]) -> set[str]:
    """The notebooks FRESH selects: "all", or chapters as 06, ch06 or 06-weather (commas ok)."""
    chosen: set[str] = set()
    for item in [x for part in (fresh or []) for x in part.replace(",", " ").split()]:
        if item == "all":
            return set(names)
        digits = re.match(r"^(?:ch)?(\d{1,2})", item)
        if digits is None:
            raise ValueError(f"FRESH: {item!r} is not a chapter (write e.g. 06, ch06 or all)")
        key = f"{int(digits.group(1)):02d}"
        found = {n for n in names if _chapter_key(n) == key}
        if not found:
            raise ValueError(f"FRESH: there is no chapter {key} among the notebooks")
        chosen |= found
    return chosen


def write_student_copies(paths: list[Path], out: Path, fresh: list[str] | None = None,
                         stamp: str | None = None) -> dict[str, list[str]]:
    """Write the student copy of each notebook into ``out``, never losing a learner's work.

    ``out/.student-manifest.json`` records the sources hash of every copy written. A copy is
    written when it is missing; refreshed when the learner has not changed it (its sources hash
    is the recorded one) and the chapter has changed since; kept, with a message, when the learner
    has changed it (or it is not in the manifest). ``fresh`` (chapters, see ``parse_fresh``)
    replaces those copies anyway; a changed copy is first moved to ``out/.replaced/``.
    Returns the file names by what happened: "written", "refreshed", "up to date", "kept", "fresh".
    """
    import json
    import shutil

    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    names = [p.name for p in paths]
    forced = parse_fresh(fresh, names)
    report: dict[str, list[str]] = {k: [] for k in ("written", "refreshed", "up to date", "kept",
                                                    "fresh")}
    for path in paths:
        copy_nb = student_copy(nbformat.read(path, as_version=4))
        new_hash = sources_hash(copy_nb)
        target = out / path.name
        if not target.exists():
            outcome = "written"
        else:
            try:
                current = sources_hash(nbformat.read(target, as_version=4))
            except Exception:  # not a readable notebook: treat it as the learner's
                current = None
            untouched = current is not None and current == manifest.get(path.name)
            if path.name in forced:
                outcome = "fresh"
                if not untouched and current != new_hash:
                    when = stamp or time.strftime("%Y%m%d-%H%M%S")
                    backup = out / BACKUPS / f"{target.stem}-{when}.ipynb"
                    backup.parent.mkdir(exist_ok=True)
                    shutil.move(target, backup)
            elif untouched:
                outcome = "up to date" if current == new_hash else "refreshed"
            else:
                outcome = "kept"
        if outcome != "kept" and outcome != "up to date":
            nbformat.write(copy_nb, target)
            manifest[path.name] = new_hash
        report[outcome].append(path.name)
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return report


def print_student_report(report: dict[str, list[str]], out: Path) -> None:
    for outcome in ("written", "refreshed", "fresh"):
        for name in report[outcome]:
            how = {"written": "wrote",
                   "refreshed": "refreshed (unchanged by you; the chapter changed)",
                   "fresh": "wrote a fresh copy of"}[outcome]
            print(f"{how} {out / name}")
    if report["up to date"]:
        print(f"up to date: {len(report['up to date'])} copies in {out}")
    if report["kept"]:
        print(f"kept {len(report['kept'])} copies that you have changed "
              "(your work is not touched):")
        for name in report["kept"]:
            print(f"  {out / name}")
        example = report["kept"][0][:2]
        print(f"For a fresh copy of one: make student FRESH={example} (your changed copy is moved "
              f"to {out / BACKUPS}/), or delete the file and run make student.")
    replaced = out / BACKUPS
    if report["fresh"] and replaced.is_dir():
        print(f"changed copies that were replaced are in {replaced}/")


def student_zip(paths: list[Path], target: Path) -> Path:
    """Write every notebook's student copy into one zip file (the website's download)."""
    import zipfile

    target.parent.mkdir(parents=True, exist_ok=True)
    readme = ("Student copies of the course 'LSTM for Time Series': every chapter without\n"
              "its solutions. Each exercise is followed by a 'check your answer' cell that\n"
              "tells you whether your answer is right. Open them in JupyterLab with the\n"
              "course's environment (clone the repository and run `make student` and\n"
              "`make lab`: the copies in notebooks/student are the same), or on Colab (each\n"
              "notebook's first cell installs the helper package lstm_lab).\n")
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("student/README.txt", readme)
        for path in paths:
            copy_nb = student_copy(nbformat.read(path, as_version=4))
            archive.writestr(f"student/{path.name}", nbformat.writes(copy_nb) + "\n")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("execute", help="re-execute notebooks in place")
    ex.add_argument("notebooks", nargs="+", type=Path)
    st = sub.add_parser("student", help="write student copies without solutions")
    st.add_argument("--out", type=Path, required=True)
    st.add_argument("--fresh", action="append", default=[],
                    help="chapters to replace even if changed: 06, ch06, 06-weather or all")
    st.add_argument("notebooks", nargs="+", type=Path)
    zp = sub.add_parser("student-zip", help="all student copies in one zip file")
    zp.add_argument("--out", type=Path, required=True)
    zp.add_argument("notebooks", nargs="+", type=Path)
    be = sub.add_parser("bench", help="time every notebook against the goal")
    be.add_argument("--out", type=Path, default=None, help="also write the table to this file")
    be.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "execute":
        execute(args.notebooks)
    elif args.command == "bench":
        return bench(args.notebooks, args.out)
    elif args.command == "student-zip":
        print(f"wrote {student_zip(args.notebooks, args.out)}")
    else:
        try:
            report = write_student_copies(args.notebooks, args.out, args.fresh)
        except ValueError as error:
            print(f"make student: {error}", file=sys.stderr)
            return 2
        print_student_report(report, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
