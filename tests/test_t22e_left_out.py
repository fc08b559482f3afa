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
    for stderr in said:
        # (mutation: build's left_out=[] / the fast path's _said_before returning []: nothing said)
        assert "readlog: 1 private book left out" in stderr
        assert "readlog: private parts of 1 book left out of its page (Other)" in stderr
    posts = run("export", "--format", "markdown", "--output", str(tmp_path / "posts")).stderr
    assert (
        "1 private book left out" in posts and "private parts of 1 book left out of its post (Other)" in posts
    )
    run("reflect", "other", "public now", "--date", "2025-01-01")
    make_private(journal_home, "other")  # the whole book: nothing left of it, and it is counted so
    again = run("site", str(out)).stderr
    assert "2 private books left out" in again and "private parts" not in again


def test_the_cheap_look_never_misses_what_left_out_says(run, journal_home):
    """may_leave_out guards left_out on a cold build: every book left_out has words for, it must let by
    (mutation: its reflections/quotes line removed: the site said nothing of a private reflection)."""
    import os
    import shutil

    from readlog.privacy import left_out, may_leave_out

    example = Path(__file__).resolve().parent.parent / "examples" / "journal" / "books"
    shutil.copytree(example, journal_home / "books")
    two_books(run)
    run("quote", "other", "a private line", "--private")
    run("review", "heart-of-a-dog", "--private")
    imports = os.environ.get("READLOG_TEST_IMPORTS")
    if imports:  # (real exports: source tables, another edition's review)
        run("import", f"{imports}/goodreads_freizl_my-reads.csv")
    journal = Journal(journal_home)
    books = [journal.load(slug).book for slug in journal.slugs()]
    said = [book for book in books if left_out(book)]
    assert len(said) >= 2
    assert all(may_leave_out(book) for book in said)
