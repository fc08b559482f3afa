"""readlog at 1k / 10k / 100k books: whole-process timings as a ratio to `python -c pass`, piped and on a
pseudo-terminal; cold index build; incremental update after one file changes; and jrnl, the nearest peer,
at the same entry count.

    python bench/scale.py                        # 1,000 and 10,000 books, 7 pairs each
    python bench/scale.py --sizes 100000 --pairs 5
    python bench/scale.py --sizes 10000 --jrnl   # also jrnl -n 10 and jrnl -contains (installs jrnl into
                                                 # bench/out/jrnl-venv on first use; needs PyPI)

Timing never fails anything; the numbers go in the README and the notes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402
from startup import readlog_command, run_piped, run_pty  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
BASE = [sys.executable, "-c", "pass"]

# The floor (issue 12): what any program keeping readlog's promise with this stack must do. It imports Typer,
# Rich and sqlite3, lists the books folder and stats every file (so hand edits show up), and prints a 20-row
# Rich table. readlog's commands are reported as a ratio to this too, measured in the same run.
FLOOR = """
import os, sys, sqlite3, typer
from rich.console import Console
from rich.table import Table
books = os.path.join(os.environ["READLOG_HOME"], "books")
stats = [entry.stat() for entry in os.scandir(books) if entry.name.endswith(".toml")]
table = Table("Title", "Authors", "Status", "Rating", "Finished")
for n in range(20):
    table.add_row(f"Book {n}", "An Author", "read", "★★★★☆", "2026-01-01")
Console().print(table)
"""


def peak_mb(argv: list[str], env: dict[str, str]) -> float:
    """The child's peak resident memory (its own, from wait4's rusage), in MB."""
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    return usage.ru_maxrss / 1024


def paired(argv: list[str], env: dict[str, str], pairs: int, runner, before=None) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median ms and median ratio to `python -c pass` over interleaved pairs."""
    times, ratios = [], []
    for _ in range(pairs):
        if before is not None:
            before()
        baseline = runner(BASE, env)
        elapsed = runner(argv, env)
        times.append(elapsed)
        ratios.append(elapsed / baseline)
    return statistics.median(times) * 1000, statistics.median(ratios)


def jrnl_bin() -> Path:
    venv = REPO / "bench" / "out" / "jrnl-venv"
    binary = venv / "bin" / "jrnl"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "jrnl"], check=True)
    return binary


