"""The one place readlog runs git: `git -C DIR ...` as a subprocess, the way pass (password-store) does.

Every call gets an explicit environment (never a prompt: no terminal questions, no credential helpers
asking, ssh in batch mode; messages in English so they can be read back), machine-readable output
(`--porcelain=v2 -z`, `-z`, `--format`), and its return code checked. A missing git is one clear error.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from readlog.errors import ReadlogError
from readlog.sync.process import (  # how git is started
    NETWORK_COMMANDS,
    NETWORK_PID,
    Expired,
    Missing,
    Running,
    environment,
)
from readlog.sync.quick import (  # the parsing the quick look shares
    ADD_NAMED,
    CAT_FILE,
    LITERAL,
    REFS_FORMAT,
    STATUS,
    Status,
    batch_input,
    config_value,
    named,
    parse_config,
    parse_refs,
    parse_status_branch,
    plain_commit_allowed,
    staged_specs,
)


class GitMissing(ReadlogError):
    pass


class GitFailed(ReadlogError):
    def __init__(self, args: Sequence[str], code: int, stderr: str):
        self.args_ = list(args)
        self.code = code
        self.stderr = stderr.strip()
        self.reason = reason(self.stderr) or f"exit status {code}"
        super().__init__(f"git {args[0] if args else ''} failed: {self.reason}")


def reason(stderr: str) -> str:
    """The line of git's message that says what went wrong (its first `fatal:` or `error:`)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        for prefix in ("fatal:", "error:"):
            if line.startswith(prefix):
                return line[len(prefix) :].strip()
    return lines[-1] if lines else ""


class Result:
    """One git command's exit code, output and error text. (Plain classes here and in readlog.sync.repo,
    not dataclasses: building a dataclass runs generated code at import, ~0.3 ms each, on every sync.)"""

    __slots__ = ("code", "out", "err")

    def __init__(self, code: int, out: bytes, err: str):
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"Result(code={self.code!r}, out={self.out!r}, err={self.err!r})"

    @property
    def text(self) -> str:
        return self.out.decode("utf-8", "replace")


def git_path() -> str:
    from readlog.sync.process import git_path as which

    found = which()
    if found is None:
        raise GitMissing("git is not installed (or not on PATH): `readlog sync` and `readlog log` need it")
    return found


class Unknown:
    """Not known yet: ask git (for an argument whose None already means something)."""


UNKNOWN = Unknown()


