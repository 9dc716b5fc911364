"""A chapter as a learner meets it in JupyterLab (``make browser``, part of ``make test``).

Starts JupyterLab on 127.0.0.1 (a token set, no browser opened) on a copy of one chapter, opens it
in headless Chromium (the system's ``chromium``, driven by playwright), clears its outputs and runs
every cell, as a learner does with Run > Run All Cells. Then: every code cell ran, in order, and no
cell shows an error or a stderr stream; no MyST markup is visible as raw text (``:::{``,
``{exercise}``, ``{solution-start}``, ``:class:``, ``{numref}``, ...); the learning objectives are
rendered as a box (jupyterlab-myst). The chapter's student copy (``make student``), run the same
way, runs every cell although its unanswered exercises' checks fail (they are tagged
``raises-exception``), and shows those failures, and only those, with their "not answered yet"
message. A second
JupyterLab, with jupyterlab-myst disabled, shows how
the same chapter reads in plain Jupyter (Colab, GitHub): exercises and objectives must read as
text, never as code blocks. Screenshots of both go to ``_build/screenshots/jupyterlab-*.png``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHAPTER = "02-lstm-cell.ipynb"  # gates, equations, exercises and solutions; runs in about 8 s
TOKEN = "lstm-lab-browser-test"
RAW_MARKUP = (":::{", "{exercise}", "{solution-start}", "{solution-end}", "{admonition}",
              ":class:", ":label:", "{numref}", "{ref}", "{cite}", "```")

# the text of every rendered markdown cell (the editors of rendered cells are hidden)
MARKDOWN_TEXT_JS = """() => [...document.querySelectorAll('.jp-MarkdownCell')]
  .map((cell) => [...cell.children].filter((c) => !c.classList.contains('jp-Cell-inputWrapper'))
     .concat([...cell.querySelectorAll('.jp-MarkdownOutput, .myst')])
     .map((c) => c.innerText).join('\\n'))"""

# the code cells' prompts ("[3]:"), the outputs that are errors or stderr, and running cells
CELL_STATE_JS = """() => ({
  prompts: [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
      .map((p) => p.innerText.trim()),
  errors: [...document.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
      .map((o) => o.innerText.slice(0, 500)),
})"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_settings(folder: Path) -> None:
    """JupyterLab user settings: render every cell (no windowing), no news or update pop-ups."""
    settings = {"notebook-extension/tracker": {"windowingMode": "none"},
                "apputils-extension/notification": {"fetchNews": "false",
                                                    "checkForUpdates": False}}
    for name, values in settings.items():
        path = folder / "@jupyterlab" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def start_lab(work: Path, plain: bool, source: Path | None = None) -> tuple[subprocess.Popen, str]:
    """JupyterLab on a copy of the chapter (or ``source``); ``plain`` disables jupyterlab-myst."""
    notebooks, config = work / "notebooks", work / "config"
    notebooks.mkdir()
    shutil.copy(source or ROOT / "notebooks" / CHAPTER, notebooks / CHAPTER)
    write_settings(work / "settings")
    (config / "labconfig").mkdir(parents=True)
    disabled = {"jupyterlab-myst": True} if plain else {}
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": disabled}))
    port = free_port()
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces"), "JUPYTER_CONFIG_DIR": str(config)}
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={notebooks}",
           "--LabApp.expose_app_in_browser=True"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(work / "jupyterlab.log", "w")  # noqa: SIM115 (closed with the process)
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited:\n{(work / 'jupyterlab.log').read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    log_tail = (work / "jupyterlab.log").read_text()[-3000:]
    pytest.fail(f"JupyterLab did not start in 90 s:\n{log_tail}")


def open_chapter(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    problems: list[str] = []
    page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    # only the local server: a learner offline must see the same page
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url)
               else route.abort())
    page.goto(f"{url}/lab/tree/{CHAPTER}?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                           " && window.jupyterapp.shell.currentWidget.sessionContext"
                           " && window.jupyterapp.shell.currentWidget.sessionContext.session",
                           timeout=60_000)
    page.wait_for_timeout(1500)  # markdown renderers settle
    return page, problems


def run_all_cells(page, timeout_s: float = 240) -> dict:
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = page.evaluate(CELL_STATE_JS)
        prompts = state["prompts"]
        if prompts and all(p not in ("[ ]:", "[*]:", "") for p in prompts):
            return state
        page.wait_for_timeout(500)
    pytest.fail(f"the chapter did not finish running in {timeout_s:.0f} s: prompts {prompts}")


def raw_markup(texts: list[str]) -> list[str]:
    found = []
    for i, text in enumerate(texts):
        for marker in RAW_MARKUP:
            if marker in text:
                line = next(ln for ln in text.splitlines() if marker in ln)
                found.append(f"markdown cell {i}: {marker!r} in {line.strip()[:90]!r}")
    return found


def test_chapter_runs_and_renders_in_jupyterlab(browser, tmp_path):
    proc, url = start_lab(tmp_path, plain=False)
    try:
        page, problems = open_chapter(browser, url)
        texts = page.evaluate(MARKDOWN_TEXT_JS)
        assert texts, "no markdown cell was rendered"
        assert not raw_markup(texts), "raw MyST markup visible in JupyterLab:\n" + "\n".join(
            raw_markup(texts))
        objectives = page.locator(".jp-MarkdownCell aside.myst-admonition",
                                  has_text="Learning objectives")
        assert objectives.count() == 1, "the learning objectives are not rendered as a box"
        assert "Time:" in objectives.inner_text()
        exercises = page.locator(".jp-MarkdownCell aside", has_text="Exercise")
        assert exercises.count() >= 2, "exercises are not rendered as boxes"
        state = run_all_cells(page)
        prompts = state["prompts"]
        assert prompts == [f"[{i}]:" for i in range(1, len(prompts) + 1)], (
            f"the cells did not run once each, in order: {prompts}")
        assert not state["errors"], "cells show errors or stderr:\n" + "\n---\n".join(
            state["errors"])
        assert not problems, "\n".join(problems)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "jupyterlab-top.png")
        exercises.first.scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOTS / "jupyterlab-exercise.png")
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_chapter_reads_as_text_without_myst(browser, tmp_path):
    """Plain Jupyter (Colab, GitHub): the markup must read as text, not as code blocks."""
    proc, url = start_lab(tmp_path, plain=True)
    try:
        page, problems = open_chapter(browser, url)
        assert page.locator(".jp-MarkdownCell .myst").count() == 0, "jupyterlab-myst still on"
        # a directive fenced with backticks shows as a code block holding its options and text
        # (code blocks that show code, e.g. a tutorial snippet, are fine)
        code_blocks = page.evaluate("""() => [...document.querySelectorAll(
            '.jp-MarkdownCell .jp-RenderedMarkdown pre')].map((p) => p.innerText)""")
        directives = [b[:80] for b in code_blocks if re.search(r"^:[\w-]+:|^\{[\w-]+\}", b, re.M)]
        assert not directives, ("MyST directives shown as code blocks in plain Jupyter (use colon "
                                f"fences): {directives}")
        headline = page.locator(".jp-MarkdownCell .jp-RenderedMarkdown",
                                has_text="Learning objectives").first
        assert headline.locator("strong", has_text="Learning objectives").count() == 1, (
            "the objectives need a bold heading that plain Markdown shows")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "jupyterlab-plain-top.png")
        page.locator(".jp-MarkdownCell", has_text="Exercise").first.scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOTS / "jupyterlab-plain-exercise.png")
        assert not problems, "\n".join(problems)
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_student_copy_runs_all_cells_past_its_unanswered_checks(browser, tmp_path):
    """Run All in a student copy: the failing checks do not stop it (raises-exception tag)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import nbformat
    import notebook_tools

    copy_path = tmp_path / "student.ipynb"
    nbformat.write(notebook_tools.student_copy(nbformat.read(ROOT / "notebooks" / CHAPTER, 4)),
                   copy_path)
    labels = [notebook_tools.check_label(c) for c in nbformat.read(copy_path, 4).cells
              if notebook_tools.is_check_cell(c)]
    work = tmp_path / "lab"
    work.mkdir()
    proc, url = start_lab(work, plain=False, source=copy_path)
    try:
        page, problems = open_chapter(browser, url)
        state = run_all_cells(page)
        prompts = state["prompts"]
        assert prompts == [f"[{i}]:" for i in range(1, len(prompts) + 1)], (
            f"Run All stopped at a failing check: {prompts}")
        shown = state["errors"]
        assert len(shown) == len(labels) == 3, shown
        for label, text in zip(labels, shown, strict=True):
            assert f"AnswerMissing: {label}: not answered yet. Define `" in text, text
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                     ).last.scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOTS / "jupyterlab-student-check.png")
        assert not problems, "\n".join(problems)
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
