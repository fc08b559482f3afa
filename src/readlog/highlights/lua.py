"""A small reader for the Lua tables KOReader saves (`return { ... }`): data only, never executed.

Strings (double, single and long-bracket, with Lua's escapes, a backslash before a newline included),
numbers, booleans, nil, and tables with `[key] = value`, `name = value` and positional values. Anything else
(a function call, an operator) is an error with its line: the file is read, not run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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


# Reads the bytes of a file's strings that are not UTF-8 (escapes spelling other bytes: `\233`), all of them
# together, given each one's line: their texts (koreader: text.decode_stray, said or refused naming the line).
Strays = Callable[[list[bytes], list[int]], list[str]]


def loads(text: str, strays: Strays | None = None) -> Any:
    """The value a KOReader sidecar returns. Lua's strings are bytes: the ones whose escapes spell bytes that
    are not UTF-8 are read by `strays` (without it, refused with their line)."""
    tokens = list(_tokens(text))
    strings: dict[int, str] = {}
    odd: list[tuple[int, bytes]] = []
    for at, (kind, token, line) in enumerate(tokens):
        if kind == "string":
            value = _unquote(token[1:-1], line)
            if isinstance(value, bytes):
                odd.append((at, value))
            else:
                strings[at] = value
    if odd:
        lines = [tokens[at][2] for at, _ in odd]
        if strays is None:
            raise LuaError("a string's escaped bytes are not UTF-8", lines[0])
        strings.update(zip((at for at, _ in odd), strays([raw for _, raw in odd], lines), strict=True))
    at = 0
    if tokens and tokens[0][:2] == ("name", "return"):
        at = 1
    value, at = _value(tokens, strings, at, 0)
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


Tokens = list[tuple[str, str, int]]


def _value(tokens: Tokens, strings: dict[int, str], at: int, depth: int) -> tuple[Any, int]:
    if at >= len(tokens):
        raise LuaError("the file ends inside a table", tokens[-1][2] if tokens else 1)
    kind, text, line = tokens[at]
    if kind == "string":
        return strings[at], at + 1
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
        return _table(tokens, strings, at + 1, depth + 1)
    raise LuaError(f"unexpected {text!r} (only data is read, never code)", line)


def _table(tokens: Tokens, strings: dict[int, str], at: int, depth: int) -> tuple[dict[Any, Any], int]:
    table: dict[Any, Any] = {}
    position = 1
    while True:
        if at >= len(tokens):
            raise LuaError("the file ends inside a table", tokens[-1][2])
        kind, text, line = tokens[at]
        if text == "}":
            return table, at + 1
        if text == "[" and kind == "punct":
            key, at = _value(tokens, strings, at + 1, depth)
            at = _expect(tokens, at, "]")
            at = _expect(tokens, at, "=")
            table[key], at = _value(tokens, strings, at, depth)
        elif kind == "name" and at + 1 < len(tokens) and tokens[at + 1][1] == "=":
            table[text], at = _value(tokens, strings, at + 2, depth)
        else:
            table[position], at = _value(tokens, strings, at, depth)
            position += 1
        if at < len(tokens) and tokens[at][1] in (",", ";"):
            at += 1
        elif at < len(tokens) and tokens[at][1] != "}":
            raise LuaError(f"expected , or }} before {tokens[at][1]!r}", tokens[at][2])


def _expect(tokens: Tokens, at: int, wanted: str) -> int:
    if at >= len(tokens) or tokens[at][1] != wanted:
        line = tokens[min(at, len(tokens) - 1)][2]
        raise LuaError(f"expected {wanted!r}", line)
    return at + 1


_ESCAPE = re.compile(r"\\(\d{1,3}|x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|z\s*|.|\n)", re.S)


def _unquote(body: str, line: int) -> str | bytes:
    """A quoted string's value. Lua's strings are bytes, and an escape spells one (`\\195\\169`, `\\xE9`):
    the text, or its bytes when they are not UTF-8 (`caf\\233`, for `loads` to read or refuse; read as
    Latin-1 before, without a word). Text written as it is stays as written (`Ã©`)."""
    if "\\" not in body:
        return body
    pieces: list[bytes] = []
    start = 0
    for found in _ESCAPE.finditer(body):
        pieces += [body[start : found.start()].encode("utf-8", "surrogatepass"), _escaped(found[1], line)]
        start = found.end()
    pieces.append(body[start:].encode("utf-8", "surrogatepass"))
    raw = b"".join(pieces)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


def _escaped(code: str, line: int) -> bytes:
    """The bytes one escape (without its backslash) spells."""
    if code in _ESCAPES:
        return _ESCAPES[code].encode()
    if code.isdigit():
        if int(code) > 0xFF:
            raise LuaError(f"escape \\{code} is not a byte (0-255)", line)
        return bytes((int(code),))
    if code.startswith("x"):
        return bytes((int(code[1:], 16),))
    if code.startswith("u{"):
        point = int(code[2:-1], 16)
        if point > 0x10FFFF:
            raise LuaError(f"escape \\{code} is not a character", line)
        return chr(point).encode("utf-8", "surrogatepass")
    if code[0] == "z":
        return b""
    raise LuaError(f"unknown escape \\{code}", line)
