"""The built website in a real browser, offline (``make browser``, part of ``make test``).

Serves ``_build/html`` on 127.0.0.1 and opens every page in headless Chromium (the system's
``chromium``, driven by playwright; no browser is downloaded). Every request to another host is
aborted, so the site must work without a network, as in a classroom without internet. Each page:
no console error, no uncaught JavaScript error, no request off the site; every image loaded; no
raw TeX in the text; every formula typeset by MathJax, without a TeX error, and no display
formula wider than the text column (at 1280 px, where it would be cut off); on chapters, the
Binder and Colab launch links, and every exercise numbered "Exercise <chapter>.<k>" with a
solution toggle that is closed and opens on a click. The search page finds chapter 02 for
"forget gate". A full-page screenshot of every page, taken with its solutions opened, goes to
``_build/screenshots/`` for people to look at.

Run it after building the book (``make book`` or ``make book-strict``); ``make unit`` leaves it out
(``-m "not browser"``). Chromium: ``LSTM_LAB_CHROMIUM=/path/to/chrome`` or ``chromium`` on PATH.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"

PAGE_TIMEOUT_MS = 20_000
MAX_REPORTED = 5  # raw TeX and untypeset formulas listed per page (then a count)

# TeX that a reader must never see: display delimiters, environments, inline delimiters and
# control words (\frac, \sigma, \odot, ...). Code (pre/code) is left out: code cells may hold
# TeX for matplotlib labels, e.g. r"$\sigma(z)$".
RAW_TEX = re.compile(r"\$\$|\\begin\{|\\end\{|\\\(|\\\)|\\\[|\\\]|\\[A-Za-z]{2,}")

# the page's text without code, scripts and typeset formulas (textContent, so text inside the
# still-closed solution dropdowns is checked too)
TEXT_OUTSIDE_CODE_JS = """() => {
  const main = document.querySelector("main") || document.body;
  const copy = main.cloneNode(true);
  copy.querySelectorAll("pre, code, script, style, textarea, mjx-container, .highlight")
      .forEach((el) => el.remove());
  return copy.textContent;
}"""

# wait for the images, the fonts and MathJax's first typesetting pass to finish
SETTLE_JS = """async () => {
  await Promise.all([...document.images].map((img) => img.complete ? null :
      new Promise((done) => {
        img.addEventListener("load", done);
        img.addEventListener("error", done);
      })));
  if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise) {
    await window.MathJax.startup.promise;
  }
  await document.fonts.ready;
}"""

BROKEN_IMAGES_JS = """() => [...document.images]
  .filter((img) => !(img.complete && img.naturalWidth > 0))
  .map((img) => img.getAttribute("src"))"""

# every element that MathJax must typeset (Sphinx/myst-nb mark math with the class "math";
# those in code are left alone), and whether each one holds a MathJax output
MATH_JS = """() => [...document.querySelectorAll("main .math")]
  .filter((el) => !el.closest("pre, code"))
  .map((el) => ({ text: el.textContent.slice(0, 80),
                  typeset: !!el.querySelector("mjx-container") }))"""


# TeX that MathJax typeset but could not read: an error box (merror), or an undefined macro,
# which MathJax's noundefined package prints as its own name in red (an mtext "\name")
MATHJAX_ERRORS_JS = r"""() => {
  const doc = window.MathJax && window.MathJax.startup && window.MathJax.startup.document;
  if (!doc || !doc.math) return [];
  const problems = [];
  for (const item of doc.math) {
    item.root.walkTree((node) => {
      if (node.isKind("merror")) {
        problems.push(`MathJax could not typeset: ${item.math}`);
      } else if (node.isKind("mtext") && node.getText().startsWith("\\")) {
        problems.push(`undefined TeX macro ${node.getText()} in: ${item.math}`);
      }
    });
  }
  return problems;
}"""


# display formulas wider than the text column: the reader sees them cut off (MathJax cannot break
# lines; the rest is only reachable with a horizontal scroll bar)
WIDE_FORMULAS_JS = r"""() => {
  const doc = window.MathJax && window.MathJax.startup && window.MathJax.startup.document;
  if (!doc || !doc.math) return [];
  const wide = [];
  for (const item of doc.math) {
    const box = item.typesetRoot;
    if (item.display && box && box.scrollWidth > box.clientWidth + 2) {
      wide.push(`display formula ${box.scrollWidth} px wide in a ${box.clientWidth} px column ` +
                `(split it into lines, e.g. with aligned): ` +
                `${item.math.replace(/\s+/g, " ").trim().slice(0, 70)}`);
    }
  }
  return wide;
}"""


def site_pages() -> list[str]:
    """Every HTML page of the built site (relative paths), assets, sources and the redirect
    index.html (tested on its own) left out."""
    if not (SITE / "index.html").is_file():
        return []
    skip = ("_static/", "_sources/", "_images/", "index.html")
    return sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html")
                  if not p.relative_to(SITE).as_posix().startswith(skip))


def toc_docnames() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    names = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("chapters", []) + entry.get("sections", []))

    walk(toc.get("parts", []))
    return names


def chapter_number(page: str) -> int | None:
    match = re.match(r"notebooks/(\d{2})-", page)
    return int(match.group(1)) if match else None


@pytest.fixture(scope="module")
def site_url(serve) -> str:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE} has no index.html: build the book first (make book)", pytrace=False)
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # only this run's screenshots, none stale
    return serve(SITE)


class Visit:
    """One page opened in a fresh browser context, recording what went wrong."""

    def __init__(self, browser, site_url: str):
        self.site = urlsplit(site_url).netloc
        self.errors: list[str] = []
        self.off_site: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(PAGE_TIMEOUT_MS)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _route(self, route):
        if urlsplit(route.request.url).netloc == self.site:
            route.continue_()
        else:
            self.off_site.append(route.request.url)
            route.abort()

    def _console(self, message):
        if message.type == "error":
            where = message.location.get("url", "")
            self.errors.append(f"console error: {message.text} ({where})")

    def open(self, url: str):
        self.page.goto(url, wait_until="load")
        self.page.evaluate(SETTLE_JS)
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, site_url):
    visits = []

    def open_page(page_path: str):
        v = Visit(browser, site_url)
        visits.append(v)
        v.open(site_url + page_path)
        return v

    yield open_page
    for v in visits:
        v.close()


def screenshot_path(page_path: str, suffix: str = "") -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / (page_path.removesuffix(".html").replace("/", "__") + suffix + ".png")


def check_exercises(page, page_path: str) -> list[str]:
    """Each exercise: numbered '<chapter>.<k>', one solution toggle, closed, opens on a click."""
    problems = []
    chapter = chapter_number(page_path)
    exercises = page.locator("main div.exercise.admonition")
    for k in range(exercises.count()):
        exercise = exercises.nth(k)
        label = exercise.get_attribute("id")
        title = exercise.locator(":scope > .admonition-title").inner_text().strip()
        if chapter is not None and title != f"Exercise {chapter}.{k + 1}":
            problems.append(f"exercise {label!r} is titled {title!r}, "
                            f"expected 'Exercise {chapter}.{k + 1}'")
        solutions = page.locator(
            f"main div.solution.dropdown:has(> .admonition-title a[href='#{label}'])")
        if solutions.count() != 1:
            problems.append(f"exercise {label!r} has {solutions.count()} solution dropdowns, not 1")
            continue
        solution = solutions.first
        button = solution.locator(":scope > .admonition-title button.toggle-button")
        content = solution.locator(":scope > section")
        if button.count() != 1:
            problems.append(f"the solution of {label!r} has no toggle button")
            continue
        if content.count() == 0 or content.first.is_visible():
            problems.append(f"the solution of {label!r} is not hidden before a click")
            continue
        button.click()
        try:
            content.first.wait_for(state="visible", timeout=5_000)
        except Exception:  # playwright's TimeoutError
            problems.append(f"the solution of {label!r} did not open on a click")
    return problems


def check_launch_buttons(page, page_path: str) -> list[str]:
    """A chapter's launch menu links to the notebook on Binder and on Colab."""
    notebook = page_path.removesuffix(".html") + ".ipynb"
    hrefs = page.locator(".dropdown-launch-buttons a").evaluate_all(
        "(links) => links.map((a) => a.href)")
    problems = []
    for host in ("mybinder.org", "colab.research.google.com"):
        if not any(urlsplit(h).netloc == host and notebook in h for h in hrefs):
            problems.append(f"no {host} launch button for {notebook} (launch links: {hrefs})")
    return problems


