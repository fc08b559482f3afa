"""files.py: the one write path's helpers, on real files in tmp dirs."""

from __future__ import annotations

import os
import stat

import pytest

from readlog.files import atomic_write, move


def test_move_renames_and_never_lands_over_another_file(tmp_path):
    source, target = tmp_path / "a.toml", tmp_path / "b.toml"
    source.write_text("mine")
    target.write_text("someone else's")
    with pytest.raises(FileExistsError):
        move(source, target)
    assert source.read_text() == "mine" and target.read_text() == "someone else's"  # nothing changed
    free = tmp_path / "c.toml"
    move(source, free)
    assert not source.exists() and free.read_text() == "mine"


def test_move_replace_takes_a_claimed_name_across_folders(tmp_path):
    (tmp_path / "trash").mkdir()
    source, claimed = tmp_path / "a.toml", tmp_path / "trash" / "a.1.toml"
    source.write_text("the book")
    claimed.touch()  # the empty file that holds the name (Journal.trash_path)
    move(source, claimed, replace=True)
    assert not source.exists() and claimed.read_text() == "the book"


def test_move_of_a_link_moves_the_link_not_its_target(tmp_path):
    real = tmp_path / "real.toml"
    real.write_text("x")
    link = tmp_path / "Link Name.toml"
    link.symlink_to(real)
    move(link, tmp_path / "link-name.toml")
    assert (tmp_path / "link-name.toml").is_symlink() and real.read_text() == "x"
    assert not os.path.lexists(link)


def test_a_cache_write_is_whole_and_private_without_fsync(tmp_path):
    path = tmp_path / "answer.body"
    path.write_bytes(b"old")
    atomic_write(path, b"new answer", durable=False)
    assert path.read_bytes() == b"new answer"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["answer.body"]  # no temp file left behind
