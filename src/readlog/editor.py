"""Running the reader's editor on a draft file, so that nothing typed is ever lost.

The draft lives in `<data dir>/drafts/` until what was typed has been saved into the journal; if the
editor fails, or the text cannot be saved, the draft stays and its path is part of the error.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shlex
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from readlog import bookfile
from readlog.errors import BookFileError, Cancelled, ReadlogError
from readlog.journal import Entry, Journal
from readlog.model import Book
from readlog.text import control_codes, one_line, strip_template


def editor_command() -> list[str]:
    from readlog import config

    command = config.value("editor")  # $READLOG_EDITOR, config.toml, $VISUAL, $EDITOR
    if not command:
        fallback = shutil.which("vi")
        if fallback is None:
            raise ReadlogError("no editor: set $EDITOR (for example `export EDITOR=nano`)")
        return [fallback]
    return shlex.split(command)


def editor_chosen() -> bool:
    """The reader named an editor ($READLOG_EDITOR, config, $VISUAL, $EDITOR), rather than readlog
    falling back to vi, which needs a terminal."""
    from readlog import config

    return bool(config.value("editor"))


class NothingTyped(ReadlogError):
    """The editor failed with the draft as it opened, and that holds nothing of the reader's (readlog's bare
    template, or a text the journal keeps): no draft is kept, none is named."""


class Draft:
    def __init__(self, path: Path, start: str | None = None):
        self.path = path
        self.start = start  # what the draft opened with, when it holds nothing the reader wrote
        self.interrupted = False  # Ctrl-C while the editor ran: nothing was saved from it

    def edit(self) -> str:
        """Open the editor on the draft and return what was saved."""
        command = [*editor_command(), str(self.path)]
        try:
            result = subprocess.run(command, check=False)
        except KeyboardInterrupt:
            self.interrupted = True
            raise
        except OSError as error:
            raise ReadlogError(f"cannot run the editor {command[0]!r}: {error.strerror}") from None
        if result.returncode != 0:
            how = f"was killed by signal {-result.returncode}" if result.returncode < 0 else "failed"
            failed = f"the editor {how} (exit {result.returncode}); nothing was saved"
            if self.start is not None and self._as_opened():
                raise NothingTyped(failed)
            raise ReadlogError(failed)
        try:
            return self.path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise ReadlogError("the editor saved text that is not UTF-8; nothing was saved") from None

    def _as_opened(self) -> bool:
        try:
            return self.start is not None and self.path.read_bytes() == self.start.encode("utf-8")
        except OSError:
            return False


def bare(text: str) -> bool:
    """A draft holds nothing typed: readlog's comment, blank lines and empty headings (`# `) alone."""
    return not any(line.strip().lstrip("#").strip() for line in strip_template(text).splitlines())


# The command that takes a kept draft up again, given its name (`klara-20250301-101500`) and the error that
# kept it: the error names it (`review BOOK --draft NAME`, `add TITLE ... --draft NAME`); None: none known.
Again = Callable[[str, ReadlogError], "str | None"]


def _taken_up(again: Again | None, path: Path, error: ReadlogError) -> str:
    command = again(path.stem, error) if again is not None else None
    return f": `{command}` takes it up again" if command else ""


def still_kept(error: ReadlogError, path: Path, again: Again | None = None) -> ReadlogError:
    """`error`, naming the kept draft at `path` it left untouched and the command that takes it up again."""
    return ReadlogError(f"{error}; your text is still in {path}{_taken_up(again, path, error)}")


def _kept_on_ctrl_c(stop: KeyboardInterrupt, session: Draft, again: Again | None, kept: str = "kept") -> None:
    """Ctrl-C inside an editing session leaves the draft: the line Ctrl-C ends with names it and the command
    that takes it up, as a failed editor's error does (it said only "nothing more was done": try-out 29b #2).
    Ctrl-C in the editor saved nothing; later (the text being saved), the line does not say so."""
    cancelled = Cancelled("cancelled")
    saved = "nothing was saved; " if session.interrupted else ""
    stop.add_note(
        f"cancelled: {saved}your text is {kept} in {session.path}{_taken_up(again, session.path, cancelled)}"
    )


