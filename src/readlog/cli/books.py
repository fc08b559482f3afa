"""Commands on single books: add, show, list, reflect, quote, edit, rm."""

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from readlog.cli.app import (
    LIMIT_MAX,
    BookQuery,
    DraftOption,
    FormatOption,
    Private,
    app,
    ask,
    complain,
    complete_status,
    confirm,
    day,
    footer,
    interactive,
    journal_of,
    output_format,
    page,
    print_json,
    read_source,
    stdout,
    tell,
    warn,
    whole_journal,
    write_blocks,
    write_rows,
)
from readlog.errors import ReadlogError
from readlog.text import clean_text, one_line, strip_template

if TYPE_CHECKING:
    from rich.console import RenderableType

    from readlog.actions.find import BookFilter
    from readlog.actions.session import Journal
    from readlog.errors import BookFileError, MaybeSameBook


@app.command()
def add(
    ctx: typer.Context,
    title: Annotated[str | None, typer.Argument(help="The book's title (asked for on a terminal).")] = None,
    author: Annotated[
        list[str], typer.Option("--author", "-a", metavar="NAME", help="An author; repeat for several.")
    ] = [],  # noqa: B006
    rating: Annotated[
        str | None, typer.Option("--rating", "-r", metavar="R", help="0.25 to 5 in quarter steps.")
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            metavar="STATUS",
            help="want, reading, read (default), abandoned, paused.",
            autocompletion=complete_status,
        ),
    ] = None,
    tag: Annotated[
        list[str], typer.Option("--tag", "-t", metavar="TAG", help="A tag; repeat for several.")
    ] = [],  # noqa: B006
    started: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Date started: YYYY-MM-DD, YYYY-MM, YYYY, or words: '3 days ago'."),
    ] = None,
    finished: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Date finished: YYYY-MM-DD, YYYY-MM, YYYY, or 'yesterday'."),
    ] = None,
    year: Annotated[
        int | None, typer.Option(metavar="YEAR", help="Publication year (negative for BCE).")
    ] = None,
    isbn: Annotated[str | None, typer.Option(metavar="ISBN", help="ISBN-10 or ISBN-13.")] = None,
    pages: Annotated[int | None, typer.Option(metavar="N", help="Number of pages.")] = None,
    headline: Annotated[str | None, typer.Option(metavar="TEXT", help="The review's headline.")] = None,
    review: Annotated[str | None, typer.Option(metavar="TEXT", help="The review text (Markdown).")] = None,
    review_file: Annotated[
        str | None, typer.Option(metavar="PATH", help="Read the review from a Markdown file, or - for stdin.")
    ] = None,
    edit: Annotated[bool, typer.Option("--edit", "-e", help="Write the review in $VISUAL/$EDITOR.")] = False,
    reread: Annotated[bool, typer.Option(help="The book is in the journal: log another reading.")] = False,
    new: Annotated[
        bool,
        typer.Option("--new", help="A separate book, even if the journal has one that is (or may be) it."),
    ] = False,
    lookup: Annotated[
        bool, typer.Option("--lookup", help="Fill what you did not give from Open Library.")
    ] = False,
    private: Private = False,
    draft: DraftOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the book added as JSON: its slug, file and fields.")
    ] = False,
) -> None:
    """
    A review written with --edit that could not be saved (the editor failed, the book is in the journal
    already...) is kept in drafts/: the error names the command that adds the book with it (--draft).

    \b
    Example:
      readlog add "Never Let Me Go" -a "Kazuo Ishiguro" -r 4.5 --finished 2025-03-01 --review-file review.md
      readlog add "Klara and the Sun" -a "Kazuo Ishiguro" --draft klara-and-the-sun-20250301
    """
    from readlog.actions.books import AddResult, ReviewText, add_book, named
    from readlog.cli.review_input import edited_review, given_review, no_empty_review, start_of

    if draft is not None and (review is not None or review_file is not None or edit):
        from readlog.errors import UsageError

        raise UsageError(
            "--draft takes up a kept review: give it without --review, --review-file or --edit", "--draft"
        )
    journal = journal_of(ctx)
    looked = None
    if lookup:
        from readlog.cli.lookup import lookup_for_add

        looked = lookup_for_add(title, isbn, author)
    if looked is not None:
        title, author, year, pages, isbn = looked.merge(title, author, year, pages, isbn)
    title = title or ask("title", "give it as the first argument")
    # (--reread of a book named by its slug needs no author: add_book asks for one when it does)
    authors = author or ([] if reread else [ask("author", "give it with --author NAME")])
    typed = given_review(review, review_file, headline, edit)
    no_empty_review(typed, edit, review, review_file)
    slug, kept = "", None
    if edit or draft is not None:
        from readlog.actions.books import new_slug
        from readlog.editor import find_draft
        from readlog.text import slugify

        slug = new_slug(journal, title, authors, year)
        kept = find_draft(journal, draft, (slug, slugify(title))) if draft is not None else None

    def again(name: str, error: ReadlogError) -> str:
        """The way back to the draft: `review BOOK --draft NAME` when the book is there already (or
        may be: never a second copy of it by guess; the error names `--new`), else this `add` again,
        its review from the draft."""
        from readlog.cli.review_input import command_line
        from readlog.errors import BookExists, MaybeSameBook

        there = error.slug if isinstance(error, BookExists) else None
        if isinstance(error, MaybeSameBook) and len(error.slugs) == 1:
            there = error.slugs[0]
        if there:
            return command_line(ctx, "review", there, "--draft", name)
        options: dict[str, object] = {
            "--status": status, "--rating": rating, "--started": started, "--finished": finished,
            "--year": year, "--isbn": isbn, "--pages": pages, "--tag": tag,
            "--reread": reread, "--new": new, "--private": private, "--json": as_json,
        }  # fmt: skip
        return command_line(ctx, *_add_words(title, authors, options, name))

    if interactive() and not (new or reread):  # which book it is, before anything is asked of it
        try:
            new = _new_book(journal, title, authors, keeps_text=kept is not None)
        except ReadlogError as error:  # a kept draft is named with its way back, as a later refusal names it
            if kept is None:
                raise
            from readlog.editor import still_kept

            raise still_kept(error, kept, again) from None
    if (status in (None, "read")) and not (started or finished or reread) and interactive():
        # (an answer at the question is named as the reader knows it: `finished yesterday: 2026-12-06`)
        finished = day(_ask_finished(), "finished", partial=True)
    else:
        finished = day(finished, "--finished", partial=True)
    started = day(started, "--started", partial=True)

    def save(text: ReviewText | None) -> AddResult:
        from readlog.errors import Cancelled, MaybeSameBook

        def attempt(separate: bool) -> AddResult:
            return add_book(
                journal, title, authors, status=status, rating=rating, tags=tag, started=started,
                finished=finished, year=year, isbn=isbn, pages=pages, review=text, reread=reread,
                private=private, new=separate, before_create=looked.fetch_cover if looked else None,
            )  # fmt: skip

        try:
            return attempt(new)
        except MaybeSameBook as maybe:  # (--reread of a book not surely in the journal too: asked the same)
            if not interactive():
                raise
            try:
                separate = separate_book(maybe)
            except Cancelled:  # (not a separate book: a review typed for it is kept, with its way back)
                if edit or draft is not None:
                    raise MaybeSameBook("nothing was added", maybe.slugs) from None
                raise
            return attempt(separate)

    if edit or draft is not None:
        result = edited_review(
            journal,
            slug,
            title,
            start_of(typed, None),
            headline,
            save,
            "nothing was added",
            kept=kept,
            private=private,
            again=again,
            of_a_book=False,
        )
    else:
        result = save(typed)
    if looked is not None and result.created:
        looked.after_add(journal, result.entry.slug)
    verb = "Added" if result.created else "Logged another reading of"
    rated = result.entry.book.rating
    stars = f", rated {rated:g}" if rating and rated is not None and not result.created else ""  # as `finish`
    if result.rated_alone:
        stars = f", {result.rated_alone}"
    tell(f"{verb} “{named(result.entry.book)}”{stars}: {result.entry.path}")
    for note in looked.notes if looked is not None else []:
        complain(f"readlog: note: {one_line(note)}", "yellow")
    if as_json:  # for a script to go on with the book: its slug (`-2`, `-surname`) is readlog's choice
        from readlog.actions.books import book_json

        shown = book_json(result.entry)
        added = shown.pop("slug")
        print_json({"slug": added, "path": str(result.entry.path), "created": result.created, **shown})


