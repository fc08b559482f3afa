"""Footnotes in the reader's Markdown, one rule for `show` and the site: `text[^1]` refers to a note, and
`[^1]: the note` (further lines indented) defines it; the notes are listed at the end of the text they are in,
numbered in the order they are first referred to. A note no `[^label]` refers to is listed too, after the
others: it is the reader's text (the footnote plugin alone would drop it).

mdit-py-plugins' footnote plugin (about 1 ms to import) is loaded only for a text that holds `[^`."""

from __future__ import annotations

from typing import Any


def may_have_footnotes(text: str) -> bool:
    return "[^" in text


def use_footnotes(parser: Any) -> Any:
    """`parser` (a MarkdownIt) reading footnotes; returned for chaining."""
    from mdit_py_plugins.footnote import footnote_plugin

    parser.use(footnote_plugin, inline=False)  # (`^[inline notes]` are not Markdown readers know)
    parser.core.ruler.before("footnote_tail", "unreferenced_notes", unreferenced_notes)
    parser.core.ruler.after("footnote_tail", "no_way_back", no_way_back)
    parser.add_render_rule("footnote_caption", caption)
    return parser


def caption(self: Any, tokens: Any, at: int, options: Any, env: Any) -> str:
    """`[1]` for every reference to note 1 (the plugin's says `[1:1]` for the second), as `show` has it."""
    return f"[{tokens[at].meta['id'] + 1}]"


def unreferenced_notes(state: Any) -> None:
    """Each definition no reference names is given the next number, as if referred to (count 0)."""
    data = state.env.get("footnotes")
    if not data:
        return
    notes = data.setdefault("list", {})
    refs = data.get("refs", {})
    for key, number in list(refs.items()):
        if number < 0:
            refs[key] = len(notes)
            notes[len(notes)] = {"label": key[1:], "count": 0}


def no_way_back(state: Any) -> None:
    """A note nothing refers to gets no `↩` link back (it would point at no reference)."""
    notes = state.env.get("footnotes", {}).get("list", {})
    state.tokens = [
        token
        for token in state.tokens
        if token.type != "footnote_anchor" or notes.get(token.meta["id"], {}).get("count", 1) > 0
    ]
