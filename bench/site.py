"""`readlog site` against Hugo on the same reviewed books, in one run: cold builds as a ratio, and the
rebuild after one changed review.

    python bench/site.py                   # 1,000 and 10,000 books
    python bench/site.py --books 10000 --pairs 5
    python bench/site.py --books 10000 --against /tmp/base/src   # A/B: another source tree's readlog too

For each size a journal is generated (bench/generate.py) and the same public reviewed books are written as
Hugo content: Markdown files with front matter (title, book, authors, tags, date, rating) whose body is the
post readlog itself exports (review, reflections, quotes, picks), with a minimal theme written here (a page
per review, tag and author pages and their indexes, a home page, an RSS feed), so no network is needed.
`hugo` must be installed (`apt-get install hugo`); without it only readlog is timed.

A cold build is timed from outside as a whole process: readlog with an empty cache and no OUTDIR, Hugo with
no `public/` and an empty cache dir. They run as interleaved pairs (readlog, Hugo, readlog, Hugo, ...), so
a busy machine weighs on both alike; the ratio is the median of the pairs' ratios. User+sys CPU of each is
read from `resource.getrusage(RUSAGE_CHILDREN)`.

Both tools build on the same file system in the same state, one that saw no big delete for minutes: on
ext4 without a journal (this project's images, /mnt/h*), creating a file skips, one at a time, every free
inode deleted less than 60 s ago, or 360 s while its inode table block is unwritten (fs/ext4/ialloc.c,
`recently_deleted`): measured here (/mnt/h3), 5,000 new files took 3.2 s of system time right after
40,000 were deleted and synced, 0.8-1.9 s two to four minutes later, 0.14 s after 400 s. So, per `--folder`:
- every timed build writes into folders never used before (`public-N`, `cache-N`, `hugo-public-N`, ...);
- a run deletes its folders after all its timings (unless `--keep`), and keeps the time (`deleted-at`),
  those of every size it made, also when it fails or is stopped; folders left by an earlier run (kept:
  of any size, not only this run's) are deleted before this one generates its journal;
- a run started less than `QUIET` seconds after a delete of either kind waits out the rest first (said on
  stderr; generating the journal and its Hugo twin counts towards it);
- before each timed build the system's unwritten data is written (`os.sync()`, untimed), so neither tool
  starts with the other's output (or the generated journal) still to write: readlog ends with a sync,
  which would otherwise write those too, and Hugo would run while the kernel writes them.
Another process deleting on the same file system meanwhile is not seen: time on a file system no one else
uses, and on an idle machine. The rebuild after one review changed is the median of
`--pairs` rebuilds, each after a different book's review got a new first paragraph. Goals (issue 25): cold
at most 0.6x Hugo at 10,000 books, that rebuild under 1 s. With --against SRC, the readlog in the source
tree SRC (run with this Python, SRC first on its path) is timed in the same pairs too, before or after this
one in turn, cold and rebuilding (its own cache and site), and the per-pair differences are printed: a
change's before/after in one run. Timing is reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

HERE = Path(__file__).resolve().parent
HUGO = shutil.which("hugo")
# seconds after a big delete before a timed build: the kernel's 360 (60 + 300 while unwritten), and some
QUIET = 380

HUGO_CONFIG = """\
baseURL = "https://example.org/books/"
title = "Reading journal"
languageCode = "en"
disableKinds = ["robotsTXT", "404"]
[taxonomies]
tag = "tags"
author = "authors"
[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><nav><a href="{{ "" | relURL }}">{{ .Site.Title }}</a> <a href="{{ "tags/" | relURL }}">Tags</a>
<a href="{{ "authors/" | relURL }}">Authors</a></nav><main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><cite>{{ .Params.book }}</cite> by {{ range $i, $a := .Params.authors }}{{ if $i }}, {{ end }}<a href="{{ "authors/" | relURL }}{{ $a | urlize }}/">{{ $a }}</a>{{ end }}</p>
{{ with .Params.rating }}<p>Rated {{ . }} out of 5</p>{{ end }}
<p>{{ range .Params.tags }}<a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>
{{ .Content }}</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}"><cite>{{ .Params.book }}</cite></a> by {{ delimit .Params.authors ", " }}<br>{{ .Title }}</li>{{ end }}</ul>{{ end }}
""",
    "_default/term.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}"><cite>{{ .Params.book }}</cite></a> by {{ delimit .Params.authors ", " }}<br>{{ .Title }}</li>{{ end }}</ul>{{ end }}
""",
    "_default/taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1>{{ range first 20 (where .Site.RegularPages "Section" "books") }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Summary }}</p></article>{{ end }}{{ end }}