def _add_words(title: str, authors: list[str], options: dict[str, object], draft: str) -> list[str]:
    """`readlog add` as the reader gave it (dates as resolved, `yesterday` as the day it was), its review
    from the draft NAME rather than the editor."""
    words = ["add", title, *(w for name in authors for w in ("--author", name))]
    for option, value in options.items():
        if value is True:
            words.append(option)
        elif isinstance(value, list):
            words += [w for item in value for w in (option, str(item))]
        elif value not in (None, False, ""):
            words += [option, str(value)]
    return [*words, "--draft", draft]


def _new_book(journal: "Journal", title: str, authors: list[str], keeps_text: bool = False) -> bool:
    """On a terminal, before anything else is asked: a book the journal has is refused; one it may have
    is asked about (True: add it as a separate book). `keeps_text`: a `no` is a MaybeSameBook naming the
    books, for the way back to the text kept (`review SLUG --draft NAME`)."""
    from readlog.actions.books import check_add
    from readlog.errors import Cancelled, MaybeSameBook

    try:
        check_add(journal, title, authors)
    except MaybeSameBook as maybe:
        try:
            return separate_book(maybe)
        except Cancelled:
            if keeps_text:
                raise MaybeSameBook("nothing was added", maybe.slugs) from None
            raise
    return False


