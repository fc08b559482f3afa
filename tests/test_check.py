"""`readlog check` reports every kind of problem on one line, changes nothing, and --fix only what is safe."""

from __future__ import annotations

import json
import os

import pytest

from conftest import snapshot


@pytest.fixture
def messy(run, books, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert", "--rating", "4")
    run("add", "Piranesi", "-a", "Susanna Clarke")
    (books / "conflict.toml").write_text(
        'title = "x"\n<<<<<<< HEAD\nrating = 4\n=======\nrating = 5\n>>>>>>> theirs\n'
    )
    (books / "bad-rating.toml").write_text('title = "Bad"\nrating = 9\n')
    (books / "bad-toml.toml").write_text('title = "Bad\n')
    (books / "future.toml").write_text('schema = 7\ntitle = "Future"\n')
    (books / "Dune Again.toml").write_bytes((books / "dune.toml").read_bytes())  # Finder's copy
    (books / "Kindred Book.toml").write_text('title = "Kindred"\nauthors = ["Octavia E. Butler"]\n')
    (books / ".dune.toml.0badc0de.tmp").write_text("half a wri")
    (books / "notes.md").write_text("my notes")
    outside = tmp_path / "secret.toml"
    outside.write_text('title = "Secret"\n')
    (books / "sneaky.toml").symlink_to(outside)
    return books


EXPECTED = {
    "conflict.toml": ("conflict", 2, "git conflict markers"),
    "bad-rating.toml": ("field", 2, "rating: 9 is not a rating"),
    "bad-toml.toml": ("toml", 1, "invalid TOML"),
    "future.toml": ("schema", None, "written by a newer readlog (schema 7"),
    "Dune Again.toml": ("copy", None, "not a slug: readlog cannot see it; the same bytes as dune.toml"),
    "Kindred Book.toml": ("bad-name", None, "not a slug"),
    ".dune.toml.0badc0de.tmp": ("temp-file", None, "interrupted write"),
    "notes.md": ("unknown-file", None, "not a book file"),
    "sneaky.toml": ("link", None, "outside the journal"),
}


def test_check_reports_every_problem_and_changes_nothing(run, messy, journal_home):
    before = snapshot(journal_home)
    result = run("check", code=1)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(EXPECTED)
    for name, (_, line, message) in EXPECTED.items():
        where = str(messy / name) + (f":{line}" if line else "")
        assert any(text.startswith(where) and message in text for text in lines), name
    assert "9 problems" in result.stderr
    assert snapshot(journal_home) == before


def test_check_json(run, messy):
    report = json.loads(run("check", "--json", code=1).stdout)
    kinds = {os.path.basename(p["path"]): p["kind"] for p in report["problems"]}
    assert kinds == {name: kind for name, (kind, _, _) in EXPECTED.items()}
    assert report["checked"] == 11 and report["fixed"] == []


def test_check_fix_repairs_only_what_is_safe(run, messy):
    result = run("check", "--fix", code=1)
    # the temp file's text is nowhere else: kept in trash/ before it goes (issue 21)
    assert "fixed: moved" in result.stdout and "fixed: renamed" in result.stdout
    assert not (messy / ".dune.toml.0badc0de.tmp").exists()
    assert not (messy / "Kindred Book.toml").exists() and (messy / "kindred.toml").exists()
    # a copy of a book in books/ is never renamed into a second one (review 33a #6): in trash/, as `rm` puts it
    assert not (messy / "Dune Again.toml").exists() and not (messy / "dune-herbert.toml").exists()
    assert [p.name.split(".")[0] for p in (messy.parent / "trash").glob("dune.*.toml")] == ["dune"]
    for untouched in ("conflict.toml", "bad-rating.toml", "bad-toml.toml", "future.toml", "notes.md"):
        assert (messy / untouched).exists()
    remaining = json.loads(run("check", "--json", code=1).stdout)["problems"]
    assert {p["kind"] for p in remaining} == {
        "conflict",
        "field",
        "toml",
        "schema",
        "unknown-file",
        "link",
    }


def test_a_clean_journal_checks_clean(run):
    run("add", "Dune", "-a", "Frank Herbert")
    result = run("check")
    assert result.stdout == "" and "checked 1 file in " in result.stderr and "all good" in result.stderr
    assert json.loads(run("check", "--json").stdout) == {"checked": 1, "problems": [], "fixed": []}
    run("add", "Emma", "-a", "Jane Austen")
    assert "checked 2 files in " in run("check").stderr


def test_a_newer_schema_file_is_shown_read_only_and_never_written(run, books, unchanged):
    books.mkdir(parents=True)
    (books / "future.toml").write_text(
        'schema = 9\ntitle = "Future Book"\nauthors = ["A"]\nshiny = "new field"\n'
    )
    unchanged_now = snapshot(books)
    result = run("show", "future")
    assert "Future Book" in result.stdout and "shown read-only" in result.stderr
    for command in (
        ["reflect", "future", "x"],
        ["quote", "future", "x"],
        ["next", "add", "Y", "-a", "B", "--from", "future"],
    ):
        assert "newer readlog" in run(*command, code=1).stderr
    assert json.loads(run("list", "--json").stdout)[0]["title"] == "Future Book"
    assert snapshot(books) == unchanged_now


def test_links_out_of_the_journal_are_never_followed(run, books, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert")
    secret = tmp_path / "secret.toml"
    secret.write_text('title = "Secret Diary"\n')
    (books / "secret-diary.toml").symlink_to(secret)
    assert "outside the journal" in run("show", "secret-diary", code=1).stderr
    assert "Secret Diary" not in run("list").stdout
    inside = books / "alias.toml"
    inside.symlink_to(books / "dune.toml")
    assert "Dune" in run("show", "alias").stdout  # a link within the journal is fine


def test_migrations_take_old_files_up_one_step_at_a_time():
    from readlog.errors import InvalidValue
    from readlog.model import SCHEMA, migrate

    today = {"schema": SCHEMA, "title": "x"}
    assert migrate(dict(today)) == today  # already at today's schema: identity
    # no `schema`: a hand-written schema 1 file, brought up to today's
    assert migrate({"title": "x"}) == {"title": "x", "schema": SCHEMA}

    def rename_author(data):
        data["authors"] = [data.pop("writer")]
        return data

    steps = ((1, "writer becomes authors", rename_author),)
    assert migrate({"schema": 1, "title": "x", "writer": "W"}, steps, target=2) == {
        "schema": 2,
        "title": "x",
        "authors": ["W"],
    }
    with pytest.raises(InvalidValue, match="no migration from schema 2 to 3"):
        migrate({"schema": 1, "title": "x", "writer": "W"}, steps, target=3)
    with pytest.raises(InvalidValue, match="migration 'writer becomes authors' failed"):
        migrate({"schema": 1, "title": "x"}, steps, target=2)
