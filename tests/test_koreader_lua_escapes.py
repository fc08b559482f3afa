"""A KOReader sidecar's string whose Lua escapes spell bytes that are not UTF-8 (`caf\\233`: the file itself
all ASCII) was read as Latin-1 without a word, where a line of the file holding such bytes is said in one line
or refused naming it (t28h's text.decode_device): the escapes now take the same way. Text written as it is
stays as written: `Ã©` was turned into `é` when the string held an escape too."""

from __future__ import annotations

import pytest

from readlog.highlights import koreader, lua
from test_highlights_kindle import SHARED, needs_shared
from test_t23c_merge import slugs
from test_t28h_places_bytes import assert_no_replacement, quotes

FIXTURE = "metadata.epub.lua.new-annotations_frankenstein.lua"
WORDS = '"But the overflowing'  # (a highlight's text: the sidecar's first `text` is a bookmark's)


def _sidecar(tmp_path, spliced: bytes):
    """The shared Frankenstein sidecar, `spliced` (Lua source) at the start of a highlight's text, in a
    `book.sdr` folder as KOReader keeps it; the path and the line it is on."""
    raw = (SHARED / "koreader" / FIXTURE).read_bytes()
    at = raw.find(WORDS.encode()) + 1
    path = tmp_path / "frankenstein.sdr" / "metadata.epub.lua"
    path.parent.mkdir()
    path.write_bytes(raw[:at] + spliced + raw[at:])
    return path, raw[:at].count(b"\n") + 1


@needs_shared
def test_escaped_bytes_that_are_not_utf8_are_read_and_said_or_refused_naming_their_line(run, books, tmp_path):
    path, line = _sidecar(tmp_path, rb"caf\233 \u{1D4}na\xEFve ")
    assert path.read_bytes().isascii()  # (no byte of the file itself is other than ASCII)
    err = run("import", str(path), "--encoding", "ascii", "--no-input", code=1).stderr
    assert f"{path}: line {line}: not UTF-8, nor ascii as the --encoding given" in err, err
    assert not slugs(books)
    out = run("import", str(path), "--no-input").stderr
    assert f"{path}: line {line}: not UTF-8, read as Windows-1252" in out, out
    assert any(q.startswith("café ǔnaïve But the") for q in quotes(books, slugs(books)[0]))
    assert_no_replacement(books)


@needs_shared
def test_a_file_s_own_stray_line_and_an_escaped_one_are_said_in_one_line(tmp_path):
    path, line = _sidecar(tmp_path, b"caf\\233 ")
    raw = path.read_bytes().replace(b'"in Titlepage"', b'"in Title\xe9page"', 1)  # (line 9, a bookmark's)
    parsed = koreader.parse_lua(raw, encoding=None, where=str(path))
    assert (parsed.fallback_lines, parsed.fallback_encoding) == ([9, line], "Windows-1252")
    assert any(h.text.startswith("café But the") for h in parsed.highlights)


def test_lua_strings_are_bytes_spelled_by_their_escapes():
    assert lua.loads(r'return { "caf\195\169", "\xC3\xA9t\u{E9}", "Ã© \65" }') == {
        1: "café",
        2: "été",
        3: "Ã© A",
    }
    assert lua.loads(r'return { "caf\233" }', lambda cells, lines: [c.decode("cp1252") for c in cells]) == {
        1: "café"
    }
    with pytest.raises(lua.LuaError, match="not UTF-8") as error:
        lua.loads('return {\n "a",\n "caf\\233" }')  # (no reader for them given: refused, naming the line)
    assert error.value.line == 3
    assert lua.loads('return { "a \\z   b" }') == {1: "a b"}  # (`\z` and the spaces after it: refused)
    for text in (r'return { "\256" }', r'return { "\u{110000}" }'):
        with pytest.raises(lua.LuaError):
            lua.loads(text)
