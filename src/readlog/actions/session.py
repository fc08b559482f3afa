"""What every command shares below the command line: the journal it works on, the settings it reads,
dates said in words, and completing a BOOK on TAB. Kept light: `readlog --help` imports this module."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readlog.journal import Journal, default_data_dir

if TYPE_CHECKING:
    from readlog.identity import Candidate as Candidate  # the CLI names a not-sure BOOK's candidates

__all__ = [
    "Journal",
    "complete_books",
    "index_file",
    "on_lock_wait",
    "on_long_build",
    "open_journal",
    "resolve_day",
    "setting",
]


def open_journal(data_dir: str | Path | None = None) -> Journal:
    """The journal in `--data-dir`, else $READLOG_HOME, else the config file's, else the user data dir."""
    return Journal(default_data_dir(data_dir))


def data_dir(given: str | Path | None = None) -> Path:
    return default_data_dir(given)


def index_file(root: Path) -> Path:
    """The index file readlog keeps for the journal at `root` (a cache: `readlog reindex` remakes it)."""
    from readlog.index.schema import index_path

    return index_path(root)


def on_lock_wait(notice: Callable[[str], None] | None) -> None:
    """`notice(message)` once a command has waited a second for another one's lock."""
    from readlog.files import on_lock_wait as hook

    hook(notice)


def on_long_build(
    start_bar: Callable[[], tuple[Callable[[int, int], None], Callable[[], None]] | None] | None,
) -> None:
    """`start_bar()` once an index build has taken a second (a cold one: a new device, `reindex`): it
    returns (update(done, total), close()) for a progress bar, or None for none (index.life.on_long_build)."""
    from readlog.index.life import on_long_build as hook

    hook(start_bar)


def setting(name: str, given: Any = None) -> Any:
    """A setting's value: the option `given`, else READLOG_*, else config.toml, else its default."""
    from readlog import config

    return config.value(name, given)


def is_iso(text: str) -> bool:
    from readlog.dates import is_iso as iso

    return iso(text)


def resolve_day(text: str, partial: bool = False) -> date | str | None:
    """A date in words (`yesterday`, `last friday`, `March 2025`) as a day (or a month/year when `partial`),
    None when it is not one."""
    from readlog.dates import parse_natural

    return parse_natural(text, partial=partial)


def is_day(text: str) -> bool:
    """Whether ISO `text` is a day, a month or a year a date field takes (`model.parse_date`, the one
    parser: a month there is, no year 0)."""
    from readlog.errors import ReadlogError
    from readlog.model import parse_date

    try:
        parse_date(text, "", partial=True)
    except ReadlogError:
        return False
    return True


def complete_books(data_dir: str | Path | None, incomplete: str) -> list[tuple[str, str]]:
    """(slug, title) of the books starting with `incomplete`, from the index as it is (never synced with
    the files: a TAB must be instant); nothing when there is no index yet or it cannot be read."""
    from readlog.index import complete

    return complete(default_data_dir(data_dir), incomplete)


def complete_statuses(incomplete: str) -> list[str]:
    """The statuses starting with `incomplete`, for shell completion; after a comma (`list --status
    read,w`) those not named yet, each with what was typed before it."""
    from readlog.model import STATUSES

    before, comma, last = incomplete.rpartition(",")
    named = {word.strip().lower() for word in before.split(",")} if comma else set()
    return [before + comma + s for s in STATUSES if s.startswith(last.strip().lower()) and s not in named]
