"""Keeping the journal in order: tag, tags, restore (undo for rm), drafts, config."""

from pathlib import Path
from typing import Annotated

import typer

from readlog.cli.app import (
    BookQuery,
    FormatOption,
    _Group,
    app,
    complain,
    journal_of,
    output_format,
    page,
    print_json,
    stdout,
    tell,
    warn,
    whole_journal,
    write_rows,
)
from readlog.text import one_line

tags_app = typer.Typer(cls=_Group, rich_markup_mode=None, invoke_without_command=True)
app.add_typer(tags_app, name="tags")
config_app = typer.Typer(cls=_Group, rich_markup_mode=None, invoke_without_command=True)
app.add_typer(config_app, name="config")


@tags_app.callback()
def tags(
    ctx: typer.Context,
    fmt: FormatOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the tags as JSON.")] = False,
) -> None:
    """Tags are one tag whatever their case and spaces or hyphens (Sci Fi, sci fi, sci-fi): a new book takes
    the spelling the journal already uses.

    \b
    Example:
      readlog tags
      readlog tags rename "sci fi" "science fiction"
    """
    if ctx.invoked_subcommand is not None:
        return
    from readlog.actions.tags import journal_tags

    journal = whole_journal(ctx, "count")
    found = journal_tags(journal)
    warn(journal.problems())  # a book file that could not be read is in no count: said, not hidden
    chosen = output_format(fmt, as_json)
    if chosen == "json":
        print_json([{"tag": t.name, "books": t.count, "spellings": t.spellings} for t in found])
    elif chosen in ("tsv", "csv"):
        write_rows([[str(t.count), t.name] for t in found], chosen, ("books", "tag"))
    elif not found:
        complain("No tags yet. Tag a book with `readlog tag BOOK TAG`.", "dim")
    else:
        from readlog.render import render_tags

        console = stdout()
        page(render_tags([(t.name, t.count, t.spellings) for t in found]), console)


@app.command()
def tag(
    ctx: typer.Context,
    book: BookQuery,
    tags: Annotated[
        list[str],
        typer.Argument(
            metavar="TAG...", help="Tags to add (or with --remove, to take off); a comma separates too."
        ),
    ],
    remove: Annotated[bool, typer.Option("--remove", help="Take the tags off the book instead.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the book as JSON.")] = False,
) -> None:
    """A tag takes the spelling the journal already uses, as `add --tag` does (`sci fi` is Sci-Fi where a
    book has Sci-Fi); --remove takes a tag off whatever its spelling.

    \b
    Example:
      readlog tag dune scifi classics
      readlog tag "the left hand of darkness" "science fiction"
      readlog tag dune classics --remove
    """
    from readlog.actions.tags import tag_book

    done = tag_book(journal_of(ctx), book, tags, remove=remove)
    title = f"“{one_line(done.entry.book.title)}”"
    changed = ", ".join(one_line(t) for t in done.changed)
    unchanged = ", ".join(one_line(t) for t in done.unchanged)
    if remove:
        message = f"Untagged {title}: {changed}" if done.changed else f"{title} had none of these tags"
        if done.changed and done.unchanged:
            message += f" (it did not have {unchanged})"
        elif not done.changed:
            message += f": {unchanged}"
    else:
        message = f"Tagged {title}: {changed}" if done.changed else f"{title} has these tags already"
        if done.changed and done.unchanged:
            message += f" (it had {unchanged} already)"
        elif not done.changed:
            message += f": {unchanged}"
    if as_json:
        from readlog.actions.books import book_json

        print_json(book_json(done.entry))
    else:
        tell(message)


