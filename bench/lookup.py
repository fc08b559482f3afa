"""Start-up of the look-up commands, answered from the cache, as a ratio to `python -c pass` (median of
15 interleaved pairs), against the tests' local Open Library stand-in: `python bench/lookup.py`.
Also times `series` and the series scan `next` would do, on a generated journal when --books is given."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import lookup_server  # noqa: E402


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--books", type=int, default=0, help="also time series on N generated books")
    args = parser.parse_args()
    server, _ = lookup_server.start()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "journal"
        if args.books:
            subprocess.run(
                [sys.executable, str(REPO / "bench" / "generate.py"), str(home), "--books", str(args.books)],
                check=True,
                capture_output=True,
            )
        env = {
            **os.environ,
            "READLOG_OPENLIBRARY_URL": server.base,
            "READLOG_COVERS_URL": server.base,
            "READLOG_OPENLIBRARY_PACE": "0",
            "READLOG_HOME": str(home),
            "READLOG_CACHE": str(Path(folder) / "cache"),
            "READLOG_CONTACT": "bench@example.org",
        }
        script = Path(sys.executable).with_name("readlog")
        readlog = [str(script)] if script.exists() else [sys.executable, "-m", "readlog"]
        commands = {
            "lookup ISBN (cached)": [*readlog, "lookup", lookup_server.DUNE],
            "lookup TITLE (cached)": [*readlog, "lookup", "piranesi"],
            "series": [*readlog, "series"],
            "--help": [*readlog, "--help"],
        }
        for argv in commands.values():
            timed(argv, env)  # warm: fills the cache and the index
        for name, argv in commands.items():
            ratios = []
            for _ in range(args.pairs):
                base = timed([sys.executable, "-c", "pass"], env)
                ratios.append(timed(argv, env) / base)
            print(f"{name:24} {statistics.median(ratios):5.1f}x python -c pass")
    server.stop()


if __name__ == "__main__":
    main()
