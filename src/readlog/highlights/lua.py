"""A small reader for the Lua tables KOReader saves (`return { ... }`): data only, never executed.

Strings (double, single and long-bracket, with Lua's escapes, a backslash before a newline included),
numbers, booleans, nil, and tables with `[key] = value`, `name = value` and positional values. Anything else
(a function call, an operator) is an error with its line: the file is read, not run.
"""

from __future__ import annotations

import re
from typing import Any

MAX_DEPTH = 64


class LuaError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(f"line {line}: {message}")
        self.line = line


_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<comment>--\[(?P<ceq>=*)\[.*?\](?P=ceq)\]|--[^\n]*)
      | (?P<long>\[(?P<leq>=*)\[.*?\](?P=leq)\])
      | (?P<string>"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"|'[^'\\\n]*+(?:\\.[^'\\\n]*+)*+')
      | (?P<number>-?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<punct>[{}\[\]=,;])
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "\\": "\\",
            '"': '"', "'": "'", "\n": "\n"}  # fmt: skip


def loads(text: str) -> Any:
    """The value a KOReader sidecar returns."""
    tokens = list(_tokens(text))
    at = 0
    if tokens and tokens[0][:2] == ("name", "return"):
        at = 1
    value, at = _value(tokens, at, 0)
    if at != len(tokens):
        raise LuaError(f"unexpected {tokens[at][1]!r} after the table", tokens[at][2])
    return value


def _tokens(text: str) -> Any:
    line, position = 1, 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise LuaError(f"unexpected {text[position]!r} (not a data table)", line)
        kind = next(k for k in ("space", "comment", "long", "string", "number", "name", "punct") if match[k])
        if kind not in ("space", "comment"):
            yield kind, match[0], line
        line += match[0].count("\n")
        position = match.end()


def _value(tokens: list[tuple[str, str, int]], at: int, depth: int) -> tuple[Any, int]:
    if at >= len(tokens):
        raise LuaError("the file ends inside a table", tokens[-1][2] if tokens else 1)
    kind, text, line = tokens[at]
    if kind == "string":
        return _unquote(text[1:-1], line), at + 1
    if kind == "long":
        body = text[text.index("[", 1) + 1 : text.rindex("]", 0, -1)]
        return body.removeprefix("\n"), at + 1
    if kind == "number":
        if len(text) > 40:  # no sidecar value is that long; Python would refuse the int anyway
            raise LuaError(f"a number of {len(text):,} characters", line)
        return (int(text, 0) if re.fullmatch(r"-?(?:0[xX][0-9a-fA-F]+|\d+)", text) else float(text)), at + 1
    if kind == "name" and text in ("true", "false", "nil"):
        return {"true": True, "false": False, "nil": None}[text], at + 1
    if text == "{":
        if depth >= MAX_DEPTH:
            raise LuaError("tables nested too deeply", line)
        return _table(tokens, at + 1, depth + 1)
    raise LuaError(f"unexpected {text!r} (only data is read, never code)", line)


def _table(tokens: list[tuple[str, str, int]], at: int, depth: int) -> tuple[dict[Any, Any], int]:
    table: dict[Any, Any] = {}
    position = 1
    while True:
        if at >= len(tokens):
            raise LuaError("the file ends inside a table", tokens[-1][2])
        kind, text, line = tokens[at]
        if text == "}":
            return table, at + 1
        if text == "[" and kind == "punct":
            key, at = _value(tokens, at + 1, depth)
            at = _expect(tokens, at, "]")
            at = _expect(tokens, at, "=")
            table[key], at = _value(tokens, at, depth)
        elif kind == "name" and at + 1 < len(tokens) and tokens[at + 1][1] == "=":
            table[text], at = _value(tokens, at + 2, depth)
        else:
            table[position], at = _value(tokens, at, depth)
            position += 1
        if at < len(tokens) and tokens[at][1] in (",", ";"):
            at += 1
        elif at < len(tokens) and tokens[at][1] != "}":
            raise LuaError(f"expected , or }} before {tokens[at][1]!r}", tokens[at][2])


def _expect(tokens: list[tuple[str, str, int]], at: int, wanted: str) -> int:
    if at >= len(tokens) or tokens[at][1] != wanted:
        line = tokens[min(at, len(tokens) - 1)][2]
        raise LuaError(f"expected {wanted!r}", line)
    return at + 1


def _unquote(body: str, line: int) -> str:
    def escape(match: re.Match[str]) -> str:
        code = match[1]
        if code in _ESCAPES:
            return _ESCAPES[code]
        if code.isdigit():
            return chr(int(code))
        if code.startswith("x"):
            return chr(int(code[1:], 16))
        if code.startswith("u{"):
            return chr(int(code[2:-1], 16))
        if code == "z":
            return ""
        raise LuaError(f"unknown escape \\{code}", line)

    raw = re.sub(r"\\(\d{1,3}|x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|z\s*|.|\n)", escape, body, flags=re.S)
    # Lua strings are bytes: decimal escapes spell UTF-8 one byte at a time.
    try:
        return raw.encode("latin-1").decode("utf-8") if any(0x80 <= ord(c) < 0x100 for c in raw) else raw
    except (UnicodeEncodeError, UnicodeDecodeError):
        return raw
