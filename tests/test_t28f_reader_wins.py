"""Try-out 28a #2-#6: what the reader did in readlog wins, and every listing counts what it shows.
#3: `import --update` of an export that still has a book on to-read put a book the reader had started since
back in the queue (`priority` written back, counted `updated`): now the reader's taking it out is kept, said."""

from __future__ import annotations

import tomllib

from conftest import snapshot, write_editor
from test_import_export import GR_HEADER, gr_row, write_csv
from test_t23d_drafts import FAILING, drafts, way_back
from test_t24d_which_book import write

QUEUED = {"Title": "Piranesi", "Exclusive Shelf": "to-read", "Bookshelves with positions": "to-read (#1)"}


def test_update_keeps_a_started_book_out_of_the_queue(run, tmp_path, books):
    export = write_csv(tmp_path / "export.csv", GR_HEADER, [gr_row(**QUEUED)])
    run("import", str(export))
    run("start", "piranesi")
    before = snapshot(books)
    result = run("import", str(export), "--update")  # the same export: no news, nothing rewritten
    assert (
        "kept: Piranesi: kept it out of the queue: it is reading here (export says queue #1)" in result.stderr
    )
    assert "0 updated" in result.stderr and snapshot(books) == before, result.stderr
    # A newer export that still has it on to-read, at another place: the reader's later start wins.
    newer = write_csv(
        tmp_path / "newer.csv",
        GR_HEADER,
        [gr_row(**{**QUEUED, "Bookshelves with positions": "to-read (#3)"})],
    )
    result = run("import", str(newer), "--update")
    assert "kept it out of the queue: it is reading here (export says queue #3)" in result.stderr
    data = tomllib.loads((books / "piranesi.toml").read_text())
    assert "priority" not in data and data["status"] == "reading"


def test_update_keeps_a_finished_book_out_of_the_queue_and_moves_an_untouched_one(run, tmp_path, books):
    rows = [
        gr_row(**QUEUED),
        gr_row(**{**QUEUED, "Book Id": "2", "Title": "Emma", "Bookshelves with positions": "to-read (#2)"}),
    ]
    export = write_csv(tmp_path / "export.csv", GR_HEADER, rows)
    run("import", str(export))
    run("finish", "piranesi", "--rating", "4")
    moved = [{**rows[0]}, {**rows[1], "Bookshelves with positions": "to-read (#1)"}]
    result = run("import", str(write_csv(tmp_path / "n.csv", GR_HEADER, moved)), "--update")
    assert "kept: Piranesi: kept it out of the queue: it is read here (export says queue #1)" in result.stderr
    assert "priority" not in tomllib.loads((books / "piranesi.toml").read_text())
    assert tomllib.loads((books / "emma.toml").read_text())["priority"] == 1


# --- #2: `add TITLE --reread --rating R` rated only the reading; `finish BOOK --reread --rating R` the book too
def test_a_reread_rated_by_add_is_rated_as_finish_rates_it(run, books):
    for title, author in (("Piranesi", "Susanna Clarke"), ("Dune", "Frank Herbert")):
        run("add", title, "-a", author, "--rating", "3", "--finished", "2024-01-10", "--no-input")
    said = run(
        "add", "Piranesi", "-a", "Susanna Clarke", "--reread", "--rating", "5", "--finished", "2025-11-01"
    )
    assert "Logged another reading of “Piranesi”, rated 5:" in said.stderr
    run("finish", "dune", "--reread", "--rating", "5", "--date", "2025-11-01")
    added, finished = (tomllib.loads((books / f"{slug}.toml").read_text()) for slug in ("piranesi", "dune"))
    assert added["rating"] == finished["rating"] == 5
    assert [r.get("rating") for r in added["reads"]] == [r.get("rating") for r in finished["reads"]] == [3, 5]
    # near miss: a re-read given no rating leaves the book's, and says none
    said = run("add", "Dune", "-a", "Frank Herbert", "--reread", "--finished", "2026-02-01")
    assert "“Dune”: " in said.stderr and ", rated" not in said.stderr
    assert tomllib.loads((books / "dune.toml").read_text())["rating"] == 5


