"""Owners: a rule lives in one module. Pickle only in readlog/packed.py; title keys made and compared only
in identity (and where the index and the queue's matcher use identity's keys). Read from the source with
`ast`, so a new module that breaks the rule fails here, naming the file and line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "readlog"

# Modules that serialise Python objects by running code when they read (pickle and what is built on it).
PICKLING = frozenset({"pickle", "_pickle", "cPickle", "shelve", "dill", "cloudpickle", "joblib"})
PICKLE_OWNERS = {"pickle": frozenset({"packed.py"})}  # the others: nowhere

# identity's title keys: whoever holds them can group or compare titles without asking identity.
TITLE_KEYS = frozenset(
    {
        "title_key",
        "typed_title_key",
        "main_title_key",
        "main_key",
        "title_parts",
        "stored_title",
        "pick_title_key",
        "title_prefixes",
        "whole_title_keys",
        "lookup_keys",
    }
)
TITLE_OWNERS = frozenset(
    {
        "identity.py",  # makes them
        "index/rows.py",  # stores them (norm_title, book_keys, pick_titles)
        "index/queries.py",  # runs SQL over them
        "queue.py",  # the queue's matcher: picks to books by identity's pick keys
    }
)
FOLDING = frozenset({"casefold", "lower", "upper", "normalize"})


def _names(node: ast.AST) -> set[str]:
    """Every identifier in an expression (variables and attributes): `book.title` -> {book, title}."""
    found = set()
    for part in ast.walk(node):
        if isinstance(part, ast.Name):
            found.add(part.id)
        elif isinstance(part, ast.Attribute):
            found.add(part.attr)
    return found


def _mentions_title(node: ast.AST) -> bool:
    return any("title" in name.lower() for name in _names(node))


def violations(source: str, where: str) -> list[str]:
    """What in this module's source breaks an owner's rule, as `where:line: why`."""
    tree = ast.parse(source)
    found = []

    def pickling(module: str, line: int) -> None:
        root = module.split(".")[0]
        if root in PICKLING and where not in PICKLE_OWNERS.get(root, frozenset()):
            found.append(f"{where}:{line}: imports {module} (pickle belongs to readlog/packed.py)")

    title_owner = where in TITLE_OWNERS
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                pickling(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.module:
                pickling(node.module, node.lineno)
            if not title_owner:
                for alias in node.names:
                    if alias.name in TITLE_KEYS:
                        found.append(f"{where}:{node.lineno}: imports identity's {alias.name}")
        elif isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Name | ast.Attribute)
                and (func.id if isinstance(func, ast.Name) else func.attr) in ("__import__", "import_module")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                pickling(node.args[0].value, node.lineno)
            if not title_owner and where != "text.py":
                name = (
                    func.id
                    if isinstance(func, ast.Name)
                    else func.attr
                    if isinstance(func, ast.Attribute)
                    else ""
                )
                if name in FOLDING:
                    folded = [func.value] if isinstance(func, ast.Attribute) and name != "normalize" else []
                    if any(_mentions_title(arg) for arg in [*folded, *node.args]):
                        found.append(f"{where}:{node.lineno}: folds a title with {name}() (ask identity)")
        elif isinstance(node, ast.Attribute) and node.attr in TITLE_KEYS and not title_owner:
            found.append(f"{where}:{node.lineno}: uses identity's {node.attr}")
    return found


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_every_module_keeps_to_the_owners():
    problems = [
        problem
        for path in _modules()
        for problem in violations(path.read_text("utf-8"), path.relative_to(SRC).as_posix())
    ]
    assert problems == [], "\n".join(problems)


def test_the_owners_exist_and_use_what_they_own():
    """The allowed lists name real modules (a renamed owner must not leave a hole open)."""
    for owner in [*TITLE_OWNERS, *(m for owners in PICKLE_OWNERS.values() for m in owners)]:
        assert (SRC / owner).is_file(), owner
    assert "import pickle" in (SRC / "packed.py").read_text("utf-8")


# The checker itself, on near misses: each must be caught (or the test above proves nothing).
@pytest.mark.parametrize(
    "source",
    [
        "import pickle",
        "import pickle as p",
        "from pickle import loads",
        "import shelve",
        "import _pickle",
        "def f():\n    import dill",
        "x = __import__('pickle')",
        "import importlib\nm = importlib.import_module('pickle')",
        "from readlog.identity import main_key",
        "from readlog.identity import Twins, stored_title as key",
        "from readlog import identity\nk = identity.pick_title_key(t)",
        "import readlog.identity\nk = readlog.identity.title_prefixes(t)",
        "same = a.title.casefold() == b.title.casefold()",
        "same = title.lower() == other",
        "key = normalize(book.title)",
        "key = text.normalize(pick.title)",
    ],
)
def test_the_checker_catches(source):
    assert violations(source, "exporters/site/somewhere.py"), source


@pytest.mark.parametrize(
    "source",
    [
        "from readlog.packed import pack",
        "from readlog.identity import Twins, title_order, title_digest, same_work, pick_names_book",
        "tag = tag.casefold()",
        "key = normalize(series_name)",
        "name = author.lower()",
        "# import pickle\nx = 'pickle'",
    ],
)
def test_the_checker_lets_through(source):
    assert violations(source, "exporters/site/somewhere.py") == []


def test_the_owners_may(tmp_path):
    assert violations("import pickle", "packed.py") == []
    assert violations("from readlog.identity import stored_title", "index/rows.py") == []
    assert violations("import pickle", "index/search.py")  # not its owner any more
    assert violations("from readlog.identity import main_key", "checkup.py")


# --- what the owners offer in place of the rule written twice ---------------------------------------------
def test_twins_finds_the_earlier_things_that_share_a_title_or_a_key():
    from readlog.identity import Twins

    twins: Twins[str] = Twins()
    twins.add("dune-1965", "Dune", ["isbn:9780441013593"])
    twins.add("dune-messiah", "Dune Messiah")
    twins.add("other", "Something Else", ["isbn:9780441013593"])
    assert twins.near("DUNE") == ["dune-1965"]  # the same title however cased
    assert twins.near("Dune: Deluxe Edition") == ["dune-1965"]  # the main title's key
    assert twins.near("Other Title", ["isbn:9780441013593"]) == ["dune-1965", "other"]  # first met first
    assert twins.near("Dune", ["isbn:9780441013593"]) == ["dune-1965", "other"]  # each once
    assert twins.near("Dune Messiahs") == []
    assert twins.near("Emma") == []


def test_whole_title_books_takes_the_strongest_level():
    from readlog.identity import Candidate, whole_title_books

    books = {
        "twilight": Candidate("twilight", "Twilight", ("Stephenie Meyer",)),
        "the-twilight": Candidate("the-twilight", "The Twilight", ("Someone",)),
    }
    from readlog.identity import lookup_keys

    stored = {key: [c] for c in books.values() for key in lookup_keys(c.title)}
    assert set(whole_title_books("Twilight", lambda key: stored.get(key, []))) >= {"twilight"}
    assert whole_title_books("Dawn", lambda key: stored.get(key, [])) == {}


def test_packed_round_trip():
    from readlog.model import Book
    from readlog.packed import pack, unpack

    book = Book(title="Beloved", authors=["Toni Morrison"])
    assert unpack(pack(book, compress=True), compressed=True) == book
    assert unpack(pack([(1, -2.5)])) == [(1, -2.5)]
    assert len(pack(["x" * 1000], compress=True)) < 200
