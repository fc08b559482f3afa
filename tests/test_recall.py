"""`readlog recall`: on this day, quotes drawn by how long since they were shown, the memory outside the books."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readlog.actions.recall import state_path
from readlog.journal import Journal

BOOKS = {
    "the-salt-road": """title = "The Salt Road"
authors = ["Ada Okafor"]
status = "read"

[[reads]]
started = 2021-02-20
finished = 2021-03-05

[[reflections]]
date = 2023-03-05
text = "Two years on, I still think about the caravans."

[[reflections]]
date = 2023-03-06
text = "Not today's."

[[quotes]]
text = "A road is a promise somebody kept."
page = 12
date = 2022-03-05
note = "the first line I marked"

[[quotes]]
text = "Salt remembers the sea it came from."
location = "loc 200-203"
date = 2024-03-05

[[quotes]]
text = "Undated, and never on this day."
""",
    "glass-orchards": """title = "Glass Orchards"
authors = ["Maj Lindqvist"]
status = "read"

[[reads]]
finished = 2020-03-05

[[quotes]]
text = "The orchard was glass, and the glass was listening."
date = 2025-03-05

[[quotes]]
text = "Every window is a small weather."
chapter = "Frost"
page = 88
""",
    "nothing-yet": """title = "Nothing Yet"
status = "want"
""",
}


@pytest.fixture
def journal(books: Path) -> Path:
    books.mkdir(parents=True)
    for slug, text in BOOKS.items():
        (books / f"{slug}.toml").write_text(text)
    return books


EXPECTED = """\
╭─ On this day, March 5 ───────────────────────────────────────────────────────────────────────────╮
│                                                                                                  │
│  2020 (5 years ago)  finished Glass Orchards — Maj Lindqvist                                     │
│                                                                                                  │
│  2021 (4 years ago)  finished The Salt Road — Ada Okafor                                         │
│                                                                                                  │
│  2022 (3 years ago)  a quote from The Salt Road                                                  │
│    A road is a promise somebody kept.                                                            │
│    note: the first line I marked                                                                 │
│                                                                                                  │
│  2023 (2 years ago)  a reflection on The Salt Road                                               │
│    Two years on, I still think about the caravans.                                               │
│                                                                                                  │
│  2024 (1 year ago)  a quote from The Salt Road                                                   │
│    Salt remembers the sea it came from.                                                          │
│                                                                                                  │
╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
"""


def test_on_this_day_at_width_100(run, journal):
    out = run("recall", "--date", "2025-03-05", "--count", "0").stdout
    assert out == EXPECTED  # the quote of 2025-03-05 is today's, not an earlier year's


def test_recall_as_json(run, journal):
    data = json.loads(run("recall", "--date", "2025-03-05", "--count", "2", "--json").stdout)
    assert data["date"] == "2025-03-05"
    assert [(m["kind"], m["date"], m["slug"]) for m in data["on_this_day"]] == [
        ("finished", "2020-03-05", "glass-orchards"),
        ("finished", "2021-03-05", "the-salt-road"),
        ("quote", "2022-03-05", "the-salt-road"),
        ("reflection", "2023-03-05", "the-salt-road"),
        ("quote", "2024-03-05", "the-salt-road"),
    ]
    assert (
        data["on_this_day"][2]["where"] == "p. 12"
        and data["on_this_day"][2]["note"] == "the first line I marked"
    )
    assert len(data["quotes"]) == 2 and all(q["kind"] == "quote" and q["text"] for q in data["quotes"])


def test_drawn_quotes_favour_the_ones_not_shown_for_longest(run, journal, books):
    seen: list[str] = []
    for _ in range(5):  # five quotes, one a day for five days: each is shown once before any repeats
        data = json.loads(run("recall", "--date", "2025-06-01", "--count", "1", "--json").stdout)
        seen.append(data["quotes"][0]["text"])
    assert len(set(seen)) == 5
    memory = json.loads(state_path(Journal(books.parent)).read_text())
    assert len(memory["shown"]) == 5
    assert not any("shown" in p.read_text() for p in books.glob("*.toml"))  # never in the book files


def test_recall_rendered_quotes(run, journal):
    out = run("recall", "--date", "2025-06-01", "--count", "5").stdout
    assert "Remembered lines" in out and "On this day" not in out
    assert "— Glass Orchards, p. 88" in out


def test_recall_is_quiet_when_there_is_nothing(run, books):
    books.mkdir(parents=True)  # an empty journal (a missing one is refused: test_s29_lead.py)
    assert run("recall").stdout == ""
    assert json.loads(run("recall", "--json").stdout)["quotes"] == []
    run("recall", "--count", "-1", code=2)
    run("recall", "--date", "soon", code=2)  # a value the option cannot take


def test_a_damaged_memory_is_started_afresh(run, journal, books):
    path = state_path(Journal(books.parent))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    assert len(json.loads(run("recall", "--json", "--count", "1").stdout)["quotes"]) == 1
