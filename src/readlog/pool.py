"""Worker processes for the big jobs that have a second core to use: a cold index build (journal), a big
import's parsing and formatting (importers). One way to start them, so they all come from one fork server.

Not "fork": the calling process may have threads (a progress bar's, an import's sync thread), and forking
those is not safe. The fork server starts clean once, with readlog's parsing code loaded, and forks each
worker from there (cheap: no imports per worker). Started while the calling process has no thread but its
own (an import's first step: `start_server`), the server (and multiprocessing's resource tracker) is that
process forked (`_fork_server`), not a new Python that imports readlog's code again.

Every caller hands work out with `submit` and waits for it with `answer`: a worker killed (the OOM killer, a
`kill -9` of its pid), at any moment, even in the middle of sending its answer back (`_watch`), is then a
WorkerLost, one line at the command line's edge, never a traceback or a wait for ever.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from readlog.errors import WorkerLost

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

# What the fork server loads once, for every worker it forks (the first pool of a process starts it): the
# index build's parsing code; an import's workers also load the importers.
PRELOAD = ["readlog.journal", "readlog.index", "tomli"]
IMPORT_PRELOAD = ["readlog.importers", *PRELOAD]


def cores() -> int:
    """How many workers a job may start (one per core, at most 8)."""
    return min(os.cpu_count() or 1, 8)


def worker_pool(workers: int | None = None, preload: list[str] = PRELOAD) -> ProcessPoolExecutor:
    """A pool of worker processes; the caller shuts it down (a `with` block, or `shutdown`)."""
    from concurrent.futures import ProcessPoolExecutor

    context = _server(preload)
    pool = ProcessPoolExecutor(
        workers or cores(), mp_context=context, initializer=_worker_start, initargs=(os.getpid(),)
    )
    _roomy_pipes(pool)
    with threads_without_signals():
        _watch(pool)
        pool.submit(int)  # the pool's own threads start now, and never take a signal (see below)
    return pool


def start_server(preload: list[str]) -> None:
    """The fork server started now, if it is not running yet, for the first pool asked of it later (with the
    same `preload`). It starts on its own, while the caller goes on: a process's first pool otherwise waits
    for it to start and load readlog's code (about 0.2 s)."""
    _server(preload)


def _server(preload: list[str]) -> BaseContext:
    """The context workers are started from: the fork server's, the server started if it is not running
    yet (this returns at once: the first worker asked of it waits for it to be ready)."""
    import multiprocessing

    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        from multiprocessing import forkserver

        context.set_forkserver_preload(preload)
        own_temp_dir()
        # Started here, before any signal is blocked (worker_pool): the server (and so every worker it
        # forks) keeps the caller's mask. Started inside the block, it ignored SIGTERM for good, and so did
        # its workers. Only a hang-up is held off (`_hangup_held`).
        with _hangup_held():
            if not _fork_server(preload):
                with _tracker_told_quiet():
                    forkserver.ensure_running()
    return context


@contextlib.contextmanager
def _tracker_told_quiet() -> Iterator[None]:
    """A resource tracker that multiprocessing starts in the block, as a new Python (where `_fork_server`
    cannot: the index open, a reindex), told on its command line to say nothing of the semaphores a
    readlog ended by a signal left it (`-W`, which multiprocessing passes on from `sys.warnoptions`), as
    readlog's own forked one says nothing (`_tracker`): a SIGHUP'd or killed reindex ended with
    `UserWarning: resource_tracker: There appear to be 5 leaked semaphore objects` after the shell's
    prompt."""
    import sys

    sys.warnoptions.append(_TRACKER_QUIET)
    try:
        yield
    finally:
        sys.warnoptions.remove(_TRACKER_QUIET)


_TRACKER_QUIET = "ignore:resource_tracker:UserWarning"


