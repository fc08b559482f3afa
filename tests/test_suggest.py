"""`readlog next --suggest`: rankings where the answer is obvious, the reasons' words, filters, weights from
the config, tiny histories, the kept ranking, and real exports replayed."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest

from readlog.suggest import MIN_HISTORY, Item, Weights, rank
from readlog.traits import book_format

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("READLOG_TEST_IMPORTS") or REPO.parent / "shared" / "fixtures" / "imports")


def write(books: Path, slug: str, title: str, author: str, status: str, **fields: object) -> None:
    books.mkdir(parents=True, exist_ok=True)
    lines = [f"title = {json.dumps(title)}", f"authors = [{json.dumps(author)}]", f'status = "{status}"']
    reads = fields.pop("reads", None)
    for key, value in fields.items():
        if isinstance(value, dict):
            inner = ", ".join(f"{k} = {json.dumps(v)}" for k, v in value.items())
            lines.append(f"{key} = [{{ {inner} }}]")
        else:
            lines.append(f"{key} = {json.dumps(value) if not isinstance(value, date) else value}")
    if status in ("read", "abandoned") and reads is None:
        lines += ["", "[[reads]]", "finished = 2024-01-01" if status == "read" else "stopped = 2024-01-01"]
    (books / f"{slug}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def filler(books: Path, n: int = 6, rating: int = 3, tag: str = "plain") -> None:
    """Books by different authors, rated `rating`: history enough, saying nothing about the want books."""
    for i in range(n):
        write(
            books, f"filler-{i}", f"Filler {i}", f"Writer {i}", "read", rating=rating, tags=[tag], pages=350
        )


def suggest(run, *args: str) -> list[dict]:
    return json.loads(run("next", "--suggest", "--json", "--count", "0", *args).stdout)


def slugs(found: list[dict]) -> list[str]:
    return [b["slug"] for b in found]


# --- obvious answers ----------------------------------------------------------------------------------
def test_an_author_loved_five_times_comes_first(run, books):
    for i in range(5):
        write(books, f"loved-{i}", f"Loved {i}", "Ann Loved", "read", rating=5)
    filler(books)
    write(books, "new-by-ann", "New by Ann", "Loved, Ann", "want")  # the name written the other way round
    write(books, "stranger", "Stranger", "Zed Unknown", "want")
    write(books, "more-filler", "More Filler", "Writer 1", "want")
    found = suggest(run)
    assert slugs(found) == ["new-by-ann", "stranger", "more-filler"]
    assert found[0]["reasons"][0] == "you rated 5 of Ann Loved's books 5 on average"
    assert found[0]["score"] > found[1]["score"] > found[2]["score"]


def test_five_loved_books_say_more_than_one():
    items = [Item(f"a{i}", f"A{i}", ["Many"], "read", rating=5.0) for i in range(5)]
    items += [Item("b", "B", ["Once"], "read", rating=5.0)]
    items += [Item(f"c{i}", f"C{i}", [f"Other {i}"], "read", rating=3.0) for i in range(6)]
    items += [Item("w-many", "W1", ["Many"], "want"), Item("w-once", "W2", ["Once"], "want")]
    ranking = rank(items)
    assert [b.slug for b in ranking.books] == ["w-many", "w-once"]
    assert ranking.books[1].reasons[0] == "you rated Once's *B* 5"


def test_a_tag_always_abandoned_goes_last(run, books):
    for i in range(4):
        write(books, f"scary-{i}", f"Scary {i}", f"Horror Writer {i}", "abandoned", tags=["Horror"])
    for i in range(6):
        write(books, f"cozy-{i}", f"Cozy {i}", f"Cozy Writer {i}", "read", rating=4, tags=["cozy"])
    write(books, "new-horror", "New Horror", "Someone New", "want", tags=["horror"])  # another case
    write(books, "new-cozy", "New Cozy", "Someone Else", "want", tags=["cozy"])
    write(books, "untagged", "Untagged", "Nobody Yet", "want")
    found = suggest(run)
    assert slugs(found)[-1] == "new-horror"
    assert (
        found[-1]["reasons"][0]
        == "against it: tagged horror, you abandoned 4 of the 4 books like it you started"
    )


def test_abandoning_an_author_counts_against_them(run, books):
    filler(books, rating=4)
    write(books, "gave-up", "Gave Up", "Dull Author", "abandoned")
    write(books, "by-dull", "Another Dull", "Dull Author", "want")
    write(books, "neutral", "Neutral", "Fresh Author", "want")
    found = suggest(run)
    assert slugs(found) == ["neutral", "by-dull"]
    assert found[1]["reasons"][0] == "against it: you abandoned 1 book by Dull Author, like *Gave Up*"


# --- the reasons' words --------------------------------------------------------------------------------
def test_a_pick_names_its_source_and_its_rating(run, books):
    filler(books)
    write(books, "never-let-me-go", "Never Let Me Go", "Kazuo Ishiguro", "read", rating=4.5,
          next={"title": "Klara and the Sun", "authors": ["Kazuo Ishiguro"]})  # fmt: skip
    write(books, "klara-and-the-sun", "Klara and the Sun", "Kazuo Ishiguro", "want")
    write(books, "klara-and-the-moon", "Klara and the Moon", "Kazuo Ishiguro", "want")  # not the pick
    found = {b["slug"]: b for b in suggest(run)}
    picked = found["klara-and-the-sun"]["reasons"]
    assert "picked from *Never Let Me Go*, which you rated 4.5" in picked
    assert not any("picked" in r for r in found["klara-and-the-moon"]["reasons"])
    assert found["klara-and-the-sun"]["score"] > found["klara-and-the-moon"]["score"]


def test_next_in_a_series_you_are_reading(run, books):
    filler(books)
    write(books, "final-empire", "The Final Empire", "Brandon Sanderson", "reading",
          series={"name": "Mistborn", "number": "1"})  # fmt: skip
    write(books, "well-of-ascension", "The Well of Ascension", "Brandon Sanderson", "want",
          series={"name": "Mistborn", "number": "2"})  # fmt: skip
    write(books, "the-expanse-2", "Caliban's War", "James Corey", "want",
          series={"name": "The Expanse", "number": "2"})  # fmt: skip
    write(books, "leviathan", "Leviathan Wakes", "James Corey", "read", rating=4,
          series={"name": "The Expanse", "number": "1"})  # fmt: skip
    found = {b["slug"]: b for b in suggest(run)}
    assert "next in the Mistborn series, which you have started" in found["well-of-ascension"]["reasons"]
    assert "next in The Expanse series, which you have started" in found["the-expanse-2"]["reasons"]


def test_length_and_average_reasons_name_a_book(run, books):
    for i in range(4):
        write(books, f"long-{i}", f"Doorstop {i}", f"Long Writer {i}", "abandoned", pages=800)
    for i in range(6):
        write(books, f"short-{i}", f"Slim {i}", f"Short Writer {i}", "read", rating=4, pages=200)
    write(books, "big-want", "Another Doorstop", "New Writer", "want", pages=900)
    found = suggest(run)
    reason = found[0]["reasons"][0]
    assert reason.startswith(
        "against it: 900 pages: you abandoned 4 of the 4 books of 500 pages or more you started, like *"
    )


def test_every_reason_names_a_book_author_tag_or_series(run, books):
    filler(books)
    write(books, "lonely", "Lonely Book", "Solo Writer", "want")
    write(books, "no-author", "Anonymous Work", "", "want")
    for book in suggest(run):
        assert book["reasons"]
        assert any(book["title"] in r or any(a in r for a in book["authors"]) for r in book["reasons"])


# --- filters --------------------------------------------------------------------------------------------
def test_filters(run, books):
    filler(books)
    write(books, "short-ebook", "Short Ebook", "A", "want", pages=300, tags=["Sci Fi"])
    write(books, "long-one", "Long One", "B", "want", pages=301, tags=["sci-fi"])
    write(books, "unknown-length", "Unknown Length", "C", "want", tags=["sci fi", "space"])
    assert slugs(suggest(run, "--max-pages", "300")) == ["short-ebook"]  # unknown length left out
    assert set(slugs(suggest(run, "--tag", "SCI FI"))) == {"short-ebook", "long-one", "unknown-length"}
    assert slugs(suggest(run, "--tag", "sci-fi", "--tag", "space")) == ["unknown-length"]
    assert slugs(suggest(run, "--tag", "sci")) == []  # a tag is matched whole
    assert len(json.loads(run("next", "--suggest", "--json", "--count", "1").stdout)) == 1
    assert len(json.loads(run("next", "--suggest", "--json", "--count", "1000").stdout)) == 3


def test_format_filter_and_format_as_output(run, books, tmp_path):
    filler(books)
    for slug, binding in (
        ("kindle", "Kindle Edition"),
        ("paper", "Mass Market Paperback"),
        ("cd", "Audio CD"),
    ):
        write(books, slug, slug.title(), "Someone", "want")
        with (books / f"{slug}.toml").open("a") as file:
            file.write(f'\n[source.goodreads]\nBinding = "{binding}"\n')
    assert slugs(suggest(run, "--format", "ebook")) == ["kindle"]
    assert slugs(suggest(run, "--format", "audiobook")) == ["cd"]
    rows = run("next", "--suggest", "--format", "csv").stdout.splitlines()
    assert rows[0] == "score,title,authors,reasons,slug" and len(rows) == 4
    result = run("next", "--format", "ebook", code=2)  # a book format only goes with --suggest
    assert "ebook" in result.stderr


@pytest.mark.parametrize(
    ("binding", "expected"),
    [
        ("Kindle Edition", "ebook"),
        ("ebook", "ebook"),
        ("Nook", "ebook"),
        ("Audible Audio", "audiobook"),
        ("Audio Cassette", "audiobook"),
        ("Hardcover", "hardcover"),
        ("Library Binding", "hardcover"),
        ("Mass Market Paperback", "paperback"),
        ("softcover", "paperback"),
        ("Unknown Binding", None),
        ("Comic", None),
        ("", None),
    ],
)
def test_bindings_as_formats(binding, expected):
    assert book_format(binding) == expected


def test_options_of_suggest_need_suggest(run, books):
    filler(books)
    for args in (("--count", "3"), ("--count", "0"), ("--tag", "x"), ("--max-pages", "100")):
        assert "--suggest" in run("next", *args, code=2).stderr
    for args in (("--limit", "5"), ("--all",)):
        assert "--count N" in run("next", "--suggest", *args, code=2).stderr


# --- weights --------------------------------------------------------------------------------------------
def test_weights_from_the_config(run, books, tmp_path):
    for i in range(5):
        write(books, f"loved-{i}", f"Loved {i}", "Ann Loved", "read", rating=5)
    filler(books, rating=2)
    for i in range(4):
        write(books, f"cozy-{i}", f"Cozy {i}", f"Cozy Writer {i}", "read", rating=5, tags=["cozy"])
    write(books, "by-ann", "By Ann", "Ann Loved", "want")
    write(books, "cozy-one", "Cozy One", "New Writer", "want", tags=["cozy"])
    assert slugs(suggest(run))[0] == "by-ann"
    config = tmp_path / "config.toml"
    config.write_text("[suggest]\nauthor = 0\ntags = 2.5\n")
    found = suggest(run)
    assert slugs(found)[0] == "cozy-one"
    assert not any("Ann Loved's" in r for b in found for r in b["reasons"])
    explained = json.loads(run("next", "--suggest", "--explain", "by ann", "--json").stdout)
    assert explained["weights"]["author"] == 0 and explained["weights"]["tags"] == 2.5
    author = next(s for s in explained["signals"] if s["signal"] == "author")
    assert author["weight"] == 0 and author["adds"] == 0 and author["value"] > 0
    config.write_text("[suggest]\nauthor = -1\n")
    result = run("next", "--suggest", code=1)
    assert "suggest.author: must be from 0 to 10" in result.stderr
    config.write_text('[suggest]\nauthor = "lots"\n')
    assert "expected a number" in run("next", "--suggest", code=1).stderr


def test_default_weights_are_the_configs():
    from readlog import config

    assert Weights() == Weights(**{n: config.KEYS[f"suggest.{n}"].default for n in Weights.names()})


def test_explain_prints_signals_and_refuses_what_is_not_wanted(run, books):
    for i in range(5):
        write(books, f"loved-{i}", f"Loved {i}", "Ann Loved", "read", rating=5)
    filler(books)
    write(books, "by-ann", "By Ann", "Ann Loved", "want")
    out = run("next", "--suggest", "--explain", "By Ann").stdout
    assert "By Ann" in out and "author" in out and "you rated 5 of Ann Loved's books" in out
    assert (
        "is not on your want list (read)" in run("next", "--suggest", "--explain", "loved-1", code=1).stderr
    )
    run("next", "--suggest", "--explain", "no such book at all", code=1)


# --- small histories and plain `next` ------------------------------------------------------------------
def test_an_empty_journal(run, books):
    books.mkdir(parents=True)  # (no journal folder at all is another answer: try-out 24b, 5)
    result = run("next", "--suggest", "--json")
    assert json.loads(result.stdout) == []
    assert "No books on your want list" in result.stderr
    assert "Suggested" not in run("next", "--format", "table").stdout


def test_a_tiny_history_says_it_needs_more(run, books):
    write(books, "one", "One Read", "Ann", "read", rating=5)
    write(books, "want-a", "Want A", "Ann", "want")
    write(books, "want-b", "Want B", "Bob", "want")
    result = run("next", "--suggest", "--json")
    assert "suggestions need more history" in result.stderr and f"{MIN_HISTORY} books" in result.stderr
    assert slugs(json.loads(result.stdout)) == ["want-a", "want-b"]
    assert "Suggested" not in run("next", "--format", "table").stdout


def test_plain_next_shows_three_suggestions_unless_turned_off(run, books, tmp_path):
    for i in range(5):
        write(books, f"loved-{i}", f"Loved {i}", "Ann Loved", "read", rating=5)
    filler(books)
    for i in range(5):
        write(books, f"want-{i}", f"Want {i}", "Ann Loved" if i == 4 else f"New {i}", "want")
    out = run("next", "--format", "table").stdout
    section = out[out.index("Suggested") :]
    assert re.findall(r"\d\. (Want \d)", section) == ["Want 4", "Want 0", "Want 1"]  # best, then queue order
    assert run("next").stdout.count("Want 4") == 1  # piped: the queue only, for scripts
    (tmp_path / "config.toml").write_text("[suggest]\nshow = false\n")
    assert "Suggested" not in run("next", "--format", "table").stdout


def test_the_kept_ranking_follows_the_books(run, books):
    filler(books)
    write(books, "by-ann", "By Ann", "Ann Loved", "want")
    write(books, "by-bob", "By Bob", "Bob Loved", "want")
    first = slugs(suggest(run))
    assert first == ["by-ann", "by-bob"]  # nothing known: queue order
    for i in range(3):
        write(books, f"bob-{i}", f"Bob {i}", "Bob Loved", "read", rating=5)
    assert slugs(suggest(run)) == ["by-bob", "by-ann"]
    (books / "bob-0.toml").unlink()
    (books / "bob-1.toml").unlink()
    (books / "bob-2.toml").write_text((books / "bob-2.toml").read_text().replace("rating = 5", "rating = 1"))
    assert slugs(suggest(run)) == ["by-ann", "by-bob"]


# --- real exports ----------------------------------------------------------------------------------------
@pytest.mark.skipif(not SHARED.is_dir(), reason="the real exports (../shared/fixtures/imports) are not here")
def test_a_real_export_is_ranked_whole_with_reasons_naming_the_journal(run, books):
    path = SHARED / "goodreads_dr-rodriguez_Exploring-Goodreads.csv"
    run("import", str(path))
    listed = json.loads(run("list", "--json", "--limit", "0").stdout)
    wanted = {b["slug"] for b in listed if b.get("status") == "want"}
    names = {b["title"] for b in listed} | {a for b in listed for a in b.get("authors", [])}
    names |= {t for b in listed for t in b.get("tags", [])}
    names |= {s["name"] for b in listed for s in (b.get("series") or [])}
    found = suggest(run)
    assert {b["slug"] for b in found} == wanted
    for book in found:
        assert book["reasons"], book
        assert any(any(name in reason for name in names) for reason in book["reasons"]), book
    short = suggest(run, "--max-pages", "250")
    assert short and all(b["pages"] is not None and b["pages"] <= 250 for b in short)
    scores = [b["score"] for b in found]
    assert scores == sorted(scores, reverse=True)
    assert not re.search(r"\bthe The\b", json.dumps(found))


# --- what the ranking reads: enrich's cache (never the network), StoryGraph's moods, the average ----------
def test_subjects_come_from_enrichs_cache_and_ranking_asks_nothing(run, books, monkeypatch):
    import lookup_server as ol

    for server in ol.serving(monkeypatch):
        filler(books, rating=2)
        for i in range(3):
            write(books, f"desert-{i}", f"Desert {i}", f"Sand Writer {i}", "read", rating=5)
            with (books / f"desert-{i}.toml").open("a") as file:
                file.write('\n[source.openlibrary]\nwork = "/works/OL893415W"\n')  # as enrich records it
        write(books, "dune", "Dune", "Frank Herbert", "want", isbn=ol.DUNE)
        write(books, "other", "Other", "Someone Else", "want")
        run("enrich", "dune")  # fills from Open Library: the work's subjects land in the cache
        asked = len(server.paths())
        assert asked and any(p.startswith("/works/OL893415W") for p in server.paths())
        found = suggest(run)
        assert len(server.paths()) == asked  # ranking made no request
        assert slugs(found)[0] == "dune"
        subject = next(r for r in found[0]["reasons"] if r.startswith("on Open Library under "))
        assert re.fullmatch(
            r"on Open Library under \w[\w ]*, like 3 of your 5-star books \(\*Desert \d\* among them\)",
            subject,
        )
        server.stop()  # with the server gone, the cache still answers: the same ranking, offline
        assert suggest(run)[0]["reasons"] == found[0]["reasons"]


def test_storygraph_moods_describe_read_books_only(run, books):
    filler(books, rating=2)
    for i in range(3):
        write(books, f"dark-{i}", f"Dark {i}", f"Gloom Writer {i}", "read", rating=5)
        with (books / f"dark-{i}.toml").open("a") as file:
            file.write('\n[source.storygraph]\nMoods = "dark, tense"\nPace = "fast"\n')
    write(books, "tagged-dark", "Tagged Dark", "New One", "want", tags=["Dark"])
    write(books, "want-with-moods", "Want With Moods", "New Two", "want")
    with (books / "want-with-moods.toml").open("a") as file:  # a want book's moods are not its own answers
        file.write('\n[source.storygraph]\nMoods = "dark, tense"\n')
    found = suggest(run)
    assert slugs(found)[0] == "tagged-dark"
    assert (
        found[0]["reasons"][0] == "tagged Dark, like 3 of your 5-star books"
    )  # the journal's tag, met by a mood
    assert not any("dark" in r for r in found[1]["reasons"])


def test_the_export_average_is_a_prior(run, books):
    filler(books)
    for slug, average in (("liked-widely", "4.52"), ("liked-less", "3.41"), ("no-average", None)):
        write(books, slug, slug.replace("-", " ").title(), f"Writer of {slug}", "want")
        if average:
            with (books / f"{slug}.toml").open("a") as file:
                file.write(f'\n[source.goodreads]\n"Average Rating" = "{average}"\n')
    found = suggest(run)
    assert slugs(found) == ["liked-widely", "no-average", "liked-less"]
    assert found[0]["reasons"] == ["readers elsewhere rate *Liked Widely* 4.52 on average"]


@pytest.mark.parametrize(
    ("history", "reason"),
    [
        ([("Only One", 4.25)], "you rated Pat Doe's *Only One* 4.25"),
        ([("Rated Low", 2), ("Unrated", None)], "you rated Pat Doe's *Rated Low* 2"),
        ([("First", 5), ("Second", 4.5)], "you rated 2 of Pat Doe's books 4.75 on average"),
        ([("Unrated A", None), ("Unrated B", None)], "you finished 2 books by Pat Doe"),
    ],
)
def test_author_reasons_say_exactly_what_the_books_say(history, reason):
    items = [
        Item(f"h{i}", title, ["Pat Doe"], "read", rating=rating) for i, (title, rating) in enumerate(history)
    ]
    items += [Item(f"f{i}", f"F{i}", [f"Other {i}"], "read", rating=1.0 if i % 2 else 5.0) for i in range(6)]
    items += [Item("w", "W", ["Doe, Pat"], "want")]
    signal = next(s for s in rank(items).books[0].signals if s.name == "author")
    assert signal.reason == reason


def test_a_tag_on_one_book_names_it():
    items = [
        Item("h", "The One", ["A"], "read", rating=5.0, tags=["odd"]),
        Item("u", "Unrated", ["B"], "read", tags=["odd"]),
    ]
    items += [Item(f"f{i}", f"F{i}", [f"Other {i}"], "read", rating=2.0) for i in range(6)]
    items += [Item("w", "W", ["C"], "want", tags=["Odd"])]
    signal = next(s for s in rank(items).books[0].signals if s.name == "tags")
    assert signal.reason == "tagged Odd, like *The One*, which you rated 5"  # the want book's own spelling


def test_a_rating_given_only_to_a_reading_counts(run, books):
    filler(books)
    for i in range(3):
        write(books, f"reread-{i}", f"Reread {i}", "Kay Reread", "read", reads=[])
        with (books / f"reread-{i}.toml").open("a") as file:
            file.write("\n[[reads]]\nfinished = 2023-01-01\nrating = 5\n")
    write(books, "by-kay", "By Kay", "Kay Reread", "want")
    write(books, "by-new", "By New", "New Person", "want")
    found = suggest(run)
    assert slugs(found) == ["by-kay", "by-new"]
    assert found[0]["reasons"][0] == "you rated 3 of Kay Reread's books 5 on average"


def test_config_set_takes_a_weight(run, tmp_path):
    run("config", "set", "suggest.author", "0.5")
    run("config", "set", "suggest.show", "false")
    assert (tmp_path / "config.toml").read_text().count("author = 0.5") == 1
    assert "not a number" in run("config", "set", "suggest.tags", "lots", code=1).stderr
    assert "must be from 0 to 10" in run("config", "set", "suggest.tags", "11", code=1).stderr
    rows = dict((line.split("\t")[0], line.split("\t")[1:]) for line in run("config").stdout.splitlines())
    assert rows["suggest.author"][0] == "0.5" and rows["suggest.show"][0] == "False"


def test_a_terminal_shows_marked_titles_in_italics_and_wrapped_titles_under_themselves():
    from io import StringIO

    from rich.console import Console

    from readlog.suggest import Suggested
    from readlog.suggest_views import render_suggested

    book = Suggested(
        slug="long",
        title="A Title Long Enough To Wrap At Forty Columns Wide",
        authors=["Ann Author"],
        score=4.2,
        reasons=["like *The Other Book*, which you rated 5"],
    )
    out = StringIO()
    Console(file=out, width=40, force_terminal=True, color_system="standard").print(
        render_suggested([book], 1)
    )
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())
    assert "*" not in plain  # the marks are styling on a terminal, not characters
    assert re.search(r"\x1b\[(?:\d+;)*3(?:;\d+)*m", out.getvalue())  # italic on
    lines = plain.splitlines()
    first = next(n for n, line in enumerate(lines) if "A Title" in line)
    assert lines[first + 1].index("Forty") == lines[first].index("A Title")  # hangs under the title


@pytest.mark.parametrize("width", [40, 45, 46, 57, 58, 120])
def test_a_narrow_terminal_keeps_the_panels_counts_whole_in_a_shorter_title(width):
    # Rich crops a panel's title with no mark: at 40 columns "Suggested from your history (10 of 312)"
    # lost its count. Where the whole title does not fit, the short one ("Suggested (10 of 312)") stands.
    from io import StringIO

    from rich.console import Console

    from readlog.suggest import Suggested
    from readlog.suggest_views import render_next_suggestions, render_suggested

    book = Suggested(slug="b", title="A Book", authors=["Ann Author"], score=4.2, reasons=["a reason"])
    for renderable, whole, short in (
        (render_suggested([book] * 10, 312), "Suggested from your history (10 of 312)", "Suggested (10 of 312)"),
        (render_next_suggestions([book]), "Suggested from your history (readlog next --suggest)",
         "Suggested (next --suggest)"),
    ):  # fmt: skip
        out = StringIO()
        Console(file=out, width=width, color_system=None).print(renderable)
        top = out.getvalue().splitlines()[0]
        assert (whole in top) == (len(whole) + 6 <= width)
        assert whole in top or short in top


def test_an_example_named_in_a_reason_is_one_of_the_books_the_sentence_counts():
    # The try-out: "you abandoned 1 of the 37 books of 300 to 499 pages you started, like *Circe*", where
    # Circe was read (rated 2.5) and the abandoned book was another: the example was the worst book of any.
    from readlog.suggest import Evidence, Tally, _bucket_like, _like

    def tally(*books: tuple[str, float, float | None, bool]) -> Tally:
        made = Tally("books of 300 to 499 pages")
        for title, value, rating, abandoned in books:
            made.add(
                Evidence(Item(title.lower(), title, ["A"], "read", rating=rating), value, 1.0, abandoned, 0)
            )
        return made

    mixed = tally(
        ("Circe", -2.0, 2.5, False),
        ("The Robin Hood Guerrillas", -1.0, None, True),
        ("Dune", 1.0, 4.0, False),
    )
    said = _bucket_like(mixed, -0.5, "books of 300 to 499 pages")
    assert said.startswith("you abandoned 1 of the 3") and said.endswith("like *The Robin Hood Guerrillas*")
    assert _like(mixed, -0.5, 5.0, example=True).endswith("(*The Robin Hood Guerrillas* among them)")
    rated = tally(("Circe", -2.0, 2.5, False), ("Unrated", -3.0, None, False), ("Dune", 1.0, 4.0, False))
    assert _bucket_like(rated, -0.5, "books").endswith("like *Circe*")  # the worst rated, not "Unrated"
    assert _bucket_like(rated, 0.5, "books").endswith("like *Dune*")
    finished = tally(("Quiet", -1.0, None, False), ("Gone", -4.0, None, True))
    finished.abandoned = 0  # (a sentence about finishing: an abandoned book is never its example)
    assert _bucket_like(finished, -0.5, "books").endswith("like *Quiet*")


def test_explain_fits_a_narrow_terminal_and_shows_titles_unmarked(run, books):
    for i in range(5):
        write(books, f"loved-{i}", f"Loved {i}", "Ann Loved", "read", rating=5)
    write(books, "solo-one", "The Solo One", "Solo Writer", "read", rating=5)
    filler(books)
    write(books, "by-solo", "By Solo", "Solo Writer", "want")
    wide = run("next", "--suggest", "--explain", "By Solo").stdout
    narrow = run("next", "--suggest", "--explain", "By Solo", env={"COLUMNS": "40"}).stdout
    assert max(len(line) for line in narrow.splitlines()) <= 40
    assert len([line for line in narrow.splitlines() if line.startswith("author")]) == 1  # (on one line)
    # the evidence whole (in the table's last column it had some seven columns at 40), the title unmarked
    for out in (wide, narrow):
        joined = " ".join(line.strip() for line in out.splitlines())
        assert "you rated Solo Writer's The Solo One 5" in joined and "*" not in out
    assert "signal" in wide and "evidence" in wide  # the table, where there is room


def test_a_filter_that_leaves_no_want_book_says_so_piped_too(run, books):
    filler(books)
    write(books, "wanted", "Wanted", "Someone", "want")
    for fmt in ("tsv", "json"):
        result = run("next", "--suggest", "--tag", "nosuchtag", "--format", fmt)
        assert "No want book matches." in result.stderr  # (piped it printed nothing at all)
        assert result.stdout.strip() in ("", "[]")
    assert "No want book matches." not in run("next", "--suggest", "--format", "tsv").stderr
