"""SIGTERM and SIGHUP (a closed terminal) as an exception within a block, so that the work inside is undone
on the way out (an index's transaction rolled back, a site's unfinished build taken away); then the signal
ends the process as it asked, with its own status."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from typing import NoReturn

ENDING = tuple(s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None)


class Ending(BaseException):  # noqa: N818 - like KeyboardInterrupt: never caught as an error
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP raised as Ctrl-C is (`ending_raised(interrupt=True)`): work that says where a
    Ctrl-C stopped it (a note on the interrupt: a sync, committed and not pushed) says the same; the caller
    then ends the process by the signal (`Stopped`)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise(signum: int, frame: object) -> None:
    raise Ending(signum)


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def ending_raised(interrupt: bool = False) -> Iterator[bool]:
    """Each of SIGTERM and SIGHUP where nothing else handles or ignores it raised as `Ending` within the
    block (with `interrupt`, as `Interrupted`, a Ctrl-C); each is asked on its own (under `nohup`, SIGHUP
    ignored stays so, and SIGTERM is still raised). Only in the main thread, where handlers are (elsewhere
    nothing changes). Their defaults back after. Gives whether it raises any here: inside another such
    block (an index refreshed by a site build), the outer one's `Ending` is the outer block's to end the
    process by, once its own work is undone."""
    import threading

    wanted = [s for s in ENDING if signal.getsignal(s) is signal.SIG_DFL]
    if threading.current_thread() is not threading.main_thread() or not wanted:
        yield False
        return
    for s in wanted:
        signal.signal(s, _interrupt if interrupt else _raise)
    try:
        yield True
    finally:
        for s in wanted:
            signal.signal(s, signal.SIG_DFL)


def held_off() -> None:
    """Inside `ending_raised`, while the work is being undone: a second SIGTERM or SIGHUP waits (ignored)."""
    for s in ENDING:
        if signal.getsignal(s) in (_raise, _interrupt):
            signal.signal(s, signal.SIG_IGN)


def end_by(stop: Ending, last: Callable[[], None] | None = None) -> NoReturn:
    """The work undone: the process ended by the signal `stop` was raised for, after `last` (a clean-up,
    a line said); a second signal meanwhile ends it at once."""
    for s in ENDING:
        if s == stop.signum or signal.getsignal(s) in (_raise, _interrupt):
            signal.signal(s, signal.SIG_DFL)
    if last is not None:
        last()
    os.kill(os.getpid(), stop.signum)
    raise stop  # pragma: no cover - the signal ends the process first


@contextlib.contextmanager
def undone_then_ended() -> Iterator[None]:
    """`ending_raised` for the block, so the work inside is undone on the way out (a transaction rolled
    back); then the process ended by the signal, with its own status, the worker processes' temp folder
    taken away first (readlog.pool: `$TMPDIR/readlog-PID`). Inside another such block (a reindex, a site
    build), the outer one's `Ending` to end the process by, once its own work is undone."""
    with ending_raised() as own:
        try:
            yield
        except Ending as stopped:
            if not own:
                raise
            end_by(stopped, _workers_gone)


def _workers_gone() -> None:
    from readlog.pool import remove_temp_dir

    remove_temp_dir()  # (the process ends by the signal: no __main__ after it)


class Stopped(BaseException):  # noqa: N818 - like KeyboardInterrupt: a signal, not an error of the reader's
    """Work stopped by SIGTERM or SIGHUP and undone: `end` says `words` (where things stand) in one line and
    ends the process by the signal, with its own status, as an import stopped so does."""

    def __init__(self, signum: int, words: str):
        super().__init__(signum)
        self.signum, self.words = signum, words

    def end(self, say: Callable[[str], None]) -> NoReturn:
        """`say` the one line (`readlog: WORDS`), then the process ended by the signal."""

        def last() -> None:
            _workers_gone()
            with contextlib.suppress(OSError):  # (a closed terminal: no one to say it to)
                say(f"readlog: {self.words}")

        end_by(Ending(self.signum), last)


@contextlib.contextmanager
def whole() -> Iterator[None]:
    """A step a signal must not split (files written and the commit that holds them made HEAD): Ctrl-C,
    SIGTERM and SIGHUP wait until it is done, blocked in this thread (so the git it starts, which a
    terminal's Ctrl-C reaches too, runs to its end), a Ctrl-C that reaches another thread noted. Then they
    take effect: a Ctrl-C raised as KeyboardInterrupt as the block ends, SIGTERM and SIGHUP as they are
    handled. (A block that fails raises its own error.) Only in the main thread, where handlers are."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[int] = []
    before = signal.getsignal(signal.SIGINT)
    noted = before is signal.default_int_handler  # (an ignored Ctrl-C stays ignored)
    if noted:
        signal.signal(signal.SIGINT, lambda signum, frame: came.append(signum))
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, *ENDING})
    try:
        yield
    finally:
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # (what waited comes now)
        finally:
            if noted:
                signal.signal(signal.SIGINT, before)
    if came:
        raise KeyboardInterrupt
