"""Entry-point plugins: another package registers an importer or an exporter the way the built-ins are
registered, and readlog finds it the first time a registry is asked. The plugin here is a real installed
distribution as Python sees one (a `*.dist-info` with `entry_points.txt` on sys.path), used by a real
`python -m readlog` in a subprocess: nothing inside readlog is patched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PLUGIN = '''
from readlog.exporters import Exporter
from readlog.importers.base import Importer, Reject, Row
from readlog.model import Book


class ShelfImporter(Importer):
    """A toy format: `SHELF v1`, then one `title | author` a line."""

    name, label, source = "shelf", "Shelf list", None

    @classmethod
    def sniff(cls, head, filename):
        return head.startswith(b"SHELF v1\\n")

    def read(self, path):
        for number, line in enumerate(path.read_text().splitlines()[1:], 2):
            title, bar, author = (part.strip() for part in line.partition("|"))
            if not (title and bar and author):
                yield Reject(number, "expected `title | author`", [line])
                continue
            yield Row(number, Book(title=title, authors=[author], status="want"))


def titles(entries, single):
    return "".join(f"* {entry.book.title}\\n" for entry in entries)


TITLES = Exporter("titles", "txt", titles)
'''

ENTRY_POINTS = """[readlog.importers]
shelf = readlog_shelf:ShelfImporter

[readlog.exporters]
titles = readlog_shelf:TITLES
"""


def install(site: Path, name: str, module: str | None, entry_points: str) -> None:
    """What pip leaves on sys.path for a distribution: its module and its `*.dist-info`."""
    site.mkdir(exist_ok=True)
    if module is not None:
        (site / f"{name}.py").write_text(module)
    info = site / f"{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(entry_points)


def readlog(site: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "READLOG_HOME": str(home),
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }
    env.pop("READLOG_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "readlog", *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site-packages"
    install(site, "readlog_shelf", PLUGIN, ENTRY_POINTS)
    return site


def test_a_plugin_importer_and_exporter_work_like_built_ins(site, tmp_path):
    home = tmp_path / "journal"
    shelf = tmp_path / "wishlist.txt"
    shelf.write_text("SHELF v1\nThe Quiet Orchard | Ines Varga\nno bar here\nStone Weather | Pell Marsh\n")
    help_text = " ".join(readlog(site, home, "import", "--help").stdout.split())
    assert "shelf" in help_text and "Shelf list" in help_text
    result = readlog(site, home, "import", str(shelf))  # told from its content, as a built-in is
    assert result.returncode == 1, result.stderr  # one row rejected
    assert "rejected" in result.stderr and ":3: expected `title | author`" in result.stderr
    assert "Shelf list export: 2 added" in result.stderr
    again = readlog(site, home, "import", str(shelf), "--from", "shelf")
    assert "0 added" in again.stderr and "2 skipped" in again.stderr
    books = json.loads(readlog(site, home, "export", "--format", "json").stdout)
    assert sorted((b["title"], b["authors"]) for b in books) == [
        ("Stone Weather", ["Pell Marsh"]),
        ("The Quiet Orchard", ["Ines Varga"]),
    ]
    assert "titles" in readlog(site, home, "export", "--help").stdout
    listed = readlog(site, home, "export", "--format", "titles")
    assert listed.returncode == 0, listed.stderr
    assert sorted(listed.stdout.splitlines()) == ["* Stone Weather", "* The Quiet Orchard"]


def test_without_the_plugin_its_formats_are_unknown(tmp_path):
    empty = tmp_path / "site-packages"
    empty.mkdir()
    result = readlog(empty, tmp_path / "journal", "export", "--format", "titles")
    assert result.returncode == 2 and "'titles' is not a format" in result.stderr


@pytest.mark.parametrize(
    ("entry_points", "said"),
    [
        ("[readlog.importers]\nbroken = readlog_missing:Nothing\n", "ModuleNotFoundError"),
        ("[readlog.importers]\nwrong = json:dumps\n", "is not an Importer class"),
        ("[readlog.exporters]\nwrong = json:dumps\n", "is not an Exporter"),
    ],
)
def test_a_broken_plugin_is_one_line_naming_it_and_only_when_its_registry_is_asked(
    tmp_path, entry_points, said
):
    site = tmp_path / "site-packages"
    install(site, "readlog_broken", None, entry_points)
    home = tmp_path / "journal"
    home.mkdir()  # (a journal folder named that is not there is a typo, exit 1: t32f)
    assert readlog(site, home, "list").returncode == 0  # the registries are not asked: no plugin loaded
    command = ["import", str(tmp_path / "x.csv")] if "importers" in entry_points else ["export"]
    (tmp_path / "x.csv").write_text("Title,Author\nA,B\n")
    result = readlog(site, home, *command)
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "plugin" in result.stderr and said in result.stderr
    # the other registry, and the help, still work: a broken plugin stops only what needs its registry
    other = (
        ["export"]
        if "importers" in entry_points
        else ["import", str(tmp_path / "x.csv"), "--from", "goodreads"]
    )
    assert readlog(site, home, *other).returncode in (0, 1)  # (goodreads rejects the toy file: one line)
    assert "Traceback" not in readlog(site, home, *other).stderr
    assert "could not be loaded" not in readlog(site, home, *other).stderr
    assert readlog(site, home, command[0], "--help").returncode == 0


def test_a_plugin_cannot_take_a_built_in_name(tmp_path):
    site = tmp_path / "site-packages"
    module = PLUGIN.replace('name, label, source = "shelf"', 'name, label, source = "goodreads"')
    install(site, "readlog_shelf", module, ENTRY_POINTS)
    result = readlog(site, tmp_path / "journal", "import", str(tmp_path / "x.csv"))
    assert result.returncode == 1
    assert "plugin 'shelf' (readlog.importers) clashes: an importer named 'goodreads'" in result.stderr
