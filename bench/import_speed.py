"""Import speed and a cold index build, each as a ratio to what it wraps, measured in the same run.

    python bench/import_speed.py                 # 10,000 rows, 5 interleaved pairs
    python bench/import_speed.py --rows 2000 --pairs 3
    python bench/import_speed.py --no-reindex    # the import only
    python bench/import_speed.py --holding 3     # also: the import into a journal that holds 3 books
    python bench/import_speed.py --no-reindex --against ../main/src   # A/B: another source tree's import too
    python bench/import_speed.py --no-reindex --service storygraph    # another service's export (below)
    python bench/import_speed.py --no-reindex --slow-sync 50          # as if each os.sync() took 50 ms more

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
With --service (goodreads, storygraph, librarything: the TSV export, or librarything-json) the export is
that service's, in its real shape (the real exports in the shared fixtures), and the naive script reads it
the way a reader would (the same durable writing; NAIVE_ROWS).
With --slow-sync MS, every os.sync() of both programs (and only that call) waits MS milliseconds more after
the real one (a shim loaded with LD_PRELOAD, compiled here with the C compiler; none: said, and not run): a
disk whose syncs are slow, as on the machine where issue 25's bar was set, on a machine whose are not
(information: the bar is measured on the disk as it is).
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
# folder fsynced. NAIVE_HEAD is that part; each service's loop (NAIVE_ROWS) reads its own export's rows
# into a few lines of TOML the way a reader would, and calls write(title, lines).
NAIVE_HEAD = r"""
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

def write(title, lines):
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "book"
    base, n = slug, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    final = os.path.join(folder, slug + ".toml")
    temp = os.path.join(folder, "." + slug + ".toml.tmp")
    with open(temp, "w", encoding="utf-8") as out:
        out.write("\n".join([f"title = {q(title)}", *lines]) + "\n")
    pending.append((temp, final))
    if len(pending) >= 500:
        flush()
"""
NAIVE_ROWS = {
    "goodreads": r"""
with open(export, newline="", encoding="utf-8") as handle:
    for row in csv.DictReader(handle):
        lines = [f"authors = [{q(row['Author'])}]", f"status = {q(row['Exclusive Shelf'])}"]
        if row["My Rating"] not in ("", "0"):
            lines.append(f"rating = {int(row['My Rating'])}")
        if row["Date Read"]:
            lines.append(f"finished = {row['Date Read'].replace('/', '-')}")
        if row["My Review"]:
            lines.append(f"review = {q(row['My Review'].replace('<br/>', chr(10)))}")
        write(row["Title"], lines)
flush()
""",
    "storygraph": r"""
with open(export, newline="", encoding="utf-8") as handle:
    for row in csv.DictReader(handle):
        authors = ", ".join(q(a.strip()) for a in row["Authors"].split(","))
        lines = [f"authors = [{authors}]", f"status = {q(row['Read Status'])}"]
        if row["Star Rating"]:
            lines.append(f"rating = {float(row['Star Rating'])}")
        if row["Last Date Read"]:
            lines.append(f"finished = {row['Last Date Read'].replace('/', '-')}")
        if row["Review"]:
            lines.append(f"review = {q(row['Review'].removeprefix('<div>').removesuffix('</div>'))}")
        write(row["Title"], lines)
flush()
""",
    "librarything": r"""
with open(export, newline="", encoding="utf-8") as handle:
    for row in csv.DictReader(handle, delimiter="\t"):
        last, _, first = row["Primary Author"].partition(", ")
        status = "read" if row["Date Read"] else "want"
        lines = [f"authors = [{q((first + ' ' + last).strip())}]", f"status = {q(status)}"]
        if row["Rating"]:
            lines.append(f"rating = {float(row['Rating'])}")
        if row["Date Read"]:
            lines.append(f"finished = {row['Date Read'].strip('[]')}")
        if row["Review"]:
            lines.append(f"review = {q(row['Review'].replace('<br>', chr(10)))}")
        write(row["Title"], lines)