""",
}


def hugo_twin(journal: Path, folder: Path) -> int:
    """The journal's public reviewed books as a Hugo site in `folder`; returns how many."""
    from readlog.journal import Journal
    from readlog.markdown import book_markdown
    from readlog.model import sort_key
    from readlog.privacy import public_book

    shutil.rmtree(folder, ignore_errors=True)
    content = folder / "content" / "books"
    content.mkdir(parents=True)
    (folder / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (folder / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "layouts" / name).write_text(text, encoding="utf-8")
    static = folder / "static"
    static.mkdir()
    source = Path(__file__).resolve().parent.parent / "src/readlog/exporters/site/templates/style.css"
    shutil.copy(source, static / "style.css")
    made = 0
    books = Journal(journal)
    for slug in books.slugs():
        book = public_book(books.load(slug).book)
        if book is None or book.review is None:
            continue
        front = {
            "title": book.review.headline or book.title,
            "book": book.title,
            "authors": book.authors,
            "tags": book.tags,
            "date": sort_key(book.review.written or book.last_finished or book.added) or "2000-01-01",
            "rating": book.rating,
        }
        post = book_markdown(book).split("\n", 2)[2]  # without its `# heading`: the layout has the title
        (content / f"{slug}.md").write_text(json.dumps(front, ensure_ascii=False) + "\n\n" + post, "utf-8")
        made += 1
    return made


def timed(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, float]:
    """(wall seconds, user+sys CPU seconds) of one whole process, started with nothing left to write."""
    os.sync()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def readlog_site(journal: Path, out: Path, env: dict[str, str]) -> list[str]:
    return [sys.executable, "-m", "readlog", "--data-dir", str(journal), "site", str(out)]


def delete(paths: list[Path], folder: Path) -> None:
    """`paths` deleted, if there, and the time kept in `folder` (for `wait_quiet`)."""
    there = [path for path in paths if path.exists()]
    if there:
        for path in there:
            shutil.rmtree(path)
        os.sync()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "deleted-at").write_text(f"{time.time():.0f}\n")


def wait_quiet(folder: Path) -> None:
    """Wait until `QUIET` seconds have passed since this bench last deleted files in `folder`."""
    try:
        deleted = float((folder / "deleted-at").read_text())
    except (OSError, ValueError):
        return
    rest = deleted + QUIET - time.time()
    if rest > 0:
        print(f"(waiting {rest:.0f} s: the file system is still skipping the inodes deleted here "
              f"{QUIET - rest:.0f} s ago)", file=sys.stderr, flush=True)  # fmt: skip
        time.sleep(rest)


def median_of(times: list[tuple[float, float]]) -> str:
    wall, cpu = statistics.median(w for w, _ in times), statistics.median(c for _, c in times)
    return f"{wall:.2f} s wall, {cpu:.2f} s CPU"