@contextlib.contextmanager
def draft(
    journal: Journal,
    name: str,
    initial: str,
    suffix: str = ".md",
    again: Again | None = None,
    only_newest: bool = False,
    start_kept: bool = False,
) -> Iterator[Draft]:
    """A draft file for one editing session. Removed only when the block finishes without error, or when
    the editor fails with the draft as it opened and that holds nothing the reader wrote (the bare template;
    with `start_kept`, a text the journal keeps: the book file `edit` opens): a draft is kept only of words.
    `only_newest` (`edit`'s whole book file): a draft kept replaces the drafts earlier sessions of `name`
    kept with the same text (the same failed edit again left another each time); a draft with other text is
    someone's work, never dropped (a session starts from the book file, not from it), and a session still
    editing keeps its own."""
    path, fd = new_draft(journal, name, suffix)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(initial)
    live = _live(path) if only_newest else contextlib.nullcontext()
    session = Draft(path, initial if start_kept or bare(initial) else None)
    with live:
        try:
            yield session
        except (Cancelled, NothingTyped):
            path.unlink(missing_ok=True)
            raise
        except KeyboardInterrupt as stop:  # (a draft of words is kept, as when the editor fails)
            if session.interrupted and session.start is not None and session._as_opened():
                path.unlink(missing_ok=True)
            else:
                _kept_on_ctrl_c(stop, session, again)
            raise
        except ReadlogError as error:
            gone = _earlier_drafts_dropped(path, name, suffix) if only_newest else []
            drafts = "draft" if len(gone) == 1 else "drafts"
            replaced = f" (it replaces the earlier {drafts} {', '.join(gone)}: the same text)" if gone else ""
            raise ReadlogError(
                f"{error}; your text is kept in {path}{replaced}{_taken_up(again, path, error)}"
            ) from error
        path.unlink(missing_ok=True)


def _marker(path: Path) -> Path:
    """The file a session editing the draft `path` holds a lock on while it runs."""
    return path.with_name(f".{path.name}.live")


@contextlib.contextmanager
def _live(path: Path) -> Iterator[None]:
    """While inside, this session holds a lock on the draft's marker (`_marker`), so that another session's
    `_earlier_drafts_dropped` leaves the draft alone. Released by the OS if the process dies."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no marker, and nothing is dropped
        yield
        return
    marker = _marker(path)
    fd = os.open(marker, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        marker.unlink(missing_ok=True)
        os.close(fd)


def _earlier_drafts_dropped(path: Path, name: str, suffix: str) -> list[str]:
    """Remove the drafts of `name` (`<name>-<date>-<time>[-N]<suffix>`) other than `path` that hold the same
    text as `path` and that no session is editing now; their file names."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: a live session cannot be told, so none is dropped
        return []
    import re

    named = re.compile(re.escape(name) + r"-\d{8}-\d{6}(?:-\d+)?" + re.escape(suffix))
    gone = []
    text = path.read_bytes()
    for other in sorted(path.parent.iterdir()):
        if other == path or not named.fullmatch(other.name) or other.is_symlink() or not other.is_file():
            continue
        try:
            if other.read_bytes() != text:  # (other words: kept, as every draft was before)
                continue
        except OSError:
            continue
        marker = _marker(other)
        try:
            fd = os.open(marker, os.O_RDONLY)
        except FileNotFoundError:
            fd = None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # a session is editing it now
                os.close(fd)
                continue
            marker.unlink(missing_ok=True)  # (left by a session that died)
            os.close(fd)
        other.unlink(missing_ok=True)
        gone.append(other.name)
    return gone


@contextlib.contextmanager
def resume(path: Path, again: Again | None = None) -> Iterator[Draft]:
    """A kept draft, taken up again: removed once what it holds is saved, kept on any error."""
    session = Draft(path)
    try:
        yield session
    except KeyboardInterrupt as stop:
        _kept_on_ctrl_c(stop, session, again, "still")
        raise
    except Cancelled:
        raise
    except ReadlogError as error:
        raise still_kept(error, path, again) from error
    path.unlink(missing_ok=True)


@dataclass
class KeptDraft:
    name: str  # the file name in drafts/
    path: Path
    modified: datetime
    size: int
    first_line: str  # the first line of what was typed (readlog's own comment, and a `#` alone, skipped)


