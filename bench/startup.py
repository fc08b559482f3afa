"""Whole-process timings of the everyday commands, as a ratio to `python -c pass` measured in the same run.

    python bench/startup.py                 # the example journal (6 books), 15 pairs
    python bench/startup.py --books 1000    # a generated journal of 1,000 books
    python bench/startup.py --pairs 21

Each command is timed paired with `python -c pass`, interleaved (baseline, command, baseline, ...), and the
median of the per-pair ratios is reported, both piped (what a script sees) and on a pseudo-terminal (what a
person sees: Rich with colour). Timing never fails anything: this prints numbers for the README and notes.
Budgets from the core issue: --help, next, list, add <= 10x; show <= 15x; the lifecycle verbs (progress) and
completing a BOOK on TAB within the same 10x.
"""

from __future__ import annotations

import argparse
import os
import pty
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUDGET = {"--help": 10, "show": 15, "next": 10, "list": 10, "add": 10, "progress": 10, "complete BOOK": 10}


def readlog_command() -> list[str]:
    script = Path(sys.executable).with_name("readlog")
    return [str(script)] if script.exists() else [sys.executable, "-m", "readlog"]


def run_piped(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, env=env, check=False)
    return time.perf_counter() - start


def run_pty(argv: list[str], env: dict[str, str]) -> float:
    """Run with stdout and stderr on a pseudo-terminal, draining it so the child never blocks."""
    master, slave = pty.openpty()

    def drain() -> None:
        while True:
            try:
                if not os.read(master, 65536):
                    break
            except OSError:
                break

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.perf_counter()
    subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env, check=False)
    elapsed = time.perf_counter() - start
    os.close(slave)
    reader.join(timeout=2)
    os.close(master)
    return elapsed


def measure(
    name: str, argv_for: object, env: dict[str, str], pairs: int, runner: object
) -> tuple[float, float]:
    base = [sys.executable, "-c", "pass"]
    ratios, times = [], []
    for index in range(pairs):
        baseline = runner(base, env)  # type: ignore[operator]
        elapsed = runner(argv_for(index), env)  # type: ignore[operator]
        ratios.append(elapsed / baseline)
        times.append(elapsed)
    return statistics.median(times) * 1000, statistics.median(ratios)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=15, help="pairs per command (at least 11)")
    parser.add_argument("--books", type=int, default=0, help="generate a journal of this many books")
    args = parser.parse_args()
    pairs = max(args.pairs, 11)

    with tempfile.TemporaryDirectory() as tmp:
        # The journal sits where platformdirs puts it (via XDG_DATA_HOME), as for a real user: no READLOG_HOME.
        journal = Path(tmp) / "readlog"
        if args.books:
            sys.path.insert(0, str(REPO / "bench"))
            from generate import generate

            generate(journal, args.books)
            for name in ("never-let-me-go", "klara-and-the-sun"):
                shutil.copy(REPO / f"examples/journal/books/{name}.toml", journal / "books")
        else:
            shutil.copytree(REPO / "examples" / "journal", journal)
        env = {
            **os.environ,
            "XDG_DATA_HOME": tmp,
            "XDG_CONFIG_HOME": tmp,
            "COLUMNS": "100",
            "TERM": "xterm-256color",
        }
        # No pager: `show` is taller than the pseudo-terminal, and `less` would wait for a key. What is timed
        # is readlog's start-up, render and write (the pager path renders to a string and counts lines).
        env["READLOG_PAGER"] = ""
        env.pop("NO_COLOR", None)
        env.pop("READLOG_CONFIG", None)
        env.pop("READLOG_HOME", None)
        # As on a user's machine: bytecode is cached after the first run (some sandboxes and CI images set
        # PYTHONDONTWRITEBYTECODE, which would recompile readlog's modules on every run).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        readlog = readlog_command()
        commands = {
            "--help": lambda i: [*readlog, "--help"],
            "show": lambda i: [*readlog, "show", "never let me go"],
            "next": lambda i: [*readlog, "next"],
            "list": lambda i: [*readlog, "list"],
            "add": lambda i: [*readlog, "add", f"Bench Book {i} {time.monotonic_ns()}", "-a", "Bench Author"],
            "progress": lambda i: [*readlog, "progress", "klara", str(i + 2)],
            # What the shell runs on TAB after `readlog show the` (env(1) itself costs about 1 ms).
            "complete BOOK": lambda i: [
                "env",
                "_READLOG_COMPLETE=complete_bash",
                "COMP_WORDS=readlog show the",
                "COMP_CWORD=2",
                *readlog,
            ],
        }
        for argv_for in commands.values():  # warm-up: write bytecode caches, fill the OS file cache
            run_piped(argv_for(-1), env)
        size = f"{args.books} generated books" if args.books else "the example journal"
        print(
            f"readlog start-up on {size}; median of {pairs} interleaved pairs; python: {sys.version.split()[0]}"
        )
        print(f"{'command':10} {'piped ms':>9} {'ratio':>6}   {'pty ms':>8} {'ratio':>6}   budget")
        for name, argv_for in commands.items():
            piped_ms, piped_ratio = measure(name, argv_for, env, pairs, run_piped)
            pty_ms, pty_ratio = measure(name, argv_for, env, pairs, run_pty)
            print(
                f"{name:10} {piped_ms:9.1f} {piped_ratio:6.1f}x  {pty_ms:8.1f} {pty_ratio:6.1f}x   <= {BUDGET[name]}x"
            )


if __name__ == "__main__":
    main()
