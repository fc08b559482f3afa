"""Entry point for the `readlog` script and `python -m readlog`.

Two start-up measures live here and nowhere else (numbers from bench/startup.py):
- cyclic GC runs less often while ~300 modules import (a short-lived command makes few cycles): ~10%;
- once output is flushed the process ends with `os._exit`, skipping interpreter teardown, which frees
  every module one by one: ~12 ms, about 1x `python -c pass`. Every file readlog writes is already
  closed and fsynced by then, and the journal lock is released by the OS when the process ends.
And one that skips the command line: `readlog sync` with nothing to do is answered by readlog.sync.quick
before Typer, Click or Rich load (a third of the time); anything else goes on to the command line.
"""

import gc
import os
import sys


def main() -> None:
    gc.set_threshold(50_000, 50, 100)
    try:
        code = _quick()
        if code is None:
            from readlog.cli import main as run

            run()
            code = 0
    except SystemExit as exit_:
        code = _exit_code(exit_.code)
    except BrokenPipeError:  # `readlog list | head`: the reader left; nothing to report
        code = 1
    except KeyboardInterrupt:  # Ctrl-C during the quick answer: as the command line ends on it
        code = 130
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = code or 1
    os._exit(code)


def _quick() -> int | None:
    """A command answered without the command line (Typer, Click, Rich): `readlog sync` with nothing to
    do (readlog.sync.quick), its exit code; None for everything else, which the command line runs."""
    if sys.argv[1:2] != ["sync"]:
        return None
    from readlog.sync.quick import run

    return run(sys.argv[1:])


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    main()