class Git:
    """git in one working directory."""

    def __init__(self, root: Path):
        self.root = root
        self.executable = git_path()
        self._env = environment()
        # What one process told us, kept for this object's life (a sync asks each once): the repository's
        # top and git folder; the configuration, every scope (dropped when readlog sets a value).
        self._where: tuple[Path, Path] | None = None
        self._config: list[tuple[str, str, str]] | None = None

    def run(
        self,
        *args: str,
        check: bool = True,
        stdin: bytes | None = None,
        ok: Sequence[int] = (0,),
        timeout: float | None = None,
        env: dict[str, str] | None = None,
    ) -> Result:
        """`git -C root ARGS`; raises GitFailed unless the exit code is in `ok` (with `check`). A command
        that talks to the remote runs, with everything it starts (a remote helper, ssh, a local remote's
        hooks), in a process group of its own, all stopped at its deadline, so nothing is left holding
        readlog's pipes."""
        return self.finish(self.start(*args, stdin=stdin, timeout=timeout, env=env), check=check, ok=ok)

    def start(
        self,
        *args: str,
        stdin: bytes | None = None,
        timeout: float | None = None,
        env: dict[str, str] | None = None,
    ) -> Running:
        """`git -C root ARGS` started, not waited for: `finish` gives its result (a fetch runs while the
        local steps do)."""
        if args and args[0] in ("config", "remote", "init"):  # may change what was read: read it again
            self._config = None
            if args[0] == "init":
                self._where = None
        record = None  # a fetch's or a push's process id, kept in .git/ while it runs (wait_for_orphan)
        if args and args[0] in NETWORK_COMMANDS and self._where is not None:
            record = str(self._where[1] / NETWORK_PID)
        try:
            return Running(
                self.executable, str(self.root), args, self._env if env is None else {**self._env, **env},
                stdin, timeout, record,
            )  # fmt: skip
        except Missing:
            raise GitMissing("git is not installed (or not on PATH)") from None

    def finish(self, running: Running, check: bool = True, ok: Sequence[int] = (0,)) -> Result:
        """The result of a command `start`ed (this object's or readlog.sync.quick's): raises GitFailed
        unless the exit code is in `ok` (with `check`)."""
        args = running.args
        try:
            code, out, err = running.finish()
        except Expired:
            if running.network:
                raise GitFailed(args, -1, f"fatal: no answer within {running.timeout:.0f} s") from None
            raise ReadlogError(
                f"git {args[0]} took longer than {running.timeout:.0f} s and was stopped"
            ) from None
        result = Result(code, out, err.decode("utf-8", "replace"))
        if check and result.code not in ok:
            raise GitFailed(args, result.code, result.err)
        return result

    def assume(self, git_dir: str, config: list[tuple[str, str, str]] | None) -> Git:
        """What readlog.sync.quick found out already: `root` is the top of its own repository with this
        git folder, and (unless None) this is `git config --list`'s answer."""
        self._where = self.root, Path(git_dir)
        if config is not None:
            self._config = config
        return self

    def out(self, *args: str) -> str:
        return self.run(*args).text.strip()

    def out_env(self, env: dict[str, str], *args: str) -> str:
        return self.run(*args, env=env).text.strip()

    # --- the repository ----------------------------------------------------------------------------
    def _locate(self) -> tuple[Path, Path] | None:
        """(the top of the working tree, the git folder), both from one `rev-parse`; None outside a
        repository (or in a bare one)."""
        if self._where is None:
            result = self.run("rev-parse", "--show-toplevel", "--absolute-git-dir", check=False)
            lines = result.text.splitlines()
            if result.code != 0 or len(lines) != 2:
                return None
            self._where = Path(lines[0]), Path(lines[1])
        return self._where

    def toplevel(self) -> Path | None:
        where = self._locate()
        return where[0] if where is not None else None

    def is_own_repository(self) -> bool:
        """True when `root` is the top of a repository (not a folder inside someone else's)."""
        top = self.toplevel()
        return top is not None and top.resolve() == self.root.resolve()

    def git_dir(self) -> Path:
        where = self._locate()
        if where is None:
            return Path(self.out("rev-parse", "--absolute-git-dir"))  # its error, in git's words
        return where[1]

    def initialise(self) -> None:
        """`git init` here (on `main`)."""
        self.run("init", "--quiet", "--initial-branch=main")

    def branch(self) -> str:
        result = self.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        if result.code != 0:
            raise ReadlogError(
                f"{self.root} is not on a branch (detached HEAD): `git -C {self.root} switch main`"
            )
        return result.text.strip()

    def head(self) -> str | None:
        result = self.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
        return result.text.strip() if result.code == 0 else None

    def resolve_commit(self, rev: str) -> str | None:
        if rev.startswith("-"):  # never let a revision be read as an option
            return None
        result = self.run(
            "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False
        )
        return result.text.strip() if result.code == 0 else None

    def _configuration(self) -> list[tuple[str, str, str]]:
        """(scope, key, value) of every configuration entry git sees here, in its order, from one
        `git config --list`; read once, then answered from memory."""
        if self._config is None:
            result = self.run("config", "--list", "-z", "--show-scope", check=False)
            self._config = parse_config(result.text) if result.code == 0 else []
        return self._config

    def config_get(self, key: str, local: bool = False, first: bool = False) -> str | None:
        """The value of `key`: the last one set (as `git config --get` answers), or with `first` the first
        (a remote's URL, as fetch takes it); with `local`, only this repository's own `.git/config`."""
        return config_value(self._configuration(), key, local, first)

    def config_set(self, key: str, value: str) -> None:
        if self.config_get(key, local=True) != value:
            self.run("config", "--local", key, value)

    def remote_url(self, name: str = "origin") -> str | None:
        """The remote's URL as readlog names it in messages: from the configuration already read, unless a
        `url.*.insteadOf` may rewrite it (then git's own `remote get-url` answers)."""
        url = self.config_get(f"remote.{name}.url", first=True)
        if url is None:
            return None
        if any(key.startswith("url.") for _, key, _ in self._configuration()):
            result = self.run("remote", "get-url", name, check=False)
            return result.text.strip() if result.code == 0 else None
        return url

    def refs(self, *patterns: str) -> dict[str, str]:
        """Ref name -> commit id of every ref under `patterns` (`refs/remotes/origin/`, `refs/heads/main`),
        in one `for-each-ref`."""
        return parse_refs(self.out("for-each-ref", REFS_FORMAT, *patterns))

    def merge_base(self, one: str, other: str) -> str | None:
        """The best common ancestor of two commits; None when their histories never met."""
        result = self.run("merge-base", one, other, check=False, ok=(0, 1))
        return result.text.strip() or None if result.code == 0 else None

    # --- the working tree ---------------------------------------------------------------------------
    def status(self) -> Status:
        """The branch, its commit and every path that differs from HEAD (untracked ones included), from
        one `git status --porcelain=v2 --branch`."""
        return parse_status_branch(self.run(*STATUS).out)

    def add_named(self, paths: Sequence[str]) -> None:
        """`git add` of exactly these paths (the ones `status` named: what `add --all` would stage, without
        git looking at every file again); none, nothing to run."""
        if paths:
            self.run(*ADD_NAMED, stdin=named(paths), env=LITERAL)

    def changes(self) -> list[tuple[str, str]]:
        """(state, path) for each path that differs from HEAD, untracked ones included (porcelain v2)."""
        return self.status().changes

    def staged(self, head: str | None | Unknown = UNKNOWN) -> list[Changed]:
        """What the index holds against HEAD (the blobs of both sides by id). `head`, when the caller knows
        it (None: no commit yet), saves asking."""
        if isinstance(head, Unknown):
            head = self.head()
        return self._raw_diff("--cached", head if head is not None else EMPTY_TREE)

    def staged_read(
        self, paths: Sequence[str], ref: str | None = None, started: Running | None = None
    ) -> tuple[list[Changed], list[bytes | None], str | None] | None:
        """What `staged` answers for a HEAD and an index that can differ only at `paths` (the paths a
        `plain` status named, all added since), with each change's old and new contents, as `blobs` gives
        them for (old, new, old, new, ...): one `cat-file --batch` of `HEAD:PATH` and `:0:PATH` for
        every path instead of a `diff --cached` and a `cat-file`. Changes in git's path order. With `ref`
        (a full ref name), the commit it names is read in the same batch (None: no such ref, or not a
        commit). None when a path is not a file on either side (the caller asks `staged`). `started`: that
        `cat-file --batch` (with `ref`) started already (readlog.sync.early)."""
        ordered, specs = staged_specs(paths)
        found = self._batch(specs + ([ref] if ref is not None else []), started)
        named = found.pop() if ref is not None else (None, None, None)
        commit = named[0] if named[1] == "commit" else None
        changed: list[Changed] = []
        contents: list[bytes | None] = []
        for number, path in enumerate(ordered):
            (old_id, old_kind, old), (new_id, new_kind, new) = found[2 * number], found[2 * number + 1]
            if old_id == new_id:
                continue  # added as it was: no change to commit
            if old_kind not in (None, "blob") or new_kind not in (None, "blob"):
                return None  # not a file: `staged` says what it is
            state = "A" if old_id is None else "D" if new_id is None else "M"
            changed.append(Changed(state, path, old_id or NO_OBJECT, new_id or NO_OBJECT))
            contents += [old, new]
        return changed, contents, commit

    def changed_between(self, old: str, new: str) -> list[Changed]:
        return self._raw_diff(old, new)

    def _raw_diff(self, *args: str) -> list[Changed]:
        raw = self.run("diff", "--raw", "-z", "--no-renames", "--no-abbrev", *args).out
        fields = raw.decode("utf-8", "surrogateescape").split("\0")
        out = []
        for i in range(0, len(fields) - 1, 2):  # ":oldmode newmode oldid newid S" NUL path NUL
            info = fields[i].split()
            if len(info) == 5:
                out.append(Changed(info[4][0], fields[i + 1], info[2], info[3], info[1]))
        return out

    def blobs(self, specs: Sequence[str]) -> list[bytes | None]:
        """The contents of objects (ids, or `REV:PATH`) in one `git cat-file --batch`; None where missing.
        Ids are much faster for many files: each `REV:PATH` walks the tree again."""
        return [data for _, _, data in self._batch(specs)]

    def _batch(
        self, specs: Sequence[str], started: Running | None = None
    ) -> list[tuple[str | None, str | None, bytes | None]]:
        """(object id, type, contents) of each of `specs` from one `git cat-file --batch` (`started`: that
        one, asked for `specs` already); (None, None, None) where missing."""
        if started is not None:
            raw = self.finish(started).out
        elif not specs:
            return []
        else:
            raw = self.run(*CAT_FILE, stdin=batch_input(specs)).out
        out: list[tuple[str | None, str | None, bytes | None]] = []
        position = 0
        for _ in specs:
            end = raw.index(b"\n", position)
            line = raw[position:end]
            header = line.split()
            position = end + 1
            if len(header) == 3 and not line.endswith((b" missing", b" ambiguous")):  # (a name has spaces)
                size = int(header[2])
                out.append((header[0].decode(), header[1].decode(), raw[position : position + size]))
                position += size + 1
            else:
                out.append((None, None, None))
        return out

    def commit(self, message: str) -> None:
        self.run("commit", "--quiet", "--no-verify", "-m", message)

    def plain_commit_allowed(self) -> bool:
        """Whether `commit_on` makes the very commit `commit` would: nothing in the configuration that
        `git commit` heeds and the plumbing does not (signing, a cleanup mode, an encoding, hooks moved),
        and none of the hooks `commit --no-verify` still runs (or that read ref updates) installed."""
        return plain_commit_allowed(self._configuration(), str(self.git_dir()))

    def commit_on(self, message: str, head: str, tree: str) -> str:
        """The commit `commit --no-verify -m MESSAGE` makes on `head`, made by plumbing: of `tree` (the
        index's, from `write-tree`), `commit-tree` (the message cleaned as `commit` cleans a `-m`
        message), and `update-ref` of HEAD
        from `head` (refused if HEAD moved meanwhile) with the reflog line `commit` writes. Unlike `commit`
        it does not refresh the whole index (status just did) nor start `git maintenance run --auto` (the
        sync's fetch has just run it). Returns the new commit. Only where `plain_commit_allowed`."""
        text = strip_space(message)
        made = self.run(
            "commit-tree", tree, "-p", head, "-F", "-", stdin=text.encode("utf-8", "surrogateescape")
        )
        new = made.text.strip()
        self.run("update-ref", "-m", "commit: " + text.split("\n", 1)[0], "HEAD", new, head)
        return new


