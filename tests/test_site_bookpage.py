"""Book pages written by bookpage.render must be the very text Jinja makes of book.html in base.html: for
contexts of every shape (generated), for the pages of real journals (built with and without an override
that makes Jinja render them), and only while the package's templates are the pinned ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readlog.exporters.site import bookpage, build, engine
from readlog.exporters.site.context import URLS

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "journal"
PACKAGE = build._package_templates()

# Text near every rule of escaping and of the Markdown filter: HTML's special characters, markup, headings,
# blank lines, controls (which the page then drops), non-ASCII.
PIECES = ["Word", "quiet", " ", "\n", "\n\n", "# ", "## ", "<b>", "&", "&amp;", '"', "'", ">", "*", "_", "`",
          "[x](y)", "\\", "|", "- ", "1. ", "Él", "東京", "·", "\x00", "\x0b", "\ufffe", "\t", "    "]  # fmt: skip
text = st.lists(st.sampled_from(PIECES), max_size=10).map("".join)
maybe = st.one_of(st.none(), st.just(""), text)


def _items(names: list[str], kind: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = [{"name": n, "url": f"{kind}/{n}.html", "sep": ", "} for n in names]
    if items:
        items[-1]["sep"] = ""
    return items


def _page_values(draw: st.DrawFn, path: str) -> dict[str, object]:
    """What every page's context holds for base.html (`_page`'s values), drawn."""
    return {
        "site_title": draw(st.sampled_from(["Reading journal", "A & <B>", ""])),
        "root": draw(st.sampled_from(["../", "", "a&b/"])),
        "path": path,
        "site_urls": URLS,
        "title": draw(st.one_of(text, st.just("Reading journal"))),
    }


@st.composite
def contexts(draw: st.DrawFn) -> dict[str, object]:
    reads = [
        {"started": draw(maybe), "finished": draw(maybe), "stopped": draw(maybe), "undated": draw(maybe),
         "rating": draw(st.one_of(st.none(), st.just("3.5 out of 5"))), "sep": "; "}
        for _ in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    if reads:
        reads[-1]["sep"] = ""
    titled = [{"number": n, "title": draw(text), "text": draw(text), "date": draw(maybe)}
              for n in range(1, draw(st.integers(0, 2)) + 1)]  # fmt: skip
    picks = [
        {"number": n, "title": draw(text), "authors": draw(st.lists(text, max_size=3)), "why": None,
         "why_paragraphs": draw(st.lists(text, max_size=2)), "url": draw(st.one_of(st.none(), text)),
         "status": draw(st.sampled_from([None, "read", "reading", "want", "abandoned"]))}
        for n in range(1, draw(st.integers(0, 3)) + 1)
    ]  # fmt: skip
    rating = draw(st.one_of(st.none(), st.sampled_from([0.5, 3, 4.25, 5])))
    return {
        **_page_values(draw, "books/x.html"),
        "book": {
            "title": draw(text),
            "authors": _items(draw(st.lists(text, max_size=3)), "authors"),
            "year": draw(st.one_of(st.none(), st.integers(-5, 2100))),
            "pages": draw(st.one_of(st.none(), st.integers(0, 900))),
            "series": draw(maybe),
            "status": draw(st.one_of(st.none(), st.sampled_from(["read", "want", "<x>"]))),
            "tags": _items(draw(st.lists(text, max_size=3)), "tags"),
            "reads": reads,
            "reads_label": draw(st.sampled_from(["Read", "Read 3 times", "2 readings <&>"])),
            "rating": rating,
            "stars": None if rating is None else "★★★½☆",
            "rating_words": None if rating is None else f"{rating:g} out of 5",
            "facts": [{"label": draw(text), "value": draw(text)} for _ in range(draw(st.integers(0, 2)))],
        },
        "review": draw(
            st.one_of(st.none(), st.fixed_dictionaries({"headline": maybe, "written": maybe, "body": maybe}))
        ),  # fmt: skip
        "edition_reviews": [
            {"number": n, "told": draw(text), "text": draw(text)}
            for n in range(1, draw(st.integers(0, 2)) + 1)
        ],
        "reflections": [],
        "titled_reflections": titled,
        "untitled_reflections": [
            {"date": draw(maybe), "text": draw(text), "title": None} for _ in range(draw(st.integers(0, 2)))
        ],  # fmt: skip
        "quotes": [
            {"text": draw(text), "where": draw(maybe), "note": draw(maybe)}
            for _ in range(draw(st.integers(0, 2)))
        ],  # fmt: skip
        "read_next": draw(
            st.one_of(st.none(), st.just({"heading": draw(text), "intro": draw(maybe), "picks": picks}))
        ),  # fmt: skip
    }


ENV = engine.environment([PACKAGE])


@settings(max_examples=400, deadline=None)
@given(contexts())
def test_a_book_page_is_jinjas_text_for_any_context(context):
    assert ENV.book_page is bookpage.render  # type: ignore[attr-defined]
    page = build.Page("books/x.html", "book.html", context)
    jinja = ENV.get_template("book.html").render(context)
    assert bookpage.render(context, ENV.filters["markdown"]) == jinja
    assert build.render(ENV, page) == build.render(_jinja_only(), page)  # and after what XML cannot carry


def _jinja_only():
    env = engine.environment([PACKAGE])
    env.book_page = env.graph_page = None  # type: ignore[attr-defined]
    env.macros_written = False  # type: ignore[attr-defined]  # (macros.html's own macros too)
    return env


@st.composite
def graph_contexts(draw: st.DrawFn) -> dict[str, object]:
    """graph_page's context: every book with picks, and its picks."""
    link = {
        "title": text,
        "url": st.one_of(st.none(), st.just(""), text),
        "authors": st.lists(text, max_size=3),
    }
    status = st.sampled_from([None, "read", "reading", "want", "abandoned", ""])
    pick = st.fixed_dictionaries({**link, "status": status})
    source = st.fixed_dictionaries({**link, "picks": st.lists(pick, max_size=3)})
    return {**_page_values(draw, "graph.html"), "sources": draw(st.lists(source, max_size=4))}