@contextlib.contextmanager
def _hangup_held() -> Iterator[None]:
    """SIGHUP blocked in this thread for the block: the fork server and the resource tracker started in it
    keep it blocked for good, as their workers do (whose client, readlog, ends on it). A closed terminal
    sends SIGHUP to the whole process group: the server and the tracker died of it (their default), and
    the import or reindex ended with multiprocessing's `resource_tracker: process died unexpectedly,
    relaunching` and a `KeyError` traceback per semaphore; the pool, its workers' fork server gone, took
    every worker for dead while they went on writing temp files into the books folder that nobody removed
    (try-out 27b; session 28). A hang-up that comes meanwhile reaches this process once the block ends."""
    hangup = getattr(signal, "SIGHUP", None)
    if hangup is None or not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, (hangup,))
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _fork_server(preload: list[str]) -> bool:
    """The fork server started as this process forked, when no server is running and this process has no
    thread but the calling one (Linux: /proc/self/task; forking a thread that holds a lock leaves the
    lock held for ever in the child): it has readlog's code loaded already (a new Python started, imported
    it all again: some 0.35 G instructions, a tenth of a second on the other core). Whether it did. Its
    resource tracker (which multiprocessing would start as a new Python too, for the pools' semaphores)
    is forked with it, if none runs. Each is then what multiprocessing's own would be: the same loop
    (`forkserver.main`, `resource_tracker.main`), its pid and pipe where multiprocessing keeps them
    (CPython's internals, read in 3.11: without them this starts none), started as a new one (`_forked`)."""
    try:
        from multiprocessing import connection, forkserver, resource_tracker, util

        server: Any = forkserver._forkserver
        tracker: Any = resource_tracker._resource_tracker
        if server._forkserver_pid is not None or len(os.listdir("/proc/self/task")) != 1 or _database_open():
            return False
    except (ImportError, AttributeError, OSError):  # not Linux, or not CPython's multiprocessing
        return False
    import socket

    if tracker._fd is None:
        told, tell = os.pipe()  # the tracker reads what to clean up until every writer has gone
        # Started with Ctrl-C and SIGTERM held off, as multiprocessing starts it: it ignores them then.
        before = signal.pthread_sigmask(signal.SIG_BLOCK, (signal.SIGINT, signal.SIGTERM))
        try:
            tracker._pid = _forked((told,), _tracker, told)
        except OSError:
            os.close(tell)
            raise
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
            os.close(told)
        tracker._fd = tell
    address = connection.arbitrary_address("AF_UNIX")  # type: ignore[attr-defined]
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(address)
        if not util.is_abstract_socket_namespace(address):
            os.chmod(address, 0o600)
        listener.listen()
        alive_r, alive_w = os.pipe()  # every client holds the write end: the server ends once all have gone
        try:
            pid = _forked((listener.fileno(), alive_r), forkserver.main, listener.fileno(), alive_r, preload)
        except OSError:
            os.close(alive_w)
            raise
        finally:
            os.close(alive_r)
    server._forkserver_address = address
    server._forkserver_alive_fd = alive_w
    server._forkserver_pid = pid
    return True


def _tracker(told: int) -> None:
    """multiprocessing's resource tracker, in the process forked for it (`_fork_server`): it still removes
    the semaphores a pool left (readlog ended by Ctrl-C before its pool shut down), without its two lines of
    `UserWarning: resource_tracker: There appear to be 1 leaked semaphore objects` on the reader's terminal
    after readlog's own (try-out 27b): readlog's end, not the reader's concern."""
    import warnings
    from multiprocessing import resource_tracker

    warnings.filterwarnings("ignore", message="resource_tracker:", category=UserWarning)
    resource_tracker.main(told)