def separate_book(maybe: "MaybeSameBook") -> bool:
    """On a terminal, a book that may be in the journal already (or, for `add --reread`, one not surely in
    it): add it as another one? Enter or `n` adds nothing."""
    question = str(maybe).split(": nothing was added", 1)[0].split(" (nothing was added", 1)[0]
    end = " " if question.endswith("?") else ". "
    what = "a separate" if maybe.slugs else "a new"
    if confirm(f"{question}{end}Add it as {what} book?", default=False):
        return True
    from readlog.errors import Cancelled

    raise Cancelled("nothing was added")


def _ask_finished() -> str | None:
    """On a terminal, `add` of a read book without dates asks when it was finished: a date, or words
    (`yesterday`, `last week`); an answer that is neither is said and asked again."""
    from readlog.cli.app import ask_again

    def when(answer: str) -> str | None:
        text = answer.strip()
        if text == "?":
            return None
        if not text:
            return "today"
        if not _a_day(text):
            raise ReadlogError(
                f"{one_line(text)!r} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY, or words such as "
                "yesterday, last week, 3 days ago, March 2025"
            )
        return text  # (resolved, and said, as --finished is)

    answer: str | None = ask_again(
        "Finished when? (YYYY-MM-DD, YYYY-MM, YYYY, or words: yesterday, last week; Enter = today, "
        "? = don't know)",
        when,
        default="",  # (on stderr, as every question: `add --json > file` kept it in the file, review 32c #6)
    )
    return answer


def _a_day(text: str) -> bool:
    """Whether `text` is a day, a month or a year, as `--finished` takes it: ISO or words."""
    from readlog.actions.session import is_day, is_iso, resolve_day

    if not is_iso(text):
        return resolve_day(text, partial=True) is not None
    return is_day(text)  # (the one parser `--finished` is checked by: a month there is, no year 0)