def test_every_toc_entry_was_built():
    pages = set(site_pages())
    assert pages, f"no built site in {SITE}: build the book first (make book)"
    missing = [name for name in toc_docnames() if f"{name}.html" not in pages]
    assert not missing, f"pages of _toc.yml missing from {SITE}: {missing}"


@pytest.mark.parametrize("page_path", site_pages() or ["index.html"])
def test_page_works_offline(visit, page_path):
    v = visit(page_path)
    page = v.page
    problems = list(v.errors)
    problems += [f"request off the site (blocked): {url}" for url in v.off_site]
    problems += [f"broken image: {src}" for src in page.evaluate(BROKEN_IMAGES_JS)]

    text = page.evaluate(TEXT_OUTSIDE_CODE_JS)
    raw_tex = list(RAW_TEX.finditer(text))
    for match in raw_tex[:MAX_REPORTED]:
        context = " ".join(text[max(0, match.start() - 40): match.end() + 40].split())
        problems.append(f"raw TeX {match.group(0)!r} in the text: ...{context}...")
    if len(raw_tex) > MAX_REPORTED:
        problems.append(f"... raw TeX {len(raw_tex)} times in all")
    untypeset = [m["text"] for m in page.evaluate(MATH_JS) if not m["typeset"]]
    problems += [f"formula not typeset by MathJax: {t!r}" for t in untypeset[:MAX_REPORTED]]
    if len(untypeset) > MAX_REPORTED:
        problems.append(f"... {len(untypeset)} formulas not typeset in all")
    problems += page.evaluate(MATHJAX_ERRORS_JS)
    problems += page.evaluate(WIDE_FORMULAS_JS)

    if chapter_number(page_path) is not None:
        problems += check_launch_buttons(page, page_path)
    problems += check_exercises(page, page_path)
    # after the exercise check, so the screenshot shows the solutions opened
    page.screenshot(path=screenshot_path(page_path), full_page=True)
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


