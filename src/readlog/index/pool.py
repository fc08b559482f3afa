"""Many book files parsed, and their index rows made, by worker processes: for a cold build, where parsing
TOML is most of the time and there are cores. The books travel back as rows (and errors), a chunk's rows
table by table (`schema.Packed`), pickled by the process pool itself: no file of pickles is ever written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from readlog.errors import ReadlogError

if TYPE_CHECKING:
    from readlog.index.schema import Loaded, Loader, Packed

CHUNK = 250  # books a worker parses per task


def load_many(load: Loader, slugs: list[str]) -> Iterator[tuple[str, Loaded] | Packed]:
    """Each book of `slugs` read with `load`, as its rows (or the error that stopped it), in order, by one
    worker process per core (at most 8), a chunk of books' rows at a time (`Packed`). `load` must pickle:
    each worker gets a copy."""
    from readlog import fields
    from readlog.pool import answer, submit, worker_pool
    from readlog.pool import cores as count_cores

    cores = count_cores()
    # A worker knows only model's fields (fields.built_in_only): with another one registered, parse here.
    if cores < 2 or not fields.built_in_only():
        for slug in slugs:
            try:
                yield slug, load(slug)
            except ReadlogError as error:
                yield slug, error
        return
    from collections import deque
    from concurrent.futures import Future

    from readlog.errors import WorkerLost

    chunks = [slugs[i : i + CHUNK] for i in range(0, len(slugs), CHUNK)]
    done = 0  # chunks yielded
    try:
        with worker_pool(cores, _preload(load)) as pool:
            # A few chunks in flight per worker, not all of them: parsed books waiting for their turn to be
            # indexed would otherwise pile up in memory (a 100,000-book build held 500 MB).
            pending: deque[Future[Packed]] = deque()
            for chunk in chunks:
                pending.append(submit(pool, _load_chunk, load, chunk))
                if len(pending) > 2 * cores:
                    packed = answer(pending.popleft())
                    done += 1
                    yield packed
            while pending:
                packed = answer(pending.popleft())
                done += 1
                yield packed
    except WorkerLost:
        # A worker was killed (short of memory, say): the index is a cache, and the files are all here, so
        # the books its pool did not give back are parsed in this process, as for a small build.
        for chunk in chunks[done:]:
            yield _load_chunk(load, chunk)


def _preload(load: Loader) -> list[str]:
    """What the fork server loads for a build's workers: the loader's module and readlog.pool's PRELOAD."""
    from readlog.pool import PRELOAD

    return list(dict.fromkeys([type(load).__module__, *PRELOAD]))


def start_workers(load: Loader) -> None:
    """readlog.pool's one fork server (worker threads never take a signal), with the loader's module loaded,
    started now and left to start on its own, for the workers `load_many` will ask of it: as a cold build
    begins, so that its start (Python's and the parsing code's) runs beside the folder's sweep rather than
    after it. Nothing when the build would parse in this process (one core, a field registered)."""
    from readlog import fields
    from readlog.pool import cores, start_server

    if cores() >= 2 and fields.built_in_only():
        start_server(_preload(load))


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
