"""Session 23's review of the per-cell decoder: a Western spreadsheet's stray Windows-1252 bytes (`¿Qué?`, a
non-breaking space) are read as Windows-1252 as before, not refused with a Greek or Korean example; a
quoted header name holding a comma does not shift the column a refusal names; `--encoding` never turns a
file that is UTF-8 throughout into something else, and an unknown one is a usage error (exit 2)."""

from __future__ import annotations

from readlog.text import _header_names, decode_lines

HEAD = b"Book Id,Title,Author,Exclusive Shelf,My Rating,My Review\n"


def test_stray_western_bytes_are_windows_1252():
    for cell, text in ((b"\xbfQu\xe9?", "¿Qué?"), (b"Great\xa0book", "Great\u00a0book"), (b"50\x80", "50€")):
        decoded, lines, said = decode_lines(HEAD + b"1,Dune,Frank Herbert,read,4," + cell + b"\n")
        assert text in decoded and lines == [2] and said == "Windows-1252", cell


def test_a_quoted_header_name_with_a_comma_is_one_column():
    header = b'TITLE,"AUTHOR (first, last)","AUTHOR (last, first)",DATE,SUBJECTS\n'
    assert _header_names(header + b"x\n", b",") == [
        "TITLE", "AUTHOR (first, last)", "AUTHOR (last, first)", "DATE", "SUBJECTS",
    ]  # fmt: skip


def test_encoding_never_rereads_a_utf8_file(run, tmp_path, books):
    path = tmp_path / "utf8.csv"
    path.write_bytes(HEAD + "1,Dune,Frank Herbert,read,4,Très bien\n".encode())
    run("import", str(path), "--encoding", "cp037")
    assert "Très bien" in (books / "dune.toml").read_text(encoding="utf-8")
    assert "not an encoding" in run("import", str(path), "--encoding", "bogus", code=2).stderr
