"""Text in every script and encoding comes in whole (session 23, try-out 23a finding 1): a delimited file is
decoded cell by cell, a UTF-8 cell is never re-read, and a cell that cannot be read with confidence stops the
import naming its line and column and the way out (`--encoding`), with nothing written and no U+FFFD."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from readlog.errors import ReadlogError
from readlog.text import decode_lines
from test_import_export import GR_HEADER, gr_row

NAMES = GR_HEADER.split(",")


def gr_bytes(*rows: dict[str, str], cells: dict[tuple[int, str], str] | None = None) -> bytes:
    """A Goodreads CSV in UTF-8, where `cells[(row, column)]` (row 1 the first after the header) is
    written in that encoding instead: one cell, the rest of its line UTF-8."""
    out = io.StringIO()
    writer = csv.DictWriter(out, NAMES, lineterminator="\r\n")
    writer.writeheader()
    marks = {}
    for number, row in enumerate(rows, 1):
        row = dict(row)
        for (at, column), _ in (cells or {}).items():
            if at == number:
                marks[f"@{number}{column}@"] = row[column]
                row[column] = f"@{number}{column}@"
        writer.writerow(row)
    data = out.getvalue().encode("utf-8")
    for (at, column), encoding in (cells or {}).items():
        mark = f"@{at}{column}@"
        data = data.replace(mark.encode(), marks[mark].encode(encoding))
    return data


def imported_books(run) -> dict[str, dict]:
    return {b["title"]: b for b in json.loads(run("export", "--format", "json").stdout)}


def test_a_cp1251_cell_in_a_utf8_line_is_read_alone_and_its_utf8_cells_stay_whole(run, tmp_path: Path):
    path = tmp_path / "gr.csv"
    path.write_bytes(
        gr_bytes(
            gr_row(**{"Book Id": "1", "Title": "Мы", "Author": "Евгений Замятин"}),
            gr_row(**{"Book Id": "2", "Title": "Преступление и наказание", "Author": "Фёдор Достоевский"}),
            gr_row(**{"Book Id": "3", "Title": "Café Ütopia", "Author": "Zoë Kōbō"}),
            cells={(1, "Author"): "cp1251", (2, "Author"): "cp1251", (2, "Title"): "cp1251"},
        )
    )
    result = run("import", str(path))
    assert f"{path}: lines 2, 3: not UTF-8, read as Windows-1251" in result.stderr
    got = imported_books(run)
    assert got["Мы"]["authors"] == ["Евгений Замятин"]  # the UTF-8 title of the same line kept
    assert got["Преступление и наказание"]["authors"] == ["Фёдор Достоевский"]
    assert got["Café Ütopia"]["authors"] == ["Zoë Kōbō"]
    assert "\ufffd" not in run("export", "--format", "json").stdout


def test_a_whole_shift_jis_file_is_read_as_shift_jis(run, tmp_path: Path):
    titles = ["吾輩は猫である", "こころ", "ワンピース 2巻"]
    rows = [gr_row(**{"Book Id": str(n), "Title": t, "Author": "夏目漱石"}) for n, t in enumerate(titles, 1)]
    path = tmp_path / "sjis.csv"
    path.write_bytes(
        gr_bytes(*rows, cells={(n, c): "shift_jis" for n in (1, 2, 3) for c in ("Title", "Author")})
    )
    result = run("import", str(path))
    assert f"{path}: lines 2, 3, 4: not UTF-8, read as Shift-JIS" in result.stderr
    assert set(imported_books(run)) == set(titles)


def test_a_whole_cp1251_file_is_not_mojibake(run, tmp_path: Path):
    path = tmp_path / "cp1251.csv"
    row = gr_row(
        **{"Title": "Преступление и наказание", "Author": "Фёдор Достоевский", "My Review": "Великая книга."}
    )
    path.write_bytes(gr_bytes(row).decode().encode("cp1251"))
    run("import", str(path))
    got = imported_books(run)["Преступление и наказание"]
    assert got["authors"] == ["Фёдор Достоевский"]


def test_a_shift_jis_cell_among_cp1251_ones_is_refused_naming_it_and_nothing_is_written(run, tmp_path, books):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        gr_bytes(
            gr_row(**{"Book Id": "1", "Title": "Мы", "Author": "Евгений Замятин"}),
            gr_row(**{"Book Id": "2", "Title": "砂の女", "Author": "Kōbō Abe"}),
            cells={(1, "Author"): "cp1251", (2, "Title"): "shift_jis"},
        )
    )
    result = run("import", str(path), code=1)
    assert f"{path}: line 3, column 2 (Title): not UTF-8" in result.stderr
    assert "--encoding" in result.stderr
    assert not books.exists() or not list(books.iterdir())


def test_a_short_cell_whose_encoding_cannot_be_told_is_refused_and_encoding_reads_it(run, tmp_path, books):
    path = tmp_path / "short.csv"
    path.write_bytes(gr_bytes(gr_row(Title="Мы", Author="Zamyatin"), cells={(1, "Title"): "cp1251"}))
    result = run("import", str(path), code=1)
    assert f"{path}: line 2, column 2 (Title): not UTF-8, and its encoding cannot be told" in result.stderr
    assert not books.exists() or not list(books.iterdir())
    result = run("import", str(path), "--encoding", "cp1251")
    assert f"{path}: line 2: not UTF-8, read as Windows-1251" in result.stderr
    assert set(imported_books(run)) == {"Мы"}


def test_an_unknown_encoding_is_one_line(run, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(gr_bytes(gr_row()))
    assert (
        "--encoding: 'nope' is not an encoding"
        in run("import", str(path), "--encoding", "nope", code=2).stderr  # (a usage error)
    )


def test_the_decoder_never_returns_a_replacement_character():
    # cp1252 leaves 0x81 undefined: the old decoder stored U+FFFD for it
    with pytest.raises(ReadlogError, match="line 2, column 1"):
        decode_lines(b"a,b\n\x81\xe9,x\n")
    text, lines, label = decode_lines("a,b\nCaf\u00e9,x\n".encode("cp1252"))
    assert (text, lines, label) == ("a,b\nCafé,x\n", [2], "Windows-1252")


@pytest.mark.parametrize(
    ("rows", "encoding", "label"),
    [
        (
            ["Lalka,Bolesław Prus", "Żółć i ćma,Jan Łoś", "Świetna książka,Zofia Nałkowska"],
            "cp1250",
            "Windows-1250",
        ),
        (["Η Οδύσσεια,Όμηρος", "Ζορμπάς ο Έλληνας,Νίκος Καζαντζάκης"], "cp1253", "Windows-1253"),
        # read alike in Windows-1250 and 1252 by the detector's measure: `ñ` is not `ń`
        (["España,García Márquez", "Cien años de soledad,Gabriel"], "cp1252", "Windows-1252"),
        (["Grüße aus Köln,Jürgen Weiß", "Les Misérables,Victor Hugo"], "cp1252", "Windows-1252"),
    ],
)
def test_a_whole_file_in_a_legacy_encoding_is_read_in_it(rows, encoding, label):
    raw = "\n".join(["Title,Author", *rows]).encode(encoding)
    text, lines, said = decode_lines(raw)
    assert (text, said) == ("\n".join(["Title,Author", *rows]), label)
    assert lines == list(range(2, len(rows) + 2))


def test_a_readwise_csv_goes_through_the_same_decoder_and_takes_encoding(run, tmp_path):
    readwise = tmp_path / "readwise.csv"
    readwise.write_bytes(
        b"Highlight,Book Title,Book Author,Location Type,Location\n"
        + b"\xcc\xfb,Caf\xc3\xa9 Book,Zo\xc3\xab Vale,location,40\n"  # `Мы` in Windows-1251, the rest UTF-8
    )
    result = run("import", str(readwise), "--create", "read", code=1)
    assert (
        f"{readwise}: line 2, column 1 (Highlight): not UTF-8, and its encoding cannot be told"
        in result.stderr
    )
    result = run("import", str(readwise), "--create", "read", "--encoding", "cp1251")
    assert f"{readwise}: line 2: not UTF-8, read as Windows-1251" in result.stderr
    assert {q["text"] for q in imported_books(run)["Café Book"]["quotes"]} == {"Мы"}
