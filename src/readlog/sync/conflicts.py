"""What a merge could not settle, kept in the book file until the reader does:

    [[conflicts]]
    field = "rating"
    ours = 4          # the value in place, as the device that merged had it
    theirs = 3.5      # the other side's value
    ours_device = "laptop"   # which device wrote each side (see sync/device.py)
    theirs_device = "phone"
    when = 2026-11-27T20:31:05Z

`ours` or `theirs` is absent where that side had no value; a device is absent where it is not known. The
record travels as it is: on the device that wrote `theirs`, "here" is `theirs` (`perspective`).
`readlog resolve BOOK [FIELD] --ours|--theirs` keeps this device's value or takes the other device's, and
removes the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from readlog.errors import ReadlogError
from readlog.sync.merge import ENDINGS, MISSING, Conflict, Merged

if TYPE_CHECKING:
    from readlog.journal import Journal
    from readlog.model import Book, Entry

KEY = "conflicts"


def resolve_command(book: str, field: str | None) -> str:
    """The `readlog resolve` a reader is told to run, as a shell takes it: the book and the field quoted
    where a shell would read them otherwise (`'reflections[1].text'`: zsh's `nomatch` stops a bracket as a
    glob that matches nothing); no field (None), `FIELD`, for the reader to fill in."""
    which = shell_word(field) if field is not None else "FIELD"
    return f"readlog resolve {shell_word(book)} {which} --ours|--theirs"


def shell_word(text: str) -> str:
    """`text` as one word a shell takes back exactly, printable: shlex.quote's where it holds no control
    character; else ANSI-C quoted, `$'tab\\tkey'` (bash, zsh, ksh, POSIX sh since 2024), each control
    character escaped (`\\t`, `\\x1b`; an undecodable byte, which Python keeps as a surrogate, as that byte),
    never sent to the terminal: a tab shown as a space was another key (review 30e F6 (b))."""
    from readlog.sync.quick import shell_quote

    if not any(_control(character) for character in text):
        return shell_quote(text)
    return "$'" + "".join(_ansi_c(character) for character in text) + "'"


def named(text: str) -> str:
    """`text` (a field, a path) as a line names it: as it is, or, holding a control character (a tab),
    as `shell_word` quotes it for the command beside it (`$'a\\tb'`): a tab shown as a space named another
    key (try-out 31c #7)."""
    return shell_word(text) if any(_control(character) for character in text) else text


def _control(character: str) -> bool:
    """A character readlog.text.visible shows otherwise: C0, DEL, C1, a surrogate."""
    code = ord(character)
    return code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code < 0xE000


_ANSI_C = {"\\": "\\\\", "'": "\\'", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _ansi_c(character: str) -> str:
    if character in _ANSI_C:
        return _ANSI_C[character]
    if not _control(character):
        return character
    code = ord(character)
    if 0xDC80 <= code < 0xDD00:  # (an undecodable byte: the byte itself)
        return f"\\x{code - 0xDC00:02x}"
    # (its UTF-8 bytes: bash takes `\u0085` in a UTF-8 locale only; another surrogate: U+FFFD's)
    data = character.encode("utf-8") if code < 0xD800 else "\ufffd".encode()
    return "".join(f"\\x{byte:02x}" for byte in data)


_LABELS = frozenset({"when", "ours_device", "theirs_device"})  # about a conflict, not its values


@dataclass
class Recorded:
    field: str
    ours: Any  # MISSING when absent
    theirs: Any
    when: Any
    ours_device: str | None = None
    theirs_device: str | None = None


@dataclass
class Sides:
    """A conflict as this device sees it."""

    here: Any
    other: Any
    other_device: str | None
    swapped: bool  # this device wrote the recorded `theirs` (the value in place is the other device's)


def perspective(conflict: Recorded, me: str | None) -> Sides:
    """ "here" is this device: the recorded `theirs` when this device wrote it (the other device merged
    and recorded it; this one took the merge as it was), else the recorded `ours`."""
    swapped = (
        me is not None
        and conflict.ours_device is not None
        and conflict.ours_device != me
        and conflict.theirs_device in (None, me)
    )
    if swapped:
        return Sides(conflict.theirs, conflict.ours, conflict.ours_device, True)
    return Sides(conflict.ours, conflict.theirs, conflict.theirs_device, False)


def in_place(sides: Sides) -> str:
    """Which side's value is the one in place (the one `show`'s header, `stats` and the site use until the
    conflict is resolved), in words: on the device that merged, its own; on the other, which took the merge
    as it was, the merging device's. One file travels to both devices, so one value is in place on both."""
    return "the other device's is in place" if sides.swapped else "this device's is in place"


def record(
    data: dict[str, Any],
    conflicts: list[Conflict],
    when: datetime,
    devices: tuple[str | None, str | None] = (None, None),
) -> dict[str, Any]:
    """`data` with a `[[conflicts]]` table for each conflict not already recorded; `devices` are the
    names of the devices that wrote ours and theirs, where known."""
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
        same = [c for c in existing if {k: v for k, v in c.items() if k not in _LABELS} == table]
        if not same:
            sides = zip(("ours", "theirs"), devices, strict=True)
            named = {f"{side}_device": name for side, name in sides if name}
            added.append({**table, **named, "when": when})
    if not added:
        return data
    out = {k: v for k, v in data.items() if k != KEY}
    out[KEY] = [*existing, *added] if isinstance(data.get(KEY), list) else added
    return out


def answered_apart(
    base: dict[str, Any] | None, ours: dict[str, Any], theirs: dict[str, Any], merged: Merged
) -> None:
    """A conflict the common version recorded, answered one way on one device (its record gone, the value
    in place kept: `resolve --ours` where that value is this device's) and another way on the other (the
    field changed: `resolve` the other way, or a new value since): two answers to one question. The field
    merge alone takes the change, and the kept answer is lost without a word (try-out 33b #16): it is a
    conflict again, ours in place, as any the merge records, for the reader to answer once more on either
    device. Both answers the same, or the question left open on one side: no conflict."""
    if base is None or not isinstance(base.get(KEY), list):
        return
    already = {c.field for c in merged.conflicts}
    for table in base[KEY]:
        field = table.get("field") if isinstance(table, dict) else None
        if not isinstance(field, str) or field in already:
            continue
        was, here, there = _at(base, field), _at(ours, field), _at(theirs, field)
        kept_here = here == was != there and not _holds_table(ours, table)
        kept_there = there == was != here and not _holds_table(theirs, table)
        if not (kept_here or kept_there):
            continue
        if kept_here:  # (the merge took the other device's change: this device's answer back in place)
            try:
                _set(merged.data, field, there, here)
            except ReadlogError:
                continue  # (the item is gone: nothing is in place to answer for)
        merged.conflicts.append(Conflict(field, here, there))
        already.add(field)


def _holds_table(data: dict[str, Any], table: dict[str, Any]) -> bool:
    """Whether `data` still records the conflict `table` (the question still open on that side)."""
    recorded = data.get(KEY)
    return isinstance(recorded, list) and table in recorded


def pending(book: Book) -> list[Recorded]:
    """The conflicts recorded in a book (read from its unknown keys, where the model keeps them)."""
    return _recorded(book.extra.get(KEY))


def _recorded(value: Any) -> list[Recorded]:
    """A `[[conflicts]]` list as stored (in a book or goals.toml); entries not tables are skipped."""
    if not isinstance(value, list):
        return []
    return [
        Recorded(
            str(c.get("field", "?")),
            c.get("ours", MISSING),
            c.get("theirs", MISSING),
            c.get("when"),
            _name(c.get("ours_device")),
            _name(c.get("theirs_device")),
        )
        for c in value
        if isinstance(c, dict)
    ]


def _name(value: Any) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def show_value(value: Any, width: int = 60) -> str:
    """A recorded value in one short line."""
    if value is MISSING:
        return "(none)"
    if isinstance(value, str):
        line = " ".join(value.split())
        return repr(line if len(line) <= width else line[: width - 3] + "...")
    return str(value)


def show_sides(here: Any, other: Any, width: int = 60) -> tuple[str, str, str]:
    """Two recorded values, each in one short line, cut where they differ rather than where they begin:
    (where, here, other). Two texts of several lines (a review) show the first line that differs on
    each side, `where` naming it (`line 5`, `lines 5-7`: where the sides differ, by this device's
    lines); a long line shows an excerpt around its first difference. Else as `show_value`, `where` ""."""
    if not (isinstance(here, str) and isinstance(other, str)) or here == other:
        return "", show_value(here, width), show_value(other, width)
    mine, theirs = here.splitlines(), other.splitlines()
    where = ""
    if len(mine) > 1 or len(theirs) > 1:
        same = [a.strip() == b.strip() for a, b in zip(mine, theirs, strict=False)]
        first = same.index(False) if False in same else min(len(mine), len(theirs))
        tail = 0
        while (
            tail < min(len(mine), len(theirs)) - first
            and mine[len(mine) - 1 - tail].strip() == theirs[len(theirs) - 1 - tail].strip()
        ):
            tail += 1
        last = max(len(mine), len(theirs)) - tail  # (one past the last line that differs, on the longer)
        # the first line with words in each side's differing lines (a blank line between paragraphs says
        # nothing); only spacing differs when neither has one
        mine_line = next((line for line in mine[first : len(mine) - tail] if line.strip()), None)
        theirs_line = next((line for line in theirs[first : len(theirs) - tail] if line.strip()), None)
        if mine_line is None and theirs_line is None:
            return "spacing only", show_value(here, width), show_value(other, width)
        where = f"line {first + 1}" if last - first <= 1 else f"lines {first + 1}-{last}"
        if mine_line is None or theirs_line is None:
            return where, _excerpt(mine_line, 0, width), _excerpt(theirs_line, 0, width)
        here, other = mine_line, theirs_line
    a, b = " ".join(here.split()), " ".join(other.split())
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    return where, _excerpt(a, common, width), _excerpt(b, common, width)


def _excerpt(line: str | None, at: int, width: int) -> str:
    """`line` in at most `width` characters, around position `at` (where it differs from the other side):
    a third of the width before it, "..." where it is cut."""
    if line is None:
        return "(nothing)"
    line = " ".join(line.split())
    if len(line) <= width:
        return repr(line)
    start = 0 if at <= width // 3 else min(at - width // 3, len(line) - width + 3)
    head = "..." if start else ""
    room = width - len(head)
    body = line[start : start + room]
    if start + room < len(line):
        body = body[: room - 3] + "..."
    return repr(head + body)


def problems_in(book: Book, slug: str, text: str, me: str | None = None) -> list[tuple[str, int | None]]:
    """For `readlog check`: (message, line) for each recorded conflict; `me` is this device's name."""
    from readlog.bookfile import locate

    recorded = pending(book)
    endings = with_status(recorded)
    out = []
    for number, c in enumerate(recorded, 1):
        if c in endings:
            continue
        sides = perspective(c, me)
        other = f"other ({sides.other_device})" if sides.other_device else "other"
        where, here, there = show_sides(sides.here, sides.other, 40)
        at = f" {where}" if where else ""
        if c.field == "status" and endings:
            here, there = with_ending(here, there, endings, me)
        out.append(
            (
                f"both devices changed {named(c.field)}{at} (here {here}, {other} {there}; "
                f"{in_place(sides)}): "
                f"`{resolve_command(slug, c.field)}`",
                locate(text, f"{KEY}[{number}]"),
            )
        )
    return out


def with_status(recorded: list[Recorded]) -> list[Recorded]:
    """The conflicts on a reading's ending that go with a status conflict recorded beside them (`_outcome`):
    named with the status, one choice for the reader (none when no status conflict is recorded)."""
    if not any(c.field == "status" for c in recorded):
        return []
    return [c for c in recorded if _outcome(c) and c.field != "status"]


def fields_named(recorded: list[Recorded]) -> list[str]:
    """The fields a reader settles, each once, as a line names them: a reading's ending with the status."""
    endings = with_status(recorded)
    readings = ", ".join(dict.fromkeys(named(c.field.rpartition(".")[0]) for c in endings))
    return list(
        dict.fromkeys(
            f"status (and how {readings} ended)" if c.field == "status" and endings else named(c.field)
            for c in recorded
            if c not in endings
        )
    )


def with_ending(here: str, there: str, endings: list[Recorded], me: str | None) -> tuple[str, str]:
    """The two statuses with each side's ending of the reading: `'abandoned', reads[2] stopped 2026-12-07`."""
    for c in endings:
        sides = perspective(c, me)
        reading, _, key = c.field.rpartition(".")
        if sides.here is not MISSING:
            here += f" with {reading} {key} {show_value(sides.here)}"
        if sides.other is not MISSING:
            there += f" with {reading} {key} {show_value(sides.other)}"
    return here, there


# --- resolve ---------------------------------------------------------------------------------------------
_PART = re.compile(r"(?P<key>[^.\[\]]+)(?:\[(?P<index>\d+)\])?")


def resolve(
    journal: Journal, entry: Entry, field: str | None, side: str, me: str | None = None
) -> tuple[Entry, list[str]]:
    """Settle the book's conflicts (all, or those on `field`) for `side`: "ours" keeps this device's
    value (`me` names this device), "theirs" takes the other device's."""
    from readlog.model import book_from_dict, book_to_dict

    if side not in ("ours", "theirs"):
        raise ReadlogError("choose a side: --ours (this device's value) or --theirs (the other device's)")
    recorded = pending(entry.book)
    chosen = [c for c in recorded if field is None or _within(c.field, field)]
    if any(_outcome(c) for c in chosen):  # the status and how the reading ended: one choice
        chosen += [c for c in recorded if _outcome(c) and c not in chosen]
    if not recorded:
        raise ReadlogError(f"“{entry.book.title}” has no conflicts to resolve")
    if not chosen:
        fields = ", ".join(dict.fromkeys(shell_word(c.field) for c in recorded))  # (as typed)
        raise ReadlogError(f"“{entry.book.title}” has no conflict on {field!r}; it has: {fields}")

    def change(book: Book) -> None:
        data = book_to_dict(book)
        for conflict in chosen:
            # the value in place is the recorded `ours`; it changes when the side wanted is the other
            if (side == "theirs") != perspective(conflict, me).swapped:
                _set(data, conflict.field, conflict.ours, conflict.theirs)
        table = [c for c in data.get(KEY, []) if not _is_chosen(c, chosen)]
        data.pop(KEY, None)
        if table:
            data[KEY] = table
        new = book_from_dict(data)
        book.__dict__.update(new.__dict__)

    return journal.modify(entry.slug, change), [c.field for c in chosen]


def _outcome(conflict: Recorded) -> bool:
    """A conflict on how a book came out: its status, or the ending a merge kept apart (a reading given up
    on one device, finished on the other: sync.merge `_one_ending`). Settled together, for one side: a
    status `read` with the reading given up (or `abandoned` with it finished) counted a DNF as read."""
    if conflict.field == "status":
        return True
    reading, _, key = conflict.field.rpartition(".")
    return (
        key in ENDINGS
        and reading.startswith("reads[")
        and "." not in reading
        and (conflict.ours is MISSING or conflict.theirs is MISSING)
    )


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
                    target[key] = _keeping_edits(target.get(key, MISSING), ours, theirs)
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


def _keeping_edits(current: Any, ours: Any, theirs: Any) -> Any:
    """`theirs` for a value now `current`: a text edited since the conflict was recorded (`ours` then)
    keeps those edits where they are clear of the lines in conflict (a line merge); else `theirs`."""
    if not (isinstance(current, str) and isinstance(ours, str) and isinstance(theirs, str)):
        return theirs
    if current == ours:
        return theirs
    from readlog.sync.merge import merge_text

    merged = merge_text(ours, current, theirs)
    return theirs if merged is None else merged


def _holds(item: Any, path: str, value: Any) -> bool:
    for part in path.split(".") if path else []:
        if not isinstance(item, dict):
            return False
        item = item.get(part, MISSING)
    return item == value or (item is MISSING and value is MISSING)


def from_json(value: Any, data: dict[str, Any]) -> Any:
    """A book's `[[conflicts]]` as a JSON backup gives them back (importers.jsonfile): JSON has no dates, so
    a `when` that was a TOML datetime is one again, and `ours` and `theirs` are typed as the value in place
    at `field` in `data` (the book as book_from_dict typed it) is: a day's ISO text is a date again where
    that value is one, in a table or a list too (try-out 33b #19: the backup restored, byte for byte).
    Anything else is left as it is."""
    if not isinstance(value, list):
        return value
    out = []
    for table in value:
        if isinstance(table, dict):
            table = dict(table)
            when = table.get("when")
            if isinstance(when, str) and len(when) >= 19 and when[10:11] == "T":
                table["when"] = _typed(when, datetime.min)
            field = str(table.get("field", ""))
            like = _at(data, field)
            if like is MISSING:  # (t33h's ending conflicts: `reads[2].stopped` with the finish in place)
                like = _own_type(field)
            for side in ("ours", "theirs"):
                if side in table:
                    table[side] = _typed(table[side], like)
        out.append(table)
    return out


def _at(data: Any, path: str) -> Any:
    """The value at a conflict's `field` (`reads[1].finished`: items counted from 1), MISSING if none."""
    for part in path.split("."):
        match = _PART.fullmatch(part)
        if match is None or not isinstance(data, dict) or match["key"] not in data:
            return MISSING
        data = data[match["key"]]
        if match["index"] is not None:
            position = int(match["index"]) - 1
            if not isinstance(data, list) or not 0 <= position < len(data):
                return MISSING
            data = data[position]
    return data


_READ_DATES = ("started", "finished", "stopped")  # a reading's days: dates wherever they are


def _own_type(field: str) -> Any:
    """A value typed as `field`'s own type is, for a side of a conflict with nothing in place at its field
    (review 33a #10): a reading's day is a date (`reads[2].stopped`), and so is each in a reading's table or
    in the list of them (`reads[2]`, `reads`); MISSING for anything else (left as JSON gave it)."""
    from datetime import date

    match = _PART.fullmatch(field.rsplit(".", 1)[-1])
    if match is None:
        return MISSING
    if match["key"] in _READ_DATES:
        return date.min
    if match["key"] == "reads":
        read = dict.fromkeys(_READ_DATES, date.min)
        return read if match["index"] is not None else [read]
    return MISSING


def _typed(value: Any, like: Any) -> Any:
    """`value`, JSON's, as `like` (a TOML value) is typed: ISO text a date or a datetime where it is one."""
    from datetime import date

    if isinstance(value, str) and isinstance(like, date):
        try:
            if isinstance(like, datetime):
                return datetime.fromisoformat(value)
            return date.fromisoformat(value) if len(value) == 10 else value
        except ValueError:
            return value
    if isinstance(value, list) and isinstance(like, list) and like:
        return [_typed(item, like[min(n, len(like) - 1)]) for n, item in enumerate(value)]
    if isinstance(value, dict) and isinstance(like, dict):
        return {key: _typed(item, like.get(key, _own_type(key))) for key, item in value.items()}
    return value


# --- goals.toml: the same record, the same check, the same resolve -------------------------------------
GOALS = "goals"  # what `readlog resolve goals [YEAR] --ours|--theirs` names


def goals_pending(journal: Journal) -> list[Recorded]:
    """The conflicts a merge recorded in goals.toml (none when it is missing or does not parse: `check`
    reports a broken goals.toml on its own)."""
    data = _goals_data(journal)
    return _recorded(data.get(KEY) if data is not None else None)


def goals_problems(journal: Journal, me: str | None = None) -> list[str]:
    """For `readlog check` and `sync`: one line per recorded goals conflict, seen from this device (`me`)."""
    out = []
    for c in goals_pending(journal):
        sides = perspective(c, me)
        other = f"other ({sides.other_device})" if sides.other_device else "other"
        _, here, there = show_sides(sides.here, sides.other, 30)
        out.append(
            f"both devices changed {named(c.field)} (here {here}, {other} {there}; {in_place(sides)}): "
            f"`{resolve_command(GOALS, c.field.removeprefix('goals.'))}`"
        )
    return out


def resolve_goals(journal: Journal, field: str | None, side: str, me: str | None = None) -> list[str]:
    """Settle goals.toml's conflicts (all, or one year's: `2026` or `goals.2026`) for `side`."""
    from readlog.bookfile import update_data
    from readlog.files import atomic_write
    from readlog.goals import GOALS_FILE

    if side not in ("ours", "theirs"):
        raise ReadlogError("choose a side: --ours (this device's value) or --theirs (the other device's)")
    wanted = None if field is None else (field if field.startswith(f"{GOALS}.") else f"{GOALS}.{field}")
    path = journal.root / GOALS_FILE
    with journal.locked():
        recorded = goals_pending(journal)
        if not recorded:
            raise ReadlogError(f"{path.name} has no conflicts to resolve")
        chosen = [c for c in recorded if wanted is None or _within(c.field, wanted)]
        if not chosen:
            fields = ", ".join(dict.fromkeys(shell_word(c.field) for c in recorded))
            raise ReadlogError(f"{path.name} has no conflict on {field!r}; it has: {fields}")
        data = _goals_data(journal)
        assert data is not None
        for conflict in chosen:  # as for a book: the value in place changes when the other side is wanted
            if (side == "theirs") != perspective(conflict, me).swapped:
                _set(data, conflict.field, conflict.ours, conflict.theirs)
        table = [c for c in data.get(KEY, []) if not _is_chosen(c, chosen)]
        data.pop(KEY, None)
        if table:
            data[KEY] = table
        text = update_data(path.read_text(encoding="utf-8"), data)
        atomic_write(path, text)
        try:
            journal.goals()
        except ReadlogError as error:  # pragma: no cover - a value that was a goal stays one
            raise ReadlogError(f"{path.name} resolved, but it needs a look: {error}") from None
    return [c.field for c in chosen]


def _goals_data(journal: Journal) -> dict[str, Any] | None:
    import tomllib

    from readlog.files import read_regular
    from readlog.goals import GOALS_FILE

    try:
        return tomllib.loads(read_regular(journal.root / GOALS_FILE).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
