"""Writing a new book file without tomlkit: the same layout tomlkit gives readlog, at a fraction of the cost
(and without tomlkit's import). Rewrites of existing files still go through tomlkit, which keeps comments.

Covers what book files hold: strings, integers, floats, booleans, dates and times, arrays, tables and
arrays of tables, and inline tables for the keys in INLINE. Every output is checked by the round-trip tests,
and against the plain version this replaced (tests/tomlwrite_reference.py) over generated books.

Fast because an import writes thousands of files: each value's kind is found with one lookup of its exact
type (subclasses of the built-in types take the slower `isinstance` way, with the same result), each table's
keys are sorted into plain values and tables in one pass, and bare keys are remembered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from readlog.lazyclass import pattern_when_used

INLINE = frozenset({"series"})  # small tables (or lists of them) that read best on one line in the header
_BARE_KEY = pattern_when_used(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_NEEDS_ESCAPE = pattern_when_used(r'["\\\x00-\x1f\x7f]')
_NOT_LITERAL = pattern_when_used(r"'''|[\x00-\x08\x0b-\x1f\x7f]|'$|\r")
_KEYS: dict[str, str] = {}  # key -> as written (book files use a few dozen keys, over and over)
_KEYS_KEPT = 4096  # remembered keys at most (a key is anything a hand-edited file holds)


def dumps(data: dict[str, Any]) -> str:
    lines: list[str] = []
    _table_body(data, "", lines)
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    written = _KEYS.get(key)
    if written is None:
        written = key if _BARE_KEY.fullmatch(key) else _basic(key)
        if len(_KEYS) < _KEYS_KEPT and type(key) is str:
            _KEYS[key] = written
    return written


def _basic(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return f'"{text}"'
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m[0]) or f"\\u{ord(m[0]):04x}", text) + '"'


def _string(text: str) -> str:
    if "\n" in text:  # TOML drops the newline after the opening quotes: the text starts on a line of its own
        return "'''\n" + text + "'''" if _literal_ok(text) else multiline_basic(text)
    return _basic(text)


# What a multi-line basic string escapes: a backslash, the control characters but tab and newline, the third
# of three quotes in a row (`""\"`), and a quote that would run into the closing ones.
_ML_NEEDS_ESCAPE = pattern_when_used(r'\\|"{3,}|"+\Z|[\x00-\x08\x0b-\x1f\x7f]')


def _ml_escape(match: re.Match[str]) -> str:
    found = match[0]
    if found[0] != '"':
        return _ESCAPES.get(found) or f"\\u{ord(found):04x}"
    quotes = "".join('\\"' if at % 3 == 2 else '"' for at in range(len(found)))
    if match.end() == len(match.string) and not quotes.endswith('\\"'):
        quotes = quotes[:-1] + '\\"'
    return quotes


def multiline_basic(text: str) -> str:
    """Text with a line break that a literal string cannot hold (''' in it, a quote at its end, a control
    character) as a multi-line basic string: line by line as typed, only what must be escaped escaped.
    A rewrite (bookfile) writes it so too, so one text reads the same by hand whichever command wrote it
    (`add` wrote it as one long line of `\\n` and `\\"`, `review --edit` on several lines)."""
    return '"""\n' + _ML_NEEDS_ESCAPE.sub(_ml_escape, text) + '"""'


# The characters `_NOT_LITERAL` refuses (\r among them), each looked for on its own: 31 scans in C over a
# long review cost 2 us where the pattern's one pass cost 26 us.
_CONTROLS = tuple(chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F))


def _literal_ok(text: str) -> bool:
    """`not _NOT_LITERAL.search(text)`: no ''', no control character but tab and newline, no quote at the
    end (`'$` also matches just before a final newline)."""
    # (`"'" in text` first: one character is looked for with memchr, three are not: 0.05 us against 2 us
    # over a long review without a quote)
    if "'" in text and ("'''" in text or text.endswith(("'", "'\n"))):
        return False
    return all(control not in text for control in _CONTROLS)


def _inline(value: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"  # as tomlkit does


def _array(value: list[Any]) -> str:
    return "[" + ", ".join([_value(v) for v in value]) + "]"


def _datetime(value: datetime) -> str:
    """As tomlkit writes it (a sync's merge writes a conflict's `when` through tomlkit): UTC as `Z`, so a
    book file written again from its data (a JSON backup restored: try-out 33b #19) keeps its bytes."""
    return value.isoformat().replace("+00:00", "Z")


# The writer for each exact built-in type; anything else goes through `_slow_value`.
_WRITE: dict[type, Any] = {
    str: _string,
    bool: lambda v: "true" if v else "false",
    int: int.__repr__,
    float: float.__repr__,
    date: date.isoformat,
    datetime: _datetime,
    time: time.isoformat,
    dict: _inline,
    list: _array,
}


def _value(value: Any, key: str = "") -> str:
    write = _WRITE.get(type(value))
    if write is not None:
        text: str = write(value)
        return text
    return _slow_value(value, key)


def _slow_value(value: Any, key: str = "") -> str:
    """A subclass of a built-in type (a str subclass, an IntEnum...): written as its base type is."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return _datetime(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return _inline(value)
    if isinstance(value, list):
        return _array(value)
    raise TypeError(f"cannot write {type(value).__name__} to TOML ({key})")


def _kind(key: str, value: Any) -> int:
    """0: a `key = value` line; 1: a [table]; 2: an [[array of tables]]."""
    if key in INLINE:
        return 0
    if isinstance(value, dict):
        return 1
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return 2
    return 0


def plain_tables(
    tables: list[Any], pair: Callable[[str, str], str], unsafe: re.Pattern[str], keys_too: bool
) -> str | None:
    """A list of small tables of strings written on one line, `[{pair(key, value), ...}, ...]`, when each
    table is an exact dict of exact str keys and values and nothing in their text matches `unsafe` (the
    values', and the keys' too with `keys_too`); None for anything else: the caller writes it the usual
    way. For TOML here (`_array`'s inline tables) and for JSON (model.plain_json_tables)."""
    written = []
    texts: list[str] = []
    for table in tables:
        if type(table) is not dict:
            return None
        pairs = []
        for key, value in table.items():
            if type(key) is not str or type(value) is not str:
                return None
            pairs.append(pair(key, value))
            if keys_too:
                texts.append(key)
            texts.append(value)
        written.append("{" + ", ".join(pairs) + "}")
    if unsafe.search("".join(texts)) is not None:
        return None
    return "[" + ", ".join(written) + "]"


def _toml_pair(key: str, value: str) -> str:
    return f'{_KEYS.get(key) or _key(key)} = "{value}"'


def _table_body(data: dict[str, Any], path: str, lines: list[str]) -> bool:
    """Appends `data`'s `key = value` lines, then its tables; whether it wrote any `key = value` line."""
    nested: list[tuple[int, str, Any]] = []
    append = lines.append
    keys = _KEYS
    plain = len(lines)
    for key, value in data.items():
        kind = type(value)
        # The common cases written here without a call per value (each the same as `_value` writes):
        # a string with no newline and nothing to escape, a whole number, a list of such strings.
        if kind is str:
            # (a newline is one of the pattern's characters: such text goes to `_string` without a scan)
            text = (
                f'"{value}"' if "\n" not in value and _NEEDS_ESCAPE.search(value) is None else _string(value)
            )
        elif kind is int:
            text = int.__repr__(value)
        elif kind is list and value and type(value[0]) is str:
            if len(value) == 1:  # (one tag, one reading's key: no pass over the list)
                text = f'["{value[0]}"]' if _NEEDS_ESCAPE.search(value[0]) is None else _array(value)
            elif all(type(v) is str for v in value) and _NEEDS_ESCAPE.search("".join(value)) is None:
                text = '["' + '", "'.join(value) + '"]'
            else:
                text = _array(value)
        elif kind is date:
            text = date.isoformat(value)
        elif kind is list and key in INLINE and value:
            text = plain_tables(value, _toml_pair, _NEEDS_ESCAPE, False) or _array(value)
        else:
            index = _kind(key, value)
            if index:
                nested.append((index, key, value))
                continue
            text = _value(value, key)
        append(f"{keys.get(key) or _key(key)} = {text}")
    plain = len(lines) > plain
    for index, key, value in nested:
        here = f"{path}.{_key(key)}" if path else _key(key)
        if index == 1:
            # The header goes first, and out again when the table wrote no `key = value` line of its own
            # (only tables: TOML needs no header for it) and is not empty: one pass over its values.
            at = len(lines)
            lines += ["", f"[{here}]"]
            if not _table_body(value, here, lines) and value:
                del lines[at : at + 2]
        else:
            for item in value:
                lines += ["", f"[[{here}]]"]
                _table_body(item, here, lines)
    return plain


# --- a book file straight from the book -------------------------------------------------------------------
# The fields a Book declares, in model's order (fields.BUILT_IN), each as book_to_dict leaves it out (None,
# [] and False) and as `_table_body` writes it. Used only while the table is model's own.
_FIELDS = (
    "title", "authors", "series", "status", "rating", "tags", "year", "isbn", "pages", "duration", "added",
    "why", "priority", "private",
)  # fmt: skip


def _line_text(key: str, value: Any) -> str | None:
    """`value` as `_table_body` writes it on a `key = ...` line; None for a value it writes as a table."""
    kind = type(value)
    if kind is str:
        return f'"{value}"' if "\n" not in value and _NEEDS_ESCAPE.search(value) is None else _string(value)
    if kind is int:
        return int.__repr__(value)
    if kind is list and value and type(value[0]) is str:
        if all(type(v) is str for v in value) and _NEEDS_ESCAPE.search("".join(value)) is None:
            return '["' + '", "'.join(value) + '"]'
        return _array(value)
    if kind is date:
        return date.isoformat(value)
    if kind is list and key in INLINE and value:
        return plain_tables(value, _toml_pair, _NEEDS_ESCAPE, False) or _array(value)
    if _kind(key, value):
        return None
    return _value(value, key)


def _one_series(table: dict[Any, Any]) -> str | None:
    """One series table, `{name, number}` of plain strings, as `plain_tables` writes it; None otherwise."""
    if table.keys() != _SERIES_KEYS or list(table) != ["name", "number"]:
        return None
    name, number = table["name"], table["number"]
    if type(name) is not str or type(number) is not str or _NEEDS_ESCAPE.search(name + number) is not None:
        return None
    return f'[{{name = "{name}", number = "{number}"}}]'


def book_text(book: Any) -> str | None:
    """`dumps(model.book_to_dict(book))` for a plain book, written straight from it, without the dict: the
    fields model declares (nothing registered from elsewhere), readings of dates alone (no rating, format,
    progress or pauses), a review with a body alone, reflections of text (and `private`), none of these
    with keys of its own (`extra`), and the book's `extra` (written the usual way) with no key the file's
    dict holds already. None for any other book: the caller writes it the usual way. (An import writes
    thousands of these: a Goodreads row's book always is one.)"""
    fields, (Book, Read, Review, Reflection), shapes = _MODEL or _model()
    held = book.__dict__
    own = _OWN_TABLE.get(fields.generation)
    if own is None:
        own = _OWN_TABLE[fields.generation] = fields.built_in_only()
    if type(book) is not Book or not own or held.keys() != shapes[0]:
        return None
    extra = book.extra
    if type(extra) is not dict:
        return None
    plain_extra: list[tuple[str, Any]] = []  # (keys of its own after the fields, as book_to_dict has them)
    if extra and (len(extra) != 1 or type(extra.get("source")) is not dict):  # (more than a source table)
        if not _FILE_KEYS.isdisjoint(extra):
            return None  # (a key book_to_dict's dict holds already: it would take that key's place)
        from readlog.model import is_table_like  # (book_to_dict's rule: plain values, then the tables)

        plain_extra = [
            (k, v) for k, v in extra.items() if not isinstance(v, dict | list) or not is_table_like(v)
        ]
        extra = {k: v for k, v in extra.items() if isinstance(v, dict | list) and is_table_like(v)}
    if book.quotes or book.next or book.read_next is not None:
        return None
    lines = ["schema = 2"]
    append = lines.append
    shown: dict[str, tuple[Any, str]] = {}  # each field written: its value and text (see _source_tables)
    for key in _FIELDS:  # (each a bare key)
        value = held[key]
        kind = type(value)
        text: str | None
        if kind is str:  # (as `_line_text` writes a string and a whole number, without the call)
            text = (
                f'"{value}"' if "\n" not in value and _NEEDS_ESCAPE.search(value) is None else _string(value)
            )
        elif kind is int:
            text = int.__repr__(value)
        elif kind is list and len(value) == 1 and type(value[0]) is str:  # (one name, as `_line_text`)
            one = value[0]
            text = f'["{one}"]' if _NEEDS_ESCAPE.search(one) is None else _array(value)
        elif kind is list and len(value) == 1 and type(value[0]) is dict and key in INLINE:
            text = _one_series(value[0]) or _line_text(key, value)
        elif value is None or value is False or value == []:  # (what book_to_dict leaves out)
            continue
        else:
            text = _line_text(key, value)
        if text is None:
            return None
        shown[key] = (value, text)
        append(f"{key} = {text}")
    for key, value in plain_extra:
        text = _line_text(key, value)
        if text is None:  # pragma: no cover - a plain value is never a table (see is_table_like)
            return None
        append(f"{_key(key)} = {text}")
    for read in book.reads:
        if type(read) is not Read:
            return None
        if read.__dict__.keys() != shapes[1] or read.progress or read.pauses or read.extra:
            return None
        if read.rating is not None or read.format is not None:
            return None
        append("")
        append("[[reads]]")
        for key in _READ_DATES:  # (in Read's order, as book_to_dict's dict has them; None and [] left out)
            value = getattr(read, key)
            if value is not None and value != []:
                written = _line_text(key, value)
                if written is None:
                    return None
                append(f"{key} = {written}")
    review = book.review
    if review is not None:
        if type(review) is not Review or review.__dict__.keys() != shapes[2] or review.extra:
            return None
        if review.headline is not None or review.written is not None or review.private is not False:
            return None
        body = review.body
        if body is not None and body != []:
            written = _line_text("body", body)
            if written is None:
                return None
            lines += ["", "[review]", f"body = {written}"]
    for reflection in book.reflections:
        if type(reflection) is not Reflection or reflection.__dict__.keys() != shapes[3] or reflection.extra:
            return None
        if reflection.date is not None or reflection.title is not None or reflection.location is not None:
            return None
        append("")
        append("[[reflections]]")
        text, private = reflection.text, reflection.private
        if text is not None and text != []:
            written = _line_text("text", text)
            if written is None:
                return None
            append(f"text = {written}")
        if private is not False:
            if type(private) is not bool:
                return None
            append("private = true")
    if extra and (len(extra) != 1 or not _source_tables(extra.get("source"), lines, shown)):
        _table_body(extra, "", lines)
    return "\n".join(lines) + "\n"


def _source_tables(tables: Any, lines: list[str], shown: dict[str, tuple[Any, str]]) -> bool:
    """Appends what `_table_body({"source": tables}, "", lines)` appends, for the shape an import gives a
    book: `[source.<name>]` tables of strings (an export's columns), each with tables of its own after them
    (the record of what the import brought, importers.merge.PROVENANCE) whose values are the book's own
    more often than not: a value that is the very one a field's line was written from (`shown`) takes that
    line's text, not written twice. False, with nothing appended, for any other shape: the caller writes
    it the usual way."""
    if type(tables) is not dict or not tables:
        return False
    start = len(lines)
    for name, table in tables.items():
        if type(name) is not str or type(table) is not dict or name in INLINE:
            del lines[start:]
            return False
        here = "source." + (_KEYS.get(name) or _key(name))
        plain: list[tuple[str, str]] = []
        nested: list[tuple[str, dict[Any, Any]]] = []
        for key, value in table.items():
            kind = type(value)
            if type(key) is not str:
                del lines[start:]
                return False
            if kind is str:
                plain.append((key, value))
            elif kind is dict and value and key not in INLINE:
                nested.append((key, value))
            else:  # (a number, a list, an empty table...: the usual way)
                del lines[start:]
                return False
        if plain or not table:  # (a table of tables alone needs no header of its own: `_table_body`)
            lines += ["", f"[{here}]"]
        if plain:
            _plain_strings(plain, lines)
        for key, value in nested:
            lines += ["", f"[{here}.{_KEYS.get(key) or _key(key)}]"]
            if not _shown_lines(value, lines, shown):
                del lines[start:]
                return False
    return True


def _plain_strings(pairs: list[tuple[str, str]], lines: list[str]) -> None:
    """`key = "value"` lines of strings, as `_table_body` writes each: one scan for all when none has
    anything to escape (an export's columns, as a rule)."""
    keys = _KEYS
    if _NEEDS_ESCAPE.search("".join([value for _, value in pairs])) is None:
        lines += [f'{keys.get(key) or _key(key)} = "{value}"' for key, value in pairs]
    else:
        lines += [f"{keys.get(key) or _key(key)} = {_line_text(key, value)}" for key, value in pairs]


def _shown_lines(table: dict[Any, Any], lines: list[str], shown: dict[str, tuple[Any, str]]) -> bool:
    """A table of `key = value` lines alone, as `_table_body` writes it, a value that is one of `shown`'s
    (or a list of strings equal to one) in its text; False for a value it would write as a table."""
    append = lines.append
    for key, value in table.items():
        seen = shown.get(key)
        if seen is not None and (
            seen[0] is value
            or (type(value) is list and value == seen[0] and _strings(value) and _strings(seen[0]))
        ):
            text: str | None = seen[1]
        else:
            text = _line_text(key, value) if type(key) is str else None
            if text is None:
                return False
        append(f"{_KEYS.get(key) or _key(key)} = {text}")
    return True


def _strings(values: list[Any]) -> bool:
    for value in values:  # noqa: SIM110 (a loop, not all() over a generator)
        if type(value) is not str:
            return False
    return True


# The keys of the dict book_to_dict makes besides `extra`'s: `schema`, the fields, the tables.
_FILE_KEYS = frozenset(("schema", *_FIELDS, "reads", "review", "reflections", "quotes", "next", "read_next"))
_SERIES_KEYS = frozenset(("name", "number"))
_READ_DATES = ("started", "finished", "stopped")  # (a reading's keys book_text writes, in Read's order)
_OWN_TABLE: dict[int, bool] = {}  # fields.generation -> whether the table is model's own
_MODEL: Any = None  # (see _model)


def _model() -> Any:
    """readlog.fields, the classes of a book file's parts (Book, Read, Review, Reflection) and their
    attribute names as each dataclass declares them: imported on first use (this module is imported
    without them), kept for every book after."""
    global _MODEL
    from readlog import fields
    from readlog.model import Book, Read, Reflection, Review

    kinds = (Book, Read, Review, Reflection)
    _MODEL = (fields, kinds, tuple(frozenset(kind.__dataclass_fields__) for kind in kinds))
    return _MODEL
