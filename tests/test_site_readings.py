"""Try-out 28d #2: a book page listed the readings in the file's order and left out the undated ones
(*Hellboy, Vol. 2*: "Read finished 30 November 2014; finished 1 May 2010; finished 1 May 2020", where `show`
says "Read 4 times: date unknown; 2010-05-01 (★★★☆☆ 3); 2014-11-30; 2020-05-01 (★★★★☆ 4)"). Now the page lists
the readings `show` lists, in its order (reading.in_date_order), an undated one as "date unknown", each with
its own rating and the count when there are more than one; a page with one dated reading is as it was."""

from __future__ import annotations

import re

REREAD = (
    'schema = 2\ntitle = "Hellboy, Vol. 2"\nstatus = "read"\nrating = 4.0\nadded = 2024-08-01\n\n'
    "[[reads]]\n\n[[reads]]\nfinished = 2014-11-30\n\n[[reads]]\nfinished = 2010-05-01\nrating = 3.0\n\n"
    "[[reads]]\nfinished = 2020-05-01\nrating = 4.0\n"
)
UNDATED = 'schema = 2\ntitle = "Undated"\nstatus = "read"\nrating = 2.0\nadded = 2024-08-01\n\n[[reads]]\n'
ONCE = (
    'schema = 2\ntitle = "Once"\nstatus = "read"\nrating = 5.0\nadded = 2024-08-01\n\n'
    "[[reads]]\nstarted = 2024-01-02\nfinished = 2024-01-09\nrating = 5.0\n"
)


def _read_row(page: str) -> str:
    found = re.search(r"<dt>(Read[^<]*)</dt><dd>([^<]*)</dd>", page)
    return f"{found[1]}: {found[2]}" if found else ""


def test_a_book_page_lists_the_readings_show_lists_in_its_order(run, books, tmp_path):
    books.mkdir(parents=True)
    for slug, toml in (("hellboy", REREAD), ("undated", UNDATED), ("once", ONCE)):
        (books / f"{slug}.toml").write_text(toml, encoding="utf-8")
    assert "Read 4 times: date unknown; 2010-05-01 (★★★☆☆ 3); 2014-11-30; 2020-05-01 (★★★★☆ 4)" in (
        run("show", "hellboy").stdout
    )
    run("site", str(tmp_path / "site"), "--all")
    pages = tmp_path / "site" / "books"
    assert _read_row((pages / "hellboy.html").read_text()) == (
        "Read 4 times: date unknown; finished 1 May 2010 (rated 3 out of 5); finished 30 November 2014; "
        "finished 1 May 2020 (rated 4 out of 5)"
    )
    assert _read_row((pages / "undated.html").read_text()) == "Read: date unknown"
    # one dated reading: as before (its rating is the book's, shown above it)
    assert _read_row((pages / "once.html").read_text()) == "Read: 2 January 2024 to 9 January 2024"
