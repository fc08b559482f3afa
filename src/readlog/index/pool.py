"""Many book files parsed, and their index rows made, by worker processes: for a cold build, where parsing
TOML is most of the time and there are cores. The books travel back as rows (and errors), pickled by the
process pool itself: no file of pickles is ever written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from readlog.errors import ReadlogError

if TYPE_CHECKING:
    from readlog.index.rows import Rows
    from readlog.index.schema import Loaded, Loader

CHUNK = 250  # books a worker parses per task


def load_many(load: Loader, slugs: list[str]) -> Iterator[tuple[str, Loaded]]:
    """Each book of `slugs` read with `load`, as its rows (or the error that stopped it), in order, by one
    worker process per core (at most 8). `load` must pickle: each worker gets a copy."""
    import os

    from readlog import fields

    cores = min(os.cpu_count() or 1, 8)
    # A worker knows only model's fields (fields.built_in_only): with another one registered, parse here.
    if cores < 2 or not fields.built_in_only():
        for slug in slugs:
            try:
                yield slug, load(slug)
            except ReadlogError as error:
                yield slug, error
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    chunks = [slugs[i : i + CHUNK] for i in range(0, len(slugs), CHUNK)]
    # Not "fork": this process may have threads (a progress bar's), and forking those is not safe.
    # A fork server starts clean once, with the parser loaded, and forks each worker from there.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload([type(load).__module__, "readlog.index", "tomli"])
    with ProcessPoolExecutor(cores, mp_context=context) as pool:
        # A few chunks in flight per worker, not all of them: parsed books waiting for their turn to be
        # indexed would otherwise pile up in memory (a 100,000-book build held 500 MB).
        pending: deque[tuple[list[str], Future[list[Rows | ReadlogError]]]] = deque()
        for chunk in chunks:
            pending.append((chunk, pool.submit(_load_chunk, load, chunk)))
            if len(pending) > 2 * cores:
                done, future = pending.popleft()
                yield from zip(done, future.result(), strict=True)
        while pending:
            done, future = pending.popleft()
            yield from zip(done, future.result(), strict=True)


def _load_chunk(load: Loader, slugs: list[str]) -> list[Rows | ReadlogError]:
    """In a worker process: parse these books and make their index rows."""
    from readlog.index.rows import book_rows

    out: list[Rows | ReadlogError] = []
    for slug in slugs:
        try:
            out.append(book_rows(*load(slug)))
        except ReadlogError as error:  # the readlog errors pickle whole (errors.py), to go back to the parent
            out.append(error)
    return out
