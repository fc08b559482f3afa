"""The journal's history from git: `readlog log [BOOK]` in words, and a book as it was (`show --at`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from readlog.errors import BookNotFound, NewerSchema, ReadlogError, UsageError
from readlog.sync.git import EMPTY_TREE, Git

if TYPE_CHECKING:
    from readlog.identity import Candidate
    from readlog.journal import Journal
    from readlog.model import Book, Entry

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class LogEntry:
    commit: str
    date: str  # ISO 8601, the author's clock
    message: str  # the commit's subject
    changes: list[str] = field(default_factory=list)  # for one book: "finished, rated 4.5", ...

    def to_json(self) -> dict[str, Any]:
        return {"commit": self.commit, "date": self.date, "message": self.message, "changes": self.changes}


def repository(journal: Journal) -> Git:
    """git in the data dir, which must be a repository of its own."""
    git = Git(journal.root)
    if not journal.root.is_dir() or not git.is_own_repository():
        raise ReadlogError(
            f"{journal.root} has no history: it is not a git repository (`readlog sync init` makes it one)"
        )
    return git


def book_slug(journal: Journal, query: str) -> str:
    """BOOK for history: a book in the journal, or the slug of one that was removed but has a history."""
    return find_book(journal, query)[0]


def find_book(journal: Journal, query: str) -> tuple[str, Candidate | None]:
    """`book_slug`, and the book when the query did not surely name it (read-only: the one book a not-sure
    query found is shown, and the reader told which)."""
    from readlog.text import is_slug

    try:
        found = journal.find(query, fuzzy=True)
    except BookNotFound:
        if is_slug(query):
            return query, None
        raise
    return found.slug, (None if found.how.sure else found.candidate)


def journal_log(journal: Journal, limit: int | None = None) -> list[LogEntry]:
    """Every commit, newest first: readlog's commit messages already say what changed, in words."""
    git = repository(journal)
    if git.head() is None:
        return []
    args = ["log", "-z", "--format=%H%x1f%aI%x1f%s"]
    if limit:
        args.append(f"--max-count={limit}")
    out = []
    for record in git.run(*args).text.split("\0"):
        if record.strip():
            commit, date, subject = record.strip("\n").split("\x1f", 2)
            out.append(LogEntry(commit, date, subject))
    return out


Record = tuple[
    str, str, str, str
]  # a commit, its parents, its date, its message (the subject its first line)


@dataclass
class Followed:
    """A book file's history (`follow`): every name it had (`paths`, the one asked first), the commits that
    touched it under any, oldest first (`records`), and for each of them the names that were this book's
    then (`names`, in `paths`' order): a slug another book took after this one was renamed away is this
    book's only up to the rename, and the other's after."""

    paths: list[str]
    records: list[Record]
    names: list[list[str]]


