"""How well does `readlog next --suggest` rank what a reader went on to love? Replays real histories.

For each export (default: the real ones in ../shared/fixtures/imports/, or $READLOG_TEST_IMPORTS): import it
into a new journal with `readlog import`; take the books read and rated, ordered by date (the last reading's
finish, else the date added); turn the last 30% back into want books (status `want`, rating and readings
removed: hidden); rank with `readlog next --suggest --json --count 0` from the rest; then the pairwise AUC
between the hidden books the reader rated >= 4 and those rated <= 3 (the share of such pairs the ranking
puts the right way round; ties count half), beside the same AUC for the export's average rating alone.

Also `--scale N`: a journal of N want books and a history, timed: `rank` alone, and `next --suggest` with
the ranking made afresh and kept.

    python bench/suggest.py                      # every export found
    python bench/suggest.py FILE.csv ...
    python bench/suggest.py --scale 10000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# ../shared/fixtures/imports beside the project (a worktree may sit a folder deeper)
SHARED = [up / "shared" / "fixtures" / "imports" for up in (HERE.parent.parent, HERE.parent.parent.parent)]
HIDDEN = 0.3


def exports(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.csv") if "librarything" not in p.parts)


def readlog(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "readlog", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"readlog {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def auc(scores: dict[str, float], liked: list[str], disliked: list[str]) -> float | None:
    """The share of (liked, disliked) pairs ranked the right way round; ties count half."""
    if not liked or not disliked:
        return None
    right = 0.0
    for good in liked:
        for bad in disliked:
            a, b = scores[good], scores[bad]
            right += 1.0 if a > b else 0.5 if a == b else 0.0
    return right / (len(liked) * len(disliked))


def replay(path: Path, hidden: float = HIDDEN) -> dict[str, object]:
    """Import `path`, hide the last `hidden` of its rated reads, rank; the AUCs and counts."""
    from readlog.journal import Journal
    from readlog.model import sort_key
    from readlog.traits import book_traits

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "READLOG_HOME": f"{tmp}/journal", "READLOG_CACHE": f"{tmp}/cache"}
        env["READLOG_CONFIG"] = f"{tmp}/none.toml"
        readlog(["import", str(path)], env)
        os.environ.update({k: env[k] for k in ("READLOG_HOME", "READLOG_CACHE", "READLOG_CONFIG")})
        journal = Journal(Path(env["READLOG_HOME"]))
        rated = []
        for entry in journal.scan().entries:
            book = entry.book
            if book.status == "read" and book.rating is not None:
                when = sort_key(book.last_finished) or sort_key(book.added)
                rated.append((when, entry.slug, float(book.rating)))
        rated.sort()
        cut = len(rated) - round(len(rated) * hidden)
        held = {slug: rating for _, slug, rating in rated[cut:]}
        averages: dict[str, float] = {}

        def hide(book: object) -> None:
            book.status, book.rating, book.reads = "want", None, []  # type: ignore[attr-defined]

        for slug in held:
            entry = journal.modify(slug, hide)
            averages[slug] = (book_traits(entry.book) or {}).get("average", 0.0)
        ranked = json.loads(readlog(["next", "--suggest", "--json", "--count", "0"], env))
    scores = {b["slug"]: float(b["score"]) for b in ranked}
    liked = [s for s, r in held.items() if r >= 4]
    disliked = [s for s, r in held.items() if r <= 3]
    want = [b for b in ranked]
    return {
        "file": path.name,
        "rated": len(rated),
        "hidden": len(held),
        "liked": len(liked),
        "disliked": len(disliked),
        "ranked": len(want),
        "auc": auc(scores, liked, disliked),
        "baseline": auc(averages, liked, disliked) if any(averages.values()) else None,
        "with_reason": sum(1 for b in ranked if b["reasons"]),
    }


def show(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else "n/a" if value is None else str(value)


def scale(n: int) -> None:
    """N want books and a history of N/20 read ones, written as book files; rank alone, then the command."""
    import random
    from datetime import date, timedelta

    from readlog.suggest import Item, rank

    rng = random.Random(7)
    authors = [f"Author {i}" for i in range(max(n // 8, 10))]
    tags = [f"tag{i}" for i in range(60)]
    items = []
    for i in range(n + n // 20):
        want = i < n
        items.append(
            Item(
                f"book-{i}",
                f"Book {i}",
                [rng.choice(authors)],
                "want" if want else rng.choice(["read"] * 9 + ["abandoned"]),
                rating=None if want else float(rng.randint(1, 5)),
                tags=rng.sample(tags, 3),
                pages=rng.randint(80, 900),
                added=date(2020, 1, 1) + timedelta(days=rng.randint(0, 1500)),
                finished=None
                if want
                else (date(2024, 1, 1) + timedelta(days=rng.randint(0, 600))).isoformat(),
                format=rng.choice(["paperback", "ebook", "audiobook", None]),
                average=round(rng.uniform(3, 4.6), 2),
            )
        )
    start = time.perf_counter()
    ranking = rank(items)
    print(f"rank(): {len(ranking.books)} want books in {time.perf_counter() - start:.3f} s")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "READLOG_HOME": f"{tmp}/journal", "READLOG_CACHE": f"{tmp}/cache"}
        env["READLOG_CONFIG"] = f"{tmp}/none.toml"
        books = Path(env["READLOG_HOME"]) / "books"
        books.mkdir(parents=True)
        for item in items:
            lines = [
                f'title = "{item.title}"',
                f'authors = ["{item.authors[0]}"]',
                f'status = "{item.status}"',
            ]
            lines += [f"tags = {json.dumps(item.tags)}", f"pages = {item.pages}", f"added = {item.added}"]
            if item.rating is not None:
                lines.append(f"rating = {int(item.rating)}")
            if item.finished:
                lines += ["", "[[reads]]", f"finished = {item.finished}"]
            (books / f"{item.slug}.toml").write_text("\n".join(lines) + "\n")
        readlog(["list", "--limit", "1"], env)  # the index, built
        for label in ("made afresh", "kept"):
            start = time.perf_counter()
            out = readlog(["next", "--suggest", "--json", "--count", "0"], env)
            took = time.perf_counter() - start
            print(
                f"readlog next --suggest --json --count 0 ({label}): {len(json.loads(out))} books, {took:.3f} s"
            )
        for show in ("true", "false"):  # plain `next` on a terminal's table, with and without the three
            Path(env["READLOG_CONFIG"]).write_text(f"[suggest]\nshow = {show}\n")
            readlog(["next", "--format", "table"], env)  # the kept ranking, made under this config
            start = time.perf_counter()
            readlog(["next", "--format", "table"], env)
            took = time.perf_counter() - start
            print(f"readlog next --format table (suggest.show = {show}, ranking kept): {took:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--scale", type=int, metavar="N", help="time N want books instead")
    args = parser.parse_args()
    if args.scale:
        scale(args.scale)
        return
    given = os.environ.get("READLOG_TEST_IMPORTS")
    folder = Path(given) if given else next((p for p in SHARED if p.is_dir()), SHARED[0])
    files = args.files or exports(folder)
    print(
        "| file | rated reads | hidden (>=4 / <=3) | want books ranked | AUC --suggest | AUC average rating |"
    )
    print("|---|---|---|---|---|---|")
    results = []
    for path in files:
        result = replay(path)
        results.append(result)
        print(
            f"| {result['file']} | {result['rated']} | {result['hidden']} ({result['liked']} / "
            f"{result['disliked']}) | {result['ranked']} | {show(result['auc'])} | {show(result['baseline'])} |"
        )
    scored = [r for r in results if r["auc"] is not None]
    if scored:
        mean = sum(float(r["auc"]) for r in scored) / len(scored)  # type: ignore[arg-type]
        base = [float(r["baseline"]) for r in scored if r["baseline"] is not None]  # type: ignore[arg-type]
        print(
            f"\nmean AUC over {len(scored)} files: {mean:.3f}"
            + (f" (average rating: {sum(base) / len(base):.3f})" if base else "")
        )


if __name__ == "__main__":
    main()
