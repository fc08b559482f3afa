"""`readlog inbox`: file the phone's notes (inbox.md) into their books."""

from typing import TYPE_CHECKING, Annotated

import typer

from readlog.cli.app import app, ask_again, complain, journal_of, print_json, say, tell

if TYPE_CHECKING:
    from readlog.actions.inbox import InboxReport, Left
    from readlog.actions.session import Journal


@app.command()
def inbox(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be filed and what not; change nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was filed and left as JSON.")] = False,
    drop: Annotated[
        int | None,
        typer.Option(
            "--drop",
            metavar="N",
            help="Take line N of inbox.md out (it is kept in the journal's trash/ folder).",
        ),
    ] = None,
) -> None:
    """One note a line, `VERB: BOOK | ARG | ...`; what is filed leaves the inbox, what cannot be stays, with
    the reason on stderr (exit 1 while any line waits). On a terminal, each line left is offered in turn:
    file it to the book suggested, to another, keep it, or drop it (to trash/).

    \b
    Example:
      echo 'quote: never let me go | p. 53 | Memories are what we keep.' >> "$READLOG_HOME/inbox.md"
      readlog inbox
      readlog inbox --drop 3
    """
    journal = journal_of(ctx)
    if drop is not None:
        from readlog.actions.inbox import drop_line

        dropped = drop_line(journal, drop)
        if as_json:
            print_json(
                {"dropped": {"line": dropped.number, "text": dropped.text, "kept": str(dropped.kept_in)}}
            )
        tell(f"Dropped line {dropped.number} of inbox.md (kept in {dropped.kept_in})")
        return
    from readlog.actions.inbox import file_inbox

    report = file_inbox(journal, dry_run=dry_run)
    walk = bool(report.left) and not dry_run and not as_json and _on_terminal()
    show_report(report, as_json, parked=not walk)
    if walk:
        _walk(journal, report.left)
        waiting = _waiting(journal)  # the file as it is now: a phone's folder sync may have added lines
        if waiting:
            notes = f"{waiting} note{'s wait' if waiting != 1 else ' waits'}"
            complain(f"{notes} in inbox.md: readlog inbox", "yellow")
            raise typer.Exit(1)
        return
    if report.left:
        raise typer.Exit(1)


def _on_terminal() -> bool:
    import sys

    return sys.stdin.isatty() and sys.stderr.isatty()


def show_report(report: "InboxReport", as_json: bool, parked: bool = True) -> None:
    from readlog.actions.inbox import INBOX

    for note in report.notes:
        complain(f"readlog: note: {note}", "yellow")
    if as_json:
        print_json(report.to_json())
    else:
        for filed in report.filed:  # what a dry run would do is its data; what was done, a confirmation
            line = f"line {filed.note.number}: {filed.describe()}"
            say(f"Would file {line}") if report.dry_run else tell(f"Filed {line}")
    if parked:
        for left in report.left:
            complain(f"{INBOX}:{left.number}: {left.reason}", "red")
    if not as_json and not report.filed and not report.left:
        complain(f"nothing to file: {INBOX} has no notes", "dim")


def _waiting(journal: "Journal") -> int:
    """How many notes inbox.md holds now (blank and `#` lines are not notes)."""
    from readlog.actions.inbox import _read, inbox_path, parse

    return len(parse(_read(inbox_path(journal))))


def _walk(journal: "Journal", left: "list[Left]") -> None:
    """Each line left, in turn, on a terminal: file it to the suggested book, to another, keep it or drop
    it. Line numbers move as lines leave: each is found again by its text (the number shown, in what is
    said and in the trash file of a line dropped, is where it was)."""
    from readlog.actions.inbox import (
        INBOX,
        Invalid,
        Note,
        _read,
        drop_line,
        file_line_to,
        inbox_path,
        parse,
        split_lines,
        suggested_book,
    )
    from readlog.errors import ReadlogError
    from readlog.text import one_line

    for item in left:
        complain(f"{INBOX}:{item.number}: {one_line(item.text)}", "bold")
        complain(f"  {item.reason}", "red")
        parsed = next((p for p in parse(item.raw) if isinstance(p, (Note, Invalid))), None)
        suggestion = suggested_book(journal, parsed.book) if isinstance(parsed, Note) else None
        if suggestion and suggestion[0] == item.found:  # (the book it found, which left it: `rate: … | 6`
            suggestion = None  # would only be refused again; another book may take it: try-out 32a #17)
        choices = (["f"] if suggestion else []) + (["o"] if isinstance(parsed, Note) else []) + ["k", "d"]
        words = {
            "f": f"[f] file to “{one_line(suggestion[1])}”" if suggestion else "",
            "o": "[o] another book",
            "k": "[k] keep it",
            "d": "[d] drop it (to trash/)",
        }
        complain("  " + "  ".join(words[c] for c in choices), "dim")

        def choice(typed: str, choices: list[str] = choices) -> str:
            word = typed.strip().lower() or "k"
            if word not in choices:
                raise ReadlogError(f"{one_line(typed.strip())!r} is not one of {', '.join(choices)}")
            return word

        while True:
            answer = ask_again(f"  Choose ({'/'.join(choices)}) [k]", choice, default="")
            number = _line_now(split_lines(_read(inbox_path(journal))), item.raw)
            if number is None:
                complain("  the line is no longer in inbox.md", "yellow")
                break
            try:
                if answer == "d":
                    dropped = drop_line(journal, number, item.raw, shown=item.number)
                    tell(f"Dropped line {dropped.number} (kept in {dropped.kept_in})")
                elif answer != "k":
                    book = suggestion[0] if answer == "f" and suggestion else typer.prompt("  Book", err=True)
                    filed = file_line_to(journal, number, book, item.raw)
                    tell(f"Filed line {item.number}: {filed.describe()}")
                break
            except ReadlogError as error:
                complain(f"  {one_line(str(error))}", "red")


def _line_now(lines: list[bytes], raw: bytes) -> int | None:
    for number, line in enumerate(lines, 1):
        if line == raw:
            return number
    return None