# --- #4: `stats --year Y` and the site's page for Y counted a book's first reading in Y as a re-read
def test_a_year_counts_its_readings_that_were_rereads(run, books, tmp_path):
    import json

    run("add", "The Road", "-a", "Cormac McCarthy", "--rating", "4", "--finished", "2024-05-01", "--no-input")
    run("finish", "the-road", "--reread", "--date", "2026-12-01")
    run("finish", "the-road", "--reread", "--date", "2026-12-03")  # twice again in 2026: two re-reads
    books.joinpath("undated.toml").write_text(  # read on a day nobody knows, and in 2025: 2025's is a re-read
        'title = "Undated"\nauthors = ["A"]\nstatus = "read"\n\n[[reads]]\n\n[[reads]]\nfinished = 2025-03-01\n'
    )
    counted = {
        y: json.loads(run("stats", "--year", y, "--json").stdout)["rereads"] for y in ("2024", "2025", "2026")
    }
    assert counted == {"2024": 0, "2025": 1, "2026": 2}
    assert "2 re-reads" in run("stats", "--year", "2026").stdout
    assert (
        json.loads(run("stats", "--json").stdout)["rereads"] == 2
    )  # the journal's: books read more than once
    run("site", str(tmp_path / "out"))
    pages = {y: (tmp_path / "out" / "years" / f"{y}.html").read_text(encoding="utf-8") for y in counted}
    assert "Re-reads" not in pages["2024"] and "<dt>Re-reads</dt><dd>2</dd>" in pages["2026"]
    assert "<dt>Re-reads</dt><dd>1</dd>" in pages["2025"]


# --- #5: `next --limit N` showed a series' next book that is a pick as `series` when the limit cut the pick,
# and counted fewer rows than it printed
def test_a_limited_queue_lists_the_same_rows_and_counts_what_it_prints(run, books):
    stormlight = 'series = [{name = "The Stormlight Archive", number = "%s"}]\n'
    pick = '\n[[next]]\ntitle = "%s"\nauthors = ["%s"]\nadded = %s\n'
    write(
        books,
        "the-way-of-kings",
        "The Way of Kings",
        ["Brandon Sanderson"],
        extra=stormlight % 1
        + "\n[[reads]]\nfinished = 2022-03-01\n"
        + pick % ("Words of Radiance", "Brandon Sanderson", "2026-01-01"),
    )
    write(books, "words-of-radiance", "Words of Radiance", ["Brandon Sanderson"], "want", stormlight % 2)
    write(
        books,
        "other",
        "Other",
        ["Someone"],
        extra="\n[[reads]]\nfinished = 2024-12-24\n" + pick % ("Some Pick", "X Y", "2026-02-01"),
    )
    for n in range(3):
        write(books, f"wanted-{n}", f"Wanted {n}", ["W"], "want", f"priority = {n + 1}\n")
    whole = run("next", "--limit", "0", "--format", "tsv").stdout.splitlines()
    status = {line.split("\t")[0]: line.split("\t")[3] for line in whole}
    assert status["Words of Radiance"] == "open" and len(whole) == 5
    for limit in ("1", "2"):
        result = run("next", "--limit", limit, "--format", "tsv")
        rows = result.stdout.splitlines()
        assert rows == [line for line in whole if line in rows], rows  # the same rows, in the same order
        assert all(status[line.split("\t")[0]] == line.split("\t")[3] for line in rows), rows
        assert f"showing {len(rows)} of {len(whole)} in your queue" in result.stderr, (rows, result.stderr)


