"""What readlog keeps beside the journal is made again when readlog's own code changes, not only its version
number: a readlog run from a checkout keeps "0.1.0" across many changes, and the site's caches (the public
part of each book, each page's digest) made by older code kept publishing what newer code hides (a note to
self) or renders otherwise, as the figures kept for the index as it is (`next --json`'s whole queue) kept
their old shape. Each test runs a copy of the package, changes the copy's code the way a `git pull` would,
and runs again with no book changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import readlog

BOOK = """\
title = "The Lamp Keeper"
authors = ["Ada Winter"]
status = "read"
rating = 4

[review]
headline = "Light over water"
body = "A lighthouse at the end of the world, and the *keeper* who stays."
"""


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the readlog package to run, and to change as a checkout's next commit would."""
    root = tmp_path / "pkg"
    shutil.copytree(
        Path(readlog.__file__).parent, root / "readlog", ignore=shutil.ignore_patterns("__pycache__")
    )
    return root


def build(package: Path, tmp_path: Path, said: list[str] | None = None) -> str:
    home = tmp_path / "home"
    book = home / "books" / "the-lamp-keeper.toml"
    if not book.exists():  # written once: no book changes between builds
        book.parent.mkdir(parents=True)
        book.write_text(BOOK, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(package),
        "READLOG_HOME": str(home),
        "READLOG_CACHE": str(tmp_path / "cache"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "readlog", "site", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    if said is not None:
        said.append(done.stderr)
    return (out / "books" / "the-lamp-keeper.html").read_text(encoding="utf-8")


def change(path: Path, addition: str) -> None:
    """The module as the next commit has it: new code, a new size (and mtime)."""
    path.write_text(path.read_text(encoding="utf-8") + addition, encoding="utf-8")


def test_a_change_to_what_is_published_is_published_though_no_book_changed(package, tmp_path):
    assert "lighthouse" in build(package, tmp_path)
    change(
        package / "readlog" / "privacy.py",
        """

_made_public = public_book


def public_book(book):  # the next commit hides the word
    public = _made_public(book)
    if public is not None and public.review is not None:
        public.review.body = public.review.body.replace("lighthouse", "tower")
    return public
""",
    )
    page = build(package, tmp_path)
    assert "lighthouse" not in page
    assert "tower" in page


def test_a_change_to_how_text_is_rendered_renders_every_page_again(package, tmp_path):
    assert "<em>keeper</em>" in build(package, tmp_path)
    change(
        package / "readlog" / "exporters" / "site" / "markdown.py",
        """

_rendered = Markdown.html


def _html(self, text, top=2):  # the next commit renders emphasis otherwise
    return _rendered(self, text, top).replace("<em>", "<i>").replace("</em>", "</i>")


Markdown.html = _html
""",
    )
    page = build(package, tmp_path)
    assert "<i>keeper</i>" in page


def test_with_the_code_unchanged_the_cache_is_used(package, tmp_path):
    """The control: the same code and books write no page again (so the tests above can fail); a changed
    module writes them all."""
    said: list[str] = []
    build(package, tmp_path, said)
    build(package, tmp_path, said)
    assert " 0 written" in said[-1]
    change(package / "readlog" / "cli" / "__init__.py", "\n# the next commit\n")
    build(package, tmp_path, said)
    assert " 0 written" not in said[-1]


def test_the_queue_kept_for_a_script_is_made_again_by_new_code(package, tmp_path):
    import json

    home = tmp_path / "home"
    (home / "books").mkdir(parents=True)
    (home / "books" / "dune.toml").write_text(
        'title = "Dune"\nauthors = ["Frank Herbert"]\nstatus = "want"\n'
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(package),
        "READLOG_HOME": str(home),
        "READLOG_CACHE": str(tmp_path / "cache"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }

    def queue() -> list[dict]:
        done = subprocess.run(
            [sys.executable, "-m", "readlog", "next", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    assert "new" not in queue()[0]
    assert "new" not in queue()[0]  # kept now
    change(
        package / "readlog" / "cli" / "queue.py",
        """

_made = _queue_json


def _queue_json(queue):  # the next commit adds a field
    return [{**item, "new": True} for item in _made(queue)]
""",
    )
    assert queue()[0]["new"] is True
