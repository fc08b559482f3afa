"""The one exception family readlog raises for things a user can cause.

The CLI catches `ReadlogError` once, prints `str(error)` as one line on stderr and exits with the error's
own `exit_code`: 1 for a request understood but impossible, 2 for a usage mistake (`UsageError`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar


class ReadlogError(Exception):
    """Base class: a problem the user can fix, described in one line."""

    exit_code: ClassVar[int] = 1


class InvalidValue(ReadlogError):
    """A value given on the command line or found in a file is not acceptable."""

    def __init__(self, message: str, field: str | None = None):
        self.field = field  # e.g. "reads[2].finished": lets a file error point at its line
        super().__init__(message)

    def __reduce__(self) -> tuple[type, tuple[str, str | None]]:  # picklable: a parse in another process
        return (type(self), (str(self), self.field))


class Option(str):
    """The name of a command-line option or argument (`--rating`, `NEW`, `AT (page)`), given as the field of a
    value being checked (`parse_rating(text, Option("--rating"))`): a value that fails is a `UsageError`."""

    __slots__ = ()


class UsageError(InvalidValue):
    """A value outside its option's (or argument's) type, choices or range, or options that contradict each
    other: the request was not understood. Exit 2, as Click's own usage errors."""

    exit_code = 2


def invalid(message: str, field: str | None = None) -> InvalidValue:
    """The error for a value that failed a check: a `UsageError` if the field is a command-line `Option`."""
    return (UsageError if isinstance(field, Option) else InvalidValue)(message, field)


class BookFileError(ReadlogError):
    """A book file cannot be read: bad TOML, a bad field, or a schema this readlog does not know."""

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None):
        self.path = path
        self.message = message
        self.line = line
        self.column = column
        where = path if line is None else f"{path}:{line}" + (f":{column}" if column else "")
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type, tuple[str, str, int | None, int | None]]:  # see InvalidValue
        return (type(self), (self.path, self.message, self.line, self.column))


class NewerSchema(BookFileError):
    """The file was written by a newer readlog; it may be shown but never rewritten."""


class BookNotFound(ReadlogError):
    pass


class AmbiguousBook(ReadlogError):
    """BOOK could mean several books; `candidates` are the books it may mean (identity.Candidate)."""

    def __init__(self, message: str, candidates: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)

    def __reduce__(self) -> tuple[type, tuple[str, tuple[Any, ...]]]:
        return (type(self), (str(self), self.candidates))


class NotSureBook(AmbiguousBook):
    """BOOK is not the slug or whole title of a book, only words of one (or a close spelling): a write does
    not guess (it asks on a terminal and refuses in a script)."""


class BookExists(ReadlogError):
    """The book is surely in the journal already, as `slug` (when known): what a kept draft's way back
    names (`review SLUG --draft NAME`)."""

    def __init__(self, message: str, slug: str | None = None):
        self.slug = slug
        super().__init__(message)

    def __reduce__(self) -> tuple[type, tuple[str, str | None]]:
        return (type(self), (str(self), self.slug))


class MaybeSameBook(ReadlogError):
    """A new book may be one the journal has (identity.same_work said MAYBE): nothing is written; on a
    terminal `add` asks, in a script it refuses naming the book(s) (`--new` adds it as a separate one)."""

    def __init__(self, message: str, slugs: tuple[str, ...] = ()):
        self.slugs = slugs
        super().__init__(message)

    def __reduce__(self) -> tuple[type, tuple[str, tuple[str, ...]]]:
        return (type(self), (str(self), self.slugs))


class PlainlyApart(ReadlogError):
    """`merge A B` of two books that are plainly two works (identity.plainly_apart: different authors), or
    may be one by a name spelled two ways (identity.respelled_pair): nothing is written; on a terminal
    `merge` asks, in a script it refuses naming why (`--force` merges them anyway). `question` is what a
    terminal asks."""

    def __init__(self, message: str, question: str = ""):
        self.question = question
        super().__init__(message)

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (type(self), (str(self), self.question))


class ConflictError(ReadlogError):
    """The file changed on disk since it was read; writing would lose that change."""


class WorkerLost(ReadlogError):
    """A worker process of readlog's (readlog.pool: a big import's, a cold build's) ended abruptly: killed by
    a signal (`kill -9` of its pid) or by the system short of memory. The work it was part of stops there,
    as for any error (an import keeps the batches already in place, and the same import again adds the
    rest)."""

    def __init__(self) -> None:
        super().__init__(
            "a worker process was killed (by a signal, or by the system short of memory): stopped there, "
            "with nothing half-written; run the command again"
        )

    def __reduce__(self) -> tuple[type, tuple[()]]:  # see InvalidValue
        return (type(self), ())


class CannotWrite(ReadlogError, OSError):
    """A write that failed where the OS names no file (a full disk, a file size limit, a quota, an I/O error:
    the write, its fsync or the close failed), said with the file it was for: `cannot write PATH: No space
    left on device`. Still an OSError (its `errno` as the OS gave it), for code that handles those."""

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"


class Cancelled(ReadlogError):
    """The user backed out (empty editor buffer, declined confirmation)."""
