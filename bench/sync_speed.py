"""How long `readlog sync` takes on a generated journal: `python bench/sync_speed.py --books 1000 10000`.

Two data dirs and a bare remote in a temp folder (git's global config pointed at an empty file). For each size:

1. `readlog sync` against the git chain a reader would run by hand,
   `git add -A && (git diff --cached --quiet || git commit -q -m x) && git pull -q --rebase && git push -q`
   (in a clone of the same journal with a bare remote of its own, so neither side has the other's commits
   to bring in), timed in interleaved pairs (sync, chain, chain, sync, ...: the order flips every pair):
   the medians, and the median of the per-pair ratios of wall time and of CPU time (user+sys of every
   process each side started and waited for: less moved by the other work on a shared machine). Once with
   nothing to do, once after one changed book (a reflection added before each timed run, untimed, for
   both). With each, the git processes each side started, counted with GIT_TRACE2_EVENT in one more
   untimed run: its own, and in brackets all of them (the ones git starts, such as upload-pack, too).
2. Once each, as whole processes: `sync init` of the whole journal, a second device joining, a `sync` that
   commits 25 changed books, a `sync` that merges 25 books changed on the other device plus 5 changed on
   both (the merge driver runs once per book changed on both sides), and `log BOOK`.

The index is built before timing, as the reader's earlier commands would have built it. Prints numbers;
never fails on timing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from readlog.journal import Journal  # noqa: E402
from readlog.model import Reflection  # noqa: E402

CHAIN = (
    "git add -A && (git diff --cached --quiet || git commit -q -m x) && git pull -q --rebase && git push -q"
)


CPU: list[float] = []  # user+sys seconds of the last timed run's processes (readlog or the chain, and git's)


def timed(argv: list[str], home: Path, env: dict[str, str] | None = None) -> float:
    """Wall seconds of one run; its CPU seconds (user+sys of every process it started, waited for) go to
    CPU."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        argv,
        cwd=home if home.is_dir() else None,
        env=dict(os.environ, READLOG_HOME=str(home), **(env or {})),
        check=False,
        stdin=subprocess.DEVNULL,  # as in a script or a cron job, wherever the bench is started from
        stdout=subprocess.DEVNULL,  # not pipes: git's background gc may hold them open long after
        stderr=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[:] = [after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime]
    return elapsed


def readlog(home: Path, *args: str, env: dict[str, str] | None = None) -> float:
    return timed([sys.executable, "-m", "readlog", *args], home, env)


def chain(home: Path, env: dict[str, str] | None = None) -> float:
    return timed(["sh", "-c", CHAIN], home, env)


def warm(home: Path) -> None:
    """Build the index as any earlier command would have (twice: on a fresh cache the first run of this
    version may fall back to an index in memory)."""
    for _ in range(2):
        readlog(home, "list", "--limit", "1")


def reflect(home: Path, slugs: list[str], text: str) -> None:
    journal = Journal(home)
    for slug in slugs:
        journal.modify(slug, lambda book: book.reflections.append(Reflection(text=text)))


def git_processes(run: Callable[[dict[str, str]], float], folder: Path) -> tuple[int, int]:
    """(the git processes `run` started itself, every git process) in one run, from git's trace2 events."""
    trace = folder / f"trace-{time.monotonic_ns()}.json"
    run({"GIT_TRACE2_EVENT": str(trace)})
    starts = [
        json.loads(line)
        for line in trace.read_text(encoding="utf-8").splitlines()
        if '"event":"start"' in line
    ]
    trace.unlink()
    return sum(1 for event in starts if "/" not in event["sid"]), len(starts)


