"""How long `readlog sync` takes on a generated journal: `python bench/sync_speed.py --books 1000`.

Two data dirs and a bare remote in a temp folder (git's global config pointed at an empty file). Times, as
whole processes: `sync init` of the whole journal, a `sync` with nothing to do, a `sync` that commits 20
changed books, a `sync` that merges 20 books changed on the other device plus 5 changed on both (the merge
driver runs once per book changed on both sides), and `log BOOK`. The index is built before timing, as
the reader's earlier commands would have built it. Prints numbers; never fails on timing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from readlog.journal import Journal  # noqa: E402
from readlog.model import Reflection  # noqa: E402


def readlog(home: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "readlog", *args],
        env=dict(os.environ, READLOG_HOME=str(home)),
        check=False,
        stdout=subprocess.DEVNULL,  # not pipes: git's background gc may hold them open long after
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def warm(home: Path) -> None:
    """Build the index as any earlier command would have (twice: on a fresh cache the first run of this
    version may fall back to an index in memory)."""
    for _ in range(2):
        readlog(home, "list", "--limit", "1")


def reflect(home: Path, slugs: list[str], text: str) -> None:
    journal = Journal(home)
    for slug in slugs:
        journal.modify(slug, lambda book: book.reflections.append(Reflection(text=text)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--books", type=int, default=1000)
    books = parser.parse_args().books
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        (tmp / "gitconfig").write_text("")
        os.environ.update(
            GIT_CONFIG_GLOBAL=str(tmp / "gitconfig"),
            GIT_CONFIG_NOSYSTEM="1",
            GIT_AUTHOR_NAME="Bench",
            GIT_AUTHOR_EMAIL="bench@example.org",
            GIT_COMMITTER_NAME="Bench",
            GIT_COMMITTER_EMAIL="bench@example.org",
            READLOG_CACHE=str(tmp / "cache"),
        )
        subprocess.run(["git", "init", "-q", "--bare", str(tmp / "remote.git")], check=True)
        laptop, work = tmp / "laptop", tmp / "work"
        generate(laptop, books)
        slugs = Journal(laptop).slugs()
        timings = {
            "sync init (commit and push the journal)": readlog(
                laptop, "sync", "init", str(tmp / "remote.git")
            ),
            "sync init on a second device (fetch)": readlog(work, "sync", "init", str(tmp / "remote.git")),
            "sync, nothing to do": readlog(laptop, "sync"),
        }
        reflect(laptop, slugs[:25], "from the laptop")
        timings["sync, 25 changed books committed and pushed"] = readlog(laptop, "sync")
        reflect(work, slugs[20:45], "from work")
        timings["sync, 25 changed here, 25 there, 5 on both (merge)"] = readlog(work, "sync")
        timings["log BOOK (3 commits)"] = readlog(work, "log", slugs[22])
        print(f"{books} books")
        for name, seconds in timings.items():
            print(f"  {name:55} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
