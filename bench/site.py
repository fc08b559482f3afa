"""How long `readlog site` takes on a generated journal: a cold build, a rebuild with nothing changed,
and rebuilds after one book changed (its rating; its review text).

    python bench/site.py --books 10000

Each build is a whole `readlog site` process, timed from outside. Budgets (issue 15): a 10,000-book
build under 30 s, a rebuild after one change under 2 s. Timing is reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

HERE = Path(__file__).resolve().parent


def build(journal: Path, out: Path, env: dict[str, str], *extra: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "readlog", "--data-dir", str(journal), "site", str(out), *extra],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return time.perf_counter() - started, done.stdout.strip().splitlines()[0]


def best(times: int, run: Callable[[], tuple[float, str]]) -> tuple[float, str]:
    """The fastest of `times` runs: the machine is shared, and only the slowest runs feel its load."""
    return min((run() for _ in range(times)), key=lambda result: result[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--folder", type=Path, default=HERE / "out" / "site")
    parser.add_argument("--all", action="store_true", help="build with --all (a page for every book)")
    parser.add_argument("--repeat", type=int, default=3, help="rebuilds: best of N (default 3)")
    args = parser.parse_args()

    root = args.folder / f"{args.books}"
    journal, out, cache = root / "journal", root / "public", root / "cache"
    shutil.rmtree(root, ignore_errors=True)
    started = time.perf_counter()
    generate(journal, args.books)
    print(f"generated {args.books} books in {time.perf_counter() - started:.1f} s")
    env = {**os.environ, "READLOG_CACHE": str(cache)}
    extra = ("--all",) if args.all else ()

    rows = [("cold build (no cache, empty OUTDIR)", *build(journal, out, env, *extra))]
    rows.append(("rebuild, nothing changed", *best(args.repeat, lambda: build(journal, out, env, *extra))))
    books = [p for p in sorted((journal / "books").glob("*.toml")) if "rating = " in p.read_text()]

    def rate(index: int) -> tuple[float, str]:
        target = books[index * 97 % len(books)]
        target.write_text(
            re.sub(
                r"rating = [\d.]+", "rating = 5" if index % 2 else "rating = 1", target.read_text(), count=1
            )
        )
        return build(journal, out, env, *extra)

    def rewrite(index: int) -> tuple[float, str]:
        target = books[index * 89 % len(books)]
        target.write_text(
            target.read_text().replace("body = '''\n", f"body = '''\nA new first line {index}.\n\n", 1)
        )
        return build(journal, out, env, *extra)

    runs = iter(range(1000))
    rows.append(("rebuild after one rating changed", *best(args.repeat, lambda: rate(next(runs)))))
    rows.append(("rebuild after one review changed", *best(args.repeat, lambda: rewrite(next(runs)))))
    shutil.rmtree(cache)
    rows.append(("rebuild, parse cache gone", *build(journal, out, env, *extra)))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    baseline = time.perf_counter() - started

    files = sum(1 for p in out.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
    print(f"\n{args.books} books{' (--all)' if args.all else ''}: {files} files, {size:.0f} MB\n")
    print(f"(`python -c pass`: {baseline * 1000:.0f} ms; rebuilds: the best of {args.repeat})\n")
    print("| build | seconds | readlog says |\n| --- | --- | --- |")
    for name, seconds, said in rows:
        print(f"| {name} | {seconds:.2f} | {said.split(': ', 1)[-1]} |")


if __name__ == "__main__":
    main()
