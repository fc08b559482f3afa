from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from readlog.cli import app

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def readlog_byte_code() -> None:
    """readlog's byte code, written once before any test. Its entry point writes what is missing in every
    process it runs, PYTHONDONTWRITEBYTECODE or not (918016c), and a process a test runs under a file size
    limit (test_write_errors' `_limited`) would write it cut short: CPython's writer does not check a short
    write, and the cut file, named as whole, broke every later run of that module."""
    import compileall

    import readlog

    compileall.compile_dir(str(Path(readlog.__file__).parent), quiet=1)


@pytest.fixture(autouse=True, scope="session")
def no_real_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A guard under READLOG_CACHE (which every test sets: journal_home): the platform's cache folder, for
    this whole session, is one in tmp, so a test that misses READLOG_CACHE (a module-scoped fixture made
    before journal_home, a `monkeypatch.undo()`) cannot write into the reader's ~/.cache/readlog (session
    24's try-out found 179 test indexes there); and such a test fails the session at its end, naming
    what it wrote."""
    guard = tmp_path_factory.mktemp("platform-cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(guard)
    try:
        yield guard
    finally:
        if before is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = before
    # (only readlog's folder: a browser the site tests start keeps its own cache there, as it may)
    leaked = sorted(str(p.relative_to(guard)) for p in (guard / "readlog").rglob("*") if p.is_file())
    assert not leaked, f"tests wrote to the platform's cache folder, not READLOG_CACHE: {leaked}"


@pytest.fixture(autouse=True)
def journal_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty journal, chosen the way a user would: through READLOG_HOME."""
    home = tmp_path / "journal"
    monkeypatch.setenv("READLOG_HOME", str(home))
    monkeypatch.setenv("READLOG_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("READLOG_CONFIG", str(tmp_path / "config.toml"))  # none, unless a test writes one
    for name in ("VISUAL", "EDITOR", "FORCE_COLOR", "CLICOLOR_FORCE", "TERM_PROGRAM", "PAGER") + (
        "READLOG_PAGER",
        "READLOG_COLOR",
        "READLOG_EDITOR",
        "READLOG_DATE_STYLE",
    ):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def books(journal_home: Path) -> Path:
    return journal_home / "books"


class Run:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(
        self, *args: str, input: str | None = None, code: int = 0, env: dict[str, str] | None = None
    ):
        result = self.runner.invoke(app, list(args), input=input, env=env)
        assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr, result.exception)
        if code == 1:
            assert "Traceback" not in result.output
        return result


@pytest.fixture
def run() -> Run:
    return Run()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: to prove a failed command changed nothing."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def unchanged(journal_home: Path) -> Callable[[], None]:
    before = snapshot(journal_home / "books")

    def check() -> None:
        assert snapshot(journal_home / "books") == before

    return check


def write_editor(tmp_path: Path, body: str, name: str = "editor.py") -> str:
    """A real $EDITOR: a small Python script that edits the file it is given."""
    script = tmp_path / name
    script.write_text(f"#!{sys.executable}\n" + body)
    script.chmod(0o755)
    return str(script)
