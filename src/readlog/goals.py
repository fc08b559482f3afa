"""Yearly reading goals: `<data dir>/goals.toml`, a file of the reader's like every other.

    # my reading goals
    [goals]
    2026 = 40

Pure: text in, a typed `Goals` or new text out. The journal reads and writes the file (under its lock, with
an atomic write); `stats` only does arithmetic with the targets it is handed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import field

from readlog.errors import InvalidValue
from readlog.lazyclass import dataclass_when_used

GOALS_FILE = "goals.toml"
BOOKS = (1, 100_000)  # a goal's number of books
YEARS = (1, 9999)


@dataclass_when_used(frozen=True)
class Goals(Mapping[int, int]):
    """Year -> books to read that year. Read-only: a change is a write through the journal."""

    targets: Mapping[int, int] = field(default_factory=dict)

    def __getitem__(self, year: int) -> int:
        return self.targets[year]

    def __iter__(self) -> Iterator[int]:
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)


def parse_goals(text: str, path: str) -> Goals:
    """`[goals] YEAR = BOOKS` from goals.toml's text. A file the reader broke is one clear error naming it."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidValue(f"{path}: invalid TOML: {error}") from None
    table = data.get("goals", {})
    if not isinstance(table, dict):
        raise InvalidValue(f"{path}: `goals` must be a table: [goals] then lines like 2026 = 40")
    targets = {}
    for key, value in table.items():
        if not key.isdigit() or not YEARS[0] <= int(key) <= YEARS[1]:
            raise InvalidValue(f"{path}: goals: {key!r} is not a year")
        if isinstance(value, bool) or not isinstance(value, int) or not BOOKS[0] <= value <= BOOKS[1]:
            raise InvalidValue(f"{path}: goals.{key}: {value!r} is not a number of books (1 to 100000)")
        targets[int(key)] = value
    return Goals(targets)


def with_goal(text: str | None, year: int, target: int) -> str:
    """goals.toml's text (None: no file yet) with `[goals] YEAR = TARGET`, the rest (comments too) kept."""
    import tomlkit

    doc = tomlkit.parse(text) if text is not None else tomlkit.document()
    if "goals" not in doc:
        doc["goals"] = tomlkit.table()
    goals = doc["goals"]
    assert isinstance(goals, dict)
    keys = _keys_of(goals, year)  # `02026 = 30` is 2026's goal too: changed in place, not doubled
    goals[keys[0] if keys else str(year)] = target
    return tomlkit.dumps(doc)


def without_goal(text: str, year: int) -> str | None:
    """goals.toml's text without YEAR's goal, the rest kept; None when it has no goal for YEAR."""
    import tomlkit

    doc = tomlkit.parse(text)
    goals = doc.get("goals")
    if not isinstance(goals, dict):
        return None
    keys = _keys_of(goals, year)
    if not keys:
        return None
    for key in keys:
        del goals[key]
    return tomlkit.dumps(doc)


def _keys_of(table: dict[str, object], year: int) -> list[str]:
    return [key for key in table if key.isdigit() and int(key) == year]
