"""Session 29's lead fixes: each test fails on the code before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import snapshot


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["tags"], "count"),
        (["recall"], "recall"),
        (["series"], "list"),
        (["next", "--suggest"], "suggest"),
    ],
)
def test_commands_over_the_whole_journal_refuse_a_missing_folder(run, tmp_path: Path, args, what) -> None:
    """A mistyped $READLOG_HOME made `tags` print nothing, `recall`/`series`/`next --suggest` say there was
    nothing yet, exit 0: an empty journal, where `show`, `stats` and `search` say there is none. One line,
    exit 1, nothing made."""
    env = {"READLOG_HOME": str(tmp_path / "nowhere")}
    refused = run(*args, code=1, env=env)
    assert refused.stdout == ""
    assert refused.stderr.strip().count("\n") == 0
    assert f"{tmp_path / 'nowhere'}, which does not exist: nothing to {what}" in refused.stderr
    assert not (tmp_path / "nowhere").exists()


def test_site_from_a_mistyped_journal_leaves_the_published_site_alone(run, tmp_path: Path) -> None:
    """`READLOG_HOME=/typo readlog site OUT` built an empty journal's site over OUT: a 470-file blog became
    10 files, exit 0. It is refused in one line, and OUT is as it was."""
    run(
        "add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01", "--review", "A house of tides."
    )
    out = tmp_path / "site"
    run("site", str(out))
    before = snapshot(out)
    assert any("piranesi" in name for name in before)
    refused = run("site", str(out), code=1, env={"READLOG_HOME": str(tmp_path / "typo")})
    assert "which does not exist: nothing to publish" in refused.stderr
    assert refused.stderr.strip().count("\n") == 0
    assert snapshot(out) == before