# --- #6: `finish --edit` with a failing editor kept a draft and named no command to take it up
def test_a_failed_finish_edit_names_the_finish_that_takes_its_draft(run, tmp_path, books, journal_home):
    run("add", "Dune", "-a", "Frank Herbert", "--status", "reading", "--started", "2026-11-01")
    before = snapshot(books)
    env = {"EDITOR": write_editor(tmp_path, FAILING)}
    failed = run("finish", "dune", "--rating", "4", "--date", "2026-12-01", "--edit", env=env, code=1)
    assert snapshot(books) == before  # not finished: nothing written
    (name,) = drafts(journal_home)
    words = way_back(failed.stderr)
    assert words == [
        "finish",
        "dune",
        "--date",
        "2026-12-01",
        "--rating",
        "4",
        "--draft",
        name.removesuffix(".md"),
    ]
    assert "Finished “Dune”, rated 4; review saved" in run(*words).stderr  # as printed, in a script
    data = tomllib.loads((books / "dune.toml").read_text(encoding="utf-8"))
    assert data["status"] == "read" and data["rating"] == 4 and "Typed with care." in data["review"]["body"]
    assert str(data["reads"][0]["finished"]) == "2026-12-01" and drafts(journal_home) == []
    # near miss: --draft with a review given is a usage error, nothing written
    assert run("finish", "dune", "--draft", "x", "--review", "y", code=2).exit_code == 2


# --- review 28a #1: `add --reread --finished <before the latest> --rating R` gave the book the older reading's
def test_an_older_reading_added_with_a_rating_leaves_the_book_its_latest_ones(run, books):
    run("add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01", "-r", "5", "--no-input")
    said = run("add", "Piranesi", "--reread", "--finished", "2019-01-01", "-r", "2")
    assert "that reading rated 2 (the book keeps 5: its latest reading's, finished 2024-05-01)" in said.stderr
    data = tomllib.loads((books / "piranesi.toml").read_text())
    assert data["rating"] == 5 and [r.get("rating") for r in data["reads"]] == [5, 2]
    run("rate", "piranesi", "4")  # the book's, so the latest reading's by its day (not the last listed)
    data = tomllib.loads((books / "piranesi.toml").read_text())
    assert data["rating"] == 4 and [r.get("rating") for r in data["reads"]] == [4, 2]
    # near miss: a reading later than the latest is the book's rating, said as before
    said = run("add", "Piranesi", "--reread", "--finished", "2025-03-01", "-r", "3")
    assert "Logged another reading of “Piranesi”, rated 3:" in said.stderr
    data = tomllib.loads((books / "piranesi.toml").read_text())
    assert data["rating"] == 3 and [r.get("rating") for r in data["reads"]] == [4, 2, 3]


# --- review 28a #2: `add --reread --status reading --rating R` rated the book the day a re-read began
def test_a_reread_rated_as_it_begins_rates_the_book_when_it_is_finished(run, books):
    for title in ("Dune", "Emma"):
        run("add", title, "-a", "An Author", "--finished", "2024-05-01", "-r", "5", "--no-input")
        said = run("add", title, "--reread", "--status", "reading", "--started", "2026-12-01", "-r", "2")
        assert f"“{title}”, this reading rated 2 (the book takes it when you finish it" in said.stderr
    data = tomllib.loads((books / "dune.toml").read_text())
    assert data["rating"] == 5 and data["status"] == "reading"
    assert [r.get("rating") for r in data["reads"]] == [5, 2]
    said = run("finish", "dune", "--date", "2026-12-05")
    assert "Finished “Dune” (a re-read), rated 2 (as this reading was when it began)" in said.stderr
    data = tomllib.loads((books / "dune.toml").read_text())
    assert data["rating"] == 2 and [r.get("rating") for r in data["reads"]] == [5, 2]
    # near miss: rated again while reading (`rate`), or at the finish, the later rating is the one
    run("rate", "emma", "3")
    assert [r.get("rating") for r in tomllib.loads((books / "emma.toml").read_text())["reads"]] == [5, 3]
    said = run("finish", "emma", "--date", "2026-12-05")
    assert "rated 3 (as this reading was" in said.stderr
    said = run("finish", "emma", "--reread", "--date", "2026-12-07", "-r", "4")
    assert tomllib.loads((books / "emma.toml").read_text())["rating"] == 4


