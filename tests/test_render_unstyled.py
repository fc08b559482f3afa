"""recall's on-this-day panel on a console that writes no styles (piped, `--color never`) is drawn by
render._Unstyled from each item's text as Rich wraps it, not through Rich's panel, padding and group: its
text must be Rich's own, byte for byte, at every width, for every kind of text; on a console with colour
(or where it cannot be sure) it is Rich's panel itself."""

from __future__ import annotations

import io
import random
from datetime import date

import pytest
from rich.console import Console, Group

from readlog import render
from readlog.actions.recall import Moment, Recall

WORDS = [
    "plain", "words", "a", "of", "the", "supercalifragilisticexpialidocious" * 3, "\u6f22\u5b57\u306e\u6587",
    "\u6f22" * 40, "emoji\U0001f600", "e\u0301", "zero\u200bwidth", "tab\there", "two  spaces", " lead",
    "trail ", "no\u00a0break", "wide\u3000space", "line\u2028sep", "bell\x07", "c1\x85", "sym\u2424", "[b]bold[/b]",
    "-", "—", "…", "x" * 95, "\u0645\u0631\u062d\u0628\u0627",
]  # fmt: skip


def _text(rng: random.Random, most: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(0, most))]
    text = ""
    for word in words:
        text += word + rng.choice([" ", " ", " ", "\n", "\n\n", "  ", "\t"])
    return text


def _moments(rng: random.Random, count: int) -> list[Moment]:
    moments = []
    for n in range(count):
        kind = rng.choice(["finished", "reflection", "quote"])
        moments.append(
            Moment(
                kind,
                f"slug-{n}",
                _text(rng, 6).strip() or "Untitled",
                text=_text(rng, 60),
                note=rng.choice([None, "", _text(rng, 12)]),
                date=rng.choice(["2019-12-05", "2025-12-05", "", None, "12-05", "2026-12-05"]),
                authors=[_text(rng, 3).strip() for _ in range(rng.randint(0, 3))],
            )
        )
    return moments


def _printed(renderable, width: int, terminal: bool, colour: str | None) -> str:
    console = Console(
        file=io.StringIO(), width=width, force_terminal=terminal, color_system=colour, legacy_windows=False
    )
    console.print(renderable)
    return console.file.getvalue()


def _both(result: Recall):
    drawn = render.render_recall(result)
    assert isinstance(drawn.renderables[0], render._Unstyled)
    by_rich = Group(*[p.panel if isinstance(p, render._Unstyled) else p for p in drawn.renderables])
    return drawn, by_rich


@pytest.mark.parametrize("seed", range(6))
def test_the_unstyled_panel_is_richs_text(seed):
    rng = random.Random(seed)
    result = Recall(date(2026, 12, 5), _moments(rng, 16), _moments(rng, 2))
    drawn, by_rich = _both(result)
    for width in (14, 15, 23, 40, 57, 80, 100, 160):
        for terminal in (False, True):
            ours = _printed(drawn, width, terminal, None)
            assert ours == _printed(by_rich, width, terminal, None), (seed, width, terminal)
    assert "On this day, December 5" in ours


@pytest.mark.parametrize("colour", ["standard", "256", "truecolor"])
def test_with_colour_it_is_richs_panel(colour):
    result = Recall(date(2026, 12, 5), _moments(random.Random(99), 12), [])
    drawn, by_rich = _both(result)
    for width in (30, 100):
        assert _printed(drawn, width, True, colour) == _printed(by_rich, width, True, colour)


def test_narrow_consoles_and_other_items_are_left_to_rich():
    result = Recall(date(2026, 12, 5), _moments(random.Random(5), 6), [])
    drawn, by_rich = _both(result)
    unstyled = drawn.renderables[0]
    for width in (1, 5, 9, 13):  # too narrow for the panel's own arithmetic: Rich draws it
        console = Console(file=io.StringIO(), width=width, color_system=None)
        assert unstyled._lines(console, console.options) is None
        assert _printed(drawn, width, False, None) == _printed(by_rich, width, False, None)
    console = Console(file=io.StringIO(), width=80, color_system=None)
    assert unstyled._lines(console, console.options) is not None  # the text path is taken at all
    unstyled.items.append(Group())  # an item it does not know
    assert unstyled._lines(console, console.options) is None
