"""The lecture deck (COURSE.md section 12; ``slides/deck.py`` explains how it is made).

Unit tests (``make unit``) build the deck from ``slides/lecture.ipynb`` into a temporary folder and
check its structure: the slide count, speaker notes on every slide, notes that fit a 15-minute talk
(2,000 to 2,300 words: 140 to 150 words a minute), every image a local file that exists, nothing
loaded from another host, the vendored reveal.js, the executed notebook, and the book page that
presents the deck. The nbval run of ``make test`` re-executes the notebook, whose asserts guard
every number the slides and notes quote.

Browser tests (``make browser``, marker ``browser``) open the deck as the website serves it
(``_build/html/lecture/index.html``, built by ``make book``) in headless Chromium with every
request to another host blocked: no console error, Reveal initialised with the expected slides,
every slide's notes returned by ``Reveal.getSlideNotes()``, every image loaded, no slide taller than
the slide area; the speaker view (key S) opens and shows the notes; ``?print-pdf`` lays out one
page per slide and prints to a PDF of that many pages. Screenshots and the PDF go to
``_build/screenshots/`` (``lecture-slide-NN.png``, ``lecture-speaker-view.png``, ``lecture.pdf``).
"""

from __future__ import annotations

import html.parser
import importlib.util
import json
import re
import shutil
import struct
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
N_SLIDES = 12
WORDS = (2000, 2300)  # 15 minutes at 150 and at 140 words a minute, give or take

_spec = importlib.util.spec_from_file_location("deck", ROOT / "slides" / "deck.py")
deck = importlib.util.module_from_spec(_spec)
sys.modules["deck"] = deck  # dataclasses look their module up there
_spec.loader.exec_module(deck)


class _Refs(html.parser.HTMLParser):
    """Every src/href in a page, and each image's attributes."""

    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str]] = []
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if attrs.get(name):
                self.refs.append((tag, attrs[name]))
        if tag == "img":
            self.images.append(attrs)


@pytest.fixture(scope="module")
def slides():
    return deck.read_slides()


@pytest.fixture(scope="module")
def built(tmp_path_factory, slides) -> Path:
    out = tmp_path_factory.mktemp("deck") / "lecture"
    deck.render(slides, out)
    return out


def test_slide_count_and_titles(slides):
    assert len(slides) == N_SLIDES, [s.title for s in slides]
    assert all(s.title for s in slides), "every slide needs a title (# or ## heading)"


def test_every_slide_has_speaker_notes(slides, built):
    for s in slides:
        assert deck.count_words(s.notes_text) >= 100, (
            f"slide {s.number} ({s.title}): notes too short")
    page = (built / "index.html").read_text(encoding="utf-8")
    sections = re.findall(r"<section\b.*?</section>", page, re.S)
    assert len(sections) == N_SLIDES
    for k, section in enumerate(sections, start=1):
        notes = re.search(r'<aside class="notes">(.*?)</aside>', section, re.S)
        assert notes and re.sub(r"<[^>]+>", "", notes.group(1)).strip(), f"slide {k}: no notes"


def test_notes_fit_fifteen_minutes(slides):
    words = sum(deck.count_words(s.notes_text) for s in slides)
    low, high = WORDS
    assert low <= words <= high, (
        f"{words} words of notes: {words / 150:.1f} to {words / 140:.1f} minutes at 150 to 140 "
        f"words a minute; the lecture is 15 minutes ({low}-{high} words)\n"
        f"{deck.words_table(slides)}")


def test_count_words():
    # the dash is not a word
    assert deck.count_words("The LSTM's error, 0.046 GW - half of persistence's.") == 8


def test_every_image_is_a_local_file_and_nothing_comes_from_another_host(built):
    parser = _Refs()
    parser.feed((built / "index.html").read_text(encoding="utf-8"))
    assert len(parser.images) >= 5, "the deck's figures are missing"
    for tag, ref in parser.refs:
        parts = urlsplit(ref)
        if ref.startswith("data:"):
            continue
        assert not parts.scheme and not parts.netloc, f"<{tag}> loads {ref} from another host"
        assert (built / parts.path).is_file(), f"<{tag}> refers to {ref}, which is not in the deck"
    for image in parser.images:
        assert image.get("alt", "").strip(), f"image {image['src']} has no alt text"
        png = (built / image["src"]).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n", f"{image['src']} is not a PNG"
        width, height = struct.unpack(">II", png[16:24])
        assert width >= 1200, f"{image['src']} is {width} px wide: too coarse for a projector"


def test_reveal_js_is_vendored_small_with_its_version_and_licence():
    vendor = ROOT / "slides" / "vendor" / "reveal.js"
    assert (vendor / "VERSION").read_text().strip() == "5.2.1"
    assert "5.2.1" in (vendor / "README.md").read_text()
    assert "MIT" in (vendor / "LICENSE").read_text() or "Permission is hereby granted" in (
        vendor / "LICENSE").read_text()
    for name in deck.VENDOR_FILES:
        assert (vendor / name).is_file(), name
    size = sum(p.stat().st_size for p in vendor.rglob("*") if p.is_file())
    assert size < 400_000, f"the vendored reveal.js is {size:,} bytes: only what the deck needs"
    for path in vendor.rglob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert "sourceMappingURL" not in text, (
            f"{path.name} points to a source map that is not here")


