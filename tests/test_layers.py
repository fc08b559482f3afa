"""The CLI is a thin room: `cli/` imports only what the command line is made of (actions, renderers, the
editor, errors, text). Anything else (the journal, the index, importers, sync, config...) is reached through
an action, so a command is "parse the arguments, call one action, render its result"."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CLI = Path(__file__).resolve().parent.parent / "src" / "readlog" / "cli"

ALLOWED = (
    "readlog.actions",
    "readlog.render",
    "readlog.editor",
    "readlog.errors",
    "readlog.text",
    "readlog.cli",
)

# The short list of exceptions, each with its reason:
JUSTIFIED = {
    # The version is defined once, in the package root (`readlog --version` prints it).
    "readlog.__version__": "the version, defined once in readlog/__init__.py",
    # Renderers that live beside their feature: pure functions from a result to Rich renderables, the same
    # layer as readlog.render (they import no journal, no index, and print nothing).
    "readlog.lookup.views": "renderer of look-up results, beside the look-up code",
    "readlog.sync.render": "renderer of sync history and conflicts, beside the sync code",
    "readlog.suggest_views": "renderer of suggestions, beside the suggester",
}


def _allowed(name: str) -> bool:
    return name in JUSTIFIED or any(name == room or name.startswith(room + ".") for room in ALLOWED)


def readlog_imports(source: str) -> list[tuple[int, str]]:
    """(line, dotted name) of every readlog import in `source`, at any depth (a lazy import inside a
    function, or one under TYPE_CHECKING, counts as much as one at the top). `from readlog import x`
    is `readlog.x`; `from readlog.a import b` is `readlog.a`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "readlog"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "readlog":
                found += [(node.lineno, f"readlog.{a.name}") for a in node.names]
            elif node.module.split(".")[0] == "readlog":
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.ImportFrom) and node.level:  # a relative import is a way round the rule
            found.append((node.lineno, "." * node.level + (node.module or "")))
        elif isinstance(node, ast.Call) and _dynamic_import(node):
            found.append((node.lineno, node.args[0].value))
    return found


def _dynamic_import(call: ast.Call) -> bool:
    """`importlib.import_module("readlog.x")` or `__import__("readlog.x")` with the name written out."""
    name = getattr(call.func, "attr", getattr(call.func, "id", ""))
    first = call.args[0] if call.args else None
    return (
        name in ("import_module", "__import__")
        and isinstance(first, ast.Constant)
        and str(first.value).startswith("readlog")
    )


def test_every_cli_module_is_checked() -> None:
    modules = sorted(p.name for p in CLI.glob("*.py"))
    assert "app.py" in modules and len(modules) >= 10


@pytest.mark.parametrize("path", sorted(CLI.glob("*.py")), ids=lambda p: p.name)
def test_cli_imports_only_its_layer(path: Path) -> None:
    past = [
        f"{path.name}:{line}: {name}"
        for line, name in readlog_imports(path.read_text())
        if not _allowed(name)
    ]
    assert not past, "cli/ imports past actions/render/editor/errors/text:\n" + "\n".join(past)


def test_each_exception_is_still_needed():
    """An exception nobody uses any more is taken off the list (it stays short and true)."""
    used = {name for path in CLI.glob("*.py") for _, name in readlog_imports(path.read_text())}
    assert set(JUSTIFIED) <= used, set(JUSTIFIED) - used


# --- the checker itself can fail: near misses --------------------------------------------------------------
@pytest.mark.parametrize(
    "source",
    [
        "from readlog.journal import Journal",
        "import readlog.index",
        "from readlog import config",
        "def f():\n    from readlog.sync import repo\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from readlog.model import Book\n",
        "from readlog import actions, journal",
        "from readlog.actionsx import thing",  # a prefix of an allowed room is not the room
        "from readlog.rendering import x",
        "from ..journal import Journal",
        "import importlib\nimportlib.import_module('readlog.importers')",
        "from readlog.lookup import views",  # the justified module by name, not its package
    ],
)
def test_a_way_past_the_layer_is_caught(source: str) -> None:
    assert any(not _allowed(name) for _, name in readlog_imports(source)), source


@pytest.mark.parametrize(
    "source",
    [
        "from readlog.actions import books",
        "from readlog.actions.find import search",
        "from readlog.render import render_book",
        "from readlog import editor",
        "from readlog.errors import ReadlogError",
        "from readlog.text import one_line",
        "from readlog.cli.app import app",
        "from readlog.lookup.views import render_found",
        "import typer\nimport importlib\nimportlib.import_module(f'readlog.cli.{name}')",
    ],
)
def test_the_layer_itself_passes(source: str) -> None:
    assert all(_allowed(name) for _, name in readlog_imports(source)), source


# --- one error form, exit codes by class -----------------------------------------------------------------
SRC = CLI.parent


def test_an_error_is_shown_in_one_place_only():
    """`readlog: error: ...` is written by cli/app.py's show_error alone: a command that wants to report an
    error raises (or calls show_error), so every error has one form."""
    places = [
        f"{path.relative_to(SRC)}:{number}"
        for path in SRC.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "readlog: error:" in line and not line.lstrip().startswith(("#", '"""', "`"))
    ]
    assert places == ["cli/app.py:" + str(_line_of(CLI / "app.py", 'complain(f"readlog: error: {one_line'))]


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_exit_codes_are_chosen_by_error_class_only():
    """Only errors.py sets an `exit_code`; nothing picks one by looking at an error's words or field, and
    the CLI exits 2 only through Click's usage errors or a ReadlogError's own code."""
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [getattr(t, "id", getattr(t, "attr", "")) for t in targets]
                assert "exit_code" not in names or path.name == "errors.py", path
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Exit" and node.args:
                code = node.args[0]
                assert not (isinstance(code, ast.Constant) and code.value == 2), f"{path}:{node.lineno}"


def test_every_readlog_error_class_has_exit_code_1_or_is_a_usage_error():
    import importlib
    import pkgutil

    import readlog
    from readlog.errors import ReadlogError, UsageError

    for info in pkgutil.walk_packages(readlog.__path__, "readlog."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)

    def every(cls: type) -> list[type]:
        return [cls, *(c for sub in cls.__subclasses__() for c in every(sub))]

    classes = every(ReadlogError)
    assert len(classes) > 12  # the errors of actions, lookup, sync... are found too
    for cls in classes:
        assert cls.exit_code == (2 if issubclass(cls, UsageError) else 1), cls
