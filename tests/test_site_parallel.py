"""`readlog site` on several cores: the books' parsing and the pages shared between forked processes must
give a site byte for byte the one one process builds, cold and after a change, with the same warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from readlog import bookfile
from readlog.errors import ReadlogError
from readlog.exporters.site import parallel
from readlog.model import Book, Pick, Quote, Read, Reflection, Review

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the site forks on Linux only")


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def site(out: Path, workers: str, *extra: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READLOG_SITE_WORKERS": workers, "READLOG_CACHE": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "readlog", "site", str(out), *extra],
        capture_output=True, text=True, env=env, timeout=120, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip


WORDS = ["lantern", "orchard", "harbour", "ember", "quiet", "atlas", "meridian", "copper", "willow", "tide"]


def journal_of_many(books: Path, count: int = 90) -> None:
    """Books of every kind the site shows: plain and marked-up reviews, private parts, picks that lead to
    other books, tags and authors shared, and one file that does not parse."""
    books.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        word = WORDS[n % len(WORDS)]
        book = Book(
            title=f"{word.title()} Number {n}",
            authors=[f"Writer {n % 7}"],
            status=("read", "reading", "want", "abandoned")[n % 4],
            added=date(2020, 1 + n % 12, 1 + n % 27),
            tags=[word, "shared"],
        )
        if book.status != "want":
            book.pages = 100 + n
            book.reads = [Read(started=date(2021, 1 + n % 12, 1), finished=date(2022, 1 + n % 12, 2))]
            book.rating = 1 + (n % 17) / 4
            body = (
                f"## What stayed\n\nA plain paragraph about {word}.\nIts second line.\n\n# Top {n}\n"
                if n % 3
                else f"Some *marked* text, a [link](https://example.org/{n}) & `code`, <b>raw</b> {word}\n"
            )
            book.review = Review(headline=f"On {word} {n}", written=date(2023, 1 + n % 12, 3), body=body)
            book.reflections = [Reflection(text=f"Later, {word} again.\n", date=date(2023, 2, 1))]
            if n % 5 == 0:
                book.reflections.append(Reflection(text="Only for me.\n", private=True))
                book.quotes = [Quote(text=f"A line of {word}", page=n + 1, private=n % 10 == 0)]
            book.next = [Pick(title=f"{WORDS[(n + 1) % len(WORDS)].title()} Number {n + 1}", why="Because.")]
        if n % 11 == 0:
            book.private = True
        (books / f"{word}-number-{n}.toml").write_text(bookfile.dumps(book), encoding="utf-8")
    (books / "broken.toml").write_text('title = "Broken\n', encoding="utf-8")


@linux_only
def test_a_parallel_build_writes_the_same_bytes_as_one_process(journal_home, tmp_path):
    journal_of_many(journal_home / "books")
    one = site(tmp_path / "one", "1", "--all", cache=tmp_path / "cache-one")
    many = site(tmp_path / "many", "3", "--all", cache=tmp_path / "cache-many")
    assert one.returncode == 0, one.stderr
    assert many.returncode == 0, many.stderr
    assert "broken.toml" in one.stderr
    assert (many.stdout, many.stderr) == (one.stdout, one.stderr.replace("/one:", "/many:"))
    built = files(tmp_path / "one")
    assert len(built) > 100 and files(tmp_path / "many") == built
    assert b"Only for me" not in b"".join(built.values())
    # A change to one book, rebuilt from each one's own parse cache: again the same bytes.
    changed = journal_home / "books" / "orchard-number-1.toml"
    changed.write_text(changed.read_text().replace("A plain paragraph", "A changed paragraph"))
    one = site(tmp_path / "one", "1", "--all", cache=tmp_path / "cache-one")
    many = site(tmp_path / "many", "3", "--all", cache=tmp_path / "cache-many")
    assert (many.stdout, many.stderr) == (one.stdout, one.stderr.replace("/one:", "/many:"))
    assert (
        "1 written" not in one.stderr and " 0 written" not in one.stderr
    )  # its page, and the lists and the feed that show it
    assert files(tmp_path / "many") == files(tmp_path / "one") != built
    assert b"A changed paragraph" in files(tmp_path / "many")["books/orchard-number-1.html"]


@linux_only
def test_books_parsed_by_three_processes_are_those_one_process_parses_and_caches(
    journal_home, tmp_path, monkeypatch
):
    """The shards are shared as each process is free, and a worker's shards are read by the parent as
    they are written: the books, their order, the warnings and the cache's bytes are one process's."""
    from readlog.exporters.site.content import SHARDS, _shard, cache_path, load_books
    from readlog.journal import Journal

    journal_of_many(journal_home / "books", count=160)
    loaded = {}
    for workers in ("1", "3"):
        monkeypatch.setenv("READLOG_SITE_WORKERS", workers)
        monkeypatch.setenv("READLOG_CACHE", str(tmp_path / f"cache-{workers}"))
        content = load_books(Journal(journal_home))
        cache = files(cache_path(journal_home))
        again = load_books(Journal(journal_home))  # from the cache, as a rebuild reads it
        loaded[workers] = (content, cache, again)
    (one, one_cache, one_again), (many, many_cache, many_again) = loaded["1"], loaded["3"]
    holding = {_shard(slug) for slug in Journal(journal_home).slugs()}  # (a shard with no book: no file)
    assert len(one_cache) == 2 * len(holding) > SHARDS and many_cache == one_cache
    for content in (many, one_again, many_again):
        assert list(content.books) == list(one.books) and len(one.books) > 100
        assert content.digests == one.digests and content.lines == one.lines and content.stamps == one.stamps
        assert [str(p) for p in content.problems] == [str(p) for p in one.problems] != []
        for slug, book in one.books.items():
            other = content.books[slug]
            assert (other.title, other.review, other.reflections, other.quotes, other.next) == (
                book.title, book.review, book.reflections, book.quotes, book.next
            )  # fmt: skip


@linux_only
def test_each_share_runs_in_its_own_process_and_answers_in_order():
    answers = parallel.fork_map(3, lambda n: (n, os.getpid()))
    assert [n for n, _ in answers] == [0, 1, 2]
    assert answers[0][1] == os.getpid()
    assert len({pid for _, pid in answers}) == 3


@linux_only
def test_a_failing_share_is_an_error_here_after_every_share_ended(tmp_path):
    def work(n: int) -> int:
        if n == 1:
            raise ReadlogError("site template book.html: broken in a worker")
        if n == 2:
            (tmp_path / "two-finished").write_text("yes")
        return n

    with pytest.raises(ReadlogError, match="broken in a worker"):
        parallel.fork_map(3, work)
    assert (tmp_path / "two-finished").read_text() == "yes"

    def missing(n: int) -> str:
        return (tmp_path / f"nothing-{n}").read_text()

    with pytest.raises(FileNotFoundError):
        parallel.fork_map(2, missing)


@linux_only
def test_shared_tasks_go_each_to_exactly_one_process_and_all_are_done(tmp_path):
    import time

    tasks = parallel.Tasks(2000)

    def wait_for(prefix: str) -> None:
        deadline = time.monotonic() + 30
        while not any(p.name.startswith(prefix) for p in tmp_path.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.01)

    def work(n: int) -> list[tuple[int, int]]:
        taken = []
        if n > 0:  # a child starts once this process has taken one (on a busy machine the children, forked
            wait_for("parent")  # first, could otherwise take all 2,000 before this process asks)
        for task in tasks:
            taken.append((task, os.getpid()))
            if n > 0:
                (tmp_path / f"child-{n}").touch()
            elif len(taken) == 1:  # this process waits until a child has taken one too
                (tmp_path / "parent").touch()
                wait_for("child-")
        return taken

    answers = parallel.fork_map(3, work, tasks)
    numbers = sorted(task for part in answers for task, _ in part)
    assert numbers == list(range(2000))  # none lost, none twice
    assert [len({pid for _, pid in part}) <= 1 for part in answers] == [True] * 3
    assert answers[0] and len(answers[0]) < 2000 and answers[1] + answers[2]  # shared, as each asked
    assert list(tasks) == []  # the pipe closed after the work: nothing more to take


def test_tasks_in_one_process_are_a_counter_and_refuse_more_than_a_pipe_holds():
    assert list(parallel.Tasks(5)) == [0, 1, 2, 3, 4]
    assert parallel.fork_map(1, lambda n: list(parallel.Tasks(3))) == [[0, 1, 2]]
    with pytest.raises(ValueError, match="at most"):
        parallel.Tasks(parallel.Tasks.LIMIT + 1)


@linux_only
def test_tasks_of_more_than_a_pipe_buffer_can_be_shared():
    tasks = parallel.Tasks(parallel.Tasks.LIMIT)
    answers = parallel.fork_map(2, lambda n: sum(1 for _ in tasks), tasks)
    assert sum(answers) == parallel.Tasks.LIMIT


@pytest.mark.parametrize("given", ["zero", "0", "-2", "1.5"])
def test_the_workers_setting_is_checked(journal_home, tmp_path, given):
    journal_home.mkdir()
    done = site(tmp_path / "out", given, cache=tmp_path / "cache")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "READLOG_SITE_WORKERS" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


@linux_only
def test_a_parallel_build_that_cannot_write_its_cache_is_the_same_site(journal_home, tmp_path):
    """Workers hand their books back through the cache when they can write it; when not, they send them."""
    from readlog.exporters.site.content import SHARDS, cache_path, shard_files

    journal_of_many(journal_home / "books", count=40)
    one = site(tmp_path / "one", "1", cache=tmp_path / "cache-one")
    os.environ["READLOG_CACHE"] = str(tmp_path / "cache-many")  # (journal_home's monkeypatch restores it)
    shards = cache_path(journal_home)
    for number in range(SHARDS):  # a folder where each shard's file would go: no shard can be written
        for path in shard_files(shards, number):  # (its JSON and its texts)
            path.mkdir(parents=True)
    many = site(tmp_path / "many", "3", cache=tmp_path / "cache-many")
    assert one.returncode == 0, one.stderr
    assert many.returncode == 0, many.stderr
    assert not any(p.is_file() for p in shards.iterdir())
    assert files(tmp_path / "many") == files(tmp_path / "one")
    assert b"Number 7" in files(tmp_path / "many")["library.json"]


def test_the_lists_are_one_task_while_the_book_pages_keep_the_other_processes_busy():
    """The lists (the kinds of page made whole) show the same books, whose summaries and <li>s a process
    makes once for all its lists: they are one task, made by one process, when the book pages are enough to
    keep the others busy meanwhile; in a journal of few reviews (few book pages), a task each, as before.
    Every page is in the plan once either way."""
    from readlog.exporters.site import build
    from readlog.exporters.site.context import GENERATORS, Options, Site

    def plan(reviewed: int) -> tuple[list[list[tuple[int, int, int]]], list[tuple[int, int]]]:
        books = {}
        for number in range(100):
            book = Book(title=f"Book {number}", authors=[f"Writer {number % 7}"], status="read")
            book.tags = ["sea", f"shelf-{number % 3}"]
            book.reads = [Read(started=date(2023, 1, 2), finished=date(2023, 2, 5))]
            book.review = Review(body="Words.") if number < reviewed else None
            books[f"book-{number}"] = book
        site = Site(books, Options())
        kinds = [(kind.split, len(kind.pages(site))) for kind in GENERATORS]
        every = [
            (order, place) for order, (_, pages) in enumerate([*kinds, (False, 2)]) for place in range(pages)
        ]
        return build._plan(site, kinds), every

    def pages(tasks: list[list[tuple[int, int, int]]]) -> list[tuple[int, int]]:
        return sorted((order, at) for task in tasks for order, first, end in task for at in range(first, end))

    (many, every), (few, all_few) = plan(100), plan(20)
    whole = [order for order, kind in enumerate(GENERATORS) if not kind.split] + [len(GENERATORS)]
    assert [order for order, _, _ in many[0]] == whole
    assert all(len(task) == 1 and GENERATORS[task[0][0]].split for task in many[1:])
    assert [task[0][0] for task in few[: len(whole)]] == whole and all(len(task) == 1 for task in few)
    assert pages(many) == every and pages(few) == all_few  # (each page once)


def test_a_big_build_writes_its_pages_back_while_it_renders_and_syncs_after_the_last(
    journal_home, run, monkeypatch, tmp_path
):
    """A build that ends with one system-wide sync (more than SYNC_FROM pages) starts the disk's work while
    it renders (build._Flusher): syncs come while pages are still being written, not only after them, and
    the last one still after every page and the manifest, before the site is swapped in."""
    from readlog.exporters.site import build

    journal_of_many(journal_home / "books", count=build.SYNC_FROM + 40)
    staging_parent = tmp_path / "pub"
    out = staging_parent / "site"
    seen: list[tuple[int, bool]] = []  # at each sync: the files beside OUTDIR, and whether OUTDIR is there

    def sync() -> None:
        found = sum(len(names) for _, _, names in os.walk(staging_parent))
        seen.append((found, out.exists()))

    monkeypatch.setattr(os, "sync", sync)
    monkeypatch.setattr(build, "FLUSH_EVERY", 0.002)
    monkeypatch.setenv("READLOG_SITE_WORKERS", "1")
    run("site", str(out), "--all")
    made = sum(1 for p in out.rglob("*") if p.is_file())
    assert made > build.SYNC_FROM
    assert len(seen) >= 2 and any(found < made for found, _ in seen[:-1])  # (while it rendered)
    assert seen[-1] == (made, False)  # every page and the marker, not yet swapped in
    assert all(not swapped for _, swapped in seen)


@linux_only
def test_a_child_that_answered_whole_is_left_to_end_on_its_own_and_reaped_after(journal_home, run):
    """The build goes on once a child's whole answer is in (`later`): its end, the kernel freeing the memory
    it copied, is not waited for there (a tenth of a second on a busy machine, after a share at 10,000
    books), but by `reap`, before the build returns: no zombie is left. A child that failed is waited for,
    for its status, as before."""
    before = _children()  # (the test process's own, from earlier tests: a forkserver of an import's pool)
    answers = parallel.fork_map(3, lambda n: os.getpid(), later=True)
    for pid in answers[1:]:
        os.waitpid(pid, os.WNOHANG)  # (still this process's to wait for: not reaped by fork_map)
    parallel.reap()  # (what was reaped above is passed over)

    def failing(n: int) -> int:
        if n == 1:
            raise ReadlogError("broken in a worker")
        return n

    with pytest.raises(ReadlogError, match="broken in a worker"):
        parallel.fork_map(2, failing, later=True)
    journal_of_many(journal_home / "books", count=600)
    run("site", str(journal_home.parent / "out"), env={"READLOG_SITE_WORKERS": "2"})
    assert set(_children()) - before == set()  # none left, the failed one neither (no zombie either)


def _children() -> set[int]:
    """This process's children now, zombies too (from /proc: `waitpid(-1)` would also see the children
    earlier tests in this process left running, and CI runs them first)."""
    own = os.getpid()
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()  # noqa: SIM115
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == own:
                found.add(int(entry))
    return found
