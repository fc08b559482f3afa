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
