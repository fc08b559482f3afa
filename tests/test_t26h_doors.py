"""The doors under what goes wrong (try-out 26a): a sync never deletes a lock file a live git holds (a
real git, slowed by a clean filter, holds .git/index.lock); an answer cut off mid-body (fewer bytes than
its Content-Length, then the connection closed) is a failure, nothing saved or cached; the waits a 429
asks for are bounded in all and said; a KOReader sidecar's long string is read in bounded memory; two
Ctrl-Cs in a big site build end it at once, in one line, leaving nothing beside OUTDIR; a device folder's
clippings that are not a file, and a site into a mount point, are each one line saying so."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

import lookup_server as ol
from readlog.lookup import openlibrary
from readlog.lookup.client import Client, LookupFailed, Timing
from readlog.sync import repo
from test_sync_git import SLUG, Device, devices, git_env, remote  # noqa: F401 - fixtures

git_missing = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def slow_git_add(device: Device, tmp_path: Path, seconds: float) -> subprocess.Popen[bytes]:
    """The reader's own `git add`, whose clean filter takes `seconds`: it holds .git/index.lock meanwhile;
    and a change to the book for the sync to commit."""
    (device.home / "big.txt").write_text("x" * 100_000)
    attributes = tmp_path / "attributes"
    attributes.write_text("big.txt filter=slow\n")
    slow = f"filter.slow.clean=sleep {seconds}; cat"
    argv = ["git", "-C", str(device.home), "-c", slow, "-c", f"core.attributesFile={attributes}", "add"]
    adding = subprocess.Popen([*argv, "big.txt"], stderr=subprocess.PIPE)
    lock = device.home / ".git" / "index.lock"
    deadline = time.monotonic() + 10
    while not lock.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert lock.exists()
    device("reflect", SLUG, "while git works")
    return adding


@git_missing
def test_a_sync_refuses_while_a_live_git_holds_its_lock_and_never_removes_it(devices, tmp_path, monkeypatch):
    laptop, _ = devices
    monkeypatch.setattr(repo, "LOCK_WAIT", 0.5)
    adding = slow_git_add(laptop, tmp_path, 4)
    result = laptop("sync", code=1)
    assert "git is busy" in result.stderr and "index.lock" in result.stderr
    assert "interrupted" not in result.stderr
    assert (laptop.home / ".git" / "index.lock").exists()
    assert adding.wait(timeout=30) == 0, adding.stderr.read() if adding.stderr else ""
    laptop("sync")  # once it ends
    assert "big.txt" in laptop.git("ls-files")


@git_missing
def test_a_sync_waits_for_a_live_git_that_ends_soon(devices, tmp_path, monkeypatch):
    laptop, _ = devices
    monkeypatch.setattr(repo, "LOCK_WAIT", 20)
    adding = slow_git_add(laptop, tmp_path, 1.5)
    assert "removed" not in laptop("sync").stderr
    assert adding.wait(timeout=30) == 0


@pytest.fixture
def server(monkeypatch):
    yield from ol.serving(monkeypatch)


def test_a_cover_cut_off_mid_download_is_neither_saved_nor_cached(run, server, books, journal_home, tmp_path):
    server.cut["/b/id/11481354-L.jpg"] = 500  # of the JPEG's 2,000-odd bytes its Content-Length promised
    run("add", "--isbn", ol.DUNE, "--lookup", "--status", "want")  # added: `enrich` fetches the cover later
    data = tomllib.loads((books / "dune.toml").read_text())
    assert "cover" not in data and "cover" not in data["source"]["openlibrary"]["filled"]
    assert not (journal_home / "covers").exists() or not any((journal_home / "covers").iterdir())
    kept = [p.read_bytes() for p in (tmp_path / "cache").rglob("*.json")]
    assert kept and not any(b"11481354-L.jpg" in text for text in kept)


def test_a_json_answer_cut_off_is_said_broken_not_that_it_is_not_json(run, server):
    server.cut["/books/OL9190193M.json"] = 40
    result = run("lookup", ol.DUNE, code=1)
    assert "broken answer" in result.stderr and "not JSON" not in result.stderr


def test_the_waits_a_429_asks_for_are_bounded_in_all_and_said(server, tmp_path):
    path = f"/isbn/{ol.DUNE}.json"
    server.script[path] = [(429, {"Retry-After": "25"}, b"slow down")] * 3
    slept: list[float] = []
    said: list[str] = []
    timing = Timing(connect=2, total=3, pace=0, retries=3)
    client = Client(base_url=server.base, covers_url=server.base, timing=timing)
    client.sleep, client.waiting = slept.append, said.append
    with pytest.raises(LookupFailed, match="wait 25 s .*after 50 s of waiting"):
        openlibrary.by_isbn(client, ol.DUNE)
    assert slept == [25, 25]  # 75 s would go over the minute: not waited for
    assert said == [f"waiting 25 s: {server.base.removeprefix('http://')} asks readlog to slow down"] * 2


def test_the_minute_of_waits_is_each_books_not_the_whole_enrichs(server, journal_home):
    """review26c #4: the waits were counted across the command, so a long `enrich` whose every wait worked
    stopped once they added up; each book's look-up has its own minute now."""
    from readlog.actions.books import add_book
    from readlog.journal import Journal
    from readlog.lookup import fill

    journal = Journal(journal_home)
    for title, isbn in (("Dune", ol.DUNE), ("Earthsea", ol.EARTHSEA), ("No Year", ol.NO_WORK_YEAR)):
        add_book(journal, title, [], isbn=isbn, status="want")
        server.script[f"/isbn/{isbn}.json"] = [(503, {}, b"busy")]  # one back-off of 2 s for each book
    slept: list[float] = []
    client = Client(base_url=server.base, covers_url=server.base, timing=Timing(pace=0, max_wait=5))
    client.sleep = slept.append
    report = fill.enrich(journal, client, None, fill.parse_missing(None))
    assert report.stopped is None and slept == [2, 2, 2]  # 6 s in all, over the bound: each book's is 2 s
    assert [item.outcome for item in report.items] == ["filled"] * 3, report.items


