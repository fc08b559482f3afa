"""The derived index: a SQLite cache of every book's summary and searchable text, so that `list`, `next`,
`search`, `stats` and BOOK lookups do not read every file.

The TOML files stay the only source of truth. The index lives in the user cache dir (one per data dir),
can be deleted at any time, and is brought up to date on every use: only files whose size, mtime, ctime or
inode changed are parsed again, added files are added and removed ones dropped, whoever changed them (readlog,
an editor, git). Where this Python's SQLite lacks FTS5, search falls back to a slower scan and says so once.

The rooms, each a module (and, for the class, a layer of `Index`, each built on the one before):
- `schema`: where the file lives, its tables and version, opening and recovering it (`Store`);
- `rows`: one book's rows, and books read back from rows;
- `freshness`: keeping up with the files (`Freshness`: sweep, sync, readlog's own writes);
- `queries`: lists, filters, the queue, BOOK lookups, suggestions (`Queries`);
- `search`: full-text search and snippets (`Search`);
- `aggregates`: what `readlog stats` adds up, for stats.Ledger (`Aggregates`, beside the others on `Store`);
- `recall`: on this day, and quotes;
- `life`: the index over one process's life (`Cache`: open, recover, sync once per command, rebuild,
  the journal's writes folded in), handed to the journal; `complete` for shell completion;
- `pool`: a cold build's worker processes.
"""

from __future__ import annotations

from readlog.index.aggregates import Aggregates
from readlog.index.freshness import BIG_WRITE, PARALLEL_FROM, SyncReport, folder_stamp
from readlog.index.queries import SORTS, BookFilter
from readlog.index.rows import Rows, _series_from_json, book_rows, unspaced
from readlog.index.schema import (
    INDEX_VERSION,
    Loaded,
    Loader,
    ManyLoader,
    Stamp,
    cache_dir,
    index_path,
    is_busy,
    is_damaged,
)
from readlog.index.search import PARTS, Hit, Search, fts_query, make_snippet, search_terms

__all__ = [
    "BIG_WRITE",
    "INDEX_VERSION",
    "PARALLEL_FROM",
    "PARTS",
    "SORTS",
    "BookFilter",
    "Cache",
    "Hit",
    "Index",
    "Loaded",
    "Loader",
    "ManyLoader",
    "Rows",
    "Stamp",
    "SyncReport",
    "_series_from_json",
    "book_rows",
    "cache_dir",
    "complete",
    "folder_stamp",
    "fts_query",
    "index_path",
    "is_busy",
    "is_damaged",
    "make_snippet",
    "open_cache",
    "search_terms",
    "unspaced",
]


class Index(Search, Aggregates):
    """The index of the books in `books_dir`, read with `load`, kept at `path`; with no path, in memory
    (built from the files on every run)."""


from readlog.index.life import Cache, complete, open_cache  # noqa: E402 - built on Index, defined above
