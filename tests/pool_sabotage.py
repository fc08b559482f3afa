"""For the tests of worker pools (test_pool_hang.py): one worker process of readlog's pools killed with
SIGKILL at a chosen moment, as the OOM killer or a `kill -9` of one pid would.

    POOL_SABOTAGE="MODULE:FUNCTION;N;WHEN;MARKER"

The first worker to reach its Nth call of the task MODULE.FUNCTION (and to make the file MARKER, which says
it happened) is killed: WHEN `start`, as the task starts; `send`, in the middle of sending its answer back
(its length written to the pool's pipe, the answer itself not: only an answer of more than 16 KB is sent
in two writes). Loaded in the fork server (readlog.pool's preload: the test adds this module's name to
it), so every worker it forks has the task replaced; the process that asks for the work is not touched.
"""

from __future__ import annotations

import functools
import importlib
import os
import signal
import sys
from types import FrameType
from typing import Any


def _claim(marker: str) -> bool:
    try:
        os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    return True


def _killed_when_sending(frame: FrameType, event: str, arg: Any) -> None:
    """A profile function: the process killed as it starts writing the body of a big message (the
    Connection writes its length first, then the body, for more than 16 KB)."""
    code = frame.f_code
    if event == "call" and code.co_name == "_send" and code.co_filename.endswith("connection.py"):
        buf = frame.f_locals.get("buf")
        if buf is not None and len(buf) > 16384:
            os.kill(os.getpid(), signal.SIGKILL)


def install(spec: str) -> None:
    target, nth, when, marker = spec.split(";")
    module_name, name = target.split(":")
    module = importlib.import_module(module_name)
    task = getattr(module, name)
    calls = 0

    @functools.wraps(task)
    def sabotaged(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == int(nth) and _claim(marker):
            if when == "start":
                os.kill(os.getpid(), signal.SIGKILL)
            sys.setprofile(_killed_when_sending)  # (this worker's main thread: it sends the answer)
        return task(*args, **kwargs)

    setattr(module, name, sabotaged)


def big(size: int) -> bytes:
    """A task with a big answer (for a pool of one's own: test_pool_hang)."""
    return b"x" * size


if os.environ.get("POOL_SABOTAGE"):
    install(os.environ["POOL_SABOTAGE"])
