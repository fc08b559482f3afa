"""Session 32's lead fixes, each failing on the code before it."""

from __future__ import annotations

import json


def test_a_search_snippet_shows_a_heading_as_words_not_its_markdown(run):
    """Try-out 32a #12: `…cannot bring himself to tell. ## Dignity as a cage He prizes…`."""
    review = (
        "# Duty above all\n\nThe butler keeps what he cannot bring himself to tell.\n\n"
        "## Dignity as a cage\n\nHe prizes restraint over feeling.\n\n"
        "### Closing ###\n\nC# and #hashtags stay as written in a line's middle."
    )
    run("add", "Quiet Halls", "-a", "Ann Author", "--review", review)
    (hit,) = json.loads(run("search", "prizes", "--json").stdout)
    assert "##" not in hit["snippet"]
    assert "tell. Dignity as a cage — He prizes restraint" in " ".join(hit["snippet"].split())
    (hit,) = json.loads(run("search", "hashtags", "--json").stdout)
    flat = " ".join(hit["snippet"].split())
    assert "Closing — C# and #" in flat and "###" not in flat
    shown = run("search", "prizes", "--format", "tsv").stdout
    assert "##" not in shown and "Dignity as a cage — He" in shown


def test_the_home_page_names_a_review_without_a_headline_once(run, tmp_path):
    """Try-out 32a #11: a review with no headline had its book's title as the teaser's heading and again as
    the byline's title under it; one with a headline keeps both (they differ)."""
    run("add", "No Sweat", "-a", "Michelle Segar", "--rating", "4", "--review", "Plain words, no headline.")
    run("add", "Quiet Halls", "-a", "Ann Author", "--review", "# Duty above all\n\nA butler's year.")
    backup = tmp_path / "untold.json"  # (no author, no rating, no headline: review 32a #7)
    backup.write_text(json.dumps([{"title": "Untold", "status": "read", "review": {"body": "Words."}}]))
    run("import", str(backup))
    run("site", str(tmp_path / "site"))
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert home.count("No Sweat") == 1 and home.count("Untold") == 1
    assert '<p class="byline"> </p>' not in home and '<p class="byline"></p>' not in home
    assert '<p class="byline">By <bdi>Michelle Segar</bdi>' in home
    assert '<cite dir="auto">Quiet Halls</cite> by <bdi>Ann Author</bdi>' in home


def test_a_review_with_a_lone_carriage_return_is_escaped_in_the_posts_as_with_a_newline(run, tmp_path):
    """Try-out 32b #5: `without_raw_html` and `code_ranges` split lines at `\\n` alone beside markdown-it's
    line numbers: a review holding a lone CR (kept from a JSON backup) had its `<script>` live in the
    Markdown posts, and a `<br>` in code became a real break in the Goodreads export."""
    body = (
        "First line{nl}second line\n\n<script>alert(1)</script>\n\nend <b>bold</b>\n\nCode: `a<br>b` here\n"
    )
    books = [
        {"title": title, "authors": ["Ret Urn"], "status": "read", "review": {"body": body.format(nl=nl)}}
        for title, nl in (("Lone CR", "\r"), ("Plain LF", "\n"), ("Both CRLF", "\r\n"))
    ]
    backup = tmp_path / "b.json"
    backup.write_text(json.dumps(books), encoding="utf-8")
    run("import", str(backup))
    plain = run("export", "plain-lf", "--format", "markdown").stdout
    assert "\\<script>" in plain and "\\<b>bold" in plain
    for slug, title in (("lone-cr", "Lone CR"), ("both-crlf", "Both CRLF")):
        posted = run("export", slug, "--format", "markdown").stdout
        assert posted.replace(title, "Plain LF") == plain
    import csv
    import io

    rows = csv.DictReader(io.StringIO(run("export", "--format", "goodreads").stdout))
    reviews = {row["Title"]: row["My Review"] for row in rows}
    assert "a&lt;br&gt;b" in reviews["Plain LF"]
    assert reviews["Lone CR"] == reviews["Plain LF"] == reviews["Both CRLF"]


def _listed(run, *args):
    return sorted(b["slug"] for b in json.loads(run("list", *args, "--json").stdout))


