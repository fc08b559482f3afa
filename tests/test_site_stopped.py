"""Try-out 27b #6: `site` stopped by SIGTERM or SIGHUP (a closed terminal) left its unfinished site,
`.OUT.building-XXXXXXXX` (28 MB at 3,000 books), beside OUTDIR with nothing said, and after a SIGKILL only
a later build of that same OUTDIR took it away. Now SIGTERM and SIGHUP stop a build as Ctrl-C does (one
line, the old site whole, nothing left), and the next `site` into any folder clears what a build that no
longer runs left."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from conftest import snapshot
from test_t26h_doors import STOPPED_BUILD


def _building(out) -> subprocess.Popen:
    """`readlog site OUT` in a process of its own, stopped in the middle of its build (STOPPED_BUILD): an
    unfinished site of 20,000 files beside OUT. SIGTERM and SIGHUP at their defaults, as in a shell (a
    suite run under `nohup` would hand down SIGHUP ignored)."""

    def defaults() -> None:
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)

    building = subprocess.Popen(
        [sys.executable, "-c", STOPPED_BUILD, str(out)],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=defaults,  # noqa: PLW1509 - no threads yet
    )
    assert building.stderr is not None and building.stderr.readline() == "ready\n"
    return building


def _ended(sig: signal.Signals) -> int:
    """How `readlog site` stopped by `sig` ends: by the signal itself, as a shell expects; Ctrl-C, 130."""
    return 130 if sig == signal.SIGINT else -sig


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_a_site_build_stopped_by_sigterm_or_sighup_leaves_the_old_site_whole_and_nothing_beside_it(
    run, tmp_path, journal_home, sig
):
    """And Ctrl-C says the same (session 27 left alone: it said the generic `cancelled: nothing more was
    done`)."""
    run("add", "Dune", "-a", "Frank Herbert", "--review", "Spice.")
    out = tmp_path / "site" / "out"
    run("site", str(out))
    before = snapshot(out)
    run("add", "Emma", "-a", "Jane Austen", "--review", "Matches.")  # (a build to do)
    building = _building(out)
    building.send_signal(sig)
    said = building.stderr.read()
    assert building.wait(timeout=60) == _ended(sig)
    line = f"readlog: site stopped ({sig.name}): {out} is as it was, nothing is left beside it"
    assert said.strip() == line and "Traceback" not in said, said
    assert [p.name for p in out.parent.iterdir()] == ["out"]  # no `.out.building-*`
    assert snapshot(out) == before
    assert not any((tmp_path / "cache" / "site-builds").iterdir())


def test_what_a_killed_build_left_is_cleared_by_the_next_site_into_any_folder(run, tmp_path, journal_home):
    run("add", "Dune", "-a", "Frank Herbert", "--review", "Spice.")
    out = tmp_path / "site" / "out"
    building = _building(out)
    (unfinished,) = out.parent.iterdir()
    assert unfinished.name.startswith(".out.building-")
    # near miss: a build still running keeps its folder, whatever another site's build does meanwhile
    run("site", str(tmp_path / "other"))
    assert unfinished.is_dir()
    building.kill()
    building.wait(timeout=60)
    assert unfinished.is_dir()  # (SIGKILL: nothing can take it away then)
    run("site", str(tmp_path / "other"), "--title", "Another")
    assert not unfinished.exists() and list(out.parent.iterdir()) == []
    assert not any((tmp_path / "cache" / "site-builds").iterdir())


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_a_stopped_build_into_a_new_folder_says_nothing_was_written_and_leaves_no_folder(
    run, tmp_path, journal_home, sig
):
    """Session 27 left alone: a stopped build into a folder that did not exist said "OUT is as it was", and
    left the folders above OUT it had made (`site ~/public/books` stopped left `~/public`)."""
    run("add", "Dune", "-a", "Frank Herbert", "--review", "Spice.")
    out = tmp_path / "public" / "site" / "out"
    building = _building(out)
    building.send_signal(sig)
    said = building.stderr.read()
    assert building.wait(timeout=60) == _ended(sig)
    assert said.strip() == f"readlog: site stopped ({sig.name}): nothing was written, {out} was not made", (
        said
    )
    assert not (tmp_path / "public").exists()
