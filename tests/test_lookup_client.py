"""The Open Library client against a local server: manners (User-Agent, pace, back-off), limits, the cache,
and answers turned into clean data."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import lookup_server as ol
from readlog.lookup import client as web
from readlog.lookup import covers, openlibrary
from readlog.lookup.client import Answer, BadAnswer, Cache, Client, LookupFailed, Timing

FAST = Timing(connect=2, total=3, pace=0, retries=2, backoff=0.05, max_wait=5)


@pytest.fixture
def server(monkeypatch):
    yield from ol.serving(monkeypatch)


def client(server, tmp_path: Path, **more) -> Client:
    options = {
        "timing": FAST,
        "cache": Cache(tmp_path / "http"),
        "user_agent": "readlog/test (t@example.org)",
    }
    options.update(more)
    return Client(base_url=server.base, covers_url=server.base, **options)


def test_an_isbn_becomes_a_clean_record_through_edition_work_and_author(server, tmp_path):
    found = openlibrary.by_isbn(client(server, tmp_path), ol.DUNE)
    assert found is not None
    assert (found.title, found.authors, found.year, found.pages, found.pages_from) == (
        "Dune",
        ["Frank Herbert"],
        1965,
        528,
        "edition",
    )
    assert found.isbns == [ol.DUNE, "0441013597"]
    assert found.series == {"name": "Dune Chronicles", "number": "1"}
    assert found.subjects == ["Science fiction", "Deserts", "Ecology"]
    assert (found.cover_id, found.work, found.edition) == (11481354, "/works/OL893415W", "/books/OL9190193M")
    # /isbn/ redirected (same host) to the edition: followed, and every hop is a request of its own.
    assert server.paths() == [
        f"/isbn/{ol.DUNE}.json",
        "/books/OL9190193M.json",
        "/works/OL893415W.json",
        "/authors/OL79034A.json",
    ]
    assert {s.user_agent for s in server.seen} == {"readlog/test (t@example.org)"}


def test_without_a_first_published_year_on_the_work_the_search_index_gives_it(server, tmp_path):
    found = openlibrary.by_isbn(client(server, tmp_path), ol.NO_WORK_YEAR)
    assert found is not None
    assert (found.year, found.pages, found.pages_from, found.cover_id) == (1977, 150, "median", None)
    assert server.paths()[-1].startswith("/search.json?")


def test_markup_and_control_characters_in_answers_are_cleaned_like_typed_text(server, tmp_path):
    found = openlibrary.by_isbn(client(server, tmp_path), ol.MARKUP)
    assert found is not None
    assert found.title == "[bold]Evil & Title"  # (the escape sequence gone whole: no "[31m" left)
    assert found.authors == ["Ann Author"]
    for text in (found.title, *found.authors):
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c == "\u202e" for c in text)


def test_an_unknown_isbn_is_none_and_that_answer_is_cached_too(server, tmp_path):
    cache = Cache(tmp_path / "http")
    assert openlibrary.by_isbn(client(server, tmp_path, cache=cache), ol.UNKNOWN) is None
    server.stop()
    assert openlibrary.by_isbn(client(server, tmp_path, cache=cache), ol.UNKNOWN) is None


class SharedClock:
    """A clock the client and the server both read, moved only by the client's waits: what the server
    sees is then the client's pacing alone, never how fast this machine happens to be today."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += max(0.0, seconds)


def test_the_pace_is_one_request_a_second_seen_from_the_server(server, tmp_path):
    clock = SharedClock()
    server.clock = clock
    paced = client(server, tmp_path, timing=Timing(pace=1.0, retries=0), clock=clock, sleep=clock.sleep)
    openlibrary.by_isbn(paced, ol.DUNE)
    arrivals = [s.at for s in server.seen]
    assert len(arrivals) == 4
    assert [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)] == [1.0, 1.0, 1.0]


def test_without_a_pace_the_same_requests_arrive_together(server, tmp_path):
    """The near miss of the test above: that test can fail, because unpaced requests show here as 0 s."""
    clock = SharedClock()
    server.clock = clock
    unpaced = client(server, tmp_path, timing=Timing(pace=0, retries=0), clock=clock, sleep=clock.sleep)
    openlibrary.by_isbn(unpaced, ol.DUNE)
    arrivals = [s.at for s in server.seen]
    assert len(arrivals) == 4 and max(arrivals) - min(arrivals) == 0