def kept_drafts(journal: Journal) -> list[KeptDraft]:
    """The drafts in drafts/, newest first: what an editor session left when saving failed or stopped."""
    folder = journal.drafts_dir
    if not folder.is_dir() or folder.is_symlink():
        return []
    out = []
    for path in folder.iterdir():
        if path.name.startswith(".") or not path.is_file() or path.is_symlink():
            continue
        info = path.stat()
        try:
            text = strip_template(path.read_bytes()[:4096].decode("utf-8", "replace"))
        except OSError:
            continue
        first = next((line.strip() for line in text.splitlines() if line.strip().lstrip("#").strip()), "")
        out.append(KeptDraft(path.name, path, datetime.fromtimestamp(info.st_mtime), info.st_size, first))
    return sorted(out, key=lambda d: (d.modified, d.name), reverse=True)


def find_draft(journal: Journal, name: str, names: tuple[str, ...] = ()) -> Path:
    """A kept draft by its file name, or the start of one when that names a single draft. `names`: the
    names a draft of this book may start with (its slug, and its title's plain slug, under which `add
    --edit` kept drafts before it named them by the book's slug: `c-primer-plus` for *C++ Primer Plus*):
    a NAME that starts with one finds the draft named with another too."""
    drafts = kept_drafts(journal)
    exact = [d.path for d in drafts if d.name == name or d.path.stem == name]
    if exact:
        return exact[0]
    wanted = {name}
    for given in names:
        if given and (name == given or name.startswith(f"{given}-")):
            wanted.update(other + name[len(given) :] for other in names if other)
    matches = [d.path for d in drafts if any(d.name.startswith(w) for w in wanted)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ReadlogError(f"no draft named {name!r}: `readlog drafts` lists them")
    shown = ", ".join(p.name for p in matches[:5])
    raise ReadlogError(f"{name!r} could be any of {len(matches)} drafts ({shown}): give more of the name")


def new_draft(journal: Journal, name: str, suffix: str) -> tuple[Path, int]:
    """A new draft file, created exclusively: `<name>-<date>-<time>[-N]<suffix>`. Two edits in the same
    second get two drafts; an earlier draft is never truncated."""
    folder = journal.drafts_dir
    journal.ensure_private_dir(folder)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for number in itertools.count(1):
        path = folder / f"{name}-{stamp}{'' if number == 1 else f'-{number}'}{suffix}"
        try:
            return path, os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def review_template(title: str, headline: str | None, body: str | None, private: bool = False) -> str:
    """The editor's start for a review. `private`: what is saved is private, and the template says so (a
    reader rewriting a private review must not wonder whether it is about to be published)."""
    kept = "     This review is private: the site and the posts leave it out.\n" if private else ""
    return (
        f"<!-- readlog: your review of {title}, in Markdown.\n"
        "     A first line starting with '# ' is the headline; '## ' lines start sections.\n"
        f"{kept}"
        "     This comment is removed. Save an empty review to cancel. -->\n"
        f"# {headline or ''}\n\n{body or ''}"
    )


def reflection_template(title: str) -> str:
    return (
        f"<!-- readlog: a reflection on {title}, in Markdown: what stayed with you, what it asked of you.\n"
        "     This comment is removed. Save an empty text to cancel. -->\n\n"
    )


def _no_controls(book: Book, text: str, path: str) -> None:
    """A title, an author's name or a tag holding a control character (a tab, a bell, a terminal's escape) is
    an invalid edit: every other way in drops them (text.clean_name), so one typed in the editor is offered
    back, named, rather than kept and printed raw."""

    for name, values in (("title", [book.title]), ("authors", book.authors), ("tags", book.tags)):
        for value in values:
            codes = control_codes(value)
            if codes:
                message = f"{name}: {one_line(value)!r} holds a control character ({', '.join(codes)})"
                raise BookFileError(path, f"{message}: take it out", bookfile.locate(text, name))


def edit_book_file(journal: Journal, entry: Entry, again: Callable[[BookFileError], bool]) -> bool:
    """`readlog edit`: the whole file in the editor, validated before it replaces the original.

    Returns False when nothing changed. An invalid edit is offered back (`again`) or kept as a draft.
    """
    with draft(journal, entry.slug, entry.text, suffix=".toml", only_newest=True, start_kept=True) as session:
        while True:
            text = session.edit()
            if not text.strip() or text == entry.text:
                return False
            try:
                _no_controls(bookfile.parse(text, str(entry.path)), text, str(entry.path))
            except BookFileError as error:
                located = BookFileError(str(session.path), error.message, error.line, error.column)
                if again(located):
                    continue
                raise ReadlogError(f"{located}; {entry.path} is unchanged") from None
            journal.replace_text(entry, text)
            return True
