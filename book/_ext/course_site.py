"""Local Sphinx extension of the course website (``local_extensions`` in _config.yml).

Two jobs.

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
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

CHAPTER_DOCNAME = re.compile(r"^notebooks/(\d{2})-")


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


def setup(app: Sphinx) -> dict[str, Any]:
    # priority 100: before sphinx-togglebutton's builder-inited handler (500) and before
    # sphinx-thebe's env-before-read-docs handler, the two that add inline scripts late
    app.connect("builder-inited", _normalise_inline_script_names, priority=100)
    # priority 900: after Sphinx's toctree collector (500) has assigned the numfig numbers
    app.connect("env-get-updated", _number_exercises_per_chapter, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