@settings(max_examples=400, deadline=None)
@given(graph_contexts())
def test_the_read_next_map_is_jinjas_text_for_any_context(context):
    """The read-next map (a page that lists every book with picks: a tenth of a second of Jinja at 10,000
    books) is written by bookpage.graph: the very text of graph.html and its macros, as Jinja makes it."""
    assert ENV.graph_page is bookpage.graph  # type: ignore[attr-defined]
    page = build.Page("graph.html", "graph.html", context)
    jinja = _jinja_only().get_template("graph.html").render(context)
    assert bookpage.graph(context, ENV.filters["markdown"]) == jinja
    assert build.render(ENV, page) == build.render(_jinja_only(), page)  # and after what XML cannot carry


def test_the_pin_is_the_package_templates():
    """An edit of book.html or base.html turns the Python page off (Jinja renders it): update
    bookpage.render to write what the templates now say, then PINNED to this digest."""
    assert bookpage.digest(PACKAGE) == bookpage.PINNED
    assert bookpage.digest(PACKAGE, bookpage.GRAPH) == bookpage.PINNED_GRAPH  # (bookpage.graph's)


def test_an_override_or_other_templates_leave_book_pages_to_jinja(tmp_path):
    for name in bookpage.TEMPLATES:
        folder = tmp_path / name.split(".")[0]
        folder.mkdir()
        shutil.copy(PACKAGE / name, folder / name)  # even the same text: the reader's own, from now on
        assert engine.environment([folder, PACKAGE]).book_page is None  # type: ignore[attr-defined]
    other = tmp_path / "package"
    shutil.copytree(PACKAGE, other)
    assert engine.environment([other]).book_page is bookpage.render  # type: ignore[attr-defined]
    (other / "base.html").write_text((PACKAGE / "base.html").read_text() + "<!-- changed -->\n")
    assert engine.environment([other]).book_page is None  # type: ignore[attr-defined]
    # the read-next map likewise, by its templates (macros.html's too)
    for name in bookpage.GRAPH:
        folder = tmp_path / f"graph-{name.split('.')[0]}"
        folder.mkdir()
        shutil.copy(PACKAGE / name, folder / name)
        assert engine.environment([folder, PACKAGE]).graph_page is None  # type: ignore[attr-defined]
    assert engine.environment([PACKAGE]).graph_page is bookpage.graph  # type: ignore[attr-defined]
    assert engine.environment([other]).graph_page is None  # type: ignore[attr-defined]