def strip_space(message: str) -> str:
    """A commit message as `git commit -m` cleans it by default (git's `stripspace`, mode "whitespace"):
    spaces, tabs and carriage returns at the end of each line removed, runs of empty lines made one, empty
    lines at the start and the end dropped, every line ended by a newline."""
    out: list[str] = []
    empties = 0
    for line in message.split("\n"):
        line = line.rstrip(" \t\r\n")
        if not line:
            empties += 1
            continue
        if empties and out:
            out.append("")
        empties = 0
        out.append(line)
    return "".join(line + "\n" for line in out)


def merge_file_sides(base: str, ours: str, theirs: str) -> tuple[str, str]:
    """A text both devices changed (a review's body), merged by lines as git merges a file (`git
    merge-file`): what each side changed where the other did not is in both results; where both changed
    the same lines, the first result has this side's lines and the second the other side's (`--ours`,
    `--theirs`). The same text twice: no conflict. (merge.TextMerge, for the merge driver.)"""
    import tempfile

    from readlog.sync.merge import text_sides

    if "\n" not in base + ours + theirs:
        return ours, theirs  # one line each, changed differently on both sides: no need to ask git
    if "\0" in base + ours + theirs:
        return text_sides(base, ours, theirs)  # git takes a text with a NUL for a binary file
    with tempfile.TemporaryDirectory(prefix="readlog-text-") as folder:
        names = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(folder) / name
            path.write_bytes(text.encode("utf-8", "surrogateescape"))
            names.append(str(path))
        try:
            git = Git(Path(folder))
            results = [
                git.run("merge-file", "-p", f"--{side}", "--", *names).out.decode("utf-8", "surrogateescape")
                for side in ("ours", "theirs")
            ]
        except ReadlogError:  # git refused (or is gone): the same line merge, without it
            return text_sides(base, ours, theirs)
    return results[0], results[1]


EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
NO_OBJECT = "0" * 40


class Changed:
    """One path that differs between two trees (or the index and HEAD): `state` A added, M modified,
    D deleted, T type changed; `old` and `new` the blob ids (NO_OBJECT where the path is absent on that
    side); `mode` the new side's git mode (100644 a file, 120000 a symbolic link, 160000 a submodule)."""

    __slots__ = ("state", "path", "old", "new", "mode")

    def __init__(self, state: str, path: str, old: str, new: str, mode: str = ""):
        self.state, self.path, self.old, self.new, self.mode = state, path, old, new, mode

    def _fields(self) -> tuple[str, str, str, str, str]:
        return self.state, self.path, self.old, self.new, self.mode

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Changed) and self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # (as a dataclass with eq: mutable, not hashable)

    def __repr__(self) -> str:
        return "Changed({!r}, {!r}, {!r}, {!r}, {!r})".format(*self._fields())
