"""The whole of a review goes in through the CLI and comes back out, rendered and as JSON."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

from conftest import REPO

REVIEW = """# Quiet dread in a country school

## Where it happens

A boarding school where the lessons are ordinary and the future is not.

## Why they stay

Nobody runs, and the stillness is the horror.

## Memory as property

What you remember is the one thing you keep.
"""

REFLECTION = """I was not gripped until the middle, then I could not stop.

Questions it left me with:

- What makes someone human?
- Is hoping braver than accepting?
"""


def add_whole_review(run, tmp_path: Path) -> None:
    review = tmp_path / "review.md"
    review.write_text(REVIEW)
    run(
        "add", "Never Let Me Go", "--author", "Kazuo Ishiguro", "--rating", "4.5", "--tag", "dystopia",
        "--started", "2025-02-09", "--finished", "2025-03-01", "--year", "2005", "--isbn", "978-1-4000-7877-6",
        "--pages", "288", "--review-file", str(review),
    )  # fmt: skip
    run("reflect", "never let me go", "-", "--date", "2025-03-05", input=REFLECTION)
    run(
        "quote",
        "never let me go",
        "Memories are what we keep.",
        "--location",
        "ch. 23",
        "--note",
        "the heart of it",
    )
    run("quote", "never-let-me-go", "A rumour is easier to keep than the truth.", "--page", "84")
    picks = [
        ("The Remains of the Day", "A butler's unspoken regret."),
        ("Klara and the Sun", "An artificial friend, watching."),
        ("An Artist of the Floating World", "A painter faces his past."),
    ]
    for title, why in picks:
        run("next", "add", title, "--author", "Kazuo Ishiguro", "--from", "never let me go", "--why", why)


def test_add_prints_where_the_file_was_written(run, books):
    result = run("add", "Never Let Me Go", "--author", "Kazuo Ishiguro")
    assert str(books / "never-let-me-go.toml") in result.stderr
    data = tomllib.loads((books / "never-let-me-go.toml").read_text())
    assert data["status"] == "read" and data["schema"] == 2 and "added" in data


def test_show_renders_every_part_of_the_review(run, tmp_path):
    add_whole_review(run, tmp_path)
    out = run("show", "never let me go").stdout
    expected = [
        "Never Let Me Go", "by Kazuo Ishiguro", "★★★★½ 4.5", "read", "2005", "288 pages",
        "2025-02-09 → 2025-03-01", "dystopia", "Quiet dread in a country school",
        "Where it happens", "Why they stay", "Memory as property", "the one thing you keep",
        "2025-03-05", "What makes someone human?", "Is hoping braver than accepting?",
        "Memories are what we keep.", "ch. 23", "the heart of it", "A rumour is easier", "p. 84",
        "1.", "The Remains of the Day", "A butler's unspoken regret.", "2.", "Klara and the Sun",
        "An artificial friend, watching.", "3.", "An Artist of the Floating World", "A painter faces his past.",
    ]  # fmt: skip
    positions = [out.find(part) for part in expected]
    assert all(p >= 0 for p in positions), [e for e, p in zip(expected, positions, strict=True) if p < 0]
    # the parts come in reading order: header, review, reflections, quotes, picks
    order = [
        out.find(p)
        for p in ("Never Let Me Go", "Where it happens", "2025-03-05", "p. 84", "Klara and the Sun")
    ]
    assert order == sorted(order)
    assert "##" not in out  # Markdown headings are rendered, not shown raw
    assert "\x1b[" not in out  # no colour when not on a terminal
    assert max(len(line) for line in out.splitlines()) <= 100


def test_show_is_readable_at_width_40(run, tmp_path):
    add_whole_review(run, tmp_path)
    out = run("show", "never let me go", env={"COLUMNS": "40"}).stdout
    assert max(len(line) for line in out.splitlines()) <= 40
    for part in ("Never Let Me Go", "Where it happens", "What makes someone", "Klara and the Sun"):
        assert part in out


def test_show_json_round_trips_every_field(run, tmp_path, books):
    add_whole_review(run, tmp_path)
    shown = json.loads(run("show", "never let me go", "--json").stdout)
    on_disk = tomllib.loads((books / "never-let-me-go.toml").read_text())
    assert shown["slug"] == "never-let-me-go"
    assert shown["isbn"] == "9781400078776"
    assert shown["review"]["headline"] == "Quiet dread in a country school"
    assert shown["review"]["body"].startswith("## Where it happens\n")
    assert shown["reflections"] == [{"date": "2025-03-05", "text": REFLECTION}]
    assert shown["quotes"][0] == {
        "text": "Memories are what we keep.",
        "location": "ch. 23",
        "note": "the heart of it",
        "date": date.today().isoformat(),  # `quote` dates what it keeps
    }
    assert [p["title"] for p in shown["next"]] == [
        "The Remains of the Day", "Klara and the Sun", "An Artist of the Floating World",
    ]  # fmt: skip
    # every key in the file is in the JSON with the same value (dates as ISO strings)
    del shown["slug"]
    assert json.loads(json.dumps(on_disk, default=str)) == shown


def test_next_lists_picks_under_their_source_and_drops_read_ones(run, tmp_path):
    add_whole_review(run, tmp_path)
    items = [i for i in json.loads(run("next", "--json").stdout) if "progress" not in i]  # (not being read)
    assert [i["title"] for i in items] == [
        "The Remains of the Day", "Klara and the Sun", "An Artist of the Floating World",
    ]  # fmt: skip
    assert all(i["from"] == {"slug": "never-let-me-go", "title": "Never Let Me Go"} for i in items)
    assert all(i["status"] == "open" for i in items)
    out = run("next", "--format", "table").stdout
    assert "Because you read Never Let Me Go" in out and "A butler's unspoken regret." in out

    run("add", "The Remains of the Day", "--author", "Kazuo Ishiguro", "--rating", "5")
    items = [i for i in json.loads(run("next", "--json").stdout) if "progress" not in i]  # (not being read)
    assert [i["title"] for i in items] == ["Klara and the Sun", "An Artist of the Floating World"]
    everything = json.loads(run("next", "--all", "--json").stdout)
    assert {i["title"]: i["status"] for i in everything}["The Remains of the Day"] == "read"
    assert "✓ read" in run("show", "never let me go").stdout


def test_next_merges_a_wanted_pick_and_orders_wanted_books(run):
    run("add", "Source Book", "-a", "Ann Author")
    run("next", "add", "Picked", "-a", "Pat Writer", "--from", "source book", "--why", "because")
    run("add", "Picked", "-a", "Pat Writer", "--status", "want")
    run("next", "add", "Later", "-a", "Zed")
    run("add", "Reading Now", "-a", "Reader", "--status", "reading")
    run("next", "add", "Reading Now", "-a", "Reader", "--from", "source book")
    items = [i for i in json.loads(run("next", "--json").stdout) if "progress" not in i]  # (not being read)
    assert [(i["title"], i["status"]) for i in items] == [
        ("Picked", "open"),
        ("Reading Now", "reading"),
        ("Later", "want"),
    ]
    assert items[0]["from"]["slug"] == "source-book" and items[2]["from"] is None


def test_next_drop_removes_a_pick(run, tmp_path, books):
    add_whole_review(run, tmp_path)
    run("next", "drop", "klara and the sun", "--from", "never let me go")
    titles = [p["title"] for p in tomllib.loads((books / "never-let-me-go.toml").read_text())["next"]]
    assert titles == ["The Remains of the Day", "An Artist of the Floating World"]
    run("next", "drop", "An Artist of the Floating World")
    result = run("next", "drop", "Nothing Like It", code=1)
    assert "no book has a pick" in result.stderr


def test_next_add_without_source_adds_a_wanted_book(run, books):
    run("next", "add", "Piranesi", "--author", "Susanna Clarke", "--why", "a friend insisted")
    data = tomllib.loads((books / "piranesi.toml").read_text())
    assert data["status"] == "want" and data["why"] == "a friend insisted"


def test_list_is_newest_first_and_json(run, books):
    books.mkdir(parents=True)
    files = {
        "old": 'title = "Old"\nauthors = ["A"]\nstatus = "read"\nadded = 2000-01-01\n[[reads]]\nfinished = 2001-01-01\n',
        "middle": 'title = "Middle"\nauthor = "B"\nstatus = "read"\nadded = 2000-01-01\n[[reads]]\nfinished = "2010-06"\n',
        "wanted": 'title = "Wanted"\nstatus = "want"\nadded = 2005-05-05\n',
    }
    for slug, text in files.items():
        (books / f"{slug}.toml").write_text(text)
    rows = json.loads(run("list", "--json").stdout)
    assert [r["title"] for r in rows] == ["Middle", "Wanted", "Old"]
    assert rows[0] == {
        "slug": "middle", "title": "Middle", "authors": ["B"], "status": "read", "rating": None, "finished": "2010-06",
    }  # fmt: skip
    out = run("list", "--format", "table").stdout
    assert out.index("Middle") < out.index("Wanted") < out.index("Old")


def test_reread_appends_a_reading(run, books):
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2001", "--rating", "4")
    run("add", "Dune", "-a", "Frank Herbert", "--reread", "--started", "2024-01-02", "--finished", "2024-02-01",
        "--rating", "5")  # fmt: skip
    data = tomllib.loads((books / "dune.toml").read_text())
    # as `finish --reread --rating` rates (try-out 28a #2): the book takes 5, the earlier reading keeps its 4
    assert data["rating"] == 5
    assert data["reads"] == [
        {"finished": "2001", "rating": 4},
        {"started": _d("2024-01-02"), "finished": _d("2024-02-01"), "rating": 5},
    ]


def _d(text: str):
    from datetime import date

    return date.fromisoformat(text)


def test_same_title_other_author_gets_a_readable_slug(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    run("add", "Dune", "-a", "Someone Else")
    assert sorted(p.name for p in books.iterdir()) == ["dune-else.toml", "dune.toml"]


def test_example_journal_shows(run):
    journal = str(REPO / "examples" / "journal")
    out = run("--data-dir", journal, "show", "never let me go").stdout
    assert "Klara and the Sun" in out and "reading now" in out and "✓ read" in out
    items = json.loads(run("--data-dir", journal, "next", "--json").stdout)
    assert {i["status"] for i in items} >= {"open", "reading", "want"}
    assert len(json.loads(run("--data-dir", journal, "list", "--json").stdout)) >= 6