def test_deck_notebook_is_executed_in_order_without_errors_or_stderr():
    nb = json.loads(deck.NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"execution counts {counts}: run `.venv/bin/python slides/deck.py execute`")
    for cell in code:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", "".join(cell["source"])
            assert output.get("name") != "stderr", "".join(cell["source"])
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    first = "".join(code[0]["source"])
    assert first.startswith("import lstm_lab") and "set_seed(" in first


def test_bad_slide_metadata_is_refused(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# A", metadata={"slideshow": {"slide_type": "fragment"}})])
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ValueError, match="slide_type 'fragment' is not supported"):
        deck.read_slides(path)
    nb.cells[0].metadata = {"slideshow": {"slide_type": "slide"}}
    nbformat.write(nb, path)
    with pytest.raises(ValueError, match="has no speaker notes"):
        deck.render(deck.read_slides(path), tmp_path / "out")


def test_lecture_page_lists_every_slide_in_order(slides):
    page = (ROOT / "book" / "lecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| ([^|]+?) \|", page, re.M)
    assert [(int(n), t) for n, t in rows] == [(s.number, s.title) for s in slides], (
        "book/lecture.md's slide list must match the deck's slide titles")
    assert "../lecture/index.html" in page
    for needle in ("speaker view", "print-pdf", "offline"):
        assert needle in page.lower(), f"book/lecture.md does not explain {needle!r}"


def test_lecture_page_opens_the_for_instructors_part():
    parts = yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"]
    captions = [p["caption"] for p in parts]
    at = captions.index("For instructors")
    assert captions[at - 1].startswith("Part V") and captions[at + 1] == "Appendix", captions
    assert parts[at]["chapters"][0]["file"] == "book/lecture"


def test_the_website_build_includes_the_deck():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert "_build/slides" in config["sphinx"]["config"]["html_extra_path"]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^book: .*\bslides\b", makefile, re.M)
    assert re.search(r"^book-strict: .*\bslides\b", makefile, re.M)
    assert "slides/lecture.ipynb" in makefile  # re-run under nbval


# ----------------------------------------------------------------------------------------------
# in the browser, as the website serves it


@pytest.fixture(scope="module")
def deck_url(serve) -> str:
    if not (SITE / "lecture" / "index.html").is_file():
        pytest.fail(f"{SITE}/lecture/index.html is missing: build the site first (make book)",
                    pytrace=False)
    return serve(SITE)


class _Offline:
    """A browser context that aborts every request to another host and records errors."""

    def __init__(self, browser, site_url: str, **options):
        self.site = urlsplit(site_url).netloc
        self.errors: list[str] = []
        self.off_site: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 720}, **options)
        self.context.route("**/*", self._route)
        self.context.on("page", self.watch)

    def watch(self, page):
        page.set_default_timeout(20_000)
        page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def _route(self, route):
        if urlsplit(route.request.url).netloc == self.site:
            route.continue_()
        else:
            self.off_site.append(route.request.url)
            route.abort()

    def open(self, url: str):
        page = self.context.new_page()
        page.goto(url, wait_until="load")
        page.wait_for_function("() => window.Reveal && Reveal.isReady()")
        return page

    def problems(self) -> list[str]:
        return self.errors + [f"request off the site (blocked): {u}" for u in self.off_site]


@pytest.fixture
def offline(browser, deck_url):
    contexts = []

    def make(**options):
        contexts.append(_Offline(browser, deck_url, **options))
        return contexts[-1]

    yield make
    for c in contexts:
        c.context.close()


SLIDE_STATE_JS = """() => {
  const slide = Reveal.getCurrentSlide();
  const images = [...slide.querySelectorAll("img")];
  return { notes: Reveal.getSlideNotes() || "",
           height: slide.scrollHeight, limit: Reveal.getConfig().height,
           broken: images.filter((i) => !(i.complete && i.naturalWidth > 0))
                         .map((i) => i.getAttribute("src")),
           images: images.length };
}"""