# multiprocessing's temp folder (where the fork server's socket is), when readlog starts the workers: in
# $TMPDIR, named for readlog and the process that made it (`readlog-PID`: no longer than multiprocessing's
# own `pymp-XXXXXXXX`, which says whose it is to no one, so the socket's path is no longer either; where that
# name is taken, `readlog-PID-XXXXXXXX`), locked (flock) while that process lives.
TEMP_PREFIX = "readlog-"
_TEMP_NAME = r"readlog-([0-9]+)(?:-[a-z0-9_]{8})?"
_SOCKET_ROOM = 107 - len("/listener-XXXXXXXX")  # (a Unix socket's path: 107 bytes at most, on Linux)
_temp_lock: list[int] = []  # the descriptor this process holds its folder's lock on


def own_temp_dir() -> None:
    """This process's multiprocessing temp folder made by readlog, if multiprocessing has none yet: one that
    a later readlog can prove its own and dead. multiprocessing removes its folder at the interpreter's
    exit, and readlog's own ends remove it (`remove_temp_dir`), but a readlog killed outright (`kill -9`,
    the OOM killer) left a `pymp-*` folder for ever, nothing in it saying whose it was. Here it is named
    for readlog and this process's pid, and locked while this process lives; the folders of readlog
    processes that have died are removed first (`_clear_dead_temp_dirs`). Where it cannot be made (a
    $TMPDIR too deep for the socket's path, not writable, no flock), multiprocessing makes its own, as
    before. (CPython's internals, read in 3.11: a process without them is left as it is.)"""
    try:
        import fcntl
        import tempfile
        from multiprocessing import process, util

        config: dict[str, Any] = process.current_process()._config  # type: ignore[attr-defined]
        if config.get("tempdir") is not None:
            return
        parent = tempfile.gettempdir()
        _clear_dead_temp_dirs(parent, fcntl)
        folder = os.path.join(parent, f"{TEMP_PREFIX}{os.getpid()}")
        try:
            os.mkdir(folder, 0o700)  # (never an existing one: a name in a shared folder may be anyone's)
        except FileExistsError:
            folder = tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=parent)
    except (ImportError, AttributeError, OSError):
        return
    try:
        if len(os.fsencode(folder)) > _SOCKET_ROOM:
            raise OSError("no room for the socket's name")
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # (a `_clear_dead_temp_dirs` may hold it a moment: see there)
        except OSError:
            os.close(fd)
            raise
    except OSError:
        os.rmdir(folder)
        return
    import shutil

    _temp_lock.append(fd)
    config["tempdir"] = folder
    # Removed at the interpreter's exit, as multiprocessing removes its own (a process that exits: tests).
    util.Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=-100)


def _clear_dead_temp_dirs(parent: str, fcntl: Any) -> None:
    """The temp folders in `parent` of readlog processes that have ended (`own_temp_dir`), removed: a
    folder of this user's, named as readlog names them, whose lock this process can take (no process of
    the one that made it holds it), and whose maker's pid is no process's (it is not one that has made
    its folder and not yet locked it). One whose pid is a process's again is left, for a later readlog.
    Never one of another program's (not so named), nor of another user's, nor a live one."""
    import re

    uid, named = os.getuid(), re.compile(_TEMP_NAME)
    with os.scandir(parent) as entries:
        found = [(e.path, int(m[1])) for e in entries if (m := named.fullmatch(e.name))]
    for path, pid in found:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            if os.fstat(fd).st_uid != uid or pid == os.getpid():
                continue
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if _alive(pid):
                continue
            import shutil

            shutil.rmtree(path, ignore_errors=True)
        except OSError:  # (its process lives: the lock is held)
            continue
        finally:
            os.close(fd)


