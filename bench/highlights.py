"""Highlights at scale: `readlog recall` on a 10,000-book journal (as a ratio to `python -c pass`), and
importing a generated 20,000-record `My Clippings.txt` into it (first import, re-import of the same file, and
a longer file that adds 1,000 records).

    python bench/highlights.py                  # 10,000 books, 7 pairs
    python bench/highlights.py --books 1000 --pairs 3

Timing never fails anything; the numbers go in the report.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import WORDS, generate  # noqa: E402
from scale import paired  # noqa: E402
from startup import readlog_command, run_piped  # noqa: E402


def clippings(records: int, books: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    out = []
    start = datetime(2019, 1, 1)
    for number in range(records):
        book = number % books
        loc = 10 + (number // books) * 7
        when = start + timedelta(minutes=number * 37)
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))).capitalize() + "."
        out.append(
            f"Generated Book {book} (Author{book}, Some)\n"
            f"- Your Highlight on page {loc // 10} | Location {loc}-{loc + 2} | Added on "
            f"{when:%A, %B} {when.day}, {when.year} {when:%I:%M:%S %p}\n\n{text}\n==========\n"
        )
    return "\ufeff" + "".join(out)


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, capture_output=True, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--pairs", type=int, default=7)
    args = parser.parse_args()
    readlog = readlog_command()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = tmp / "readlog"
        generate(root, args.books)
        env = {**os.environ, "READLOG_HOME": str(root), "READLOG_CACHE": str(tmp / "cache"), "COLUMNS": "100"}
        subprocess.run([*readlog, "reindex"], env=env, capture_output=True, check=True)
        print(f"== {args.books:,} generated books")
        for argv in (["recall", "--date", "2025-03-05"], ["recall", "--date", "2025-03-05", "--json"]):
            ms, ratio = paired([*readlog, *argv], env, args.pairs, run_piped)
            print(f"readlog {' '.join(argv)}: {ms:.0f} ms, {ratio:.1f}x python -c pass")
        path = tmp / "My Clippings.txt"
        path.write_text(clippings(args.records, 400), encoding="utf-8")
        print(
            f"import {args.records:,} clippings of 400 new books: {timed([*readlog, 'import', str(path)], env):.2f} s"
        )
        print(f"import the same file again: {timed([*readlog, 'import', str(path)], env):.2f} s")
        path.write_text(clippings(args.records + 1000, 400), encoding="utf-8")
        print(f"import it grown by 1,000: {timed([*readlog, 'import', str(path)], env):.2f} s")
        ms, ratio = paired([*readlog, "recall", "--date", "2025-03-05"], env, args.pairs, run_piped)
        print(f"readlog recall after the import: {ms:.0f} ms, {ratio:.1f}x python -c pass")


if __name__ == "__main__":
    main()