def test_a_back_off_over_the_bound_is_not_said_as_the_servers_ask(server):
    server.script[f"/isbn/{ol.DUNE}.json"] = [(503, {}, b"busy")] * 3
    client = Client(base_url=server.base, covers_url=server.base, timing=Timing(pace=0, max_wait=5))
    client.sleep = lambda seconds: None
    with pytest.raises(LookupFailed) as stopped:
        openlibrary.by_isbn(client, ol.DUNE)
    assert "is having trouble (503, after 2 s of waiting)" in str(stopped.value)  # it asked for no wait
    assert "asks readlog to wait" not in str(stopped.value)


def test_a_long_wait_is_said_on_stderr_by_the_command(run, server):
    server.script[f"/isbn/{ol.DUNE}.json"] = [(429, {"Retry-After": "4"}, b"slow down")]  # (waited: 4 s)
    result = run("lookup", ol.DUNE)
    assert "readlog: note: waiting 4 s: 127.0.0.1:" in result.stderr and "to slow down" in result.stderr


def test_a_koreader_sidecar_with_a_long_string_is_read_in_bounded_memory(tmp_path, journal_home):
    """A 2 MB string took 613 MB (a regex frame per character); now about its own size."""
    sidecar = tmp_path / "book.sdr" / "metadata.epub.lua"
    sidecar.parent.mkdir()
    sidecar.write_text('return {\n ["doc_props"] = {["title"] = "' + "A" * 2_000_000 + '"},\n}\n')
    readlog = [sys.executable, "-m", "readlog", "import", "--from", "koreader", str(sidecar), "--dry-run"]
    measure = (  # a fresh process whose only child is readlog: its children's peak is readlog's
        "import resource, subprocess, sys\n"
        f"subprocess.run({readlog!r}, stdout=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", measure], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr
    assert int(done.stderr.split()[-1]) < 150, done.stderr  # megabytes at the peak (Python itself: ~30)


STOPPED_BUILD = """import sys, time
from readlog.exporters.site import build

def staged(journal, outdir, options, overrides, salt, previous, books, staging, ahead, **_):
    (staging / "books").mkdir()
    for n in range(20_000):  # an unfinished big site: slow to delete (its pages where a build makes them)
        open(staging / "books" / f"p{n}.html", "w").close()
    sys.stderr.write("ready\\n")
    sys.stderr.flush()
    time.sleep(60)

build._build_staged = staged
sys.argv = ["readlog", "site", sys.argv[1]]
from readlog.__main__ import main
main()
"""


def test_two_ctrl_cs_in_a_big_site_build_end_it_at_once_in_one_line_leaving_nothing_beside_it(
    run, tmp_path, journal_home
):
    run("add", "Dune", "-a", "Frank Herbert")
    out = tmp_path / "site" / "out"
    out.parent.mkdir()
    building = subprocess.Popen(
        [sys.executable, "-c", STOPPED_BUILD, str(out)],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 - no threads yet
    )
    assert building.stderr is not None and building.stderr.readline() == "ready\n"
    building.send_signal(signal.SIGINT)
    time.sleep(0.05)
    building.send_signal(signal.SIGINT)  # while the unfinished site is cleared away
    said = building.stderr.read()
    assert building.wait(timeout=60) == 130
    assert "Traceback" not in said and len(said.strip().splitlines()) == 1, said
    assert [p.name for p in out.parent.iterdir()] == []  # no `.out.building-*`
    aside = tmp_path / "cache" / "site-trash"  # where it went: deleted there, unwaited for
    deadline = time.monotonic() + 60
    while any(aside.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(aside.iterdir())


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_device_folder_whose_clippings_are_not_a_file_says_what_they_are(run, tmp_path, kind):
    clippings = tmp_path / "kindle" / "documents" / "My Clippings.txt"
    clippings.parent.mkdir(parents=True)
    os.mkfifo(clippings) if kind == "fifo" else clippings.mkdir()
    said = run("import", str(tmp_path / "kindle"), code=1).stderr
    what = "a named pipe" if kind == "fifo" else "a folder"
    assert f"{clippings} is {what}, not a file" in said


def mounted(point: Path, how: list[str]) -> bool:
    return subprocess.run(["mount", *how, str(point)], capture_output=True).returncode == 0


@pytest.mark.parametrize("how", ["tmpfs", "bind"])
def test_a_site_into_a_mount_point_is_refused_before_building(run, tmp_path, how):
    run("add", "Dune", "-a", "Frank Herbert")
    out = tmp_path / "there" / "mnt"
    out.mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    args = ["-t", "tmpfs", "tmpfs"] if how == "tmpfs" else ["--bind", str(tmp_path / "elsewhere")]
    if not mounted(out, args):
        pytest.skip("cannot mount here (not root)")
    try:
        said = run("site", str(out), code=1).stderr
        assert f"{out} is a mount point" in said and f"readlog site {out}/site" in said
        assert len(said.strip().splitlines()) == 1
        assert [p.name for p in out.parent.iterdir()] == ["mnt"] and not any(out.iterdir())
    finally:
        subprocess.run(["umount", str(out)], check=True)