@pytest.mark.browser
def test_deck_presents_offline_with_notes_on_every_slide(offline, deck_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    session = offline()
    page = session.open(deck_url + "lecture/index.html")
    assert page.evaluate("Reveal.getTotalSlides()") == N_SLIDES
    problems, images = [], 0
    for k in range(N_SLIDES):
        page.evaluate(f"Reveal.slide({k})")
        page.wait_for_function(f"Reveal.getIndices().h === {k}")
        state = page.evaluate(SLIDE_STATE_JS)
        images += state["images"]
        if deck.count_words(re.sub(r"<[^>]+>", " ", state["notes"])) < 100:
            problems.append(f"slide {k + 1}: Reveal.getSlideNotes() gave {state['notes'][:60]!r}")
        problems += [f"slide {k + 1}: image {src} did not load" for src in state["broken"]]
        if state["height"] > state["limit"]:
            problems.append(f"slide {k + 1}: content {state['height']} px high, "
                            f"the slide {state['limit']} px")
        page.screenshot(path=SCREENSHOTS / f"lecture-slide-{k + 1:02d}.png")
    assert images >= 5, "the figures are missing"
    problems += session.problems()
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_speaker_view_opens_with_the_notes(offline, deck_url):
    session = offline()
    page = session.open(deck_url + "lecture/index.html#/3")
    expected = page.evaluate("Reveal.getSlideNotes()")
    first_words = " ".join(re.sub(r"<[^>]+>", " ", expected).split()[:6])
    with page.expect_popup() as popup_info:
        page.keyboard.press("s")
    speaker = popup_info.value
    speaker.set_viewport_size({"width": 1280, "height": 800})
    notes = speaker.locator(".speaker-controls-notes .value")
    notes.wait_for(state="visible")
    speaker.wait_for_function(
        "(words) => document.querySelector('.speaker-controls-notes .value').textContent"
        ".replace(/\\s+/g, ' ').includes(words)", arg=first_words)
    # the current and the upcoming slide, each in an iframe of the deck itself
    speaker.wait_for_function("() => document.querySelectorAll('#current-slide iframe, "
                              "#upcoming-slide iframe').length === 2")
    for frame in speaker.frames[1:]:
        frame.wait_for_function("() => window.Reveal && Reveal.isReady()")
    speaker.wait_for_timeout(500)  # let the iframes paint
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    speaker.screenshot(path=SCREENSHOTS / "lecture-speaker-view.png")
    page.keyboard.press("ArrowRight")  # the speaker view follows the deck
    next_notes = page.evaluate("Reveal.getSlideNotes()")
    next_words = " ".join(re.sub(r"<[^>]+>", " ", next_notes).split()[:6])
    speaker.wait_for_function(
        "(words) => document.querySelector('.speaker-controls-notes .value').textContent"
        ".replace(/\\s+/g, ' ').includes(words)", arg=next_words)
    assert not session.problems(), "\n".join(session.problems())


@pytest.mark.browser
def test_print_pdf_gives_one_page_per_slide(offline, deck_url):
    session = offline()
    page = session.open(deck_url + "lecture/index.html?print-pdf")
    page.wait_for_function(f"() => document.querySelectorAll('.pdf-page').length === {N_SLIDES}")
    page.evaluate("() => Promise.all([...document.images].map((i) => i.complete ? null :"
                  " new Promise((r) => { i.onload = r; i.onerror = r; })))")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=SCREENSHOTS / "lecture.pdf", width="1280px", height="720px",
                   print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == N_SLIDES, f"the PDF has {pages} pages, not {N_SLIDES}"
    assert not session.problems(), "\n".join(session.problems())


@pytest.mark.browser
def test_lecture_page_links_to_the_deck(offline, deck_url):
    session = offline()
    page = session.context.new_page()
    page.goto(deck_url + "book/lecture.html", wait_until="load")
    link = page.locator("main a[href$='lecture/index.html']").first
    link.click()
    page.wait_for_url("**/lecture/index.html*")
    page.wait_for_function("() => window.Reveal && Reveal.isReady()")
    assert page.evaluate("Reveal.getTotalSlides()") == N_SLIDES


@pytest.mark.browser
def test_speaker_view_works_from_the_folder_without_a_server(browser, tmp_path):
    """Copied to a USB stick and opened as a file: the deck and its speaker view still work."""
    folder = SITE / "lecture"
    if not (folder / "index.html").is_file():
        pytest.fail(f"{folder}/index.html is missing: build the site first (make book)",
                    pytrace=False)
    copy = tmp_path / "lecture"
    shutil.copytree(folder, copy)  # the deck folder alone, away from the rest of the site
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    blocked, errors = [], []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("file://", "about:", "data:")) else (blocked.append(route.request.url), route.abort()))
    context.on("page", lambda p: p.on(
        "console", lambda m: errors.append(m.text) if m.type == "error" else None))
    try:
        page = context.new_page()
        page.goto((copy / "index.html").as_uri() + "#/slide-2")
        page.wait_for_function("() => window.Reveal && Reveal.isReady()")
        assert page.evaluate("Reveal.getTotalSlides()") == N_SLIDES
        notes = page.evaluate("Reveal.getSlideNotes()")
        words = " ".join(re.sub(r"<[^>]+>", " ", notes).split()[:6])
        with page.expect_popup() as popup_info:
            page.keyboard.press("s")
        popup_info.value.wait_for_function(
            "(words) => document.querySelector('.speaker-controls-notes .value').textContent"
            ".replace(/\\s+/g, ' ').includes(words)", arg=words)
        assert not blocked and not errors, (blocked, errors)
    finally:
        context.close()
