"""Never lose a word, part two: what an adversarial campaign found (issue 9), each as a test with real
processes, real FIFOs, real links and real SQLite files."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from conftest import REPO, snapshot, write_editor

EXPORT = REPO / "examples" / "goodreads_library_export.csv"


def readlog(*args: str, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readlog", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
        **kwargs,
    )


def index_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("index-*.sqlite3"))


def test_rm_readd_rm_in_one_second_keeps_both_trashed_copies(run, journal_home):
    run("add", "Dune", "-a", "Frank Herbert", "--review", "first copy")
    run("rm", "dune", "--yes")
    run("add", "Dune", "-a", "Frank Herbert", "--review", "second copy")
    run("rm", "dune", "--yes")
    trashed = sorted(p.read_text() for p in (journal_home / "trash").iterdir())
    assert (
        len(trashed) == 2
        and "first copy" in trashed[0] + trashed[1]
        and "second copy" in trashed[0] + trashed[1]
    )


def test_two_drafts_in_one_second_never_share_a_file(journal_home):
    from readlog.editor import new_draft
    from readlog.journal import Journal

    journal = Journal(journal_home)
    paths = []
    for _ in range(3):
        path, fd = new_draft(journal, "dune", ".md")
        os.write(fd, path.name.encode())
        os.close(fd)
        paths.append(path)
    assert len(set(paths)) == 3
    assert [p.read_text() for p in paths] == [p.name for p in paths]


def test_concurrent_imports_of_one_file_give_each_book_once(journal_home, tmp_path):
    env = dict(os.environ)
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "readlog", "import", str(EXPORT)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
        )
        for _ in range(3)
    ]
    for worker in workers:
        worker.wait(timeout=120)
    titles = [json.loads(x) for x in [readlog("list", "--json", env=env).stdout]][0]
    rows = sum(1 for _ in EXPORT.read_text(encoding="utf-8").splitlines()[1:] if _.strip())
    assert len(titles) == len({t["slug"] for t in titles})
    assert len(titles) <= rows
    assert readlog("check", env=env).returncode == 0  # no duplicates


def test_a_fifo_named_like_a_book_never_hangs_a_command(run, journal_home, books):
    run("add", "Dune", "-a", "Frank Herbert")
    os.mkfifo(books / "trap.toml")
    env = dict(os.environ)
    for args in (
        ["list"],
        ["next"],
        ["show", "dune"],
        ["search", "dune"],
        ["stats"],
        ["add", "Emma", "-a", "Jane Austen"],
        ["reflect", "dune", "a thought"],
        ["export", "--format", "json"],
        ["show", "trap"],
    ):
        done = readlog(*args, env=env, timeout=20)
        assert "Traceback" not in done.stderr, (args, done.stderr)
    assert "not a regular file" in readlog("show", "trap", env=env).stderr
    checked = readlog("check", env=env, timeout=20)
    assert checked.returncode == 1 and "trap.toml: not a regular file" in checked.stdout


@pytest.mark.parametrize("damage", ["truncate", "garbage", "foreign", "wrong-schema"])
def test_a_damaged_index_is_rebuilt(run, journal_home, tmp_path, damage):
    run("add", "Dune", "-a", "Frank Herbert")
    run("add", "Emma", "-a", "Jane Austen")
    env = dict(os.environ)
    assert readlog("list", env=env).returncode == 0
    (path,) = index_files(tmp_path)
    folded = sqlite3.connect(path)
    folded.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    folded.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if damage == "truncate":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    elif damage == "garbage":
        data = bytearray(path.read_bytes())
        for offset in range(4096, len(data), 97):
            data[offset] = (data[offset] + 101) % 256
        path.write_bytes(bytes(data))
    elif damage == "foreign":
        path.write_bytes(b"this is not an index at all\n" * 100)
    else:
        db = sqlite3.connect(path)
        db.execute("DROP TABLE books")
        db.execute("CREATE TABLE books (x)")
        db.commit()
        db.close()
    for args in (["list"], ["search", "dune"], ["stats"], ["reindex"], ["list"]):
        done = readlog(*args, env=env)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (args, done.stderr)
    assert "Dune" in readlog("list", env=env).stdout and "Emma" in readlog("list", env=env).stdout


def test_an_index_locked_by_another_process_is_waited_for_then_worked_around(
    run, journal_home, books, tmp_path
):
    run("add", "Dune", "-a", "Frank Herbert")
    env = dict(os.environ)
    assert readlog("list", env=env).returncode == 0
    (path,) = index_files(tmp_path)
    (books / "emma.toml").write_text('title = "Emma"\nauthors = ["Jane Austen"]\n')  # the sync must write
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        done = readlog("list", env=env, timeout=60)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "Emma" in done.stdout and "Dune" in done.stdout
    assert waited < 30


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    return done.returncode == 0


def test_a_full_or_read_only_cache_falls_back_to_memory(run, journal_home, tmp_path, monkeypatch):
    if os.geteuid() != 0 or not _mount_tmpfs(tmp_path / "small", "256k"):
        pytest.skip("needs root and permission to mount a small tmpfs for a full disk")
    cache = tmp_path / "small"
    try:
        env = {**os.environ, "READLOG_CACHE": str(cache)}
        run("add", "Dune", "-a", "Frank Herbert")
        assert readlog("list", env=env).returncode == 0
        filler = cache / "filler"
        with open(filler, "wb") as handle:  # fill the disk
            try:
                while True:
                    handle.write(b"x" * 65536)
                    handle.flush()
            except OSError:
                pass
        for number in range(30):
            (journal_home / "books" / f"book-{number}.toml").write_text(
                f'title = "Book {number}"\n[review]\nbody = "{"words " * 400}"\n'
            )
        done = readlog("list", "--limit", "0", env=env)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert "Book 29" in done.stdout and "Dune" in done.stdout
        filler.unlink()
        subprocess.run(["mount", "-o", "remount,ro", str(cache)], check=True)
        (journal_home / "books" / "emma.toml").write_text('title = "Emma"\n')
        done = readlog("list", "--limit", "0", env=env)
        assert done.returncode == 0 and "Emma" in done.stdout and "Traceback" not in done.stderr, done.stderr
    finally:
        subprocess.run(["umount", str(cache)], capture_output=True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe[goals]\n", "not UTF-8 text"),
        (b"[goals\n", "invalid TOML"),
        (b"[goals]\n2026 = 1\n2026 = 2\n", "invalid TOML"),
        (b"goals = 5\n", "`goals` must be a table"),
        (b'[goals]\n2026 = "forty"\n', "is not a number of books"),
        (b"[goals]\nsoon = 4\n", "is not a year"),
        (None, "not a regular file"),
    ],
)
def test_a_broken_goals_file_is_one_clear_error(journal_home, content, message):
    journal_home.mkdir(parents=True)
    goals = journal_home / "goals.toml"
    if content is None:
        os.mkfifo(goals)
    else:
        goals.write_bytes(content)
    env = dict(os.environ)
    for args in (["goal"], ["goal", "30"], ["stats"]):
        done = readlog(*args, env=env, timeout=20)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert message in done.stderr and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    if content is not None:
        assert goals.read_bytes() == content  # never rewritten
    checked = readlog("check", env=env, timeout=20)
    assert checked.returncode == 1 and f"{goals}: " in checked.stdout and message in checked.stdout


def test_a_same_size_rewrite_with_the_mtime_put_back_is_seen(run, books):
    run("add", "Dune", "-a", "Frank Herbert", "--review", "about sand")
    path = books / "dune.toml"
    assert run("search", "sand", "--format", "table").stdout.count("Dune") >= 1
    before = os.stat(path)
    text = path.read_text().replace("about sand", "about wind")
    time.sleep(0.01)
    path.write_text(text)  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` or `rsync -t` leave it
    assert os.stat(path).st_size == before.st_size and os.stat(path).st_mtime_ns == before.st_mtime_ns
    assert "Dune" in run("search", "wind", "--format", "table").stdout
    assert "No matches" in run("search", "sand", "--format", "table").stdout


def test_a_link_between_two_books_is_one_book(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    os.symlink("dune.toml", books / "dune-herbert.toml")
    listed = json.loads(run("list", "--json").stdout)
    assert [b["slug"] for b in listed] == ["dune"]
    run("reflect", "dune-herbert", "through the second name")
    assert (books / "dune-herbert.toml").is_symlink()
    assert "through the second name" in (books / "dune.toml").read_text()
    checked = run("check", code=1)
    assert "dune-herbert.toml: a link to dune.toml" in checked.stdout


def test_appending_to_a_long_array_does_not_rewrite_the_file(journal_home, books):
    """The append path writes the new table after the old text as it is, without tomlkit."""
    books.mkdir(parents=True)
    old = 'title = "Long"   # a comment\n\n[[reflections]]\ntext = "one"\n' + "".join(
        f'\n[[ reflections ]]  # spaced\ntext = "number {n}"\n' for n in range(2000)
    )
    (books / "long.toml").write_text(old)
    code = (
        "import sys; from pathlib import Path; from readlog.journal import Journal;"
        "from readlog.actions.books import add_reflection;"
        f"add_reflection(Journal(Path({str(journal_home)!r})), 'long', 'the last one');"
        "print('tomlkit' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
    new = (books / "long.toml").read_text()
    assert new.startswith(old.rstrip("\n"))
    data = tomllib.loads(new)
    assert len(data["reflections"]) == 2002 and data["reflections"][-1]["text"] == "the last one"


def test_every_file_readlog_makes_is_private_whatever_the_umask(journal_home, tmp_path):
    env = dict(os.environ)
    for args in (
        ["add", "Dune", "-a", "Frank Herbert"],
        ["list"],
        ["search", "dune"],
        ["rm", "dune", "--yes"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "readlog", *args],
            env=env,
            capture_output=True,
            text=True,
            preexec_fn=lambda: os.umask(0),
            check=False,
        )
        assert done.returncode == 0, done.stderr
    made = [p for root in (journal_home, tmp_path / "cache") for p in [root, *root.rglob("*")]]
    assert any(p.name.endswith("-wal") for p in made)
    for path in made:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_drafts_and_trash_are_never_written_through_a_link(run, journal_home, tmp_path, monkeypatch):
    run("add", "Dune", "-a", "Frank Herbert")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (journal_home / "trash").symlink_to(outside)
    before = snapshot(journal_home / "books")
    result = run("rm", "dune", "--yes", code=1)
    assert "is a link" in result.stderr and snapshot(journal_home / "books") == before
    (journal_home / "drafts").symlink_to(outside)
    monkeypatch.setenv("EDITOR", write_editor(tmp_path, "import sys\nopen(sys.argv[1], 'a').write('x')\n"))
    assert "is a link" in run("review", "dune", "--edit", code=1).stderr
    assert list(outside.iterdir()) == []


def test_the_first_command_on_a_fresh_cache_keeps_its_index_on_disk(run, journal_home, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert")
    run("list")
    (path,) = index_files(tmp_path)
    db = sqlite3.connect(path)
    assert db.execute("SELECT slug FROM books").fetchall() == [("dune",)]


def test_exports_follow_the_readers_umask(journal_home, tmp_path):
    env = dict(os.environ)

    def readlog_with_umask(*args: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "readlog", *args],
            env=env,
            capture_output=True,
            text=True,
            preexec_fn=lambda: os.umask(0o022),
            check=False,
        )
        assert done.returncode == 0, done.stderr

    readlog_with_umask("add", "Dune", "-a", "Frank Herbert")
    readlog_with_umask("export", "--format", "json", "--output", str(tmp_path / "out.json"))
    readlog_with_umask("export", "--format", "markdown", "--output", str(tmp_path / "posts"))
    assert stat.S_IMODE((tmp_path / "out.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "posts" / "dune.md").stat().st_mode) == 0o644
    assert stat.S_IMODE((journal_home / "books" / "dune.toml").stat().st_mode) == 0o600