ODD_BOOKS = {
    "odd-marks": 'schema = 1\ntitle = "A <Tale> & \\"Quotes\\""\nauthors = ["Ö. Ñame", "B & C"]\nstatus = "read"\n'
    'year = 0\npages = 321\ntags = ["x<y", "ünï"]\nadded = 2024-08-01\nseries = [{name = "S & T", number = 2}]\n\n'
    '[[reads]]\nstarted = "2019-05"\nfinished = "2020"\n\n[[reads]]\nstarted = 2021-01-02\n\n'
    '[review]\nheadline = "It\'s <good>"\nwritten = 2024-02-03\nbody = """\n# Big\n\nSome *markup* '
    'and <script>x</script>.\n\nA\\u000Bcontrol.\n"""\n\n'
    '[[quotes]]\ntext = "Line & <more>"\npage = 12\nnote = "Mine & <yours>"\n\n[[quotes]]\ntext = "Where?"\nlocation = "ch. 3"\n\n'
    '[read_next]\nheading = "Also B & C"\nintro = "Try *these*."\n\n[[next]]\ntitle = "Piranesi"\n'
    'authors = ["Susanna Clarke"]\nwhy = "One.\\n\\nTwo & three."\n\n[[next]]\ntitle = "Nowhere"\n'
    'authors = ["B & C"]\n',
    "bare": 'schema = 1\ntitle = "Bare"\nstatus = "want"\nadded = 2024-08-01\n\n[review]\nbody = ""\n',
    # two editions' reviews beside the book's own (an import keeps the second with its edition)
    "editions": 'schema = 2\ntitle = "Two Editions"\nstatus = "read"\n\n[review]\nbody = "Mine."\n\n'
    '[source.goodreads]\n"Book Id" = "1"\n\n[[source.goodreads.editions]]\n"Book Id" = "1"\n\n'
    '[[source.goodreads.editions]]\n"Book Id" = "2"\nformat = "Kindle <Edition> & co"\n'
    'review = """\n# Old\n\nOnce & *again*. <!-- not for the page -->\n"""\n\n'
    '[[source.goodreads.editions]]\n"Book Id" = "3"\nisbn = "9780000000002"\nreview = "Third."\n',
}


def test_real_pages_are_the_same_as_jinjas(run, journal_home, tmp_path):
    """The example journal and some odd books, all pages (--all), built as they are (Python book pages and
    lists) and with the package's own book.html and macros.html as the journal's overrides (Jinja's): every
    page the same."""
    shutil.copytree(EXAMPLE / "books", journal_home / "books")
    for slug, toml in ODD_BOOKS.items():
        (journal_home / "books" / f"{slug}.toml").write_text(toml, encoding="utf-8")
    run("site", str(tmp_path / "python"), "--all")
    (journal_home / "site").mkdir()
    for name in ("book.html", bookpage.MACROS):  # (the lists of books, the read-next map: Jinja's too)
        shutil.copy(PACKAGE / name, journal_home / "site" / name)
    run("site", str(tmp_path / "jinja"), "--all")
    python = {
        p.relative_to(tmp_path / "python"): p.read_bytes() for p in (tmp_path / "python").rglob("*.html")
    }
    jinja = {p.relative_to(tmp_path / "jinja"): p.read_bytes() for p in (tmp_path / "jinja").rglob("*.html")}
    assert python == jinja
    books = [path for path in python if path.parts[0] == "books"]
    assert len(books) == len(list((journal_home / "books").glob("*.toml")))
    odd = python[Path("books/odd-marks.html")].decode()
    assert (
        "&lt;Tale&gt; &amp; &#34;Quotes&#34;" in odd
        and "\x0b" not in odd
        and "<dd>0</dd>" in odd
        and "<dd>321</dd>" in odd
    )
    assert (
        "Also B &amp; C" in odd and '<p dir="auto">Two &amp; three.</p>' in odd and "reading now" not in odd
    )
    assert "Mine &amp; &lt;yours&gt;" in odd
    editions = python[Path("books/editions.html")].decode()
    assert editions.count("Review of another edition") == 2 and "not for the page" not in editions
    assert "Kindle &lt;Edition&gt; &amp; co, goodreads Book Id 2" in editions and "<h3>Old</h3>" in editions


# --- macros.html's lists of books, title links and statuses (bookpage.book_list, title_link, status) ------

MACROS = ENV.get_template(bookpage.MACROS).module
JINJA_MACROS = engine.environment([PACKAGE])
_module = JINJA_MACROS.get_template(bookpage.MACROS).module
for _name in bookpage.MACROS_WRITTEN:  # (the macros as Jinja compiled them: what bookpage was given)
    setattr(_module, _name, getattr(_module, _name).args[0])


