"""One journal on every machine: the data dir as a git repository, merged book by book.

- `git.py`: the only place that runs git (a subprocess with an explicit environment, nothing interactive);
- `merge.py`: a pure three-way merge of parsed book files, with the rules for matching array items;
- `describe.py`: what changed between two versions of a book, in words (commit messages, `readlog log`);
- `driver.py`: the merge driver git calls for `books/*.toml` and `goals.toml`;
- `repo.py`: `sync init` and `sync` (commit, fetch, merge, push) under the journal lock;
- `history.py`: `readlog log` and a book as it was at a date or revision;
- `conflicts.py`: the `[[conflicts]]` a merge records in a book, and `readlog resolve`;
- `render.py`: Rich renderables for conflicts and history (pure);
- `quick.py`: `sync` with nothing to do, answered before the rest of readlog loads, and what it shares;
- `early.py`: a sync's first local steps (status, add, write-tree), run while the rest loads.
"""


def is_book_path(path: str) -> bool:
    """Whether a path in the journal (`books/x.toml`) is a book file's (here, not in driver.py: a sync
    that only asks this need not load the merge driver; pathlib only when asked: the quick look loads
    this package)."""
    from pathlib import PurePosixPath

    parts = PurePosixPath(path).parts
    return len(parts) == 2 and parts[0] == "books" and parts[1].endswith(".toml")
