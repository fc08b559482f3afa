"""readlog.lazyclass: a dataclass made at its first use behaves as the one `@dataclass` makes at import, and
the modules every command imports make no dataclass at import that a command may never use."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field

import pytest

from readlog.lazyclass import dataclass_when_used, made


def _pair(**options: bool) -> tuple[type, type]:
    """The same class twice: one made by `@dataclass(**options)` now, one by `dataclass_when_used`."""

    def body() -> dict[str, object]:
        return {
            "__annotations__": {"name": "str", "tags": "list[str]", "rating": "int | None"},
            "tags": field(default_factory=list),
            "rating": None,
            "__module__": __name__,
        }

    plain = dataclass(**options)(type("Plain", (), body()))  # type: ignore[call-overload]
    later = dataclass_when_used(**options)(type("Later", (), body()))
    return plain, later


@pytest.mark.parametrize("options", [{}, {"frozen": True}, {"eq": False}])
def test_a_class_made_when_used_behaves_as_dataclass_makes_it(options):
    plain, later = _pair(**options)
    assert "_dataclass_when_used" in later.__dict__  # not made at definition
    a, b = later("Piranesi", ("fantasy",)), later("Piranesi", ("fantasy",))
    assert "_dataclass_when_used" not in later.__dict__  # made by the first instance
    p = plain("Piranesi", ("fantasy",))
    assert repr(a).replace("Later", "Plain") == repr(p)
    assert (a == b) == (p == plain("Piranesi", ("fantasy",)))
    assert (a == later("Other")) is False
    assert later("x").tags == [] and later("x").tags is not later("y").tags  # the default factory
    if options.get("frozen"):
        assert hash(a) == hash(b)
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.name = "x"
    elif options.get("eq", True):
        with pytest.raises(TypeError, match="unhashable"):
            hash(a)
    else:
        assert hash(a) != hash(b)  # eq=False: identity, as object's
    with pytest.raises(TypeError):
        later("a", ("b",), 3, "too many")


@pytest.mark.parametrize("options", [{}, {"frozen": True}])
def test_the_first_use_may_be_any_of_them(options):
    """Compared, hashed, shown, asked for its fields, turned into a dict, replaced, before any __init__: each
    makes the class first (an instance never __init__-ed: one unpickled from a worker process)."""
    for first in ("eq", "hash", "repr", "fields", "asdict", "replace", "is_dataclass", "fields of the class"):
        _, later = _pair(**options)
        bare = object.__new__(later)
        bare.__dict__.update(name="Klara", tags=(), rating=4)
        thawed = copy.copy(bare) if first != "fields of the class" else bare  # (as unpickled: no __init__)
        assert "_dataclass_when_used" in later.__dict__
        if first == "eq":
            assert thawed == bare
        elif first == "hash":
            if options.get("frozen"):
                assert isinstance(hash(thawed), int)
            else:
                with pytest.raises(TypeError, match="unhashable"):
                    hash(thawed)
        elif first == "repr":
            assert repr(thawed) == "Later(name='Klara', tags=(), rating=4)"
        elif first == "fields":
            assert [f.name for f in dataclasses.fields(thawed)] == ["name", "tags", "rating"]
        elif first == "asdict":
            assert dataclasses.asdict(thawed) == {"name": "Klara", "tags": (), "rating": 4}
        elif first == "replace":
            assert dataclasses.replace(thawed, rating=5).rating == 5
        elif first == "is_dataclass":
            assert dataclasses.is_dataclass(thawed) and dataclasses.is_dataclass(later)
        else:
            assert [f.name for f in dataclasses.fields(later)] == ["name", "tags", "rating"]
        assert "_dataclass_when_used" not in later.__dict__, first


def test_a_dataclass_subclass_made_first_has_the_fields_of_its_base():
    _, later = _pair()
    sub = dataclass(
        type("Sub", (later,), {"__annotations__": {"extra": "int"}, "extra": 0, "__module__": __name__})
    )
    assert [f.name for f in dataclasses.fields(sub)] == ["name", "tags", "rating", "extra"]
    assert repr(sub("Piranesi", extra=2)) == "Sub(name='Piranesi', tags=[], rating=None, extra=2)"
    assert later("Piranesi") == later("Piranesi")


def test_made_once_when_many_threads_use_it_at_once():
    _, later = _pair(frozen=True)
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def use() -> None:
        start.wait()
        try:
            assert later("a") == later("a")
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            errors.append(error)

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert made(later) is later and "_dataclass_when_used" not in later.__dict__


# Dataclasses a command's start-up may make at import: each is needed at import itself (its fields read to
# build a table, its instances made at module level) or is the base of another dataclass.
MADE_AT_IMPORT = {
    "readlog.model.BookSummary",  # Book's base
    "readlog.model.Summary",  # Entry's base
    "readlog.config.Key",  # the settings' table, made at import
    "readlog.cli.app.State",  # made by every command (and cli/ imports only its own layer: test_layers)
}

# What a title write imports (python -X importtime of `readlog progress TITLE N`), and what list, show, next
# and stats import besides.
STARTUP_MODULES = [
    "readlog.cli.app",
    "readlog.actions.books",
    "readlog.actions.lifecycle",
    "readlog.actions.tags",
    "readlog.actions.find",
    "readlog.actions.queue",
    "readlog.config",
    "readlog.identity",
    "readlog.index",
    "readlog.journal",
    "readlog.model",
    "readlog.reading",
    "readlog.queue",
    "readlog.stats",
    "readlog.goals",
    "readlog.render",
    "readlog.bookfile",
    "readlog.tomlwrite",
]


def test_the_modules_every_command_imports_make_no_dataclass_a_command_may_not_use():
    """Each dataclass made at import costs ~0.3 ms of every start-up: one added to these modules with
    `@dataclass` instead of `@dataclass_when_used` fails here (unless it must be made at import: then it
    belongs in MADE_AT_IMPORT, with the reason)."""
    probe = (
        "import dataclasses, importlib, json, sys\n"
        "made = []\n"
        "real = dataclasses._process_class\n"
        "def counted(cls, *a, **k):\n"
        "    made.append(cls.__module__ + '.' + cls.__qualname__)\n"
        "    return real(cls, *a, **k)\n"
        "dataclasses._process_class = counted\n"
        f"for name in {STARTUP_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(made))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    made_now = {name for name in json.loads(result.stdout) if name.startswith("readlog.")}
    assert made_now <= MADE_AT_IMPORT, sorted(made_now - MADE_AT_IMPORT)
    assert "readlog.model.BookSummary" in made_now  # (the probe sees what it should)


# Patterns compiled at import on purpose, each with the reason (none so far: one compiled in a function, or by
# a module no everyday command imports, is not counted).
COMPILED_AT_IMPORT: set[str] = set()


def test_the_modules_every_command_imports_compile_no_pattern_at_import():
    """Each regular expression compiled at import costs ~0.6M instructions of every start-up (forty did:
    3% of `next` at 10,000 books): a module-level one is `pattern_when_used(...)`, compiled at its first
    use. One compiled with `re.compile` at import fails here."""
    probe = (
        "import importlib, json, re, sys\n"
        "import re._compiler as compiler\n"
        "made = []\n"
        "real = compiler.compile\n"
        "def counted(pattern, flags=0):\n"
        "    frame = sys._getframe(1)\n"
        "    while frame is not None and frame.f_globals.get('__name__', '').split('.')[0] == 're':\n"
        "        frame = frame.f_back\n"
        "    where = frame.f_globals.get('__name__', '') if frame is not None else ''\n"
        "    if where.startswith('readlog'):\n"
        "        made.append(f'{where}:{frame.f_lineno}')\n"
        "    return real(pattern, flags)\n"
        "compiler.compile = counted\n"
        f"for name in {STARTUP_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "from readlog.model import parse_isbn\n"
        "parse_isbn('978-0-14-303943-3', 'isbn')\n"  # (a lazy one, used: the probe sees a compile)
        "print(json.dumps(made))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    compiled = json.loads(result.stdout)
    at_import = {where for where in compiled if not where.startswith("readlog.lazyclass")}
    assert at_import <= COMPILED_AT_IMPORT, sorted(at_import - COMPILED_AT_IMPORT)
    assert any(where.startswith("readlog.lazyclass") for where in compiled)  # (the probe sees compiles)


def test_a_pattern_compiled_when_used_is_the_compiled_pattern():
    from readlog.lazyclass import pattern_when_used

    lazy = pattern_when_used(r"(\d+)-(\d+)", re.ASCII)
    assert lazy.fullmatch("12-34").groups() == ("12", "34")  # type: ignore[union-attr]
    assert lazy.sub(r"\2", "1-2 3-4") == "2 4"
    assert lazy.pattern == r"(\d+)-(\d+)" and lazy.flags == re.compile(lazy.pattern, re.ASCII).flags


def test_the_domain_imports_dataclasses_without_inspect_until_a_class_asks_for_it():
    """readlog.lazyclass imports dataclasses with `inspect` (ast, dis, tokenize: a sixth of the instructions
    of a `readlog sync` that commits one book) left out until dataclasses asks for it, which it does only to
    write the `__doc__` of a class without one, and pathlib without `urllib.parse` (ipaddress), which it
    uses only for `as_uri`: the domain's modules and every class they make, made, load none of them; a class
    without a docstring loads inspect, and has the `__doc__` dataclass writes; `as_uri` is pathlib's."""
    probe = (
        "import sys\n"
        "import readlog.lazyclass\n"  # (first, as readlog.__main__ imports it for a plain sync)
        "import readlog.journal, readlog.identity, readlog.model, readlog.sync.describe, readlog.sync.repo\n"
        "from readlog.lazyclass import made\n"
        "for module in (readlog.model, readlog.identity):\n"
        "    for value in list(vars(module).values()):\n"
        "        if isinstance(value, type) and '_dataclass_when_used' in value.__dict__:\n"
        "            made(value)\n"
        "print(*(name in sys.modules for name in ('inspect', 'ast', 'urllib.parse', 'ipaddress')))\n"
        "import dataclasses, pathlib\n"
        "@dataclasses.dataclass\n"
        "class Plain:\n"
        "    name: str\n"
        "    rating: int = 0\n"
        "print(Plain.__doc__, 'inspect' in sys.modules)\n"
        "print(pathlib.PurePosixPath('/a b/ü').as_uri(), 'urllib.parse' in sys.modules)\n"
        "import urllib.parse\n"  # (the real module, for anyone who imports it)
        "print(urllib.parse.quote('a b'), type(sys.modules['urllib.parse']).__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    # (Python 3.12's dataclasses asks inspect for every class's annotations: there the stand-in gives way at
    # the first class made, and only pathlib's saving is left)
    left_out = "False False" if sys.version_info < (3, 12) else "True True"
    assert result.stdout.splitlines() == [
        f"{left_out} False False",
        "Plain(name: str, rating: int = 0) True",
        "file:///a%20b/%C3%BC True",
        "a%20b module",
    ]


def test_a_module_that_asks_its_stand_in_for_a_name_as_it_imports_gets_the_real_module():
    """`imported_without` where the module takes a name from the one left out as it imports (as another
    Python's dataclasses or pathlib may): the real module is imported then, and stays."""
    probe = (
        "import sys\n"
        "from readlog.lazyclass import imported_without\n"
        "imported_without('fractions', 'decimal')\n"  # (fractions: `from decimal import Decimal`)
        "import fractions, decimal\n"
        "print(fractions.Fraction(decimal.Decimal('0.5')), type(sys.modules['decimal']).__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout == "1/2 module\n"
