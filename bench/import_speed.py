"""Import speed and a cold index build, each as a ratio to what it wraps, measured in the same run.

    python bench/import_speed.py                 # 10,000 rows, 5 interleaved pairs
    python bench/import_speed.py --rows 2000 --pairs 3
    python bench/import_speed.py --no-reindex    # the import only
    python bench/import_speed.py --holding 3     # also: the import into a journal that holds 3 books
    python bench/import_speed.py --no-reindex --against ../main/src   # A/B: another source tree's import too

The import: a generated Goodreads export into an empty journal, timed against a naive csv-to-TOML script given
readlog's own durability (one file per row, no matching; temp files, one `os.sync()` per 500, renames, the
folder fsynced), in interleaved pairs (naive, readlog, naive, ...): the median of the per-pair ratios is
printed (the bar, issue 25: 1.25x). The same script without any fsync is timed too, for information. With
--holding K, the same export is also imported into a journal that holds its first K books already (imported
first, untimed: an import that matches through the index, not the one into an empty journal), in pairs with
the naive durable script too (information). With --against SRC, the import of the readlog in the source
tree SRC (run with this Python, SRC first on its path) is timed in the same pairs, in turn before and after
this one, and the per-pair differences are printed: a change's before/after in one run. The cold build: `readlog reindex` with no index, against a script
that reads every book file with tomllib alone, in pairs the same way; its absolute time is printed too (the
bar: 2 s at 10,000 on two cores). Every run is a whole process timed from outside, with the user+sys CPU of it
and of every process it started (its worker processes too) beside it.
Timing never fails anything: this prints numbers for docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
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

# The naive script a reader could write: every row to a TOML file of its own, no matching, no index. With
# DURABLE set it keeps readlog's promise the cheap way: temp files, one os.sync() per 500, renames, the
# folder fsynced.
NAIVE = r"""
import csv, json, os, re, sys
export, folder, durable = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
os.makedirs(folder, exist_ok=True)
pending, taken = [], set()

def flush():
    if durable:
        os.sync()
    for temp, final in pending:
        os.replace(temp, final)
    if durable:
        fd = os.open(folder, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    pending.clear()

def q(text):
    return json.dumps(text, ensure_ascii=False)

with open(export, newline="", encoding="utf-8") as handle:
    for row in csv.DictReader(handle):
        slug = re.sub(r"[^a-z0-9]+", "-", row["Title"].lower()).strip("-") or "book"
        base, n = slug, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        lines = [f"title = {q(row['Title'])}", f"authors = [{q(row['Author'])}]",
                 f"status = {q(row['Exclusive Shelf'])}"]
        if row["My Rating"] not in ("", "0"):
            lines.append(f"rating = {int(row['My Rating'])}")
        if row["Date Read"]:
            lines.append(f"finished = {row['Date Read'].replace('/', '-')}")
        if row["My Review"]:
            lines.append(f"review = {q(row['My Review'].replace('<br/>', chr(10)))}")
        final = os.path.join(folder, slug + ".toml")
        temp = os.path.join(folder, "." + slug + ".toml.tmp")
        with open(temp, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        pending.append((temp, final))
        if len(pending) >= 500:
            flush()
flush()
"""

# Reading every book file with tomllib alone: what a cold index build wraps.
TOMLLIB = r"""
import os, sys, tomllib
folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    if name.endswith(".toml") and not name.startswith("."):
        with open(os.path.join(folder, name), "rb") as handle:
            tomllib.load(handle)
"""


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


def adopt_orphans() -> None:
    """Make this process the reaper of its descendants' orphans (Linux): readlog's worker processes are
    children of a fork server that outlives readlog's main process by a moment; adopted and waited for
    here, their CPU time counts in RUSAGE_CHILDREN like the rest."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def reap(deadline: float = 10.0) -> None:
    """Wait for every adopted orphan to end (the fork server ends once readlog has)."""
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)


def timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, user+sys CPU seconds (the process and every process it started, worker processes
    included), and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    reap()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.strip()}")
    return wall, cpu, (result.stdout.strip() or result.stderr.strip())


_RUNS = iter(range(1, 1_000_000))


def fresh(path: Path) -> Path:
    """A folder never used before, named after `path` (naive-1, naive-2, ...). Nothing is deleted until the
    run ends: on ext4 without a journal (this project's machines), files created within a minute or so of
    deleting thousands of others cost the kernel a scan of the freed inodes each (seconds of system time for
    10,000 files, measured with bench's own export), which would time the file system, not the programs."""
    return path.with_name(f"{path.name}-{next(_RUNS)}")


def into(
    times: tuple[list[float], list[float]], argv: list[str], env: dict[str, str] | None = None
) -> tuple[float, str]:
    """`timed(argv, env)`, its wall and CPU seconds added to `times`: (the wall seconds, the output)."""
    wall, cpu, said = timed(argv, env)
    times[0].append(wall)
    times[1].append(cpu)
    return wall, said


def line(label: str, walls: list[float], cpus: list[float]) -> str:
    return (f"{label}: median {statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f}), "
            f"user+sys CPU {statistics.median(cpus):.2f} s")  # fmt: skip


