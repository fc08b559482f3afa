"""A reading life at a glance: counted in SQL over the index's readings and names tables.

A book counts in the year (and month) of each reading it finished: a re-read counts again, and so do its
pages. Goals live in `<data dir>/goals.toml` (`2026 = 40`), a file of the reader's like every other.
"""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from readlog.errors import InvalidValue, Option
from readlog.model import parse_int

GOALS_FILE = "goals.toml"


@dataclass
class Goal:
    year: int
    target: int
    done: int
    remaining: int
    weeks_left: float
    per_week_needed: float  # to finish on time from today
    expected_by_now: float  # where an even pace would have the reader today
    on_track: bool
    undated: int = 0  # read books with no finish date: they may belong to this year, readlog cannot tell


@dataclass
class Stats:
    year: int | None
    finished: int  # readings finished (in `year`, or ever)
    books_per_year: dict[str, int] = field(default_factory=dict)
    pages_per_year: dict[str, int] = field(default_factory=dict)
    books_per_month: dict[str, int] = field(default_factory=dict)  # "2026-01": n, for `year` (or the latest)
    pages_per_month: dict[str, int] = field(default_factory=dict)
    ratings: dict[str, int] = field(default_factory=dict)  # "4.5": books with that rating
    top_authors: list[tuple[str, int]] = field(default_factory=list)
    top_tags: list[tuple[str, int]] = field(default_factory=list)
    average_days_to_finish: float | None = None
    rereads: int = 0  # books read more than once
    abandoned: int = 0  # readings stopped unfinished (in `year`, or ever): never counted as read
    undated: int = 0  # read books with no finish date: in no year, month or goal
    goal: Goal | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["top_authors"] = [{"name": n, "books": c} for n, c in self.top_authors]
        data["top_tags"] = [{"tag": t, "books": c} for t, c in self.top_tags]
        return data


def compute(db: Any, year: int | None, goals: dict[int, int], today: date | None = None) -> Stats:
    today = today or date.today()
    params = {"year": f"{year:04d}" if year is not None else None}
    in_year = " AND substr(finished, 1, 4) = :year" if year is not None else ""
    done = "FROM book_reads WHERE finished IS NOT NULL"

    stats = Stats(year=year, finished=0)
    for y, count, pages in db.execute(
        f"SELECT substr(finished, 1, 4), count(*), coalesce(sum(pages), 0) {done} GROUP BY 1 ORDER BY 1"
    ):
        stats.books_per_year[y] = count
        stats.pages_per_year[y] = pages
    month_year = f"{year:04d}" if year is not None else max(stats.books_per_year, default=f"{today.year:04d}")
    for number in range(1, 13):
        stats.books_per_month[f"{month_year}-{number:02d}"] = 0
        stats.pages_per_month[f"{month_year}-{number:02d}"] = 0
    for key, count, pages in db.execute(
        f"""SELECT substr(finished, 1, 7), count(*), coalesce(sum(pages), 0) {done}
            AND substr(finished, 1, 4) = ? AND length(finished) >= 7 GROUP BY 1""",
        (month_year,),
    ):
        stats.books_per_month[key] = count
        stats.pages_per_month[key] = pages
    stats.finished = db.execute(f"SELECT count(*) {done}{in_year}", params).fetchone()[0]

    # The books themselves (each once), for ratings, authors, tags and re-reads: finished in `year`, or read.
    scope = (
        "slug IN (SELECT slug FROM book_reads WHERE substr(finished, 1, 4) = :year)"
        if year is not None
        else "status = 'read'"
    )
    for rating, count in db.execute(
        f"SELECT rating, count(*) FROM books WHERE rating IS NOT NULL AND {scope} GROUP BY 1", params
    ):
        stats.ratings[f"{rating:g}"] = count
    for kind, target in (("author", stats.top_authors), ("tag", stats.top_tags)):
        target.extend(
            db.execute(
                f"""SELECT name, count(*) FROM book_names WHERE kind = :kind AND {scope}
                    GROUP BY name ORDER BY 2 DESC, 1 LIMIT 10""",
                {**params, "kind": kind},
            )
        )
    days = db.execute(
        f"""SELECT avg(julianday(finished) - julianday(started)) {done}
            AND length(started) = 10 AND length(finished) = 10{in_year}""",
        params,
    ).fetchone()[0]
    stats.average_days_to_finish = round(days, 1) if days is not None else None
    stats.rereads = db.execute(
        f"""SELECT count(*) FROM (SELECT slug FROM book_reads WHERE finished IS NOT NULL AND {scope}
            GROUP BY slug HAVING count(*) > 1)""",
        params,
    ).fetchone()[0]
    stopped = " AND substr(stopped, 1, 4) = :year" if year is not None else ""
    stats.abandoned = db.execute(
        f"SELECT count(*) FROM book_reads WHERE stopped IS NOT NULL{stopped}", params
    ).fetchone()[0]
    stats.undated = db.execute(
        "SELECT count(*) FROM books WHERE status = 'read' AND last_finished IS NULL"
    ).fetchone()[0]
    goal_year = year if year is not None else today.year
    if goal_year in goals:
        finished_then = stats.books_per_year.get(f"{goal_year:04d}", 0)
        stats.goal = make_goal(goal_year, goals[goal_year], finished_then, today)
        stats.goal.undated = stats.undated
    return stats


