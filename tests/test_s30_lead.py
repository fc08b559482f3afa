"""Session 30, the lead's own fixes, each with a test that fails on the old code."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from conftest import snapshot
from test_s29_lead import _a_published_site

# `readlog site OUT`, killed outright (SIGKILL) in the instant between moving the reader's own entries of
# OUTDIR into the new site and swapping it in.
KILLED_BEFORE_SWAP = """import os, signal, sys
from readlog.exporters.site import build

def swap(staging, outdir, pages):
    os.kill(os.getpid(), signal.SIGKILL)

build._swap = swap
sys.argv = ["readlog", "site", sys.argv[1]]
from readlog.__main__ import main
main()
"""


def _killed_before_swap(out: Path) -> None:
    killed = subprocess.run([sys.executable, "-c", KILLED_BEFORE_SWAP, str(out)], capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr


def test_a_build_killed_before_its_swap_gives_the_readers_git_back_at_the_next_build(run, tmp_path) -> None:
    """Session 29 left alone: a `.git` in OUTDIR, moved into the new site just before the swap, was lost if
    readlog was killed outright in between: the next build deleted the unfinished site with it."""
    out = _a_published_site(run, tmp_path)
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (out / "CNAME").write_text("books.example.org\n", encoding="utf-8")
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    _killed_before_swap(out)
    (unfinished,) = (p for p in tmp_path.iterdir() if p.name.startswith(".site.building-"))
    assert (unfinished / ".git" / "HEAD").is_file() and not (out / ".git").exists()  # (the window)
    run("site", str(out))
    assert (out / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    assert (out / "CNAME").read_text(encoding="utf-8") == "books.example.org\n"
    assert (out / "books" / "dune.html").is_file() and not unfinished.exists()
    assert not any((tmp_path / "cache" / "site-builds").iterdir())


def test_what_cannot_be_given_back_stays_where_it_is(run, tmp_path) -> None:
    """The near miss: the reader made a new `.git` in OUTDIR meanwhile. The killed build's one is neither
    put over it nor deleted: its unfinished site stays, for the reader, build after build."""
    out = _a_published_site(run, tmp_path)
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("old\n", encoding="utf-8")
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2024-06-01", "--review", "Sand.")
    _killed_before_swap(out)
    (unfinished,) = (p for p in tmp_path.iterdir() if p.name.startswith(".site.building-"))
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("new\n", encoding="utf-8")
    for _ in range(2):
        run("site", str(out))
        assert (unfinished / ".git" / "HEAD").read_text(encoding="utf-8") == "old\n"
        assert (out / ".git" / "HEAD").read_text(encoding="utf-8") == "new\n"
    before = snapshot(out)
    run("site", str(tmp_path / "other"))  # (another folder's build clears dead builds too)
    assert (unfinished / ".git" / "HEAD").is_file() and snapshot(out) == before
