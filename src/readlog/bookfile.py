"""Book file <-> Book: stdlib tomllib to read (fast), tomlkit to write (keeps comments and order).

A rewrite never regenerates a file: `update` parses the old text with tomlkit and changes only the keys
whose values differ, so a reader's comments, blank lines, key order and unknown keys stay as they were.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from readlog import tomlwrite
from readlog.errors import BookFileError, InvalidValue, NewerSchema
from readlog.lazyclass import pattern_when_used
from readlog.model import PART_KEYS, SCHEMA, Book, book_from_dict, book_to_dict, migrate
from readlog.tomlwrite import INLINE

if TYPE_CHECKING:
    from tomlkit.container import Container
    from tomlkit.items import AoT, Array, InlineTable, Item, Key, Table, Whitespace

# Fields readlog owns inside each table (model.PART_KEYS): only these may be removed on rewrite, anything
# else a reader added to a table stays (the model keeps such keys too, in each part's `extra`).
_OWNED = PART_KEYS
_TOML_POSITION = pattern_when_used(r"\s*\(at line (\d+), column (\d+)\)$")


def decode(raw: bytes, path: str) -> str:
    """File bytes to text: UTF-8 only (a BOM is tolerated), anything else is a clear error."""
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise BookFileError(
            path, f"not UTF-8 text (bad byte at offset {error.start}); save it as UTF-8"
        ) from None


def parse(text: str, path: str, allow_newer: bool = False) -> Book:
    """Parse and validate a book file's text. Errors name the file, line and column where known.

    A file from a newer readlog (a higher `schema`) is refused unless `allow_newer`: then it is read as
    well as this version can, for showing only; such a book must never be written back.
    """
    import tomli  # tomllib's parser, compiled: twice as fast (pyproject.toml says why)

    try:
        data = loads(text)
    except tomli.TOMLDecodeError as error:
        conflict = _conflict_marker(text)
        if conflict:
            raise BookFileError(
                path, "git conflict markers: resolve the merge, then save", conflict
            ) from None
        from readlog.tomlerrors import explain  # (only a file that fails pays for the wording)

        message = str(error)
        match = _TOML_POSITION.search(message)
        line, column = (int(match[1]), int(match[2])) if match else (None, None)
        message = message[: match.start()] if match else message.removesuffix(" (at end of document)")
        message, line, column = explain(message, line, column, text)
        raise BookFileError(path, f"invalid TOML: {message}", line, column) from None
    except RecursionError:
        raise BookFileError(path, "invalid TOML: arrays or tables nested too deeply to read") from None
    if not data:
        what = "empty" if not text.strip() else "only comments"
        raise BookFileError(path, f'the file is {what}: a book file needs at least `title = "..."`')
    schema = data.get("schema", SCHEMA)
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        raise BookFileError(path, f"schema: {schema!r} is not a schema version", locate(text, "schema"))
    if schema > SCHEMA and not allow_newer:
        raise NewerSchema(
            path, f"written by a newer readlog (schema {schema}; this one knows {SCHEMA}); upgrade readlog"
        )
    try:
        return book_from_dict(data if schema > SCHEMA else migrate(data))
    except InvalidValue as error:
        raise BookFileError(path, str(error), locate(text, error.field or "")) from None


# The long texts of a book file (a review's body, a reflection's text), written as multi-line literal strings
# (''' then a new line): tomli checks such a string for control characters one character at a time,
# which is half of its time on a typical book. `loads` checks the whole file at once instead.
LONG_TEXT = 256  # characters: a shorter literal is left to tomli
_MARK = "\x80"  # (a C1 control: allowed in a TOML string, written by no one)
_NOT_IN_TOML = bytes(range(9)) + bytes(range(11, 32)) + b"\x7f"  # control characters, but tab and new line


def loads(text: str) -> dict[str, Any]:
    """`tomli.loads(text)`: the same table, or the same error. Each long multi-line literal string is cut
    out of the text given to tomli (a mark in its place), then put back in the table, when the text holds
    no character TOML forbids (tomli's check of each literal's characters is then known to pass), no
    escape (every string read is then as it is in the text), and no mark. If a mark is not found whole,
    as one value of its own, that cut was not a literal (it was inside another string, a comment): tomli
    reads the text as it is. Where the cut was a literal, everything before it reads the same, so the mark
    is that literal's whole value and nothing else's, and what follows it reads the same."""
    import tomli

    src = text.replace("\r\n", "\n")  # (as tomli reads it)
    cuts = _long_literals(src)
    if not cuts:
        return tomli.loads(text)
    held: dict[str, str] = {}
    parts: list[str] = []
    at = 0
    for number, (start, end) in enumerate(cuts):
        mark = f"{_MARK}{number}{_MARK}"
        held[mark] = src[start:end]
        parts += (src[at:start], mark)
        at = end
    parts.append(src[at:])
    try:
        data = tomli.loads("".join(parts))
    except (tomli.TOMLDecodeError, RecursionError):
        return tomli.loads(text)  # (its error, as the text has it)
    if _put_back(data, held) != len(cuts):
        return tomli.loads(text)
    return data


def _long_literals(src: str) -> list[tuple[int, int]]:
    """Where the text of each long multi-line literal string seems to be (start, end), if `src` holds no
    character TOML forbids, no backslash and no mark; else none."""
    at = src.find("'''\n")
    if at == -1 or "\\" in src or _MARK in src:
        return []
    data = src.encode("utf-8", "surrogatepass")
    if len(data.translate(None, _NOT_IN_TOML)) != len(data):
        return []
    cuts = []
    while at != -1:
        start = at + 4  # (tomli leaves out the new line right after the quotes)
        end = src.find("'''", start)
        if end == -1:
            break
        if end - start >= LONG_TEXT:
            cuts.append((start, end))
        at = src.find("'''\n", end + 3)
    return cuts


def _put_back(value: Any, held: dict[str, str]) -> int:
    """Each string of `value` (a table or an array) that is a mark replaced by its text (taken out of
    `held`), in place; how many, or -1 if a key or a string holds a mark's character but is not a whole
    mark still held."""
    found = 0
    for key in value if type(value) is dict else range(len(value)):
        if type(key) is str and _MARK in key:
            return -1
        item = value[key]
        if type(item) is str:
            if _MARK in item:
                text = held.pop(item, None)
                if text is None:
                    return -1
                value[key] = text
                found += 1
        elif type(item) is dict or type(item) is list:
            more = _put_back(item, held)
            if more < 0:
                return -1
            found += more
    return found


def _conflict_marker(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(("<<<<<<< ", ">>>>>>> ")) or line.rstrip() in ("<<<<<<<", "=======", ">>>>>>>"):
            return number
    return None


def locate(text: str, field: str) -> int | None:
    """Best-effort line number of a field path such as `rating`, `review.body` or `reads[2].finished`."""
    match = re.fullmatch(r"(\w+)(?:\[(\d+)\])?(?:\.(\w+))?", field)
    if not match:
        return None
    name, index, key = match[1], match[2], match[3]
    lines = text.splitlines()
    header = re.compile(r"\s*\[")
    if index is None and key is None:  # a top-level key, before the first table
        for number, line in enumerate(lines, 1):
            if header.match(line):
                return None
            if re.match(rf"\s*{name}\s*=", line):
                return number
        return None
    pattern = rf"\s*\[\[\s*{name}\s*\]\]" if index else rf"\s*\[\s*{name}\s*\]"
    wanted = int(index or 1)
    seen = 0
    for number, line in enumerate(lines, 1):
        if re.match(pattern, line):
            seen += 1
            if seen == wanted:
                if key is None:
                    return number
                for offset, inner in enumerate(lines[number:], number + 1):
                    if header.match(inner):
                        break
                    if re.match(rf"\s*{key}\s*=", inner):
                        return offset
                return number
    return None


def dumps(book: Book) -> str:
    """A new book file (written directly: tomlkit is only needed to edit an existing one)."""
    text = tomlwrite.book_text(book)  # (a plain book, written without its dict; None: any other)
    return tomlwrite.dumps(book_to_dict(book)) if text is None else text


def update(old_text: str, book: Book, before: dict[str, Any] | None = None) -> str:
    """`old_text` changed only where `book` differs from it: everything else stays byte for byte.

    `before` is the book as `old_text` holds it (book_to_dict): when the only change is new tables at the
    end of one array of tables (a reflection, a quote, a reading), they are appended as text, without
    re-reading the file with tomlkit (which takes seconds for a book with 100,000 reflections).

    A file with CRLF line endings is changed as LF text, and each line then written with the file's own
    ending: an unchanged line with its own, a new one with the file's most common (`_line_endings`)."""
    if "\r" in old_text:  # (a CR is only ever part of a line ending: TOML allows no other)
        return _line_endings(old_text, update(old_text.replace("\r\n", "\n"), book, before))
    new = book_to_dict(book)
    if before is not None:
        appended = _appended_tables(before, new, old_text)
        if appended is not None:
            return appended
        edited = _edited_lines(before, new, old_text)
        if edited is not None:
            return edited
    return update_data(old_text, new)