def follow(git: Git, path: str) -> Followed:
    """A book file's every name (`path` first, then those it was renamed from or to: a `mv`, a new slug)
    and the commits that touched it under any, oldest first, both sides of every merge. One `git log`
    when the file was never renamed, and a `git diff -M` (git's rename detection) for each commit that
    added or removed it (not the first commit: it has no parent), which is where a rename shows.

    A name's lives: a slug renamed away (`mv books/hyperion.toml books/hyperion-simmons.toml`) and later
    given to another book (`add Hyperion -a Hölderlin`) is two books' name, one after the other. The name
    is another life from each such add on (an add of a name after a rename took it away); the book asked
    for has the last life of `path`, and of each other name the life that holds the rename linking it, so
    neither book's history takes in the other's."""
    paths = [path]
    anchors: dict[str, str | None] = {path: None}  # name -> the rename's commit that linked it (None: HEAD)
    renames: dict[str, list[tuple[str, str]]] = {}  # commit -> (old, new) git's rename detection found there
    while True:
        raw = git.run(
            "log", "-z", "--full-history", "--date-order", "--reverse", "--no-renames", "--name-status",
            "--format=%x1e%H%x1f%P%x1f%aI%x1f%B", "HEAD", "--", *paths,
        ).text  # fmt: skip
        records: list[Record] = []
        touched: list[list[tuple[str, str]]] = []  # each record's (status, name)
        for chunk in raw.split("\x1e")[1:]:
            header, _, changed = chunk.partition("\0")
            commit, parents, date, message = header.split("\x1f", 3)
            records.append((commit, parents, date, message.strip("\n")))
            fields = [f.strip("\n") for f in changed.split("\0")]
            statuses = list(zip(fields[::2], fields[1::2], strict=False))
            touched.append(statuses)
            ends = parents and " " not in parents and any(s in ("A", "D") for s, _ in statuses)
            if ends and commit not in renames:
                renames[commit] = _renamed(git, parents, commit)
        at = {record[0]: i for i, record in enumerate(records)}
        lives = _lives(paths, touched, renames, at)
        last = len(records) - 1
        chosen = {
            name: lives(name, last if commit is None else at.get(commit, last))
            for name, commit in anchors.items()
        }
        more: list[str] = []
        for commit, found in renames.items():
            i = at.get(commit, -1)
            for old, new in found if i >= 0 else ():
                for one, other in ((old, new), (new, old)):
                    life = chosen.get(one)
                    if life is not None and life[0] <= i < life[1] and other not in paths + more:
                        more.append(other)
                        anchors[other] = commit
        if more:
            paths += more
            continue
        kept = Followed(paths, [], [])
        for i, record in enumerate(records):
            names = [name for name in paths if chosen[name][0] <= i < chosen[name][1]]
            mine = [name for _, name in touched[i] if name in names]
            if names and (mine or not touched[i]):  # (a merge: git names no file; described by its sides)
                kept.records.append(record)
                kept.names.append(names)
        return kept


def _renamed(git: Git, parent: str, commit: str) -> list[tuple[str, str]]:
    """The book files `commit` renamed (old, new), by git's rename detection against its one parent."""
    out = git.run("diff", "-M", "--diff-filter=R", "--name-status", "-z", parent, commit, "--", "books/")
    fields = [f.strip("\n") for f in out.text.split("\0")]
    return [
        (fields[i + 1], fields[i + 2])
        for i in range(len(fields) - 2)
        if fields[i].startswith("R")  # "R100" NUL old NUL new
    ]


def _lives(
    paths: list[str],
    touched: list[list[tuple[str, str]]],
    renames: dict[str, list[tuple[str, str]]],
    at: dict[str, int],
) -> Callable[[str, int], tuple[int, int]]:
    """For a name and a record's place, the life of the name that holds it: (first record, end). A life
    ends where the name is added again after a rename took it away (another book's from there on)."""
    away: dict[str, int] = {}  # name -> the first record that renamed it away
    for commit, found in renames.items():
        i = at.get(commit, -1)
        for old, _ in found if i >= 0 else ():
            away[old] = min(away.get(old, i), i)
    starts: dict[str, list[int]] = {name: [0] for name in paths}
    for i, statuses in enumerate(touched):
        for status, name in statuses:
            if status == "A" and name in starts and away.get(name, i) < i:
                starts[name].append(i)
    end = len(touched)

    def life(name: str, i: int) -> tuple[int, int]:
        bounds = [*starts[name], end]
        for first, after in zip(bounds, bounds[1:], strict=False):
            if first <= i < after:
                return first, after
        return bounds[-2], end

    return life


