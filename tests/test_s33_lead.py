"""Session 33, the lead's fixes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import readlog


def test_byte_code_written_where_pythondontwritebytecode_is_set(tmp_path: Path) -> None:
    """A checkout has no byte code until a run writes it; with PYTHONDONTWRITEBYTECODE set (container
    images set it) no run ever did, so every command compiled every module it loaded, every time."""
    tree = tmp_path / "src"
    shutil.copytree(
        Path(readlog.__file__).parent, tree / "readlog", ignore=shutil.ignore_patterns("__pycache__")
    )
    (tmp_path / "home").mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "PYTHONDONTWRITEBYTECODE": "1",
        "READLOG_HOME": str(tmp_path / "home"),
        "READLOG_CACHE": str(tmp_path / "cache"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "readlog", "list"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    # the modules loaded after the entry point began: the command line's, the journal's
    assert any((tree / "readlog" / "cli").glob("__pycache__/*.pyc"))
    assert any((tree / "readlog").glob("__pycache__/journal.*.pyc"))


def test_show_of_an_abandoned_book_says_its_stop_once(run, journal_home: Path) -> None:
    """Try-out 33a #12: `Abandoned: 2026-02-20 → stopped 2026-03-01` and then `Stopped: on 2026-03-01, where
    not noted`: the day twice, and a line saying only that nothing was noted. Where the reader said where they
    stopped, that line stays (the place is news)."""
    run("add", "Wonder", "--author", "R. J. Palacio", "--status", "reading", "--started", "2026-02-20")
    run("abandon", "wonder", "--date", "2026-03-01")
    shown = run("show", "wonder").stdout
    assert "stopped 2026-03-01" in shown
    assert "Stopped:" not in shown and "where not noted" not in shown
    run("add", "Night", "--author", "Elie Wiesel", "--status", "reading", "--started", "2026-02-20")
    run("abandon", "night", "--at", "80", "--date", "2026-03-01")
    shown = run("show", "night").stdout
    assert "Stopped: at p. 80 on 2026-03-01" in " ".join(shown.split())


def test_show_keeps_an_ordered_lists_numbers_as_written(run, journal_home: Path, tmp_path: Path) -> None:
    """Try-out 33a #6: `1. *The Interestings*` was shown as `1 The Interestings` (Rich drops the dot); a
    wrapped item's next line sits under its text, numbers of two widths aligned on the dot."""
    review = tmp_path / "review.md"
    review.write_text("Picks.\n\n9. *The Interestings*\n10. Second pick\n\n- a bullet\n")
    run("add", "Tomorrow", "--author", "G Z", "--review-file", str(review))
    lines = run("show", "tomorrow").stdout.splitlines()
    assert any(line.startswith("│    9. The Interestings") for line in lines), lines
    assert any(line.startswith("│   10. Second pick") for line in lines), lines
    assert any(line.startswith("│   • a bullet") for line in lines), lines


def test_show_at_160_columns_is_as_wide_as_its_text(run, journal_home: Path) -> None:
    """Try-out 33a #7: at 160 columns every panel of `show` was 160 wide around text wrapped at 100 (a
    55-column empty band in each box): the panels are as wide as their text may be; narrower terminals
    are as they were."""
    run("add", "Wonder", "--author", "R. J. Palacio", "--review", "word " * 80)
    wide = run("show", "wonder", env={"COLUMNS": "160"}).stdout.splitlines()
    assert {len(line) for line in wide if line} == {106}, {len(line) for line in wide}
    narrow = run("show", "wonder", env={"COLUMNS": "80"}).stdout.splitlines()
    assert {len(line) for line in narrow if line} == {80}


def test_list_refuses_an_empty_filter_value(run, journal_home: Path) -> None:
    """Try-out 33b #9: `list --from ''` (a script's empty variable), and `--to`, `--author`, `--tag`,
    `--status` the same, listed every book with exit 0, as `--rating ''` did (try-out 32b #12): a usage
    error naming the option, nothing listed."""
    run("add", "Wonder", "--author", "R. J. Palacio", "--tag", "school")
    for option in ("--from", "--to", "--author", "--tag", "--status"):
        for value in ("", "  "):
            told = run("list", option, value, code=2)
            assert told.stdout == "" and f"{option}: the value is empty" in told.stderr, (option, told.stderr)
    assert run("list", "--status", ",", code=2).stdout == ""
    assert "Wonder" in run("list", "--status", "read,", "--tag", "school").stdout  # (a trailing comma: fine)


def test_abandon_with_a_date_of_a_book_never_started_keeps_the_date(run, journal_home: Path) -> None:
    """Try-out 33b #21: `abandon BOOK --date D` of a wanted book wrote `status = "abandoned"` and no reading,
    the day nowhere (with `--at` it was kept): the reading is written, stopped that day. Without a day given,
    a wanted book given up has no reading, as before."""
    run("add", "Piranesi", "--author", "Susanna Clarke", "--status", "want")
    run("abandon", "piranesi", "--date", "2026-12-02")
    text = (journal_home / "books" / "piranesi.toml").read_text()
    assert 'status = "abandoned"' in text and "stopped = 2026-12-02" in text, text
    run("add", "Klara and the Sun", "--author", "Kazuo Ishiguro", "--status", "want")
    run("abandon", "klara and the sun")
    assert "[[reads]]" not in (journal_home / "books" / "klara-and-the-sun.toml").read_text()


def _kobo_copy(tmp_path: Path, status: int | None, percent: int | None) -> Path:
    """The real 3-book Kobo database with each book's ReadStatus and percent read set (None: the columns
    dropped, as in an old database)."""
    import sqlite3

    source = Path(os.environ.get("READLOG_TEST_HIGHLIGHTS", "/nonexistent")) / "kobo"
    real = source / "KoboReader_trimmed_suntzu_2highlights_2notes.sqlite"
    if not real.is_file():
        import pytest

        pytest.skip("READLOG_TEST_HIGHLIGHTS (the real e-reader files) not set")
    copy = tmp_path / f"kobo-{status}-{percent}" / "KoboReader.sqlite"
    copy.parent.mkdir()
    shutil.copyfile(real, copy)
    db = sqlite3.connect(copy)
    if status is None:
        db.execute("ALTER TABLE content DROP COLUMN ReadStatus")
        db.execute("ALTER TABLE content DROP COLUMN ___PercentRead")
    else:
        db.execute(
            "UPDATE content SET ReadStatus = ?, ___PercentRead = ? WHERE ContentType = 6", (status, percent)
        )
    db.commit()
    db.close()
    return copy


def test_a_book_a_kobo_makes_has_the_status_the_kobo_gives(run, journal_home: Path, tmp_path: Path) -> None:
    """Try-out 33a #2: books made from a Kobo's highlights were `read` (their highlights old) though the
    Kobo said 8%, 57%: counted as read. What the device says decides: finished (ReadStatus 2, or 100%)
    is read; anything else reading; a database without the columns keeps the old rule (old highlights:
    read)."""
    said = {}
    for status, percent in ((1, 8), (2, 100), (1, 100), (0, 0), (None, None)):
        out = run("import", str(_kobo_copy(tmp_path, status, percent)), "--dry-run").stdout
        said[(status, percent)] = out
    assert "(would be created, reading)" in said[(1, 8)]
    assert "(would be created, read)" in said[(2, 100)] and "(would be created, read)" in said[(1, 100)]
    assert "(would be created, reading)" in said[(0, 0)]
    assert "(would be created, read)" in said[(None, None)]  # (its highlights are from 2018)


def test_a_book_a_koreader_sidecar_makes_has_the_status_it_gives(
    run, journal_home: Path, tmp_path: Path
) -> None:
    """The same for a KOReader sidecar: `summary.status` complete or `percent_finished` 1 is read; reading
    (at 86%) and "On hold" (`abandoned`) are reading; with neither, the highlights' age decides as before."""
    source = Path(os.environ.get("READLOG_TEST_HIGHLIGHTS", "/nonexistent")) / "koreader"
    real = source / "metadata.epub.lua.new-annotations_frankenstein.lua"
    if not real.is_file():
        import pytest

        pytest.skip("READLOG_TEST_HIGHLIGHTS (the real e-reader files) not set")
    text = real.read_text()
    assert '["status"] = "reading"' in text and '["percent_finished"] = 0.85806451612903' in text
    cases = {  # (KOReader's `abandoned` is its "On hold": set aside, not given up: review 33a #1)
        "reading": ("reading", text),
        "complete": ("read", text.replace('["status"] = "reading"', '["status"] = "complete"')),
        "abandoned": ("reading", text.replace('["status"] = "reading"', '["status"] = "abandoned"')),
    }
    for said, (status, body) in cases.items():
        (tmp_path / said).mkdir()
        sidecar = tmp_path / said / "metadata.epub.lua"
        sidecar.write_text(body)
        out = run("import", str(sidecar), "--dry-run").stdout
        assert f"(would be created, {status})" in out, (said, out)


def test_a_kobo_placing_a_volume_elsewhere_makes_no_book_of_both(
    run, journal_home: Path, tmp_path: Path
) -> None:
    """Try-out 33a #8: a Kobo book titled `Saga, Vol. 2` whose SeriesNumber says 3 was made as one book of
    both (`series = [{name = "Saga", number = "3"}]`, nothing said); volume 3's highlights then went to it
    and `add "Saga, Vol. 3"` was refused as it. The title's #2 is kept and the disagreement said, as a
    bracketed place (`Saga (Saga, #2)`) always was."""
    import sqlite3

    copy = _kobo_copy(tmp_path, 1, 40)
    db = sqlite3.connect(copy)
    db.execute(
        "UPDATE content SET Title = 'Saga, Vol. 2', Attribution = 'Brian K. Vaughan', Series = 'Saga', "
        "SeriesNumber = '3' WHERE ContentType = 6"
    )
    db.commit()
    db.close()
    told = run("import", str(copy)).stderr
    assert "Saga, Vol. 2: the device places it at Saga #3, its title at #2: the title's #2 kept" in told
    text = (journal_home / "books" / "saga-vol-2.toml").read_text()
    assert 'series = [{name = "Saga", number = "2"}]' in text, text
    run("add", "Saga, Vol. 3", "--author", "Brian K. Vaughan", "--status", "want")
    assert (journal_home / "books" / "saga-vol-3.toml").is_file()


def test_list_status_abandoned_is_every_book_given_up_as_stats_counts(run, journal_home: Path) -> None:
    """Review 33a #4: with a year `--status abandoned` lists every book with a reading given up then,
    whatever its status now, but without one only the books whose status is abandoned now: Ulysses (given
    up in 2025, then read) was under `--year 2025` and not under the whole list, while `stats` counted it."""
    import json

    run("add", "Ulysses", "--author", "James Joyce", "--status", "want")
    run("start", "ulysses", "--date", "2025-11-01")
    run("abandon", "ulysses", "--date", "2025-12-30")
    run("start", "ulysses", "--date", "2026-02-01")
    run("finish", "ulysses", "--date", "2026-04-01")
    run("add", "Dune", "--author", "Frank Herbert", "--status", "reading", "--started", "2026-01-01")
    run("abandon", "dune", "--date", "2026-01-05")
    run("add", "Beloved", "--author", "Toni Morrison", "--status", "abandoned")
    run("add", "Emma", "--author", "Jane Austen", "--status", "read", "--finished", "2024-05-01")
    listed = run("list", "--status", "abandoned", "--format", "tsv").stdout
    assert {line.split("\t")[0] for line in listed.splitlines()} == {"ulysses", "dune", "beloved"}, listed
    assert json.loads(run("stats", "--json").stdout)["abandoned"] == 3


def test_show_keeps_a_lists_parenthesis_and_a_stop_never_started(
    run, journal_home: Path, tmp_path: Path
) -> None:
    """Review 33a #12: `1) one` was shown `1. one` (b417283 wrote every number with a dot)."""
    review = tmp_path / "review.md"
    review.write_text("Picks.\n\n1) paren one\n2) paren two\n")
    run("add", "Emma", "--author", "Jane Austen", "--status", "want", "--review-file", str(review))
    run("abandon", "emma", "--date", "2020-01-01")
    lines = run("show", "emma").stdout.splitlines()
    assert any(line.startswith("│   1) paren one") for line in lines), lines
    # (`? → stopped 2020-01-01`: the start unknown, as the README's readings have it, kept)
    assert any("Abandoned: ? → stopped 2020-01-01" in line for line in lines), lines


def test_next_suggest_refuses_an_empty_tag(run, journal_home: Path) -> None:
    """Review 33a #9: `next --suggest --tag ""` (a script's empty variable) answered "No want book matches.",
    exit 0, as `list --tag ""` did: a usage error."""
    run("add", "Beloved", "--author", "Toni Morrison", "--status", "want")
    told = run("next", "--suggest", "--tag", "", code=2)
    assert told.stdout == "" and "--tag" in told.stderr and "empty" in told.stderr


def test_a_kobo_finishing_a_book_reading_here_is_said(run, journal_home: Path, tmp_path: Path) -> None:
    """Review 33a #11: a book imported from a Kobo while read (reading here) and finished on the Kobo since:
    the next import said only `4 already here`, the book still reading, 0 finished. The journal's status is
    the reader's (an import changes none), so the line says the command that records it; a book read here
    already gets no line."""
    import sqlite3

    copy = _kobo_copy(tmp_path, 1, 40)
    first = run("import", str(copy)).stderr
    assert "(new, reading)" in first and "says it was finished" not in first
    db = sqlite3.connect(copy)
    db.execute("UPDATE content SET ReadStatus = 2, ___PercentRead = 100 WHERE ContentType = 6")
    db.commit()
    db.close()
    line = (
        "The Art of War: the Kobo says it was finished; here it is reading: `readlog finish the-art-of-war`"
    )
    assert line in run("import", str(copy), "--dry-run").stderr
    assert line in run("import", str(copy)).stderr
    assert 'status = "reading"' in (journal_home / "books" / "the-art-of-war.toml").read_text()
    run("finish", "the-art-of-war")
    assert "says it was finished" not in run("import", str(copy)).stderr
