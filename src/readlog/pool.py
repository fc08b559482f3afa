"""Worker processes for the big jobs that have a second core to use: a cold index build (journal), a big
import's parsing and formatting (importers). One way to start them, so they all come from one fork server.

Not "fork": the calling process may have threads (a progress bar's, an import's sync thread), and forking
those is not safe. The fork server starts clean once, with readlog's parsing code loaded, and forks each
worker from there (cheap: no imports per worker).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# What the fork server loads once, for every worker it forks.
PRELOAD = ["readlog.importers", "readlog.journal", "readlog.index", "readlog.bookfile", "tomli"]


def cores() -> int:
    """How many workers a job may start (one per core, at most 8)."""
    return min(os.cpu_count() or 1, 8)


def worker_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """A pool of worker processes; the caller shuts it down (a `with` block, or `shutdown`)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(workers or cores(), mp_context=context)