@app.command()
def show(
    ctx: typer.Context,
    book: BookQuery,
    as_json: Annotated[bool, typer.Option("--json", help="Print the book as JSON.")] = False,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="DATE|REV", help="The book as it was then (a date or a git revision)."),
    ] = None,
) -> None:
    """
    \b
    Example:
      readlog show "never let me go"
    """
    from readlog.actions.books import book_json, show_book

    journal = whole_journal(ctx, "show", needs_books=True)
    # a date in words (`yesterday`, `last friday`) as a day; anything else is left for git (`HEAD~3`)
    at = day(at, "--at", past=False, or_else=True) if at is not None else None  # (or a git revision)
    if at is not None and at.strip() == "today":
        from datetime import date

        at = date.today().isoformat()
    shown = show_book(journal, book, at)
    entry = shown.entry
    if shown.guessed:
        complain(f"readlog: showing {shown.found.candidate.describe()}, the closest title", "yellow")
    elif shown.found.others:  # a one-word slug that is also another book's whole title: which one this is
        complain(f"readlog: {shown.also_titled(book)}", "yellow")
    if entry.read_only:
        complain(f"readlog: warning: {entry.path} was written by a newer readlog; shown read-only", "yellow")
    if as_json:
        print_json(book_json(entry))
        return
    from readlog.actions.queue import pick_statuses
    from readlog.render import render_book

    statuses = pick_statuses(journal, entry.book) if entry.book.next else None
    from readlog.actions.session import setting

    long_dates = setting("date_style") == "long"
    console = stdout()
    view: RenderableType = render_book(entry, statuses, width=console.width, long_dates=long_dates)
    if "conflicts" in entry.book.extra:  # values a sync could not merge, kept for the reader to settle
        from rich.console import Group

        from readlog.actions.sync import this_device
        from readlog.sync.render import render_conflicts

        marks = render_conflicts(entry.book, entry.slug, this_device(journal))
        if marks is not None:
            view = Group(view, marks)
    page(view, console)


class SortKey(Enum):
    newest = "newest"
    title = "title"
    author = "author"
    rating = "rating"
    finished = "finished"
    added = "added"