def compile_readlog(env: dict[str, str]) -> None:
    """The byte code of the readlog that `env` runs, written (as an install or a first run would)."""
    where = subprocess.run(
        [sys.executable, "-c", "import os, readlog; print(os.path.dirname(readlog.__file__))"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", where], env=env, check=True, capture_output=True
    )


def bench(books: int, pairs: int, folder: Path, against: str | None = None) -> list[tuple[str, str]]:
    root = folder / f"{books}"
    journal, out, cache, twin = root / "journal", root / "public", root / "cache", root / "hugo"
    root.mkdir(parents=True, exist_ok=True)
    (root / MADE).write_text("made by bench/site.py: deleted by its next run\n")  # (leftovers: ours only)
    generate(journal, books)
    reviewed = hugo_twin(journal, twin)
    wait_quiet(folder)
    env = {**os.environ, "READLOG_CACHE": str(cache)}
    # As on a reader's machine, readlog's byte code is cached: with PYTHONDONTWRITEBYTECODE set (this
    # project's shells set it) every timed build compiled readlog's modules again, which Hugo never pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    rows = []
    mine: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    # Every cold build writes into folders never used before, and nothing is deleted until every timing of
    # this run is done (see the module's docstring).
    other = {**env, "PYTHONPATH": os.path.abspath(against)} if against else None
    others: list[tuple[float, float]] = []
    for tree in (env, other):
        if tree is not None:  # each tree's byte code written before the first timed build
            compile_readlog(tree)
    for n in range(pairs):
        env["READLOG_CACHE"] = str(root / f"cache-{n}")
        if other is not None and n % 2 == 0:
            other["READLOG_CACHE"] = str(root / f"against-cache-{n}")
            others.append(timed(readlog_site(journal, root / f"against-public-{n}", other), other))
        mine.append(timed(readlog_site(journal, root / f"public-{n}", env), env))
        if other is not None and n % 2 == 1:
            other["READLOG_CACHE"] = str(root / f"against-cache-{n}")
            others.append(timed(readlog_site(journal, root / f"against-public-{n}", other), other))
        if HUGO:
            hugo = [HUGO, "--quiet", "--cacheDir", str(root / f"hugo-cache-{n}")]
            theirs.append(timed([*hugo, "--destination", str(root / f"hugo-public-{n}")], cwd=twin))
    env["READLOG_CACHE"] = str(cache)
    wall = statistics.median(w for w, _ in mine)
    cpu = statistics.median(c for _, c in mine)
    rows.append(
        (f"readlog cold ({reviewed} reviews of {books} books)", f"{wall:.2f} s wall, {cpu:.2f} s CPU")
    )
    if HUGO:
        hwall = statistics.median(w for w, _ in theirs)
        hcpu = statistics.median(c for _, c in theirs)
        rows.append(("Hugo cold, same reviews", f"{hwall:.2f} s wall, {hcpu:.2f} s CPU"))
        ratios = [m[0] / t[0] for m, t in zip(mine, theirs, strict=True)]
        rows.append(
            (
                "readlog / Hugo, cold (median of pairs; goal at most 0.6)",
                f"{statistics.median(ratios):.2f}x (pairs: {', '.join(f'{r:.2f}' for r in ratios)})",
            )
        )
    else:
        rows.append(("Hugo", "not installed: `apt-get install hugo`"))
    if other is not None:
        rows.append((f"readlog cold from {against}", median_of(others)))
        if HUGO:
            ratios = [m[0] / t[0] for m, t in zip(others, theirs, strict=True)]
            rows.append((f"{against} / Hugo, cold (median of pairs)", f"{statistics.median(ratios):.2f}x"))
        diffs = [m[0] - o[0] for m, o in zip(mine, others, strict=True)]
        rows.append(
            ("this one - against, cold, per pair (median)", f"{statistics.median(diffs):+.2f} s wall")
        )

    # One review changed, rebuilt (readlog keeps its cache and the site of the last build).
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run(readlog_site(journal, out, env), env=env, check=True, capture_output=True)
    targets = [p for p in sorted((journal / "books").glob("*.toml")) if "body = '''" in p.read_text()]
    their_out = root / "against-public"
    if other is not None:
        other["READLOG_CACHE"] = str(root / "against-cache")
        subprocess.run(readlog_site(journal, their_out, other), env=other, check=True, capture_output=True)
    rebuilds: list[tuple[float, float]] = []
    their_rebuilds: list[tuple[float, float]] = []
    for n in range(pairs):
        for theirs_now in (False, True) if n % 2 == 0 else (True, False):
            if theirs_now and other is None:
                continue
            target = targets[(n * 89 + theirs_now * 41) % len(targets)]
            new = f"body = '''\nA new first paragraph {n}.\n\n"
            target.write_text(target.read_text().replace("body = '''\n", new, 1))
            if not theirs_now:
                rebuilds.append(timed(readlog_site(journal, out, env), env))
            elif other is not None:
                their_rebuilds.append(timed(readlog_site(journal, their_out, other), other))
    rows.append(("readlog rebuild after one review changed (median; goal under 1 s)", median_of(rebuilds)))
    if other is not None:
        rows.append((f"rebuild after one review changed, from {against}", median_of(their_rebuilds)))
    nothing = [timed(readlog_site(journal, out, env), env) for _ in range(pairs)]
    rows.append(
        (
            "readlog rebuild, nothing changed (median)",
            f"{statistics.median(w for w, _ in nothing):.2f} s wall",
        )
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--books", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument(
        "--pairs", type=int, default=3, help="interleaved cold pairs, and rebuilds (default 3)"
    )
    parser.add_argument("--folder", type=Path, default=HERE / "out" / "site")
    parser.add_argument("--against", metavar="SRC", help="also time the readlog in SRC (A/B)")
    parser.add_argument("--keep", action="store_true", help="leave the journals and sites (the next run "
                        "deletes them, then waits: see above)")  # fmt: skip
    args = parser.parse_args()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    print(f"`python -c pass`: {(time.perf_counter() - started) * 1000:.0f} ms; cores: {os.cpu_count()}; "
          f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")  # fmt: skip
    delete(leftovers(args.folder), args.folder)  # (an earlier run's, kept: then waited for in `bench`)
    made: list[Path] = []
    try:
        for books in args.books:
            made.append(args.folder / f"{books}")
            print(f"\n{books} books\n\n| measure | result |\n| --- | --- |")
            for name, value in bench(books, args.pairs, args.folder, args.against):
                print(f"| {name} | {value} |")
    finally:
        if not args.keep:  # (after every timing, or once one failed: see the module's docstring)
            delete(made, args.folder)


MADE = ".made-by-bench-site"  # in each size's folder a run makes: what `leftovers` may delete


def leftovers(folder: Path) -> list[Path]:
    """The folders an earlier run left in `folder` (one per size: `1000`, `10000`...), whatever its sizes:
    those holding its MADE mark only (a reader's own `2024/` there is not the bench's: review 32b #5)."""
    try:
        return sorted(path for path in folder.iterdir() if path.name.isdigit() and (path / MADE).is_file())
    except FileNotFoundError:
        return []


if __name__ == "__main__":
    main()