@tags_app.command("rename")
def tags_rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The tag to rename (any of its spellings).")],
    new: Annotated[str, typer.Argument(help="Its new name; merged into a tag of that name if there is one.")],
) -> None:
    """Rename a tag in every book that has it, merging it into NEW.

    \b
    Example:
      readlog tags rename scifi "science fiction"
    """
    from readlog.actions.tags import rename_tag

    changed, written = rename_tag(journal_of(ctx), old, new)  # (NEW as the books have it: one line)
    complain(
        f"Renamed {one_line(old)!r} to {one_line(written)!r} in {changed} book{'s' * (changed != 1)}", ""
    )


@app.command()
def restore(
    ctx: typer.Context,
    which: Annotated[
        str | None,
        typer.Argument(metavar="[WHICH]", help="A number from the list, the book's old slug, or its title."),
    ] = None,
) -> None:
    """
    \b
    Example:
      readlog restore            # what is in the trash, newest first
      readlog restore 1          # bring back the latest removal
    """
    from readlog.actions import trash

    journal = journal_of(ctx)
    if which is None:
        items = trash.trashed(journal)
        if not items:
            complain("The trash is empty: nothing was removed.", "dim")
            return
        rows = [
            [str(t.number), t.removed.strftime("%Y-%m-%d %H:%M"), t.slug, t.title, "; ".join(t.authors)]
            for t in items
        ]
        write_rows(rows, "tsv", ())
        return
    entry = trash.restore(journal, which)
    tell(f"Restored “{one_line(entry.book.title)}”: {entry.path}")


@app.command()
def drafts(ctx: typer.Context) -> None:
    """Take one up again with `reflect BOOK --draft NAME` or `review BOOK --draft NAME`, or (a review
    typed for a book `add` did not add) `add TITLE --author NAME ... --draft NAME`, or (one typed with
    `finish --edit`) `finish BOOK ... --draft NAME`.

    \b
    Example:
      readlog drafts
    """
    from readlog.editor import kept_drafts

    kept = kept_drafts(journal_of(ctx))
    if not kept:
        complain("No drafts kept.", "dim")
        return
    rows = [
        [d.name, d.modified.strftime("%Y-%m-%d %H:%M"), f"{d.size} bytes", d.first_line[:80]] for d in kept
    ]
    write_rows(rows, "tsv", ())


@config_app.callback()
def config(ctx: typer.Context) -> None:
    """Precedence, as git's: an option > a READLOG_* variable > config.toml > VISUAL/EDITOR/PAGER > default.

    \b
    Example:
      readlog config
      readlog config init
      readlog config set site.title "Pages and Afterthoughts"
    """
    if ctx.invoked_subcommand is not None:
        return
    from readlog.actions.config import config_file, show_settings

    path = config_file()
    complain(f"# {path}" + ("" if path.exists() else " (none yet)"), "dim")
    shown = show_settings(journal_of(ctx))
    rows = [[s.name, "" if s.value is None else str(s.value), s.source] for s in shown]
    write_rows(rows, "tsv", ())


@config_app.command("set")
def config_set(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The setting, e.g. site.title or list.sort.")],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="Its value.")],
) -> None:
    """Set one setting in the config file (made if there is none); comments and the rest stay.

    \b
    Example:
      readlog config set site.title "Pages and Afterthoughts"
      readlog config set site.base_url https://example.org/books/
    """
    from readlog.actions.config import set_setting

    path, kept = set_setting(name, value)
    tell(f"Set {name} = {kept!r} in {path}{_taken_from(path, name, kept)}")


def _taken_from(path: Path, name: str, kept: object) -> str:
    """For a relative folder: where it names, which is from the config file's folder, not this one."""
    from readlog.actions.config import folder_named

    named = folder_named(path, name, kept)
    return f" (relative to the config file's folder: {named})" if named is not None else ""


@config_app.command("init")
def config_init(
    force: Annotated[bool, typer.Option("--force", help="Replace a config file that is there.")] = False,
) -> None:
    """Write a config file with every setting, commented out, to edit.

    \b
    Example:
      readlog config init
    """
    from readlog.actions.config import init_config

    tell(f"Wrote {init_config(force)}")
