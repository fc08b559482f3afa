"""The reader's settings: a small typed reader of `config.toml`, loaded once, that other features extend
with keys of their own (`register`).

Where a value comes from, first found wins (as git does it):
    the command-line option > its READLOG_* variable > config.toml > a general variable (VISUAL/EDITOR,
    PAGER) > the built-in default.
The option is the caller's to apply (`value(name, option)`). The file is found at $READLOG_CONFIG, else
`platformdirs.user_config_dir("readlog")/config.toml`; it is parsed (with tomllib) only when it exists, so
a reader without one pays one `stat` for all of this.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readlog.errors import ReadlogError

ENV_CONFIG = "READLOG_CONFIG"


class ConfigError(ReadlogError):
    """The config file cannot be used: one line naming the file (and the line, when there is one)."""


@dataclass(frozen=True)
class Key:
    """One setting. `name` is dotted for a table: "list.sort" is `sort` under `[list]`."""

    name: str
    kind: type  # str, int, float (a whole number is taken too) or bool
    default: Any
    help: str
    env: str | None = None  # its own READLOG_* variable
    general: tuple[str, ...] = ()  # general variables read after the file (VISUAL, EDITOR, PAGER)
    choices: tuple[str, ...] = ()
    check: Callable[[Any], str | None] | None = None  # returns why a value is wrong, or None
    example: str | None = None  # shown commented out by `readlog config init`
    folder: bool = False  # a path: relative in the file, it is taken from the file's own folder


KEYS: dict[str, Key] = {}


def register(key: Key) -> Key:
    """Add a key (a feature's own settings, e.g. "sync.remote"). A name is registered once."""
    if key.name in KEYS:
        raise ValueError(f"config key {key.name!r} is registered twice")
    KEYS[key.name] = key
    return key


def _not_negative(value: int) -> str | None:
    return "must be 0 or more (0 means all)" if value < 0 else None


register(Key("data_dir", str, None, "The journal folder (a relative one is taken from this file's folder).",
             env="READLOG_HOME", example='"~/readlog"', folder=True))  # fmt: skip
register(Key("editor", str, None, "The command to edit drafts with.", env="READLOG_EDITOR",
             general=("VISUAL", "EDITOR"), example='"nano"'))  # fmt: skip
register(Key("pager", str, "less", 'The command long output goes through on a terminal; "" for none.',
             env="READLOG_PAGER", general=("PAGER",), example='"less"'))  # fmt: skip
register(Key("color", str, "auto", "auto (on a terminal), always or never.", env="READLOG_COLOR",
             choices=("auto", "always", "never")))  # fmt: skip
register(Key("date_style", str, "iso", "Dates in `show`: iso (2025-03-01) or long (1 March 2025).",
             env="READLOG_DATE_STYLE", choices=("iso", "long")))  # fmt: skip
register(Key("sync.machine", str, None, "This device's name in sync conflicts (else each journal copy names "
             "itself, HOST-xxxx).", env="READLOG_MACHINE", example='"laptop"'))  # fmt: skip
register(Key("list.sort", str, "newest", "The default `list --sort`.",
             choices=("newest", "title", "author", "rating", "finished", "added")))  # fmt: skip
register(
    Key("list.limit", int, 50, "The default `list --limit` on a terminal (0: all).", check=_not_negative)
)
register(
    Key("suggest.show", bool, True, "Plain `next` shows three suggestions under the queue (false: never).")
)
# `next --suggest`: how much each signal counts (readlog.suggest.Weights takes its defaults from here).
SUGGEST_WEIGHTS = (
    ("author", 1.0, "Weight of your ratings of the same author's books."),
    ("tags", 0.8, "Weight of your ratings of books with the same tags or shelves."),
    (
        "subjects",
        0.5,
        "Weight of your ratings of books with the same Open Library subjects (enrich's cache).",
    ),
    ("series", 0.4, "Weight of the same series, and of being next in one you are reading."),
    ("picks", 0.8, "Weight of a read-next pick, by the rating of the book it came from."),
    ("length", 0.4, "Weight of length, against what you finish, abandon and rate."),
    ("format", 0.3, "Weight of format (paperback, hardcover, ebook, audiobook), the same way."),
    ("waiting", 0.2, "Weight of how long a book has waited, against books that waited as long."),
    ("average", 1.0, "Weight of the export's average rating (everyone's): a weak prior."),
    ("abandoned", 1.5, "How many stars below your mean rating an abandoned book counts."),
)


def _weight(value: float) -> str | None:
    return "must be from 0 to 10" if not 0 <= value <= 10 else None


for _name, _default, _help in SUGGEST_WEIGHTS:
    register(Key(f"suggest.{_name}", float, _default, _help, check=_weight))


def _site_title(value: str) -> str | None:
    return "must not be empty" if not value.strip() else None


def _http_url(value: str) -> str | None:
    ok = not value or value.strip().startswith(("http://", "https://"))
    return None if ok else f"{value!r} is not an http(s) URL"


register(Key("site.title", str, "Reading journal", "The site's name (`site --title` for one run).",
             check=_site_title, example='"Pages and Afterthoughts"'))  # fmt: skip
register(Key("site.base_url", str, "", "Where the site lives, for the feed and sitemap (`site --base-url`).",
             check=_http_url, example='"https://example.org/books/"'))  # fmt: skip


_loaded: dict[str, Any] | None = None
_loaded_from: Path | None = None
_loaded_stamp: tuple[int, int] | None = None


def config_path() -> Path:
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG]).expanduser()
    from readlog.userdirs import user_dir  # platformdirs' answer, mostly without importing it

    return Path(user_dir("config")) / "config.toml"


