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
from collections.abc import Callable, Iterator
from typing import Any

from readlog.errors import ReadlogError
from readlog.packed import pack, unpack
from readlog.stopping import ENDING

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


class Tasks:
    """Task numbers 0..count-1 shared out between processes as they ask for them, so that every process
    keeps working until all is done (a fixed split leaves one core idle while the other ends a longer share).

    The numbers are written into a pipe before the processes fork, and the pipe's write end closed; each
    process then reads one number (4 bytes) at a time: a pipe hands each byte to one reader only, and reads
    of a pipe are taken whole in turn, so each number goes to exactly one process. Made in one process and
    never forked, it is simply a counter. At most `LIMIT` numbers (what a pipe holds without blocking)."""

    LIMIT = 16_000

    def __init__(self, count: int) -> None:
        if not 0 <= count <= self.LIMIT:
            raise ValueError(f"{count} tasks: at most {self.LIMIT}")
        self.count = count
        self._read_end: int | None = None
        self._next = 0

    def share(self) -> None:
        """Before forking: from now on the numbers come from the pipe, whoever asks first."""
        read_end, write_end = os.pipe()
        try:
            data = memoryview(b"".join(n.to_bytes(4, "little") for n in range(self._next, self.count)))
            while data:
                data = data[os.write(write_end, data) :]
        except BaseException:
            os.close(read_end)
            raise
        finally:
            os.close(write_end)
        self._read_end = read_end

    def close(self) -> None:
        if self._read_end is not None:
            os.close(self._read_end)
            self._read_end = None
            self._next = self.count

    def __iter__(self) -> Iterator[int]:
        while True:
            number = self.take()
            if number is None:
                return
            yield number

    def take(self) -> int | None:
        """The next number nobody has taken, or None when all are taken."""
        if self._read_end is None:
            if self._next >= self.count:
                return None
            self._next += 1
            return self._next - 1
        data = b""
        while len(data) < 4:
            part = os.read(self._read_end, 4 - len(data))
            if not part:
                if data:  # pragma: no cover - a pipe read is never split so
                    raise ReadlogError("the site's task pipe ended in the middle of a number")
                return None
            data += part
        return int.from_bytes(data, "little")


def fork_map(
    shares: int, work: Callable[[int], Any], tasks: Tasks | None = None, later: bool = False
) -> list[Any]:
    """[work(0), ..., work(shares - 1)]: work(0) in this process, the others each in a forked child at the
    same time. A child's answer comes back pickled through its pipe (from a child of this very process, never
    from a file); a child's error is raised here, after every child has ended. With `tasks`, the processes
    share its numbers as each asks (`Tasks`), instead of each doing a fixed part. With `later`, a child
    whose whole answer came back is not waited for here but by `reap`: its end, the kernel freeing the
    memory it copied, is a tenth of a second after a big share on a busy machine, in which this process
    goes on (a child that answered with an error, or not at all, is waited for here, for its status)."""
    if shares <= 1:
        return [work(0)]
    children: list[tuple[int, int]] = []
    if tasks is not None:
        tasks.share()
    try:
        for number in range(1, shares):
            read_end, write_end = os.pipe()
            pid = fork()
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
            answer = _whole(data) if later else None
            if answer is None:
                _, status = os.waitpid(pid, 0)
                answer = _answer(data, status)
            else:
                _ENDING.append(pid)
                answer = answer[0]
            children.pop(0)
            if isinstance(answer, BaseException):
                failure = failure or answer
            answers.append(answer)
        if failure is not None:
            raise failure
        return answers
    finally:
        if tasks is not None:
            tasks.close()
        for pid, read_end in children:  # only when this process failed or was interrupted
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            with contextlib.suppress(OSError):
                os.close(read_end)


_ENDING: list[int] = []  # children that answered whole, not yet waited for (`fork_map`'s `later`)


def reap() -> None:
    """Every child `fork_map` left to end on its own (`later`) waited for, so none is left a zombie."""
    while _ENDING:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(_ENDING.pop(), 0)


def fork() -> int:
    """os.fork(), SIGTERM and SIGHUP held off in the child for its life: the build that forked it handles
    them (site.build: it stops, takes its unfinished site away, and kills its children), and a child
    that took one as the build does would run the build's way out as its own. The parent takes any that
    came meanwhile once it has forked."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - no fork there either
        return os.fork()
    before = signal.pthread_sigmask(signal.SIG_BLOCK, ENDING)
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
        raise
    if pid != 0:  # (the parent)
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
    return pid


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


def _whole(data: bytes) -> tuple[Any] | None:
    """(the answer,) if `data` is a whole answer that is not an error (pickle's frames end with a STOP: cut
    short, they do not load); else None."""
    try:
        kind, value = unpack(data)  # (from our own forked child, through a pipe: readlog.packed)
    except Exception:  # noqa: BLE001 - cut short (or nothing): told by `_answer`, with the status
        return None
    return (value,) if kind == "ok" else None


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
