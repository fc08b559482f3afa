"""recall draws its quotes from the index without reading every quote, nor drawing a number for each (issue
25): the quotes drawn are exactly those of the plain draw over the list of every quote (`_draw`), whatever
was shown before and when; and they are drawn as the weighted draw with one random number per quote would
draw them (the same chance for each quote to be drawn)."""

from __future__ import annotations

import json
import math
import random
import sys
from datetime import date, timedelta

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from generate import generate  # noqa: E402

from readlog.actions.recall import _draw, _draw_from_index, state_path  # noqa: E402
from readlog.index import recall as index_recall  # noqa: E402
from readlog.journal import Journal  # noqa: E402


@pytest.fixture
def index(run, journal_home):
    generate(journal_home, 150)
    run("reindex")
    return Journal(journal_home).fresh_index()


@pytest.mark.parametrize("older_index", [False, True])
def test_the_draw_from_the_index_is_the_plain_draw(index, older_index):
    if older_index:  # made by a readlog before the quotes' own index: the same draws, slower
        index.db.execute("DROP INDEX moments_kind")
    idents = index_recall.quote_idents(index)
    assert len(idents) > 100
    rng = random.Random(11)
    for _ in range(40):
        day = date(2025, 1, 1) + timedelta(days=rng.randint(0, 800))
        shown: dict[str, str] = {}
        for slug, ident in rng.sample(idents, rng.choice([0, 1, 5, 60, 64, 65, len(idents)])):
            when = day - timedelta(days=rng.randint(-3, 5000))  # some after the day: weight 1
            shown[f"{slug}\t{ident}"] = when.isoformat() if rng.random() > 0.1 else "not a date"
        shown["no-such-book\tq1"] = day.isoformat()  # a memory of a quote since removed
        for count in (0, 1, 3, 7, len(idents), len(idents) + 5):
            assert _draw_from_index(index, shown, day, count) == _draw(idents, shown, day, count)


def test_every_quote_is_shown_once_before_any_repeats(run, journal_home, index):
    total = len(index_recall.quote_idents(index))
    seen = []
    for _ in range(total // 10):
        data = json.loads(run("recall", "--date", "2025-06-01", "--count", "10", "--json").stdout)
        seen += [(q["slug"], q["text"]) for q in data["quotes"]]
    assert len(seen) == len(set(seen)) == total // 10 * 10
    memory = json.loads(state_path(Journal(journal_home)).read_text())
    assert len(memory["shown"]) == len(seen)
    assert not list(state_path(Journal(journal_home)).parent.glob(".*.tmp"))  # no temp file left behind


def test_a_memory_that_cannot_be_written_is_no_error(run, journal_home, index, tmp_path):
    path = state_path(Journal(journal_home))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir()  # where the file would go, a folder: the rename fails
    data = json.loads(run("recall", "--date", "2025-06-01", "--count", "2", "--json").stdout)
    assert len(data["quotes"]) == 2
    assert not list(path.parent.glob(".*.tmp"))


def _one_number_per_quote(idents, shown, day, count, rng):
    """The draw as it was made before: a uniform u for every quote, key log(u) / weight, largest first."""
    from readlog.actions.recall import _weight

    keyed = [
        (math.log(rng.random() or 1e-12) / _weight(shown.get(f"{s}\t{i}"), day), s, i) for s, i in idents
    ]
    return [(s, i) for _, s, i in sorted(keyed, reverse=True)[:count]]


@pytest.mark.parametrize("count", [1, 2, 5])
def test_each_quote_has_the_chance_it_had_with_a_number_per_quote(count):
    idents = [(f"book-{n}", f"q{n}") for n in range(8)]
    days = 12000
    rng = random.Random(5)
    new = dict.fromkeys(idents, 0)
    old = dict.fromkeys(idents, 0)
    for n in range(days):  # a draw a day, each day seeding its own; the same weights every day:
        day = date(2000, 1, 1) + timedelta(days=n)
        # two shown lately (light), one long ago (heavy), one "after" the day (weight 1), the rest never
        shown = {
            "book-0\tq0": (day - timedelta(days=3)).isoformat(),
            "book-1\tq1": (day - timedelta(days=40)).isoformat(),
            "book-2\tq2": (day - timedelta(days=9000)).isoformat(),
            "book-3\tq3": (day + timedelta(days=2)).isoformat(),
        }
        drawn = _draw(idents, shown, day, count)
        assert len(drawn) == len(set(drawn)) == count
        for quote in drawn:
            new[quote] += 1
        for quote in _one_number_per_quote(idents, shown, day, count, rng):
            old[quote] += 1
    for quote in idents:
        assert abs(new[quote] - old[quote]) / days < 0.02, (quote, new[quote], old[quote])
    assert new[("book-3", "q3")] < new[("book-7", "q7")] / 5  # shown lately: rarely drawn


@pytest.mark.parametrize("every", [1, 2, 7, 1024])
def test_the_places_counted_from_the_kept_marks_are_the_list_s(run, journal_home, index, monkeypatch, every):
    monkeypatch.setattr(index_recall, "MARK_EVERY", every)
    rng = random.Random(every)
    for round_ in range(3):
        idents = index_recall.quote_idents(index)
        assert index_recall.quote_count(index) == len(idents)
        for _ in range(30):
            places = rng.sample(range(len(idents)), rng.choice([1, 2, 3, 9]))
            assert index_recall.quotes_at(index, places) == {p: idents[p] for p in places}
        assert index_recall.quotes_at(index, [len(idents)]) == {}  # past the last: none
        # a quote added, one removed: the marks are made again for the index as it is
        slug = rng.choice(idents)[0]
        run("quote", slug, f"A line added in round {round_}.")
        index = Journal(journal_home).fresh_index()
        if round_ == 1:
            book = journal_home / "books" / f"{idents[0][0]}.toml"
            text = book.read_text(encoding="utf-8")
            book.write_text(text[: text.index("[[quotes]]")], encoding="utf-8")  # its quotes removed by hand
            index = Journal(journal_home).fresh_index()
