"""The CPU an import's worker processes spend per row (issue 25, goal 3), as a ratio to a naive script's
CPU per row for the same rows, measured in the same run.

    python bench/import_workers.py               # 10,000 rows, 5 interleaved pairs
    python bench/import_workers.py --rows 2000 --pairs 3

A generated Goodreads export (bench/import_speed.py's) is cut into the chunks a big import hands its worker
processes; a pool of two workers made the way an import makes it (readlog.pool) parses and prepares each
chunk (`importers.base._parse_chunk` with `ready`: the book, its file text and index rows) and pickles the
answer, as a worker sends it. Each worker times its own CPU (process_time) around that; the main process's
reading of the file and the pool's start are not counted. In pairs with it, the naive durable script of
bench/import_speed.py runs over the same export, timed as a whole process (user+sys CPU); the median of
the per-pair ratios is printed. Timing never fails anything.
"""

from __future__ import annotations

import argparse
import csv
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_speed import NAIVE, adopt_orphans, fresh, timed, write_export  # noqa: E402


def _timed_chunk(importer: Any, header: list[str], rows: list[Any]) -> float:
    """In a worker: the CPU seconds of parsing, preparing and pickling one chunk."""
    from readlog.importers.base import _parse_chunk

    started = time.process_time()
    pickle.dumps(_parse_chunk(importer, header, rows, True))
    return time.process_time() - started


def _chunks(export: Path) -> tuple[Any, list[str], list[list[Any]]]:
    from readlog.importers import detect
    from readlog.importers.base import CHUNK_ROWS, Reject, clean_header, csv_lines, read_bytes
    from readlog.text import decode_lines

    importer = detect(export)
    text, _, _ = decode_lines(read_bytes(export))
    reader = csv.reader(csv_lines(text), delimiter=importer.delimiter, skipinitialspace=True)
    header = [clean_header(cell) for cell in next(reader)]
    importer.header = header
    rows = [item for item in importer._cells(export, reader, header, 0) if not isinstance(item, Reject)]
    return importer, header, [rows[at : at + CHUNK_ROWS] for at in range(0, len(rows), CHUNK_ROWS)]


def workers_cpu(export: Path) -> float:
    from readlog.pool import IMPORT_PRELOAD, worker_pool

    importer, header, chunks = _chunks(export)
    pool = worker_pool(2, IMPORT_PRELOAD)
    try:
        pool.submit(_timed_chunk, importer, header, chunks[0]).result()  # each worker's code warmed up
        pool.submit(_timed_chunk, importer, header, chunks[-1]).result()
        return sum(
            future.result()
            for future in [pool.submit(_timed_chunk, importer, header, chunk) for chunk in chunks]
        )
    finally:
        pool.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    adopt_orphans()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        export = tmp / "goodreads_library_export.csv"
        write_export(export, args.rows)
        naive: list[float] = []
        mine: list[float] = []
        for _ in range(args.pairs):
            _wall, cpu, _out = timed(
                [sys.executable, "-c", NAIVE, str(export), str(fresh(tmp / "naive")), "1"]
            )
            naive.append(cpu)
            mine.append(workers_cpu(export))
        ratios = [m / n for m, n in zip(mine, naive, strict=True)]
        per_row = 1e6 / args.rows
        print(f"import workers over {args.rows:,} Goodreads rows, {args.pairs} interleaved pairs:")
        print(f"  naive durable script, user+sys CPU: median {statistics.median(naive):.2f} s "
              f"({statistics.median(naive) * per_row:.0f} us a row)")  # fmt: skip
        print(f"  readlog's workers (parse, prepare, pickle), CPU: median {statistics.median(mine):.2f} s "
              f"({statistics.median(mine) * per_row:.0f} us a row; min {min(mine):.2f}, max {max(mine):.2f})")  # fmt: skip
        print(f"  workers / naive durable script: {statistics.median(ratios):.2f}x "
              f"(median of per-pair ratios {', '.join(f'{r:.2f}' for r in ratios)})")  # fmt: skip


if __name__ == "__main__":
    main()
