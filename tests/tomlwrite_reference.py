"""The reference: tomlwrite as it was before its fast path (issue 25), kept to check the fast one against."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

INLINE = frozenset({"series"})  # small tables (or lists of them) that read best on one line in the header
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_NOT_LITERAL = re.compile(r"'''|[\x00-\x08\x0b-\x1f\x7f]|'$|\r")


def dumps(data: dict[str, Any]) -> str:
    lines: list[str] = []
    _table_body(data, [], lines, top=True)
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _basic(key)


def _basic(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return f'"{text}"'
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m[0]) or f"\\u{ord(m[0]):04x}", text) + '"'


def _string(text: str) -> str:
    if "\n" in text and not _NOT_LITERAL.search(text):
        return "'''\n" + text + "'''"  # TOML drops the newline after the opening quotes
    if "\n" in text:  # (the multi-line basic form every write has since t24f)
        return '"""\n' + re.sub(r'\\|"{3,}|"+\Z|[\x00-\x08\x0b-\x1f\x7f]', _ml_escape, text) + '"""'
    return _basic(text)


def _ml_escape(match: re.Match[str]) -> str:
    found = match[0]
    if found[0] != '"':
        return _ESCAPES.get(found) or f"\\u{ord(found):04x}"
    quotes = "".join('\\"' if at % 3 == 2 else '"' for at in range(len(found)))
    if match.end() == len(match.string) and not quotes.endswith('\\"'):
        quotes = quotes[:-1] + '\\"'
    return quotes


def _value(value: Any, key: str = "") -> str:
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):  # (UTC as `Z`, as tomlkit writes it: try-out 33b #19)
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"  # as tomlkit does
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML ({key})")


def _is_table(key: str, value: Any) -> bool:
    return isinstance(value, dict) and key not in INLINE


def _is_table_array(value: Any, key: str = "") -> bool:
    return (
        key not in INLINE
        and isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) for v in value)
    )


def _table_body(data: dict[str, Any], path: list[str], lines: list[str], top: bool = False) -> None:
    for key, value in data.items():
        if not _is_table(key, value) and not _is_table_array(value, key):
            lines.append(f"{_key(key)} = {_value(value, key)}")
    for key, value in data.items():
        here = [*path, _key(key)]
        if _is_table(key, value):
            scalars = {k: v for k, v in value.items() if not _is_table(k, v) and not _is_table_array(v, k)}
            if scalars or not value:
                lines += ["", f"[{'.'.join(here)}]"]
            _table_body(value, here, lines)
        elif _is_table_array(value, key):
            for item in value:
                lines += ["", f"[[{'.'.join(here)}]]"]
                _table_body(item, here, lines)
