"""The built example site in a real browser: headless Chromium loading it from a local HTTP server.

Skipped, with the reason, where no Chromium is installed (`.ci/run` installs Debian's `chromium` where
it can). Every page is loaded (all at once, as frames of one harness page, so the browser starts once):
no console messages (the site has no scripts, so any message is an error), no request the server could not
answer, every internal link answered; screenshots at 1280 and 390 pixels are not blank; the Atom feed
parses with one entry per published review.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import struct
import subprocess
import threading
import urllib.request
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "journal"

BROWSER = next(
    (shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome") if shutil.which(name)),
    None,
)
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium here (Debian: apt-get install chromium; .ci/run does it where it can)",
)
HARNESS = "/__every-page.html"


class Recorder(SimpleHTTPRequestHandler):
    """Serves the site and notes every request's path and status; HARNESS is a page of frames."""

    requests: list[tuple[str, int]]
    harness = ""

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        if self.path == HARNESS:
            body = self.harness.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        self.requests.append((self.path, int(code) if str(code).isdigit() else 0))

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def served(run, journal_home: Path, tmp_path: Path) -> Iterator[tuple[str, Path, type[Recorder]]]:
    shutil.copytree(EXAMPLE / "books", journal_home / "books")
    out = tmp_path / "site"
    run("site", str(out), "--title", "Pages and Afterthoughts")
    handler = type("Handler", (Recorder,), {"requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", out, handler
    finally:
        server.shutdown()
        server.server_close()


def browse(*args: str, cwd: Path) -> str:
    """Chromium, headless, with its log on stderr; returns that log."""
    assert BROWSER is not None
    command = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--enable-logging=stderr", "--v=0", f"--user-data-dir={cwd / 'profile'}", *args]  # fmt: skip
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, env=_env())
    return done.stderr


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    return env


def console(log: str) -> list[str]:
    return [line for line in log.splitlines() if ":CONSOLE" in line]


def check_every_page_loads(base: str, pages: list[str], handler: type[Recorder], cwd: Path) -> list[str]:
    handler.harness = '<!doctype html><title>every page</title><link rel="icon" href="data:,">' + "".join(
        f'<iframe src="/{page}" width="800" height="600"></iframe>' for page in pages
    )
    handler.requests.clear()
    log = browse("--virtual-time-budget=10000", "--dump-dom", base + HARNESS, cwd=cwd)
    problems = console(log)
    problems += [f"{status} {path}" for path, status in handler.requests if status >= 400]
    loaded = {path.lstrip("/") for path, status in handler.requests if status == 200}
    problems += [f"never loaded: {page}" for page in pages if page not in loaded]
    return problems


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [v for k, v in attrs if k in ("href", "src") and v]


def test_every_page_renders_without_errors_and_every_link_resolves(served, tmp_path):
    base, out, handler = served
    pages = sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))
    assert "books/never-let-me-go.html" in pages and len(pages) > 15
    # the check itself catches a broken page: a console message and a missing file
    broken = out / "broken.html"
    broken.write_text('<!doctype html><script>console.error("boom")</script><img src="missing.png" alt="">')
    caught = check_every_page_loads(base, ["broken.html"], handler, tmp_path)
    assert any("boom" in line for line in caught) and any("missing.png" in line for line in caught), caught
    broken.unlink()

    assert check_every_page_loads(base, pages, handler, tmp_path) == []
    for page in pages:
        parser = Links()
        parser.feed((out / page).read_text(encoding="utf-8"))
        for link in parser.links:
            if re.match(r"[a-z]+:", link):
                continue
            url = urllib.parse.urljoin(f"{base}/{page}", link.partition("#")[0])
            with urllib.request.urlopen(url, timeout=10) as response:  # raises on 404
                assert response.status == 200, (page, link)


def test_screenshots_at_desktop_and_phone_widths_are_not_blank(served, tmp_path):
    base, out, _ = served
    for width in (1280, 390):
        shot = tmp_path / f"never-let-me-go-{width}.png"
        browse("--hide-scrollbars", f"--window-size={width},1600", f"--screenshot={shot}",
               f"{base}/books/never-let-me-go.html", cwd=tmp_path)  # fmt: skip
        size, colours = png_facts(shot.read_bytes())
        assert size == (width, 1600)
        assert colours > 50, f"{shot} looks blank ({colours} distinct pixel values)"
        keep = os.environ.get("READLOG_SCREENSHOTS")
        if keep:  # to look at them: READLOG_SCREENSHOTS=/tmp/shots pytest tests/test_site_browser.py
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, keep)


def test_atom_feed_parses_with_one_entry_per_published_review(served):
    base, out, _ = served
    with urllib.request.urlopen(f"{base}/feed.xml", timeout=10) as response:
        feed = ET.fromstring(response.read())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    reviews = sorted(p.name for p in (out / "books").glob("*.html"))  # without --all: the reviewed books
    entries = feed.findall("a:entry", ns)
    assert len(entries) == len(reviews) == 3
    assert sorted(e.find("a:link", ns).get("href").rsplit("/", 1)[-1] for e in entries) == reviews


def png_facts(data: bytes) -> tuple[tuple[int, int], int]:
    """A PNG's (width, height) and how many distinct pixel values its first rows hold (no imaging library:
    a blank page is one value, a page of text hundreds)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    depth, colour = data[24], data[25]
    channels = {2: 3, 6: 4, 0: 1, 4: 2}[colour]
    idat, at = b"", 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        if kind == b"IDAT":
            idat += data[at + 8 : at + 8 + length]
        at += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels * depth // 8
    pixels: set[bytes] = set()
    previous = bytearray(stride)
    for row in range(min(height, 1600)):
        start = row * (stride + 1)
        line = _unfilter(raw[start], bytearray(raw[start + 1 : start + 1 + stride]), previous, channels)
        pixels.update(bytes(line[i : i + channels]) for i in range(0, stride, channels * 7))
        previous = line
    return (width, height), len(pixels)


def _unfilter(kind: int, line: bytearray, prior: bytearray, bpp: int) -> bytearray:
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = prior[i]
        corner = prior[i - bpp] if i >= bpp else 0
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
    return line