flush()
""",
    "librarything-json": r"""
with open(export, encoding="utf-8") as handle:
    for item in json.load(handle).values():
        status = "read" if item.get("dateread") else "want"
        lines = [f"authors = [{q(item['authors'][0]['fl'])}]", f"status = {q(status)}"]
        if item.get("rating"):
            lines.append(f"rating = {float(item['rating'])}")
        if item.get("dateread"):
            lines.append(f"finished = {item['dateread']}")
        if item.get("review"):
            lines.append(f"review = {q(item['review'].replace('<br>', chr(10)))}")
        write(item["title"], lines)
flush()
""",
}
NAIVE = NAIVE_HEAD + NAIVE_ROWS["goodreads"]  # (the Goodreads script, as named before --service)

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


# A StoryGraph export (the header of 2022 on, as the real one in the shared fixtures): a book read, or on a
# list, with StoryGraph's own questions (moods, pace, characters) answered for the books read.
STORYGRAPH_HEADER = ("Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,"
                     "Read Count,Moods,Pace,Character- or Plot-Driven?,Strong Character Development?,"
                     "Loveable Characters?,Diverse Characters?,Flawed Characters?,Star Rating,Review,"
                     "Content Warnings,Content Warning Description,Tags,Owned?")  # fmt: skip
MOODS = [
    "adventurous",
    "challenging",
    "dark",
    "emotional",
    "funny",
    "hopeful",
    "informative",
    "reflective",
    "tense",
]


def isbns_of(n: int) -> tuple[str, str]:
    """A valid ISBN-10 and its ISBN-13, made from `n`."""
    core = f"{(n * 7919 + 306_000_000) % 10**9:09d}"
    ten = (11 - sum((10 - i) * int(d) for i, d in enumerate(core)) % 11) % 11
    body = "978" + core
    thirteen = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
    return core + ("X" if ten == 10 else str(ten)), f"{body}{thirteen}"


def write_storygraph(path: Path, rows: int) -> None:
    rng = random.Random(7)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(STORYGRAPH_HEADER.split(","))
        for n in range(rows):
            status = rng.choice(["read", "read", "read", "to-read", "currently-reading", "did-not-finish"])
            done = status == "read"
            day = f"2021/0{rng.randint(1, 9)}/1{rng.randint(0, 9)}"
            finished = f"2022/0{rng.randint(1, 9)}/2{rng.randint(0, 8)}"
            when = rng.random()  # as in the real export: a range, a single date, or no date for a book read
            dates = f"{day}-{finished}" if when < 0.4 else finished if when < 0.95 else ""
            review = "<div>" + "<br><br>".join(paragraph(rng, 5) for _ in range(3)) + "</div>" if done else ""
            answers = [rng.choice(["Yes", "No", "It's complicated"]) for _ in range(4)] if done else [""] * 4
            writer.writerow([
                f"The {rng.choice(WORDS).title()} of {rng.choice(WORDS).title()} {n}",
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                f"{rng.choice(FIRST)} {rng.choice(LAST)} (Translator)" if n % 7 == 0 else "",
                isbns_of(n)[1] if n % 5 else "", rng.choice(["paperback", "hardcover", "digital", "audio"]), status,
                f"2020/1{rng.randint(0, 2)}/0{rng.randint(1, 9)}", finished if done and dates else "",
                dates if done else "", 1 if done else 0,
                ", ".join(sorted(rng.sample(MOODS, 3))) if done else "",
                rng.choice(["slow", "medium", "fast"]) if done else "",
                rng.choice(["Character", "Plot", "A mix"]) if done else "", *answers,
                str(rng.randint(1, 20) / 4) if done else "",  # 4.0, 3.75, 0.25: as StoryGraph writes them
                review, "Moderate: Grief; " if n % 11 == 0 else "", "", "fiction, book-club" if n % 3 else "",
                rng.choice(["Yes", "No"]),
            ])  # fmt: skip


# LibraryThing's "tab-delimited text" export, the one its export page offers first and the importer's
# default: today's columns (readlog reads a dozen; the rest are kept under [source.librarything]).
LIBRARYTHING_HEADER = ("Book Id\tTitle\tSort Character\tPrimary Author\tPrimary Author Role\tSecondary Author\t"
                       "Secondary Author Roles\tPublication\tDate\tReview\tRating\tComment\tPrivate Comment\t"
                       "Summary\tMedia\tPhysical Description\tPage Count\tLCCN\tAcquired\tDate Started\tDate Read\t"
                       "Barcode\tBCID\tTags\tCollections\tLanguages\tOriginal Languages\tLC Classification\tISBN\t"
                       "ISBNs\tSubjects\tDewey Decimal\tDewey Wording\tOther Call Number\tCopies\tSource\t"
                       "Entry Date\tFrom Where\tOCLC\tWork id")  # fmt: skip


def librarything_book(rng: random.Random, n: int) -> dict[str, str]:
    """One catalogued book, as LibraryThing's TSV export writes it (column -> cell)."""
    title = f"The {rng.choice(WORDS).title()} of {rng.choice(WORDS).title()} {n}"
    first, last = rng.choice(FIRST), rng.choice(LAST)
    read = rng.random() < 0.6
    logged = rng.random()  # a reader's dates: both, the finish alone, or none (the `Read` collection says it)
    year = rng.randint(1950, 2020)
    ten, isbn = isbns_of(n)
    started, finished = (
        f"2021-0{rng.randint(1, 9)}-0{rng.randint(1, 9)}",
        f"2021-1{rng.randint(0, 2)}-1{rng.randint(0, 9)}",
    )
    return {
        "Book Id": str(200000000 + n), "Title": title, "Sort Character": "5", "Primary Author": f"{last}, {first}",
        "Primary Author Role": "Author", "Secondary Author": "", "Secondary Author Roles": "",
        "Publication": f"Press ({year}), Paperback, {rng.randint(90, 900)} pages", "Date": str(year),
        "Review": "<br><br>".join(paragraph(rng, 5) for _ in range(3)) if read else "",
        "Rating": str(rng.randint(2, 10) / 2).removesuffix(".0") if read else "", "Comment": "",
        "Private Comment": "", "Summary": f"{title} by {first} {last} ({year})", "Media": "Book",
        "Physical Description": "320 p.; 8 inches", "Page Count": str(rng.randint(90, 900)), "LCCN": "",
        "Acquired": "", "Date Started": started if read and logged < 0.5 else "", "Date Read": finished if read and logged < 0.8 else "",
        "Barcode": "", "BCID": "", "Tags": "fiction, " + rng.choice(WORDS),
        "Collections": "Your library, Read" if read and logged >= 0.8 else "Your library, To read" if not read and n % 2 else "Your library",
        "Languages": "English", "Original Languages": "English", "LC Classification": "PR6000", "ISBN": f"[{isbn}]",
        "ISBNs": f"{ten}, {isbn}", "Subjects": "Fiction > Fantasy", "Dewey Decimal": "823.92",
        "Dewey Wording": "Literature > English > Fiction", "Other Call Number": "", "Copies": "1",
        "Source": "amazon.com", "Entry Date": f"[2020-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}]",
        "From Where": "", "OCLC": "", "Work id": str(90000 + n),
    }  # fmt: skip