@app.command("list")
def list_books(
    ctx: typer.Context,
    status: Annotated[
        list[str],
        typer.Option(
            metavar="STATUS", help="Only this status; repeat for several.", autocompletion=complete_status
        ),
    ] = [],  # noqa: B006
    tag: Annotated[str | None, typer.Option(metavar="TAG", help="Only books with this tag.")] = None,
    author: Annotated[
        str | None, typer.Option(metavar="NAME", help="Only books by an author matching NAME.")
    ] = None,
    rating: Annotated[
        str | None, typer.Option(metavar="EXPR", help="Rating filter: '>=4', '<3', '=5' or '4.5'.")
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(metavar="YEAR", help="Only books finished (or given up) in YEAR."),
    ] = None,
    date_from: Annotated[
        str | None,
        typer.Option("--from", metavar="DATE", help="Only books finished (or given up) on or after DATE."),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option("--to", metavar="DATE", help="Only books finished (or given up) on or before DATE."),
    ] = None,
    sort: Annotated[
        SortKey | None,
        typer.Option(
            metavar="KEY",
            help="newest (default), title, author (by surname), rating, finished or added.",
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(metavar="N", min=0, help="At most N books (default 50 in a table; 0 for all)."),
    ] = None,
    fmt: FormatOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
) -> None:
    """Piped, it prints one line per book, tab-separated: slug, title, authors, status, rating, finished;
    with --status reading (or paused), progress too (25%).

    \b
    Example:
      readlog list --status read --year 2025 --rating '>=4' --sort rating
    """
    from readlog.actions import find
    from readlog.actions.session import setting

    journal = journal_of(ctx)
    chosen = output_format(fmt, as_json)
    date_from = day(date_from, "--from", partial=True, past=False)
    date_to = day(date_to, "--to", partial=True, past=False)
    where = find.book_filter(status, tag, author, rating, year, date_from, date_to)
    if not journal.root.is_dir():  # a new user's first `readlog list`: said, and no index made for it
        whole_journal(ctx, "list")  # (a folder somebody named, not there or not a folder: the error)
        if chosen == "json":  # (the default folder, not there yet: said by whole_journal)
            print_json([])
        elif chosen == "csv":  # (its header, as over an empty journal: review 32c #8)
            write_rows((), chosen, _list_columns(where))
        return
    shown = (
        min(limit, LIMIT_MAX) if limit is not None else (setting("list.limit") if chosen == "table" else 0)
    )
    order = setting("list.sort", sort.value if sort else None)
    # for scripts, each book is read as it is printed, not rebuilt as a whole book
    progress = None  # books being read (a few, read whole): their progress, a column as in the table
    if chosen != "table" and find.lists_progress(where):
        progress = find.progress_of(journal, where, order, shown)
    if chosen == "json":
        items, total, problems = find.select_listed(journal, where, order, shown)
    elif chosen == "tsv" and progress is None:
        blocks, total, problems = find.select_lines(journal, where, order, shown)
    elif chosen in ("tsv", "csv"):
        rows, total, problems = find.select_rows(journal, where, order, shown)
        if progress is not None:
            rows = find.with_progress(rows, progress)
    else:
        found, total, problems = find.select_books(journal, where, order, shown)
    warn(problems)
    listed = min(total, shown) if shown else total
    if chosen == "json":
        listing = [find.list_item(e) for e in items]
        if progress is not None:
            for item in listing:
                item["percent_done"] = progress.get(str(item["slug"]))
        print_json(listing)
    elif chosen in ("tsv", "csv"):  # streamed: a script listing 100,000 books never holds them all
        if chosen == "tsv" and progress is None:
            write_blocks(blocks)
        else:
            write_rows(rows, chosen, _list_columns(where))
        if not total:  # nothing on stdout (a script sees no rows); the reader still hears why
            complain(_nothing_listed(journal, where, year), "dim")
    elif not total:
        complain(_nothing_listed(journal, where, year), "dim")
    else:
        from readlog.render import render_list

        console = stdout()
        page(render_list(list(found), console.width), console)
    if chosen != "json" and listed < total:
        more = f"showing {listed} of {total} books: --limit N for more, --limit 0 for all"
        footer(more)


def _list_columns(where: "BookFilter") -> tuple[str, ...]:
    """`list`'s columns for scripts: a progress column where it lists books being read."""
    from readlog.actions import find

    return find.LIST_COLUMNS + (("progress",) if find.lists_progress(where) else ())


def _nothing_listed(journal: "Journal", where: "BookFilter", year: int | None) -> str:
    from readlog.actions.find import unfiltered

    if unfiltered(where):
        return "No books yet. Add one with `readlog add TITLE --author NAME`."
    if year is not None and 0 <= year < 1000:
        return f"No books finished in the year {year}. (Did you mean --year {2000 + year % 100}?)"
    return "No books match. `readlog list` with no options lists them all."


@app.command()
def reflect(
    ctx: typer.Context,
    book: BookQuery,
    text: Annotated[
        str | None,
        typer.Argument(help="The reflection; - reads stdin; omit to use $EDITOR (on a terminal, or --edit)."),
    ] = None,
    date: Annotated[
        str | None, typer.Option(metavar="DATE", help="The reflection's date (default today).")
    ] = None,
    edit: Annotated[
        bool,
        typer.Option("--edit", "-e", help="Write it in $VISUAL/$EDITOR (TEXT, if given, to start from)."),
    ] = False,
    draft: DraftOption = None,
    private: Private = False,
    title: Annotated[
        str | None,
        typer.Option("--title", metavar="TEXT", help="A heading for it (a section of its own on the site)."),
    ] = None,
) -> None:
    """
    Without TEXT, on a terminal, $EDITOR opens; in a script, --edit opens the editor you named
    ($READLOG_EDITOR, `editor` in the config, $VISUAL, $EDITOR), as `review --edit` does.

    \b
    Example:
      readlog reflect "never let me go" "What would I have done in their place?"
      readlog reflect "never let me go" - --title "A Personal Reflection" < thoughts.md
      readlog reflect klara --draft klara-20250301    # a draft `readlog drafts` lists
    """
    from readlog import editor
    from readlog.actions.books import add_reflection, find_book, named
    from readlog.cli.review_input import command_line
    from readlog.errors import Cancelled, UsageError

    if draft is not None and (text is not None or edit):
        raise UsageError("--draft takes up a kept text: give it alone, without TEXT or --edit", "--draft")
    journal = journal_of(ctx)
    date = day(date, "--date")
    entry = find_book(journal, book)
    if text == "-":
        text = read_source("-")

    def again(name: str, _: ReadlogError) -> str:  # (the way back to a kept draft, named when it is kept)
        words = ["reflect", entry.slug, "--draft", name, *(["--date", date] if date else [])]
        return command_line(
            ctx, *words, *(["--title", title] if title else []), *(["--private"] if private else [])
        )

    if draft is not None:
        from readlog.text import slugify

        kept = editor.find_draft(journal, draft, (entry.slug, slugify(entry.book.title)))
        with editor.resume(kept, again) as session:
            written = clean_text(
                strip_template(session.edit() if interactive() else read_source(str(session.path)))
            )
            if not written:
                raise Cancelled("empty reflection: nothing was saved")
            entry = add_reflection(journal, entry.slug, written, date, private, title)
    elif text is not None and not edit:
        entry = add_reflection(journal, entry.slug, clean_text(strip_template(text)), date, private, title)
    elif not (edit or interactive()):
        raise ReadlogError(
            "missing reflection text: give TEXT, - to read stdin, or --edit to write it in your editor "
            "(opened unasked only on a terminal)"
        )
    elif not interactive() and not editor.editor_chosen():  # (the fallback `vi` needs a terminal)
        raise ReadlogError(
            "no terminal for an editor: set $EDITOR, or give the reflection as TEXT (- reads stdin)"
        )
    else:
        start = clean_text(text).rstrip("\n") + "\n" if text and text.strip() else ""
        template = editor.reflection_template(entry.book.title) + start
        with editor.draft(journal, entry.slug, template, again=again) as session:
            typed = session.edit()
            if start and typed == template:
                raise Cancelled("the reflection was left as it was: nothing was saved")
            written = clean_text(strip_template(typed))
            if not written:
                raise Cancelled("empty reflection: nothing was saved")
            entry = add_reflection(journal, entry.slug, written, date, private, title)
    tell(f"Added a reflection to “{named(entry.book)}”: {entry.path}")


def _page_number(value: str) -> int:
    """--page's N: digits. Anything else (`xii`, `p. 3-4`) is refused with the option that takes it: Click's
    "'xii' is not a valid int" left the reader to guess."""
    import re

    digits = value.strip()
    if not re.fullmatch(r"[0-9]+", digits):
        raise typer.BadParameter(
            f"{value!r} is not a page number: give a place such as {value!r} with --location instead"
        )
    core = digits.lstrip("0") or "0"
    if len(core) > 18:  # (never converted: Python refuses ints of 4,300 digits and more)
        raise typer.BadParameter(f"a number of {len(core):,} digits is past any book's last page")
    return int(digits)


@app.command()
def quote(
    ctx: typer.Context,
    book: BookQuery,
    text: Annotated[str, typer.Argument(help="The line you want to remember; - reads stdin.")],
    page: Annotated[int | None, typer.Option(metavar="N", parser=_page_number, help="Page number.")] = None,
    location: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT", help="Where, when there is no page number: 'ch. 3', 'xii', 'p. 3-4', '45%'."
        ),
    ] = None,
    note: Annotated[str | None, typer.Option(metavar="TEXT", help="Your note on it.")] = None,
    private: Private = False,
    date: Annotated[
        str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="When you saved it (default: today).")
    ] = None,
) -> None:
    """
    \b
    Example:
      readlog quote "never let me go" "Memories are what we keep." --page 262
    """
    from readlog.actions.books import add_quote, named

    journal = journal_of(ctx)
    text = clean_text(read_source("-") if text == "-" else text)
    entry = add_quote(journal, book, text, page, location, note, private, day(date, "--date"))
    tell(f"Added a quote to “{named(entry.book)}”: {entry.path}")