def book_log(journal: Journal, slug: str, limit: int | None = None) -> list[LogEntry]:
    """One book's history, oldest first (the last `limit` changes), each commit that touched it described
    in words; across its renames, and both sides of every merge (a removal on one device is in it)."""
    from readlog.sync.describe import another_book, as_it_was, changes, problem, read_version

    git = repository(journal)
    path = f"books/{slug}.toml"
    if git.head() is None:
        raise ReadlogError(_no_history(journal, slug))
    followed = follow(git, path)
    records = followed.records
    if not records:
        raise ReadlogError(_no_history(journal, slug))
    specs = []
    for (commit, parents, _, _), names in zip(records, followed.names, strict=True):
        # a merge is described by what it made that neither side had (a recorded conflict, a merged text);
        # what came from one side was already told by that side's own commit
        for rev in [*(parents.split()[:2] or [EMPTY_TREE]), commit]:
            specs += [f"{rev}:{name}" for name in names]
    # the commits that may have merged this book into another, or another into it: their versions are
    # read with the book's own, in one `cat-file`
    singles = [
        (r[0], r[1], n) for r, n in zip(records, followed.names, strict=True) if _MAY_REMOVE.search(r[3])
    ]
    subjects = {record[0]: record[3] for record in records}
    pairs = merge_pairs(git, singles, subjects)
    read = git.blobs(specs + pair_specs(pairs))
    blobs = iter(read[: len(specs)])

    def version(names: list[str]) -> tuple[str | None, bytes | None]:
        """The book at the next revision asked for: under the first of its names there (None: absent)."""
        found = [(name, next(blobs)) for name in names]
        return next(((name, raw) for name, raw in found if raw is not None), (None, None))

    merged = merged_pairs(pairs, read[len(specs) :], subjects)
    merges = _merges(merged, singles, path)
    # git's rename detection may pair B with an A made in the same commit: that is the merge, said so
    no_rename = {f"renamed: {_stem(b)} → {_stem(a)}" for _, b, a in merged}
    out = []
    last: Book | None = None  # the book as it last parsed (a version that does not parse is still it)
    for (commit, parents, date, subject), names in zip(records, followed.names, strict=True):
        before = [version(names) for _ in parents.split()[:2] or [EMPTY_TREE]]
        where, raw_new = version(names)
        new = read_version(raw_new, where or path)
        told = []
        for was, raw_old in before:
            old = read_version(raw_old, was or path)
            if raw_new is not None and new is None:  # no book now: said so, never "removed"
                why = problem(raw_new, where or path)
                said = (
                    "unreadable now"
                    if old is not None
                    else "added, not a book yet"
                    if raw_old is None
                    else ("edited, still unreadable")
                )
                lines = [f"{said} ({why})"]
            elif raw_old is not None and old is None and new is not None and last is not None:
                lines = ["mended", *(change.past for change in changes(last, new))]  # (never "added")
            elif old is not None and new is not None and another_book(old, new):
                lines = [f"“{old.title}” left this file: it holds “{new.title}” now"]
            elif not parents and new is not None:  # the journal's first commit: the book was there before
                lines = [as_it_was(new, subject)]
            else:
                lines = [change.past for change in changes(old, new)]
            if was is not None and where is not None and was != where:
                lines.insert(0, f"renamed: {_stem(was)} → {_stem(where)}")
            told.append(lines)
        found = [line for line in told[0] if all(line in other for other in told[1:])]
        if commit in merges:  # `readlog merge A B`: said as a merge, not as B removed or A finished
            found = [line for line in found if line.startswith("renamed: ") and line not in no_rename]
            found += merges[commit]
        if new is not None and len(before) > 1 and _kept_back(git, parents.split()[:2], before, names):
            found.append("back: removed on one device, changed on the other, kept by the merge")
        if found:
            out.append(LogEntry(commit, date, subject.split("\n", 1)[0], found))
        last = new if new is not None else last
    return out[-limit:] if limit else out


def _merges(
    found: list[tuple[str, str, str]], singles: list[tuple[str, str, list[str]]], asked: str = ""
) -> dict[str, list[str]]:
    """Of the merges `found` (commit, B, A), what this book's history says of each (its names in each
    commit: `singles`; `asked`, the file asked about, which is A's where git's rename detection gave it
    B's name too): {commit: [its line]}."""
    names = {commit: mine for commit, _, mine in singles}
    out: dict[str, list[str]] = {}
    for commit, b, a in found:
        if b in names[commit] and a != asked:
            out[commit] = [f"merged into {_stem(a)}"]
        elif commit not in out or not out[commit][0].startswith("merged into"):
            out.setdefault(commit, []).append(f"merged: {_stem(b)} went into it")
    return out