def write_librarything(path: Path, rows: int) -> None:
    rng = random.Random(7)
    columns = LIBRARYTHING_HEADER.split("\t")
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter="\t")
        writer.writerow(columns)
        for n in range(rows):
            book = librarything_book(rng, n)
            writer.writerow([book[c] for c in columns])


def write_librarything_json(path: Path, rows: int) -> None:
    """The same books as LibraryThing's JSON export writes them: an object keyed by book id, lists for
    authors, tags and collections, an object for the ISBNs (the real one's shape)."""
    import json

    rng = random.Random(7)
    data = {}
    for n in range(rows):
        cells = librarything_book(rng, n)
        last, _, first = cells["Primary Author"].partition(", ")
        item: dict[str, object] = {
            "books_id": cells["Book Id"], "title": cells["Title"], "sortcharacter": "5", "public": "1",
            "primaryauthor": cells["Primary Author"], "authors": [{"lf": cells["Primary Author"], "fl": f"{first} {last}"}],
            "tags": cells["Tags"].split(", "), "collections": cells["Collections"].split(", "),
            "originalisbn": cells["ISBN"].strip("[]"), "isbn": {"0": cells["ISBNs"].split(", ")[0], "2": cells["ISBN"].strip("[]")},
            "publication": cells["Publication"], "date": cells["Date"], "summary": cells["Summary"],
            "language": ["English"], "lcc": {"code": cells["LC Classification"]}, "workcode": cells["Work id"],
            "entrydate": cells["Entry Date"].strip("[]"), "format": [{"code": "1.1.1", "text": "Paperback"}],
            "copies": "1", "pages": cells["Page Count"] + " ", "source": "amazon.com",
        }  # fmt: skip
        if cells["Review"]:
            item.update(review=cells["Review"], rating=cells["Rating"])
            dates = {"datestarted": cells["Date Started"], "dateread": cells["Date Read"]}
            item.update((key, value) for key, value in dates.items() if value)
        data[cells["Book Id"]] = item
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