def _alive(pid: int) -> bool:
    """Whether a process has the id `pid` (any user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # (another user's: alive)
        return True
    return True


def remove_temp_dir() -> None:
    """multiprocessing's temp folder of this process (`own_temp_dir`, or multiprocessing's own `pymp-*` in
    $TMPDIR), removed, and its lock let go. multiprocessing removes it at the interpreter's exit, which
    readlog skips (`os._exit`, readlog.__main__): every import or cold build that started workers left one
    behind. The server and its workers have their socket open already; nothing else of theirs is in it.
    (CPython's internals, read in 3.11: a process without them is left as it is.)"""
    import sys

    process = sys.modules.get("multiprocessing.process")
    if process is None:
        return
    try:
        folder = process.current_process()._config.pop("tempdir", None)
    except AttributeError:  # pragma: no cover - not CPython's multiprocessing
        return
    if isinstance(folder, str):
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    while _temp_lock:
        os.close(_temp_lock.pop())


def _database_open() -> bool:
    """Whether this process has an SQLite database open (the index: an import past its first step). SQLite
    keeps what it knows of an open file's locks in the process's memory, which a fork copies while closing
    the descriptors it names: a worker forked from there that opens the same database took its WAL locks on
    a descriptor number since reused, that is on nothing (review 26b: another writer was not held off, and
    the index was corrupted). Such a process starts new Pythons."""
    import sys

    if "sqlite3" not in sys.modules:
        return False
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            if os.readlink(f"/proc/self/fd/{fd}").endswith((".sqlite3", ".sqlite3-wal", ".sqlite3-shm")):
                return True
    return False


def _forked(keep: tuple[int, ...], run: Callable[..., object], *args: object) -> int:
    """`run(*args)` in this process forked, made there as a new Python would be, its pid; the child ends
    when `run` does (never with this process's clean-up: the caller's). It keeps none of this process's
    descriptors but stdin, stdout, stderr and `keep` (a database, the journal's lock: held on, they
    outlived their closing here), no signal handler of this process's (a new Python's defaults), and no
    garbage collection of what it inherits (`gc.freeze`: an object collected there would close a
    descriptor number since reused). Output still buffered here is written first: never twice."""
    import sys

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1  # pragma: no cover - in the child (what it serves is what tests see)
    try:  # pragma: no cover
        import gc

        gc.freeze()
        edges = [2, *sorted(keep), os.sysconf("SC_OPEN_MAX")]
        for low, high in zip(edges, edges[1:], strict=False):
            os.closerange(low + 1, high)
        for number in signal.valid_signals():
            if callable(signal.getsignal(number)):  # one of this process's (an exec resets them)
                signal.signal(
                    number, signal.default_int_handler if number == signal.SIGINT else signal.SIG_DFL
                )
        for name in ("SIGPIPE", "SIGXFSZ"):  # as a new Python sets them
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_IGN)
        run(*args)
        code = 0
    except SystemExit as end:  # pragma: no cover - (the fork server's end: every client gone)
        code = end.code if isinstance(end.code, int) else 0
    finally:  # pragma: no cover
        os._exit(code)


# What a pool's pipes hold (Linux's most for an unprivileged process, by default): a chunk of parsed rows
# (about 1 MB for 250 Goodreads rows with reviews) or of cells (a quarter of that) in one write.
PIPE_BYTES = 1 << 20


