"""Local Sphinx extension of the course website (``local_extensions`` in _config.yml).

Four jobs.

**Each inline script once.** Sphinx 7.x (jupyter-book 1 requires ``sphinx~=7.0``) records a script
that an extension adds with ``app.add_js_file(None, body=...)`` *after* the HTML builder was
initialised twice: ``Sphinx.add_js_file`` hands it to the builder with the filename ``None``, and
``StandaloneHTMLBuilder.prepare_writing`` adds every registered script again as ``''``. The two
compare unequal (``None != ''``), so the page gets the same inline script twice. sphinx-thebe
0.3.1 adds ``const THEBE_JS_URL = ...`` that way (in ``env-before-read-docs``); a second ``const``
declaration is a SyntaxError in the browser ("Identifier 'THEBE_JS_URL' has already been
declared") on every page. sphinx-togglebutton's ``var togglebuttonSelector`` was doubled the same
way (harmless, being a ``var``). Sphinx fixed this in 8.2 (sphinx-doc/sphinx#13402, "replace None
filename with '' before passing to HTML builder"); we apply the same normalisation to this
build's builder, before any other extension adds a script after ``builder-inited``.

**Exercises numbered per chapter.** sphinx-exercise numbers exercises with Sphinx's numfig
counters, which run through the whole book unless the table of contents is ``numbered`` (then the
chapter's *section* number is the prefix). Numbering the toc (``numbered: 1`` on the parts) does
give "Exercise 7.1", but it also prints a second number before every chapter title, in the page,
the sidebar and the browser tab ("7. 07 · Energy"), and it only matches while the numbered parts
list chapters 01, 02, ... without a gap (chapter 00 sits in the unnumbered "Start here"). The
chapter number is already in each notebook's name and title (``notebooks/07-energy`` is
"07 · Energy"), so after Sphinx has assigned its numbers we renumber each chapter's exercises
in page order as (chapter, k): "Exercise 7.1", "Exercise 7.2", ... Titles, solutions ("Solution to
Exercise 7.1") and ``{numref}`` references all read these numbers, so they always agree.
Exercises on pages outside ``notebooks/NN-*`` keep Sphinx's numbers.

**Check cells labelled.** Each exercise is followed by a "check your answer" code cell (tagged
``exercise-check``, see tests/notebook_tools.py); myst-nb gives its cell the class
``tag_exercise-check``, and a small stylesheet puts a "Check your answer" label above it and a
border around it, so that it reads as part of the exercise and stays visible (outside the
solution's toggle).

**Student copies for download.** After an HTML build, every chapter's student copy (solutions
removed, checks kept) is written into one zip file, ``STUDENT_ZIP`` under the site's root, which
book/how-to-use.md and book/instructor-guide.md link to.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

CHAPTER_DOCNAME = re.compile(r"^notebooks/(\d{2})-")
STUDENT_ZIP = "_downloads/student/lstm-for-time-series-student-copies.zip"
CHECK_CELL_CSS = """
div.cell.tag_exercise-check { border-left: 4px solid #2e7d32; padding-left: 0.6em;
  margin-top: 0.8em; }
div.cell.tag_exercise-check::before { content: "Check your answer"; display: block;
  font-weight: 600; font-size: 0.9em; color: #2e7d32; margin-bottom: 0.2em; }
"""


def _normalise_inline_script_names(app: Sphinx) -> None:
    builder = app.builder
    add_js_file = getattr(builder, "add_js_file", None)
    if add_js_file is None or getattr(add_js_file, "_course_site_normalised", False):
        return  # not an HTML builder, or already wrapped

    def add_js_file_once(filename: str | None, **kwargs: Any) -> None:
        # the builder's own bookkeeping spells "no file" as '': use the same spelling
        add_js_file(filename or "", **kwargs)

    add_js_file_once._course_site_normalised = True  # type: ignore[attr-defined]
    builder.add_js_file = add_js_file_once  # type: ignore[method-assign]


Numbers = dict[str, tuple[int, ...]]


def chapter_numbers(docname: str, numbers: Numbers) -> Numbers:
    """Renumber one page's exercises as (chapter, 1), (chapter, 2), ... in their current order.

    ``numbers`` maps node ids to Sphinx's numbers for the page; pages that are not
    ``notebooks/NN-*`` chapters are returned unchanged.
    """
    match = CHAPTER_DOCNAME.match(docname)
    if match is None:
        return numbers
    chapter = int(match.group(1))
    in_page_order = sorted(numbers, key=numbers.__getitem__)
    return {node_id: (chapter, k) for k, node_id in enumerate(in_page_order, start=1)}


def _number_exercises_per_chapter(app: Sphinx, env: BuildEnvironment) -> list[str]:
    changed = []
    for docname, fignumbers in env.toc_fignumbers.items():
        numbers = fignumbers.get("exercise")
        if not numbers:
            continue
        renumbered = chapter_numbers(docname, numbers)
        if renumbered != numbers:
            fignumbers["exercise"] = renumbered
            changed.append(docname)
    return changed  # pages to write again with the new numbers


def _add_check_cell_style(app: Sphinx) -> None:
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / "course-checks.css").write_text(CHECK_CELL_CSS.lstrip())


def write_student_zip(srcdir: Path, outdir: Path) -> Path:
    """Every chapter's student copy in one zip, at ``outdir / STUDENT_ZIP``."""
    sys.path.insert(0, str(srcdir / "tests"))
    try:
        import notebook_tools
    finally:
        sys.path.remove(str(srcdir / "tests"))
    notebooks = sorted((srcdir / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    return notebook_tools.student_zip(notebooks, outdir / STUDENT_ZIP)


def _student_copies_zip(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        write_student_zip(Path(app.srcdir), Path(app.outdir))


def setup(app: Sphinx) -> dict[str, Any]:
    # priority 100: before sphinx-togglebutton's builder-inited handler (500) and before
    # sphinx-thebe's env-before-read-docs handler, the two that add inline scripts late
    app.connect("builder-inited", _normalise_inline_script_names, priority=100)
    # priority 900: after Sphinx's toctree collector (500) has assigned the numfig numbers
    app.connect("env-get-updated", _number_exercises_per_chapter, priority=900)
    app.add_css_file("course-checks.css")
    app.connect("builder-inited", _add_check_cell_style)
    app.connect("build-finished", _student_copies_zip)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
