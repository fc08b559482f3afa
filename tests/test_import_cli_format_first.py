"""Try-out 27c #7: `readlog import goodreads FILE`, a natural guess, said "Got unexpected extra argument(s)"
with the path cut short and no word of --from. The format is named now, with the command that works."""

from __future__ import annotations

from conftest import snapshot


def test_a_format_given_before_the_file_names_from(run, tmp_path, journal_home):
    export = tmp_path / "export.csv"
    export.write_text("Book Id,Title,Author\n1,Dune,Frank Herbert\n")
    err = run("import", "goodreads", str(export), "--dry-run", code=2).stderr
    line = f"`readlog import {export} --dry-run --from goodreads`"
    assert (
        f"readlog: error: 'goodreads' is a format, not a file: it goes with --from, after the file: {line}"
        in err
    )
    assert err.count("\n") == 1 and "unexpected extra argument" not in err, err
    assert "StoryGraph" in run("import", "StoryGraph", str(export), code=2).stderr.replace("storygraph", "")
    assert snapshot(journal_home) == {}
    # near miss: two files are not a format and a file (Click's words stand)
    err = run("import", str(export), str(export), code=2).stderr
    assert "unexpected extra argument" in err and "--from" not in err, err
