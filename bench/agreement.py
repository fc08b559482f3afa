"""Does the index agree with the files after every kind of change, at this journal's size? Used by
bench/scale.py at each size it times, and by tests/test_scale_agreement.py (1,000 books, or the sizes in
READLOG_SCALE_SIZES). Each check changes files as an editor or a tool would, then asks `readlog search`.

Correctness, not timing: a disagreement raises AssertionError.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

Search = Callable[[str], list[dict[str, object]]]


def cli_search(readlog: list[str], env: dict[str, str]) -> Search:
    def search(word: str) -> list[dict[str, object]]:
        out = subprocess.run(
            [*readlog, "search", word, "--json"], env=env, capture_output=True, text=True, check=True
        )
        return json.loads(out.stdout)

    return search


def check(books: Path, search: Search) -> list[str]:
    """Change files behind readlog's back in every way that matters; `search` must see each change at
    once. Returns what was checked."""
    files = sorted(books.glob("*.toml"))[:3]

    def slugs(word: str) -> set[str]:
        return {str(hit["slug"]) for hit in search(word)}

    # 1. In place, same size, as nano and VS Code save: same inode, same length, a new first title word.
    word = _retitle(files[0], "qzx")
    assert files[0].stem in slugs(word), "an in-place edit of the same size"
    # 2. The same with the mtime put back (`cp -p`, `rsync -t`): only the ctime tells.
    st = files[1].stat()
    other = _retitle(files[1], "wvk")
    os.utime(files[1], ns=(st.st_atime_ns, st.st_mtime_ns))
    assert files[1].stem in slugs(other), "an in-place edit with its mtime put back"
    # 3. By rename, as vim and git write: a new file put in the old one's place.
    text = files[2].read_text(encoding="utf-8")
    swap = files[2].with_name(".swap-" + files[2].name)
    swap.write_text(text.replace('title = "', 'title = "Jqpl ', 1), encoding="utf-8")
    os.replace(swap, files[2])
    assert files[2].stem in slugs("jqpl"), "an edit by rename"
    # 4. A book renamed to a new slug, copied, the renamed one deleted.
    renamed = files[0].with_name("renamed-by-hand.toml")
    os.rename(files[0], renamed)
    assert slugs(word) == {"renamed-by-hand"}, "a file renamed"
    shutil.copy(renamed, files[0].with_name("copied-by-hand.toml"))
    renamed.unlink()
    assert slugs(word) == {"copied-by-hand"}, "a file copied, then one deleted"
    return ["in place, same size", "in place, mtime put back", "by rename", "renamed, copied, deleted"]


def _retitle(path: Path, tag: str) -> str:
    """Replace the first word of the book's title, in place and at the same length, with a word made of
    `tag`; returns that word."""
    text = path.read_text(encoding="utf-8")
    match = re.search(r'^title = "(\w+)', text, flags=re.M)
    assert match is not None and match[1].isascii(), f"no ASCII title word in {path}"
    word = (tag * 10)[: len(match[1])]
    with open(path, "r+", encoding="utf-8") as handle:  # not a new file: the folder's stamp stays
        handle.write(text[: match.start(1)] + word + text[match.end(1) :])
    assert len(path.read_bytes()) == len(text.encode()), "the edit keeps the size"
    return word
