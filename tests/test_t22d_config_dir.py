"""A relative `data_dir` in config.toml is taken from the config file's own folder, not from the folder
readlog runs in: one journal, whatever the current folder (as for $READLOG_HOME, made whole: t21f)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """READLOG_CONFIG at tmp/conf/config.toml; READLOG_HOME unset, so the file's data_dir counts."""
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir()
    monkeypatch.setenv("READLOG_CONFIG", str(path))
    monkeypatch.delenv("READLOG_HOME")
    return path


def _in(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(folder)


def test_a_relative_data_dir_names_one_journal_from_any_folder(run, config, tmp_path, monkeypatch):
    config.write_text('data_dir = "journal"\n')
    _in(tmp_path / "a", monkeypatch)
    added = run("add", "Rel Book", "-a", "X Y")
    assert str(tmp_path / "conf" / "journal" / "books" / "rel-book.toml") in added.stderr
    _in(tmp_path / "b" / "deeper", monkeypatch)
    assert run("list").stdout.startswith("rel-book\tRel Book\t")
    assert json.loads(run("show", "rel-book", "--json").stdout)["title"] == "Rel Book"
    assert not (tmp_path / "a" / "journal").exists() and not (tmp_path / "b" / "deeper" / "journal").exists()


def test_config_shows_the_whole_path(run, config, tmp_path, monkeypatch):
    config.write_text('data_dir = "../books-here"\n')
    _in(tmp_path / "elsewhere", monkeypatch)
    rows = dict(line.split("\t")[:2] for line in run("config").stdout.splitlines())
    assert rows["data_dir"] == str(tmp_path / "conf" / ".." / "books-here")


def test_home_and_absolute_folders_are_as_they_were(run, config, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    config.write_text('data_dir = "~/readlog-journal"\n')
    _in(tmp_path / "a", monkeypatch)
    assert str(tmp_path / "home" / "readlog-journal" / "books") in run("add", "T", "-a", "X").stderr
    config.write_text(f'data_dir = "{tmp_path / "abs"}"\n')
    assert str(tmp_path / "abs" / "books") in run("add", "T", "-a", "X").stderr


def test_the_options_and_variable_still_win_and_are_from_this_folder(run, config, tmp_path, monkeypatch):
    config.write_text('data_dir = "journal"\n')
    _in(tmp_path / "a", monkeypatch)
    run("--data-dir", "mine", "add", "T", "-a", "X")
    monkeypatch.setenv("READLOG_HOME", "env-home")
    run("add", "T", "-a", "X")
    assert (tmp_path / "a" / "mine" / "books" / "t.toml").is_file()
    assert (tmp_path / "a" / "env-home" / "books" / "t.toml").is_file()
    assert not (tmp_path / "conf" / "journal").exists()


def test_config_set_says_where_a_relative_folder_names(run, config, tmp_path, monkeypatch):
    _in(tmp_path / "a", monkeypatch)
    said = run("config", "set", "data_dir", "journal").stderr
    assert f"(relative to the config file's folder: {tmp_path / 'conf' / 'journal'})" in said
    assert config.read_text() == 'data_dir = "journal"\n'  # kept as typed: the file's rule applies
    said = run("config", "set", "data_dir", str(tmp_path / "abs")).stderr
    assert "relative" not in said
    assert "relative" not in run("config", "set", "list.sort", "title").stderr
