"""A private review stays private when it is rewritten (t22e: try-out 22b's findings 1, 3 and 12's review
items): `--edit --replace`, `TEXT --replace` and `finish --reread --review --replace` kept the text and
dropped `private = true`, which the next `readlog site` published."""

from __future__ import annotations

from pathlib import Path

from conftest import write_editor
from readlog.journal import Journal


def review_of(home: Path, slug: str = "klara"):
    return Journal(home).load(slug).book.review


def site_text(run, tmp_path: Path) -> str:
    out = tmp_path / "site"
    run("site", str(out))
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file())


def private_review(run) -> None:
    run("add", "Klara", "--author", "Kazuo Ishiguro", "--finished", "2025-03-01")
    run("review", "klara", "PRIV-ONE the first text", "--private")


def test_text_replace_keeps_the_review_private(run, journal_home, tmp_path):
    private_review(run)
    run("review", "klara", "PRIV-TWO rewritten", "--replace")
    review = review_of(journal_home)
    assert review.body == "PRIV-TWO rewritten" and review.private  # (mutation: make_review without `was`)
    assert "PRIV-TWO" not in site_text(run, tmp_path)


def test_edit_replace_keeps_the_review_private_and_the_template_says_so(run, journal_home, tmp_path):
    private_review(run)
    seen = tmp_path / "template.md"
    editor = write_editor(
        tmp_path,
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        f"pathlib.Path({str(seen)!r}).write_text(p.read_text())\n"
        "p.write_text(p.read_text().replace('# \\n', '# PRIV-HEAD\\n'))\n",
    )
    run("review", "klara", "--edit", "--replace", env={"EDITOR": editor})
    review = review_of(journal_home)
    assert review.headline == "PRIV-HEAD" and review.body == "PRIV-ONE the first text"
    assert review.private
    assert "This review is private" in seen.read_text()  # (mutation: review_template's `private` unused)
    assert "PRIV-HEAD" not in site_text(run, tmp_path)


def test_finish_reread_with_a_review_keeps_it_private(run, journal_home):
    private_review(run)
    run("finish", "klara", "--reread", "--review", "PRIV-THREE on a re-read", "--replace")
    review = review_of(journal_home)
    assert review.body == "PRIV-THREE on a re-read" and review.private


def test_public_says_otherwise_and_a_first_review_is_public(run, journal_home):
    private_review(run)
    run("review", "klara", "now for everyone", "--replace", "--public")
    assert not review_of(journal_home).private
    run("add", "Piranesi", "--author", "Susanna Clarke")
    run("review", "piranesi", "a first review")
    assert not review_of(journal_home, "piranesi").private


def test_the_flag_alone_changes_only_the_flag(run, journal_home):
    private_review(run)
    run("review", "klara", "--public")
    review = review_of(journal_home)
    assert not review.private and review.body == "PRIV-ONE the first text"
    assert not (journal_home / "trash").exists() or not list((journal_home / "trash").iterdir())
    run("review", "klara", "--private")
    assert review_of(journal_home).private
    run("add", "Piranesi", "--author", "Susanna Clarke")
    result = run("review", "piranesi", "--private", code=1)
    assert "has no review" in result.stderr


def test_a_headline_alone_keeps_the_body(run, journal_home):
    run("add", "Klara", "--author", "Kazuo Ishiguro")
    run("review", "klara", "The body stays.")
    run("review", "klara", "--headline", "A new headline", "--replace")
    review = review_of(journal_home)
    # (mutation: `only_headline` ignored in make_review: the body was emptied)
    assert review.headline == "A new headline" and review.body == "The body stays."


def test_text_with_edit_is_where_the_editor_starts(run, journal_home, tmp_path):
    run("add", "Klara", "--author", "Kazuo Ishiguro")
    seen = tmp_path / "template.md"
    editor = write_editor(
        tmp_path,
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        f"pathlib.Path({str(seen)!r}).write_text(p.read_text())\n"
        "p.write_text(p.read_text() + ' and more')\n",
    )
    run("review", "klara", "TYPED-TEXT", "--edit", env={"EDITOR": editor})
    assert "TYPED-TEXT" in seen.read_text()  # (mutation: start_of returns `current`: it was dropped)
    assert review_of(journal_home).body == "TYPED-TEXT and more"


def test_edit_with_no_terminal_and_no_editor_is_refused(run, journal_home):
    run("add", "Klara", "--author", "Kazuo Ishiguro")
    result = run("review", "klara", "--edit", code=1)
    assert "no terminal for an editor" in result.stderr  # (mutation: the check removed: vi was started)
    drafts = journal_home / "drafts"
    assert not drafts.exists() or not list(drafts.iterdir())
    result = run("add", "Piranesi", "--author", "Susanna Clarke", "--edit", code=1)
    assert "no terminal for an editor" in result.stderr


def test_a_kept_review_draft_is_previewed_by_what_was_typed(run, journal_home, tmp_path):
    run("add", "Klara", "--author", "Kazuo Ishiguro")
    editor = write_editor(
        tmp_path,
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\np.write_text(p.read_text() + 'DRAFT-WORDS')\nsys.exit(3)\n",
    )
    run("review", "klara", "--edit", env={"EDITOR": editor}, code=1)
    listed = run("drafts").stdout
    # (mutation: the empty headline `#` not skipped: every review draft was previewed as `#`)
    assert "DRAFT-WORDS" in listed
