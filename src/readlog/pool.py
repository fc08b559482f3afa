"""Worker processes for the big jobs that have a second core to use: a cold index build (journal), a big
import's parsing and formatting (importers). One way to start them, so they all come from one fork server.

Not "fork": the calling process may have threads (a progress bar's, an import's sync thread), and forking
those is not safe. The fork server starts clean once, with readlog's parsing code loaded, and forks each
worker from there (cheap: no imports per worker).
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# What the fork server loads once, for every worker it forks (the first pool of a process starts it): the
# index build's parsing code; an import's workers also load the importers.
PRELOAD = ["readlog.journal", "readlog.index", "tomli"]
IMPORT_PRELOAD = ["readlog.importers", *PRELOAD]


def cores() -> int:
    """How many workers a job may start (one per core, at most 8)."""
    return min(os.cpu_count() or 1, 8)


def worker_pool(workers: int | None = None, preload: list[str] = PRELOAD) -> ProcessPoolExecutor:
    """A pool of worker processes; the caller shuts it down (a `with` block, or `shutdown`)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        from multiprocessing import forkserver

        context.set_forkserver_preload(preload)
        # Started here, before any signal is blocked below: the server (and so every worker it forks) keeps
        # the caller's mask. Started inside the block, it ignored SIGTERM for good, and so did its workers.
        forkserver.ensure_running()
    pool = ProcessPoolExecutor(
        workers or cores(), mp_context=context, initializer=_worker_start, initargs=(os.getpid(),)
    )
    with threads_without_signals():
        pool.submit(int)  # the pool's own threads start now, and never take a signal (see below)
    return pool


def _worker_start(client: int) -> None:
    """Each worker's first step. The terminal's signals (Ctrl-C, a hang-up) reach the whole process group:
    they are the client's to handle, so a worker ignores them (no traceback from every worker), and SIGTERM
    still ends it (the pool stops a broken worker that way). A worker ends when its client does, however the
    client ended: killed outright, it never says goodbye, and a worker waiting for its next task (and the
    fork server, which lives while any worker holds its pipe) would otherwise wait forever."""
    import threading

    for name in ("SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
    threading.Thread(target=_end_with, args=(client,), daemon=True, name="readlog-client-watch").start()


def _end_with(client: int) -> None:
    """In a worker: wait until the client process has ended, then end at once."""
    try:
        handle = os.pidfd_open(client)  # Linux: readable once the process has ended
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd (not Linux, an old kernel): look every half second
        if os.name == "nt":  # pragma: no cover - os.kill(pid, 0) would end the client there, not ask
            return
        import time

        while True:
            try:
                os.kill(client, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # pragma: no cover - another user's process took the number
                os._exit(1)
            time.sleep(0.5)
    import select

    select.select([handle], [], [])
    os._exit(1)


# Signals a thread of readlog's must leave to the main thread.
_SIGNALS = tuple(s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None)


@contextlib.contextmanager
def threads_without_signals() -> Iterator[None]:
    """Threads started inside this block never take SIGINT, SIGTERM or SIGHUP: they inherit the blocked
    mask, so the kernel delivers those to the main thread. A signal taken by another thread would still
    run its Python handler in the main thread at once, even inside a step that holds signals off
    (importers._whole: a temp file made but not yet recorded for clean-up)."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