# A commit readlog made that may have removed a book says so in its subject (`merge "B" into "A"`, `remove
# "B"`), or has more changes than its subject holds: only those are looked at for merges, so that a
# book's history with none costs no git command more. (A commit made by hand with another subject is told
# as a removal, as before.)
_MAY_REMOVE = re.compile(r'(?:^|; |\n- )(?:merge|remove) "|; and \d+ more')  # (the body lists every change)

Pair = tuple[str, str, str, str]  # a commit, its parent, a book file it removed (B), one it changed (A)


def merges_in(git: Git, commits: list[tuple[str, str, list[str]]]) -> list[tuple[str, str, str]]:
    """Which of `commits` (commit, its parents, the paths asked about) merged a book into another
    (`readlog merge A B`: B's file removed, A's changed and holding B, describe.merged_into), with B or A
    among the paths asked about: (commit, B's path, A's path). Merge commits are not looked at (their
    sides are). Two git commands at most, however many commits."""
    pairs = merge_pairs(git, commits)
    return merged_pairs(pairs, git.blobs(pair_specs(pairs))) if pairs else []


def merge_pairs(
    git: Git, commits: list[tuple[str, str, list[str]]], subjects: dict[str, str] | None = None
) -> list[Pair]:
    """The (B, A) candidates of `merges_in`: one `git log` (none when no commit has one parent). A file
    added (A made in that commit too) is a candidate only where the commit's subject (`subjects`) says it
    merged (`merge "B" into "A"`): an import's commit adds many."""
    singles = [(c, p, paths) for c, p, paths in commits if p and " " not in p]
    if not singles:
        return []
    raw = git.run(
        "log", "--no-walk=unsorted", "--no-renames", "--diff-filter=ADM", "--name-status", "-z",
        "--format=%x1e%H", *[commit for commit, _, _ in singles], "--", "books/",
    ).text  # fmt: skip
    touched: dict[str, list[tuple[str, str]]] = {}
    for chunk in raw.split("\x1e")[1:]:
        header, _, changed = chunk.partition("\0")
        fields = [f.strip("\n") for f in changed.split("\0")]
        touched[header.strip()] = list(zip(fields[::2], fields[1::2], strict=False))
    pairs = []
    for commit, parent, mine in singles:
        statuses = touched.get(commit, [])
        gone = [path for status, path in statuses if status == "D" and path.endswith(".toml")]
        kinds = ("M", "A") if 'merge "' in (subjects or {}).get(commit, "") else ("M",)
        kept = [path for status, path in statuses if status in kinds and path.endswith(".toml")]
        pairs += [(commit, parent, b, a) for b in gone for a in kept if b in mine or a in mine]
    return pairs


def pair_specs(pairs: list[Pair]) -> list[str]:
    """The versions `merged_pairs` reads of each pair: B before, A before, A after."""
    return [spec for c, p, b, a in pairs for spec in (f"{p}:{b}", f"{p}:{a}", f"{c}:{a}")]


def merged_pairs(
    pairs: list[Pair], blobs: list[bytes | None], subjects: dict[str, str] | None = None
) -> list[tuple[str, str, str]]:
    """The pairs that are a merge (describe.merged_into), given their versions (`pair_specs`, read). A
    pair whose A is new in that commit (B merged into a file made by hand before a sync) looks like a
    rename in git: it is a merge only where its commit's subject (`subjects`) says so, as sync wrote it."""
    from readlog.sync.describe import merged_into, read_version

    out = []
    for n, (commit, _, b, a) in enumerate(pairs):
        triple = zip(blobs[3 * n : 3 * n + 3], (b, a, a), strict=True)
        was, old, new = (read_version(raw, path) for raw, path in triple)
        if was is None or new is None:
            continue
        if old is None and f'merge "{was.title}" into "{new.title}"' not in (subjects or {}).get(commit, ""):
            continue
        if merged_into(was, old, new):
            out.append((commit, b, a))
    return out


