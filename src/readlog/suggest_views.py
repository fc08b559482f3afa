"""Suggestions -> Rich renderables. Pure, like readlog.render: nothing here prints, and the reader's text
(titles, names, tags, which the reasons quote) enters Rich only as `Text` through `visible`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from readlog.lazyclass import pattern_when_used
from readlog.render import Flat, FlatRows
from readlog.text import visible

_MARKED = pattern_when_used(r"\*([^*\n]+)\*")

if TYPE_CHECKING:
    from rich.table import Table

    from readlog.actions.suggest import Explanation
    from readlog.suggest import Suggested


def _user(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style)


class _Titled:
    """A panel of `body` titled `title`, or `short` where the whole title would not fit the width (Rich crops
    a title without a mark: "(10 of" at 40 columns, the count lost)."""

    def __init__(self, body: RenderableType, title: Text, short: Text):
        self.body, self.title, self.short = body, title, short

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # (Rich keeps width - 4 cells for the title and the space it pads it with on each side)
        title = self.title if self.title.cell_len + 6 <= options.max_width else self.short
        yield Flat(Panel(self.body, title=title, title_align="left", padding=(1, 2, 0, 2)), [self.body])


def _reason(reason: str, style: str = "dim") -> Text:
    """A reason's `*Title*` marks (kept as they are in --json and piped rows) shown as italics."""
    text = Text(style=style)
    for number, part in enumerate(_MARKED.split(reason)):
        text.append_text(_user(part, "italic" if number % 2 else ""))
    return text


def _entry(number: int, book: Suggested, score: bool) -> _Numbered:
    head = _user(book.title, "bold")
    if book.authors:
        head.append_text(Text.assemble(" — ", _user(", ".join(book.authors), "italic")))
    if score:
        head.append(f"  {book.score:.2f}", style="cyan")
    return _Numbered(number, head, [_reason(reason) for reason in book.reasons])


class _Numbered(FlatRows):
    """A suggestion: its number (dim, right-aligned in 3 cells) hanging to the left of its head line and its
    reasons (indented 2), so a title that wraps stays indented under itself: a one-row grid (`table`), which
    `Flat` draws as lines of text where Rich would lay it out as it is, each line padded to the widest in
    its own style as Rich's grid pads it. `next` at 10,000 books: Rich measured every cell of the three, and
    `next` imported rich.table for them."""

    def __init__(self, number: int, head: Text, reasons: list[Text]):
        self.number, self.head, self.reasons = number, head, reasons

    def table(self) -> Table:
        from rich.table import Table

        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(justify="right", width=3, style="dim")
        grid.add_column(ratio=1)
        # (the number as Text, not a str: Rich reads a str cell as markup, loading its emoji table for it)
        body = Group(self.head, *(Padding(reason, (0, 0, 0, 2)) for reason in self.reasons))
        grid.add_row(Text(f"{self.number}."), body)
        return grid

    def flat(self, room: int, console: Console | None = None) -> list[Text] | None:
        """Each line as one Text as Rich lays the grid out in `room` cells: the number in its column, and
        only text whose characters are each one cell (Rich trims, wraps and pads the rest by rules of its
        own); else None (drawn by Rich). A grid wider than the room is Rich's too: its text column narrowed
        to what the number's leaves (`Table._collapse_widths`), each text wrapped there by Rich's own
        `Text.wrap` as the column's cell wraps it (left, ellipsis), the reasons two cells in (their
        padding). `next` at 100 columns: its three suggestions wrap, and Rich's grid (and importing
        rich.table for it) was some 10 ms of its time."""
        from rich.cells import cell_len

        number = f"{self.number}."
        if len(number) > 3:
            return None
        for text in (self.head, *self.reasons):
            plain = text.plain
            if plain != plain.strip() or cell_len(plain) != len(plain) or not plain.isprintable():
                return None
        body = max([self.head.cell_len, *(2 + reason.cell_len for reason in self.reasons)])
        if 4 + body > room:  # (the number's column: 3 cells and a space)
            return self._wrapped(number, room - 4, console)
        head = self.head.copy()
        head.pad_right(body - head.cell_len)
        lines = [Text.assemble((number.rjust(3), "dim"), (" ", "dim"), head)]
        for reason in self.reasons:
            padded = reason.copy()
            padded.pad_right(body - 2 - reason.cell_len)
            lines.append(Text.assemble(("    ", "dim"), "  ", padded))
        return lines

    def _wrapped(self, number: str, width: int, console: Console | None) -> list[Text] | None:
        """`flat`'s lines when the text column is `width` cells (the room less the number's column), the
        head and each reason wrapped in it as Rich wraps a cell's text: each line padded to the column in its
        text's style (the cell's left justify), the lines under the number blank in its style."""
        if console is None or width < 8:
            return None

        def wrapped(text: Text, room: int) -> list[Text]:
            return list(text.wrap(console, room, justify="left", overflow="ellipsis", no_wrap=False))

        head = wrapped(self.head, width)
        if not head:
            return None
        lines = [Text.assemble((number.rjust(3), "dim"), (" ", "dim"), head[0])]
        lines += [Text.assemble(("    ", "dim"), line) for line in head[1:]]  # (the number's cell, blank)
        for reason in self.reasons:
            lines += [Text.assemble(("    ", "dim"), "  ", line) for line in wrapped(reason, width - 2)]
        return lines