def test_a_server_that_dribbles_its_headers_is_cut_at_the_total_deadline(tmp_path):
    """Status line, then one header byte every 0.3 s: each wait for bytes is short, the whole is not."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            while not stop.is_set():
                try:
                    conn.sendall(b"X")
                except OSError:
                    return
                time.sleep(0.3)

    threading.Thread(target=serve, daemon=True).start()
    dribbled = Client(
        base_url=f"http://127.0.0.1:{port}",
        covers_url=f"http://127.0.0.1:{port}",
        timing=Timing(connect=2, total=1.5, pace=0, retries=0),
        cache=None,
    )
    try:
        with pytest.raises(LookupFailed, match=r"did not answer in time \(1.5 s\)"):
            dribbled.get_json("/isbn/9780441013593.json")
    finally:
        stop.set()
        listener.close()


def test_a_429_is_retried_after_the_wait_it_asks_for(server, tmp_path):
    path = "/works/OL893415W.json"
    server.script[path] = [(429, {"Retry-After": "1"}, b"slow down")]
    answer = client(server, tmp_path).get_json(path)
    assert answer["title"] == "Dune"
    times = [s.at for s in server.seen if s.path == path]
    assert len(times) == 2 and times[1] - times[0] >= 0.95


def test_a_500_is_retried_with_back_off_then_given_up_with_one_line(server, tmp_path):
    path = "/works/OL893415W.json"
    server.script[path] = [(500, {}, b"oops")]
    assert client(server, tmp_path).get_json(path)["title"] == "Dune"
    server.script[path] = [(503, {}, b"")] * 3
    with pytest.raises(LookupFailed, match=r"having trouble \(503, 3 tries\)"):
        client(server, tmp_path, cache=None).get_json(path)
    assert server.paths().count(path) == 5


def test_a_retry_after_longer_than_anyone_would_wait_fails_at_once(server, tmp_path):
    server.script["/works/OL2W.json"] = [(429, {"Retry-After": "3600"}, b"")]
    started = time.monotonic()
    with pytest.raises(LookupFailed, match="asks readlog to wait 3600 s"):
        client(server, tmp_path).get_json("/works/OL2W.json")
    assert time.monotonic() - started < 10  # not the hour it asked for (generous: CI machines are busy)


def test_retry_after_as_an_http_date():
    now = time.time()
    stamp = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 30))
    assert 28 <= web._retry_after(stamp, now) <= 31
    assert web._retry_after("7", now) == 7
    assert web._retry_after("soon", now) is None


def test_a_slow_answer_past_the_timeout_fails_in_time(server, tmp_path):
    server.delay["/works/OL2W.json"] = 3
    started = time.monotonic()
    with pytest.raises(LookupFailed, match=r"did not answer in time \(0.5 s\)"):
        client(server, tmp_path, timing=Timing(connect=1, total=0.5, pace=0)).get_json("/works/OL2W.json")
    assert time.monotonic() - started < 2.8  # before the server's 3 s answer: the 0.5 s limit held


def test_a_malformed_body_is_refused_and_not_cached(server, tmp_path):
    server.answers["/works/OL2W.json"] = b'{"title": "A Wizard of Earth'
    cache = Cache(tmp_path / "http")
    with pytest.raises(BadAnswer, match="not JSON"):
        client(server, tmp_path, cache=cache).get_json("/works/OL2W.json")
    assert not list((tmp_path / "http").glob("*.json"))


def test_oversized_json_is_refused(server, tmp_path):
    server.answers["/works/OL2W.json"] = b"[" + b"1," * (web.MAX_JSON // 2) + b"1]"
    with pytest.raises(BadAnswer, match="over the limit"):
        client(server, tmp_path).get_json("/works/OL2W.json")


def test_a_redirect_to_another_host_is_refused(server, tmp_path):
    server.script["/isbn/1.json"] = [(302, {"Location": "http://evil.example/steal.json"}, b"")]
    with pytest.raises(BadAnswer, match="redirected to evil.example: refused"):
        client(server, tmp_path).get_json("/isbn/1.json")
    assert len(server.seen) == 1


def test_open_librarys_own_covers_may_come_from_the_internet_archive_a_mirrors_may_not():
    archive = web._allowed_hosts(web.DEFAULT_COVERS_URL, web.DEFAULT_COVERS_URL)
    assert archive("archive.org") and archive("ia800100.us.archive.org") and archive("covers.openlibrary.org")
    assert not archive("archive.org.evil.example") and not archive("evil.example")
    mirror = web._allowed_hosts("https://mirror.example", web.DEFAULT_COVERS_URL)
    assert mirror("mirror.example") and not mirror("archive.org")
    assert not web._redirect_ok("https://a.example/x", "http://a.example/y", lambda host: True)


def test_nothing_listening_is_one_clear_line(tmp_path):
    dead = Client(base_url="http://127.0.0.1:9", timing=FAST, cache=None)
    with pytest.raises(LookupFailed, match=r"cannot reach 127.0.0.1:9 .*offline\?"):
        dead.get_json("/isbn/1.json")


def test_answers_come_from_the_cache_with_the_server_stopped(server, tmp_path):
    cache = Cache(tmp_path / "http")
    first = openlibrary.by_isbn(client(server, tmp_path, cache=cache), ol.DUNE)
    server.stop()
    again = client(server, tmp_path, cache=cache)
    assert openlibrary.by_isbn(again, ol.DUNE) == first
    assert again.requests == 0


def test_refresh_asks_again_and_an_expired_answer_is_asked_again(server, tmp_path):
    cache = Cache(tmp_path / "http")
    client(server, tmp_path, cache=cache).get_json("/works/OL2W.json")
    client(server, tmp_path, cache=cache, refresh=True).get_json("/works/OL2W.json")
    later = Cache(tmp_path / "http", now=lambda: time.time() + 31 * 24 * 3600)
    client(server, tmp_path, cache=later).get_json("/works/OL2W.json")
    assert server.paths().count("/works/OL2W.json") == 3
    # Expired, and the network gone: the old answer still serves (offline-safe), marked stale.
    server.stop()
    much_later = Cache(tmp_path / "http", now=lambda: time.time() + 62 * 24 * 3600)
    answer = client(server, tmp_path, cache=much_later).get(
        f"{server.base}/works/OL2W.json", lambda host: True, web.MAX_JSON
    )
    assert answer.from_cache and answer.stale and json.loads(answer.body)["title"] == "A Wizard of Earthsea"


def test_a_cache_that_cannot_be_written_is_no_cache_not_an_error(server, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert client(server, tmp_path, cache=Cache(blocked / "http")).get_json("/works/OL2W.json")


def test_a_half_written_cache_entry_is_ignored(tmp_path):
    cache = Cache(tmp_path)
    cache.write("http://x/a", Answer(200, b"12345", "application/json", "http://x/a"))
    meta, body = cache._paths("http://x/a")
    body.write_bytes(b"12")
    assert cache.read("http://x/a") is None


def test_covers_must_be_images_no_larger_than_2_mb(server, tmp_path):
    session = client(server, tmp_path)
    cover = covers.fetch(session, 11481354)
    assert cover is not None and cover.extension == "jpg" and cover.data == ol.JPEG
    assert covers.fetch(session, 999) is None  # Open Library has no such cover
    with pytest.raises(BadAnswer, match="over the limit"):
        covers.fetch(session, 555)
    with pytest.raises(BadAnswer, match=r"not an image \(text/html\)"):
        covers.fetch(session, 666)
    assert "/b/id/999-L.jpg?default=false" in server.paths()


def test_image_types_are_told_from_the_bytes():
    assert covers.image_type(b"\x89PNG\r\n\x1a\n...") == "png"
    assert covers.image_type(b"GIF89a...") == "gif"
    assert covers.image_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert covers.image_type(b"<html>") is None


def test_the_user_agent_names_readlog_and_the_readers_contact(monkeypatch, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[lookup]\ncontact = "me@example.org\\r\\nX-Evil: 1"\n')
    monkeypatch.setenv("READLOG_CONFIG", str(config))
    monkeypatch.delenv("READLOG_CONTACT", raising=False)
    assert web.from_environment().user_agent == "readlog/0.1.0 (me@example.orgX-Evil: 1)"
    monkeypatch.setenv("READLOG_CONTACT", "you@example.org")
    assert web.from_environment().user_agent == "readlog/0.1.0 (you@example.org)"
    monkeypatch.delenv("READLOG_CONTACT")
    monkeypatch.setenv("READLOG_CONFIG", str(tmp_path / "missing.toml"))
    assert web.from_environment().user_agent == "readlog/0.1.0 (no contact set)"


def test_the_bases_and_pace_come_from_the_environment(monkeypatch):
    for name in ("READLOG_OPENLIBRARY_URL", "READLOG_COVERS_URL", "READLOG_OPENLIBRARY_PACE"):
        monkeypatch.delenv(name, raising=False)
    default = web.from_environment()
    assert (default.base_url, default.covers_url) == (
        "https://openlibrary.org",
        "https://covers.openlibrary.org",
    )
    assert (default.timing.connect, default.timing.total, default.timing.pace) == (5.0, 15.0, 1.0)
    monkeypatch.setenv("READLOG_OPENLIBRARY_URL", "http://mirror.example:8080/")
    assert web.from_environment().base_url == "http://mirror.example:8080"
    monkeypatch.setenv("READLOG_OPENLIBRARY_URL", "file:///etc/passwd")
    with pytest.raises(web.ReadlogError, match="READLOG_OPENLIBRARY_URL"):
        web.from_environment()
    monkeypatch.delenv("READLOG_OPENLIBRARY_URL")
    monkeypatch.setenv("READLOG_OPENLIBRARY_PACE", "fast")
    with pytest.raises(web.ReadlogError, match="not a number"):
        web.from_environment()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["Dune Chronicles ; 1"], {"name": "Dune Chronicles", "number": "1"}),
        (["Discworld -- 3"], {"name": "Discworld", "number": "3"}),
        (["Foundation, #2"], {"name": "Foundation", "number": "2"}),
        (["The Expanse (Book 4)"], {"name": "The Expanse", "number": "4"}),
        (["Earthsea, no. 1.5"], {"name": "Earthsea", "number": "1.5"}),
        (["Penguin Modern Classics"], {"name": "Penguin Modern Classics"}),
        ([42, ""], None),
        ("Dune", None),
    ],
)
def test_series_as_editions_write_them(raw, expected):
    assert openlibrary.parse_series(raw) == expected