def _line_endings(old_text: str, text: str) -> str:
    """`text` (LF only: `old_text` changed) with each line ending as in `old_text`: a line that was there
    keeps its own ending, a new or changed one takes the one most of `old_text`'s lines have."""
    import difflib

    old = old_text.split("\n")
    crlf = sum(1 for line in old[:-1] if line.endswith("\r"))
    ending = "\r\n" if crlf * 2 > len(old) - 1 else "\n"
    bare = [line.removesuffix("\r") for line in old]
    new = text.split("\n")
    endings = [ending] * len(new)
    for tag, i1, i2, j1, _ in difflib.SequenceMatcher(None, bare, new, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                if i1 + k < len(old) - 1:
                    endings[j1 + k] = "\r\n" if old[i1 + k].endswith("\r") else "\n"
    return "".join(line + end for line, end in zip(new[:-1], endings, strict=False)) + new[-1]


def update_data(old_text: str, data: dict[str, Any]) -> str:
    """`old_text` changed to hold `data`, a whole file's values (a merge's result: unknown keys inside
    tables included), only where they differ; a CRLF file keeps its line endings, as in `update`."""
    if "\r" in old_text:  # (sync's merges and `resolve` come here directly, not through `update`)
        return _line_endings(old_text, update_data(old_text.replace("\r\n", "\n"), data))
    import tomlkit

    doc = tomlkit.parse(old_text)
    # The file as tomlkit and `_tidied` write it back unchanged: not always `old_text` (a header a reader
    # wrote with no blank line above it, a table put between two of an array): `_changes_on_own_lines`.
    as_read = tomlkit.dumps(doc)
    before = {key: doc[key].unwrap() for key in _RESHAPED if key in doc}
    _sync(doc, data, owned=None)
    text = tomlkit.dumps(doc)
    if "schema" not in doc and "schema" in data:
        text = _with_schema(text, doc, before, data["schema"])
    text = _tidied(text, old_text)
    as_read = _tidied(as_read, old_text)
    if as_read == old_text:
        return text
    return _changes_on_own_lines(old_text, as_read, text) or _lines_as_written(old_text, as_read, text)


def _changes_on_own_lines(old_text: str, as_read: str, text: str) -> str | None:
    """The lines readlog changed (`as_read` to `text`: tomlkit's writing of the file before the change and
    after it) made on the file's own lines (`old_text`), where tomlkit writes the file otherwise even with
    nothing changed: it moves a table a reader put between two tables of one array (`[[quotes]]`,
    `[custom]`, `[[quotes]]`) after the array. None when a changed line is not one the file has as such,
    or the result does not read back as `text` does."""
    import difflib

    base, ours, theirs = as_read.splitlines(True), old_text.splitlines(True), text.splitlines(True)
    where: dict[int, int] = {}  # a line of `as_read` -> the same line in `old_text`
    for tag, i1, i2, j1, _ in difflib.SequenceMatcher(None, base, ours, autojunk=False).get_opcodes():
        if tag == "equal":
            where.update((i1 + k, j1 + k) for k in range(i2 - i1))
    edits: list[tuple[int, int, list[str]]] = []  # (from, to, new lines) in `old_text`'s lines
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, base, theirs, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            mapped = [where.get(i) for i in range(i1, i2)]
            first = mapped[0]
            if first is None or mapped != list(range(first, first + len(mapped))):
                return None
            edits.append((first, first + len(mapped), theirs[j1:j2]))
            continue
        # Lines added: after the line before them, where the file has it. When that line is one tomlkit
        # wrote elsewhere (a blank line), the same lines rotated (the blank first) go after the one before.
        while i1 - 1 not in where and i1 > 0 and j1 > 0 and base[i1 - 1] == theirs[j2 - 1] == theirs[j1 - 1]:
            i1, j1, j2 = i1 - 1, j1 - 1, j2 - 1
        if i1 == len(base):  # (at the end: a new table, most often)
            at = len(ours)
        elif i1 - 1 in where:
            at = where[i1 - 1] + 1
        elif i1 in where:
            at = where[i1]
        else:
            return None
        edits.append((at, at, theirs[j1:j2]))
    out = list(ours)
    last = len(out) + 1
    for start, end, lines in sorted(edits, reverse=True):
        if end > last:
            return None  # (two changes over one line of the file)
        out[start:end] = lines
        last = start
    merged = "".join(out)
    import tomli

    try:
        return merged if tomli.loads(merged) == tomli.loads(text) else None
    except tomli.TOMLDecodeError:  # pragma: no cover - a change put where it no longer fits
        return None


def _tidied(text: str, old_text: str) -> str:
    """tomlkit's `text` as readlog writes it: each table header set apart by one blank line, none added at
    the end (appended tables carry one to set them apart; at the very end it is not wanted)."""
    if text.endswith("\n\n") and not old_text.endswith("\n\n"):
        text = text.rstrip("\n") + "\n"
    return _headers_apart(text)


# The keys whose form a migration changed (model.MIGRATIONS): schema 2 writes `series` as a list.
_RESHAPED = ("series",)


def _with_schema(text: str, doc: Any, before: dict[str, Any], schema: int) -> str:
    """`text` (a file without `schema`, read as schema 1) with the `schema` line it needs once readlog has
    written a value in a newer schema's form into it (a series as a list), as its first key. A schema-1
    value left as it was (a `series = {...}` not changed) needs none: nothing is upgraded unasked."""
    if all(key not in doc or before.get(key) == doc[key].unwrap() for key in _RESHAPED):
        return text
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), 0)
    lines.insert(first, f"schema = {schema}")
    return "\n".join(lines)


