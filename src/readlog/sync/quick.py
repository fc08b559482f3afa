"""`readlog sync` with nothing to do, found out before the rest of readlog is imported.

Most syncs have nothing to do: nothing changed here, the remote did not move, nothing needs the reader.
Answering that through the command line (Typer, Click, the journal, the index) cost four times the git
chain a reader would run by hand, almost all of it Python's imports. So `readlog sync` (exactly that, no
option) first asks here, importing only os, subprocess and this package's light modules:

    git config --list      the remote, the merge driver, who commits (every rule `_configure` checks)
    git fetch              started at once, running while the local steps do
    git status             (under the journal's lock) nothing changed, on a branch, with a commit
    git for-each-ref       (once the fetch is done) the remote's branch is this commit

and with every file a sync would look at as a sync with nothing to do leaves it (no git lock, no merge in
progress, no temp file of an interrupted write, no inbox, no recorded conflict in goals.toml, what the
last sync kept about books that need the reader: none, for this very commit). Then it says what
`readlog sync` says, in the same words (tests/test_sync_quick.py runs both and compares). At the first
thing that is not so (a change, the remote moved, a conflict, a first sync, a lock held, colour on a
terminal, a setting it does not read, any error) it stops, having written nothing, and hands the sync on
(Prepared: the lock it holds, the fetch it started) to the one sync there is (readlog.sync.repo), run
from the entry point without Typer (readlog.__main__: it is here only when messages are plain).
When the data dir's folders were written since the last sync (`_likely_changed`), it hands on before its
own `git status`: that sync runs one.

The names below (files, keys, the merge driver's command) are the sync's own: readlog.sync.repo imports
them from here, so the two cannot drift apart.
"""

from __future__ import annotations

import contextlib
import os
import sys

from readlog.sync.process import NETWORK_PID, Expired, Missing, Running, environment, git_path
from readlog.userdirs import git_folder, user_dir

TYPE_CHECKING = False  # typing's own costs a tenth of a quick sync's imports; type checkers read this one

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from readlog.sync.early import Early

REMOTE = "origin"
DRIVER = "readlog"
DRIVER_NAME = "readlog: book files merged field by field"
SYNC_LOCK = "readlog-sync"  # in .git/: one sync at a time
JOURNAL_LOCK = ".lock"  # the journal's lock file, as readlog.journal names it (a test holds them equal)
KEPT = "readlog-attention"  # in .git/: what needed the reader at the last sync (see readlog.sync.repo)
# The inbox and the marker of a filing in progress, as readlog.actions.inbox names them (a test holds the
# two lists equal): when neither is there, there is nothing to file.
INBOX_FILES = ("inbox.md", ".inbox-filing")
# Where an interrupted write leaves temp files: readlog.checkup's TEMP_FOLDERS and books/ (a test holds
# them equal).
TEMP_FOLDERS = ("", "covers", "trash", "drafts", "books")
MERGE_TEMP = ".merge_file_"  # how git names the copies it gives a merge driver (readlog.checkup's too)

ConfigEntry = tuple[str, str, str]  # (scope, key, value) as `git config --list --show-scope` lists them


def driver_command() -> str:
    """How git calls the merge driver: this Python, this readlog (so a moved install is re-registered)."""
    return f"{shell_quote(sys.executable)} -P -m readlog merge-driver %O %A %B %P"


_SHELL_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")


def shell_quote(text: str) -> str:
    """shlex.quote(text), without importing shlex (and re, and enum, with it: a quarter of a quick sync's
    imports): as it is when every character is one shlex leaves alone, else in single quotes."""
    if not text:
        return "''"
    if all(character in _SHELL_SAFE for character in text):
        return text
    return "'" + text.replace("'", "'\"'\"'") + "'"


REFS_FORMAT = "--format=%(objectname) %(refname)"


def parse_refs(raw: str) -> dict[str, str]:
    """`for-each-ref --format=%(objectname) %(refname)` output -> ref name -> commit id (here, for the quick
    look, which loads nothing else of readlog's sync; readlog.sync.git asks it too)."""
    pairs = (line.split(" ", 1) for line in raw.strip().splitlines() if " " in line)
    return {name: oid for oid, name in pairs}


