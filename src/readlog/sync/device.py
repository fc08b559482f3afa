"""Which device this is, for the labels of a sync conflict ("here" is always this device).

The name is `sync.machine` in the config file (or $READLOG_MACHINE), set once per machine. Without it,
each copy of the journal names itself once, `HOST-xxxx`, kept in its own `.git/config` (which never
travels), so two copies on one machine, or two machines with one config file, are still told apart.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readlog.sync.git import Git

GIT_KEY = "readlog.machine"
TRAILER = "Readlog-Device"  # in each commit readlog makes: which device wrote it


MACHINE = "sync.machine"  # the setting, and its variable (a test holds them equal to readlog.config's)
MACHINE_VARIABLE = "READLOG_MACHINE"


def configured() -> str | None:
    """The config's name for this device (`sync.machine`: its variable, else the config file), or None.
    With neither set, None without importing readlog.config (its keys are made at import: a tenth of a
    one-change sync's own time after the journal's), as readlog.config answers then: the default."""
    from readlog.sync.quick import config_file

    if os.environ.get(MACHINE_VARIABLE) is None and config_file() is None:
        return None
    from readlog import config

    name = config.value(MACHINE)
    return " ".join(str(name).split()) or None if name else None


def machine_name(git: Git, create: bool = False) -> str | None:
    """This device's name: the config's, else the journal copy's own (made now with `create`)."""
    name = configured()
    if name:
        return name
    name = (git.config_get(GIT_KEY, local=True) or "").strip()
    if name or not create:
        return name or None
    import secrets  # (and socket) only to name a copy, once: hashlib and hmac are a tenth of a sync's imports
    import socket

    host = "".join(c for c in socket.gethostname().split(".")[0] if c.isalnum() or c == "-") or "device"
    name = f"{host}-{secrets.token_hex(2)}"
    git.config_set(GIT_KEY, name)
    return name


def trailer(git: Git) -> str:
    """The line that names this device at the end of a commit message (empty when it has no name)."""
    name = machine_name(git, create=True)
    return f"\n\n{TRAILER}: {name}" if name else ""


def wrote(git: Git, commit: str, path: str) -> str | None:
    """The device that last changed `path` on the history of `commit` (from readlog's trailers)."""
    if not commit or commit.startswith("-"):
        return None
    result = git.run(
        "log", "-1", f"--format=%(trailers:key={TRAILER},valueonly)", commit, "--", path, check=False
    )
    lines = [line.strip() for line in result.text.splitlines() if line.strip()]
    return lines[0] if result.code == 0 and lines else None


def this_device(root: Path) -> str | None:
    """This device's name for the journal at `root` (None where it has none: not synced, or no git)."""
    from readlog.errors import ReadlogError
    from readlog.sync.git import Git

    name = configured()
    if name:
        return name
    if not (root / ".git").exists():
        return None
    try:
        return machine_name(Git(root))
    except ReadlogError:
        return None
