"""The Goodreads export keeps escaped marks aside by text's one rule (escapes_aside/escapes_back), not its own
copy in the BMP's private-use area, which changed a reader's icon there (Font Awesome's book, U+F02D) into
the mark it stood for."""

from __future__ import annotations

import csv
import io


def test_a_private_use_icon_in_a_review_is_exported_as_written(run):
    review = "My \uf02d shelf: `a <br> b`, \\*not emphasis\\* and *emphasis*"
    run("add", "Icons", "-a", "Someone", "--review", review)
    exported = run("export", "--format", "goodreads").stdout
    (row,) = csv.DictReader(io.StringIO(exported))
    assert row["My Review"] == "My \uf02d shelf: `a &lt;br&gt; b`, *not emphasis* and <i>emphasis</i>"


def test_a_private_use_character_where_marks_are_put_aside_is_exported_as_written(run):
    """Review 28b #5: a reader's U+F0041 (plane 15, where `A` was put aside) came out as `A`."""
    review = "plane \U000f0041 and \U000f00a1 icons \uf02d: `a <br> b`, \\*not emphasis\\* and *emphasis*"
    run("add", "Icons", "-a", "Someone", "--review", review)
    exported = run("export", "--format", "goodreads").stdout
    (row,) = csv.DictReader(io.StringIO(exported))
    assert row["My Review"] == (
        "plane \U000f0041 and \U000f00a1 icons \uf02d: `a &lt;br&gt; b`, *not emphasis* and <i>emphasis</i>"
    )


def test_the_aside_is_a_window_the_text_holds_no_mark_place_of():
    from readlog.text import aside_for, escapes_aside, escapes_back

    assert aside_for("plain \uf02d text") == 0xF0000
    text = "".join(chr(0xF0000 + 0x80 * window + 0x41) for window in range(5)) + " \\* \\_ \U000f02a0"
    aside = aside_for(text)
    assert aside == 0xF0000 + 0x80 * 5
    assert escapes_back(escapes_aside(text, aside), aside) == text.replace("\\", "")
