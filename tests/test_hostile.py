"""A corpus of hostile input through every command: no traceback, exit 0 or 1 with a one-line message,
nothing outside the data directory touched, no existing file changed unless the command succeeded, and
nothing the input contains is ever obeyed by the terminal."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest

from conftest import snapshot
from readlog.text import clean_name, control_codes

HOSTILE = {
    "rich-markup": "[bold red]Evil[/]",
    "rich-link": "[link=file:///etc/passwd]click[/link]",
    "ansi-colour": "\x1b[31mred\x1b[0m",
    "ansi-clear": "\x1b[2J\x1b[Hgone",
    "osc52-clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "osc8-link": "\x1b]8;;https://evil.example\x1b\\click me\x1b]8;;\x1b\\",
    "c1-csi": "\x9b31mred",
    "nul": "nul\x00byte",
    "bell-backspace": "ring\x07\x08\x08",
    "carriage-return": "safe\rEVIL",
    "rtl-override": "\u202egnp.exe",
    "arabic": "مرحبا بالعالم",
    "combining": "e\u0301\u0301\u0301\u0301",
    "zalgo": "Z̴̡̢͔a̷l̸g̶o̵",
    "emoji": "😀📚🏳️‍🌈",
    "cjk": "ノルウェイの森",
    "megabyte": "x" * 1_000_000,
    "traversal": "../../etc/passwd",
    "absolute": "/etc/passwd",
    "dotdot": "..",
    "windows-con": "CON",
    "windows-aux": "aux.txt",
    "case-twin": "DUNE",
    "toml-basic-close": 'a"\nrating = 5\n[x]',
    "toml-triple-basic": '"""',
    "toml-triple-literal": "'''",
    "toml-table-close": "]]",
    "toml-table-inject": "x'''\n[[reads]]\nrating = 5\n'''",
    "bom": "\ufeffBOM title",
    "crlf": "line1\r\nline2",
    "whitespace": " \t ",
    "empty": "",
    "surrogate": "bad\udcffbyte",
    "format-string": "%s%n%x{0}",
    "shell": "$(rm -rf ~)`id`",
    "nan": "nan",
    "inf": "inf",
    "negative": "-1",
    "huge-number": "1e309",
    "bad-date": "2023-02-30",
    "bad-month": "2023-13",
    "zero-date": "0000-00-00",
}

# Each template puts the hostile text in one place of one command. "base" is a book already in the journal.
TEMPLATES = {
    "add-title": ["add", "{}", "-a", "Author"],
    "add-author": ["add", "Title", "-a", "{}"],
    "add-tag": ["add", "Title", "-a", "Author", "--tag", "{}"],
    "add-headline": ["add", "Title", "-a", "Author", "--headline", "{}"],
    "add-review": ["add", "Title", "-a", "Author", "--review", "{}"],
    "add-rating": ["add", "Title", "-a", "Author", "--rating", "{}"],
    "add-finished": ["add", "Title", "-a", "Author", "--finished", "{}"],
    "add-isbn": ["add", "Title", "-a", "Author", "--isbn", "{}"],
    "add-status": ["add", "Title", "-a", "Author", "--status", "{}"],
    "reflect-text": ["reflect", "base", "{}"],
    "reflect-date": ["reflect", "base", "text", "--date", "{}"],
    "quote-text": ["quote", "base", "{}"],
    "quote-location": ["quote", "base", "text", "--location", "{}"],
    "quote-note": ["quote", "base", "text", "--note", "{}"],
    "pick-title": ["next", "add", "{}", "-a", "Author", "--from", "base"],
    "pick-why": ["next", "add", "Pick", "-a", "Author", "--from", "base", "--why", "{}"],
    "want-title": ["next", "add", "{}", "-a", "Author"],
    "show": ["show", "{}"],
    "show-json": ["show", "{}", "--json"],
    "rm": ["rm", "{}"],
    "drop": ["next", "drop", "{}"],
    "from": ["next", "add", "Pick", "-a", "Author", "--from", "{}"],
}

TEMPLATE_FLAGS = {part for template in TEMPLATES.values() for part in template if part.startswith("-")}
UNOBEYED = ("\x1b", "\x07", "\x08", "\x00", "\x9b", "\r")


