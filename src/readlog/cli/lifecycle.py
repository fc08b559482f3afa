"""The reading lifecycle: start, progress, finish, abandon, pause; and review, rate."""

from typing import TYPE_CHECKING, Annotated

import typer

from readlog.cli.app import (
    BookQuery,
    DraftOption,
    app,
    complain,
    confirm,
    day,
    interactive,
    journal_of,
    print_json,
    tell,
)
from readlog.errors import Cancelled, InvalidValue, UsageError
from readlog.text import one_line

if TYPE_CHECKING:
    from readlog.actions.books import Entry

DateOption = Annotated[
    str | None,
    typer.Option(
        "--date", metavar="DATE", help="The day (default today): YYYY-MM-DD, or 'yesterday', 'last friday'."
    ),
]
Replace = Annotated[
    bool, typer.Option("--replace", help="Replace the book's review (the old one is kept in trash/).")
]
ReviewOption = Annotated[str | None, typer.Option("--review", metavar="TEXT", help="Your review (Markdown).")]
ReviewFile = Annotated[
    str | None,
    typer.Option("--review-file", metavar="PATH", help="Read the review from a file, or - for stdin."),
]
Edit = Annotated[bool, typer.Option("--edit", "-e", help="Write the review in $VISUAL/$EDITOR.")]
Headline = Annotated[str | None, typer.Option("--headline", metavar="TEXT", help="The review's headline.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the book as JSON.")]


def _done(message: str, entry: "Entry", as_json: bool) -> None:
    from readlog.actions.books import book_json

    if as_json:
        print_json(book_json(entry))
    else:
        tell(message)


@app.command()
def start(
    ctx: typer.Context,
    book: BookQuery,
    date: DateOption = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", metavar="FORMAT", help="paperback, hardcover, ebook or audiobook."),
    ] = None,
    author: Annotated[
        list[str],
        typer.Option("--author", "-a", metavar="NAME", help="For a book not in the journal yet: add it."),
    ] = [],  # noqa: B006
    new: Annotated[
        bool,
        typer.Option(
            "--new", help="With --author: a separate book, even if the journal has one that may be it."
        ),
    ] = False,
    as_json: AsJson = False,
) -> None:
    """
    \b
    Example:
      readlog start "klara and the sun" --format ebook
      readlog start "Piranesi" --author "Susanna Clarke"     # not in the journal yet
    """
    from readlog.actions.books import named
    from readlog.actions.lifecycle import start as start_reading
    from readlog.errors import MaybeSameBook

    journal, on = journal_of(ctx), day(date, "--date")
    try:
        result = start_reading(journal, book, on=on, fmt=fmt, authors=author, new=new)
    except MaybeSameBook as maybe:  # on a terminal, asked as `add` asks (a script's refusal names --new)
        if not interactive():
            raise
        from readlog.cli.books import separate_book
        from readlog.errors import Cancelled

        try:
            separate = separate_book(maybe)
        except Cancelled:
            there = (
                f": `readlog start {maybe.slugs[0]}` starts the one the journal has"
                if len(maybe.slugs) == 1
                else ""
            )
            raise Cancelled(f"nothing was added{there}") from None
        result = start_reading(journal, book, on=on, fmt=fmt, authors=author, new=separate)
    title = f"“{named(result.entry.book)}”"
    if result.created:
        message = f"Added {title} and started reading it: {result.entry.path}"
    elif result.resumed:
        message = f"Reading {title} again where you left off"
        if result.pause is not None:
            paused = f"paused {result.pause.paused}, " if result.pause.paused else ""
            message += f" ({paused}resumed {result.pause.resumed})"
    elif result.reread:
        message = f"Started reading {title} again (reading {len(result.entry.book.reads)})"
    else:
        message = f"Started reading {title}"
    _done(message, result.entry, as_json)


