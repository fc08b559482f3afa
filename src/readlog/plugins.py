"""Third-party formats, found through entry points: a package declares, in its pyproject.toml,

    [project.entry-points."readlog.importers"]
    myformat = "readlog_myformat:MyImporter"

(or the `readlog.exporters` group with an `Exporter`), and readlog registers it the way it registers its
own, the first time the registry is asked (never at start-up). A plugin that cannot be loaded is one clear
error naming it, not a traceback, and not a format silently missing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from readlog.errors import ReadlogError

IMPORTERS = "readlog.importers"
EXPORTERS = "readlog.exporters"


def load(group: str) -> list[tuple[str, object]]:
    """(entry point name, the object it names) for every installed plugin of `group`, sorted by name."""
    if not _may_declare(group):
        return []
    from importlib.metadata import entry_points

    found = []
    for point in sorted(entry_points(group=group), key=lambda p: (p.name, p.value)):
        try:
            found.append((point.name, point.load()))
        except Exception as error:  # any failure in someone else's code: name the plugin, no traceback
            raise ReadlogError(
                f"plugin {point.name!r} ({group} = {point.value!r}) could not be loaded: "
                f"{type(error).__name__}: {error}"
            ) from None
    return found


def _may_declare(group: str) -> bool:
    """Whether an installed distribution may declare entry points of `group`, told without importing
    importlib.metadata (with email and zipfile: some 15 ms of every import's start, where, as a rule, no
    plugin is installed): its own search, done plainly (each `*.dist-info` and `*.egg-info` folder of each
    folder on sys.path, its `entry_points.txt` naming the group), and True wherever importlib.metadata may
    see what this does not (a finder of distributions of another kind, a zip or an egg on sys.path)."""
    import os
    import sys
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and getattr(finder, "find_distributions", None) is not None:
            return True
    named = group.encode()
    for entry in sys.path:
        if not isinstance(entry, str):
            return True
        folder = entry or "."
        if folder.lower().endswith(".egg") or os.path.isfile(folder):
            return True
        try:
            names = os.listdir(folder)
        except OSError:  # (no such folder: nothing found there)
            continue
        for name in names:
            if name.lower().endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(folder, name, "entry_points.txt"), "rb") as points:
                        if named in points.read():
                            return True
                except OSError:  # (none: no entry points)
                    continue
    return False


def register_all(
    group: str,
    kind: str,
    accepts: Callable[[object], bool],
    registered: Callable[[Any], bool],
    register: Callable[[Any], object],
) -> None:
    """Register every installed plugin of `group` the way the built-ins are: each must be what the registry
    takes (`accepts`, else "is not `kind`"); one already there (`registered`: the same object, installed
    twice or a built-in named again) is skipped; one whose name clashes (`register` raised ValueError) is
    refused. The importers and the exporters both load theirs through here."""
    for name, loaded in load(group):
        if not accepts(loaded):
            raise refuse(group, name, f"is not {kind}")
        if registered(loaded):
            continue
        try:
            register(loaded)
        except ValueError as error:
            raise refuse(group, name, f"clashes: {error}") from None


def refuse(group: str, name: str, why: str) -> ReadlogError:
    return ReadlogError(f"plugin {name!r} ({group}) {why}")
