"""Session 26 (t26e): a tag is a line, as a title and an author's name are (model.parse_line, text.clean_name):
control characters dropped (a bell, a NUL, a terminal's escape sequence whole), runs of spaces one, by every
way a tag comes in: `add --tag`, `tag`, `tags rename`, an import's shelves, `edit` (refused, named), and the
spelling a later `add --tag` takes from the journal."""

from __future__ import annotations

from test_editor import refused_edit
from test_t23c_merge import toml

BELL, ESCAPE = "\x07", "\x1b[31m"


def test_add_and_tag_drop_control_characters_from_tags(run, books):
    run("add", "Dune", "-a", "Frank Herbert", "--tag", f"sci{BELL}fi", "--tag", f"{ESCAPE}red, de\tsert")
    assert toml(books, "dune")["tags"] == ["scifi", "red", "de sert"]
    said = run("tag", "dune", f"clas{BELL}sic", f"{ESCAPE}").stdout + run("tag", "dune", "x").stderr
    assert toml(books, "dune")["tags"] == ["scifi", "red", "de sert", "classic", "x"]
    assert "␇" not in said and "\x07" not in said
    run("tags", "rename", "x", f"e{BELL}pic")
    assert toml(books, "dune")["tags"][-1] == "epic"
    assert "control character" not in run("check").stderr


def test_tags_rename_names_the_tag_as_it_wrote_it(run, books):
    """review26c #6: the message named NEW as typed (`'Sci␤Fi'`), while the books got `Sci Fi`."""
    run("add", "Dune", "-a", "Frank Herbert", "--tag", "sci fi")
    said = run("tags", "rename", "sci fi", "Sci\n Fi\t ").stderr
    assert toml(books, "dune")["tags"] == ["Sci Fi"]
    assert "Renamed 'sci fi' to 'Sci Fi' in 1 book" in said


def test_a_later_add_does_not_take_a_control_character_from_the_journals_spelling(run, books):
    """A file an older readlog (or a hand) wrote with `sci\\tfi`: `--tag "sci fi"` is that tag (tag_key), but
    the spelling given to the new book is a clean one, never the one `check` names."""
    run("add", "Dune", "-a", "Frank Herbert", "--status", "want")
    (books / "dune.toml").write_text((books / "dune.toml").read_text() + 'tags = ["Sci\\tFi"]\n')
    assert toml(books, "dune")["tags"] == ["Sci\tFi"]
    run("add", "Hyperion", "-a", "Dan Simmons", "--tag", "sci fi")
    assert toml(books, "hyperion")["tags"] == ["sci fi"]
    run("tag", "hyperion", "SCI-FI")  # (the same tag: nothing to add)
    assert toml(books, "hyperion")["tags"] == ["sci fi"]


def test_imports_drop_control_characters_from_tags_and_shelves(run, books, tmp_path):
    hardcover = tmp_path / "hardcover.csv"
    hardcover.write_text(
        "Title,Author,Status,Hardcover Book ID,Tags\n"
        f'Emma,Jane Austen,Want to Read,11,"clas{BELL}sics, {ESCAPE}regency"\n'
        f"Persuasion,Jane Austen,Ig{BELL}nored,12,\n"
    )
    run("import", str(hardcover))
    assert toml(books, "emma")["tags"] == ["classics", "regency"]
    assert toml(books, "persuasion")["tags"] == ["ignored"]
    exported = (
        '[{"slug": "x", "schema": 2, "title": "X", "authors": ["A"], "tags": ["o\\u0007ne", "t\\two"]}]'
    )
    (tmp_path / "ex.json").write_text(exported, encoding="utf-8")
    run("import", str(tmp_path / "ex.json"))
    assert toml(books, "x")["tags"] == ["one", "t wo"]


def test_edit_refuses_a_tag_with_a_control_character_as_it_does_a_title(run, books, tmp_path, journal_home):
    run("add", "Dune", "-a", "Frank Herbert", "--tag", "classic")
    out = refused_edit(run, tmp_path, journal_home, "dune", "classic", "'clas\\\\u0007sic'")
    assert "tags: 'clas␇sic' holds a control character (U+0007): take it out" in out, out
