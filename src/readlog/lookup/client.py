"""The only place readlog talks to the network: a small HTTP client for Open Library and its covers.

It owns what makes a client a good citizen and safe to run offline: timeouts (connect 5 s, 15 s for the
whole answer), a User-Agent with the reader's contact, at most one request a second, retries with back-off
on 429 and 5xx honouring `Retry-After`, and a cache of every answer (30 days; `refresh` skips it, and an
expired answer still serves when the network is gone). Answers are data, never trusted: redirects to
other hosts, oversized or malformed JSON, non-images and huge images are refused.

Built on the standard library's `http.client` rather than httpx: no new dependency (httpx brings httpcore,
h11, anyio, sniffio, idna, certifi), and `http.client` is only imported when a request really goes out, so
an answer from the cache costs no network import at all. Redirects are followed by hand, which is what
lets every hop be checked against the allowed hosts and paced like any other request.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urljoin, urlsplit

from readlog import __version__
from readlog.errors import ReadlogError

if TYPE_CHECKING:
    from http.client import HTTPConnection

ENV_OPENLIBRARY_URL = "READLOG_OPENLIBRARY_URL"
ENV_COVERS_URL = "READLOG_COVERS_URL"
ENV_CONTACT = "READLOG_CONTACT"
ENV_PACE = "READLOG_OPENLIBRARY_PACE"
ENV_CONFIG = "READLOG_CONFIG"
ENV_CACHE = "READLOG_CACHE"
DEFAULT_OPENLIBRARY_URL = "https://openlibrary.org"
DEFAULT_COVERS_URL = "https://covers.openlibrary.org"
# Open Library serves many covers from the Internet Archive: covers.openlibrary.org redirects there.
_ARCHIVE = re.compile(r"(?:[a-z0-9-]+\.)*archive\.org")

MAX_JSON = 2 * 1024 * 1024
MAX_IMAGE = 2 * 1024 * 1024
MAX_AGE = 30 * 24 * 3600  # an answer keeps for 30 days
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CHUNK = 64 * 1024
_NOT_FOUND_BODY = 4096  # bytes of a 404's body read, to see whose it is


class LookupFailed(ReadlogError):
    """Open Library could not be asked: offline, blocked, too slow, or refusing. One line, exit 1."""


class BadAnswer(ReadlogError):
    """Open Library (or whatever answered in its place) sent something readlog will not take."""


@dataclass(frozen=True)
class Timing:
    """How patient the client is. Tests pass small numbers; production keeps the defaults."""

    connect: float = 5.0  # seconds to connect
    total: float = 15.0  # seconds for a whole answer, from connecting to the last byte
    pace: float = 1.0  # seconds between the starts of two requests (one a second)
    retries: int = 3  # further tries after a 429 or 5xx
    backoff: float = 2.0  # the first wait when no Retry-After is given; doubles each time
    max_wait: float = 60.0  # waits a look-up takes in all (Retry-After, back-off); one over it fails instead
    say_wait: float = 3.0  # a wait longer than this is said (`waiting`), not sat through in silence


@dataclass
class Answer:
    status: int  # 200, or 404 for something Open Library does not know
    body: bytes
    content_type: str
    url: str  # where the answer came from, after redirects
    from_cache: bool = False
    stale: bool = False  # from the cache, older than it should be: the network was unreachable


@dataclass
class Client:
    """One per command: the pace and the request count hold across everything the command asks."""

    base_url: str = DEFAULT_OPENLIBRARY_URL
    covers_url: str = DEFAULT_COVERS_URL
    user_agent: str = f"readlog/{__version__}"
    cache: Cache | None = None
    refresh: bool = False  # ask the network even when the cache has a fresh answer
    timing: Timing = field(default_factory=Timing)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    requests: int = 0  # requests sent over the network (each redirect hop and retry counts)
    # Why the network failed where an answer kept in the cache stood in (stale, or --refresh asked for a new
    # one): the caller says so, never silently shows an old answer for a new one. None: nothing stood in.
    unreached: str | None = None
    waiting: Callable[[str], None] | None = None  # told of a long wait, before it (the CLI says it)
    waited: float = (
        0.0  # seconds of Retry-After and back-off waits in this look-up: `timing.max_wait` at most
    )
    _last: float | None = None

    def new_look_up(self) -> None:
        """The next book's asks begin: the waits are bounded per look-up, not per command, so a long `enrich`
        whose every wait worked goes on (the pace still holds across the command)."""
        self.waited = 0.0

    # --- what callers use --------------------------------------------------------------------------
    def get_json(self, path: str, params: Mapping[str, str] | None = None, part: bool = False) -> Any | None:
        """The JSON at `path` on the Open Library base, or None where Open Library itself answers that it
        knows no such thing (a 404 in JSON). A 404 in anything else (a proxy's page, a wrong base URL) is
        a failure to ask, said as what it was, never cached: the next look-up asks again. A `null` answer
        cannot be read, unless the answer is a `part` of a look-up (an edition's work, an author, the search
        index's second look): then that part is missing (None), and the look-up goes on without it."""
        url = _join(self.base_url, path, params)
        hosts = _allowed_hosts(self.base_url, default=DEFAULT_OPENLIBRARY_URL)
        answer = self.get(url, hosts, MAX_JSON, known=_own_not_found)
        if answer.status == 404:
            return None
        try:
            parsed = json.loads(answer.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            if self.cache is not None:
                self.cache.forget(url)
            raise BadAnswer(f"{_host(url)} sent an answer that is not JSON for {path}") from None
        if parsed is None:  # (`null`: no "no such thing", which is a 404)
            error = self.unreadable(path, params, "null")  # (forgotten: the next look-up asks again)
            if not part:
                raise error
        return parsed

    def unreadable(self, path: str, params: Mapping[str, str] | None = None, why: str = "") -> BadAnswer:
        """The error for a JSON answer at `path` of a shape readlog cannot read (a list where a title
        should be): never "no such book" (only Open Library's own 404 says that), and forgotten, so the
        next look-up asks again rather than reading it from the cache for 30 days."""
        url = _join(self.base_url, path, params)
        if self.cache is not None:
            self.cache.forget(url)
        return BadAnswer(
            f"{_host(url)} sent an answer readlog cannot read for {path}"
            + (f" ({why})" if why else "")
            + ": try again later"
        )

    def get_image(self, path: str) -> Answer | None:
        """The bytes of an image at `path` on the covers base, or None where there is none (404)."""
        url = _join(self.covers_url, path, None)
        answer = self.get(url, _allowed_hosts(self.covers_url, default=DEFAULT_COVERS_URL), MAX_IMAGE)
        return None if answer.status == 404 else answer

    def get(
        self,
        url: str,
        hosts: Callable[[str], bool],
        limit: int,
        known: Callable[[Answer], bool] = lambda answer: True,
    ) -> Answer:
        """An answer from the cache (fresh, unless `refresh`), else the network; a stale one when offline.
        A 404 that `known` does not take as the service's own "no such thing" is a failure (not cached)."""
        cached = self.cache.read(url) if self.cache is not None else None
        if cached is not None and cached.status == 404 and not known(cached):
            cached = None  # cached by an older readlog: a proxy's 404 is no answer
        if cached is not None and not cached.stale and not self.refresh:
            return cached
        try:
            answer = self._fetch(url, hosts, limit)
            if answer.status == 404 and not known(answer):
                what = answer.content_type.split(";")[0].strip() or "no content type"
                raise LookupFailed(
                    f"{_host(url)} answered 404 for {urlsplit(url).path} without Open Library's own "
                    f"'not found' ({what}): a proxy or a wrong address? try again later"
                )
        except LookupFailed as error:
            if cached is not None:
                self.unreached = self.unreached or str(error)
                return cached
            raise
        if self.cache is not None:
            self.cache.write(url, answer)
        return answer

    # --- the network -------------------------------------------------------------------------------
    def _fetch(self, url: str, hosts: Callable[[str], bool], limit: int) -> Answer:
        start_url = url
        for _ in range(MAX_REDIRECTS + 1):
            status, headers, body = self._with_retries(url, limit)
            if status in (301, 302, 303, 307, 308):
                target = urljoin(url, headers.get("location", ""))
                if not _redirect_ok(url, target, hosts):
                    raise BadAnswer(f"{_host(url)} redirected to {_host(target) or 'nowhere'}: refused")
                url = target
                continue
            if status == 200:
                return Answer(200, body, headers.get("content-type", ""), url)
            if status in (404, 410):
                return Answer(404, body, headers.get("content-type", ""), url)
            raise LookupFailed(f"{_host(url)} answered {status} for {urlsplit(url).path}")
        raise BadAnswer(f"{_host(start_url)} redirected more than {MAX_REDIRECTS} times: refused")

    def _with_retries(self, url: str, limit: int) -> tuple[int, dict[str, str], bytes]:
        timing = self.timing
        for attempt in range(timing.retries + 1):
            status, headers, body = self._request(url, limit)
            if status not in RETRY_STATUSES:
                return status, headers, body
            if attempt == timing.retries:
                break
            wait = _retry_after(headers.get("retry-after"), self._now_epoch())
            asked = wait is not None  # (a back-off is readlog's own wait: the server asked for none)
            if wait is None:
                wait = timing.backoff * (2**attempt)
            if self.waited + wait > timing.max_wait:
                after = f", after {self.waited:.0f} s of waiting" if self.waited else ""
                what = f"asks readlog to wait {wait:.0f} s" if asked else _trouble(status)
                raise LookupFailed(f"{_host(url)} {what} ({status}{after}): try again later")
            if wait > timing.say_wait and self.waiting is not None:
                what = "asks readlog to slow down" if status == 429 else f"is having trouble ({status})"
                self.waiting(f"waiting {wait:.0f} s: {_host(url)} {what}")
            self.waited += wait
            self.sleep(wait)
        raise LookupFailed(
            f"{_host(url)} {_trouble(status)} ({status}, {timing.retries + 1} tries): try again later"
        )

    def _request(self, url: str, limit: int) -> tuple[int, dict[str, str], bytes]:
        """One GET, paced: connect within `connect` s, the whole answer within `total` s."""
        self._wait_turn()
        parts = urlsplit(url)
        connection = _connection(parts.scheme, parts.hostname or "", parts.port, self.timing.connect)
        deadline = self.clock() + self.timing.total
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {
            "User-Agent": self.user_agent,
            "Accept": "application/json, image/*;q=0.9",
            "Accept-Encoding": "identity",
        }
        self.requests += 1
        # One deadline for the whole request: a socket timeout bounds only each wait for bytes, so a server
        # that sends a header byte every few seconds would never trip it. At the deadline a watchdog shuts
        # the socket, which ends whatever read is waiting, in the headers or in the body.
        import socket
        import threading

        expired = threading.Event()

        def cut() -> None:
            expired.set()
            sock = connection.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)

        watchdog = threading.Timer(max(0.0, deadline - self.clock()), cut)
        watchdog.daemon = True
        try:
            connection.connect()
            watchdog.start()
            self._set_timeout(connection, deadline)
            connection.request("GET", target or "/", headers=headers)
            response = connection.getresponse()
            got = {k.lower(): v for k, v in response.getheaders()}
            if response.status in (404, 410):  # what says "not found" tells Open Library from a proxy
                self._set_timeout(connection, deadline)
                return response.status, got, response.read(_NOT_FOUND_BODY)
            if response.status != 200:
                return response.status, got, b""
            length = got.get("content-length", "")
            if length.isdigit() and int(length) > limit:
                raise BadAnswer(f"{_host(url)} sent {int(length):,} bytes for {parts.path}: over the limit")
            chunks, size = [], 0
            while True:
                self._set_timeout(connection, deadline)
                chunk = response.read1(_CHUNK) if hasattr(response, "read1") else response.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise BadAnswer(f"{_host(url)} sent more than {limit:,} bytes for {parts.path}: refused")
                chunks.append(chunk)
            if expired.is_set():
                raise TimeoutError
            if length.isdigit() and size < int(length):  # the connection closed early: a cut-off answer
                raise LookupFailed(
                    f"{_host(url)} sent a broken answer for {parts.path} (cut off: "
                    f"{size:,} of {int(length):,} bytes): try again later"
                )
            return 200, got, b"".join(chunks)
        except (ReadlogError, KeyboardInterrupt):
            raise
        except Exception as error:
            if expired.is_set() or isinstance(error, TimeoutError):  # the deadline, whatever it broke
                raise LookupFailed(
                    f"{_host(url)} did not answer in time ({self.timing.total:g} s): try again later"
                ) from None
            if isinstance(error, OSError):
                reason = getattr(error, "strerror", None) or error.__class__.__name__
                raise LookupFailed(f"cannot reach {_host(url)} ({reason}): offline?") from None
            # http.client's own errors: a broken or garbled answer
            raise LookupFailed(f"{_host(url)} sent a broken answer ({error.__class__.__name__})") from None
        finally:
            watchdog.cancel()
            connection.close()

    def _set_timeout(self, connection: HTTPConnection, deadline: float) -> None:
        left = deadline - self.clock()
        if left <= 0:
            raise TimeoutError
        if connection.sock is not None:
            connection.sock.settimeout(left)

    def _wait_turn(self) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.timing.pace:
            self.sleep(self.timing.pace - (now - self._last))
        self._last = self.clock()

    @staticmethod
    def _now_epoch() -> float:
        return time.time()


def _own_not_found(answer: Answer) -> bool:
    """Open Library's own "no such book": a 404 whose body is JSON (`{"error": "notfound", ...}`), as its
    API answers. A proxy, a captive portal or a wrong base URL answers 404 in HTML or text."""
    if "json" in answer.content_type.lower():
        return True
    try:
        return isinstance(json.loads(answer.body.decode("utf-8")), dict)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False


def _connection(scheme: str, host: str, port: int | None, timeout: float) -> HTTPConnection:
    import http.client

    if scheme == "https":
        import ssl

        return http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    if scheme == "http":
        return http.client.HTTPConnection(host, port, timeout=timeout)
    raise BadAnswer(f"{scheme!r} is not a web address scheme readlog uses (http or https)")


def _trouble(status: int) -> str:
    return "is limiting requests" if status == 429 else "is having trouble"


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    import email.utils  # ~7 ms to import: only for the rare Retry-After given as a date

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _join(base: str, path: str, params: Mapping[str, str] | None) -> str:
    url = base.rstrip("/") + "/" + path.lstrip("/")
    return url + ("?" + urlencode(sorted(params.items())) if params else "")


def _host(url: str) -> str:
    return urlsplit(url).netloc


def _allowed_hosts(base: str, default: str) -> Callable[[str], bool]:
    """The hosts an answer may redirect to: the base's own, plus the Internet Archive for Open Library's
    own covers (which are served from there). A mirror's answers stay on the mirror."""
    own = urlsplit(base).netloc.lower()
    archive = base.rstrip("/") == default

    def allowed(netloc: str) -> bool:
        netloc = netloc.lower()
        return netloc == own or (archive and _ARCHIVE.fullmatch(netloc) is not None)

    return allowed


def _redirect_ok(source: str, target: str, hosts: Callable[[str], bool]) -> bool:
    old, new = urlsplit(source), urlsplit(target)
    if new.scheme not in ("http", "https") or (old.scheme == "https" and new.scheme != "https"):
        return False  # never from https down to http
    return hosts(new.netloc)


# --- the cache -------------------------------------------------------------------------------------
class Cache:
    """Every answer under the cache dir, keyed by its URL: `<sha256>.json` (what and when) beside
    `<sha256>.body` (the bytes). A cache that cannot be written is no cache, never an error."""

    def __init__(self, folder: Path, max_age: float = MAX_AGE, now: Callable[[], float] = time.time):
        self.folder = folder
        self.max_age = max_age
        self.now = now

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.folder / f"{key}.json", self.folder / f"{key}.body"

    def read(self, url: str) -> Answer | None:
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text("utf-8"))
            body = body_path.read_bytes()
            if meta.get("url") != url or len(body) != meta.get("size"):
                return None  # a hash collision or a half-written pair: not this answer
            age = self.now() - float(meta["fetched"])
            return Answer(
                int(meta["status"]),
                body,
                str(meta.get("type", "")),
                str(meta.get("final", url)),
                from_cache=True,
                stale=not 0 <= age < self.max_age,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, url: str, answer: Answer) -> None:
        meta_path, body_path = self._paths(url)
        meta = {
            "url": url,
            "final": answer.url,
            "status": answer.status,
            "type": answer.content_type,
            "size": len(answer.body),
            "fetched": self.now(),
        }
        try:
            from readlog.private import private_dir

            private_dir(self.folder)
            # The body first, the meta last: a meta file always describes a complete body.
            _write_quietly(body_path, answer.body)
            _write_quietly(meta_path, json.dumps(meta).encode("utf-8"))
        except OSError:
            pass

    def forget(self, url: str) -> None:
        for path in self._paths(url):
            with contextlib.suppress(OSError):
                path.unlink()


def _write_quietly(path: Path, data: bytes) -> None:
    from readlog.files import atomic_write

    # 0600: what a reader looked up is theirs alone; a cache: swapped in whole, not fsynced.
    atomic_write(path, data, durable=False)


# --- building a client from the reader's settings ------------------------------------------------------
def cache_folder() -> Path:
    """The look-up cache: `openlibrary/` in readlog's cache dir ($READLOG_CACHE, else the platform's)."""
    # The same rule as the index's cache dir (readlog.index.cache_dir), without importing the index.
    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE]).expanduser() / "openlibrary"
    import platformdirs

    return Path(platformdirs.user_cache_dir("readlog", appauthor=False)) / "openlibrary"


