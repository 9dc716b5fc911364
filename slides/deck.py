"""The lecture deck: a notebook, executed and tested like a chapter, presented with reveal.js.

How it works
------------
``slides/lecture.ipynb`` is the deck's source. Its cells carry the slideshow metadata that Jupyter
uses (``metadata.slideshow.slide_type``):

* ``"slide"``: a markdown cell that starts a new slide (its title and a few lines);
* ``"-"`` (or none): a cell that continues the current slide; of a code cell only its figures
  (``image/png``) and tables (``text/html``) are shown, never its code;
* ``"notes"``: a markdown cell with the speaker notes of the current slide;
* ``"skip"``: left out of the deck (set-up code, and the asserts that guard every number the slides
  and notes show).

The code cells compute the figures with ``lstm_lab`` (the cell diagram, the windows, chapter 01's
gradient measurement) and read result tables from the committed, nbval-tested outputs of the
chapter notebooks, asserting the values that the slides and the notes quote. ``make test`` re-runs
the deck under nbval like a chapter, so a chapter whose results change breaks the deck's test
instead of leaving a stale slide.

``python slides/deck.py build OUT`` turns the executed notebook (its committed outputs: nothing is
executed) into ``OUT/index.html``, one ``<section>`` per slide with its notes in
``<aside class="notes">``, the figures as PNG files in ``OUT/img/``, ``slides/deck.css`` and the
vendored reveal.js (``slides/vendor/reveal.js``, see its README). Nothing is loaded from another
host. ``make slides`` builds into ``_build/slides/lecture/``, which the book copies into the website
(``html_extra_path`` in ``_config.yml``): ``_build/html/lecture/index.html``.
``python slides/deck.py execute`` re-executes the notebook in place (after editing it);
``python slides/deck.py words`` prints the notes' word count per slide.

This is a small template of our own rather than ``jupyter nbconvert --to slides``, whose reveal
template loads require.js, jQuery, mermaid and MathJax from CDNs.
"""

from __future__ import annotations

import argparse
import base64
import html
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from markdown_it import MarkdownIt

HERE = Path(__file__).resolve().parent
NOTEBOOK = HERE / "lecture.ipynb"
VENDOR = HERE / "vendor" / "reveal.js"
STYLE = HERE / "deck.css"
#: the vendored files the deck loads (relative to VENDOR), copied next to index.html
VENDOR_FILES = ("LICENSE", "VERSION", "dist/reset.css", "dist/reveal.css", "dist/reveal.js",
                "plugin/notes/notes.js")

#: presenting pace, spoken words per minute, and the lecture's length in minutes
WORDS_PER_MINUTE = (140, 150)
MINUTES = 15
SLIDE_TYPES = {"slide", "-", "notes", "skip"}

_markdown = MarkdownIt("commonmark", {"typographer": True}).enable(["table", "replacements",
                                                                     "smartquotes"])


@dataclass
class Slide:
    """One slide: its HTML parts, its speaker notes (markdown) and its figures (PNG bytes)."""

    number: int
    parts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    images: list[tuple[bytes, str]] = field(default_factory=list)  # (png, alt text)

    @property
    def title(self) -> str:
        for part in self.parts:
            match = re.search(r"<h[12][^>]*>(.*?)</h[12]>", part, re.S)
            if match:
                return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()
        return ""

    @property
    def notes_text(self) -> str:
        return "\n\n".join(self.notes)


def slide_type(cell) -> str:
    kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")
    if kind not in SLIDE_TYPES:
        raise ValueError(f"slide_type {kind!r} is not supported (use one of "
                         f"{sorted(SLIDE_TYPES)}): {''.join(cell.source)[:80]!r}")
    return kind


def count_words(text: str) -> int:
    """Spoken words: whitespace-separated tokens holding a letter or a digit."""
    return sum(1 for token in text.split() if re.search(r"[^\W_]", token))


