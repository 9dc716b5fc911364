"""Course notebook tools, used by the Makefile (not by learners' notebooks).

    python tests/notebook_tools.py execute notebooks/01-why-lstms.ipynb ...
        re-execute notebooks in place, top to bottom, in their own folder; prints each one's time
    python tests/notebook_tools.py student --out _build/student notebooks/*.ipynb
        write student copies: solutions replaced by an empty cell, all outputs cleared
    python tests/notebook_tools.py bench notebooks/*.ipynb
        execute every notebook (nothing saved) and print its seconds against the goal
        (45 s per chapter, 600 s for the course); exit status 1 if a goal is missed
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


def student_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` without solutions and outputs."""
    out = copy.deepcopy(nb)
    cells, inside = [], False
    for cell in out.cells:
        source = cell.source
        if cell.cell_type == "markdown" and SOLUTION_START in source:
            inside = True
            cells.append(nbformat.v4.new_code_cell("# Your solution here\n"))
            continue
        if cell.cell_type == "markdown" and SOLUTION_END in source:
            inside = False
            continue
        if inside:
            continue
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    if inside:
        raise ValueError("a {solution-start} cell has no matching {solution-end} cell")
    out.cells = cells
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("execute", help="re-execute notebooks in place")
    ex.add_argument("notebooks", nargs="+", type=Path)
    st = sub.add_parser("student", help="write student copies without solutions")
    st.add_argument("--out", type=Path, required=True)
    st.add_argument("notebooks", nargs="+", type=Path)
    be = sub.add_parser("bench", help="time every notebook against the goal")
    be.add_argument("--out", type=Path, default=None, help="also write the table to this file")
    be.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "execute":
        execute(args.notebooks)
    elif args.command == "bench":
        return bench(args.notebooks, args.out)
    else:
        args.out.mkdir(parents=True, exist_ok=True)
        for path in args.notebooks:
            target = args.out / path.name
            nbformat.write(student_copy(nbformat.read(path, as_version=4)), target)
            print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
