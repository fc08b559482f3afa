"""`readlog next` on a terminal, byte for byte: its output at 40, 80 and 160 columns over a fixed journal
(a book being read, picks with reasons that wrap, want books, a series with its next book, and history
enough for the three suggestions under the queue), run on a pseudo-terminal as a reader runs it, against
the output main printed before `next`'s drawing was made cheaper (session 23). A change here is a change
readers see: make it on purpose, then write the files again (`python tests/test_next_golden.py`).

The journal's want books have no `added` day, so no suggestion's reason depends on today's date."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "fixtures" / "next_golden"
WIDTHS = (40, 80, 160)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")

_AUTHORS = ["Ursula K. Le Guin", "Kazuo Ishiguro", "Susanna Clarke", "Ted Chiang", "Octavia E. Butler"]
_TAGS = ["fantasy", "literary", "science-fiction", "essays"]
_WHY = (
    "The same patient, careful voice, and a long winter's worth of pages to get lost in; "
    "recommended by a friend who never recommends anything."
)


def write_journal(home: Path) -> None:
    """Forty-odd books, the same on every run: none of them depends on today."""
    books = home / "books"
    books.mkdir(parents=True)
    for n in range(24):  # history: finished, rated, tagged; each with a pick or two
        author = _AUTHORS[n % len(_AUTHORS)]
        picks = "".join(
            f'\n[[next]]\ntitle = "Pick {n}-{k}: A Longer Title Than Most, With a Subtitle"\n'
            f'authors = ["{_AUTHORS[(n + k + 1) % len(_AUTHORS)]}"]\n'
            + (f'why = "{_WHY}"\n' if k == 0 else "")
            for k in range(1 + n % 2)
        )
        rating = 2 + (n * 7) % 4 if n % 6 else None  # some unrated
        (books / f"read-{n:02}.toml").write_text(
            "schema = 1\n"
            f'title = "Read Book {n:02}"\n'
            f'authors = ["{author}"]\n'
            'status = "read"\n'
            + (f"rating = {rating}\n" if rating is not None else "")
            + f'tags = ["{_TAGS[n % len(_TAGS)]}"]\n'
            f"pages = {150 + 37 * n}\n"
            "\n[[reads]]\n"
            f"started = 2023-{1 + n % 12:02}-01\n"
            f"finished = 2023-{1 + n % 12:02}-{10 + n % 15:02}\n" + picks,
            encoding="utf-8",
        )
    for n in range(2):  # abandoned
        (books / f"gave-up-{n}.toml").write_text(
            f'schema = 1\ntitle = "Given Up {n}"\nauthors = ["{_AUTHORS[n]}"]\nstatus = "abandoned"\n'
            f'tags = ["{_TAGS[n]}"]\n\n[[reads]]\nstarted = 2022-03-01\nstopped = 2022-03-09\n',
            encoding="utf-8",
        )
    (books / "reading-now.toml").write_text(
        'schema = 1\ntitle = "The Dispossessed: An Ambiguous Utopia"\nauthors = ["Ursula K. Le Guin"]\n'
        'status = "reading"\npages = 387\n\n[[reads]]\nstarted = 2024-05-01\n',
        encoding="utf-8",
    )
    for n in range(1, 3):  # a series read up to its second book: the third is next
        (books / f"saga-{n}.toml").write_text(
            f'schema = 1\ntitle = "The Tide Saga {n}"\nauthors = ["Ted Chiang"]\nstatus = "read"\nrating = 4\n'
            f'series = [{{ name = "The Tide Saga", number = "{n}" }}]\n\n[[reads]]\n'
            f"started = 2023-0{n}-01\nfinished = 2023-0{n}-20\n",
            encoding="utf-8",
        )
    (books / "saga-3.toml").write_text(
        'schema = 1\ntitle = "The Tide Saga 3"\nauthors = ["Ted Chiang"]\nstatus = "want"\n'
        'series = [{ name = "The Tide Saga", number = "3" }]\n',
        encoding="utf-8",
    )
    for n in range(14):  # want books, no `added` day
        (books / f"want-{n:02}.toml").write_text(
            "schema = 1\n"
            f'title = "Wanted {n:02}: {"A Very Long Title That Has To Wrap Somewhere " * (n % 3)}End"\n'
            f'authors = ["{_AUTHORS[(n * 3) % len(_AUTHORS)]}"]\n'
            'status = "want"\n'
            f'tags = ["{_TAGS[(n + 1) % len(_TAGS)]}"]\n'
            f"pages = {120 + 45 * n}\n" + (f'why = "{_WHY}"\n' if n % 3 == 0 else ""),
            encoding="utf-8",
        )


def next_on_a_terminal(home: Path, cache: Path, width: int, config: Path) -> bytes:
    """What `readlog next` writes on a pseudo-terminal `width` columns wide (no pager)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "READLOG_HOME": str(home),
        "READLOG_CACHE": str(cache),
        "READLOG_PAGER": "",
        "XDG_CONFIG_HOME": str(config),
        "HOME": str(config),
        "COLUMNS": str(width),
        "LINES": "50",
        "TERM": "xterm-256color",
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        subprocess.run(
            [sys.executable, "-m", "readlog", "next"],
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=slave,
            env=env,
            check=True,
            timeout=60,
        )
    finally:
        os.close(slave)
        reader.join(timeout=10)
        os.close(master)
    return b"".join(chunks)


@pytest.fixture(scope="module")
def fixed_journal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("next-golden")
    write_journal(root / "journal")
    return root / "journal", root


@pytest.mark.parametrize("width", WIDTHS)
def test_next_on_a_terminal_prints_what_it_printed(fixed_journal: tuple[Path, Path], width: int) -> None:
    home, root = fixed_journal
    out = next_on_a_terminal(home, root / f"cache-{width}", width, root / "config")
    expected = (GOLDEN / f"next-{width}.txt").read_bytes()
    assert b"Suggested" in expected and b"Reading now" in expected  # the fixture shows every part
    assert out == expected, out.decode("utf-8", "replace")


if __name__ == "__main__":  # write the golden files (from the code on PYTHONPATH, e.g. main's src)
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_journal(root / "journal")
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for columns in WIDTHS:
            text = next_on_a_terminal(root / "journal", root / f"cache-{columns}", columns, root / "config")
            (GOLDEN / f"next-{columns}.txt").write_bytes(text)
            print(f"next-{columns}.txt: {len(text)} bytes")
