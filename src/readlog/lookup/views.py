"""Look-ups and series -> Rich renderables. Pure, like readlog.render: nothing here prints, and text from
Open Library or the reader enters Rich only as `Text` through `visible`, so it is shown, never obeyed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from readlog.text import one_line, visible

if TYPE_CHECKING:
    from readlog.lookup.fill import EnrichReport
    from readlog.lookup.openlibrary import Found
    from readlog.lookup.series import Series, SeriesBook, Suggestion

from readlog.identity import STATUS_MARK as _MARK  # noqa: E402 - the one status table


def _user(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style)


def _label(name: str) -> Text:
    return Text(f"{name}: ", style="dim")


def series_label(series: dict[str, str] | list[dict[str, str]] | None) -> str:
    """`Dune #1`; a book's list of series joined with `; `."""
    if not series:
        return ""
    if isinstance(series, list):
        return "; ".join(series_label(s) for s in series)
    return series["name"] + (f" #{series['number']}" if series.get("number") else "")


def render_found(found: Found, covers_url: str) -> Panel:
    """`readlog lookup`: what Open Library knows about one book."""
    lines: list[RenderableType] = [_user(found.title, "bold")]
    if found.authors:
        lines.append(Text.assemble("by ", _user(", ".join(found.authors), "italic")))
    facts = []
    if found.year is not None:
        facts.append(f"first published {found.year}")
    if found.pages is not None:
        median = " (median of editions)" if found.pages_from == "median" else ""
        facts.append(f"{found.pages} pages{median}")
    if facts:
        lines.append(Text("  ·  ".join(facts)))
    if found.isbns:
        lines.append(Text.assemble(_label("ISBN"), ", ".join(found.isbns[:5])))
    if found.series:
        lines.append(Text.assemble(_label("Series"), _user(series_label(found.series))))
    if found.subjects:
        lines.append(Text.assemble(_label("Subjects"), _user(", ".join(found.subjects))))
    if found.cover_id:
        lines.append(Text.assemble(_label("Cover"), f"{covers_url}/b/id/{found.cover_id}-L.jpg"))
    keys = " ".join(k for k in (found.work, found.edition) if k)
    if keys:
        lines.append(Text(f"Open Library: {keys}", style="dim"))
    return Panel(Group(*lines), padding=(0, 1))


def candidate_line(number: int, found: Found) -> Text:
    line = Text.assemble((f"{number}. ", "bold"), _user(found.title, "bold"))
    if found.authors:
        line.append_text(Text.assemble(" — ", _user(", ".join(found.authors[:3]), "italic")))
    if found.year is not None:
        line.append(f" ({found.year})")
    if found.editions:
        line.append(f"  {found.editions} editions", style="dim")
    return line


def render_candidates(query: str, candidates: list[Found]) -> RenderableType:
    """A title that matches several books (or comes close to one): numbered, best first."""
    said = "Several books match " if len(candidates) > 1 else "One book comes close to "
    title = Text.assemble((said, "bold"), _user(query, "bold italic"))
    lines = [candidate_line(n, found) for n, found in enumerate(candidates, 1)]
    return Panel(Group(*lines), title=title, title_align="left", padding=(0, 1))


def _book_line(book: SeriesBook, suggested: bool = False) -> Text:
    line = Text.assemble(_user(book.title, "bold"))
    if book.authors:
        line.append_text(Text.assemble(" — ", _user(", ".join(book.authors), "italic")))
    if book.status in _MARK:
        label, style = _MARK[book.status]
        line.append_text(Text.assemble("  ", (f"[{label}]", style)))
    if suggested:
        line.append_text(Text.assemble("  ", ("[next in series]", "bold cyan")))
    return line


