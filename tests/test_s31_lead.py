"""Session 31, the lead's own fixes: `list`'s date bounds met by one reading (try-out 31c #5); a book the
other device moved into a folder inside books/ said so here (31c #2)."""

from __future__ import annotations

from test_import_export import GR_HEADER, gr_row, write_csv
from test_sync_git import SLUG, devices, git_env, remote  # noqa: F401 - fixtures
from test_t31h_fixes import _listed


# --- try-out 31c #5: each of --year/--from/--to could be met by a different reading of one book ------------
def test_a_book_is_listed_when_one_of_its_readings_finished_within_every_bound(run):
    run("add", "Zeta", "-a", "Zed", "-r", "4", "--started", "2022-01-01", "--finished", "2022-02-01")
    run("start", "zeta", "--date", "2023-05-01")
    run("finish", "zeta", "--date", "2023-06-01")  # read in February 2022 and in June 2023
    run("add", "Eta", "-a", "Ed", "--finished", "2022-09-01")  # a reading inside the range (near miss)
    # (was: zeta, its 2022 reading after --from's day and its 2023 one before --to's, neither in between)
    assert _listed(run, "--from", "2022-03-01", "--to", "2023-05-31") == ["eta"]
    assert _listed(run, "--status", "read", "--from", "2022-03-01", "--to", "2023-05-31") == ["eta"]
    assert _listed(run, "--year", "2023", "--to", "2022-12-31") == []
    # each reading still answers alone
    assert _listed(run, "--year", "2022") == ["eta", "zeta"]
    assert _listed(run, "--year", "2023", "--from", "2023-05-15") == ["zeta"]
    assert _listed(run, "--from", "2022-01-15", "--to", "2022-02-15") == ["zeta"]


# --- try-out 31c #2: a book moved into a folder on one device vanished on the other, with its change there ---
def test_a_book_the_other_device_moved_into_a_folder_is_said_so_here(devices):
    laptop, work = devices
    books = laptop.home / "books"
    (books / "shelf").mkdir()
    (books / f"{SLUG}.toml").rename(books / "shelf" / f"{SLUG}.toml")
    laptop("sync")
    work("reflect", SLUG, "A thought written on the other device.")  # then the move comes here
    out = " ".join(work("sync").stderr.split())
    assert (
        f"books/shelf/{SLUG}.toml: the book that was books/{SLUG}.toml here, moved into a folder on the "
        "other device, where readlog cannot see it (with any change made here since): `readlog check`"
    ) in out  # (was: "all in sync", nothing else)
    assert "A thought written" in (work.home / "books" / "shelf" / f"{SLUG}.toml").read_text(encoding="utf-8")
    # and back out of the folder: a rename, said as one
    (books / "shelf" / f"{SLUG}.toml").rename(books / f"{SLUG}.toml")
    laptop("sync")
    back = " ".join(work("sync").stderr.split())
    assert f"books/{SLUG}.toml: the book that was books/shelf/{SLUG}.toml here, renamed on the other" in back


# --- try-out 31c #7: `--rating '>>4'` was told as "'>4' is not a number" (its rest, not what was typed) -----
def test_a_rating_filter_that_is_not_one_is_told_as_typed(run):
    run("add", "Zeta", "-a", "Zed", "-r", "4")
    for typed in (">>4", "=<4", "<>3", "four"):
        out = run("list", "--rating", typed, code=2)
        assert out.stdout == ""
        assert f"--rating: '{typed}' is not a " in out.stderr, out.stderr
    assert run("list", "--rating", ">= 4").stdout.startswith("zeta")


# --- review 31c F1: a review with a lone CR read markdown-it's line numbers on other lines ----------------
LONE_CR = "\r\r\rThe opening words.\n\n<!--\na note to self, never published\n-->\n\nThe second paragraph."


def test_a_note_to_self_after_lone_carriage_returns_is_never_published(run, books, tmp_path):
    from readlog.privacy import without_comments

    assert without_comments(LONE_CR) == "The opening words.\n\nThe second paragraph."  # (was: the note kept)
    run("add", "Old Mac Notes", "-a", "Ann Author", "--finished", "2025-01-02")
    path = books / "old-mac-notes.toml"
    escaped = LONE_CR.replace("\r", "\\r").replace("\n", "\\n")
    path.write_text(path.read_text(encoding="utf-8") + f'\n[review]\nbody = "{escaped}"\n', encoding="utf-8")
    out = tmp_path / "site"
    result = run("site", str(out))  # (was: a traceback, IndexError, for a text like this one)
    assert "Traceback" not in result.stderr
    page = (out / "books" / "old-mac-notes.html").read_text(encoding="utf-8")
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "The second paragraph." in page
    for published in (page, feed):
        assert "never published" not in published
    assert "The opening words." in feed and "The second paragraph" not in feed  # the first paragraph


