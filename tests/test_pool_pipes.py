"""A pool's two pipes hold a whole chunk (tasks out, answers back): a worker's 1 MB answer goes in one write,
not sixteen that each wait for this process's busy main thread to let the reading thread run."""

from __future__ import annotations

import sys

import pytest

from readlog.pool import PIPE_BYTES, answer, submit, worker_pool


@pytest.mark.skipif(sys.platform != "linux", reason="F_SETPIPE_SZ: Linux")
def test_a_pools_pipes_hold_a_chunk_and_its_answers_come_back_whole():
    import fcntl

    pool = worker_pool(1)
    try:
        ends = (pool._call_queue._writer, pool._result_queue._reader)  # type: ignore[attr-defined]
        assert [fcntl.fcntl(end.fileno(), fcntl.F_GETPIPE_SZ) for end in ends] == [PIPE_BYTES, PIPE_BYTES]
        big = "x" * (2 * PIPE_BYTES)  # (more than a pipe holds: still one answer, read whole)
        assert answer(submit(pool, str.upper, big)) == big.upper()
    finally:
        pool.shutdown(wait=True)
