"""The index agrees with the files after every kind of change at the sizes the scale bench uses: 1,000
books here by default; READLOG_SCALE_SIZES=1000,10000,100000 for the rest (minutes at 100,000). The checks
themselves are bench/agreement.py, which bench/scale.py also runs at every size it times."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from agreement import check, cli_search  # noqa: E402
from generate import generate  # noqa: E402

SIZES = [int(size) for size in os.environ.get("READLOG_SCALE_SIZES", "1000").split(",")]


@pytest.mark.parametrize("size", SIZES)
def test_the_index_agrees_after_every_kind_of_change(size, journal_home):
    generate(journal_home, size)
    env = {**os.environ}
    readlog = [sys.executable, "-m", "readlog"]
    subprocess.run([*readlog, "reindex"], env=env, check=True, capture_output=True)
    done = check(journal_home / "books", cli_search(readlog, env))
    assert len(done) == 4


def test_the_checks_fail_when_the_index_does_not_follow(journal_home):
    """The agreement checks can fail: an index that never syncs is caught by the first one."""
    generate(journal_home, 20)
    from readlog.journal import Journal

    journal = Journal(journal_home)
    journal.fresh_index()

    def stale_search(word: str) -> list[dict[str, object]]:  # the index as it was, never synced again
        return [{"slug": hit.slug} for hit in journal.index().search(word)]

    with pytest.raises(AssertionError, match="in-place edit of the same size"):
        check(journal_home / "books", stale_search)


def test_a_common_word_ranked_by_two_processes_gives_the_same_hits(run, journal_home, monkeypatch):
    """A search whose word is in most books is ranked in two halves, one by a forked child: the hits, their
    order and ranks are those of ranking everything in one query."""
    import json

    from readlog.index import search as index  # where the split ranking lives

    assert index.SPLIT_RANKING >= 10_000  # by default, only big searches are split
    generate(journal_home, 300)
    run("reindex")
    children = []
    real = index._rank_in_child

    def counted(*args):
        children.append(args)
        return real(*args)

    monkeypatch.setattr(index, "_rank_in_child", counted)
    monkeypatch.setattr(index, "KEPT_RANKINGS", 0)  # every search ranked afresh, none read back kept
    for word in ("harbour", "quiet", '"quiet light"', "harb*"):
        monkeypatch.setattr(index, "SPLIT_RANKING", 10**9)
        whole = json.loads(run("search", word, "--json").stdout)
        monkeypatch.setattr(index, "SPLIT_RANKING", 1)
        split = json.loads(run("search", word, "--json").stdout)
        assert whole and split == whole
    assert len(children) == 4  # each split search forked its child