@st.composite
def summaries(draw: st.DrawFn) -> dict[str, object]:
    """A book as lists show it (context.Site.summary)."""
    rating = draw(st.one_of(st.none(), st.sampled_from([0.5, 3, 4.25])))
    summary = {
        "slug": draw(text),
        "title": draw(text),
        "url": draw(st.one_of(st.none(), st.just(""), text)),
        "authors": draw(st.lists(text, max_size=3)),
        "stars": None if rating is None else draw(st.sampled_from(["★★★½☆", ""])),
        "rating_words": None if rating is None else f"{rating:g} out of 5",
        "headline": draw(maybe),
    }
    if draw(st.booleans()):  # (a book the shelves list twice: its place is its first entry's: no anchor)
        summary["anchor"] = False
    return summary


ROOTS = st.sampled_from(["../", "", "a&b/"])


def _jinja(call: str, **values: object) -> str:
    """What the package's macros.html, as Jinja compiled it, makes of `call`."""
    source = '{% import "macros.html" as m %}' + call
    return JINJA_MACROS.from_string(source).render(values)


@settings(max_examples=300, deadline=None)
@given(st.lists(summaries(), max_size=4), ROOTS, st.booleans(), st.booleans())
def test_a_list_of_books_is_the_macros_text(books, root, ordered, anchors):
    python = ENV.from_string(
        '{% import "macros.html" as m %}{{ m.book_list(books, root, ordered, anchors) }}'
    )
    values = {"books": books, "root": root, "ordered": ordered, "anchors": anchors}
    assert python.render(values) == _jinja("{{ m.book_list(books, root, ordered, anchors) }}", **values)
    assert type(MACROS.book_list).__name__ == "partial"  # (bookpage's, not the macro)


@settings(max_examples=200, deadline=None)
@given(summaries(), ROOTS, st.sampled_from([None, "read", "reading", "want", "abandoned", ""]))
def test_a_title_link_and_a_status_are_the_macros_text(book, root, status):
    values = {"b": book, "root": root, "status": status}
    call = "{{ m.title_link(b, root) }}|{{ m.status(status) }}"
    assert ENV.from_string('{% import "macros.html" as m %}' + call).render(values) == _jinja(call, **values)


def test_anything_but_summaries_is_left_to_the_macro():
    """A reader's own template may hand the macros other things: Jinja's answer, error or not."""
    call = "{{ m.book_list(books, root) }}"
    odd = [{"title": "T", "url": "u"}]  # (a summary has more keys: the macro's own strict look-ups)
    with pytest.raises(jinja2.UndefinedError):
        ENV.from_string('{% import "macros.html" as m %}' + call).render(books=odd, root="")
    assert ENV.from_string('{% import "macros.html" as m %}{{ m.status(3) }}').render() == ""
    # values that are no text (`1`, `1.0` and `True` are one key to a dict) are each written as they are
    for title in (1, 1.0, True, 1):
        book = {"slug": "s", "title": title, "url": "u", "authors": ["A"], "stars": None,
                "rating_words": None, "headline": None}  # fmt: skip
        python = ENV.from_string('{% import "macros.html" as m %}' + call).render(books=[book], root="")
        assert python == _jinja(call, books=[book], root="") and f'<cite dir="auto">{title}</cite>' in python


def test_the_macros_pin_is_the_package_macros(tmp_path):
    """An edit of macros.html leaves its macros to Jinja: update bookpage's book_list, title_link and
    status to write what it now says, then PINNED_MACROS to this digest."""
    assert bookpage.digest(PACKAGE, (bookpage.MACROS,)) == bookpage.PINNED_MACROS
    other = tmp_path / "package"
    shutil.copytree(PACKAGE, other)
    (other / bookpage.MACROS).write_text((PACKAGE / bookpage.MACROS).read_text() + "{# changed #}\n")
    module = engine.environment([other]).get_template(bookpage.MACROS).module
    assert all(type(getattr(module, name)).__name__ == "Macro" for name in bookpage.MACROS_WRITTEN)
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(PACKAGE / bookpage.MACROS, folder / bookpage.MACROS)  # the reader's own, from now on
    module = engine.environment([folder, PACKAGE]).get_template(bookpage.MACROS).module
    assert all(type(getattr(module, name)).__name__ == "Macro" for name in bookpage.MACROS_WRITTEN)