def load() -> dict[str, Any]:
    """The file's settings as {dotted name: value}, read once per process (again only if the file or
    $READLOG_CONFIG changes, as between tests)."""
    global _loaded, _loaded_from, _loaded_stamp
    path = config_path()
    try:
        info = path.stat()
        stamp: tuple[int, int] | None = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = None
    if _loaded is not None and (_loaded_from, _loaded_stamp) == (path, stamp):
        return _loaded
    _loaded, _loaded_from, _loaded_stamp = _read(path), path, stamp
    return _loaded


def _read(path: Path) -> dict[str, Any]:
    import stat

    try:
        info = path.stat()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ConfigError(f"{path}: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"{path}: not a regular file")
    import tomllib

    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text (bad byte at offset {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}:{_toml_where(str(error))}") from None
    except OSError as error:
        raise ConfigError(f"{path}: {error.strerror}") from None
    return _flatten(path, data)


def _toml_where(message: str) -> str:
    """tomllib says "Invalid value (at line 3, column 8)": as `3:8: invalid value`."""
    import re

    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    text = message[: match.start()].strip() if match else message
    where = f"{match[1]}:{match[2]}:" if match else ""
    return f"{where} invalid TOML: {text[:1].lower()}{text[1:]}"


def _flatten(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """{"list": {"sort": "title"}} -> {"list.sort": "title"}, each known key checked."""
    out: dict[str, Any] = {}
    for name, raw in data.items():
        if isinstance(raw, dict) and name not in KEYS:
            out.update({f"{name}.{sub}": value for sub, value in raw.items()})
        else:
            out[name] = raw
    return {name: _from_file(path, name, value_of(path, name, raw)) for name, raw in out.items()}


def _from_file(path: Path, name: str, value: Any) -> Any:
    """A folder setting as the file means it: `~` expanded, and a relative one taken from the config file's
    own folder, whatever the current folder (`data_dir = "journal"` names one journal, not one per folder
    readlog is run in)."""
    key = KEYS.get(name)
    if key is None or not key.folder or not isinstance(value, str) or not value.strip():
        return value
    return str(resolved_from(path, value))


def resolved_from(path: Path, value: str) -> Path:
    """`value`, a folder named in the config file at `path`, as a whole path."""
    folder = Path(value).expanduser()
    return folder if folder.is_absolute() else path.absolute().parent / folder


def value_of(path: Path | str | None, name: str, raw: Any) -> Any:
    """`raw` checked against the key's type and choices; unknown keys are kept as they are (a newer
    readlog's, or a feature not installed) and never an error. `path` names where the value came from in
    an error (None: typed on the command line)."""
    key = KEYS.get(name)
    if key is None:
        return raw
    if path is None:
        try:
            return value_of("", name, raw)
        except ConfigError as error:
            raise ConfigError(str(error).removeprefix(": ")) from None
    if key.kind is int and (isinstance(raw, bool) or not isinstance(raw, int)):
        raise ConfigError(f"{path}: {name}: expected a whole number, got {raw!r}")
    if key.kind is float:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ConfigError(f"{path}: {name}: expected a number, got {raw!r}")
        raw = float(raw)
    elif key.kind is not int and not isinstance(raw, key.kind):
        raise ConfigError(f"{path}: {name}: expected {key.kind.__name__}, got {raw!r}")
    if key.choices and raw not in key.choices:
        raise ConfigError(f"{path}: {name}: {raw!r} is not one of {', '.join(key.choices)}")
    problem = key.check(raw) if key.check else None
    if problem:
        raise ConfigError(f"{path}: {name}: {problem}")
    return raw


def value(name: str, option: Any = None) -> Any:
    """A setting: the option if given, else its variable, the file, the general variables, the default."""
    return source(name, option)[0]


def source(name: str, option: Any = None) -> tuple[Any, str]:
    """(value, where it came from): for `readlog config`."""
    key = KEYS[name]
    if option is not None:
        return option, "option"
    if key.env and os.environ.get(key.env) is not None:
        raw = os.environ[key.env]
        if key.kind in (int, float):
            try:
                number = key.kind(raw)
            except ValueError:
                kind = "a whole number" if key.kind is int else "a number"
                raise ConfigError(f"${key.env}: {raw!r} is not {kind}") from None
            return value_of(f"${key.env}", name, number), f"${key.env}"
        return value_of(f"${key.env}", name, raw), f"${key.env}"
    settings = load()
    if name in settings:
        return settings[name], str(_loaded_from)
    for general in key.general:
        if os.environ.get(general):
            return os.environ[general], f"${general}"
    return key.default, "default"


def parse_setting(name: str, text: str) -> Any:
    """A value typed on the command line (`config set NAME VALUE`) as the key's type, checked."""
    key = KEYS.get(name)
    if key is None:
        known = ", ".join(sorted(KEYS))
        raise ConfigError(f"no setting is called {name!r} (settings: {known})")
    raw: Any = text
    if key.kind in (int, float):
        try:
            raw = key.kind(text.strip())
        except ValueError:
            kind = "a whole number" if key.kind is int else "a number"
            raise ConfigError(f"{name}: {text!r} is not {kind}") from None
    elif key.kind is bool:
        if text.strip().lower() not in ("true", "false"):
            raise ConfigError(f"{name}: {text!r} is not true or false")
        raw = text.strip().lower() == "true"
    return value_of(None, name, raw)


def set_setting(name: str, text: str) -> tuple[Path, Any]:
    """Write `name = value` into the config file (made if missing), keeping its comments and the rest."""
    import tomlkit

    value = parse_setting(name, text)
    path = config_path()
    _read(path)  # a malformed file is named, never overwritten
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    doc = tomlkit.parse(old)
    section, _, short = name.rpartition(".")
    if section:
        table = doc.get(section)
        if table is None:
            table = tomlkit.table()
            doc[section] = table
        elif not isinstance(table, dict):
            raise ConfigError(f"{path}: {section} is not a table")
        table[short] = value
    else:
        doc[short] = value
    from readlog.files import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, tomlkit.dumps(doc))
    return path, value


def template() -> str:
    """What `readlog config init` writes: every key, commented out, with what it does."""
    lines = [
        "# readlog settings. A command-line option beats a READLOG_* variable, which beats this file,",
        "# which beats VISUAL/EDITOR/PAGER, which beat readlog's defaults. Uncomment a line to use it.",
        "",
    ]
    table = ""
    for key in sorted(KEYS.values(), key=lambda k: ("." in k.name, k.name)):
        section, _, short = key.name.rpartition(".")
        if section != table:
            lines += ["", f"[{section}]"]
            table = section
        shown = key.example if key.example is not None else _toml(key.default)
        env = f" (${key.env})" if key.env else ""
        lines += [f"# {key.help}{env}", f"# {short} = {shown}"]
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return '""'
    import json

    return json.dumps(value, ensure_ascii=False)
