"""Try-out 26b: a pick's place in a series counts. Two volumes of one series are two picks (`next add`,
`next drop`), and another volume in the journal neither marks a pick read nor hides a wanted volume from
`next` (identity.places_agree: other_volume's rule, as for any two records of a series)."""

from __future__ import annotations

import json

from readlog.identity import pick_named, pick_names_book
from readlog.queue import BookFinder
from test_t23c_merge import toml

BKV = "Brian K. Vaughan"


def picks_of(books, slug: str) -> list[str]:
    return [pick["title"] for pick in toml(books, slug).get("next", [])]


def test_two_volumes_of_one_series_are_two_picks(run, books, journal_home, unchanged):
    """`next add "Saga (Saga, #3)"` beside a #2 pick was refused as that pick; `next drop` of #3 removed #2
    and said it removed #3."""
    run("add", "Y: The Last Man", "-a", BKV, "--finished", "2020-01-01")
    run("next", "add", "Saga (Saga, #2)", "-a", BKV, "--from", "y-the-last-man", "--why", "vol 2")
    run("next", "add", "Saga (Saga, #3)", "-a", BKV, "--from", "y-the-last-man", "--why", "vol 3")
    assert picks_of(books, "y-the-last-man") == ["Saga (Saga, #2)", "Saga (Saga, #3)"]
    # the same volume again is the same pick
    err = run("next", "add", "Saga (Saga, #2)", "-a", BKV, "--from", "y-the-last-man", code=1).stderr
    assert "'Saga (Saga, #2)' is already a pick of 'Y: The Last Man'" in err, err


def test_a_drop_removes_the_pick_named_and_keeps_its_note(run, books, journal_home):
    run("add", "Y: The Last Man", "-a", BKV, "--finished", "2020-01-01")
    run("next", "add", "Saga (Saga, #2)", "-a", BKV, "--from", "y-the-last-man", "--why", "vol 2")
    run("next", "add", "Saga (Saga, #3)", "-a", BKV, "--from", "y-the-last-man", "--why", "vol 3")
    before = (books / "y-the-last-man.toml").read_bytes()
    # a volume that is no pick: nothing removed, the picks named
    err = run("next", "drop", "Saga (Saga, #4)", "--from", "y-the-last-man", code=1).stderr
    assert "has no pick called 'Saga (Saga, #4)': its picks are “Saga (Saga, #2)”, “Saga (Saga, #3)”" in err
    # the series' title alone names neither (each is past its first volume): neither is removed
    err = run("next", "drop", "Saga", "--from", "y-the-last-man", code=1).stderr
    assert "has no pick called 'Saga': its picks are “Saga (Saga, #2)”, “Saga (Saga, #3)”" in err, err
    assert (books / "y-the-last-man.toml").read_bytes() == before
    assert not (journal_home / "trash").exists()
    err = run("next", "drop", "Saga (Saga, #3)", "--from", "y-the-last-man").stderr
    assert picks_of(books, "y-the-last-man") == ["Saga (Saga, #2)"]
    assert "Removed “Saga (Saga, #3)” from “Y: The Last Man” (its note kept in " in err, err
    [kept] = (journal_home / "trash").glob("y-the-last-man.pick.*.md")
    assert kept.read_text() == (
        "# read-next pick of Y: The Last Man, dropped\n\n## Saga (Saga, #3) by Brian K. Vaughan\n\nvol 3\n"
    )
    # without --from: the one book that has it; the name as the book has it, not as typed
    err = run("next", "drop", "saga (saga #2)").stderr
    assert "Removed “Saga (Saga, #2)” from “Y: The Last Man”" in err, err
    assert picks_of(books, "y-the-last-man") == []


def test_another_volume_neither_reads_a_pick_nor_hides_a_wanted_one(run, books):
    """A read *Saga #1* marked the pick *Saga #4* read and hid the wanted *Saga #2* from `next`."""
    run("add", "Saga (Saga, #1)", "-a", BKV, "--finished", "2020-02-01")
    run("next", "add", "Saga (Saga, #2)", "-a", BKV, "--why", "w")
    run("add", "Saga (Saga, #3)", "-a", BKV, "--finished", "2021-01-01")
    run("next", "add", "Saga (Saga, #4)", "-a", BKV, "--from", "saga-saga-3", "--why", "four")
    items = json.loads(run("next", "--all", "--json").stdout)
    seen = [(i["title"], i["status"], i["slug"]) for i in items if i["status"] != "reading"]
    assert seen == [("Saga (Saga, #4)", "open", None), ("Saga (Saga, #2)", "want", "saga-saga-2")], seen
    lines = run("next", "--format", "tsv").stdout.splitlines()
    assert [line.split("\t")[:4] for line in lines] == [
        ["Saga (Saga, #4)", BKV, "saga-saga-3", "open"],
        ["Saga (Saga, #2)", BKV, "want", "want"],
    ], lines
    assert "[✓ read]" not in run("show", "saga-saga-3").stdout
    # the start of the pick: said to be the pick it is, never another volume's `next add`
    err = run("start", "Saga (Saga, #4)", code=1).stderr
    assert "read-next pick of 'Saga (Saga, #3)'" in err and '"Saga (Saga, #4)"' in err, err
    assert "Saga, #2" not in err, err
    # the pick's own volume, once in the journal, is its book
    run("add", "Saga (Saga, #4)", "-a", BKV, "--finished", "2022-01-01")
    items = json.loads(run("next", "--all", "--json").stdout)
    assert [(i["title"], i["status"], i["slug"]) for i in items][0] == (
        "Saga (Saga, #4)",
        "read",
        "saga-saga-4",
    )