def test_a_finish_known_to_its_month_or_year_meets_both_ends_of_a_range_alike(run):
    """Try-out 32b #11: `--to 2019-05-10` listed a book finished "2019-05" and `--from 2019-05-10` did not
    (partial days compared as text); `--from 2019-06 --to 2019-12` dropped one finished "2019", which
    `--year 2019` lists. A reading whose month or year meets the range is listed at either end."""
    run("add", "Month Only", "-a", "Ann Author", "--finished", "2019-05")
    run("add", "Year Only", "-a", "Ann Author", "--finished", "2019")
    run("add", "Day Known", "-a", "Ann Author", "--finished", "2019-05-09")
    run("add", "Other Year", "-a", "Ann Author", "--finished", "2018-12")
    both = ["month-only", "year-only"]
    assert _listed(run, "--year", "2019") == ["day-known", *both]
    assert _listed(run, "--to", "2019-05-10", "--from", "2019-01") == ["day-known", *both]
    assert _listed(run, "--from", "2019-05-10") == both
    assert _listed(run, "--from", "2019-05-10", "--to", "2019-05-31") == both
    assert _listed(run, "--from", "2019-06", "--to", "2019-12") == ["year-only"]
    assert _listed(run, "--from", "2019-05") == ["day-known", *both]
    assert _listed(run, "--from", "2019-05-09", "--to", "2019-05-09") == ["day-known", *both]
    assert _listed(run, "--to", "2018-12-31") == ["other-year"]
    assert _listed(run, "--from", "2020") == []


def test_an_empty_rating_filter_is_told_and_double_equals_is_read(run):
    """Try-out 32b #12: `--rating ''` listed every book (a script's empty variable filtered nothing,
    silently); `--rating '==4'` was refused though `==` is read as `=`."""
    run("add", "Four Stars", "-a", "Ann Author", "--rating", "4")
    run("add", "Two Stars", "-a", "Ann Author", "--rating", "2")
    err = run("list", "--rating", "", code=2).stderr
    assert "--rating: '' is not a rating filter" in err and len(err.strip().splitlines()) == 1
    assert _listed(run, "--rating", "==4") == ["four-stars"] == _listed(run, "--rating", "=4")


def test_list_never_cuts_an_authors_name_to_give_its_title_more_room(run, journal_home):
    """Try-out 32a #13: at 80 columns `Dan John, / Pavel / Tsatsouli…` beside a title wrapped in full; at
    160 the authors wrapped in a column narrower than they needed beside a 97-wide title."""
    title = "Easy Strength: How to Get a Lot Stronger Than Your Competition-And Dominate in Your Sport"
    run("add", title, "-a", "Dan John", "-a", "Pavel Tsatsouline", "--status", "reading", "--pages", "300")
    run("progress", "easy strength", "120")
    for width in (80, 100):
        shown = run("list", "--format", "table", "--color", "never", env={"COLUMNS": str(width)}).stdout
        assert "…" not in shown and "Tsatsouline" in shown, shown
    wide = run("list", "--format", "table", "--color", "never", env={"COLUMNS": "160"}).stdout
    assert "Dan John, Pavel Tsatsouline" in wide, wide


def test_a_picks_note_in_a_suggestions_reason_is_cut_late_and_between_words():
    """Try-out 32a #10: a pick's note was cut at 60 characters mid-word at any width (`the closest si…`)."""
    from readlog.suggest import NOTE_SHOWN, _cut_between_words

    note = "A painter reviews his part in the war years; the closest sibling to the butler's own story here."
    assert len(note) <= NOTE_SHOWN  # a note of a sentence or two is shown whole
    long = " ".join(["sentence"] * 40)
    cut = _cut_between_words(long, NOTE_SHOWN - 1)
    assert long.startswith(cut) and cut.endswith("sentence") and len(cut) < NOTE_SHOWN
    assert _cut_between_words("x" * 300, 139) == "x" * 139  # one long word: cut where it must be


def test_explain_counts_the_ranking_as_books_and_picks_not_as_wanted_books(run):
    """Try-out 32a #15: `--explain` said `#2 of 3 books you want` and `2 other want books score … too` where
    two of them were read-next picks, no book of the want list."""
    run("add", "Never Let Me Go", "-a", "Kazuo Ishiguro", "--rating", "5")
    for title in ("The Buried Giant", "Nocturnes"):
        run("next", "add", title, "-a", "Kazuo Ishiguro", "--from", "never let me go")
    run("add", "Klara and the Sun", "-a", "Kazuo Ishiguro", "--status", "want")
    said = " ".join(run("next", "--suggest", "--explain", "klara and the sun").stdout.split())
    assert "books you want" not in said and "want book" not in said
    assert "of 3 books and picks ranked" in said


def test_list_keeps_a_one_word_name_whole_with_its_comma(run):
    """Review 32a #4: the authors column was as wide as the longest name, and `Aristophanesian,` (its comma
    after it) was cut to `Aristophanesia…` at 60 and 70 columns."""
    run("add", "The Quick and the Dead: A Very Long Title That Wraps Across Several Lines Of The Table",
        "-a", "Tsatsoulinex", "-a", "Dan John", "--finished", "2020-01-01")  # fmt: skip
    run("add", "Another Extremely Long Title for Testing How Column Widths Are Shared Between",
        "-a", "Aristophanesian", "-a", "Bo")  # fmt: skip
    for width in (60, 70):
        shown = run("list", "--format", "table", "--color", "never", env={"COLUMNS": str(width)}).stdout
        assert "Aristophanesian," in shown and "Tsatsoulinex," in shown and "…" not in shown, shown


