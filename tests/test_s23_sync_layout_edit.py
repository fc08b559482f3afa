"""A hand edit that changes only a book file's comments or layout is named as such in sync's commit message,
not as a bare `edit "TITLE"` that leaves the reader guessing which field moved; an edit of a field still
names the field."""

from __future__ import annotations

from test_sync_git import devices, git_env, remote  # noqa: F401  (fixtures)
from test_t23g_sync_story import last_message as subject_and_body

SLUG = "klara-and-the-sun"


def test_a_comment_added_by_hand_is_called_a_comment_or_layout_edit(devices):
    laptop, _ = devices
    path = laptop.home / "books" / f"{SLUG}.toml"
    path.write_text("# lent to Sam in May\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    laptop("sync")
    assert 'edit "Klara and the Sun" (comments or layout only)' in subject_and_body(laptop)


def test_a_field_edited_by_hand_is_named(devices):
    laptop, _ = devices
    path = laptop.home / "books" / f"{SLUG}.toml"
    text = path.read_text(encoding="utf-8")
    assert "pages" not in text
    path.write_text(text.replace('status = "', 'pages = 307\nstatus = "', 1), encoding="utf-8")
    laptop("sync")
    message = subject_and_body(laptop)
    assert "comments or layout" not in message
    assert "pages" in message
