"""Shared test setup: a non-interactive matplotlib, and for the browser tests
(tests/test_website.py, tests/test_jupyterlab.py, tests/test_lecture_deck.py) a headless
Chromium and a local web server."""

import functools
import http.server
import os
import shutil
import threading

import matplotlib
import pytest

matplotlib.use("Agg")

CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def find_chromium() -> str:
    """The Chromium to drive: ``LSTM_LAB_CHROMIUM``, else ``chromium`` on PATH; fail clearly."""
    path = os.environ.get("LSTM_LAB_CHROMIUM") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    if not path:
        pytest.fail(
            "Chromium was not found, so the browser tests cannot run. Install it "
            "(Debian/Ubuntu: sudo apt-get install chromium; .ci/run does this when run as root), "
            "or point LSTM_LAB_CHROMIUM at a Chromium or Chrome executable.", pytrace=False)
    return path


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium, driven by playwright, for one test module."""
    executable = find_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: make .venv/.installed (it is in the lock file)",
                    pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@pytest.fixture(scope="module")
def serve():
    """``serve(directory)`` serves a folder on 127.0.0.1 (a free port) and returns its URL;
    every server started in a test module stops at the module's end."""
    servers = []

    def start(directory) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}/"

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
