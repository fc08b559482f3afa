"""The site's work shared between processes: one per core, forked from the build once everything they
need (the books, the pages, the compiled templates) is in memory, so nothing is sent to them and nothing
is imported or compiled again. Each does its share and sends back a small answer through a pipe.

A fork is taken only where it is safe and available (Linux, and no other thread running: `--serve` runs
its server in a thread, and builds there in one process). `READLOG_SITE_WORKERS` sets the number of
processes (1: one process, as tests compare); otherwise one per core for a build with enough to do.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from readlog.errors import ReadlogError
from readlog.packed import pack, unpack

WORKERS_ENV = "READLOG_SITE_WORKERS"
MAX_WORKERS = 8


def can_fork() -> bool:
    import threading

    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - systems without affinity
        return os.cpu_count() or 1


def workers(enough: bool) -> int:
    """How many processes share the work: `READLOG_SITE_WORKERS` if set, else one per core (at most 8) when
    there is `enough` to do, else one."""
    given = os.environ.get(WORKERS_ENV, "").strip()
    if given:
        if not given.isdigit() or int(given) < 1:
            raise ReadlogError(f"{WORKERS_ENV}={given!r}: expected a whole number, 1 or more")
        wanted = min(int(given), MAX_WORKERS)
    else:
        wanted = min(cores(), MAX_WORKERS) if enough else 1
    return wanted if wanted > 1 and can_fork() else 1


def fork_map(shares: int, work: Callable[[int], Any]) -> list[Any]:
    """[work(0), ..., work(shares - 1)]: work(0) in this process, the others each in a forked child at the
    same time. A child's answer comes back pickled through its pipe (from a child of this very process, never
    from a file); a child's error is raised here, after every child has ended."""
    if shares <= 1:
        return [work(0)]
    children: list[tuple[int, int]] = []
    try:
        for number in range(1, shares):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child (coverage does not follow a fork)
                os.close(read_end)
                _child(write_end, work, number)
            os.close(write_end)
            children.append((pid, read_end))
        answers = [work(0)]
        failure: BaseException | None = None
        while children:
            pid, read_end = children[0]
            data = _read_all(read_end)
            os.close(read_end)
            _, status = os.waitpid(pid, 0)
            children.pop(0)
            answer = _answer(data, status)
            if isinstance(answer, BaseException):
                failure = failure or answer
            answers.append(answer)
        if failure is not None:
            raise failure
        return answers
    finally:
        for pid, read_end in children:  # only when this process failed or was interrupted
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            with contextlib.suppress(OSError):
                os.close(read_end)


def _child(write_end: int, work: Callable[[int], Any], number: int) -> None:  # pragma: no cover
    code = 1
    try:
        try:
            payload: tuple[str, Any] = ("ok", work(number))
        except ReadlogError as error:
            payload = ("readlog", str(error))
        except OSError as error:
            payload = ("os", (error.errno, error.strerror, error.filename))
        except BaseException as error:  # noqa: BLE001 - told to the parent, which raises it
            payload = ("other", f"{type(error).__name__}: {error}")
        data = pack(payload)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        code = 0
    finally:
        os._exit(code)  # no clean-up of the parent's state, no flushing of its buffers a second time


def _read_all(fd: int) -> bytes:
    parts: list[bytes] = []
    while True:
        part = os.read(fd, 1 << 20)
        if not part:
            return b"".join(parts)
        parts.append(part)


def _answer(data: bytes, status: int) -> Any:
    if not data or os.waitstatus_to_exitcode(status) != 0:
        return ReadlogError(f"a site worker process ended without its answer (status {status})")
    kind, value = unpack(data)  # from our own forked child, through a pipe (readlog.packed)
    if kind == "ok":
        return value
    if kind == "readlog":
        return ReadlogError(value)
    if kind == "os":
        return OSError(*value)
    return ReadlogError(f"a site worker process failed: {value}")