def contact() -> str | None:
    """Who Open Library may write to about this client: $READLOG_CONTACT, else `contact` in the config's
    `[lookup]` table. Only printable ASCII, so it can never break the header it goes into."""
    value = os.environ.get(ENV_CONTACT) or _config_contact()
    if not value:
        return None
    cleaned = re.sub(r"[^\x20-\x7e]", "", value).strip()[:200]
    return cleaned or None


def _config_contact() -> str | None:
    path = _config_path()
    try:
        import tomllib

        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None  # no config, or one the config command will complain about: not the look-up's job
    table = data.get("lookup")
    value = table.get("contact") if isinstance(table, dict) else None
    return value if isinstance(value, str) else None


def _config_path() -> Path:
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG]).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("readlog", appauthor=False)) / "config.toml"


def user_agent(who: str | None) -> str:
    return f"readlog/{__version__} ({who})" if who else f"readlog/{__version__} (no contact set)"


def _base(env: str, default: str) -> str:
    value = (os.environ.get(env) or default).strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ReadlogError(f"${env}: {value!r} is not an http(s) address")
    return value


def _pace() -> float:
    value = os.environ.get(ENV_PACE)
    if not value:
        return Timing.pace
    try:
        pace = float(value)
    except ValueError:
        raise ReadlogError(f"${ENV_PACE}: {value!r} is not a number of seconds") from None
    if not 0 <= pace <= 60:
        raise ReadlogError(f"${ENV_PACE}: {value!r} is out of range (0 to 60 seconds)")
    return pace


def from_environment(refresh: bool = False, waiting: Callable[[str], None] | None = None) -> Client:
    """The client a command uses: bases, contact and pace from the environment and config; `waiting` is
    told of a long wait Open Library asks for."""
    return Client(
        waiting=waiting,
        base_url=_base(ENV_OPENLIBRARY_URL, DEFAULT_OPENLIBRARY_URL),
        covers_url=_base(ENV_COVERS_URL, DEFAULT_COVERS_URL),
        user_agent=user_agent(contact()),
        cache=Cache(cache_folder()),
        refresh=refresh,
        timing=Timing(pace=_pace()),
    )


def cached_json(path: str) -> Any | None:
    """The JSON the cache holds for `path` on the Open Library base (fresh or stale), or None: never a
    request. What `next --suggest` reads enrich's answers from."""
    try:
        url = _join(_base(ENV_OPENLIBRARY_URL, DEFAULT_OPENLIBRARY_URL), path, None)
    except ReadlogError:
        return None
    answer = Cache(cache_folder()).read(url)
    if answer is None or answer.status != 200:
        return None
    try:
        return json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
