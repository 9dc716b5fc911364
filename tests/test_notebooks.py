"""Hygiene of the committed notebooks (COURSE.md sections 7 and 8).

The book shows committed outputs, so what these tests check is what readers see.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import notebook_tools  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def outputs_text(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append("".join(out.get("text", "")))
        data = out.get("data", {})
        if "image/png" not in data:  # a figure's text/plain fallback is not shown to readers
            parts.append("".join(data.get("text/plain", "")))
    return "\n".join(parts)


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", []))
    return files


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_executed_top_to_bottom_without_errors(path):
    nb = load(path)
    counts = [c.get("execution_count") for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..n; run `make execute NB={path}`")
    for cell in code_cells(nb):
        kinds = {o["output_type"] for o in cell.get("outputs", [])}
        assert "error" not in kinds, f"{path.name}: a stored output is an error:\n{source(cell)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_metadata_for_the_book(path):
    meta = load(path)["metadata"]
    assert meta.get("kernelspec", {}).get("name") == "python3", f"{path.name}: kernelspec"
    assert meta.get("language_info", {}).get("name") == "python", f"{path.name}: language_info"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_stderr_noise_training_logs_or_stale_reprs(path):
    for cell in code_cells(load(path)):
        for out in cell.get("outputs", []):
            assert not (out["output_type"] == "stream" and out.get("name") == "stderr"), (
                f"{path.name}: stderr output (a warning?) in cell:\n{source(cell)}")
        text = outputs_text(cell)
        assert not re.search(r"Epoch \d+/\d+|━━━", text), f"{path.name}: training log in output"
        assert "<Figure size" not in text and "Line2D at 0x" not in text, (
            f"{path.name}: a plot object repr leaked into the output; end the line with ';'")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_colab_cell_then_lstm_lab_first_and_seeds(path):
    cells = code_cells(load(path))
    assert source(cells[0]) == notebook_tools.COLAB_CELL.rstrip("\n"), (
        f"{path.name}: the first code cell must be the Colab install cell; "
        f"run `make execute NB={path}`")
    first = source(cells[1])
    lines = [ln for ln in first.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert lines and lines[0].startswith("import lstm_lab"), (
        f"{path.name}: the first code line after the Colab cell must be `import lstm_lab` "
        "(it silences TensorFlow)")
    assert "set_seed(" in first, f"{path.name}: the first code cell must set the seed"


def test_colab_cell_installs_from_the_books_repository():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert notebook_tools.REPOSITORY_URL == config["repository"]["url"]
    assert "--no-deps" in notebook_tools.COLAB_CELL, "Colab keeps its own TensorFlow"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_myst_markup_reads_as_text_where_it_is_not_rendered(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] == "markdown":
            src = source(cell)
            assert notebook_tools.normalise_markup(src) == src, (
                f"{path.name}: directives must use colon fences with a blank line after their "
                f"options (run `make execute NB={path}`):\n{src[:300]}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_downloads_installs_or_deprecated_keras_idioms(path):
    for cell in code_cells(load(path))[1:]:  # the first is the Colab cell, tested above
        src = source(cell)
        assert not re.search(r"^\s*[!%]\s*(pip|wget|curl|conda)\b", src, re.M), (
            f"{path.name}: shell installs/downloads are not allowed:\n{src}")
        assert "input_shape=" not in src, f"{path.name}: use keras.Input, not input_shape="
        assert not re.search(r"verbose\s*=\s*[12]", src), f"{path.name}: use verbose=0"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_chapter_structure(path):
    nb = load(path)
    markdown = [source(c) for c in nb["cells"] if c["cell_type"] == "markdown"]
    number = path.name[:2]
    assert markdown and markdown[0].startswith(f"# {number} "), (
        f"{path.name}: the first cell must be the title '# {number} · ...'")
    assert "Learning objectives" in markdown[0] and "**Time:**" in markdown[0], (
        f"{path.name}: the opening cell needs learning objectives and the time it takes")
    headings = [ln for md in markdown for ln in md.splitlines() if ln.startswith("## ")]
    assert "## Summary" in headings, f"{path.name}: no '## Summary' section"
    assert "## Exercises" in headings, f"{path.name}: no '## Exercises' section"
    assert any("{exercise}" in md for md in markdown), f"{path.name}: no exercise"
    assert any("{solution-start}" in md for md in markdown), f"{path.name}: no solution"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_claims_are_asserted_and_outputs_checked(path):
    cells = code_cells(load(path))
    assert any(re.search(r"^\s*assert\b", source(c), re.M) for c in cells), (
        f"{path.name}: no assert cell guards the chapter's claims")
    assert any("nbval-check-output" in c["metadata"].get("tags", []) for c in cells), (
        f"{path.name}: no cell is tagged 'nbval-check-output' for nbval to compare")
    assert not any(source(c).startswith("# NBVAL_CHECK_OUTPUT") for c in cells), (
        f"{path.name}: run `make execute`: it turns '# NBVAL_CHECK_OUTPUT' lines into cell tags")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_solutions_are_balanced_and_executed(path):
    nb = load(path)
    inside = False
    for cell in nb["cells"]:
        src = source(cell)
        if cell["cell_type"] == "markdown" and "{solution-start}" in src:
            assert not inside, f"{path.name}: nested solution-start"
            inside = True
        elif cell["cell_type"] == "markdown" and "{solution-end}" in src:
            assert inside, f"{path.name}: solution-end without solution-start"
            inside = False
    assert not inside, f"{path.name}: solution-start without solution-end"


def test_every_notebook_is_in_the_toc_and_every_toc_entry_exists():
    files = toc_files()
    listed = {f for f in files if f.startswith("notebooks/")}
    on_disk = {f"notebooks/{p.stem}" for p in NOTEBOOKS}
    assert on_disk - listed == set(), f"notebooks missing from _toc.yml: {on_disk - listed}"
    for entry in files:
        candidates = [ROOT / f"{entry}{ext}" for ext in ("", ".md", ".ipynb")]
        assert any(c.is_file() for c in candidates), f"_toc.yml entry {entry!r} does not exist"


def test_toc_lists_notebooks_in_chapter_order():
    numbers = [f.split("/")[1][:2] for f in toc_files() if f.startswith("notebooks/")]
    assert numbers == sorted(numbers), f"_toc.yml chapter order {numbers}"
