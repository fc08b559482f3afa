"""Files written safely, and the one lock: every write readlog makes goes through here.

- `atomic_write`: one file, so that a crash leaves the old file or the new one, never half (temp file in
  the same folder, fsync, `os.replace`, the folder fsynced); private (0600) inside the data dir, the
  reader's umask for what they ask readlog to publish or export.
- `BulkWriter`: many new files at once, as safely as one (import); `Written`, a file's text in a temp file
  already (written by an import's worker process).
- `move`: a file renamed durably (into the trash, back from it, to a slug's name), never over another
  file unless told.
- `hold_lock`: an exclusive lock on a file, waited for, telling who holds it after a second (the journal's
  lock, the site's lock).
- `read_regular`: a file's bytes, refusing a FIFO, socket or device without blocking.
- `remove_file`: a file removed durably (a merge that removes a book).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from readlog.errors import BookFileError, CannotWrite, ReadlogError
from readlog.text import one_line

if TYPE_CHECKING:
    import threading


def read_regular(path: Path) -> bytes:
    """A file's bytes, if it is a regular file. A FIFO, socket or device by a book's name is refused
    without blocking (reading a FIFO would wait forever, holding the journal lock)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            raise BookFileError(str(path), "not a regular file (a FIFO, socket or device?)")
        # Read from the descriptor itself, closed here and only here. Handed to a file object, it was closed
        # twice when a signal's exception (index.freshness._stoppable) came between the two: the second
        # close failed, and that error took the place of the signal's, which was lost.
        chunks = [os.read(fd, found.st_size + 1)]  # (one more byte: the end shows in the first read)
        while chunks[-1]:
            chunks.append(os.read(fd, 65536))
        return b"".join(chunks)
    finally:
        os.close(fd)


BOM = "\ufeff"


def bom_of(path: Path) -> str:
    """The UTF-8 byte order mark `path` starts with ("" for none, or no file): a rewrite keeps it (the text
    readlog edits is read without it: bookfile.decode)."""
    try:
        with open(path, "rb") as file:
            return BOM if file.read(3) == BOM.encode("utf-8") else ""
    except OSError:
        return ""


def _temp_path(path: Path) -> Path:
    """Beside `path`, under a dot name readlog never reads as a book. (os.urandom: `secrets` costs 4 ms.)"""
    return path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")