def _roomy_pipes(pool: ProcessPoolExecutor) -> None:
    """The pool's two pipes (tasks out, answers back) made to hold a whole chunk. With the default 64 KB, a
    worker's 1 MB answer went in sixteen pieces, each read by this process's manager thread only once it had
    the GIL back from a busy main thread (up to 5 ms each time), and the worker waited, idle, until the last
    one was read; tasks went out the same way from the feeder thread. A pipe that cannot grow (a limit, not
    Linux, not CPython's pool as readlog knows it) is left as it is: only slower."""
    try:
        import fcntl

        wanted = fcntl.F_SETPIPE_SZ
        ends = (pool._call_queue._writer, pool._result_queue._reader)  # type: ignore[attr-defined]
        for end in ends:
            fcntl.fcntl(end.fileno(), wanted, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # pragma: no cover - see above
        pass


def _watch(pool: ProcessPoolExecutor) -> None:
    """A worker killed while it writes an answer bigger than the pipe holds (the OOM killer, `kill -9` of
    one pid) left the pool waiting for ever: its manager thread was reading that answer, which never ends
    while any other process holds the pipe's write end (the other workers, and this process's own copy),
    so it never saw the dead worker, and every `result()` and `shutdown` waited with it (an import hung
    for an hour). So every worker is started now, this process's write end closed once they have theirs,
    and a thread watches them: a worker that ends other than cleanly (a clean end is the pool's shutdown)
    has the others killed at once. The answer's last write end gone, the manager's read fails, and the
    pool breaks as it does for a worker killed at any other moment (BrokenProcessPool from every
    `result()`; `shutdown` returns). Nothing runs on the happy path: the thread waits on the workers'
    ends. (CPython's internals, read in 3.11; a pool without them is left as it was. tests/test_pool_hang.py
    kills a worker at that moment.)"""
    if os.name != "posix":  # pragma: no cover - the write ends are handles passed otherwise there
        return
    import threading

    try:
        pool._launch_processes()  # type: ignore[attr-defined]
        processes = list(pool._processes.values())
        pool._result_queue._writer.close()  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover - not CPython's pool as readlog knows it
        return
    threading.Thread(
        target=_kill_all_if_one_dies, args=(processes,), daemon=True, name="readlog-pool-watch"
    ).start()


def _kill_all_if_one_dies(processes: list[BaseProcess]) -> None:
    """In the watching thread: wait until each worker has ended; one that ended other than cleanly (a
    signal's end, or 255: the fork server gone) has the others killed, and the watch is over."""
    from multiprocessing.connection import wait

    running = {process.sentinel: process for process in processes}
    while running:
        ended = set(wait(list(running)))
        for sentinel in [sentinel for sentinel in running if sentinel in ended]:
            if running.pop(sentinel).exitcode != 0:
                for other in running.values():
                    if other.exitcode is None:  # (one ended already is not signalled: its pid may be reused)
                        other.kill()
                return


T = TypeVar("T")


def submit(pool: ProcessPoolExecutor, task: Callable[..., T], *args: object) -> Future[T]:
    """`pool.submit(task, *args)`, with signals held off in this thread for the call (readlog's other
    threads block them): a signal's exception while `submit` starts a worker left that worker untracked
    by the pool, and the pool's shutdown waited for it for ever. A pool broken already (a worker killed)
    raises WorkerLost."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        with threads_without_signals():
            return pool.submit(task, *args)
    except BrokenProcessPool:
        raise WorkerLost() from None


def answer(future: Future[T]) -> T:
    """The task's result, or the error it raised; WorkerLost if a worker of its pool was killed (the pool
    is broken then: `_watch`), one line at the command line's edge instead of a traceback."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        raise WorkerLost() from None


def _worker_start(client: int) -> None:
    """Each worker's first step. The terminal's signals (Ctrl-C, a hang-up) reach the whole process group:
    they are the client's to handle, so a worker ignores them (no traceback from every worker), and SIGTERM
    still ends it (the pool stops a broken worker that way), as its default does, whatever a task does
    meanwhile: a task that holds a transaction open across tasks (the import's recorder) is inside
    readlog.stopping's block, which raised SIGTERM as an exception there while the worker waited for its
    next task, out of any block, so a SIGTERM to an import's process group printed the worker's traceback
    (review 31e F1); that block leaves a handler of the worker's own alone. A worker ends when its client
    does, however the client ended: killed outright, it never says goodbye, and a worker waiting for its
    next task (and the fork server, which lives while any worker holds its pipe) would otherwise wait
    forever."""
    import threading

    for name in ("SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _ended)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
    threading.Thread(target=_end_with, args=(client,), daemon=True, name="readlog-client-watch").start()


def _ended(signum: int, frame: object) -> None:
    """A worker's SIGTERM: the worker ended by it, as by its default (its status says the signal)."""
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


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
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block, and back as it was after: a big job (a chunk of
    parsed rows, an import's index batch, a site build) makes many objects that all live until it is done,
    which the collector would otherwise walk through again and again, for nothing."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
