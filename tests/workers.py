"""Worker processes for the crash and concurrency tests: real processes writing one journal through readlog.

    python tests/workers.py add JOURNAL WORKER COUNT        # COUNT new books
    python tests/workers.py reflect JOURNAL WORKER COUNT    # COUNT reflections on the book `shared`
    python tests/workers.py loop JOURNAL WORKER LOG         # alternate both until killed, logging each success

A success is logged (one O_APPEND write) only after readlog's call has returned, so every line in LOG is a
write that readlog reported as done: it must be on disk, whatever happens to the process afterwards.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from readlog.actions import books as actions
from readlog.journal import Journal


def main() -> None:
    mode, root, worker = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    journal = Journal(root)
    if mode == "add":
        for n in range(int(sys.argv[4])):
            actions.add_book(journal, f"Book {worker}-{n}", [f"Author {worker}"])
    elif mode == "reflect":
        for n in range(int(sys.argv[4])):
            actions.add_reflection(journal, "shared", f"reflection {worker}-{n}")
    elif mode == "loop":
        log = os.open(sys.argv[4], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        warm_up()  # import what writing needs, so the kill lands among writes rather than imports
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        n = 0
        while True:
            actions.add_book(journal, f"Crash {worker}-{n}", ["Crash Author"])
            os.write(log, f"book crash-{worker}-{n}\n".encode())
            actions.add_reflection(journal, "shared", f"crash reflection {worker}-{n}")
            os.write(log, f"reflection crash reflection {worker}-{n}\n".encode())
            n += 1


def warm_up() -> None:
    from readlog import bookfile
    from readlog.model import Book
    from readlog.text import slugify

    bookfile.update(bookfile.dumps(Book(title="warm")), Book(title="up"))
    slugify("warm up")


if __name__ == "__main__":
    main()
