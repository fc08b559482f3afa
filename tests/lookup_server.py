"""A stand-in for Open Library on 127.0.0.1: recorded-shaped answers for /isbn/, /books/, /works/,
/authors/, /search.json and covers, plus the bad days (429 with Retry-After, 500, a slow answer, a
malformed body, an unknown ISBN, a redirect to another host). It records every request it is sent, with
its arrival time and User-Agent, so tests assert the client's manners on the server's side."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


def isbn13(stem: str) -> str:
    """A valid ISBN-13 from its first 12 digits."""
    total = sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(stem))
    return stem + str((10 - total % 10) % 10)


DUNE = "9780441013593"
EARTHSEA = isbn13("978055338368")
MARKUP = isbn13("978000000001")
UNKNOWN = isbn13("978000000002")
NO_WORK_YEAR = isbn13("978000000003")
BIG_COVER = isbn13("978000000004")
NOT_IMAGE = isbn13("978000000005")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 2000 + b"\xff\xd9"


def edition(key: str, title: str, work: str, author: str, **more: object) -> dict[str, object]:
    return {
        "key": f"/books/{key}",
        "title": title,
        "authors": [{"key": f"/authors/{author}"}],
        "works": [{"key": f"/works/{work}"}],
        "type": {"key": "/type/edition"},
        **more,
    }


def work(key: str, title: str, author: str, **more: object) -> dict[str, object]:
    return {
        "key": f"/works/{key}",
        "title": title,
        "authors": [{"author": {"key": f"/authors/{author}"}, "type": {"key": "/type/author_role"}}],
        "type": {"key": "/type/work"},
        **more,
    }


def doc(key: str, title: str, authors: list[str], **more: object) -> dict[str, object]:
    return {"key": f"/works/{key}", "title": title, "author_name": authors, **more}


ANSWERS: dict[str, object] = {
    # Dune: /isbn/ redirects to the edition, as Open Library does.
    f"/isbn/{DUNE}.json": ("redirect", "/books/OL9190193M.json"),
    "/books/OL9190193M.json": edition(
        "OL9190193M",
        "Dune",
        "OL893415W",
        "OL79034A",
        number_of_pages=528,
        isbn_13=[DUNE],
        isbn_10=["0441013597"],
        covers=[11481354],
        series=["Dune Chronicles ; 1"],
        publish_date="2005",
    ),
    "/works/OL893415W.json": work(
        "OL893415W",
        "Dune",
        "OL79034A",
        first_publish_date="1965",
        subjects=["Science fiction", "Deserts", "Ecology"],
        covers=[11481354],
    ),
    "/authors/OL79034A.json": {"key": "/authors/OL79034A", "name": "Frank Herbert"},
    f"/isbn/{EARTHSEA}.json": edition(
        "OL2M",
        "A Wizard of Earthsea",
        "OL2W",
        "OL2A",
        number_of_pages=183,
        isbn_13=[EARTHSEA],
        covers=[222],
        series=["Earthsea Cycle -- 1"],
    ),
    "/works/OL2W.json": work("OL2W", "A Wizard of Earthsea", "OL2A", first_publish_date="1968"),
    "/authors/OL2A.json": {"name": "Ursula K. Le Guin"},
    # Hostile text in an answer: markup, an escape sequence, HTML entities.
    f"/isbn/{MARKUP}.json": edition(
        "OL3M", "<b>[bold]Evil</b>\x1b[31m &amp; Title\u202e", "OL3W", "OL3A", number_of_pages=10
    ),
    "/works/OL3W.json": work("OL3W", "Evil", "OL3A", first_publish_date="2001"),
    "/authors/OL3A.json": {"name": "Ann\x07 <i>Author</i>"},
    # A work without first_publish_date: the year comes from the search index.
    f"/isbn/{NO_WORK_YEAR}.json": edition("OL4M", "Quiet Book", "OL4W", "OL4A", covers=[-1]),
    "/works/OL4W.json": work("OL4W", "Quiet Book", "OL4A"),
    "/authors/OL4A.json": {"name": "Q. Writer"},
    f"/isbn/{BIG_COVER}.json": edition("OL5M", "Big Cover", "OL5W", "OL5A", covers=[555]),
    "/works/OL5W.json": work("OL5W", "Big Cover", "OL5A", first_publish_date="1999"),
    "/authors/OL5A.json": {"name": "B. Cover"},
    f"/isbn/{NOT_IMAGE}.json": edition("OL6M", "Not An Image", "OL6W", "OL6A", covers=[666]),
    "/works/OL6W.json": work("OL6W", "Not An Image", "OL6A", first_publish_date="1998"),
    "/authors/OL6A.json": {"name": "N. Image"},
    # The edition a title search's match is completed from.
    "/books/OL7M.json": edition(
        "OL7M",
        "The Left Hand of Darkness",
        "OL7W",
        "OL2A",
        number_of_pages=304,
        isbn_13=[isbn13("978044100731")],
        series=["Hainish Cycle, #4"],
        covers=[777],
    ),
    "/books/OL8M.json": edition("OL8M", "Piranesi", "OL8W", "OL8A", number_of_pages=272),
}

SEARCHES: dict[str, list[dict[str, object]]] = {
    "the left hand of darkness": [
        doc(
            "OL7W",
            "The Left Hand of Darkness",
            ["Ursula K. Le Guin"],
            first_publish_year=1969,
            number_of_pages_median=286,
            cover_i=777,
            cover_edition_key="OL7M",
            edition_count=120,
            subject=["Science fiction"],
        ),
        doc(
            "OL70W",
            "Left Hand of Darkness (Study Guide)",
            ["Someone Else"],
            first_publish_year=2001,
            edition_count=1,
        ),
    ],
    "piranesi": [
        doc(
            "OL8W",
            "Piranesi",
            ["Susanna Clarke"],
            first_publish_year=2020,
            number_of_pages_median=245,
            cover_edition_key="OL8M",
            edition_count=30,
        ),
    ],
    "the stranger": [
        doc("OL9W", "The Stranger", ["Albert Camus"], first_publish_year=1942, edition_count=200),
        doc("OL10W", "The Stranger", ["Harlan Coben"], first_publish_year=2015, edition_count=40),
        doc("OL11W", "The Stranger", ["Kate Riordan"], first_publish_year=2019, edition_count=8),
    ],
    f"isbn:{NO_WORK_YEAR}": [
        doc("OL4W", "Quiet Book", ["Q. Writer"], first_publish_year=1977, number_of_pages_median=150),
    ],
}


@dataclass
class Seen:
    at: float
    path: str
    user_agent: str


@dataclass
class Server:
    base: str = ""
    seen: list[Seen] = field(default_factory=list)
    # Test knobs: path -> list of scripted answers used before the normal one (e.g. a 429, then the data).
    script: dict[str, list[tuple[int, dict[str, str], bytes]]] = field(default_factory=dict)
    delay: dict[str, float] = field(default_factory=dict)  # path -> seconds to wait before answering
    cut: dict[str, int] = field(default_factory=dict)  # path -> bytes of the body sent before it hangs up
    answers: dict[str, object] = field(default_factory=lambda: dict(ANSWERS))
    lock: threading.Lock = field(default_factory=threading.Lock)
    httpd: ThreadingHTTPServer | None = None
    clock: Callable[[], float] = time.monotonic  # what `Seen.at` is read from (a test may share its own)

    def stop(self) -> None:
        """The network gone: nothing listens on the port any more."""
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def paths(self) -> list[str]:
        return [s.path for s in self.seen]

    def respond(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        with self.lock:
            self.seen.append(Seen(self.clock(), handler.path, handler.headers.get("User-Agent", "")))
            scripted = self.script.get(parts.path)
            step = scripted.pop(0) if scripted else None
        if parts.path in self.delay:
            time.sleep(self.delay[parts.path])
        if parts.path in self.cut:  # the whole Content-Length promised, fewer bytes sent, then closed
            handler.wfile = _Cut(handler.wfile, self.cut[parts.path])
        if step is not None:
            return _send(handler, *step)
        if parts.path == "/search.json":
            query = parse_qs(parts.query)
            wanted = (query.get("title") or query.get("q") or [""])[0].lower()
            docs = SEARCHES.get(wanted, [])
            return _json(handler, {"numFound": len(docs), "start": 0, "docs": docs})
        if parts.path.startswith("/b/id/"):
            return self.cover(handler, parts.path)
        answer = self.answers.get(parts.path)
        if answer is None:
            return _send(handler, 404, {"Content-Type": "application/json"}, b'{"error": "notfound"}')
        if isinstance(answer, tuple) and answer[0] == "redirect":
            return _send(handler, 302, {"Location": answer[1]}, b"")
        if isinstance(answer, bytes):
            return _send(handler, 200, {"Content-Type": "application/json"}, answer)
        return _json(handler, answer)

    def cover(self, handler: BaseHTTPRequestHandler, path: str) -> None:
        if path == "/b/id/555-L.jpg":
            return _send(handler, 200, {"Content-Type": "image/jpeg"}, JPEG[:4] + b"\x00" * (3 * 1024 * 1024))
        if path == "/b/id/666-L.jpg":
            return _send(handler, 200, {"Content-Type": "text/html"}, b"<html>nope</html>")
        if path in ("/b/id/11481354-L.jpg", "/b/id/222-L.jpg", "/b/id/777-L.jpg"):
            return _send(handler, 200, {"Content-Type": "image/jpeg"}, JPEG)
        return _send(handler, 404, {"Content-Type": "text/plain"}, b"not found")


class _Cut:
    """A handler's output that lets its headers through (the first write) and only `size` bytes after."""

    def __init__(self, wfile: Any, size: int) -> None:
        self.wfile, self.size, self.writes = wfile, size, 0

    def write(self, data: bytes) -> int:
        self.writes += 1
        if self.writes > 1:
            data, self.size = data[: self.size], max(0, self.size - len(data))
        return self.wfile.write(data)

    def __getattr__(self, name: str) -> Any:  # flush, closed, close: the handler's own
        return getattr(self.wfile, name)


def _json(handler: BaseHTTPRequestHandler, value: object) -> None:
    _send(handler, 200, {"Content-Type": "application/json"}, json.dumps(value).encode())


def _send(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes) -> None:
    try:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up (a timeout test): fine


def start() -> tuple[Server, ThreadingHTTPServer]:
    server = Server()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            server.respond(self)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    server.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    server.httpd = httpd
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, httpd


def serving(monkeypatch: object, pace: str | None = "0") -> Iterator[Server]:
    """For a fixture: the server running, and readlog pointed at it through its environment variables."""
    server, _ = start()
    setenv = monkeypatch.setenv  # type: ignore[attr-defined]
    setenv("READLOG_OPENLIBRARY_URL", server.base)
    setenv("READLOG_COVERS_URL", server.base)
    setenv("READLOG_CONTACT", "reader@example.org")
    setenv("READLOG_CONFIG", "/nonexistent/readlog-config.toml")
    if pace is None:
        monkeypatch.delenv("READLOG_OPENLIBRARY_PACE", raising=False)  # type: ignore[attr-defined]
    else:
        setenv("READLOG_OPENLIBRARY_PACE", pace)
    try:
        yield server
    finally:
        server.stop()
