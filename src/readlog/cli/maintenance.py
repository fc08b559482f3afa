"""Looking after the journal: reindex, check."""

import sys
from typing import Annotated

import typer

from readlog.cli.app import (
    app,
    complain,
    emit,
    journal_of,
    print_json,
    said_when_cancelled,
    say_stopped,
    tell,
    warn,
    whole_journal,
)
from readlog.text import one_line


@app.command()
def reindex(ctx: typer.Context) -> None:
    """It is only a cache; this is always safe.

    \b
    Example:
      readlog reindex
    """
    import time

    from readlog.actions import find as actions

    started = time.perf_counter()
    journal = journal_of(ctx)
    with said_when_cancelled("the index was not rebuilt; the next command brings it up to date"):
        try:
            count = actions.reindex(journal)  # a bar on a terminal after a second (index.life.on_long_build)
        except actions.Stopped as stop:  # (SIGTERM, SIGHUP: said, then the signal ends readlog)
            stop.end(say_stopped)
    problems = journal.problems()  # (kept by the rebuild: no second sweep)
    warn(problems)
    unread = f", {len(problems)} of them could not be read (above)" if problems else ""
    files = "book file" if count == 1 else "book files"
    tell(f"Indexed {count} {files}{unread} in {time.perf_counter() - started:.1f} s")


@app.command()
def check(
    ctx: typer.Context,
    fix: Annotated[
        bool, typer.Option("--fix", help="Fix what is safe to fix, and say what was done.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Changes nothing without --fix.

    \b
    Example:
      readlog check --fix
    """
    from readlog.actions.check import check as check_journal

    journal = whole_journal(ctx, "check", needs_books=True)
    report = check_journal(journal, fix)
    done = report.fixed
    if as_json:
        problems = [p.to_json() for p in report.problems]
        print_json({"checked": report.checked, "problems": problems, "fixed": done})
    else:
        for line in done:
            emit(f"fixed: {line}")
        for problem in report.problems:
            hint = " (readlog check --fix)" if problem.fixable else ""
            emit(one_line(str(problem)) + hint)
        files = "file" if report.checked == 1 else "files"
        summary = f"checked {report.checked} {files} in {journal.books_dir}: "
        count = sum(not p.notice for p in report.problems)
        maybe = sum(p.kind == "maybe-same" for p in report.problems)
        unclosed = sum(p.kind == "open-comment" for p in report.problems)
        shared = sum(p.kind == "same-title" for p in report.problems)
        odd = sum(p.kind == "control-character" for p in report.problems)
        apart = sum(p.kind == "pick-apart" for p in report.problems)
        summary += f"{count} problem{'s' if count != 1 else ''}" if count else "all good"
        notes = []  # (shown, never counted: after a count, said so, so that `5 problems (1 maybe ...)` is
        # not read as one of the 5)
        if maybe:
            notes.append(f"{maybe} maybe the same book")
        if apart:
            notes.append(f"{apart} pick{'s' if apart != 1 else ''} apart from the book it may be")
        if odd:
            notes.append(f"{odd} control character{'s' if odd != 1 else ''} to take out")
        if shared:
            notes.append(f"{shared} title{'s' if shared != 1 else ''} naming two files: give the slug")
        if unclosed:
            texts = "that text" if unclosed == 1 else "those texts"
            notes.append(f"{unclosed} `<!--` never closed: the rest of {texts} is hidden")
        if notes and count:
            summary += f"; besides, not counted: {'; '.join(notes)}"
        elif notes:  # (one parenthesis: review 30b #3)
            summary += f" ({'; '.join(notes)})"
        complain(summary, "red" if count else "green")
    if report.failed:
        raise typer.Exit(1)


@app.command()
def completion(
    shell: Annotated[str, typer.Argument(metavar="SHELL", help="bash, zsh or fish.")],
) -> None:
    """`readlog --install-completion` installs it for the shell you are in.

    \b
    Example:
      readlog completion bash > ~/.local/share/bash-completion/completions/readlog
    """
    from typer._completion_shared import get_completion_script

    from readlog.errors import UsageError

    if shell not in ("bash", "zsh", "fish"):  # a usage mistake, as a value not among an option's choices
        raise UsageError(f"SHELL: {shell!r} is not a shell readlog completes: use bash, zsh or fish")
    script = get_completion_script(prog_name="readlog", complete_var="_READLOG_COMPLETE", shell=shell)
    sys.stdout.write(script.rstrip("\n") + "\n")