# --- review 28a #3: starting a book again took a past year's re-read away (an undated earlier reading counted
# as done only while the book's status was read)
def test_starting_a_book_again_keeps_its_past_years_rereads(run, books, tmp_path):
    import json

    row = gr_row(Title="Epsilon", Date_Read="2021/08/01", Read_Count="2")
    run("import", str(write_csv(tmp_path / "gr.csv", GR_HEADER, [row])))
    assert json.loads(run("stats", "--year", "2021", "--json").stdout)["rereads"] == 1
    assert "reading 3" in run("start", "epsilon").stderr
    assert json.loads(run("stats", "--year", "2021", "--json").stdout)["rereads"] == 1
    run("site", str(tmp_path / "out"))
    page = (tmp_path / "out" / "years" / "2021.html").read_text(encoding="utf-8")
    assert "<dt>Re-reads</dt><dd>1</dd>" in page
    # near miss: an open last reading is not a done one (the 2022 reading is the book's first)
    books.joinpath("open.toml").write_text(
        'title = "Open"\nauthors = ["A"]\nstatus = "reading"\n\n[[reads]]\nfinished = 2022-03-01\n\n[[reads]]\n'
    )
    assert json.loads(run("stats", "--year", "2022", "--json").stdout)["rereads"] == 0


# --- review 28a #4: `import --update` put a book reading here in the queue when the newer export moved it
# from currently-reading back to to-read (the status kept, the position written, nothing said)
def test_update_keeps_a_reading_book_out_of_the_queue_an_export_moved_back(run, tmp_path, books):
    shelves = (("to-read", "to-read (#3)"), ("currently-reading", "currently-reading (#1)"))
    shelves += (("to-read", "to-read (#2)"),)
    for n, (shelf, place) in enumerate(shelves):
        row = gr_row(Title="Epsilon", Exclusive_Shelf=shelf, Bookshelves_with_positions=place)
        export = write_csv(tmp_path / f"u{n}.csv", GR_HEADER, [row])
        result = run("import", str(export), *(["--update"] if n else []))
    assert (
        "kept: Epsilon: kept it out of the queue: it is reading here (export says queue #2)" in result.stderr
    )
    data = tomllib.loads((books / "epsilon.toml").read_text())
    assert data["status"] == "reading" and "priority" not in data


# --- review 28a #6: after a refused --date, finish's way back to the draft repeated the refused date
def test_a_refused_finish_date_is_left_out_of_the_way_back_to_the_draft(run, tmp_path, books, journal_home):
    run("add", "Dune", "-a", "Frank Herbert", "--status", "reading", "--started", "2026-11-01")
    env = {"EDITOR": write_editor(tmp_path, FAILING)}
    run("finish", "dune", "--edit", env=env, code=1)
    (name,) = drafts(journal_home)
    draft = name.removesuffix(".md")
    refused = run("finish", "dune", "--date", "2026-10-01", "--rating", "4", "--draft", draft, code=1)
    assert "--date 2026-10-01 is before this reading started (2026-11-01)" in refused.stderr
    words = way_back(refused.stderr)
    assert words == ["finish", "dune", "--rating", "4", "--draft", draft]
    assert "Finished “Dune”, rated 4; review saved" in run(*words).stderr  # it can work: finished today
    assert drafts(journal_home) == []


# --- seen beside review 28a #1: a past reading logged with `add --reread` ended the reading going on (status
# `read` with a reading open)
def test_a_past_reading_logged_beside_one_going_on_leaves_the_book_reading(run, books):
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2020-01-01", "--no-input")
    run("start", "dune")
    run("add", "dune", "--reread", "--finished", "2018-01-01")
    data = tomllib.loads((books / "dune.toml").read_text())
    assert data["status"] == "reading" and len(data["reads"]) == 3
    # near miss: a book not being read is read again, as before
    run("add", "Emma", "-a", "Jane Austen", "--status", "want")
    run("add", "emma", "--reread")
    assert tomllib.loads((books / "emma.toml").read_text())["status"] == "read"