@pytest.fixture(scope="module")
def base_journal(tmp_path_factory) -> Path:
    from readlog.actions import books as actions
    from readlog.actions.books import ReviewText
    from readlog.journal import Journal

    root = tmp_path_factory.mktemp("base") / "journal"
    # (made before journal_home sets READLOG_CACHE: its index goes to a cache folder of its own)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("READLOG_CACHE", str(root.parent / "cache"))
        journal = Journal(root)
        actions.add_book(journal, "Base", ["Someone"], review=ReviewText(None, "A review."))
        actions.add_book(journal, "Dune", ["Frank Herbert"])
    return root


def run_case(run, base_journal, tmp_path, monkeypatch, args):
    home = tmp_path / "journal"
    shutil.copytree(base_journal, home)
    monkeypatch.setenv("READLOG_HOME", str(home))
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    outside = snapshot(tmp_path)
    before = snapshot(home / "books")
    result = run.runner.invoke(__import__("readlog.cli").cli.app, args)
    if result.exit_code == 2 and "No such option" in result.stderr:
        # a value that starts with "-" where an argument goes reads as an option
        assert any(a.startswith("-") and a not in TEMPLATE_FLAGS for a in args)
        return result, home
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)  # 2: a value out of range
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for char in UNOBEYED:
        assert char not in result.stdout and char not in result.stderr, repr(char)
    if result.exit_code in (1, 2):
        assert result.stderr.startswith("readlog: error:") and result.stderr.count("\n") == 1, result.stderr
        assert snapshot(home / "books") == before
    ours = ("journal/", "cache/")  # the data dir, and the index cache readlog keeps for it
    after = {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(ours)}
    assert after == {k: v for k, v in outside.items() if not k.startswith(ours)}
    assert list(cwd.iterdir()) == []
    return result, home


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input(run, base_journal, tmp_path, monkeypatch, template, name):
    value = HOSTILE[name]
    args = [value if part == "{}" else part for part in TEMPLATES[template]]
    result, home = run_case(run, base_journal, tmp_path, monkeypatch, args)
    if result.exit_code == 0 and template in ("add-title", "want-title"):
        # what was accepted is stored as every way in takes a title (composed: text is taken in as NFC,
        # README "One form of each letter"; its control characters dropped, the text kept: text.clean_name,
        # t25e), and every file is still a valid book
        slug = next(iter(set(snapshot(home / "books")) - set(snapshot(base_journal / "books"))))[:-5]
        shown = json.loads(run("show", slug, "--json").stdout)
        assert shown["title"] == clean_name(unicodedata.normalize("NFC", value.strip()))
        assert not control_codes(shown["title"])
    assert run("check").exit_code == 0


FILES = {
    "bom": '\ufefftitle = "Bom"\r\n'.encode(),
    "crlf": b'title = "Crlf"\r\nrating = 4\r\n',
    "latin1": 'title = "Caf\xe9"\n'.encode("latin-1"),
    "empty": b"",
    "binary": bytes(range(256)) * 4,
    "nul": b'title = "x\x00"\n',
    "conflict": b'title = "x"\n<<<<<<< HEAD\nrating = 4\n=======\nrating = 5\n>>>>>>> b\n',
    "deep": b"title = 'x'\nextra = " + b"[" * 2000 + b"]" * 2000 + b"\n",
    "huge-int": b"title = 'x'\npages = 99999999999999999999999999\n",
    "wrong-types": b"title = 5\nauthors = 3\n",
    "datetime": b"title = 'x'\nadded = 2024-01-01T10:00:00\n",
}


@pytest.mark.parametrize(
    "command", [["list"], ["next"], ["show", "odd"], ["reflect", "odd", "x"], ["check"], ["list", "--json"]]
)
@pytest.mark.parametrize("name", FILES)
def test_hostile_book_files(run, base_journal, tmp_path, monkeypatch, name, command):
    home = tmp_path / "journal"
    shutil.copytree(base_journal, home)
    (home / "books" / "odd.toml").write_bytes(FILES[name])
    monkeypatch.setenv("READLOG_HOME", str(home))
    before = snapshot(home / "books")
    result = run.runner.invoke(__import__("readlog.cli").cli.app, command)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 1 or command[0] != "reflect":
        assert snapshot(home / "books") == before
    if command[0] in ("list", "next"):
        assert result.exit_code == 0  # one bad file never breaks the journal
