"""The README's command reference is generated from `--help` (scripts/clidoc.py) and cannot drift: a help
text changed without the README failing here is the bug this guards against."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

SCRIPT = REPO / "scripts" / "clidoc.py"


def clidoc(*args: str) -> subprocess.CompletedProcess[str]:
    # A fresh interpreter: the registries as a user's readlog has them (no test's toy format or verb).
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False)


def test_the_readme_reference_is_what_help_says():
    result = clidoc("--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_reference_holds_every_listed_command_and_not_what_git_runs():
    readme = (REPO / "README.md").read_text()
    reference = readme.split("<!-- [[[clidoc")[1].split("<!-- ]]] clidoc end -->")[0]
    for name in ("add", "progress", "sync init", "config set", "next add", "tags rename", "import", "site"):
        assert f"<code>readlog {name}</code>" in reference, name
    assert "readlog merge-driver</code>" not in reference
    assert "Usage: readlog import [OPTIONS]" in reference
    assert "Kindle" in reference  # the formats come from the registry, into the reference too


def test_a_stale_reference_fails_the_check(tmp_path):
    readme = tmp_path / "README.md"
    text = (REPO / "README.md").read_text()
    readme.write_text(text.replace("Rate a book: 0.25 to 5 in quarter steps.", "Rate a book.", 1))
    result = clidoc("--check", "--readme", str(readme))
    assert result.returncode == 1
    assert "out of date" in result.stderr and "Rate a book" in result.stdout


def test_a_hand_edit_inside_the_markers_is_undone(tmp_path):
    readme = tmp_path / "README.md"
    text = (REPO / "README.md").read_text()
    readme.write_text(
        text.replace("<!-- ]]] clidoc end -->", "a line written by hand\n<!-- ]]] clidoc end -->")
    )
    assert clidoc("--check", "--readme", str(readme)).returncode == 1
    assert clidoc("--readme", str(readme)).returncode == 0
    assert readme.read_text() == text  # and what is outside the markers is kept as it was


def test_markers_missing_or_twice_are_refused(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# readlog\n\nno markers here\n")
    result = clidoc("--readme", str(readme))
    assert result.returncode != 0 and "markers" in result.stderr
    assert readme.read_text() == "# readlog\n\nno markers here\n"
    doubled = (REPO / "README.md").read_text() + "\n<!-- ]]] clidoc end -->\n"
    readme.write_text(doubled)
    assert clidoc("--readme", str(readme)).returncode != 0
    assert readme.read_text() == doubled
