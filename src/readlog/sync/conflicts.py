"""What a merge could not settle, kept in the book file until the reader does:

    [[conflicts]]
    field = "rating"
    ours = 4          # the value in place (this device's)
    theirs = 3.5      # the other device's value
    when = 2026-11-27T20:31:05Z

`ours` or `theirs` is absent where that side had no value. `readlog resolve BOOK [FIELD] --ours|--theirs`
keeps the value in place or puts the other one there, and removes the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from readlog.errors import ReadlogError
from readlog.sync.merge import MISSING, Conflict

if TYPE_CHECKING:
    from readlog.journal import Journal
    from readlog.model import Book, Entry

KEY = "conflicts"


@dataclass
class Recorded:
    field: str
    ours: Any  # MISSING when absent
    theirs: Any
    when: Any


def record(data: dict[str, Any], conflicts: list[Conflict], when: datetime) -> dict[str, Any]:
    """`data` with a `[[conflicts]]` table for each conflict not already recorded."""
    existing = (
        [c for c in data.get(KEY, []) if isinstance(c, dict)] if isinstance(data.get(KEY), list) else []
    )
    added = []
    for conflict in conflicts:
        if conflict.field == KEY or conflict.field.startswith(f"{KEY}["):
            continue
        table: dict[str, Any] = {"field": conflict.field}
        if conflict.ours is not MISSING:
            table["ours"] = conflict.ours
        if conflict.theirs is not MISSING:
            table["theirs"] = conflict.theirs
        same = [c for c in existing if {k: v for k, v in c.items() if k != "when"} == table]
        if not same:
            added.append({**table, "when": when})
    if not added:
        return data
    out = {k: v for k, v in data.items() if k != KEY}
    out[KEY] = [*existing, *added] if isinstance(data.get(KEY), list) else added
    return out


def pending(book: Book) -> list[Recorded]:
    """The conflicts recorded in a book (read from its unknown keys, where the model keeps them)."""
    value = book.extra.get(KEY)
    if not isinstance(value, list):
        return []
    return [
        Recorded(str(c.get("field", "?")), c.get("ours", MISSING), c.get("theirs", MISSING), c.get("when"))
        for c in value
        if isinstance(c, dict)
    ]


def show_value(value: Any, width: int = 60) -> str:
    """A recorded value in one short line."""
    if value is MISSING:
        return "(none)"
    if isinstance(value, str):
        line = " ".join(value.split())
        return repr(line if len(line) <= width else line[: width - 3] + "...")
    return str(value)


def problems_in(book: Book, slug: str, text: str) -> list[tuple[str, int | None]]:
    """For `readlog check`: (message, line) for each recorded conflict."""
    from readlog.bookfile import locate

    return [
        (
            f"both devices changed {c.field} (here {show_value(c.ours, 30)}, "
            f"other {show_value(c.theirs, 30)}): `readlog resolve {slug} {c.field} --ours|--theirs`",
            locate(text, f"{KEY}[{number}]"),
        )
        for number, c in enumerate(pending(book), 1)
    ]


# --- resolve ---------------------------------------------------------------------------------------------
_PART = re.compile(r"(?P<key>[^.\[\]]+)(?:\[(?P<index>\d+)\])?")


def resolve(journal: Journal, entry: Entry, field: str | None, side: str) -> tuple[Entry, list[str]]:
    """Settle the book's conflicts (all, or those on `field`) for `side` ("ours" or "theirs")."""
    from readlog.model import book_from_dict, book_to_dict

    if side not in ("ours", "theirs"):
        raise ReadlogError("choose a side: --ours (keep the value in place) or --theirs (take the other)")
    recorded = pending(entry.book)
    chosen = [c for c in recorded if field is None or _within(c.field, field)]
    if not recorded:
        raise ReadlogError(f"“{entry.book.title}” has no conflicts to resolve")
    if not chosen:
        fields = ", ".join(dict.fromkeys(c.field for c in recorded))
        raise ReadlogError(f"“{entry.book.title}” has no conflict on {field!r}; it has: {fields}")

    def change(book: Book) -> None:
        data = book_to_dict(book)
        if side == "theirs":
            for conflict in chosen:
                _set(data, conflict.field, conflict.ours, conflict.theirs)
        table = [c for c in data.get(KEY, []) if not _is_chosen(c, chosen)]
        data.pop(KEY, None)
        if table:
            data[KEY] = table
        new = book_from_dict(data)
        book.__dict__.update(new.__dict__)

    return journal.modify(entry.slug, change), [c.field for c in chosen]


def _within(path: str, field: str) -> bool:
    """`reflections` names `reflections[1].text`; `review` names `review.body`."""
    return path == field or path.startswith((f"{field}.", f"{field}["))


