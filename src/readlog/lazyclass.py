"""`@dataclass`, made when the class is first used instead of when its module is imported; a regular
expression compiled when first used (`pattern_when_used`); and dataclasses and pathlib imported without the
modules they import for what readlog does not ask of them (`imported_without`, below).

Making a dataclass compiles its `__init__`, `__repr__` and `__eq__` (and, frozen, `__hash__`, `__setattr__`,
`__delattr__`) from source: 0.2-0.5 ms a class on Python 3.11. Every command imports the modules of the
domain, and with them some thirty dataclasses, most of which that command never makes an instance of (a
title write never meets a search hit, a suggestion or a site page): made at import they cost ~10 ms of each
start-up. A class decorated here holds stand-ins for the methods dataclass would write; the first call of any
(an instance made, compared, hashed or shown) makes the class for real and then does what was asked.

`dataclasses.fields`, `asdict`, `replace` and `is_dataclass` make the class too (they ask for its
`__dataclass_fields__`), on the class itself or on an instance that was never `__init__`-ed (unpickled: a
worker's result), and so does a dataclass subclass being made (it reads its bases' fields so). Not for
`slots=True`, which makes a new class.
"""

from __future__ import annotations

import sys
from _thread import allocate_lock
from types import ModuleType


class _WhenUsed(ModuleType):
    """A module of the standard library, stood in for while another imports it (`imported_without`): any
    name asked of it later is the real module's, imported then."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)  # (the import system's questions: `__path__`...)
        if sys.modules.get(self.__name__) is self:  # asked while it stands in (another Python's module
            del sys.modules[self.__name__]  # may ask more as it imports): the real module, from now on
        return getattr(_imported(self.__name__), name)


def imported_without(module: str, skipped: str, **names: Any) -> None:
    """Import `module` with a stand-in for `skipped`, only while it imports (every other import of `skipped`
    gets the real module), holding `names`: what `module` takes from it as it imports (`forwarding`). As it
    is when either is imported already."""
    if module in sys.modules or skipped in sys.modules:
        return
    stand_in = sys.modules[skipped] = _WhenUsed(skipped)
    stand_in.__dict__.update(names)
    try:
        _imported(module)
    finally:
        if sys.modules.get(skipped) is stand_in:
            del sys.modules[skipped]


def _imported(module: str) -> ModuleType:
    """`module`, imported (as an import statement does it: `python -X importtime` lists it)."""
    __import__(module)
    return sys.modules[module]


def forwarding(module: str, name: str) -> Any:
    """A function that calls `module`'s function `name`, imported at the first call."""

    def forward(*args: Any, **kwargs: Any) -> Any:
        return getattr(_imported(module), name)(*args, **kwargs)

    forward.__qualname__ = forward.__name__ = name
    return forward


# Two imports of the standard library that a `readlog sync` of one book made for nothing (found with
# `python -X importtime`, counted with callgrind; tests/test_lazyclass.py holds them out):
# - dataclasses imports `inspect` (with ast, dis and tokenize: a sixth of the sync's instructions) only to
#   write the `__doc__` of a class that has none (`inspect.signature`): readlog's dataclasses have one
#   (Python 3.12's asks it for every class's annotations: there the stand-in gives way at the first class);
# - pathlib imports `urllib.parse` (with ipaddress: a twentieth) only for `Path.as_uri`. This holds only where
#   this module is imported before pathlib: the sync's plain path (readlog.__main__) imports it first.
imported_without("dataclasses", "inspect")
imported_without("pathlib", "urllib.parse", quote_from_bytes=forwarding("urllib.parse", "quote_from_bytes"))

from collections.abc import Callable  # noqa: E402
from dataclasses import Field, dataclass, field  # noqa: E402
from typing import TYPE_CHECKING, Any, TypeVar, dataclass_transform, overload  # noqa: E402

if TYPE_CHECKING:
    import re

_T = TypeVar("_T")

_STAND_INS = ("__init__", "__eq__", "__hash__", "__repr__")
_making = allocate_lock()  # (_thread: loaded already, where threading may not be)


def made(cls: type[_T]) -> type[_T]:
    """`cls` as `@dataclass` makes it (made now if it was not yet)."""
    if "_dataclass_when_used" in cls.__dict__:
        with _making:  # (two threads at once: made once)
            options = cls.__dict__.get("_dataclass_when_used")
            if options is not None:
                for name in (*_STAND_INS, "__dataclass_fields__"):
                    delattr(cls, name)
                dataclass(**options)(cls)
                delattr(cls, "_dataclass_when_used")
    return cls


class _Fields:
    """The class's `__dataclass_fields__` until it is made: asked for (`dataclasses.fields`, `asdict`,
    `replace`, `is_dataclass`, on the class or on an instance never `__init__`-ed, such as one unpickled), it
    makes the class and answers with the real one."""

    def __init__(self, cls: type) -> None:
        self.cls = cls

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        return made(self.cls).__dict__["__dataclass_fields__"]


def _stand_ins(cls: type[_T], options: dict[str, bool]) -> type[_T]:
    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        made(cls).__init__(self, *args, **kwargs)

    def eq(self: Any, other: Any) -> Any:
        return made(cls).__eq__(self, other)

    def hash_(self: Any) -> int:
        real = made(cls).__hash__
        if real is None:  # (eq and not frozen: unhashable, as dataclass makes it)
            raise TypeError(f"unhashable type: {cls.__name__!r}")
        return int(real(self))

    def repr_(self: Any) -> str:
        return str(made(cls).__repr__(self))

    cls._dataclass_when_used = options  # type: ignore[attr-defined]
    cls.__dataclass_fields__ = _Fields(cls)  # type: ignore[attr-defined]
    for name, stand_in in zip(_STAND_INS, (init, eq, hash_, repr_), strict=True):
        stand_in.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, stand_in)
    return cls


@overload
def dataclass_when_used(cls: type[_T], /) -> type[_T]: ...


@overload
def dataclass_when_used(*, frozen: bool = False, eq: bool = True) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(field_specifiers=(field, Field))
def dataclass_when_used(
    cls: type[_T] | None = None, /, *, frozen: bool = False, eq: bool = True
) -> type[_T] | Callable[[type[_T]], type[_T]]:
    """`@dataclass`, `@dataclass(frozen=True)` or `@dataclass(eq=False)`, made at first use (see above)."""
    options = {"frozen": frozen, "eq": eq}
    if cls is None:
        return lambda later: _stand_ins(later, options)
    return _stand_ins(cls, options)


class _Pattern:
    """A regular expression compiled on first use, not at import: every command imports the domain's
    modules, and with them some forty patterns it mostly never uses (`readlog next` compares no title and
    parses no book file): compiled at import they took ~24M instructions (~3%) of `next` at 10,000 books.
    It stands in for the `re.Pattern`: each method asked for is the compiled pattern's own, kept on the
    instance so the next call finds it directly."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        compiled = _compiled(*self._source)
        value = getattr(compiled, name)
        setattr(self, name, value)
        return value


_COMPILED: dict[tuple[str, int], re.Pattern[str]] = {}


def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    found = _COMPILED.get((pattern, flags))
    if found is None:
        import re

        found = _COMPILED[pattern, flags] = re.compile(pattern, flags)
    return found


def pattern_when_used(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, compiled the first time one of its methods or attributes is asked for
    (a module-level pattern: `match`, `search`, `sub`, `pattern`..., never `isinstance(p, re.Pattern)`)."""
    return _Pattern(pattern, flags)  # type: ignore[return-value]
