"""How long the phone inbox takes, and what a commit after every write would cost:
`python bench/inbox_speed.py --books 1000 --lines 20`.

On a generated journal that is a git repository without a remote, as whole processes (median of 5):
`python -c pass`; `readlog reflect` (one write); `readlog sync` after one reflect (the commit that an
autocommit would add to every write); `readlog inbox` filing LINES reflect/quote/progress lines; `readlog
sync` filing them and committing. The index is built before timing. Prints numbers; never fails on timing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from readlog.journal import Journal  # noqa: E402


def timed(home: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, *args] if args[0] == "-c" else [sys.executable, "-m", "readlog", *args],
        env=dict(os.environ, READLOG_HOME=str(home)),
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--books", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=20)
    options = parser.parse_args()
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
        home = tmp / "journal"
        generate(home, options.books)
        slugs = Journal(home).slugs()
        timed(home, "sync", "init")
        for _ in range(2):
            timed(home, "list", "--limit", "1")
        rows: dict[str, list[float]] = {}
        for round_ in range(5):
            rows.setdefault("python -c pass", []).append(timed(home, "-c", "pass"))
            rows.setdefault("reflect (one write)", []).append(
                timed(home, "reflect", slugs[round_], "a thought")
            )
            timed(home, "reflect", slugs[round_], "another thought")
            rows.setdefault("sync after one write (commit only)", []).append(timed(home, "sync"))
            lines = [
                f"{('reflect', 'quote', 'reflect')[n % 3]}: {slugs[n]} | note {round_}.{n}"
                for n in range(options.lines)
            ]
            (home / "inbox.md").write_text("\n".join(lines) + "\n")
            rows.setdefault(f"inbox, {options.lines} lines", []).append(timed(home, "inbox"))
            timed(home, "sync")
            (home / "inbox.md").write_text("\n".join(lines).replace("note", "again") + "\n")
            rows.setdefault(f"sync filing {options.lines} lines and committing", []).append(
                timed(home, "sync")
            )
        print(f"{options.books} books")
        for name, values in rows.items():
            print(f"  {name:45} {statistics.median(values):8.0f} ms")


if __name__ == "__main__":
    main()