def test_index_redirects_to_the_intro(browser, site_url):
    v = Visit(browser, site_url)
    try:
        v.page.goto(site_url + "index.html")
        # a meta refresh after 0 s: wait until the browser has left index.html
        v.page.wait_for_url(lambda url: not url.endswith("/index.html"), timeout=10_000)
        assert v.page.url == site_url + "book/intro.html", (
            f"index.html did not lead to book/intro.html but to {v.page.url}")
        v.page.evaluate(SETTLE_JS)
        assert not v.errors and not v.off_site, (v.errors, v.off_site)
    finally:
        v.close()


def test_chapters_with_math_have_mathjax_output(visit):
    """The chapters that teach the equations show typeset math (a guard on the MATH_JS check)."""
    for page_path in ("notebooks/02-lstm-cell.html", "notebooks/03-lstm-from-scratch.html"):
        page = visit(page_path).page
        assert page.locator("main mjx-container").count() >= 10, f"{page_path}: no MathJax output"


def test_search_for_forget_gate_finds_chapter_02(visit):
    page = visit("search.html?q=forget+gate").page
    summary = page.locator("#search-results .search-summary")
    summary.wait_for(state="visible")
    page.wait_for_function(
        """() => { const s = document.querySelector("#search-results .search-summary");
                   return s && /finished|did not match/i.test(s.textContent); }""")
    hrefs = page.locator("#search-results ul.search li a").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('href'))")
    page.screenshot(path=screenshot_path("search", "--forget-gate"), full_page=True)
    assert any("notebooks/02-lstm-cell" in (h or "") for h in hrefs), (
        f"search for 'forget gate' did not list chapter 02; results: {hrefs}; "
        f"summary: {summary.inner_text()!r}")


def test_student_copies_download_from_the_how_to_and_the_instructor_guide(visit, site_url):
    """The zip of student copies is linked, resolves on the site, and holds every chapter."""
    import io
    import zipfile

    chapters = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    for page_path in ("book/how-to-use.html", "book/instructor-guide.html"):
        page = visit(page_path).page
        link = page.locator("main a[href$='student-copies.zip']").first
        assert link.count() == 1, f"{page_path}: no link to the student copies' zip"
        url = link.evaluate("(a) => a.href")
        assert url.startswith(site_url), f"{page_path}: the zip must be on the site: {url}"
        response = page.request.get(url)
        assert response.ok, f"{page_path}: {url} answers {response.status}"
        with zipfile.ZipFile(io.BytesIO(response.body())) as archive:
            names = {n.removeprefix("student/") for n in archive.namelist()}
        assert set(chapters) <= names, f"the zip lacks {set(chapters) - names}"


def test_check_cells_are_labelled_and_visible(visit):
    page = visit("notebooks/02-lstm-cell.html").page
    checks = page.locator("main div.cell.tag_exercise-check")
    assert checks.count() == 3, "chapter 02 has three exercises, each with a check cell"
    label = checks.first.evaluate("(el) => getComputedStyle(el, '::before').content")
    assert "Check your answer" in label
    assert checks.first.is_visible(), "a check cell is not hidden in the solution's toggle"