def jrnl_env(tmp: Path, books: list, binary: Path) -> dict[str, str]:  # type: ignore[type-arg]
    """A plain-text jrnl journal holding the same writing: one entry per book (its review and reflection)."""
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.split()[-1]
    journal = tmp / "jrnl.txt"
    with journal.open("w", encoding="utf-8") as out:
        for book in sorted(books, key=lambda b: b.added):
            body = book.review.body if book.review and book.review.body else (book.why or "")
            reflection = book.reflections[0].text if book.reflections else ""
            out.write(f"[{book.added.isoformat()} 09:00:00 AM] {book.title}.\n{body}\n{reflection}\n\n")
    config = tmp / "config" / "jrnl"
    config.mkdir(parents=True)
    (config / "jrnl.yaml").write_text(
        "colors: {body: none, date: none, tags: none, title: none}\ndefault_hour: 9\ndefault_minute: 0\n"
        "editor: ''\nencrypt: false\nhighlight: true\nindent_character: '|'\n"
        f"journals:\n  default:\n    journal: {journal}\nlinewrap: 79\ntagsymbols: '#@'\ntemplate: false\n"
        f"timeformat: '%F %r'\nversion: {version}\n"
    )
    return {**os.environ, "XDG_CONFIG_HOME": str(tmp / "config"), "HOME": str(tmp)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument("--jrnl", action="store_true", help="compare with jrnl at the same entry count")
    parser.add_argument("--no-pty", action="store_true", help="piped only (faster)")
    args = parser.parse_args()
    readlog = readlog_command()
    runners = {"piped": run_piped} if args.no_pty else {"piped": run_piped, "pty": run_pty}

    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            root = tmp / "readlog"
            started = time.perf_counter()
            books = generate(root, size)
            for name in ("never-let-me-go", "klara-and-the-sun"):
                shutil.copy(REPO / f"examples/journal/books/{name}.toml", root / "books")
            generated = time.perf_counter() - started
            env = {**os.environ, "READLOG_HOME": str(root), "READLOG_CACHE": str(tmp / "cache")}
            # No pager (less would wait for a key on the pseudo-terminal) and no config of the machine's.
            env.update(COLUMNS="100", TERM="xterm-256color", READLOG_PAGER="", XDG_CONFIG_HOME=str(tmp))
            for name in ("NO_COLOR", "PYTHONDONTWRITEBYTECODE"):
                env.pop(name, None)
            print(f"\n== {size:,} books (+1 example); generated and written in {generated:.1f} s")
            started = time.perf_counter()
            subprocess.run([*readlog, "reindex"], env=env, capture_output=True, check=True)
            print(f"cold index build (readlog reindex): {time.perf_counter() - started:.2f} s")

            target = root / "books" / "never-let-me-go.toml"
            original = target.read_text()

            def touch_one(target: Path = target, original: str = original) -> None:
                """A hand edit behind readlog's back: one file changes."""
                text = target.read_text()
                target.write_text(text + "\n" if text == original else original)

            commands = {
                "floor (reference)": None,
                "list": ["list"],
                "list --limit 20": ["list", "--limit", "20"],
                "search WORD": ["search", "harbour"],
                'search "PHRASE"': ["search", '"quiet light"'],
                "next": ["next"],
                "show": ["show", "never let me go"],
                "stats": ["stats"],
                "reflect (BOOK by title)": ["reflect", "never let me go", "a bench thought"],
                "progress (BOOK by title)": ["progress", "klara and the sun", "12"],
                "add": None,
                "after 1 file changed: list --limit 20": ["list", "--limit", "20"],
            }
            floor: dict[str, float] = {}
            print(
                f"{'command':40} " + "  ".join(f"{m + ' ms':>10} {'ratio':>6} {'/floor':>6}" for m in runners)
            )
            counter = iter(range(10**9))
            for label, tail in commands.items():
                cells = []
                for mode, runner in runners.items():
                    before = touch_one if label.startswith("after") else None
                    if label.startswith("floor"):
                        ms, ratio = paired([sys.executable, "-c", FLOOR], env, args.pairs, runner)
                        floor[mode] = ratio
                    elif tail is None:  # a fresh title every run
                        argv = None
                        times, ratios = [], []
                        for _ in range(args.pairs):
                            argv = [
                                *readlog,
                                "add",
                                f"Bench {next(counter)} {time.monotonic_ns()}",
                                "-a",
                                "B",
                            ]
                            baseline = runner(BASE, env)
                            elapsed = runner(argv, env)
                            times.append(elapsed)
                            ratios.append(elapsed / baseline)
                        ms, ratio = statistics.median(times) * 1000, statistics.median(ratios)
                    else:
                        ms, ratio = paired([*readlog, *tail], env, args.pairs, runner, before)
                    cells.append(f"{ms:10.1f} {ratio:5.1f}x {ratio / floor[mode]:5.2f}x")
                print(f"{label:40} " + "  ".join(cells))
            memory = {
                "list": ["list"],
                "search WORD": ["search", "harbour"],
                "reindex": ["reindex"],
            }
            print(
                "peak memory: "
                + ", ".join(f"{k} {peak_mb([*readlog, *v], env):.0f} MB" for k, v in memory.items())
            )
            if args.jrnl:
                binary = jrnl_bin()
                jenv = jrnl_env(tmp, books, binary)
                for label, tail in (
                    ("jrnl -n 10", ["-n", "10"]),
                    ("jrnl -contains WORD", ["-contains", "harbour"]),
                ):
                    ms, ratio = paired([str(binary), *tail], jenv, args.pairs, run_piped)
                    print(f"{label:40} {ms:10.1f} {ratio:5.1f}x   (piped)")


if __name__ == "__main__":
    main()