def atomic_write(
    path: Path,
    text: str | bytes,
    sync_dir: bool = True,
    private: bool = True,
    durable: bool = True,
    last_look: Callable[[], None] | None = None,
) -> None:
    """Write `text` (or bytes: a cover) to `path` so that a crash leaves either the old file or the new
    one, never half.

    `sync_dir=False` is for bulk writers (import) that fsync the folder once at the end instead.
    `durable=False` is for caches (look-up answers, the site's): swapped in whole, but not fsynced, since
    one lost in a crash is only fetched or made again.
    `private=False` is for what the reader asks readlog to write outside the journal (an export): it takes
    the reader's umask, like any file they make; everything in the data dir is 0600.
    `last_look` is called once the new text is safe in its temp file, just before it replaces `path`: it may
    raise (the file changed meanwhile: Journal.modify), and then nothing is replaced."""
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
    except UnicodeEncodeError as error:  # a last guard: validation should have refused such text already
        raise ReadlogError(
            f"{path}: text with characters that cannot be saved as UTF-8 ({error.reason})"
        ) from None
    try:  # a file the reader made read-only (`chmod a-w`) stays as it is: root's writes ignore the mode
        protected = not os.stat(path).st_mode & stat.S_IWUSR
    except OSError:
        protected = False
    if protected:  # (an OSError too: a bulk write, `tags rename`, says how far it got before it)
        raise CannotWrite(
            errno.EACCES,
            "it is read-only: readlog leaves it as it is (`chmod u+w` lets it write)",
            os.fspath(path),
        )
    temp = _temp_path(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if last_look is not None:
            last_look()
        os.replace(temp, path)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        if isinstance(error, OSError) and error.filename is None:
            raise CannotWrite(error.errno, error.strerror, os.fspath(path)) from error
        raise
    if sync_dir and durable:
        fsync_dir(path.parent)


def move(source: Path, target: Path, replace: bool = False) -> None:
    """Rename `source` to `target` so that a crash leaves the file under one name or the other (both
    folders fsynced). Never over an existing `target` (FileExistsError) unless `replace`, which is for a
    name claimed beforehand (Journal.trash_path makes an empty file to hold it)."""
    if replace:
        os.replace(source, target)
    else:
        try:
            os.link(source, target, follow_symlinks=False)  # fails, changing nothing, if the name is taken
        except FileExistsError:
            raise
        except (OSError, NotImplementedError):  # no hard links on this file system: check, then rename
            if os.path.lexists(target):
                raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
            os.rename(source, target)
        else:
            os.unlink(source)
    fsync_dir(target.parent)
    if source.parent != target.parent:
        fsync_dir(source.parent)


# What an import's worker processes name their temp files after (`.readlog-import.XXXXXXXX.tmp` in the
# books folder): the book's own name is the importing process's to choose.
IMPORT_TEMP = "readlog-import"


class Written:
    """A file's text written already to a temp file (`temp`) in the folder it is for, by
    `BulkWriter.write_temp` in another process (an import's worker, which made the text): `BulkWriter.add`
    puts it in place with its batch, as it puts the temp files it writes itself. `drop` removes it when it
    is not to be used."""

    __slots__ = ("temp",)

    def __init__(self, temp: str):
        self.temp = temp

    def __reduce__(self) -> tuple[type[Written], tuple[str]]:
        return Written, (self.temp,)

    def drop(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temp)


class _Landing:
    """A batch of BulkWriter's on its way into place: its (temp file, place) pairs not told yet, how many of
    them are in place (set by the thread that renames them), what went wrong there, and that thread (None:
    the caller's own)."""

    __slots__ = ("batch", "moved", "error", "thread")

    def __init__(self, batch: list[tuple[str, Path | str]]):
        self.batch = batch
        self.moved = 0
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None


class BulkWriter:
    """Many new files at once, as safely as one: each goes to a dot-named temp file; a batch is made
    durable with one `os.sync()` and only then renamed into place. A crash can leave temp files (never
    read as books; `check --fix` removes them), never a half-written book. One fsync per file would make
    a 10,000-book import several times slower.

    With `overlap`, a full batch is made durable and renamed by a thread while the caller goes on making
    the next one (the sync waits on the disk, not the CPU: an import's parsing and formatting hide under
    it). Its sync begins as it is handed over, beside the one before it if that one is still on its way;
    its renames wait for that one's, so batches land in order. `landed` is always told in the caller's
    thread, of the batch before, when the next batch is handed over (which waits for it), or at `flush`.
    `discard` waits for the batches in the threads' hands to land before removing the temp files of the
    rest."""

    def __init__(
        self,
        batch: int = 500,
        landed: Callable[[list[Path | str]], None] | None = None,
        overlap: bool = False,
    ):
        self.batch = batch
        self.landed = landed  # told the paths of each batch once they are in place (as `add` was given them)
        self.pending: list[tuple[str, Path | str]] = []  # (temp file, its place)
        self.overlap = overlap
        self._landings: list[_Landing] = []  # the batches on their way into place, in order
        self._left: list[tuple[str, Path | str]] = []  # temp files of a batch that failed, not in place
        self._next_temp = -1  # the next temp name's number (see write_temp); -1: not drawn yet

    def add(self, path: Path | str, text: str | bytes | Written) -> None:
        """A new file at `path` holding `text` (or those bytes: text encoded as UTF-8 already; or the temp
        file beside `path` that holds them, Written). (A path as a string costs an import less than a Path
        per file.)"""
        if isinstance(text, Written):
            temp = text.temp
        else:
            temp = self.write_temp(path, text.encode("utf-8") if isinstance(text, str) else text)
        self.pending.append((temp, path))
        if len(self.pending) >= self.batch:
            if self.overlap:
                self._hand_over()
            else:
                self.flush()

    def write_temp(self, path: Path | str, data: bytes) -> str:
        """`data` in a new temp file beside `path` (the name `_temp_path` gives, `.NAME.XXXXXXXX.tmp`), with
        plain os.open/os.write: a file object per file cost an ioctl, an lseek and an fstat each, and a
        random name a getrandom. The 8 hex digits count up from one random start per writer; a name taken
        already (another writer's, a leftover) is passed over for a random one, never overwritten (O_EXCL)."""
        folder, sep, name = os.fspath(path).rpartition(os.sep)  # (a string: no Path made per file)
        folder += sep  # ("" for a bare name: the current folder)
        for _ in range(100):
            if self._next_temp < 0:
                self._next_temp = int.from_bytes(os.urandom(4), "big")
            temp = f"{folder}.{name}.{self._next_temp & 0xFFFFFFFF:08x}.tmp"
            self._next_temp += 1
            try:
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                self._next_temp = -1  # start again from another random number
                continue
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            except BaseException as error:
                os.close(fd)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
                if isinstance(error, OSError):  # (a full disk, a size limit: os.write names no file)
                    raise CannotWrite(error.errno, error.strerror, os.fspath(path)) from error
                raise
            os.close(fd)
            return temp
        raise FileExistsError(errno.EEXIST, "no free temp file name", str(path))  # pragma: no cover

    def flush(self) -> None:
        """Every file added so far in place, and told. The last batch, while one before it is still on its
        way (an import's end), is handed over as the others are: its sync begins beside that one's, and
        the end waits for the two side by side, not one after the other."""
        if self.pending and self._landings:
            self._hand_over()
        self._settle()
        if not self.pending:
            return
        landing = _Landing(self.pending)
        self.pending = []
        self._landings.append(landing)
        self._make_durable(landing)
        self._settle()

    def _hand_over(self) -> None:
        """The full batch to a thread of its own, which syncs it at once; then the batch before it, if it is
        still on its way, waited for (it lands first) and told."""
        import threading

        from readlog.pool import threads_without_signals

        landing = _Landing(self.pending)
        self.pending = []
        before = self._landings[-1] if self._landings else None
        landing.thread = threading.Thread(
            target=self._make_durable, args=(landing, before), name="readlog-sync"
        )
        self._landings.append(landing)
        with threads_without_signals():
            landing.thread.start()
        self._settle(keep=1)

    def _make_durable(self, landing: _Landing, before: _Landing | None = None) -> None:
        """The batch made durable (by a sync begun after its last temp file was written), then, once the
        batch `before` it is in place (its thread ended), each temp file renamed into place, in order, and
        the folder fsynced. Nothing is renamed if `before` failed: the batches land in order."""
        batch = landing.batch
        try:
            if hasattr(os, "sync"):
                os.sync()
            else:  # pragma: no cover - Windows: no os.sync
                for temp, _ in batch:
                    with open(temp, "rb+") as handle:
                        os.fsync(handle.fileno())
            if before is not None and before.thread is not None:
                before.thread.join()
            if before is not None and before.error is not None:
                return
            for temp, path in batch:
                os.replace(temp, path)
                landing.moved += 1
            fsync_dir(Path(batch[0][1]).parent)
        except BaseException as error:  # told in the caller's thread (`_settle`)
            if landing.thread is None:
                raise
            landing.error = error

    def _settle(self, keep: int = 0) -> None:
        """Wait for the batches on their way (all but the last `keep`), in order; tell `landed` of each;
        raise what went wrong."""
        while len(self._landings) > keep:
            landing = self._landings[0]
            thread = landing.thread
            while thread is not None and thread.is_alive():  # a signal's exception may cut a wait short
                thread.join(0.5)
            moved = [path for _, path in landing.batch[: landing.moved]]
            landing.batch, landing.moved = landing.batch[landing.moved :], 0
            del self._landings[0]
            self._left += landing.batch  # (none, but for a batch that failed)
            if moved and self.landed is not None:
                self.landed(moved)
            if landing.error is not None:
                raise landing.error

    def discard(self) -> None:
        try:
            while self._landings:  # (each one, whatever the one before it raised)
                with contextlib.suppress(Exception):  # the caller is on its way out with an error of its own
                    self._settle(keep=len(self._landings) - 1)
        finally:
            left = [pair for landing in self._landings for pair in landing.batch]
            for temp, _ in [*self._left, *left, *self.pending]:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
            self._landings, self._left = [], []
            self.pending.clear()


def remove_file(path: Path) -> bool:
    """Remove a file (or a link) durably: gone, and its folder fsynced so it stays gone after a crash.
    False when there was none (a folder by that name is left alone)."""
    if not (path.is_file() or path.is_symlink()):
        return False
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    fsync_dir(path.parent)
    return True


def fsync_dir(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        except OSError as error:  # (an I/O error: fsync names no file)
            raise CannotWrite(error.errno, error.strerror, os.fspath(folder)) from error
        finally:
            os.close(fd)


# Who waits for a lock is told why after a second (the CLI prints it), with who holds it where known.
LOCK_NOTICE_AFTER = 1.0
_lock_notice: Callable[[str], None] | None = None


def on_lock_wait(notice: Callable[[str], None] | None) -> None:
    """`notice(message)` is called once when a lock has been waited for a second."""
    global _lock_notice
    _lock_notice = notice


def notice(message: str) -> None:
    """`message` for the reader now, as a lock waited for is told (`on_lock_wait`'s notice): a wait of
    another kind. Nothing without a notice set."""
    if _lock_notice is not None:
        _lock_notice(message)


def hold_lock(path: Path, what: str) -> contextlib.AbstractContextManager[None]:
    """An exclusive lock on the file `path` (made 0600), waited for, as long as the block runs."""

    @contextlib.contextmanager
    def held() -> Iterator[None]:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        with os.fdopen(fd, "r+b") as handle:
            _lock_file(handle, what)
            yield

    return held()


def _lock_file(handle: BinaryIO, what: str = "the journal") -> None:
    """Block until this process holds the lock on `handle`; released when the handle closes. After a
    second of waiting, the notice says so, and who holds it."""
    if os.name == "posix":
        import fcntl
        import time

        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            deadline = time.monotonic() + LOCK_NOTICE_AFTER
            while True:
                time.sleep(0.05)
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        if _lock_notice is not None:
                            _lock_notice(f"waiting for {what}: {_holder_of(handle)} is using it")
                        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
                        break
    else:  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]


def _holder_of(handle: BinaryIO) -> str:
    """Who holds the lock on `handle`'s file, as the kernel tells (Linux's /proc/locks, then the holder's
    command line); nothing is written anywhere to know it."""
    try:
        inode = os.fstat(handle.fileno()).st_ino
        with open("/proc/locks", encoding="ascii", errors="replace") as locks:
            for line in locks:
                fields = line.split()
                if len(fields) > 5 and fields[1] == "FLOCK" and fields[5].rsplit(":", 1)[-1] == str(inode):
                    pid = fields[4]
                    if pid.isdigit() and int(pid) != os.getpid():
                        return f"another readlog ({_command_of(pid)}process {pid})"
    except (OSError, ValueError):
        pass
    return "another readlog"


def _command_of(pid: str) -> str:
    """`readlog sync`, from a process's arguments, or nothing when they do not say."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            args = file.read(4096).decode("utf-8", "replace").split("\0")
    except OSError:
        return ""
    for number, arg in enumerate(args):
        if (arg == "readlog" or arg.endswith("/readlog")) and number + 1 < len(args):
            words = [a for a in args[number + 1 : number + 3] if a and not a.startswith("-")]
            return f"`readlog {one_line(words[0])[:40]}`, " if words else ""
    return ""