def test_code_ranges_reads_lines_as_markdown_it_ends_them():
    """Review 32a #5: code_ranges's offsets at `\\r\\n` and a lone `\\r` (its caller in the Goodreads export
    writes them `\\n` first; this is the function's own promise)."""
    from readlog.markdown import code_ranges

    for newline in ("\n", "\r", "\r\n"):
        text = newline.join(["One line", "", "Code: `a<br>b` here", "", "```", "x < y", "```", "end"])
        spans = [text[a:b] for a, b in code_ranges(text)]
        assert spans == ["`a<br>b`", newline.join(["```", "x < y", "```"])], (newline, spans)


def test_a_snippet_reads_headings_whole_and_leaves_code_as_written(run, tmp_path):
    """Review 32a #6: a window beginning at an indented heading kept its `###`, one beginning within a
    heading kept its closing `##`, and a `# comment` line in a code fence was given a dash."""
    review = (
        "Some intro text about the thing.\n\n## Why \\#1 matters ##\n\nHe prizes dignity above all.\n\n"
        "```\n# just a comment in code dignity\n```\n\n   ### Indented heading\nmore dignity\n\n"
        "#hashtag dignity\n\nSetext dignity\n======\n"
    )
    run("add", "Quiet Halls", "-a", "Ann Author", "--review", review)
    for word in ("setext", "comment", "prizes", "hashtag", "matters"):
        (hit,) = json.loads(run("search", word, "--json").stdout)
        flat = " ".join(hit["snippet"].split())
        assert "##" not in flat and "matters ##" not in flat, (word, flat)
        assert "# just a comment in code dignity" in flat or "comment in code" not in flat, (word, flat)
        assert "code dignity —" not in flat, (word, flat)
    from readlog.index.search import _headings_plain

    text = "Intro.\n\n   ### Indented heading\nmore"
    assert _headings_plain(text, text.index("###"), len(text)) == "Indented heading —\nmore"
    text = "Intro.\n\n## Why it matters ##\nHe prizes"
    assert _headings_plain(text, text.index("it "), len(text)) == "it matters —\nHe prizes"
    text = "~~~\n# code\n~~~\n# Heading\nafter"
    assert (
        _headings_plain(text, text.index("# code"), len(text)) == "# code\n\nHeading —\nafter"
    )  # (the fence marker dropped: t33j)


def _json_into_a_file(home, out, args, answers):
    """readlog ARGS with stdin and stderr on a pseudo-terminal and stdout into `out`; each (question, answer)
    answered when the terminal shows it. The exit code and what the terminal showed."""
    import os
    import pty
    import select
    import subprocess
    import sys
    import time

    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "dumb", "READLOG_HOME": str(home)}
    with out.open("wb") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "readlog", *args], stdin=slave, stdout=stdout, stderr=slave, env=env
        )
    os.close(slave)
    shown = b""
    for question, answer in answers:
        end = time.monotonic() + 60
        while question not in shown and time.monotonic() < end and process.poll() is None:
            if select.select([master], [], [], 0.1)[0]:
                shown += os.read(master, 4096)
        assert question in shown, shown
        os.write(master, answer + b"\r")
    code = process.wait(timeout=60)
    os.close(master)
    return code, shown


def test_add_json_into_a_file_asks_on_the_terminal_and_writes_json_only(journal_home, tmp_path):
    """Review 32c #6: `add --json > file` on a terminal wrote `Finished when?` into the file (the question
    on stdout): the file was no JSON and the reader saw no question while readlog waited; so did a y/n
    question (`Add it as a separate book?`)."""
    out = tmp_path / "added.json"
    code, _ = _json_into_a_file(
        journal_home, out, ["add", "Dune", "-a", "Frank Herbert", "--json"], [(b"Finished when?", b"2021")]
    )
    added = json.loads(out.read_text(encoding="utf-8"))
    assert code == 0 and added["title"] == "Dune" and added["reads"][-1]["finished"] == "2021"
    backup = tmp_path / "b.json"  # (a book of that title with no author: `add` asks before adding another)
    backup.write_text(json.dumps([{"title": "Piranesi", "status": "want"}]), encoding="utf-8")
    subprocess_env = {"READLOG_HOME": str(journal_home)}
    import os
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "readlog", "import", str(backup)], env={**os.environ, **subprocess_env},
                   check=True, capture_output=True)  # fmt: skip
    code, shown = _json_into_a_file(
        journal_home,
        out,
        ["add", "Piranesi", "-a", "Susanna Clarke", "--json", "--finished", "2022"],
        [(b"separate book?", b"y")],
    )
    assert code == 0, shown
    assert json.loads(out.read_text(encoding="utf-8"))["authors"] == ["Susanna Clarke"]