# --service: the export's writer, its file name, and how its rows are called
SERVICES = {
    "goodreads": (write_export, "goodreads_library_export.csv", "Goodreads rows"),
    "storygraph": (write_storygraph, "storygraph_export.csv", "StoryGraph rows"),
    "librarything": (write_librarything, "librarything_library.tsv", "LibraryThing TSV rows"),
    "librarything-json": (write_librarything_json, "librarything_library.json", "LibraryThing JSON books"),
}


# --slow-sync: libc's sync() wrapped (RTLD_NEXT) to sleep BENCH_SLOW_SYNC_MS after the real one.
SLOW_SYNC_C = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>
void sync(void) {
    static void (*real)(void);
    if (!real) real = (void (*)(void))dlsym(RTLD_NEXT, "sync");
    real();
    const char *ms = getenv("BENCH_SLOW_SYNC_MS");
    long m = ms ? atol(ms) : 0;
    struct timespec wait = {m / 1000, (m % 1000) * 1000000L};
    if (m > 0) nanosleep(&wait, 0);
}
"""


def slow_syncs(tmp: Path, ms: int) -> bool:
    """Every process started from now on waits `ms` more in each os.sync() (LD_PRELOAD); False, said, if
    the shim cannot be built here."""
    import shutil

    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        print("--slow-sync: no C compiler here (cc, gcc): not run", file=sys.stderr)
        return False
    source, shim = tmp / "slowsync.c", tmp / "slowsync.so"
    source.write_text(SLOW_SYNC_C, encoding="utf-8")
    built = subprocess.run(
        [compiler, "-shared", "-fPIC", "-O2", "-o", str(shim), str(source), "-ldl"], check=False
    )
    if built.returncode != 0:
        print("--slow-sync: the shim did not compile: not run", file=sys.stderr)
        return False
    os.environ["LD_PRELOAD"] = str(shim)
    os.environ["BENCH_SLOW_SYNC_MS"] = str(ms)
    print(f"(every os.sync() of both programs waits {ms} ms more: a disk whose syncs are slow; information)")
    return True


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


def holding(args: argparse.Namespace, service: str, export: Path, tmp: Path, env: dict[str, str]) -> None:
    """The same export into a journal that holds its first `args.holding` books already (imported first,
    untimed), in interleaved pairs with the naive durable script."""
    python = sys.executable
    writer, name, rows_are = SERVICES[service]
    first = tmp / f"first-{name}"
    writer(first, args.holding)  # (the same first rows: each writer is seeded and makes its rows in order)
    script = NAIVE_HEAD + NAIVE_ROWS[service]
    naive: tuple[list[float], list[float]] = ([], [])
    mine: tuple[list[float], list[float]] = ([], [])
    ratios: list[float] = []
    said = ""
    for _ in range(args.pairs):
        wall, _out = into(naive, [python, "-c", script, str(export), str(fresh(tmp / "naive")), "1"])
        env["READLOG_HOME"], env["READLOG_CACHE"] = str(fresh(tmp / "journal")), str(fresh(tmp / "cache"))
        timed([*readlog_command(), "import", str(first)], env)
        mine_wall, said = into(mine, [*readlog_command(), "import", str(export)], env)
        ratios.append(mine_wall / wall)
    print(said)
    print(f"import of {args.rows:,} {rows_are} into a journal holding {args.holding:,} of them, "
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


def compare(args: argparse.Namespace, service: str, tmp: Path, env: dict[str, str]) -> Path:
    """The import of `service`'s generated export against its naive script (and --against, --holding), in
    interleaved pairs, printed; the journal of the last pair (for the cold build)."""
    writer, name, rows_are = SERVICES[service]
    script = NAIVE_HEAD + NAIVE_ROWS[service]
    python = sys.executable
    export = tmp / name
    writer(export, args.rows)
    journal = tmp / "journal"
    naive: tuple[list[float], list[float]] = ([], [])
    plain: tuple[list[float], list[float]] = ([], [])
    mine: tuple[list[float], list[float]] = ([], [])
    other: tuple[list[float], list[float]] = ([], [])
    ratios: list[float] = []
    said = ""
    for number in range(args.pairs):
        wall, _out = into(naive, [python, "-c", script, str(export), str(fresh(tmp / "naive")), "1"])
        if args.against and number % 2 == 0:
            against(args.against, export, tmp, env, other)
        journal = fresh(tmp / "journal")
        env["READLOG_HOME"], env["READLOG_CACHE"] = str(journal), str(fresh(tmp / "cache"))
        mine_wall, said = into(mine, [*readlog_command(), "import", str(export)], env)
        ratios.append(mine_wall / wall)
        if args.against and number % 2 == 1:
            against(args.against, export, tmp, env, other)
        wall, _out = into(plain, [python, "-c", script, str(export), str(fresh(tmp / "plain")), "0"])
    print(said)
    print(f"import of {args.rows:,} {rows_are}, {args.pairs} interleaved pairs:")
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
        holding(args, service, export, tmp, env)
    return journal


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
    parser.add_argument(
        "--service",
        nargs="+",
        choices=list(SERVICES),
        default=["goodreads"],
        help="whose export to generate and import (several: each in turn, in one run; the cold build "
        "reads the first one's journal)",
    )
    parser.add_argument(
        "--slow-sync", type=int, default=0, metavar="MS", help="each os.sync() waits MS ms more (see above)"
    )
    args = parser.parse_args()
    adopt_orphans()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.slow_sync and not slow_syncs(tmp, args.slow_sync):
            return
        env = {**os.environ, "READLOG_HOME": str(tmp / "journal"), "READLOG_CACHE": str(tmp / "cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        timed([*readlog_command(), "--help"], env)  # byte-compiled once, before anything is timed
        if args.against:
            timed([*readlog_command(), "--help"], {**env, "PYTHONPATH": os.path.abspath(args.against)})
        # (every service in one folder, deleted only at the end: see `fresh`)
        journals = [compare(args, service, tmp, env) for service in args.service]
        journal = journals[0]
        if args.no_reindex:
            return
        env["READLOG_HOME"] = str(journal)  # (the journal whose books the tomllib script reads)
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
