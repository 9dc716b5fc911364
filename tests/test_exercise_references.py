"""Prose refers to exercises by label ({numref}`ex-07-seasonal-lags`), never by a typed number.

The book numbers exercises per chapter (Exercise 7.1, book/_ext/course_site.py); a typed
"Exercise 1" or "the first exercise" goes stale as soon as an exercise is added, moved or numbered
differently (chapter 07 once said "Exercise 1" where the page showed "Exercise 18").
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]

TYPED_REFERENCE = re.compile(
    r"\bexercises?\s+\d+(\.\d+)?\b"                                   # Exercise 3, exercise 7.1
    r"|\b(first|second|third|fourth|fifth|last|next|previous)\s+exercise\b",  # the first exercise
    re.IGNORECASE)


def prose_sources() -> list[tuple[str, str]]:
    sources = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        sources += [(f"{path.name} cell {i}", cell.source) for i, cell in enumerate(nb.cells)
                    if cell.cell_type == "markdown"]
    sources += [(path.relative_to(ROOT).as_posix(), path.read_text())
                for path in sorted((ROOT / "book").glob("*.md"))]
    return sources


def typed_references(text: str) -> list[str]:
    return [m.group(0) for m in TYPED_REFERENCE.finditer(text)]


@pytest.mark.parametrize("text, found", [
    ("Exercise 1 gives the linear model two more numbers", ["Exercise 1"]),
    ("(chapter 08, exercise 3).", ["exercise 3"]),
    ("as in Exercise 7.1 above", ["Exercise 7.1"]),
    ("(The first exercise shows that", ["first exercise"]),
    ("{numref}`ex-07-seasonal-lags` gives the linear model", []),
    ("Every chapter ends with exercises; try each one", []),
])
def test_typed_reference_pattern(text, found):
    assert typed_references(text) == found


def test_prose_refers_to_exercises_by_label():
    offenders = [f"{where}: {ref!r}" for where, text in prose_sources()
                 for ref in typed_references(text)]
    assert not offenders, (
        "refer to exercises with {numref}`label` (it prints 'Exercise <chapter>.<k>'), "
        "not by a typed number:\n  " + "\n  ".join(offenders))