def versus_chain(
    home: Path, hand: Path, slugs: list[str], pairs: int, change: bool, folder: Path
) -> tuple[float, float, float, float, tuple[int, int], tuple[int, int]]:
    """Median sync ms (in `home`), median chain ms (in `hand`), median per-pair ratio of wall times and of
    CPU times (user+sys, the processes' own: less moved by other work on the machine), and each side's git
    process counts."""
    counter = iter(range(10**6))

    def before(where: Path) -> None:
        if change:  # one changed book, as the reader's last command left it
            reflect(where, [slugs[next(counter) % len(slugs)]], f"thought {time.monotonic_ns()}")

    def sync(env: dict[str, str] | None = None) -> float:
        before(home)
        return readlog(home, "sync", env=env)

    def by_hand(env: dict[str, str] | None = None) -> float:
        before(hand)
        return chain(hand, env)

    sync(), by_hand()  # warm-up: the OS file cache, bytecode, git's index
    syncs, chains, ratios, cpu_ratios = [], [], [], []
    for number in range(pairs):
        if number % 2:
            b, cpu_b = by_hand(), CPU[0]
            a, cpu_a = sync(), CPU[0]
        else:
            a, cpu_a = sync(), CPU[0]
            b, cpu_b = by_hand(), CPU[0]
        syncs.append(a)
        chains.append(b)
        ratios.append(a / b)
        cpu_ratios.append(cpu_a / cpu_b)
    processes = git_processes(sync, folder), git_processes(by_hand, folder)
    return (
        statistics.median(syncs) * 1000,
        statistics.median(chains) * 1000,
        statistics.median(ratios),
        statistics.median(cpu_ratios),
        *processes,
    )


def one_size(books: int, pairs: int) -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
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
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a reader's machine: bytecode cached
        subprocess.run(["git", "init", "-q", "--bare", str(tmp / "remote.git")], check=True)
        laptop, work = tmp / "laptop", tmp / "work"
        generate(laptop, books)
        slugs = Journal(laptop).slugs()
        warm(laptop)
        timings = {
            "sync init (commit and push the journal)": readlog(
                laptop, "sync", "init", str(tmp / "remote.git")
            ),
            "sync init on a second device (fetch)": readlog(work, "sync", "init", str(tmp / "remote.git")),
        }
        warm(work)
        # The chain runs in a copy of the same journal with a remote of its own, so that neither side ever
        # has the other's commits to bring in (and readlog's HEAD moves only by readlog's sync).
        hand, hand_remote = tmp / "hand", tmp / "hand-remote.git"
        subprocess.run(
            ["git", "clone", "-q", "--bare", str(tmp / "remote.git"), str(hand_remote)], check=True
        )
        subprocess.run(["git", "clone", "-q", "-b", "main", str(hand_remote), str(hand)], check=True)
        warm(hand)
        print(f"{books} books; median of {pairs} interleaved pairs; python {sys.version.split()[0]}")
        print(f"  the chain: {CHAIN}")
        print(
            f"  {'':28} {'sync ms':>8} {'chain ms':>9} {'ratio':>6} {'cpu ratio':>9}   "
            "git processes: sync (all), chain (all)"
        )
        for label, change in (("nothing to do", False), ("one changed book", True)):
            sync_ms, chain_ms, ratio, cpu, ours, theirs = versus_chain(
                laptop, hand, slugs[100:], pairs, change, tmp
            )
            print(
                f"  sync/chain, {label:16} {sync_ms:8.0f} {chain_ms:9.0f} {ratio:5.2f}x {cpu:8.2f}x   "
                f"{ours[0]} ({ours[1]}), {theirs[0]} ({theirs[1]})"
            )
        readlog(work, "sync")  # the second device catches up (untimed)
        reflect(laptop, slugs[:25], "from the laptop")
        timings["sync, 25 changed books committed and pushed"] = readlog(laptop, "sync")
        reflect(work, slugs[20:45], "from work")
        timings["sync, 25 changed here, 25 there, 5 on both (merge)"] = readlog(work, "sync")
        timings["log BOOK (3 commits)"] = readlog(work, "log", slugs[22])
        for label, seconds in timings.items():
            print(f"  {label:55} {seconds:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--books", type=int, nargs="+", default=[1000, 10000], help="journal sizes")
    parser.add_argument("--pairs", type=int, default=11, help="interleaved pairs per figure")
    args = parser.parse_args()
    for books in args.books:
        one_size(books, args.pairs)


if __name__ == "__main__":
    main()