def parse_config(text: str) -> list[ConfigEntry]:
    """`git config --list -z --show-scope` output -> (scope, key, value), in git's order."""
    fields = text.split("\0")
    entries = []
    for scope, entry in zip(fields[0::2], fields[1::2], strict=False):
        key, _, value = entry.partition("\n")
        entries.append((scope, key, value))
    return entries


STATUS = ("status", "--porcelain=v2", "-z", "--branch", "--untracked-files=all", "--no-renames")
ADD_NAMED = ("add", "--pathspec-from-file=-", "--pathspec-file-nul")  # the paths, NUL-ended, on stdin
LITERAL = {"GIT_LITERAL_PATHSPECS": "1"}  # a path named is that path, whatever its characters


def named(paths: Sequence[str]) -> bytes:
    """Paths as `ADD_NAMED` reads them."""
    return b"\0".join(path.encode("utf-8", "surrogateescape") for path in paths)


def to_add(changes: Sequence[tuple[str, str]]) -> list[str]:
    """The changed paths (`Status.changes`) `ADD_NAMED` is given: all but those whose working tree is
    as the index holds them (a state `X.`: nothing to add). The reader's own `git mv` or `git rm` stages a
    path that is in neither, which `git add` refuses ("did not match any files"): the removal (or the
    rename) is committed as it is staged."""
    return [path for state, path in changes if state == "?" or state[1:2] != "."]


DESCRIBED = 50  # books described one by one in a commit message; the rest are counted
CAT_FILE = ("cat-file", "--batch")