def make_goal(year: int, target: int, done: int, today: date) -> Goal:
    start, end = date(year, 1, 1), date(year, 12, 31)
    days_in_year = 366 if calendar.isleap(year) else 365
    elapsed = min(max((today - start).days + 1, 0), days_in_year)
    weeks_left = max((end - today).days + 1, 0) / 7 if today <= end else 0.0
    remaining = max(target - done, 0)
    expected = target * elapsed / days_in_year
    per_week = remaining / weeks_left if weeks_left else float(remaining)
    return Goal(
        year,
        target,
        done,
        remaining,
        round(weeks_left, 1),
        round(per_week, 2),
        round(expected, 1),
        done >= expected,
    )


def read_goals(root: Any) -> dict[int, int]:
    """`[goals] YEAR = BOOKS` from goals.toml. A file the reader broke is one clear error naming it."""
    import tomllib

    from readlog.bookfile import decode
    from readlog.files import read_regular

    path = root / GOALS_FILE
    try:
        raw = read_regular(path)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise InvalidValue(f"{path}: cannot read it ({error.strerror})") from None
    text = decode(raw, str(path))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidValue(f"{path}: invalid TOML: {error}") from None
    table = data.get("goals", {})
    if not isinstance(table, dict):
        raise InvalidValue(f"{path}: `goals` must be a table: [goals] then lines like 2026 = 40")
    goals = {}
    for key, value in table.items():
        if not key.isdigit() or not 1 <= int(key) <= 9999:
            raise InvalidValue(f"{path}: goals: {key!r} is not a year")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100_000:
            raise InvalidValue(f"{path}: goals.{key}: {value!r} is not a number of books (1 to 100000)")
        goals[int(key)] = value
    return goals


def set_goal(journal: Any, target: int, year: int) -> None:
    """Write `[goals] YEAR = TARGET`, keeping the rest of the file (comments too) as it is."""
    import tomlkit

    from readlog.files import atomic_write

    parse_int(target, "goal", (1, 100_000))
    parse_int(year, Option("--year"), (1, 9999))
    path = journal.root / GOALS_FILE
    with journal.locked():
        read_goals(journal.root)  # refuses a broken file before tomlkit sees it
        doc = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
        if "goals" not in doc:
            doc["goals"] = tomlkit.table()
        doc["goals"][str(year)] = target
        atomic_write(path, tomlkit.dumps(doc))


def clear_goal(journal: Any, year: int) -> bool:
    """Remove YEAR's goal, keeping the rest of the file; False when there was none."""
    import tomlkit

    from readlog.files import atomic_write

    path = journal.root / GOALS_FILE
    with journal.locked():
        if not path.exists():
            return False
        doc = tomlkit.parse(path.read_text(encoding="utf-8"))
        goals = doc.get("goals")
        if not isinstance(goals, dict) or str(year) not in goals:
            return False
        del goals[str(year)]
        atomic_write(path, tomlkit.dumps(doc))
        return True