def render_series(series: Series, upcoming: Suggestion | None) -> Panel:
    """`readlog series NAME`: the books of one series in order, with what is read, being read, wanted."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for book in series.books:
        suggested = upcoming is not None and upcoming.book.slug == book.slug
        grid.add_row(Text(one_line(book.number or "–"), style="bold"), _book_line(book, suggested))
    read, total = series.count("read"), len(series.books)
    footer = Text(f"{read} of {total} read", style="dim")
    return Panel(
        Group(grid, Text(""), footer),
        title=_user(series.name, "bold"),
        title_align="left",
        padding=(1, 2, 0, 2),
    )


NO_SERIES = (  # (the CLI says it on stderr, as a message: stdout holds no series)
    'No series yet. A book joins one with `series = [{name = "...", number = "1"}]` '
    "(imports and `add --lookup` fill it)."
)


def render_series_list(
    all_series: list[Series], upcoming: dict[str, Suggestion], width: int = 100
) -> RenderableType:
    """`readlog series`: every series in the journal, a line each. Under render.NARROW columns each series
    is its name on a line of its own and a line of its counts and next book, so no name is cut to `Earth…`
    (at 40 columns the table left it five)."""
    from readlog.render import NARROW

    if not all_series:
        return Text(NO_SERIES, style="dim")
    if width < NARROW:
        return Group(*(_series_stacked(series, upcoming.get(series.name), width) for series in all_series))
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("Series", ratio=2)
    table.add_column("Books", justify="right")
    table.add_column("Read", justify="right")
    table.add_column("Reading", justify="right")
    table.add_column("Want", justify="right")
    table.add_column("Next", ratio=2)
    for series in all_series:
        table.add_row(
            Text(one_line(series.name), style="bold"),
            str(len(series.books)),
            str(series.count("read")),
            str(series.count("reading")),
            str(series.count("want")),
            _next_in(upcoming.get(series.name)),
        )
    return table


def _next_in(suggestion: Suggestion | None) -> Text:
    """A series' next book, `A Wizard of Earthsea (#1)`; nothing if none is."""
    if suggestion is None:
        return Text("")
    shown = _user(one_line(suggestion.book.title))
    if suggestion.book.number:
        shown.append(f" (#{one_line(suggestion.book.number)})", style="dim")
    return shown


def _series_stacked(series: Series, suggestion: Suggestion | None, room: int) -> RenderableType:
    """A series in a narrow `series`: its name, then `3 books  ·  1 read  ·  2 want  ·  next: ...` (a
    count of none left out, but books and read), wrapped between them."""
    from readlog.render import flow

    books = len(series.books)
    counts = [f"{books} {'book' if books == 1 else 'books'}", f"{series.count('read')} read"]
    counts += [f"{count} {status}" for status in ("reading", "want") if (count := series.count(status))]
    pieces = [Text(count) for count in counts]
    if suggestion is not None:
        pieces.append(Text.assemble(("next: ", "dim"), _next_in(suggestion)))
    return Group(Text(one_line(series.name), style="bold"), flow(pieces, room))


def render_suggestions(suggestions: list[Suggestion]) -> RenderableType:
    """For `readlog next`: the next unread book of each series the reader is in, marked as such."""
    from readlog.render import Hanging

    lines: list[RenderableType] = []
    for number, suggestion in enumerate(suggestions, 1):
        book, after = suggestion.book, suggestion.after
        line = _book_line(book)
        where = f"{suggestion.series} #{book.number}" if book.number else suggestion.series
        note = Text.assemble(("[next in series: ", "cyan"), _user(one_line(where), "cyan"), ("]", "cyan"))
        for other in suggestion.alongside:  # two books numbered 2: either may come next
            note.append_text(Text.assemble((" or ", "dim"), _user(other.title, "dim italic")))
        if suggestion.alongside:
            note.append(f" (also #{book.number})", style="dim")
        note.append_text(Text.assemble((" after ", "dim"), _user(after.title, "dim italic")))
        if suggestion.missing:  # a gap: Book 4 is in no file of the journal
            numbers = ", ".join(f"#{n}" for n in suggestion.missing)
            note.append(f" (no {numbers} in your journal)", style="yellow")
        # The number hangs to the left: a title or a note wrapped at 40 columns stays under the title.
        lines.append(Padding(Hanging(Text(f"{number}.", style="bold"), Group(line, note)), (0, 0, 1, 0)))
    return Panel(
        Group(*lines),
        title=Text("Next in a series", style="bold"),
        title_align="left",
        padding=(1, 2, 0, 2),
    )


def enrich_summary(report: EnrichReport, dry_run: bool) -> str:
    """One line: what `enrich` did (or would do)."""
    fields = report.filled_fields()
    what = ", ".join(f"{name} {count}" for name, count in sorted(fields.items()))
    done = report.count("would-fill" if dry_run else "filled")
    verb = "would fill" if dry_run else "filled"
    parts = [f"{_books(done)} {verb}" + (f" ({what})" if what else "")]
    for outcome, words in (
        ("complete", "already complete"),
        ("not-found", "not found"),
        ("ambiguous", "ambiguous (give them an ISBN)"),
        ("failed", "failed"),
    ):
        if report.count(outcome):
            parts.append(f"{report.count(outcome)} {words}")
    if report.problems:
        parts.append(f"{len(report.problems)} unreadable")
    if report.stopped:
        parts.append(f"stopped after {_books(len(report.items))}")
    return "enrich: " + ", ".join(parts)


def _books(count: int) -> str:
    return f"{count} book" if count == 1 else f"{count} books"
