"""Session 26 (t26e): the doors sessions 24-25 saw and left. A bare repository that an older readlog gave a
books/ folder is still no journal; ..."""

from __future__ import annotations

from conftest import snapshot
from test_sync_git import git_env, remote  # noqa: F401 - fixtures


def test_a_bare_repository_an_older_readlog_gave_a_books_folder_is_still_refused(run, remote):
    """t25g's note: `READLOG_HOME=remote.git readlog add Zed -a Q` (before session 25) wrote
    remote.git/books/zed.toml; with that folder there, the remote was taken for a journal again."""
    (remote / "books").mkdir()
    (remote / "books" / "zed.toml").write_text(
        'schema = 2\ntitle = "Zed"\nauthors = ["Q"]\nstatus = "want"\n'
    )
    before = snapshot(remote)
    for args in (("add", "Dune", "-a", "Frank Herbert"), ("list",), ("next",), ("sync",), ("check",)):
        said = run(*args, code=1, env={"READLOG_HOME": str(remote)}).stderr
        assert f"{remote} is a bare git repository (a sync remote?), not a journal" in said, said
        assert (
            "(remote.git/books/ holds 1 book file an older readlog wrote there, never synced: move it" in said
        )
        assert len(said.strip().splitlines()) == 1, said
    assert snapshot(remote) == before