def staged_specs(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """What readlog.sync.git.Git.staged_read asks `cat-file --batch` for the changed `paths`: (the paths once
    each, in git's order; `HEAD:PATH` and `:0:PATH` of each)."""
    ordered = sorted(set(paths), key=lambda p: p.encode("utf-8", "surrogateescape"))
    return ordered, [spec for path in ordered for spec in (f"HEAD:{path}", f":0:{path}")]


def batch_input(specs: Sequence[str]) -> bytes:
    """`specs` as `cat-file --batch` reads them, one a line."""
    return "".join(f"{spec}\n" for spec in specs).encode("utf-8", "surrogateescape")


# Hooks `git commit --no-verify` runs (or that see what it writes) that `commit_on` would not run alike: with
# one installed, the sync runs `git commit`.
PLAIN_COMMIT_HOOKS = ("prepare-commit-msg", "post-commit", "reference-transaction", "post-index-change")


def plain_commit_allowed(entries: Sequence[ConfigEntry], git_dir: str) -> bool:
    """Whether readlog.sync.git.Git.commit_on makes the very commit `commit` would: nothing in the
    configuration that `git commit` heeds and the plumbing does not (signing, a cleanup mode, an encoding,
    hooks moved), and none of the hooks `commit --no-verify` still runs (or that read ref updates)."""
    heeded = ("commit.", "i18n.", "gpg.", "core.hookspath", "core.commentchar", "core.commentstring")
    if any(key.startswith(heeded) for _, key, _ in entries):
        return False
    return not any(os.path.exists(os.path.join(git_dir, "hooks", name)) for name in PLAIN_COMMIT_HOOKS)


def config_value(
    entries: Sequence[ConfigEntry], key: str, local: bool = False, first: bool = False
) -> str | None:
    """The value of `key`: the last one set (as `git config --get` answers), or with `first` the first
    (a remote's URL, as fetch takes it); with `local`, only this repository's own `.git/config`.
    Section and variable names are case-insensitive (git lists them in lower case); a subsection
    (`remote.origin.url`'s `origin`) is not."""
    section, _, rest = key.partition(".")
    subsection, _, name = rest.rpartition(".")
    wanted = ".".join(part for part in (section.lower(), subsection, name.lower()) if part)
    found = None
    for scope, entry, value in entries:
        if entry == wanted and (not local or scope == "local"):
            if first:
                return value
            found = value
    return found


def identity_known(get: Callable[[str], str | None]) -> bool:
    """Whether git surely has a name and an e-mail for the author and the committer from the environment or
    its configuration (`get` answers a key), so `git var` need not be asked; when unsure, it is asked."""

    def given(role: str, what: str) -> bool:
        for value in (
            os.environ.get(f"GIT_{role.upper()}_{what.upper()}"),
            get(f"{role}.{what}"),
            get(f"user.{what}"),
            os.environ.get("EMAIL") if what == "email" else None,
        ):
            if value is not None:  # the first one set is the one git takes: it must not be empty
                return bool(value.strip())
        return False

    return all(given(role, what) for role in ("author", "committer") for what in ("name", "email"))


def kept_clear(head: str) -> str:
    """What `readlog sync` keeps in .git/readlog-attention when nothing needs the reader at `head` (and the
    remote's branch is not ahead of a push still to make): byte for byte as readlog.sync.repo writes it."""
    from readlog import __version__

    return f'{{"readlog": "{__version__}", "head": "{head}", "broken": [], "conflicts": [], "holds": null}}\n'


def git_locks(git_dir: str) -> list[str]:
    """Lock files git leaves when a command of it is killed: `.git/*.lock` and under `.git/refs/`."""
    found = []
    with os.scandir(git_dir) as entries:
        found += [e.path for e in entries if e.name.endswith(".lock") and os.path.isfile(e.path)]
    for folder, _, names in os.walk(os.path.join(git_dir, "refs")):
        found += [os.path.join(folder, n) for n in names if n.endswith(".lock")]
    return [path for path in found if os.path.isfile(path)]


def _likely_changed(root: str, git_dir: str) -> bool:
    """Whether readlog (or an editor that saves by renaming) wrote in the data dir or books/ since the last
    sync kept what it found: a file written there through a temp file changes the folder's time (and
    nothing else does: the lock file is there already, the sync writes in .git/). Then the sync is handed
    on without a look of its own (`git status` twice would be a tenth of a one-change sync). Only a guess
    that saves time: a write it misses (a file changed in place) is found by the look's `git status`; a
    folder touched with nothing to commit costs a full sync, which then says the same."""
    try:
        last = os.stat(os.path.join(git_dir, KEPT)).st_mtime_ns
        return any(os.stat(os.path.join(root, name)).st_mtime_ns >= last for name in ("", "books"))
    except OSError:
        return True


def stray_temp_files_here(root: str) -> bool:
    """Whether readlog.checkup.stray_temp_files would find any (a write a crash interrupted): its rule,
    without importing it."""
    for folder in TEMP_FOLDERS:
        try:
            entries = os.scandir(os.path.join(root, folder))
        except OSError:
            continue
        with entries:
            for entry in entries:
                name = entry.name
                # (readlog.checkup.is_temp_name: readlog's temp files and git's `.merge_file_XXXXXX`)
                if (
                    name[:1] == "."
                    and (name.endswith(".tmp") or name.startswith(MERGE_TEMP))
                    and entry.is_file(follow_symlinks=False)
                ):
                    return True
    return False


# --- the quick answer ----------------------------------------------------------------------------------
ALL_IN_SYNC = "all in sync with {remote}"
NO_REMOTE = "nothing new to commit; no remote to sync with (`readlog sync init URL` adds one)"


class _NotQuick(Exception):
    """Something a sync with nothing to do would not find: the sync is handed on (see Prepared), with
    its first local steps started (`early`) when they were."""

    def __init__(self, early: Early | None = None):
        super().__init__()
        self.early = early


class _Elsewhere(Exception):
    """Not a case for the quick look at all (a terminal, another working tree, a setting it does not
    read...): the command line runs `readlog sync` from the start, as it runs every other command."""


class Prepared:
    """A sync the quick look handed on (to readlog.__main__, then readlog.sync.repo.sync): it holds
    the sync's lock, which the sync keeps, and the fetch it started (None: not started), whose answer
    the sync takes, so neither is done twice; `root` is the top of its own repository, `git_dir` its git
    folder; `config` is `git config --list`'s answer (None: not read); `early`, the sync's first local
    steps, running under the journal's lock (readlog.sync.early; None: not started). `release` waits for
    them and for the fetch and lets the locks go."""

    def __init__(
        self,
        root: str,
        git_dir: str,
        lock: int,
        fetch: Running | None,
        config: list[ConfigEntry] | None,
        early: Early | None = None,
    ):
        self.root, self.git_dir, self.lock, self.fetch, self.config = root, git_dir, lock, fetch, config
        self.early = early

    def release(self) -> None:
        try:
            if self.early is not None:
                self.early.release()
            if self.fetch is not None and self.fetch.result is None and not self.fetch.expired:
                self.fetch.finish()
        except Exception:  # noqa: S110 - a fetch no one asked about: its answer does not matter
            pass
        finally:
            if self.lock >= 0:
                os.close(self.lock)
                self.lock = -1


def run(argv: Sequence[str]) -> str | Prepared | None:
    """`readlog ARGV` when it is a sync with nothing to do: its message (exit code 0). A sync with
    something to do, to say in plain lines: Prepared. Anything else: None (the command line runs it)."""
    if list(argv) != ["sync"]:
        return None
    try:
        return _nothing_to_do()
    except _Handed as handed:
        return handed.prepared
    except (_Elsewhere, OSError, UnicodeError, Missing, Expired, ValueError):
        return None


class _Handed(Exception):
    def __init__(self, prepared: Prepared):
        self.prepared = prepared


def _plain_messages() -> bool:
    """Whether the sync's messages are plain lines (not a terminal, colour not forced): the command line's
    colour rule (readlog.cli.app._message_color_mode) with nothing given on the command line."""
    if sys.stderr.isatty():
        return False
    if os.environ.get("FORCE_COLOR") or os.environ.get("CLICOLOR_FORCE", "0") not in ("", "0"):
        return False
    color = os.environ.get("READLOG_COLOR")
    if color is not None:
        return color in ("auto", "never")
    return _setting("color") in (None, "auto", "never")


def config_file() -> str | None:
    """Where readlog.config reads config.toml from ($READLOG_CONFIG, else the user's config folder), when
    something is there; None when nothing is (readlog.config answers every setting's default then)."""
    path = os.environ.get("READLOG_CONFIG")
    path = os.path.expanduser(path) if path else os.path.join(user_dir("config"), "config.toml")
    try:
        os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError:
        pass  # (readlog.config says what is wrong)
    return path


def _setting(name: str) -> object:
    """A setting from config.toml (None when there is no file); readlog.config reads it, imported only
    when the file is there."""
    if config_file() is None:
        return None
    from readlog import config

    try:
        return config.value(name)
    except config.ConfigError:
        raise _Elsewhere from None  # the command line says what is wrong with it


def _data_dir() -> str:
    """readlog.journal.default_data_dir() without an option (a test holds the two equal)."""
    home = os.environ.get("READLOG_HOME")
    if home:
        return os.path.expanduser(home)
    configured = _setting("data_dir")
    if configured:
        return os.path.expanduser(str(configured))
    return user_dir("data")


def _try_lock(path: str) -> int:
    """The lock readlog.files.hold_lock takes, if no one holds it now (else _NotQuick: the command line
    waits for it, and says so). Released when the descriptor is closed."""
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise _NotQuick from None
    except BaseException:
        os.close(fd)
        raise
    return fd


def _nothing_to_do() -> str:
    import stat

    if os.name != "posix" or not _plain_messages():
        raise _Elsewhere  # colour
    root = _data_dir()
    if sys.stdin.isatty() and any(os.path.lexists(os.path.join(root, name)) for name in INBOX_FILES):
        raise _Elsewhere  # a person at the keyboard is asked which book a not-sure inbox line meant
    git_dir = os.path.join(root, ".git")
    info = os.lstat(git_dir)  # the repository is the data dir's own: git finds it there, no further up
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        raise _Elsewhere
    if not git_folder(git_dir):
        raise _Elsewhere
    if not os.path.isdir(os.path.join(root, "books")):
        raise _Elsewhere
    executable = git_path()
    if executable is None:
        raise _Elsewhere
    env = environment()

    def git(*args: str) -> bytes:
        code, out, _ = Running(executable, root, args, env).finish()
        if code != 0:
            raise _NotQuick
        return out

    try:
        sync_lock = _try_lock(os.path.join(git_dir, SYNC_LOCK))
    except _NotQuick:
        raise _Elsewhere from None  # another sync: the command line waits for it, and says so
    fetch = None
    entries = None
    try:
        if os.path.lexists(os.path.join(git_dir, NETWORK_PID)):
            raise _NotQuick  # a killed sync's fetch or push may be running still: the sync waits for it
        # the fetch first, running while the rest is read (it only writes the remote's refs); without an
        # `origin` it fails, and is not looked at
        fetch = Running(executable, root, FETCH, env, record=os.path.join(git_dir, NETWORK_PID))
        listed = Running(executable, root, ("config", "--list", "-z", "--show-scope"), env).finish()
        if listed[0] != 0:
            raise _Elsewhere  # git cannot read its configuration: the command line says why
        entries = parse_config(listed[1].decode("utf-8", "replace"))
        keys = {key for _, key, _ in entries}
        if "core.worktree" in keys or config_value(entries, "core.bare") not in (None, "false"):
            raise _Elsewhere  # the working tree is elsewhere: the command line asks git where
        message = _settled(root, git_dir, git, fetch, entries)
    except _NotQuick as handed:
        raise _Handed(Prepared(root, git_dir, sync_lock, fetch, entries, handed.early)) from None
    except BaseException as error:
        if fetch is not None:  # waited for (a lock file left half way would be a note), unless Ctrl-C
            with contextlib.suppress(Exception):
                fetch.finish() if isinstance(error, Exception) else fetch.stop()
        os.close(sync_lock)
        raise
    os.close(sync_lock)
    return message


# Not --quiet: a fetch that updates no ref says nothing, and one that does names it on stderr; so a sync
# can take a remote's branch read while the fetch ran when the fetch said nothing (readlog.sync.early).
FETCH = ("fetch", "--no-tags", REMOTE)


def _settled(
    root: str, git_dir: str, git: Callable[..., bytes], fetch: Running, entries: list[ConfigEntry]
) -> str:
    """The message of a sync with nothing to do; _NotQuick at the first thing that is not so."""
    if any(key.startswith("url.") for _, key, _ in entries):
        raise _NotQuick  # a URL git rewrites: the sync asks git for the one it names
    if (
        config_value(entries, f"merge.{DRIVER}.name", local=True) != DRIVER_NAME
        or config_value(entries, f"merge.{DRIVER}.driver", local=True) != driver_command()
        or not identity_known(lambda key: config_value(entries, key))
    ):
        raise _NotQuick  # the sync sets these up first
    if _likely_changed(root, git_dir):
        # handed on at once, its first local steps (status, add) started, while the fetch runs
        raise _NotQuick(_start_early(root, git_dir, entries))
    remote = config_value(entries, f"remote.{REMOTE}.url", first=True)
    branch, head = _local(root, git_dir, git)
    fetched = fetch.finish()[0] == 0 or remote is None  # never waited for under the journal's lock
    if not fetched or git_locks(git_dir):
        raise _NotQuick
    if remote is None:
        return NO_REMOTE
    prefix = f"refs/remotes/{REMOTE}/"
    listed = git("for-each-ref", REFS_FORMAT, f"refs/heads/{branch}", prefix)
    refs = parse_refs(listed.decode("utf-8", "surrogateescape"))
    names = {name.removeprefix(prefix): oid for name, oid in refs.items() if name.startswith(prefix)}
    names.pop("HEAD", None)
    upstream = branch if branch in names or len(names) != 1 else next(iter(names))
    if refs.get(f"refs/heads/{branch}") != head or names.get(upstream) != head:
        raise _NotQuick  # something to push or to merge
    return ALL_IN_SYNC.format(remote=remote)


def _start_early(root: str, git_dir: str, entries: list[ConfigEntry]) -> Early | None:
    """The sync's first local steps, started under the journal's lock (readlog.sync.early), when nothing
    the sync does before them would do anything (the configuration is set up: checked before); None when
    something would, or the lock is held (the sync waits for it)."""
    try:
        lock = _try_lock(os.path.join(root, JOURNAL_LOCK))
    except (_NotQuick, OSError):
        return None
    try:
        if _acts_first(root, git_dir):
            raise _NotQuick
        from readlog.sync.early import Early

        return Early(root, git_dir, entries, lock)
    except BaseException as error:
        os.close(lock)
        if isinstance(error, Exception):
            return None
        raise


def _acts_first(root: str, git_dir: str) -> bool:
    """Under the journal's lock: whether a sync has something to do before it looks at what changed: a
    merge in progress (the sync refuses to go on: the reader's to finish), inbox lines (filed first), temp
    files of an interrupted write (cleared first)."""
    if os.path.lexists(os.path.join(git_dir, "MERGE_HEAD")):
        return True
    if any(os.path.lexists(os.path.join(root, name)) for name in INBOX_FILES):
        return True
    return stray_temp_files_here(root)


def _local(root: str, git_dir: str, git: Callable[..., bytes]) -> tuple[str, str]:
    """Under the journal's lock, what a sync with nothing to do finds on this disk: (branch, HEAD)."""
    journal_lock = _try_lock(os.path.join(root, JOURNAL_LOCK))
    try:
        if _acts_first(root, git_dir):
            raise _NotQuick
        status = parse_status_branch(git(*STATUS))
        branch, head = status.branch, status.head
        if status.changes or branch is None or head is None:
            raise _NotQuick  # a change to commit, a detached HEAD, no commit yet
        goals = os.path.join(root, "goals.toml")
        if os.path.isfile(goals):
            with open(goals, "rb") as file:
                if b"conflicts" in file.read():
                    raise _NotQuick
        try:
            with open(os.path.join(git_dir, KEPT), encoding="utf-8") as file:
                kept = file.read()
        except FileNotFoundError:
            raise _NotQuick from None
        if kept != kept_clear(head):
            raise _NotQuick  # books that need the reader, or another commit's: the sync looks again
        return branch, head
    finally:
        os.close(journal_lock)


# --- `git status --porcelain=v2 -z --branch`, as the sync reads it ----------------------------------------
class Status:
    """`git status --porcelain=v2 --branch`: the branch (None: a detached HEAD), its commit (None: no commit
    yet) and the changed paths, as (XY or '?', path); `plain`: every change an ordinary file's content or
    presence (see `staged_read`)."""

    __slots__ = ("branch", "head", "changes", "plain")

    def __init__(
        self, branch: str | None, head: str | None, changes: list[tuple[str, str]], plain: bool = False
    ):
        self.branch, self.head, self.changes, self.plain = branch, head, changes, plain


def parse_status_branch(raw: bytes) -> Status:
    branch: str | None = None
    head: str | None = None
    for record in raw.decode("utf-8", "surrogateescape").split("\0"):
        if record.startswith("# branch.oid "):
            oid = record[len("# branch.oid ") :]
            head = None if oid == "(initial)" else oid
        elif record.startswith("# branch.head "):
            name = record[len("# branch.head ") :]
            branch = None if name == "(detached)" else name
    return Status(branch, head, parse_status(raw), _plain_changes(raw))


def _plain_changes(raw: bytes) -> bool:
    """Whether every change in `git status --porcelain=v2 -z` output is a file added, removed or with new
    content and nothing else (no unmerged path, no submodule, no file mode changed, no newline in a path),
    so that `git diff --cached --raw` after adding them would list exactly the paths whose blob in HEAD
    and in the index differ (see Git.staged_read)."""
    for record in raw.decode("utf-8", "surrogateescape").split("\0"):
        if not record or record[0] == "#":
            continue
        if record[0] == "?":
            if "\n" in record or record.endswith("/"):  # (a folder: a repository of its own inside)
                return False
            continue
        if record[0] != "1":
            return False
        parts = record.split(" ", 8)
        sub, head_mode, work_mode, path = parts[2], parts[3], parts[5], parts[8]
        if sub != "N..." or "\n" in path:
            return False
        if head_mode != work_mode and "000000" not in (head_mode, work_mode):
            return False  # a mode changed (a file made executable, a link made a file)
    return True


def parse_status(raw: bytes) -> list[tuple[str, str]]:
    """`git status --porcelain=v2 -z` records -> (XY or '?', path)."""
    out = []
    for record in raw.decode("utf-8", "surrogateescape").split("\0"):
        if not record:
            continue
        kind = record[0]
        if kind == "1":  # 1 XY sub mH mI mW hH hI path
            parts = record.split(" ", 8)
            out.append((parts[1], parts[8]))
        elif kind == "u":  # u XY sub m1 m2 m3 mW h1 h2 h3 path
            parts = record.split(" ", 10)
            out.append(("UU", parts[10]))
        elif kind == "?":
            out.append(("?", record[2:]))
    return out