@app.command()
def edit(ctx: typer.Context, book: BookQuery) -> None:
    """It is checked before it replaces the original.

    \b
    Example:
      EDITOR=nano readlog edit "never let me go"
    """
    from readlog import editor
    from readlog.actions.books import find_book

    journal = journal_of(ctx)
    entry = find_book(journal, book)
    if not interactive() and not editor.editor_chosen():  # the fallback `vi` needs a terminal
        raise ReadlogError(f"no terminal for an editor: set $EDITOR, or edit {entry.path} directly")

    def again(error: "BookFileError") -> bool:
        if not interactive():
            return False
        complain(f"readlog: {one_line(str(error))}", "red")
        return confirm("Edit again?", default=True)

    if editor.edit_book_file(journal, entry, again):
        tell(f"Saved {entry.path}")
    else:
        tell(f"No changes to {entry.path}")


@app.command()
def rm(
    ctx: typer.Context,
    book: BookQuery,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """
    \b
    Example:
      readlog rm "never let me go" --yes
    """
    from readlog.actions.books import find_book, remove

    journal = journal_of(ctx)
    entry = find_book(journal, book)
    if not yes:
        if not interactive():
            raise ReadlogError(f"not removing {entry.slug!r} without confirmation: pass --yes")
        if not confirm(f"Remove “{one_line(entry.book.title)}” ({entry.slug})?", default=False):
            from readlog.errors import Cancelled

            raise Cancelled("nothing was removed")
    _, target = remove(journal, entry.slug)
    tell(f"Removed “{one_line(entry.book.title)}” (moved to {target})")


@app.command()
def merge(
    ctx: typer.Context,
    keep: Annotated[str, typer.Argument(metavar="A", help="The book to keep: slug or whole title.")],
    other: Annotated[
        str, typer.Argument(metavar="B", help="The book merged into A (its file goes to trash/).")
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Merge two books by different authors without asking.")
    ] = False,
) -> None:
    """B's picks, tags and the fields A lacks come along too; B's file moves to the trash (`readlog restore`
    lists it). `readlog check` names the pairs that may be one book. Two books by different authors are
    asked about on a terminal and refused in a script unless --force.

    \b
    Example:
      readlog merge just-mercy just-mercy-a-story-of-justice-and-redemption
    """
    from readlog.actions.merge import merge_books
    from readlog.errors import Cancelled, PlainlyApart

    journal = journal_of(ctx)
    try:
        merged = merge_books(journal, keep, other, force=force)
    except PlainlyApart as apart:
        if not interactive():
            raise
        if not confirm(apart.question, default=False):
            raise Cancelled("nothing was merged") from None
        merged = merge_books(journal, keep, other, force=True)
    for note in merged.notes:
        tell(f"note: {one_line(note)}")
    tell(f"Merged {merged.removed} into {merged.entry.slug} (“{one_line(merged.entry.book.title)}”); "
         f"{merged.removed} moved to {merged.trashed}")  # fmt: skip
