"""The site and a reader's text in other scripts: a tag or author whose slug meets another's keeps a page of
its own (`мир` and `mir`, `三体` and `santi`: transliteration made them one page, and one of the names was
lost), and right-to-left text runs right to left, paragraph by paragraph, in a real browser."""

from __future__ import annotations

import functools
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

BOOKS = {
    "voina-i-mir": ("Война и мир", "Лев Толстой", ["мир", "classics"], None),
    "pan-tadeusz": ("Pan Tadeusz", "Adam Mickiewicz", ["mir", "classics"], None),
    "santi": ("三体", "刘慈欣", ["三体"], None),
    "garp": ("Świat według Garpa", "John Irving", ["santi"], None),
    "sipur": (
        "סיפור פשוט",
        "ש״י עגנון",
        ["עברית"],
        "ספר שקט על אהבה שלא התממשה.\n\nAn English paragraph in the middle stays left to right.\n\n"
        "ועוד פסקה בעברית בסוף.",
    ),
    "lamp": (
        "The Lamp Keeper",
        "Ada Winter",
        ["sea"],
        "A plain English opening about the keeper.\n\nשורה בעברית באמצע הביקורת.\n\nAnd English at the end.",
    ),
}


def toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@pytest.fixture
def site(run, journal_home: Path, tmp_path: Path) -> Path:
    books = journal_home / "books"
    books.mkdir(parents=True)
    for slug, (title, author, tags, review) in BOOKS.items():
        text = f'title = {toml_string(title)}\nauthors = [{toml_string(author)}]\nstatus = "read"\n'
        text += "tags = [" + ", ".join(toml_string(t) for t in tags) + "]\n"
        if review:
            text += f"\n[review]\nheadline = {toml_string(title)}\nbody = {toml_string(review)}\n"
        (books / f"{slug}.toml").write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    run("site", str(out), "--all")
    return out


def heading(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text.split('<h1 dir="auto">', 1)[1].split("</h1>", 1)[0]


def test_tags_whose_slugs_meet_each_keep_a_page_of_their_own(site):
    pages = {p.name: heading(p) for p in (site / "tags").glob("*.html")}
    assert sorted(pages.values()) == sorted(["мир", "mir", "三体", "santi", "classics", "sea", "עברית"])
    assert pages["mir.html"] == "mir"  # the name that needs no transliteration keeps the bare slug
    assert pages["santi.html"] == "santi"
    # each book links to its own tag's page, and the page lists that book alone
    war = (site / "books" / "voina-i-mir.html").read_text(encoding="utf-8")
    page = next(name for name, title in pages.items() if title == "мир")
    assert f'href="../tags/{page}"' in war
    assert "Война и мир" in (site / "tags" / page).read_text(encoding="utf-8")
    assert "Pan Tadeusz" not in (site / "tags" / page).read_text(encoding="utf-8")
    names = (site / "tags.html").read_text(encoding="utf-8")
    for name in ("мир", "mir", "三体", "santi"):
        assert f">{name}</a>" in names


def test_the_same_tag_written_two_ways_is_still_one_page(run, journal_home, tmp_path):
    books = journal_home / "books"
    books.mkdir(parents=True)
    for slug, tag in (("one", "Sci Fi"), ("two", "sci-fi"), ("three", "Émile Zola")):
        (books / f"{slug}.toml").write_text(
            f'title = "{slug}"\nauthors = ["A"]\nstatus = "read"\ntags = ["{tag}", "emile zola"]\n',
            encoding="utf-8",
        )
    out = tmp_path / "site"
    run("site", str(out), "--all")
    assert sorted(p.name for p in (out / "tags").glob("*.html")) == ["emile-zola.html", "sci-fi.html"]


def test_a_readers_text_carries_its_own_direction(site):
    page = (site / "books" / "sipur.html").read_text(encoding="utf-8")
    assert '<h1 dir="auto">' in page
    assert '<cite dir="auto">סיפור פשוט</cite>' in page
    assert '<div class="review-body" dir="auto">' in page


BROWSER = next(
    (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None
)

HARNESS = """<!doctype html><meta charset="utf-8"><body><iframe id="f" src="site/books/{slug}.html" width="900"
height="900"></iframe><pre id="out"></pre><script>
document.getElementById('f').addEventListener('load', () => {{
  const d = document.getElementById('f').contentDocument, lines = [];
  for (const p of d.querySelectorAll('.review-body p')) {{
    const r = d.createRange(); r.selectNodeContents(p);
    const t = r.getBoundingClientRect(), b = p.getBoundingClientRect();
    const side = Math.abs(b.right - t.right) < 2 ? 'right' : Math.abs(t.left - b.left) < 2 ? 'left' : 'middle';
    lines.push(side + ' ' + p.textContent);
  }}
  document.getElementById('out').textContent = lines.join('\\n');
}});
</script>"""


@pytest.mark.skipif(BROWSER is None, reason="no Chromium here (Debian: apt-get install chromium)")
@pytest.mark.parametrize(
    "slug, sides",
    [("sipur", ["right", "left", "right"]), ("lamp", ["left", "right", "left"])],
)
def test_in_a_browser_each_paragraph_runs_and_aligns_in_its_own_direction(site, tmp_path, slug, sides):
    root = tmp_path / "served"
    root.mkdir()
    shutil.copytree(site, root / "site")
    (root / "harness.html").write_text(HARNESS.format(slug=slug), encoding="utf-8")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/harness.html"
        dom = subprocess.run(
            [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
             "--dump-dom", url],  # fmt: skip
            capture_output=True, text=True, timeout=120,
        ).stdout  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    found = dom.split('<pre id="out">', 1)[1].split("</pre>", 1)[0].splitlines()
    assert [line.split(" ", 1)[0] for line in found] == sides, found


def test_a_tag_of_symbols_never_takes_a_real_tags_page(run, journal_home, tmp_path):
    """Review 23b: `!!!` (its slug a stand-in, `book`) took tags/book.html and pushed the real tag `book` to
    book-2. Mutation: the sort key back to `(not k.isascii(), k)`: this fails."""
    books = journal_home / "books"
    books.mkdir(parents=True)
    (books / "one.toml").write_text(
        'title = "One"\nauthors = ["A"]\nstatus = "read"\ntags = ["!!!", "book"]\n'
    )
    out = tmp_path / "site"
    run("site", str(out), "--all")
    assert heading(out / "tags" / "book.html") == "book"