def _lines_as_written(old_text: str, as_read: str, text: str) -> str:
    """`text` (tomlkit's, after the change) with the lines tomlkit wrote otherwise than the file had them
    though nothing changed there (`as_read`: the file parsed and written back unchanged) put back as the
    file had them: tomlkit drops the blank before the `}` of an inline table that ends with a date. Kept
    only when it reads back as the same values."""
    import difflib

    old, read, new = old_text.splitlines(True), as_read.splitlines(True), text.splitlines(True)
    written: dict[int, str] = {}  # a line of `as_read` -> the file's own
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, read, autojunk=False).get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:
            written.update((j1 + k, old[i1 + k]) for k in range(i2 - i1))
    if not written:
        return text
    out = list(new)
    for tag, i1, i2, j1, _ in difflib.SequenceMatcher(None, read, new, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                out[j1 + k] = written.get(i1 + k, out[j1 + k])
    repaired = "".join(out)
    import tomli

    try:
        return repaired if tomli.loads(repaired) == tomli.loads(text) else text
    except tomli.TOMLDecodeError:  # pragma: no cover - a line put back where it no longer fits
        return text


# A table header right under a value line (tomlkit writes a table added inside another, `[[reads.pauses]]`,
# right under the last `[[reads.progress]]` value), or under more than one blank line.
_HEADER = pattern_when_used(r"[ \t]*\[\[?[ \t]*[\w.\"' -]+\]\]?[ \t]*(?:#.*)?")


def _headers_apart(text: str) -> str:
    """`text` with one blank line before each table header, as everywhere else in a book file. Lines of a
    multi-line string are left alone (one that looks like a header too), and the result is kept only when
    it reads back as the same values."""
    lines = text.split("\n")
    out: list[str] = []
    quote: str | None = None  # the multi-line string open at this line (its delimiter)
    for line in lines:
        if quote is None and _HEADER.fullmatch(line) and out:
            while len(out) > 1 and out[-1] == "" and out[-2] == "":
                out.pop()  # (one blank line, not more)
            if out[-1] != "" and not out[-1].lstrip().startswith("#"):
                out.append("")
        out.append(line)
        for delimiter in ("'''", '"""'):
            if line.count(delimiter) % 2 and quote in (None, delimiter):
                quote = None if quote == delimiter else delimiter
    spaced = "\n".join(out)
    if spaced == text:
        return text
    import tomli

    try:
        return spaced if tomli.loads(spaced) == tomli.loads(text) else text
    except tomli.TOMLDecodeError:
        return text


_APPENDABLE = ("reads", "reflections", "quotes", "next")


def snapshot(book: Book) -> dict[str, Any]:
    """The book as its file holds it now, to compare with after a change (see `update`). The arrays of
    tables are fresh copies already; everything else is copied deeply, so a change made in place (to a
    source table, say) still shows as a change."""
    import copy

    data = book_to_dict(book)
    return {k: v if k in _APPENDABLE else copy.deepcopy(v) for k, v in data.items()}


def _appended_tables(before: dict[str, Any], new: dict[str, Any], old_text: str) -> str | None:
    """`old_text` plus the tables appended to one array, or None when the change is anything else."""
    if before.keys() != new.keys():
        return None
    grown = [key for key in new if new[key] != before[key]]
    if len(grown) != 1 or grown[0] not in _APPENDABLE:
        return None
    key = grown[0]
    old, now = before[key], new[key]
    if not re.search(rf"(?m)^[ \t]*\[\[[ \t]*{key}[ \t]*\]\]", old_text):
        return None  # the array is not written as [[key]] tables in this file: let tomlkit edit it

    if key == "reads" and len(now) == len(old) and now[:-1] == old[:-1]:
        return _appended_progress(old[-1], now[-1], old_text, new)
    if len(now) <= len(old) or now[: len(old)] != old:
        return None
    tables = tomlwrite.dumps({key: now[len(old) :]})
    placed = _after_last(key, old_text, tables)  # (after the array's last table, not after another table)
    if placed is not None:
        text = _reads_as(placed, new)
        if text is not None:
            return text
    return old_text.rstrip("\n") + "\n" + tables


def _appended_progress(
    old: dict[str, Any], now: dict[str, Any], old_text: str, new: dict[str, Any]
) -> str | None:
    """Progress entries appended to the last reading (`readlog progress`): written after that reading's
    tables (`_after_last_reading`), or else at the end of the file (`[[reads.progress]]` tables there
    belong to the last `[[reads]]` too, wherever it is). Checked by reading the result."""

    was, grew = old.get("progress", []), now.get("progress", [])
    if {k: v for k, v in old.items() if k != "progress"} != {k: v for k, v in now.items() if k != "progress"}:
        return None
    if len(grew) <= len(was) or grew[: len(was)] != was:
        return None
    marker = "readlog-appended-progress"
    tables = tomlwrite.dumps({marker: grew[len(was) :]}).replace(f"[[{marker}]]", "[[reads.progress]]")
    placed = _after_last("reads", old_text, tables)
    if placed is not None:
        text = _reads_as(placed, new)
        if text is not None:
            return text
    text = old_text.rstrip("\n") + "\n" + tables
    return _reads_as(text, new)


_TABLE_NAME = pattern_when_used(r"[ \t]*\[\[?[ \t]*([^\]]*?)[ \t]*\]")


def _after_last(key: str, old_text: str, tables: str) -> str | None:
    """`old_text` with `tables` (`[[reads.progress]]` tables, or new `[[quotes]]`, from a blank line) put
    where a reader looks for them: after the last `[[key]]` and its own tables (`[[reads.progress]]`,
    `[[reads.pauses]]`, `[reads.x]`), before the comments and blank lines that lead into the next table.
    None when nothing follows the last one (the tables go at the end, as before) or the file is not laid
    out so; the caller checks the result by reading it."""
    if "\r" in old_text:
        return None
    lines = old_text.split("\n")
    headers = [(i, _TABLE_NAME.match(line)) for i, line in enumerate(lines) if _HEADER.fullmatch(line)]
    last = max((i for i, name in headers if name and name[1] == key and "[[" in lines[i]), default=None)
    if last is None:
        return None
    end = next((i for i, name in headers if i > last and not (name and name[1].startswith(f"{key}."))), None)
    if end is None:
        return None
    cut = end  # (back over what leads into the next table: its comments, the blank lines)
    while cut > last + 1 and (not lines[cut - 1].strip() or lines[cut - 1].lstrip().startswith("#")):
        cut -= 1
    added = tables.strip("\n").split("\n")
    after = lines[cut:]
    return "\n".join([*lines[:cut], "", *added, *([""] if after[0].strip() else []), *after])


def _reads_as(text: str, new: dict[str, Any]) -> str | None:
    """`text`, if it reads back as `new` (a file without `schema` is taken as `new`'s); None otherwise. Read
    with the parser `parse` uses (loaded already: the book was just read), so the check is the next read's."""
    import tomli

    try:
        written = tomli.loads(text)
    except tomli.TOMLDecodeError:
        return None
    written.setdefault("schema", new.get("schema"))
    return text if written == new else None


def _edited_lines(before: dict[str, Any], new: dict[str, Any], old_text: str) -> str | None:
    """`old_text` with one-line values changed, added or removed at the top of the file and changed or
    added in its last reading (`finish`, `rate`, `abandon`, a status or a date), as the lines tomlkit would
    write, without importing and running tomlkit (a third of a `finish`); None for any other change, or
    when the file is not written the way this expects. Checked by reading the result."""

    if "\r" in old_text or _ODD_HEADER.search(old_text):
        return None
    lines = old_text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines))
    changed = [key for key in new if key not in before or new[key] != before[key]]
    if "reads" in changed:
        was, now = before.get("reads", []), new["reads"]
        if not now or len(was) != len(now) or was[:-1] != now[:-1]:
            return None
        header = max((i for i, line in enumerate(lines) if line == "[[reads]]"), default=None)
        if header is None or header < first:
            return None
        end = next(
            (i for i in range(header + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines)
        )
        if not _edit_table(lines, header + 1, end, was[-1], now[-1], removable=False):
            return None
    top_before = {k: v for k, v in before.items() if k != "reads"}
    top_new = {k: v for k, v in new.items() if k != "reads"}
    if not _edit_table(lines, 0, first, top_before, top_new, removable=True):
        return None
    text = "\n".join(lines)
    return _reads_as(text, new)


def _edit_table(
    lines: list[str], start: int, end: int, old: dict[str, Any], now: dict[str, Any], removable: bool
) -> bool:
    """Change `lines[start:end]` (one table's own key-value lines) from `old` to `now` in place: a changed
    value on its own `key = value` line, a new key after the table's last such line, a removed key's line
    deleted. False when a change is not of that kind or a line is not where it should be."""
    edits: dict[int, str | None] = {}  # line index -> its new text (None: deleted)
    for key in old.keys() - now.keys():
        at = _value_line(lines, start, end, key, old[key]) if removable else None
        if at is None:
            return False
        edits[at] = None
    added: list[str] = []
    for key, value in now.items():
        if key in old and old[key] == value:
            continue
        written = _one_line(value)
        if written is None or not _BARE.fullmatch(key):
            return False
        if key not in old:
            added.append(f"{key} = {written}")
            continue
        at = _value_line(lines, start, end, key, old[key])
        if at is None:
            return False
        edits[at] = f"{key} = {written}"
    rows: list[tuple[str | None, str]] = [
        (None, text) for i in range(start, end) if (text := edits.get(i, lines[i])) is not None
    ]
    if added:
        # Each added key where `_value_place` puts it (a new file's place): only in a table whose every line
        # is understood here (a one-line value, a comment, a blank), so that its lines are tomlkit's items.
        rows = [(_line_key(line, old) or _line_key(line, now), line) for _, line in rows]
        kinds = [_line_kind(key, line) for key, line in rows]
        if "" in kinds:
            return False
        for line in added:
            key = line.partition(" = ")[0]
            names = [name for name, _ in rows]
            at = _value_place(names, [*kinds, "table"], key, list(now))  # (a header follows)
            if at is None:
                return False
            rows.insert(at, (key, line))
            kinds.insert(at, "key")
    lines[start:end] = [line for _, line in rows]
    return True


def _line_kind(key: str | None, line: str) -> str:
    """A table's line as `_value_place` reads it: `key` (a value), `comment`, `blank`, or "" (not known)."""
    if key:
        return "key"
    return "comment" if line.lstrip().startswith("#") else "" if line.strip() else "blank"


def _line_key(line: str, table: dict[str, Any]) -> str | None:
    """The key of `table` that `line` holds with its whole value, or None (`_is_value_line`)."""
    return line.partition(" = ")[0] if _is_value_line(line, table) else None


def _value_line(lines: list[str], start: int, end: int, key: str, value: Any) -> int | None:
    """The one line in `lines[start:end]` that is exactly `key = value` as written here, or None."""
    written = _one_line(value)
    if written is None:
        return None
    found = [i for i in range(start, end) if lines[i] == f"{key} = {written}"]
    return found[0] if len(found) == 1 else None


def _is_value_line(line: str, table: dict[str, Any]) -> bool:
    """Whether `line` is one of `table`'s keys with its whole value on it."""
    key, sep, _ = line.partition(" = ")
    return bool(sep) and key in table and line == f"{key} = {_one_line(table[key])}"


_BARE = pattern_when_used(r"[A-Za-z0-9_-]+")
# A table header written with spaces inside its brackets or indented: tomlkit may write such headers anew
# (`[[ reads ]]` beside `[[reads]]` comes out as `[[reads]]`), so those files are left to it.
_ODD_HEADER = pattern_when_used(r"(?m)^[ \t]+\[|^\[\[?[ \t]|^\[[^\n\]]*[ \t]\]")
_PLAIN_TEXT = pattern_when_used(r'[^"\\\x00-\x1f\x7f]*')


def _one_line(value: Any) -> str | None:
    """`value` as tomlkit writes it on one line, for the kinds where that is certain; None otherwise."""
    kind = type(value)
    if kind is str:
        return f'"{value}"' if _PLAIN_TEXT.fullmatch(value) else None
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return repr(value)
    if kind is float:
        return repr(value) if math.isfinite(value) else None
    if kind is date:
        return value.isoformat()
    if kind is list and all(type(v) is str for v in value):
        items = [_one_line(v) for v in value]
        return None if None in items else "[" + ", ".join(items) + "]"  # type: ignore[arg-type]
    return None


def _sync(
    container: Container | Table | InlineTable,
    new: dict[str, Any],
    owned: frozenset[str] | None,
    inline: bool = False,
) -> None:
    """Make `container` hold `new`. Keys outside `owned` are never removed (None: every key is owned).
    A value the model reads as the one `new` holds is left as written (`_same`: a date written as a
    string, `5.0` for 5); a changed one keeps its form where it can (`_styled`): an array, an inline table,
    dotted keys are edited in place, with their comments. `inline`: `container` is an inline table (or in
    one): what is added to it is written inline too."""
    tail = _inline_tail(container)
    padded = inline and _is_padded(container)
    schema_1 = _is_document(container) and "schema" not in container  # (its values as migrated: `_migrated`)
    for key in list(container.keys()):
        removable = key != "schema" and (owned is None or key in owned)
        if key not in new and removable and not _is_alias(container, key, new):
            del container[key]
    adds = any(key not in container and key != "schema" for key in new)
    ending = _set_aside(container) if adds and not inline else []
    for key, value in new.items():
        if key == "schema" and key not in container:
            continue  # a hand-written file without `schema` is schema 1; do not add a line to it
        if key == "authors" and "authors" not in container and "author" in container:
            if [container["author"].unwrap()] == value:
                continue
            del container["author"]
        if key not in container:
            item = _inline_item(value, padded) if inline else _item(value, key)
            at = None if inline else _table_place(container, key, new)
            if at is None and not inline and not _is_aot_item(item) and not _is_table_item(item):
                at = _value_at(container, key, item, new)
            if at is None:
                container[key] = item
            else:
                _inner(container)._insert_at(at, key, item)
            continue
        current = container[key]
        # tomlkit hands booleans back as plain bools (`private = true`), everything else as items
        was = current.unwrap() if hasattr(current, "unwrap") else current
        if _same(was, value) or (schema_1 and _same(_migrated(key, was), value)):
            continue
        if _is_inline_table(current) and isinstance(value, dict):
            _sync(current, value, _OWNED.get(key), inline=True)
        elif _is_array(current) and isinstance(value, list):
            _sync_array(current, value, _OWNED.get(key))
        elif _is_aot(value) and _is_aot_item(current) and key not in INLINE:
            _sync_aot(current, value, _OWNED.get(key))
        elif isinstance(value, dict) and _is_table_item(current) and key not in INLINE:
            _sync(current, value, _OWNED.get(key))
        else:
            styled = _styled(was, value)
            container[key] = _inline_item(styled, padded) if inline else _item(styled, key)
    if ending:
        _body(container).extend(ending)
    if tail is not None and _body(container)[-1][1] is not tail:
        _body(container).append((None, tail))  # (tomlkit drops the space before `}` on a change)


def _table_place(container: Container | Table | InlineTable, key: str, new: dict[str, Any]) -> int | None:
    """Where a table `key` added to `container` goes: before the first of the tables it holds that come
    after `key` in `new` (book_to_dict's order, which a new file is written in: `[[reads]]`, `[review]`,
    `[[reflections]]`... then an import's `[source.x]`), so a file changed and one written anew from the
    same book are the same (a review an `import --update` added went after `[source.goodreads]`, and a JSON
    backup restored it before: try-out 31a). None for a value, or when none follows: at the end."""
    from tomlkit.items import AoT, Table

    value = new[key]
    if key in INLINE or not (isinstance(value, dict) or _is_aot(value)):
        return None
    names = list(new)
    later = set(names[names.index(key) + 1 :])
    for at, (name, item) in enumerate(_body(container)):
        if name is not None and name.key in later and isinstance(item, Table | AoT):
            return at
    return None


def _value_at(
    container: Container | Table | InlineTable, key: str, item: Item, new: dict[str, Any]
) -> int | None:
    """Where in `container`'s body the value `key` (made as `item`) goes (`_value_place`), indented as the
    line it goes under (or else over); None: appended, as before (after the last item, or in a table
    tomlkit hands back as a proxy: dotted keys not all together)."""
    from tomlkit.container import Container
    from tomlkit.items import AoT, Table

    inner = _inner(container)
    if not isinstance(inner, Container):
        return None
    body = inner.body
    keys = [None if name is None or isinstance(it, Table | AoT) else name.key for name, it in body]
    keys = ["authors" if name == "author" else name for name in keys]  # (the old name of `authors`)
    kinds = [_item_kind(name, it) for name, it in body]
    at = _value_place(keys, [*kinds, "blank"], key, list(new))  # (its end: under its values, `_set_aside`)
    if at is None or at == len(body):
        return None
    near = next((body[i][1] for i in (at - 1, at) if i >= 0 and kinds[i] == "key"), None)
    indent = near.trivia.indent if near is not None else ""
    if not indent.strip(" \t"):
        item.trivia.indent = indent
    return at


def _item_kind(name: Key | None, item: Item) -> str:
    """An item of a table's body as `_value_place` reads it (`_line_kind`'s kinds): a key removed leaves a
    Null, which writes nothing, read past as a comment is."""
    from tomlkit.items import AoT, Comment, Null, Table, Whitespace

    if isinstance(item, Comment | Null):
        return "comment"
    if isinstance(item, Table | AoT):
        return "table"
    return "key" if name is not None else "blank" if isinstance(item, Whitespace) else "other"


def _value_place(keys: list[str | None], kinds: list[str], key: str, order: list[str]) -> int | None:
    """Where a value `key` added to a table goes among its lines or items (`keys`: each one's key, None for
    a comment, a blank line or a table; `kinds`: each one's kind, `key`, `comment`, `blank`, `table`, and
    then what follows the last), where a new file has it (`order`: book_to_dict's, fields.FIELDS' order with
    the keys readlog does not know after them), so an import adding `year` to a book another export made
    and a JSON backup restoring that book write the same file (try-out 31c #6): right under the last of the
    keys that come before it in `order`, and under the comments right under that one when no key follows
    them (a remark on the values above: `# (the one that stuck)`), not those that lead into the next key;
    with none before it, right above the first that comes after it (a comment right under a header stays
    there: t22b); None when the table holds neither. Nothing the reader wrote moves: their order of the
    other keys stays, and each comment stays over or under the line it was."""
    at = order.index(key)
    before, after = set(order[:at]), set(order[at + 1 :])
    last = max((i for i, name in enumerate(keys) if name in before), default=None)
    if last is None:
        return next((i for i, name in enumerate(keys) if name in after), None)
    end = last + 1
    while kinds[end] == "comment":
        end += 1
    return end if kinds[end] == "blank" else last + 1


def _inline_tail(container: Container | Table | InlineTable) -> Whitespace | None:
    """The blank before an inline table's `}` (`{ a = 1 }`), to put back after a change."""
    from tomlkit.items import InlineTable, Whitespace

    if not isinstance(container, InlineTable) or not container.value.body:
        return None
    last = container.value.body[-1][1]
    return last if isinstance(last, Whitespace) and not last.s.strip() else None


def _same(was: Any, now: Any) -> bool:
    """Whether a value as the file holds it (`was`) is `now` as the model reads it: equal, or a date
    written as a string (`"2025-01-02"`), a number written for a text (a series' `number = 2`), in any
    table or array."""
    if was == now:
        return True
    if isinstance(now, date) and isinstance(was, str):
        return was.strip() == now.isoformat()
    if isinstance(now, str) and isinstance(was, int | float) and not isinstance(was, bool):
        return str(was) == now
    if isinstance(was, dict) and isinstance(now, dict):
        return was.keys() == now.keys() and all(_same(was[k], now[k]) for k in now)
    if isinstance(was, list) and isinstance(now, list):
        return len(was) == len(now) and all(_same(a, b) for a, b in zip(was, now, strict=True))
    return False


def _migrated(key: str, was: Any) -> Any:
    """A top-level value of a file without `schema` (schema 1) as the migrations make it: a schema-1
    `series = {...}` that still holds the book's series stays as written."""
    from readlog.model import migrate

    try:
        return migrate({key: was}).get(key)
    except InvalidValue:  # pragma: no cover - a value no migration takes: compared as it is
        return was


def _styled(was: Any, now: Any) -> Any:
    """`now` in the form the reader wrote `was` in: a float where they wrote `5.0`, a date as a string
    where they wrote one as a string."""
    if type(now) is int and type(was) is float and was.is_integer():
        return float(now)
    if type(now) is date and isinstance(was, str) and _ISO_DAY.fullmatch(was.strip()):
        return now.isoformat()
    return now


_ISO_DAY = pattern_when_used(r"\d{4}-\d{2}-\d{2}")


def _sync_array(array: Array, items: list[Any], owned: frozenset[str] | None) -> None:
    """Make the array `array` (written `[...]`, maybe over several lines with comments) hold `items`, in
    place: the items that stay keep their comments and layout, a gone one goes, a new one goes where it
    belongs (at the end, most often), an inline table that changed is edited (`_sync`)."""
    old = [item.unwrap() if hasattr(item, "unwrap") else item for item in array]
    padded = _is_padded(array)
    at = 0
    for was, now in _pairs(old, items):
        if was is None:
            new = _inline_item(items[now], padded)  # type: ignore[index]
            if at == 0 and len(array) and "\n" not in array.as_string():
                # (tomlkit writes an item inserted first on one line as `["new","old"]`: the new one goes
                # in the first item's place, and that item after it, as an item is added after another)
                first = array[0]
                array[0] = new
                array.insert(1, first)
            else:
                array.insert(at, new)
        elif now is None:
            del array[at]
            continue
        elif not _same(old[was], items[now]):
            current = array[at]
            if _is_inline_table(current) and isinstance(items[now], dict):
                _sync(current, items[now], owned, inline=True)
            else:
                array[at] = _inline_item(_styled(old[was], items[now]), padded)
        at += 1


def _set_aside(container: Container | Table | InlineTable) -> list[tuple[Key | None, Item]]:
    """The blank lines and the comments leading into the next table at the end of a table (one without
    sub-tables; not the document), taken off while keys are added, so that those go under its values, not
    under the comment above the next header (tomlkit adds a key after the last comment). The caller puts
    them back (`_body(container).extend`)."""
    from tomlkit.items import Table, Whitespace

    if not isinstance(container, Table) or table_tail(container) is not container.value:
        return []
    leads = _lead_in(container)
    body = container.value.body
    start = len(body)
    while start and body[start - 1][0] is None and isinstance(body[start - 1][1], Whitespace):
        start -= 1
    blank = body[start:]
    del body[start:]
    return [*blank, *leads]


def _body(container: Container | Table | InlineTable) -> list[tuple[Key | None, Item]]:
    return _inner(container).body


def _inner(container: Container | Table | InlineTable) -> Container:
    """The container of a table's keys (the document's: itself)."""
    from tomlkit.items import InlineTable, Table

    return container.value if isinstance(container, Table | InlineTable) else container


def _is_alias(container: Container | Table | InlineTable, key: str, new: dict[str, Any]) -> bool:
    return key == "author" and "authors" in new and "authors" not in container


def _sync_aot(aot: AoT, items: list[dict[str, Any]], owned: frozenset[str] | None) -> None:
    """Make the array of tables `aot` hold `items`, each table matched by what it holds, not by where it is
    (`_pairs`): a table that is still there stays as it is (its comments, its layout, the keys readlog does
    not own), one that is gone goes with its comments, a new one goes in its place. Only a table matched
    with a changed item is edited (`_sync`), and it keeps its keys outside `owned`."""
    old = [table.unwrap() for table in aot]
    at = 0  # where the next table of the result is in `aot`, as it is being changed
    for was, now in _pairs(old, items):
        if was is None:
            _insert_table(aot, at, items[now])  # type: ignore[index]
        elif now is None:
            _delete_table(aot, at)
            continue
        elif not _same(old[was], items[now]):
            _sync(aot[at], items[now], owned)
        at += 1


def _pairs(old: list[Any], new: list[Any]) -> list[tuple[int | None, int | None]]:
    """`old` (the file's tables) and `new` (the items it must hold) matched, in order: (i, j) when `new[j]`
    is `old[i]` (equal, or changed in place), (i, None) for a table gone, (None, j) for a new one. Equal
    tables first (the same start and end, then difflib over the rest), then what lies between two of them
    paired by likeness (`_gap`)."""
    n, m = len(old), len(new)
    head = 0
    while head < min(n, m) and _same(old[head], new[head]):
        head += 1
    tail = 0
    while tail < min(n, m) - head and _same(old[n - 1 - tail], new[m - 1 - tail]):
        tail += 1
    pairs: list[tuple[int | None, int | None]] = [(i, i) for i in range(head)]
    i, j = head, head
    if n - tail - head and m - tail - head:
        import difflib

        matcher = difflib.SequenceMatcher(
            None,
            [_frozen(v) for v in old[head : n - tail]],
            [_frozen(v) for v in new[head : m - tail]],
            autojunk=False,
        )
        for block in matcher.get_matching_blocks()[:-1]:
            pairs += _gap(old, new, i, head + block.a, j, head + block.b)
            pairs += [(head + block.a + k, head + block.b + k) for k in range(block.size)]
            i, j = head + block.a + block.size, head + block.b + block.size
    pairs += _gap(old, new, i, n - tail, j, m - tail)
    pairs += [(n - tail + k, m - tail + k) for k in range(tail)]
    return pairs


_GAP_MOST = 10_000  # past this many possible pairs between two equal tables, pair them by place


def _gap(
    old: list[Any], new: list[Any], i0: int, i1: int, j0: int, j1: int
) -> list[tuple[int | None, int | None]]:
    """`old[i0:i1]` and `new[j0:j1]`, none equal to another, matched: as many of each, by place (a table
    changed where it is); else each kept table with the item most like it (the most keys of the same
    value; on a tie, the earlier), the rest gone or new."""
    p, q = i1 - i0, j1 - j0
    if p == q or not p or not q or p * q > _GAP_MOST:
        both = min(p, q)
        return [
            *((i0 + k, j0 + k) for k in range(both)),
            *((i, None) for i in range(i0 + both, i1)),
            *((None, j) for j in range(j0 + both, j1)),
        ]
    # best[a][b]: (likeness, pairs) of the best matching of old[i0 + a:i1] with new[j0 + b:j1]
    best = [[(0, 0)] * (q + 1) for _ in range(p + 1)]
    for a in range(p - 1, -1, -1):
        for b in range(q - 1, -1, -1):
            mine, theirs = old[i0 + a], new[j0 + b]
            alike = _alike(mine, theirs)
            paired = best[a + 1][b + 1]
            best[a][b] = max((paired[0] + alike, paired[1] + 1), best[a + 1][b], best[a][b + 1])
    out: list[tuple[int | None, int | None]] = []
    a = b = 0
    while a < p and b < q:
        mine, theirs = old[i0 + a], new[j0 + b]
        alike = _alike(mine, theirs)
        paired = best[a + 1][b + 1]
        if best[a][b] == (paired[0] + alike, paired[1] + 1):
            out.append((i0 + a, j0 + b))
            a, b = a + 1, b + 1
        elif best[a][b] == best[a + 1][b]:
            out.append((i0 + a, None))
            a += 1
        else:
            out.append((None, j0 + b))
            b += 1
    out += [(i0 + k, None) for k in range(a, p)]
    out += [(None, j0 + k) for k in range(b, q)]
    return out


def _alike(mine: Any, theirs: Any) -> int:
    """How many keys two tables have of the same value (0 for items of an array that are not tables)."""
    if not (isinstance(mine, dict) and isinstance(theirs, dict)):
        return 0
    return sum(1 for key, value in theirs.items() if key in mine and _same(mine[key], value))


def _frozen(value: Any) -> Any:
    """`value` (a table's values) as something hashable that is equal where the values are."""
    if isinstance(value, dict):
        return ("table", frozenset((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("array", tuple(_frozen(v) for v in value))
    if isinstance(value, date):  # (a date written as a string is that date: `_same`)
        return value.isoformat()
    return value


def _insert_table(aot: AoT, at: int, values: dict[str, Any]) -> None:
    """A new table at `at`, set apart by blank lines. The comments that led into the table that was at
    `at` (or into what follows the array) stay right above it: they move to the new table's end."""
    table = _table(values)
    table.add(_blank_line())  # (the one at the very end of the file is trimmed by `update_data`)
    if at:
        before = aot[at - 1]
        table.value.body.extend(_lead_in(before))
        if not before.as_string().endswith("\n\n"):
            table_tail(before).body.append((None, _blank_line()))
    aot.insert(at, table)


def _delete_table(aot: AoT, at: int) -> None:
    """The table at `at` removed with its own comments: those inside it, and those right above its header
    after a blank line. The comments at its end that lead into the next table stay with that one."""
    leads = _lead_in(aot[at])
    if at:
        _lead_in(aot[at - 1])
        table_tail(aot[at - 1]).body.extend(leads)
    elif leads and at + 1 < len(aot):  # the first table: its successor's comments go above that one's header
        following = aot[at + 1]
        following.trivia.indent = "".join(item.as_string() for _, item in leads) + following.trivia.indent
    del aot[at]


def table_tail(table: Table) -> Container:
    """The part of `table` whose end is written right above the next header: the table's own, or that of
    its last sub-table (`[[reads.progress]]` of a reading)."""
    from tomlkit.items import AoT, Comment, Table, Whitespace

    for _, item in reversed(table.value.body):
        if isinstance(item, (Comment, Whitespace)):
            continue
        if isinstance(item, AoT) and len(item):
            return table_tail(item[len(item) - 1])
        if isinstance(item, Table):
            return table_tail(item)
        break
    return table.value


def _lead_in(table: Table) -> list[tuple[Key | None, Item]]:
    """The comment lines at the very end of `table`, after a blank line: they lead into the next table
    (written right above its header), not this one. Taken off `table` and returned."""
    from tomlkit.items import Comment, Whitespace

    body = table_tail(table).body
    start = len(body)
    while start and body[start - 1][0] is None and isinstance(body[start - 1][1], Comment):
        start -= 1
    if start == len(body) or not start:
        return []
    blank = body[start - 1][1]
    if not (isinstance(blank, Whitespace) and not blank.as_string().strip()):
        return []  # comments right under the table's values are its own
    leads = body[start:]
    del body[start:]
    return leads


def _blank_line() -> Whitespace:
    import tomlkit

    return tomlkit.nl()


def _is_aot(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _is_aot_item(item: Item) -> bool:
    from tomlkit.items import AoT

    return isinstance(item, AoT)


def _is_table_item(item: Item) -> bool:
    """A table: `[name]`, or dotted keys (`review.body = ...`), which tomlkit hands back as a proxy when
    they are not all together."""
    from tomlkit.container import OutOfOrderTableProxy
    from tomlkit.items import Table

    return isinstance(item, Table | OutOfOrderTableProxy)


def _is_document(container: Container | Table | InlineTable) -> bool:
    from tomlkit import TOMLDocument

    return isinstance(container, TOMLDocument)


def _is_inline_table(item: Item) -> bool:
    from tomlkit.items import InlineTable

    return isinstance(item, InlineTable)


def _is_array(item: Item) -> bool:
    from tomlkit.items import Array

    return isinstance(item, Array)


def _inline_item(value: Any, padded: bool = False) -> Item:
    """`value` as it can be written inside `[...]` or `{...}`: tables inline (`{ a = 1 }` when `padded`,
    as the reader wrote the tables beside it), text on one line."""
    import tomlkit

    if isinstance(value, dict):
        table = tomlkit.inline_table()
        for key, inner in value.items():
            table.append(key, _inline_item(inner, padded))
        if padded and table.value.body:
            table.value.body[0][1].trivia.indent = " "
            table.value.body.append((None, tomlkit.ws(" ")))
        return table
    if isinstance(value, list):
        array = tomlkit.array()
        array.extend(_inline_item(v, padded) for v in value)
        return array
    return tomlkit.item(value)


def _is_padded(item: Item | Container) -> bool:
    """Whether the reader writes inline tables `{ a = 1 }` here (`{a = 1}` is readlog's own way)."""
    return item.as_string().lstrip("[ \t\n").startswith("{ ")


def _item(value: Any, key: str = "") -> Item:
    import tomlkit

    if isinstance(value, str):
        return _string(value)
    if key in INLINE and isinstance(value, dict):
        inline = tomlkit.inline_table()
        inline.update(value)
        return inline
    if key in INLINE and isinstance(value, list):
        array = tomlkit.array()
        array.extend(_item(v, key) for v in value)
        return array
    if _is_aot(value):
        aot = tomlkit.aot()
        for entry in value:
            aot.append(_table(entry))
        return aot
    if isinstance(value, dict):
        return _table(value)
    if isinstance(value, list):
        array = tomlkit.array()
        array.extend(_item(v) for v in value)
        return array
    return tomlkit.item(value)


def _table(values: dict[str, Any]) -> Table:
    import tomlkit

    table = tomlkit.table()
    for key, value in values.items():
        table.add(key, _item(value, key))  # (a `series` inline at any depth, as tomlwrite writes it)
    return table


_NOT_LITERAL = pattern_when_used(r"'''|[\x00-\x08\x0b-\x1f\x7f]|'$")


def _string(text: str) -> Item:
    """Long text as a multi-line string, literal (''') where the text allows: it reads well by hand."""
    import tomlkit
    from tomlkit.items import String, StringType, Trivia

    if "\n" in text:
        if "\r" not in text and not _NOT_LITERAL.search(text):
            # TOML drops a newline right after the opening ''': the text can start on a line of its own.
            return String(StringType.MLL, text, "\n" + text, Trivia())
        # (as a new file has it, tomlwrite's form: tomlkit's ran on from the opening quotes, and a new file
        # had the text as one long escaped line)
        return String(StringType.MLB, text, tomlwrite.multiline_basic(text)[3:-3], Trivia())
    return tomlkit.string(text)
