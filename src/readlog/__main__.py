"""Entry point for the `readlog` script and `python -m readlog`.

Three start-up measures live here and nowhere else (numbers from bench/startup.py):
- readlog's byte code is written even where PYTHONDONTWRITEBYTECODE is set (see main);
- cyclic GC runs less often while ~300 modules import (a short-lived command makes few cycles): ~10%;
- once output is flushed the process ends with `os._exit`, skipping interpreter teardown, which frees
  every module one by one: ~12 ms, about 1x `python -c pass`. Every file readlog writes is already
  closed and fsynced by then, and the journal lock is released by the OS when the process ends.
And one that skips the command line: `readlog sync` with nothing to do is answered by readlog.sync.quick
before Typer, Click or Rich load, and with something to do and plain messages runs without them
(`_plain_sync`); anything else goes on to the command line.
"""

import gc
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from readlog.sync.quick import Prepared


def main() -> None:
    gc.set_threshold(50_000, 50, 100)
    # readlog keeps its own byte code even where PYTHONDONTWRITEBYTECODE is set (container images set it):
    # a checkout or an editable install has none until a run writes it, and without it every command
    # compiled every module it loads, every time (`list` on the examples 0.21 s against 0.08 s). What pip
    # installs is compiled at install, so in practice only readlog's own files get a __pycache__.
    sys.dont_write_bytecode = False
    if sys.stdout is None or sys.stderr is None or sys.stdin is None:
        _closed_streams()
    try:
        code = _quick()
        if code is None:
            from readlog.cli import main as run

            run()
            code = 0
    except SystemExit as exit_:
        code = _exit_code(exit_.code)
    except BrokenPipeError:  # `readlog list | head`: the reader left (0), or another pipe broke (1)
        code = _broken_pipe()
    except KeyboardInterrupt as stop:  # Ctrl-C during the quick answer, or before a command began
        _stopped(stop)
        code = 130
    except Exception as error:  # a readlog error outside a command (`readlog --help >&-`): one line
        from readlog.errors import ReadlogError

        if not isinstance(error, ReadlogError):
            raise
        from readlog.cli.app import exit_for  # (the one boundary's words)

        code = exit_for(error) or 1
    if "readlog.pool" in sys.modules:  # (workers were started: their temp folder, which os._exit keeps)
        sys.modules["readlog.pool"].remove_temp_dir()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # what was left for a reader that has gone: the exit code stands
        pass
    except KeyboardInterrupt:  # a second Ctrl-C as it ends: stopped, as the first one said
        code = 130
    os._exit(code)


def _stopped(stop: KeyboardInterrupt) -> None:
    """What a command stopped by Ctrl-C had done, if it says (a sync: committed, not pushed), in plain lines
    as the command line's boundary says it, on a line after the terminal's `^C`."""
    notes = [note for note in getattr(stop, "__notes__", ()) if isinstance(note, str)]
    if not notes:  # (never nothing at all: one line, as at a question, after the terminal's `^C`)
        from readlog.cli.app import CTRL_C, end_prompt_line, show_error

        end_prompt_line()
        show_error(f"cancelled: {CTRL_C}")
        return
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    for note in notes:
        _plain(f"readlog: {note}")


def _broken_pipe() -> int:
    """A pipe broke outside a command: 0 when it was the reader of our output that left (the convention
    of cli/app.py's `reader_gone`), else 1."""
    from readlog.cli.app import reader_gone

    return 0 if reader_gone() else 1


class _ClosedOutput:
    """sys.stdout when readlog was started with it closed (`readlog list >&-`): writing data to it is an
    error (one line on stderr, exit 1), as the data would be lost; a command that writes none runs. A
    command asked for data it writes after a change (`add --json`) asks `refuse` first (cli/app.py's
    `_Context`), so that it fails before it changes anything."""

    encoding = "utf-8"
    errors = "strict"

    def refuse(self) -> None:
        from readlog.errors import ReadlogError

        raise ReadlogError("stdout is closed: the output could not be written (`>/dev/null` drops it)")

    def write(self, text: str) -> int:
        if text:
            self.refuse()
        return 0

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return 1


def _closed_streams() -> None:
    """Started with stdin, stdout or stderr closed (`>&-`, `2>&-`): each closed one is opened on
    /dev/null, so no file readlog opens later (a book, the index) takes its number, and a child (git, an
    editor) inherits /dev/null there. A closed stdin reads as empty, a closed stderr drops the messages
    (the exit code still tells), and a closed stdout refuses data (_ClosedOutput)."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is not None:
            continue
        if null != fd:
            os.dup2(null, fd)
        if name == "stdin":
            sys.stdin = open(fd, encoding="utf-8", closefd=False)  # noqa: SIM115
        elif name == "stderr":
            sys.stderr = open(fd, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        else:
            sys.stdout = _ClosedOutput()
    if null > 2:
        os.close(null)


def _quick() -> int | None:
    """A command run without the command line (Typer, Click, Rich): `readlog sync` with nothing to do
    (readlog.sync.quick), or with something to do and plain messages (`_plain_sync`); its exit code.
    None for everything else, which the command line runs."""
    if sys.argv[1:2] != ["sync"]:
        return None
    from readlog.sync.quick import Prepared, run

    answer = run(sys.argv[1:])
    if isinstance(answer, str):  # nothing to do
        _plain(answer)
        return 0
    if isinstance(answer, Prepared):  # something to do, said in plain lines
        return _plain_sync(answer)
    return None


def _plain_sync(prepared: "Prepared") -> int:
    """The command line's `readlog sync` (readlog.cli.sync) without Typer, Click or Rich (a third of a
    one-change sync's time), for plain messages: the same action, taking over what the quick look did
    (the sync's lock, the fetch it started, the repository found, its configuration); its report in the
    same words (readlog.sync.render.report_lines); an error through the command line's one boundary,
    imported only then. tests/test_sync_quick.py runs every kind of sync both ways and compares what
    they say and leave."""
    import readlog.lazyclass  # noqa: F401  (first: it imports pathlib and dataclasses lighter, see there)
    from readlog.files import on_lock_wait

    on_lock_wait(lambda message: _plain(f"readlog: {message}"))  # as the command line's root does
    try:
        from readlog.actions import sync as actions
        from readlog.journal import Journal, default_data_dir

        report = actions.sync(Journal(default_data_dir()), prepared)
    except actions.Stopped as stop:  # (SIGTERM, SIGHUP: said as Ctrl-C is, then the signal ends readlog)
        prepared.release()
        stop.end(_plain)
    except Exception as error:
        prepared.release()
        from readlog.cli.app import exit_for

        code = exit_for(error)
        if code is None:
            raise
        return code
    from readlog.sync.render import report_lines

    lines, code = report_lines(report)
    for text, _ in lines:
        _plain(text)
    return code


def _plain(message: str) -> None:
    """A message as a plain line on stderr, made visible (readlog.text.one_line, imported only for a line
    it would change: printable ASCII it leaves as it is), on a terminal narrower than it folded between
    words as every message is (readlog.text.plain_message)."""
    if not (message.isascii() and message.isprintable()):
        from readlog.text import one_line

        message = one_line(message)
    if sys.stderr.isatty():
        from readlog.text import plain_message

        message = plain_message(message)
    sys.stderr.write(message + "\n")


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    main()
