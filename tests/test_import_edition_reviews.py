"""Two editions of one work in one export, each with a review of its own: the book keeps the first as its
review and the second with its edition (`[[source.<name>.editions]]`), and now says so at the import and
shows it (`readlog show`, "Review of another edition"); it was in no view at all."""

from __future__ import annotations

from test_import_export import GR_HEADER, gr_row, write_csv


def test_another_editions_review_is_said_and_shown(run, tmp_path, books):
    rows = [
        gr_row(**{"Book Id": "1", "Title": "The Wandering Earth", "Author": "Cixin Liu", "Binding": "Paperback",
                  "My Review": "Short stories that stay with you.", "Date Read": "2024/01/02", "Read Count": "1"}),
        gr_row(**{"Book Id": "2", "Title": "The Wandering Earth", "Author": "Cixin Liu", "Binding": "Hardcover",
                  "My Review": "An epic scope across the stories.", "Date Read": "2024/03/02", "Read Count": "1"}),
        gr_row(**{"Book Id": "3", "Title": "Ball Lightning", "Author": "Cixin Liu", "Binding": "Hardcover",
                  "My Review": "Odd and good."}),
        gr_row(**{"Book Id": "4", "Title": "Ball Lightning", "Author": "Cixin Liu", "Binding": "Paperback",
                  "My Review": "Odd and good."}),  # the same review twice: nothing to say, nothing kept twice
    ]  # fmt: skip
    result = run("import", str(write_csv(tmp_path / "export.csv", GR_HEADER, rows)))
    said = [line for line in result.stderr.splitlines() if "review of" in line]
    assert said == [
        "1 other edition of books added had a review of its own: kept with that edition "
        "(`readlog show BOOK` shows it)"
    ]
    assert "2 joined to another row's book" in result.stderr
    shown = run("show", "the wandering earth", env={"COLUMNS": "100"}).stdout
    assert "Short stories that stay with you." in shown
    assert "Review of another edition" in shown and "An epic scope across the stories." in shown
    assert "Hardcover, goodreads Book Id 2" in shown
    assert "Review of another edition" not in run("show", "ball lightning").stdout
    again = run("import", str(tmp_path / "export.csv")).stderr  # (nothing added: nothing to say again)
    assert "review of" not in again and "2 joined" in again
