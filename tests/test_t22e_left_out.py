"""What publishing leaves out, said and done alike by the Markdown export and the site (t22e: try-out
22b's findings 8 and 9): `export --format markdown --output DIR --force` left the post of a book made
private since, and its refusal did not count it; `readlog site` never said what it left out."""

from __future__ import annotations

from pathlib import Path

from readlog.journal import Journal


def two_books(run) -> None:
    run("add", "Heart of a Dog", "--author", "Mikhail Bulgakov", "--review", "HOD-PUBLIC-REVIEW")
    run("add", "Other", "--author", "O B", "--review", "other review")
    run("reflect", "other", "a private thought", "--private")


def make_private(home: Path, slug: str) -> None:
    from readlog.privacy import set_private

    set_private(Journal(home), slug)


def test_a_post_of_a_book_made_private_is_removed(run, journal_home, tmp_path):
    two_books(run)
    out = tmp_path / "posts"
    run("export", "--format", "markdown", "--output", str(out))
    assert (out / "heart-of-a-dog.md").is_file()
    make_private(journal_home, "heart-of-a-dog")
    refused = run("export", "--format", "markdown", "--output", str(out), code=1)
    assert "2 files already in" in refused.stderr  # (mutation: `stale` left out of `clashes`: it said 1)
    done = run("export", "--format", "markdown", "--output", str(out), "--force")
    assert not (out / "heart-of-a-dog.md").exists()  # (mutation: the unlink removed: HOD stayed published)
    assert "HOD-PUBLIC-REVIEW" not in "".join(p.read_text() for p in out.iterdir())
    assert "removed 1 post of a book now private (heart-of-a-dog.md)" in done.stderr
    assert "1 private book left out" in done.stderr


def test_site_says_what_it_left_out_in_the_exports_words(run, journal_home, tmp_path):
    two_books(run)
    make_private(journal_home, "heart-of-a-dog")
    out = tmp_path / "site"
    said = [run("site", str(out)).stderr, run("site", str(out)).stderr]  # built, then nothing to do
    for stderr in said:  # (the site's words are t22c's, one rule for both publishers: privacy.left_out_lines)
        assert "readlog: 1 private book left out" in stderr
        assert "readlog: private parts of 1 book left out of the site (Other): 1 reflection" in stderr
    posts = run("export", "--format", "markdown", "--output", str(tmp_path / "posts")).stderr
    assert (
        "1 private book left out" in posts
        and "private parts of 1 book left out of its post (Other): 1 reflection" in posts
    )
    run("reflect", "other", "public now", "--date", "2025-01-01")
    make_private(journal_home, "other")  # the whole book: nothing left of it, and it is counted so
    again = run("site", str(out)).stderr
    assert "2 private books left out" in again and "private parts" not in again
