"""Import speed: a 10,000-row Goodreads export into an empty journal, against writing 10,000 files plainly.

    python bench/import_speed.py            # 10,000 rows
    python bench/import_speed.py --rows 2000

The issue's bar: the import takes at most 10x the time of plainly writing the same number of files.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import FIRST, LAST, WORDS, paragraph  # noqa: E402
from startup import readlog_command  # noqa: E402

HEADER = ("Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,"
          "Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,"
          "Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies")  # fmt: skip


def write_export(path: Path, rows: int) -> None:
    rng = random.Random(7)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER.split(","))
        for n in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            shelf = rng.choice(["read", "read", "read", "to-read", "currently-reading"])
            review = "<br/><br/>".join(paragraph(rng, 5) for _ in range(3)) if shelf == "read" else ""
            writer.writerow([
                100000 + n, f"The {rng.choice(WORDS).title()} of {rng.choice(WORDS).title()} {n} (Saga, #{n % 9 + 1})",
                f"{first} {last}", f"{last}, {first}", "", '=""', '=""', rng.randint(0, 5), "3.9", "Press", "Paperback",
                rng.randint(90, 900), 2001, 1999, f"2020/0{rng.randint(1, 9)}/1{rng.randint(0, 9)}" if shelf == "read" else "",
                "2019/01/05", "fiction, favourites", f"to-read (#{n})" if shelf == "to-read" else "", shelf, review, "", "",
                1 if shelf == "read" else 0, 0,
            ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        export = tmp / "goodreads_library_export.csv"
        write_export(export, args.rows)
        plain = tmp / "plain"
        plain.mkdir()
        sample = (
            Path(__file__).resolve().parent.parent / "examples/journal/books/never-let-me-go.toml"
        ).read_text()
        started = time.perf_counter()
        for n in range(args.rows):
            (plain / f"book-{n}.toml").write_text(sample, encoding="utf-8")
        plain_s = time.perf_counter() - started
        env = {**os.environ, "READLOG_HOME": str(tmp / "journal"), "READLOG_CACHE": str(tmp / "cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        started = time.perf_counter()
        result = subprocess.run(
            [*readlog_command(), "import", str(export)], env=env, capture_output=True, text=True
        )
        import_s = time.perf_counter() - started
        print(result.stdout.strip() or result.stderr.strip())
        print(f"plain write of {args.rows:,} files: {plain_s:.2f} s")
        print(f"readlog import of {args.rows:,} rows: {import_s:.2f} s ({args.rows / import_s:,.0f} books/s), "
              f"{import_s / plain_s:.1f}x the plain write (bar: 10x)")  # fmt: skip
        started = time.perf_counter()
        again = subprocess.run(
            [*readlog_command(), "import", str(export)], env=env, capture_output=True, text=True
        )
        print(
            f"importing it again (all skipped): {time.perf_counter() - started:.2f} s: {again.stdout.strip()}"
        )


if __name__ == "__main__":
    main()