@app.command()
def progress(
    ctx: typer.Context,
    book: BookQuery,
    at: Annotated[
        str, typer.Argument(metavar="AT", help="A page (120), a page of a total (120/288), 42%, or 5:30.")
    ],
    date: DateOption = None,
    note: Annotated[str | None, typer.Option(metavar="TEXT", help="A note on where you are.")] = None,
    of: Annotated[
        str | None, typer.Option("--of", metavar="H:MM", help="An audiobook's full length, e.g. 10:12.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """
    \b
    Example:
      readlog progress klara 120/288
      readlog progress "the left hand of darkness" 42% --note "the ice crossing"
    """
    from readlog.actions.books import named
    from readlog.actions.lifecycle import progress as log_progress

    result = log_progress(journal_of(ctx), book, at, on=day(date, "--date"), note=note, of=of)
    now = result.entry.book
    logged = result.logged
    assert logged is not None
    part = result.share()
    share = f" ({int(part * 100)}%)" if part is not None and result.position.percent is None else ""
    if result.behind is not None:
        was = result.behind
        complain(
            f"readlog: note: {result.where(logged)} is behind {result.where(was)} on {was.date}: kept as "
            "where you are now (going back over a part happens)",
            "yellow",
        )
    if result.earlier is not None:
        later = result.earlier
        complain(
            f"readlog: note: logged for {logged.date}; on {later.date} you were at {result.where(later)}, "
            "which stays where you are now",
            "yellow",
        )
    typed = at.strip() if at.strip().isascii() else result.where(logged)  # (`٥٠` is echoed as p. 50)
    _done(f"“{named(now)}”: at {typed}{share}", result.entry, as_json)


@app.command()
def finish(
    ctx: typer.Context,
    book: BookQuery,
    date: DateOption = None,
    rating: Annotated[
        str | None, typer.Option("--rating", "-r", metavar="R", help="0.25 to 5 in quarter steps.")
    ] = None,
    review: ReviewOption = None,
    review_file: ReviewFile = None,
    edit: Edit = False,
    headline: Headline = None,
    replace: Replace = False,
    reread: Annotated[
        bool,
        typer.Option("--reread", help="The book is read already: log another reading of it, finished now."),
    ] = False,
    draft: DraftOption = None,
    as_json: AsJson = False,
) -> None:
    """
    A review written with --edit that could not be saved (the editor failed...) is kept in drafts/, and
    the book is not finished: the error names the command that finishes it with the review (--draft).

    \b
    Example:
      readlog finish klara --rating 4.5 --review-file review.md
      readlog finish the-left-hand-of-darkness --reread --date 2026-12-01    # read again, start to end
      readlog finish klara --rating 4.5 --draft klara-20250301    # a draft `readlog drafts` lists
    """
    from readlog.actions.books import ReviewText, find_book, has_review, named
    from readlog.actions.lifecycle import FinishResult
    from readlog.actions.lifecycle import finish as finish_reading
    from readlog.cli.review_input import (
        Unchanged,
        command_line,
        edited_book_review,
        edits_current,
        given_review,
        no_empty_review,
    )

    if draft is not None and (review is not None or review_file is not None or edit):
        raise UsageError(
            "--draft takes up a kept review: give it without --review, --review-file or --edit", "--draft"
        )
    journal = journal_of(ctx)
    when = day(date, "--date")
    typed = given_review(review, review_file, headline, edit)
    no_empty_review(typed, edit, review, review_file)
    entry = find_book(journal, book)
    taken_up = None  # the kept draft --draft names
    if draft is not None:
        from readlog.editor import find_draft
        from readlog.text import slugify

        taken_up = find_draft(journal, draft, (entry.slug, slugify(entry.book.title)))
    reread = _may_reread(entry, reread, when is None)
    if edit and edits_current(typed, entry.book.review):
        replace = True  # (the editor opens the review itself: rewriting it there is the reader's say-so)
    elif typed or edit or taken_up is not None:
        replace = _may_replace(entry, replace)

    def save(text: ReviewText | None) -> FinishResult:
        return finish_reading(
            journal, entry.slug, on=when, rating=rating, review=text, replace=replace, reread=reread
        )

    def way_back(name: str, error: object) -> str:
        """The way back to a kept draft: this `finish` again, its review from the draft (try-out 28a #6),
        without the value refused (`--date` before the reading started: finished today, or give another)."""
        refused = getattr(error, "field", None)
        words = [
            *(["--date", when] if when and refused != "--date" else []),
            *(["--rating", rating] if rating and refused != "--rating" else []),
        ]
        words += [flag for flag, given in (("--reread", reread), ("--replace", replace)) if given]
        return command_line(ctx, "finish", entry.slug, *words, "--draft", name)

    untouched = False
    if edit or taken_up is not None:
        old = entry.book.review
        private = bool(old is not None and old.private)  # a rewritten review stays as private as it was
        try:
            unfinished = "the book is not finished: without --edit, finish keeps its review"
            nothing = f"nothing was changed ({unfinished})"
            result = edited_book_review(
                journal,
                entry,
                typed,
                headline,
                save,
                nothing=nothing,
                private=private,
                kept=taken_up,
                again=way_back,
            )
        except Unchanged:  # the review was optional: the finish lands, with what was typed, if anything
            untouched = not typed
            result = save(typed or None)
    else:
        result = save(typed)
    book_now = result.entry.book
    stars = f", rated {book_now.rating:g}" if rating and book_now.rating is not None else ""
    if result.took is not None:
        stars = f", rated {result.took:g} (as you rated this reading)"
    again = " (a re-read)" if result.reread else ""
    message = f"Finished “{named(book_now)}”{again}{stars}"
    if untouched:
        kept = "the review is as it was" if has_review(entry.book) else "no review was written"
        message += f"; {kept} (the editor was closed with it untouched)"
    elif typed or edit or taken_up is not None:
        message += "; review saved"
    if result.kept is not None:
        message += f"; the old review is kept in {result.kept}"
    _done(message, result.entry, as_json)


def _may_reread(entry: "Entry", reread: bool, undated: bool = False) -> bool:
    """Finishing a book whose latest reading is finished is another reading only when the reader says so:
    --reread, or yes on a terminal; in a script the action refuses it, naming --reread. So is finishing,
    with no --date (`undated`), a book read on a day nobody wrote down."""
    from readlog.actions.lifecycle import finished_already, finished_day, read_undated

    done = finished_already(entry.book)
    unknown = undated and read_undated(entry.book) is not None
    if reread or (done is None and not unknown) or not interactive():
        return reread
    when = "on a day not recorded" if done is None else f"finished {finished_day(done)}"
    question = f"“{one_line(entry.book.title)}” is read already ({when}). Log another reading of it?"
    if confirm(question, default=False):
        return True
    if done is None:
        raise Cancelled("nothing was changed (`--date DAY` gives that reading its day, `--reread` another)")
    raise Cancelled("nothing was changed (`--reread` logs another reading)")


def _may_replace(entry: "Entry", replace: bool) -> bool:
    """A review replaces an old one only when the reader says so: --replace, or yes on a terminal."""
    from readlog.actions.books import has_review, refuse_replacing

    if replace or not has_review(entry.book):
        return replace
    if interactive():
        question = f"“{one_line(entry.book.title)}” has a review already. Replace it (the old one is kept)?"
        if confirm(question, default=False):
            return True
        raise Cancelled("kept the review as it was")
    refuse_replacing(entry, replace)
    return replace


@app.command()
def abandon(
    ctx: typer.Context,
    book: BookQuery,
    date: DateOption = None,
    at: Annotated[
        str | None, typer.Option("--at", metavar="AT", help="Where you stopped: a page, 42% or 5:30.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """
    \b
    Example:
      readlog abandon "the book of the new sun" --at 112
    """
    from readlog.actions.books import named
    from readlog.actions.lifecycle import abandon as abandon_reading

    entry = abandon_reading(journal_of(ctx), book, on=day(date, "--date"), at=at)
    _done(f"Abandoned “{named(entry.book)}”", entry, as_json)


@app.command()
def pause(ctx: typer.Context, book: BookQuery, date: DateOption = None, as_json: AsJson = False) -> None:
    """
    \b
    Example:
      readlog pause "middlemarch"
      readlog pause "middlemarch" --date yesterday
    """
    from readlog.actions.books import named
    from readlog.actions.lifecycle import pause as pause_reading

    entry = pause_reading(journal_of(ctx), book, on=day(date, "--date"))
    read = entry.book.open_read
    since = read.pauses[-1].paused if read is not None and read.pauses else None
    when = f" on {since}" if since else ""
    _done(f"Paused “{named(entry.book)}”{when}: `readlog start` resumes it", entry, as_json)


@app.command()
def review(
    ctx: typer.Context,
    book: BookQuery,
    text: Annotated[
        str | None, typer.Argument(metavar="[TEXT|-]", help="The review; - reads it from stdin.")
    ] = None,
    review_text: Annotated[
        str | None, typer.Option("--review", metavar="TEXT", help="The review, as TEXT gives it.")
    ] = None,
    review_file: ReviewFile = None,
    edit: Edit = False,
    headline: Headline = None,
    replace: Replace = False,
    draft: DraftOption = None,
    private: Annotated[
        bool | None,
        typer.Option(
            "--private/--public",
            help="Keep the review out of the site and posts, or publish it (a rewritten review keeps "
            "its own unless told).",
        ),
    ] = None,
) -> None:
    """
    \b
    Example:
      readlog review "never let me go" --review-file review.md
      readlog review klara --edit
      readlog review klara --draft klara-20250301    # a draft `readlog drafts` lists
      readlog review klara --private                 # only the flag changes
    """
    from readlog.actions.books import (
        ReviewResult,
        ReviewText,
        find_book,
        named,
        set_review_privacy,
        write_review,
    )
    from readlog.cli.review_input import (
        Unchanged,
        command_line,
        edited_book_review,
        edits_current,
        given_review,
    )

    if text is not None and review_text is not None:
        raise UsageError("give the review as TEXT or --review, not both", "--review")
    said = "TEXT" if review_text is None else "--review"  # (`add` and `finish` take --review: so does this)
    text = text if review_text is None else review_text
    journal = journal_of(ctx)
    typed = given_review(text, review_file, headline, edit=True, text_option=said)
    if not typed and (text is not None or review_file is not None):
        raise InvalidValue("the review is empty: nothing was saved")
    entry = find_book(journal, book)
    if private is not None and not (typed or edit or draft is not None):
        changed = set_review_privacy(journal, entry.slug, private)
        if private:
            said = "private now (never published)"
        elif changed.book.private:
            said = "public now (but the book is private: nothing of it is published)"
        else:
            said = "public now (`readlog site` and Markdown posts publish it)"
        tell(f"The review of “{named(changed.book)}” is {said}: {changed.path}")
        return
    kept = None
    if draft is not None:
        from readlog.editor import find_draft
        from readlog.text import slugify

        kept = find_draft(journal, draft, (entry.slug, slugify(entry.book.title)))
    elif not (typed or edit):
        if not interactive():
            raise typer.BadParameter("give the review as TEXT, - (stdin), --review-file PATH or --edit")
        edit = True
    if edit and kept is None and edits_current(typed, entry.book.review):
        replace = True  # (the editor opens the review itself: rewriting it there is the reader's say-so)
    else:
        replace = _may_replace(entry, replace)

    def save(written: ReviewText) -> ReviewResult:
        written.private = private
        return write_review(journal, entry.slug, written, replace)

    if edit or kept:
        old = entry.book.review
        try:
            result = edited_book_review(
                journal,
                entry,
                typed,
                headline,
                save,
                kept=kept,
                private=private if private is not None else bool(old is not None and old.private),
                again=lambda name, _: command_line(
                    ctx, "review", entry.slug, "--draft", name, *(["--replace"] if replace else [])
                ),
            )
        except Unchanged:  # (closing the editor on the text as it was is no mistake: `edit`'s way)
            tell(f"No changes to the review of “{one_line(entry.book.title)}”: nothing was saved")
            return
    else:
        assert typed is not None
        result = save(typed)
    message = f"Saved the review of “{named(result.entry.book)}”: {result.entry.path}"
    if result.kept is not None:
        message += f"; the old one is kept in {result.kept}"
    if result.old_headline is not None and not (edit or kept):  # (in the editor, the reader saw it go)
        back = command_line(ctx, "review", result.entry.slug, "--headline", result.old_headline, "--replace")
        message += (
            f". Its headline “{one_line(result.old_headline)}” went with it (the new review has none): "
            f"`{back}` gives it back"
        )
    tell(message)


@app.command()
def rate(
    ctx: typer.Context,
    book: BookQuery,
    rating: Annotated[str | None, typer.Argument(metavar="[R]", help="0.25 to 5 in quarter steps.")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the book's rating: unrated.")] = False,
    as_json: AsJson = False,
) -> None:
    """
    \b
    Example:
      readlog rate "never let me go" 4.5
      readlog rate "never let me go" --clear     # unrated again
    """
    from readlog.actions.books import named
    from readlog.actions.books import rate as rate_book
    from readlog.text import stars

    result = rate_book(journal_of(ctx), book, rating, clear=clear)
    entry = result.entry
    title = named(entry.book)
    if result.reading is not None:  # a re-read going on: the book keeps its latest finished one's till then
        now, given = entry.book.rating, result.reading.rating
        said = f"Rated this reading of “{title}” {stars(given)} {given:g}" if given is not None else ""
        keeps = "stays unrated" if now is None else f"keeps {now:g}, its latest reading's,"
        said = said or f"Cleared the rating of this reading of “{title}”"
        _done(f"{said} (the book {keeps} until you finish it: `readlog finish`)", entry, as_json)
        return
    if entry.book.rating is None:
        _done(f"Cleared the rating of “{title}”: unrated", entry, as_json)
        return
    _done(f"Rated “{title}” {stars(entry.book.rating)} {entry.book.rating:g}", entry, as_json)