def _is_chosen(table: Any, chosen: list[Recorded]) -> bool:
    return isinstance(table, dict) and any(
        table.get("field") == c.field
        and table.get("ours", MISSING) == c.ours
        and table.get("theirs", MISSING) == c.theirs
        for c in chosen
    )


def _set(data: dict[str, Any], path: str, ours: Any, theirs: Any) -> None:
    """Put `theirs` where `path` points. An array item is found by position, or else by holding `ours`."""
    parts = path.split(".")
    target: Any = data
    for number, part in enumerate(parts):
        match = _PART.fullmatch(part)
        if match is None or not isinstance(target, dict):
            raise ReadlogError(f"cannot find {path!r} in the book any more; edit it by hand")
        key, index = match["key"], match["index"]
        last = number == len(parts) - 1
        if index is None:
            if last:
                if theirs is MISSING:
                    target.pop(key, None)
                else:
                    target[key] = theirs
                return
            target = target.setdefault(key, {})
            continue
        items = target.get(key)
        if not isinstance(items, list):
            raise ReadlogError(f"cannot find {path!r} in the book any more; edit it by hand")
        rest = ".".join(parts[number + 1 :])
        position = int(index) - 1
        if not (0 <= position < len(items) and _holds(items[position], rest, ours)):
            found = [i for i, item in enumerate(items) if _holds(item, rest, ours)]
            if not found:
                raise ReadlogError(f"cannot find {path!r} in the book any more; edit it by hand")
            position = found[0]
        _set(items[position], rest, ours, theirs) if rest else items.__setitem__(position, theirs)
        return


def _holds(item: Any, path: str, value: Any) -> bool:
    for part in path.split(".") if path else []:
        if not isinstance(item, dict):
            return False
        item = item.get(part, MISSING)
    return item == value or (item is MISSING and value is MISSING)


# --- goals.toml: the same record, the same check, the same resolve -------------------------------------
GOALS = "goals"  # what `readlog resolve goals [YEAR] --ours|--theirs` names


def goals_pending(journal: Journal) -> list[Recorded]:
    """The conflicts a merge recorded in goals.toml (none when it is missing or does not parse: `check`
    reports a broken goals.toml on its own)."""
    data = _goals_data(journal)
    value = data.get(KEY) if data is not None else None
    if not isinstance(value, list):
        return []
    return [
        Recorded(str(c.get("field", "?")), c.get("ours", MISSING), c.get("theirs", MISSING), c.get("when"))
        for c in value
        if isinstance(c, dict)
    ]


def goals_problems(journal: Journal) -> list[str]:
    """For `readlog check` and `sync`: one line per recorded goals conflict."""
    return [
        f"both devices changed {c.field} (here {show_value(c.ours, 30)}, other {show_value(c.theirs, 30)}): "
        f"`readlog resolve {GOALS} {c.field.removeprefix('goals.')} --ours|--theirs`"
        for c in goals_pending(journal)
    ]


def resolve_goals(journal: Journal, field: str | None, side: str) -> list[str]:
    """Settle goals.toml's conflicts (all, or one year's: `2026` or `goals.2026`) for `side`."""
    from readlog.bookfile import update_data
    from readlog.journal import atomic_write
    from readlog.stats import GOALS_FILE, read_goals

    if side not in ("ours", "theirs"):
        raise ReadlogError("choose a side: --ours (keep the value in place) or --theirs (take the other)")
    wanted = None if field is None else (field if field.startswith(f"{GOALS}.") else f"{GOALS}.{field}")
    path = journal.root / GOALS_FILE
    with journal.locked():
        recorded = goals_pending(journal)
        if not recorded:
            raise ReadlogError(f"{path.name} has no conflicts to resolve")
        chosen = [c for c in recorded if wanted is None or _within(c.field, wanted)]
        if not chosen:
            fields = ", ".join(dict.fromkeys(c.field for c in recorded))
            raise ReadlogError(f"{path.name} has no conflict on {field!r}; it has: {fields}")
        data = _goals_data(journal)
        assert data is not None
        if side == "theirs":
            for conflict in chosen:
                _set(data, conflict.field, conflict.ours, conflict.theirs)
        table = [c for c in data.get(KEY, []) if not _is_chosen(c, chosen)]
        data.pop(KEY, None)
        if table:
            data[KEY] = table
        text = update_data(path.read_text(encoding="utf-8"), data)
        atomic_write(path, text)
        try:
            read_goals(journal.root)
        except ReadlogError as error:  # pragma: no cover - a value that was a goal stays one
            raise ReadlogError(f"{path.name} resolved, but it needs a look: {error}") from None
    return [c.field for c in chosen]


def _goals_data(journal: Journal) -> dict[str, Any] | None:
    import tomllib

    from readlog.journal import read_regular
    from readlog.stats import GOALS_FILE

    try:
        return tomllib.loads(read_regular(journal.root / GOALS_FILE).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
