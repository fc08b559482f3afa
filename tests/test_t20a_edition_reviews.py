"""Another edition's review (kept in `[[source.<service>.editions]]`, shown by `show` as "Review of another
edition") is found by `readlog search` and is in `readlog export --format markdown`; near misses: a book
without one, a private review (the post leaves the other edition's out too), a private book."""

from __future__ import annotations

from test_import_export import GR_HEADER, gr_row, write_csv


def imported(run, tmp_path):
    rows = [
        gr_row(**{"Book Id": "1", "Title": "The Wandering Earth", "Author": "Cixin Liu", "Binding": "Paperback",
                  "My Review": "Short stories that stay with you.", "Date Read": "2024/01/02", "Read Count": "1"}),
        gr_row(**{"Book Id": "2", "Title": "The Wandering Earth", "Author": "Cixin Liu", "Binding": "Hardcover",
                  "My Review": "An epic scope across the stories.", "Date Read": "2024/03/02", "Read Count": "1"}),
        gr_row(**{"Book Id": "3", "Title": "Ball Lightning", "Author": "Cixin Liu", "Binding": "Hardcover",
                  "My Review": "Odd and good, an epic of physics."}),
    ]  # fmt: skip
    run("import", str(write_csv(tmp_path / "export.csv", GR_HEADER, rows)))


def test_search_finds_another_editions_review(run, tmp_path, books):
    imported(run, tmp_path)
    found = run("search", "scope").stdout  # (a pipe: slug, part, label, text)
    assert found.startswith("the-wandering-earth\treview\tanother edition: Hardcover, goodreads Book Id 2\t")
    assert "ball-lightning" not in found
    both = run("search", "epic").stdout  # a review and another edition's, each a hit of its book
    assert "ball-lightning\treview" in both and "the-wandering-earth\treview" in both
    assert "epic scope" in run("search", "scope", "--in", "review").stdout
    assert "epic scope" not in run("search", "scope", "--in", "reflections").stdout


def test_markdown_export_has_another_editions_review(run, tmp_path, books):
    imported(run, tmp_path)
    post = run("export", "--format", "markdown", "the-wandering-earth").stdout
    assert "Short stories that stay with you." in post
    assert "## Review of another edition" in post and "An epic scope across the stories." in post
    assert "*Hardcover, goodreads Book Id 2*" in post
    assert post.index("Short stories") < post.index("An epic scope")
    assert "another edition" not in run("export", "--format", "markdown", "ball-lightning").stdout


def test_a_private_review_keeps_the_other_editions_out_of_the_post(run, tmp_path, books):
    imported(run, tmp_path)
    path = books / "the-wandering-earth.toml"
    path.write_text(path.read_text().replace("[review]\n", "[review]\nprivate = true\n"))
    post = run("export", "--format", "markdown", "the-wandering-earth").stdout
    assert "Short stories" not in post and "epic scope" not in post
    assert "epic scope" in run("search", "scope").stdout  # search is the reader's own: it finds it