def test_a_book_known_by_its_series_field_is_at_that_place(run, books):
    """KOReader's *Saga* (series Saga #1) is not the pick *Saga (Saga, #4)*; of series Saga #4 it is."""
    run("add", "Y: The Last Man", "-a", BKV, "--finished", "2020-01-01")
    run("next", "add", "Saga (Saga, #4)", "-a", BKV, "--from", "y-the-last-man")
    run("add", "Saga", "-a", BKV, "--finished", "2020-02-01")
    path = books / "saga.toml"
    path.write_text(path.read_text() + '\n[[series]]\nname = "Saga"\nnumber = "1"\n')
    [item] = json.loads(run("next", "--all", "--json").stdout)
    assert (item["status"], item["slug"]) == ("open", None), item
    path.write_text(path.read_text().replace('number = "1"', 'number = "4"'))
    [item] = json.loads(run("next", "--all", "--json").stdout)
    assert (item["status"], item["slug"]) == ("read", "saga"), item


def test_the_pick_policy_compares_places():
    assert pick_names_book("Saga (Saga, #2)", [BKV], "Saga (Saga, #2)", [BKV])
    assert not pick_names_book("Saga (Saga, #3)", [BKV], "Saga (Saga, #2)", [BKV])
    assert not pick_names_book("Saga (Saga, #3)", [BKV], "Saga", [BKV], [("Saga", "2")])
    assert pick_names_book("Saga (Saga, #2)", [BKV], "Saga", [BKV], [("Saga", "Two")])
    # a place on one side decides nothing, unless it is past the first of a series named as the title
    assert not pick_names_book("Saga (Saga, #3)", [BKV], "Saga", [BKV])
    assert not pick_names_book("Saga", [BKV], "Saga (Saga, #3)", [BKV])
    assert pick_names_book("Saga (Saga, #1)", [BKV], "Saga", [BKV])
    assert pick_names_book("Dune Messiah (Dune #2)", [], "Dune Messiah", ["Frank Herbert"], [("Foo", "9")])
    assert pick_named("saga (saga, vol. 2)", "Saga (Saga, #2)")
    assert not pick_named("Dune Messiah (Dune #5)", "Dune Messiah (Dune #2)")
    finder = BookFinder(
        [("saga", "Saga", [BKV], [("Saga", "1")]), ("saga-4", "Saga", [BKV], [("Saga", "4")])]
    )
    assert finder.find("Saga (Saga, #4)", [BKV]) == "saga-4"
    assert finder.find("Saga (Saga, #2)", [BKV]) is None


def test_a_sync_keeps_two_volumes_picked_on_two_devices():
    """Picks of *Saga (Saga, #3)* here and *Saga (Saga, #2)* there were one pick in conflict with itself."""
    from readlog.sync.merge import merge_data

    dune = {"title": "Dune", "authors": ["Frank Herbert"]}
    base = {"title": "Y", "authors": [BKV], "next": [dune]}
    ours = {**base, "next": [dune, {"title": "Saga (Saga, #3)", "authors": [BKV], "why": "three"}]}
    theirs = {**base, "next": [dune, {"title": "Saga (Saga, #2)", "authors": [BKV], "why": "two"}]}
    merged = merge_data(base, ours, theirs)
    assert [p["title"] for p in merged.data["next"]] == ["Dune", "Saga (Saga, #3)", "Saga (Saga, #2)"]
    assert not merged.conflicts
    # near miss: one pick whose note changed on both devices is still one pick, in conflict
    ours = {**base, "next": [{**dune, "why": "here"}]}
    theirs = {**base, "next": [{**dune, "why": "there"}]}
    merged = merge_data(base, ours, theirs)
    assert len(merged.data["next"]) == 1 and [c.field for c in merged.conflicts] == [
        "next[1].why"
    ]  # (numbered from 1)