def holding(args: argparse.Namespace, export: Path, tmp: Path, env: dict[str, str]) -> None:
    """The same export into a journal that holds its first `args.holding` books already (imported first,
    untimed), in interleaved pairs with the naive durable script."""
    python = sys.executable
    first = tmp / "first.csv"
    with export.open(encoding="utf-8") as whole, first.open("w", encoding="utf-8") as out:
        for _ in range(args.holding + 1):  # the header, then the first rows (one line each in bench's export)
            out.write(whole.readline())
    naive: tuple[list[float], list[float]] = ([], [])
    mine: tuple[list[float], list[float]] = ([], [])
    ratios: list[float] = []
    said = ""
    for _ in range(args.pairs):
        wall, _out = into(naive, [python, "-c", NAIVE, str(export), str(fresh(tmp / "naive")), "1"])
        env["READLOG_HOME"], env["READLOG_CACHE"] = str(fresh(tmp / "journal")), str(fresh(tmp / "cache"))
        timed([*readlog_command(), "import", str(first)], env)
        mine_wall, said = into(mine, [*readlog_command(), "import", str(export)], env)
        ratios.append(mine_wall / wall)
    print(said)
    print(f"import of {args.rows:,} Goodreads rows into a journal holding {args.holding:,} of them, "
          f"{args.pairs} interleaved pairs (information):")  # fmt: skip
    print("  " + line("naive durable script", *naive))
    print("  " + line("readlog import", *mine))
    print(f"  readlog import / naive durable: {statistics.median(ratios):.2f}x "
          f"(median of per-pair ratios {', '.join(f'{r:.2f}' for r in ratios)})")  # fmt: skip


def against(
    src: str, export: Path, tmp: Path, env: dict[str, str], times: tuple[list[float], list[float]]
) -> None:
    """The import of the readlog in the source tree `src`, timed into `times` (--against)."""
    other = {**env, "PYTHONPATH": os.path.abspath(src)}
    other["READLOG_HOME"], other["READLOG_CACHE"] = str(fresh(tmp / "against")), str(fresh(tmp / "cache"))
    into(times, [*readlog_command(), "import", str(export)], other)  # (SRC's readlog: first on the path)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--no-reindex", action="store_true", help="time the import only")
    parser.add_argument(
        "--holding", type=int, default=0, help="also time the import into a journal holding this many books"
    )
    parser.add_argument("--against", metavar="SRC", help="also time the import of the readlog in SRC (A/B)")
    args = parser.parse_args()
    adopt_orphans()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        export = tmp / "goodreads_library_export.csv"
        write_export(export, args.rows)
        env = {**os.environ, "READLOG_HOME": str(tmp / "journal"), "READLOG_CACHE": str(tmp / "cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        journal = tmp / "journal"
        timed([*readlog_command(), "--help"], env)  # byte-compiled once, before anything is timed
        if args.against:
            timed([*readlog_command(), "--help"], {**env, "PYTHONPATH": os.path.abspath(args.against)})
        naive: tuple[list[float], list[float]] = ([], [])
        plain: tuple[list[float], list[float]] = ([], [])
        mine: tuple[list[float], list[float]] = ([], [])
        other: tuple[list[float], list[float]] = ([], [])
        ratios: list[float] = []
        said = ""
        for number in range(args.pairs):
            wall, _out = into(naive, [python, "-c", NAIVE, str(export), str(fresh(tmp / "naive")), "1"])
            if args.against and number % 2 == 0:
                against(args.against, export, tmp, env, other)
            journal = fresh(tmp / "journal")
            env["READLOG_HOME"], env["READLOG_CACHE"] = str(journal), str(fresh(tmp / "cache"))
            mine_wall, said = into(mine, [*readlog_command(), "import", str(export)], env)
            ratios.append(mine_wall / wall)
            if args.against and number % 2 == 1:
                against(args.against, export, tmp, env, other)
            wall, _out = into(plain, [python, "-c", NAIVE, str(export), str(fresh(tmp / "plain")), "0"])
        print(said)
        print(f"import of {args.rows:,} Goodreads rows, {args.pairs} interleaved pairs:")
        print("  " + line("naive durable script", *naive))
        print("  " + line("readlog import", *mine))
        print("  " + line("naive script without fsync (information)", *plain))
        print(f"  readlog import / naive durable: {statistics.median(ratios):.2f}x "
              f"(median of per-pair ratios {', '.join(f'{r:.2f}' for r in ratios)}; bar 1.25x)")  # fmt: skip
        print(f"  readlog import / naive without fsync: "
              f"{statistics.median(mine[0]) / statistics.median(plain[0]):.1f}x (information)")  # fmt: skip
        if args.against:
            print("  " + line(f"readlog import from {args.against}", *other))
            for n, label in ((0, "wall"), (1, "CPU")):
                diffs = [m - o for m, o in zip(mine[n], other[n], strict=True)]
                print(f"  this one - {args.against}, {label} per pair: "
                      f"{', '.join(f'{d:+.2f}' for d in diffs)} s (median {statistics.median(diffs):+.2f} s)")  # fmt: skip
        if args.holding:
            holding(args, export, tmp, env)
        if args.no_reindex:
            return
        books = journal / "books"
        cold: tuple[list[float], list[float]] = ([], [])
        bare: tuple[list[float], list[float]] = ([], [])
        ratios = []
        for _ in range(args.pairs):
            wall, _out = into(bare, [python, "-c", TOMLLIB, str(books)])
            env["READLOG_CACHE"] = str(fresh(tmp / "cache"))
            build, said = into(cold, [*readlog_command(), "reindex"], env)
            ratios.append(build / wall)
        print(f"cold `readlog reindex` of {args.rows:,} books ({said}), {args.pairs} interleaved pairs:")
        print("  " + line("tomllib script reading every file", *bare))
        print("  " + line("readlog reindex, no index", *cold))
        print(f"  readlog reindex / tomllib alone: {statistics.median(ratios):.2f}x; "
              f"{statistics.median(cold[0]):.2f} s (bar: 2 s at 10,000 on two cores)")  # fmt: skip


if __name__ == "__main__":
    main()