def read_slides(path: Path = NOTEBOOK) -> list[Slide]:
    """Group the notebook's cells into slides (see the module docstring)."""
    nb = nbformat.read(path, as_version=4)
    slides: list[Slide] = []
    for cell in nb.cells:
        kind = slide_type(cell)
        if kind == "skip":
            continue
        if kind == "slide":
            if cell.cell_type != "markdown":
                raise ValueError("a slide must start with a markdown cell")
            slides.append(Slide(number=len(slides) + 1))
        if not slides:
            raise ValueError(f"a cell before the first slide: {cell.source[:80]!r}")
        slide = slides[-1]
        if kind == "notes":
            slide.notes.append(cell.source.strip())
        elif cell.cell_type == "markdown":
            slide.parts.append(_markdown.render(cell.source))
        elif cell.cell_type == "code":
            alt = cell.get("metadata", {}).get("alt", "")
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "image/png" in data:
                    if not alt:
                        raise ValueError(f"slide {slide.number}: a figure without metadata.alt")
                    slide.images.append((base64.b64decode(data["image/png"]), alt))
                    slide.parts.append(f"\0image{len(slide.images)}\0")
                elif "text/html" in data:
                    slide.parts.append(f'<div class="table">{"".join(data["text/html"])}</div>')
    return slides


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="reveal.js/dist/reset.css">
<link rel="stylesheet" href="reveal.js/dist/reveal.css">
<link rel="stylesheet" href="deck.css">
</head>
<body>
<div class="reveal"><div class="slides">
{sections}
</div></div>
<script src="reveal.js/dist/reveal.js"></script>
<script src="reveal.js/plugin/notes/notes.js"></script>
<script>
// The slide number shows in the corner; press S for the speaker view, F for full screen.
// ?print-pdf lays every slide out for the browser's Print > Save as PDF
// (add &showNotes=separate-page to print the notes too).
Reveal.initialize({{
  hash: true, slideNumber: "c/t", transition: "none", controls: true, progress: true,
  width: 1280, height: 720, margin: 0.04, center: false,
  plugins: [RevealNotes]
}});
</script>
</body>
</html>
"""


def render(slides: list[Slide], out: Path) -> Path:
    """Write ``out/index.html``, its figures, the style sheet and the vendored reveal.js."""
    if out.exists():
        shutil.rmtree(out)
    (out / "img").mkdir(parents=True)
    sections = []
    for slide in slides:
        if not slide.notes_text:
            raise ValueError(f"slide {slide.number} ({slide.title!r}) has no speaker notes")
        body = "\n".join(slide.parts)
        for k, (png, alt) in enumerate(slide.images, start=1):
            name = f"img/slide-{slide.number:02d}-{k}.png"
            (out / name).write_bytes(png)
            body = body.replace(f"\0image{k}\0",
                                f'<img class="figure" src="{name}" alt="{html.escape(alt)}">')
        notes = _markdown.render(slide.notes_text)
        sections.append(f'<section id="slide-{slide.number}">\n{body}\n'
                        f'<aside class="notes">\n{notes}</aside>\n</section>')
    page = PAGE.format(title=html.escape(f"{slides[0].title} · lecture"),
                       sections="\n".join(sections))
    (out / "index.html").write_text(page, encoding="utf-8")
    shutil.copy(STYLE, out / "deck.css")
    for name in VENDOR_FILES:
        target = out / "reveal.js" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(VENDOR / name, target)
    return out / "index.html"


def words_table(slides: list[Slide]) -> str:
    lines = [f"{s.number:3d}  {count_words(s.notes_text):4d} words  {s.title}" for s in slides]
    total = sum(count_words(s.notes_text) for s in slides)
    slow, fast = (total / wpm for wpm in WORDS_PER_MINUTE)
    lines.append(f"{len(slides)} slides, {total} words of notes: {fast:.1f} to {slow:.1f} minutes "
                 f"at {WORDS_PER_MINUTE[1]} to {WORDS_PER_MINUTE[0]} words a minute")
    return "\n".join(lines)


def execute(path: Path = NOTEBOOK, timeout: int = 600) -> None:
    """Execute the deck notebook top to bottom, in its folder, and save it with its outputs."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    print(f"{path}: executed in {time.perf_counter() - start:.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="write the deck (index.html and its files) into OUT")
    build.add_argument("out", type=Path)
    sub.add_parser("execute", help="re-execute slides/lecture.ipynb in place")
    sub.add_parser("words", help="print the notes' word count per slide")
    args = parser.parse_args(argv)
    if args.command == "execute":
        execute()
        return 0
    slides = read_slides()
    if args.command == "build":
        index = render(slides, args.out)
        total = sum(count_words(s.notes_text) for s in slides)
        print(f"{index}: {len(slides)} slides, {total} words of speaker notes")
    else:
        print(words_table(slides))
    return 0


if __name__ == "__main__":
    sys.exit(main())