def render_suggested(books: Sequence[Suggested], total: int) -> RenderableType:
    """`readlog next --suggest`: the want books best first, each with its reasons."""
    if not books:
        return Text("No want book matches.", style="dim")
    count = (f" ({len(books)} of {total})", "dim")
    title = Text.assemble(("Suggested from your history", "bold"), count)
    lines = [_entry(n, book, True) for n, book in enumerate(books, 1)]
    return _Titled(Group(*lines), title, Text.assemble(("Suggested", "bold"), count))


def render_next_suggestions(books: Sequence[Suggested]) -> RenderableType:
    """Under plain `next`: the top three, marked as suggestions."""
    title = Text.assemble(("Suggested", "bold"), (" from your history (readlog next --suggest)", "dim"))
    lines = [_entry(n, book, False) for n, book in enumerate(books, 1)]
    return _Titled(Group(*lines), title, Text.assemble(("Suggested", "bold"), (" (next --suggest)", "dim")))


# Below this many columns, each signal's evidence goes on a line of its own under its figures: in the
# table's last column it had some seven columns at 40.
TABLE_FROM = 80


class _Signals:
    """--explain's signals: a table of name, weight, value, what it adds and the evidence; on a narrow
    terminal, each signal's figures on one line and its evidence, wrapped, under them."""

    def __init__(self, rows: list[tuple[str, str, str, str, Text]]):
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= TABLE_FROM:
            from rich.table import Table

            table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False)
            for column, justify in (("signal", "left"), ("weight", "right"), ("value", "right"),
                                    ("adds", "right"), ("evidence", "left")):  # fmt: skip
                table.add_column(column, justify=justify, style="dim" if column == "weight" else "")  # type: ignore[arg-type]
            for row in self.rows:
                table.add_row(*row)
            yield table
            return
        for name, weight, value, adds, evidence in self.rows:
            figures = f"adds {adds}  ({weight} × {value})" if value else ""  # (the table's columns)
            yield Text.assemble((name, "bold"), "  ", (figures, "dim"))
            yield Padding(evidence, (0, 0, 0, 2))


def render_explanation(explained: Explanation) -> RenderableType:
    """`--explain BOOK`: every signal, its weight, its value in stars and what it adds."""
    book = explained.book
    head = Text.assemble(_user(book.title, "bold"))
    if book.authors:
        head.append_text(Text.assemble(" — ", _user(", ".join(book.authors), "italic")))
    summary = Text(
        f"score {book.score:.2f}: #{explained.rank} of {explained.total} books and picks ranked; "
        + (
            f"your mean rating {explained.mean:.2f} plus the signals below"
            if explained.rated
            else f"{explained.mean:.2f} (you rated no book yet: the middle) plus the signals below"
        ),
        style="dim",
    )
    rows = [
        (signal.name, f"{signal.weight:g}", f"{signal.value:+.2f}", f"{signal.contribution:+.2f}",
         _reason(signal.reason or "", ""))
        for signal in sorted(explained.signals, key=lambda s: -abs(s.contribution))
    ]  # fmt: skip
    if not explained.signals:
        rows = [("(none)", "", "", "", Text("nothing in your history speaks for or against it yet"))]
    table = _Signals(rows)
    said: list[RenderableType] = [head, summary]
    if book.kind == "pick":  # no book file: what it is, and how it becomes one
        source = f" of *{book.source['title']}*" if book.source else ""
        said.append(
            _reason(f"a read-next pick{source}, not a book of your journal yet: `next add` makes it one")
        )
    if explained.ties:
        said.append(_reason(explained.ties))
    return Group(*said, Text(""), table)