def _kept_back(
    git: Git, parents: list[str], before: list[tuple[str | None, bytes | None]], paths: list[str]
) -> bool:
    """A merge that kept a book one side had removed: the book absent on one side, there on the other,
    and there where the two began (else the side without it never had it: a book added on one device)."""
    if not any(raw is None for _, raw in before) or all(raw is None for _, raw in before):
        return False
    base = git.merge_base(*parents)
    return base is not None and any(raw is not None for raw in git.blobs([f"{base}:{n}" for n in paths]))


def _stem(path: str) -> str:
    return path.rpartition("/")[2].removesuffix(".toml")


def _no_history(journal: Journal, slug: str) -> str:
    """What is true of a book with no commit: not synced yet, or removed before any sync recorded it."""
    path = f"books/{slug}.toml"
    if (journal.root / path).exists():
        return f"{path} has no history yet: `readlog sync` records it"
    removed = journal.removed(slug)
    if removed is not None:
        return (
            f"{removed} was removed before any sync recorded it, so it has no history (its file is in "
            f"trash/: `readlog restore {slug}`)"
        )
    return f"no book {slug!r} in the journal or in its history"


def commit_at(git: Git, rev: str, followed: Followed) -> tuple[str, list[str]]:
    """The commit meant by `--at`: a revision, or a date (the last change to the book, under any of its
    names, by the end of it); and the book's names there (those of its last change by then: none, before
    it was added; a slug another book had before is not this book's there)."""
    paths = followed.paths
    if _DAY.fullmatch(rev):
        from datetime import date

        try:
            date.fromisoformat(rev)
        except ValueError:
            raise UsageError(f"--at: {rev!r} is not a valid date") from None  # (exit 2, as --date's)
        commit, since = None, [f"--before={rev} 23:59:59", "HEAD"]
    else:
        commit = git.resolve_commit(rev)
        if commit is None:
            raise UsageError(  # a value --at cannot read: a usage mistake (exit 2), as --date's
                f"--at: {rev!r} is neither a date (YYYY-MM-DD, `yesterday`, `3 days ago`) nor a revision "
                "in the history"
            )
        since = [commit]
    names = {record[0]: names for record, names in zip(followed.records, followed.names, strict=True)}
    for change in git.run("rev-list", *since, "--", *paths).text.split():
        if change in names:
            return commit or change, names[change]
    if commit is None:
        raise ReadlogError(f"{paths[0]} has no version on or before {rev}")
    return commit, []


def entry_at(journal: Journal, slug: str, rev: str) -> Entry:
    """The book as it was at `rev` (a date or a revision), for showing: nothing writes it back."""
    from readlog import bookfile
    from readlog.model import Entry

    git = repository(journal)
    path = f"books/{slug}.toml"
    if git.head() is None:
        raise ReadlogError(_no_history(journal, slug))
    followed = follow(git, path)  # the file it was before a rename, too
    commit, paths = commit_at(git, rev, followed)
    found = [
        (name, raw) for name, raw in zip(paths, git.blobs([f"{commit}:{n}" for n in paths]), strict=True)
    ]
    path, raw = next(((name, raw) for name, raw in found if raw is not None), (path, None))
    if raw is None:
        raise ReadlogError(f"{path} did not exist at {rev}")
    where = f"{path} at {rev}"
    text = bookfile.decode(raw, where)
    try:
        return Entry(slug, bookfile.parse(text, where), journal.root / path, text=text)
    except NewerSchema:
        book = bookfile.parse(text, where, allow_newer=True)
        return Entry(slug, book, journal.root / path, read_only=True, text=text)


def book_at(journal: Journal, slug: str, rev: str) -> Book:
    """The Book as it was at `rev`."""
    return entry_at(journal, slug, rev).book
