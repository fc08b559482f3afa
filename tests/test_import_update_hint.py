"""A re-import skips the books already in the journal, as they are; it says that `--update` would merge
what the export says of them (a newer export's readings and ratings were otherwise skipped in silence)."""

from __future__ import annotations

from test_import_export import GR_HEADER, gr_row, write_csv

HINT = "books already in the journal were left as they are: `readlog import --update "


def test_a_reimport_says_what_update_would_do_and_an_update_does_not(run, tmp_path):
    path = write_csv(tmp_path / "my export.csv", GR_HEADER, [gr_row(Title="Dune", Author="Frank Herbert")])
    first = run("import", str(path))
    assert HINT not in first.stderr  # (nothing was here)
    newer = write_csv(
        tmp_path / "my export.csv",
        GR_HEADER,
        [gr_row(Title="Dune", Author="Frank Herbert", My_Rating="5", Date_Read="2024/02/03", Read_Count="1")],
    )
    again = run("import", str(newer))
    assert again.stdout == ""
    assert f"{HINT}'{newer}'` merges what the export says of them" in again.stderr
    assert "0 added, 0 updated, 1 skipped (already here)" in again.stderr
    updated = run("import", "--update", str(newer))
    assert HINT not in updated.stderr and "1 updated" in updated.stderr
    assert "rating = 5" in (tmp_path / "journal" / "books" / "dune.toml").read_text(encoding="utf-8")
