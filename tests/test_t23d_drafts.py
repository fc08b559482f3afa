"""A review draft that `add --edit` could not save (t23d; try-out 22b #12, t22b): the refusal names the
exact command that takes it up again (run here as printed), the draft is named by the slug the book will
get (`cplusplus-primer-plus`, not `c-primer-plus`), `readlog drafts` lists it, and `--draft` finds it
under either name. `add` has `--draft`: the book is not in the journal yet, so `review --draft` cannot
take it up; the command names `review BOOK --draft` when the book is there already."""

from __future__ import annotations

import re
import shlex
import tomllib

from conftest import write_editor

FAILING = "import sys\nopen(sys.argv[1], 'a').write('Typed with care.\\n')\nsys.exit(3)\n"
WRITING = (
    "import sys\np = sys.argv[1]\ns = open(p).read().replace('# \\n', '# Second thoughts\\n', 1)\n"
    "open(p, 'w').write(s + 'Typed with care.\\n')\n"
)


def way_back(stderr: str) -> list[str]:
    """The command the refusal names, as the words a shell would pass."""
    found = re.search(r"`(readlog [^`]*)` takes it up again", stderr)
    assert found, stderr
    return shlex.split(found[1])[1:]


def drafts(journal_home):
    folder = journal_home / "drafts"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_failed_add_edit_names_the_command_that_adds_the_book_with_its_draft(
    run, tmp_path, books, journal_home
):
    env = {"EDITOR": write_editor(tmp_path, FAILING)}
    failed = run(
        "add", "C++ Primer Plus", "-a", "Stephen Prata", "-r", "4", "--finished", "2025-03",
        "--tag", "cs books", "--private", "--edit", env=env, code=1,
    )  # fmt: skip
    (name,) = drafts(journal_home)
    assert name.startswith("cplusplus-primer-plus-")  # the book's slug (mutation: slugify(title))
    assert "cplusplus-primer-plus-" in run("drafts").stdout
    words = way_back(failed.stderr)
    assert words[:2] == ["add", "C++ Primer Plus"] and words[-2:] == ["--draft", name.removesuffix(".md")]
    for option in ("--author", "--rating", "--finished", "--tag", "--private"):
        assert option in words  # what the reader gave, all of it
    run(*words)  # as printed, in a script: the draft taken as it is
    data = tomllib.loads((books / "cplusplus-primer-plus.toml").read_text(encoding="utf-8"))
    assert "Typed with care." in data["review"]["body"]
    assert data["rating"] == 4 and data["tags"] == ["cs books"] and data["private"] is True
    assert data["reads"][0]["finished"] == "2025-03"
    assert drafts(journal_home) == []  # removed once saved


def test_a_book_already_there_takes_the_draft_by_review(run, tmp_path, books, journal_home):
    run("add", "Dune", "-a", "Frank Herbert")
    env = {"EDITOR": write_editor(tmp_path, WRITING)}
    failed = run("add", "Dune", "-a", "Frank Herbert", "--edit", env=env, code=1)
    words = way_back(failed.stderr)
    (name,) = drafts(journal_home)
    assert words == ["review", "dune", "--draft", name.removesuffix(".md")]  # (mutation: BookExists' slug)
    run(*words)
    review = tomllib.loads((books / "dune.toml").read_text(encoding="utf-8"))["review"]
    assert review["headline"] == "Second thoughts" and "Typed with care." in review["body"]


def test_the_draft_is_found_under_either_name(run, books, journal_home):
    """A draft an earlier readlog kept under the title's plain slug is found by the book's slug, and one
    kept under the book's slug by the plain one."""
    folder = journal_home / "drafts"
    folder.mkdir(parents=True)
    (folder / "c-primer-plus-20250101-101010.md").write_text("# Old\n\nKept before.\n", encoding="utf-8")
    run("add", "C++ Primer Plus", "-a", "Stephen Prata", "--draft", "cplusplus-primer-plus-20250101")
    review = tomllib.loads((books / "cplusplus-primer-plus.toml").read_text(encoding="utf-8"))["review"]
    assert review["headline"] == "Old"  # (mutation: find_draft without `names`)
    (folder / "cplusplus-primer-plus-20250202-101010.md").write_text("# New\n\nKept now.\n", encoding="utf-8")
    run("review", "cplusplus-primer-plus", "--draft", "c-primer-plus-20250202", "--replace")
    review = tomllib.loads((books / "cplusplus-primer-plus.toml").read_text(encoding="utf-8"))["review"]
    assert review["headline"] == "New"
    assert drafts(journal_home) == []


def test_draft_with_a_review_given_is_a_usage_error(run, journal_home):
    result = run("add", "Dune", "-a", "Frank Herbert", "--review", "x", "--draft", "dune", code=2)
    assert "--draft" in result.stderr


def test_the_command_names_the_data_dir_it_was_given(run, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.delenv("READLOG_HOME")
    env = {"EDITOR": write_editor(tmp_path, FAILING)}
    failed = run(
        "--data-dir", str(elsewhere), "add", "Dune", "-a", "Frank Herbert", "--edit", env=env, code=1
    )
    words = way_back(failed.stderr)
    assert words[-2:] == ["--data-dir", str(elsewhere)]
    run(*words)
    assert (elsewhere / "books" / "dune.toml").exists()


def test_a_failed_reflection_names_its_way_back(run, tmp_path, books, journal_home):
    run("add", "Dune", "-a", "Frank Herbert")
    env = {"EDITOR": write_editor(tmp_path, FAILING)}
    failed = run("reflect", "dune", "--edit", "--title", "On sand", "--date", "2025-01-02", env=env, code=1)
    words = way_back(failed.stderr)
    assert words[:4] == ["reflect", "dune", "--draft", drafts(journal_home)[0].removesuffix(".md")]
    run(*words)
    (reflection,) = tomllib.loads((books / "dune.toml").read_text(encoding="utf-8"))["reflections"]
    assert reflection["text"] == "Typed with care." and reflection["title"] == "On sand"
    assert str(reflection["date"]) == "2025-01-02"