# --- review 31f F1: a journal imported before t31f: check kept the import's copy, trashing the reader's book ---
def test_check_keeps_the_readers_book_over_a_copy_an_older_readlog_imported(run, books, tmp_path):
    run("add", "Deep Work", "-a", "C. Newport", "-r", "4", "--finished", "2024-01-01")
    row = gr_row(Title="Deep Work: Rules for Focused Success in a Distracted World", Author="Cal Newport",
                 My_Rating="3", Date_Added="2019/03/06", Date_Read="2019/04/01")  # fmt: skip
    run("import", str(write_csv(tmp_path / "gr.csv", GR_HEADER, [row])))
    copy = next(p for p in books.glob("deep-work-*.toml"))
    said = run("check").stdout
    assert "`readlog merge deep-work " in said and "is as a Goodreads export's row made it" in said  # (as is)
    # the copy's record as a readlog before t31f wrote it: no `title`, so it vouches for no title
    text = copy.read_text(encoding="utf-8")
    record = text.index("[source.goodreads.imported]")
    head, tail = text[:record], text[record:]
    tail = "\n".join(line for line in tail.split("\n") if not line.startswith("title = "))
    copy.write_text(head + tail, encoding="utf-8")
    said = " ".join(run("check").stdout.split())
    # (was: keeping the copy, "in the journal first (2019-03-06)": the reader's title, author and rating lost)
    assert f"`readlog merge deep-work {copy.stem}` joins them, keeping deep-work, the one not made" in said


# --- review 31g F1: that rule kept a book a device's highlights made over the copy the reader read ---------
CLIPPING = (
    "Deep Work (Newport, Cal)\r\n- Your Highlight on Location 100-101 | Added on Monday, March 4, 2024 9:00:00 AM"
    "\r\n\r\nClarity about what matters provides clarity about what does not.\r\n==========\r\n"
)


def test_check_keeps_the_copy_the_reader_read_over_a_book_highlights_made(run, books, tmp_path):
    row = gr_row(Title="Deep Work: Rules for Focused Success in a Distracted World", Author="Cal Newport",
                 Date_Added="2019/03/06", Exclusive_Shelf="to-read")  # fmt: skip
    run("import", str(write_csv(tmp_path / "gr.csv", GR_HEADER, [row])))
    copy = next(p for p in books.glob("deep-work-*.toml")).stem
    run("start", copy, "--date", "2024-02-01")
    run("abandon", copy)
    run("rate", copy, "2")
    run("review", copy, "Gave up: repetitive.")
    clippings = tmp_path / "My Clippings.txt"
    clippings.write_bytes(CLIPPING.encode("utf-8"))
    run("import", str(clippings))
    assert (books / "deep-work.toml").exists()  # (kept as its own book: a maybe)
    said = " ".join(run("check").stdout.split())
    # (was: keeping deep-work, "the one not made from an export's row": the reader's abandoned, rating and
    # review given up to the clippings' guessed status `read`)
    assert f"`readlog merge {copy} deep-work` joins them, keeping {copy}" in said


# --- review 31g F2: under a damaged marker, an older build's pages kept as the reader's without a word ------
def test_a_damaged_marker_names_what_it_keeps_that_is_named_like_readlogs_pages(run, books, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert", "-r", "5", "--tag", "scifi", "--review", "Sand.")
    out = tmp_path / "www"
    run("site", str(out))
    (out / "README.md").write_text("mine\n", encoding="utf-8")
    dune = books / "dune.toml"
    dune.write_text(
        dune.read_text(encoding="utf-8").replace('tags = ["scifi"]', "tags = []"), encoding="utf-8"
    )
    marker = out / ".readlog-site.json"
    marker.write_text("<<<<<<< HEAD\n" + marker.read_text(encoding="utf-8"), encoding="utf-8")
    said = " ".join(run("site", str(out)).stderr.split())
    assert (out / "tags" / "scifi.html").exists() and (out / "README.md").exists()  # (kept: t31n)
    # (was: "... and what else is in the folder kept", the stale tags/ published from then on, unnamed)
    assert "(tags/: named like readlog's pages, which this build does not make" in said
    assert "README.md" not in said
