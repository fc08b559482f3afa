"""Many book files parsed, and their index rows made, by worker processes: for a cold build, where parsing
TOML is most of the time and there are cores. The books travel back as rows (and errors), a chunk's rows
table by table (`schema.Packed`), pickled by the process pool itself: no file of pickles is ever written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from readlog.errors import ReadlogError

if TYPE_CHECKING:
    import threading
    from concurrent.futures import ProcessPoolExecutor

    from readlog.index.schema import Loaded, Loader, Packed

CHUNK = 250  # books a worker parses per task


def load_many(load: Loader, slugs: list[str]) -> Iterator[tuple[str, Loaded] | Packed]:
    """Each book of `slugs` read with `load`, as its rows (or the error that stopped it), in order, by one
    worker process per core (at most 8), a chunk of books' rows at a time (`Packed`). `load` must pickle:
    each worker gets a copy. While the workers start (the fork server loading readlog's code: a few tenths
    of a second, on another core), this process parses the first books itself, one by one."""
    from readlog import fields
    from readlog.pool import PRELOAD, threads_without_signals
    from readlog.pool import cores as count_cores

    cores = count_cores()
    # A worker knows only model's fields (fields.built_in_only): with another one registered, parse here.
    if cores < 2 or not fields.built_in_only():
        yield from _here(load, slugs)
        return
    from collections import deque
    from concurrent.futures import Future

    # readlog.pool's one fork server (worker threads never take a signal), with the loader's module loaded.
    starting = _Starting(cores, list(dict.fromkeys([type(load).__module__, *PRELOAD])))
    try:
        done = 0
        while done < len(slugs) and not starting.ready.is_set():
            yield from _here(load, slugs[done : done + 1])
            done += 1
        rest = slugs[done:]
        chunks = [rest[i : i + CHUNK] for i in range(0, len(rest), CHUNK)]
        with starting.pool() as pool:
            # A few chunks in flight per worker, not all of them: parsed books waiting for their turn to be
            # indexed would otherwise pile up in memory (a 100,000-book build held 500 MB).
            pending: deque[Future[Packed]] = deque()
            for chunk in chunks:
                # A signal's exception while `submit` starts a worker left that worker untracked by the pool:
                # it took the shutdown's word meant for another, and the shutdown waited for that one for
                # ever. Held off in this thread (every other readlog thread blocks them) for the call.
                with threads_without_signals():
                    pending.append(pool.submit(_load_chunk, load, chunk))
                if len(pending) > 2 * cores:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        starting.close()


def _here(load: Loader, slugs: list[str]) -> Iterator[tuple[str, Loaded]]:
    """Books parsed in this process."""
    for slug in slugs:
        try:
            yield slug, load(slug)
        except ReadlogError as error:
            yield slug, error


class _Starting:
    """A pool of worker processes being made: the fork server started from this (the main) thread, the pool
    asked of it by a thread of its own, which never takes a signal and waits while the server loads; `ready`
    is set once the pool is there (or could not be made)."""

    def __init__(self, workers: int, preload: list[str]):
        import threading

        from readlog.pool import start_server, threads_without_signals

        start_server(preload)  # here: the server keeps this thread's signal mask (readlog.pool.start_server)
        self.ready = threading.Event()
        self._made: ProcessPoolExecutor | BaseException | None = None
        self._taken = False
        with threads_without_signals():
            self._thread: threading.Thread = threading.Thread(
                target=self._make, args=(workers, preload), name="readlog-pool-start", daemon=True
            )
            self._thread.start()

    def _make(self, workers: int, preload: list[str]) -> None:
        from readlog.pool import worker_pool

        try:
            self._made = worker_pool(workers, preload)
        except BaseException as error:  # noqa: BLE001 - handed to the main thread, raised there
            self._made = error
        finally:
            self.ready.set()

    def pool(self) -> ProcessPoolExecutor:
        """The pool (waiting for it if need be); the caller shuts it down."""
        self._thread.join()
        made = self._made
        if isinstance(made, BaseException):
            raise made
        assert made is not None
        self._taken = True
        return made

    def close(self) -> None:
        """A pool never taken (the books all parsed here, or stopped by an error or a signal) shut down."""
        if self._taken:
            return
        self._thread.join()
        if self._made is not None and not isinstance(self._made, BaseException):
            self._made.shutdown(cancel_futures=True)


def _load_chunk(load: Loader, slugs: list[str]) -> Packed:
    """In a worker process: parse these books and make their index rows, packed a table at a time."""
    from readlog.index.rows import book_rows
    from readlog.index.schema import Packed

    packed = Packed(slugs)
    for slug in slugs:
        try:
            packed.add(slug, book_rows(*load(slug)))
        except ReadlogError as error:  # the readlog errors pickle whole (errors.py), to go back to the parent
            packed.failed[slug] = error
    return packed
