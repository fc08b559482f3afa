"""One matcher for every path: only `identity` decides whether two titles or two names are one book.
A module elsewhere that compares titles or authors itself (fuzzy matching, normalising a title or a name
to compare it, taking a surname apart) fails this test; it should ask identity's policies."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "readlog"
# identity decides; text holds the primitives identity is built from (normalize, surname, sort_name).
OWNERS = {"identity.py", "text.py"}
# Functions that take a person's name apart to compare it: only the owners call them. (`sort_name`, how a
# library files an author, only sorts.) A series' name is not a book's title: series.py may fold it.
NAME_TOOLS = {"surname", "author_key", "same_person", "name_tokens"}
TITLE_WORDS = re.compile(r"title|author", re.IGNORECASE)


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if p.name not in OWNERS or p.parent != SRC)


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(SRC)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            )
            if any(m.split(".")[0] == "rapidfuzz" for m in modules):
                found.append(f"{where}: imports rapidfuzz (fuzzy title matching belongs to identity)")
        if isinstance(node, ast.Call):
            name = _called(node)
            if name in NAME_TOOLS:
                found.append(f"{where}: calls {name}() (names are compared in identity)")
            if name == "normalize" and isinstance(node.func, ast.Name):
                argument = ast.unparse(node.args[0]) if node.args else ""
                if TITLE_WORDS.search(argument):
                    found.append(
                        f"{where}: normalize({argument}) (titles and names are compared in identity)"
                    )
    return found


def test_no_module_outside_identity_compares_titles_or_authors():
    offences = [line for path in _modules() for line in _offences(path)]
    assert not offences, "\n".join(offences)


def test_the_rule_catches_what_it_is_for(tmp_path):
    """The check itself, on a module that does each thing it forbids (so it cannot pass by seeing nothing)."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from rapidfuzz import fuzz\n"
        "from readlog.text import normalize, surname\n"
        "def same(a, b):\n"
        "    return normalize(a.title) == normalize(b.title) and surname(a.authors[0]) == 'x'\n"
        "def fine(quote):\n"
        "    return normalize(quote.text)\n"
    )
    global SRC
    saved, SRC = SRC, tmp_path
    try:
        offences = _offences(bad)
    finally:
        SRC = saved
    assert len(offences) == 4, offences  # rapidfuzz, two normalize(title)s, surname; not the quote's text


def test_the_old_copies_of_the_rule_are_gone():
    """The seven places that decided "same book" now ask identity."""
    for path, gone in [
        ("queue.py", "normalize("),
        ("actions/queue.py", "same_book"),
        ("actions/trash.py", "normalize("),
        ("lookup/openlibrary.py", "surname("),
        ("sync/merge.py", "MATCH_RULES: dict"),
        ("importers/merge.py", "EDITION_RANK"),
        ("importers/__init__.py", "same_book"),
        ("checkup.py", "same_edition_or_unknown"),
    ]:
        assert gone not in (SRC / path).read_text(), (path, gone)
