"""book/_ext/course_site.py, the local Sphinx extension of the website (see test_website.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))

import course_site  # noqa: E402


def test_chapter_exercises_are_numbered_chapter_dot_k_in_page_order():
    sphinx_numbers = {"ex-07-b": (19,), "ex-07-a": (18,), "ex-07-c": (20,)}
    assert course_site.chapter_numbers("notebooks/07-energy", sphinx_numbers) == {
        "ex-07-a": (7, 1), "ex-07-b": (7, 2), "ex-07-c": (7, 3)}
    assert course_site.chapter_numbers("notebooks/00-setup-check", {"x": (1,)}) == {"x": (0, 1)}


def test_pages_outside_the_chapters_keep_sphinx_numbers():
    numbers = {"ex-a": (24,)}
    assert course_site.chapter_numbers("book/instructor-guide", numbers) is numbers


def test_env_get_updated_handler_renumbers_and_reports_the_pages_to_rewrite():
    env = SimpleNamespace(toc_fignumbers={
        "notebooks/02-lstm-cell": {"exercise": {"ex-02-a": (3,), "ex-02-b": (4,)}},
        "notebooks/03-lstm-from-scratch": {"exercise": {"ex-03-a": (3, 1)}},
        "book/glossary": {},
    })
    assert course_site._number_exercises_per_chapter(None, env) == ["notebooks/02-lstm-cell"]
    assert env.toc_fignumbers["notebooks/02-lstm-cell"]["exercise"] == {
        "ex-02-a": (2, 1), "ex-02-b": (2, 2)}


def test_inline_scripts_added_after_builder_init_reach_the_builder_once():
    """Sphinx 7 hands late inline scripts to the builder as None and again as '' (two tags)."""
    received = []
    builder = SimpleNamespace(add_js_file=lambda filename, **kw: received.append((filename, kw)))
    app = SimpleNamespace(builder=builder)
    course_site._normalise_inline_script_names(app)
    course_site._normalise_inline_script_names(app)  # wrapping twice is harmless
    app.builder.add_js_file(None, body="const THEBE_JS_URL = 1")
    app.builder.add_js_file("sphinx-thebe.js", priority=500)
    assert received == [("", {"body": "const THEBE_JS_URL = 1"}),
                        ("sphinx-thebe.js", {"priority": 500})]


def test_builders_without_scripts_are_left_alone():
    app = SimpleNamespace(builder=SimpleNamespace())
    course_site._normalise_inline_script_names(app)
    assert not hasattr(app.builder, "add_js_file")
