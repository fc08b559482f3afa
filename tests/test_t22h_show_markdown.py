"""`show` gives the reader's Markdown whole and in order (session 22's try-out): an image stays where it is in
its paragraph, a link's and an image's address is written out where there are no hyperlinks (piped,
`--color never`), `<br>` is a line break, and footnotes are a `[1]` in the text and a list of the notes at
the end of the part, on the site too; no note is lost, and two are never run together."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from readlog.exporters.site.markdown import Markdown
from readlog.render import _markdown

NOTES = (
    "The source[^1] and another[^note], and the first again[^1].\n\n"
    "[^1]: The first note FOOT1-END\n"
    "[^note]: The second note,\n    with a second line FOOT2-END\n"
    "[^lost]: Nobody refers to me LOST-END\n\n"
    "After the notes AFTER-END\n"
)


def shown(text: str, width: int = 80, terminal: bool = False) -> str:
    """The text as `show` renders it: piped (no colour), or on a colour terminal."""
    out = io.StringIO()
    console = Console(
        file=out, width=width, force_terminal=terminal, color_system="truecolor" if terminal else None
    )
    console.print(_markdown(text))
    return out.getvalue()


def words(text: str) -> list[str]:
    return text.split()


def test_an_image_stays_where_it_is_with_its_address():
    """Mutation: the image branch of `_shown_inline` taken out (Rich's own image): `🌆 alt one 🌆 alt two
    Before text` and no address, and this fails."""
    out = shown("Before text ![alt one](a.jpg) middle text ![alt two](b.jpg) after text.")
    assert words(out) == words("Before text 🌆 alt one (a.jpg) middle text 🌆 alt two (b.jpg) after text.")


def test_a_link_address_is_written_out_when_there_are_no_hyperlinks():
    """Mutation: `hyperlinks` left True whatever the console (Rich's default): the address is only an OSC 8
    hyperlink, invisible in a pipe, and this fails."""
    out = shown(
        "Read [the Russian text](https://example.org/ru) and [ref][r] too.\n\n[r]: https://example.org/r\n"
    )
    assert words(out) == words(
        "Read the Russian text (https://example.org/ru) and ref (https://example.org/r) too."
    )


def test_a_link_whose_text_is_its_address_is_written_once():
    """Mutation: `_its_own_address` answering False: `https://example.org/a (https://example.org/a)`."""
    out = shown("See <https://example.org/a> and <me@example.org>.")
    assert words(out) == words("See https://example.org/a and me@example.org.")


def test_on_a_colour_terminal_a_link_is_a_hyperlink_and_its_text_alone():
    out = shown("Read [the text](https://example.org/ru) and ![cover](c.jpg).", terminal=True)
    assert "\x1b]8;" in out and "https://example.org/ru" in out  # (the link, in the OSC 8 sequence)
    plain = re.sub(r"\x1b\]8;[^\x1b]*\x1b\\|\x1b\[[0-9;]*m", "", out)
    assert words(plain) == words("Read the text and 🌆 cover.")


def test_br_is_a_line_break():
    """Mutation: the `<br>` branch taken out (Rich drops inline HTML): `abreak`, and this fails."""
    lines = [line.strip() for line in shown("a<br>break and c<BR />d<br/>e").splitlines()]
    assert lines == ["a", "break and c", "d", "e"]


def test_footnotes_are_numbered_in_the_text_and_listed_at_the_end():
    """Mutation: the footnote plugin not used (`_parser(False)` always): the references stay `[^1]` and the
    definitions run together into one paragraph, and this fails."""
    out = shown(NOTES)
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    assert lines[0] == "The source[1] and another[2], and the first again[1]."
    assert lines[1] == "After the notes AFTER-END"
    assert set(lines[2]) == {"─"}  # the rule above the notes
    assert lines[3:] == [
        "[1] The first note FOOT1-END",
        "[2] The second note, with a second line FOOT2-END",
        "[3] Nobody refers to me LOST-END",
    ]


def test_a_note_nothing_refers_to_is_kept():
    """Mutation: the `unreferenced_notes` rule not added: the footnote plugin drops LOST-END, and this fails."""
    assert "LOST-END" in shown("No reference here.\n\n[^lost]: Nobody refers to me LOST-END\n")
    assert "LOST-END" in Markdown().html("No reference here.\n\n[^lost]: Nobody refers to me LOST-END\n")


def test_a_note_of_two_paragraphs_hangs_under_its_number():
    out = shown(
        "Text[^1].\n\n[^1]: First paragraph of the note.\n\n    Second paragraph NOTE-END\n", width=30
    )
    lines = [line.rstrip() for line in out.splitlines()]
    start = next(n for n, line in enumerate(lines) if line.startswith("[1] "))
    assert all(line.startswith("    ") or not line for line in lines[start + 1 :])
    assert "NOTE-END" in out


def test_the_site_lists_the_notes_with_ids_of_their_own_text():
    """Two texts on one page (a review, a reflection) never share an id. Mutation: `docId` left out of the
    env: both are `fn1`, and this fails."""
    markdown = Markdown()
    review = markdown.html(NOTES)
    reflection = markdown.html("Another[^1].\n\n[^1]: Its own note\n")
    assert review.count('class="footnote-item"') == 3 and "LOST-END" in review
    assert "[^" not in review and "[1]</a></sup>" in review and "[1:1]" not in review
    ids = set(re.findall(r'id="(fn[^"]+)"', review))
    assert not ids & set(re.findall(r'id="(fn[^"]+)"', reflection))
    lost = review[review.index("Nobody refers") :]
    assert "footnote-backref" not in lost.split("</li>")[0]  # no way back to a reference it has not
    for target in re.findall(r'href="#([^"]+)"', review):
        assert f'id="{target}"' in review  # every link on the page goes somewhere


def test_text_without_footnotes_does_not_load_the_plugin():
    code = (
        "import sys; from readlog.exporters.site.markdown import Markdown; from readlog.render import _markdown\n"
        "from rich.console import Console; Console(file=open('/dev/null', 'w')).print(_markdown('*a* [b](c)'))\n"
        "Markdown().html('*a* [b](c)'); print('mdit_py_plugins' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def on_pty(args: list[str], env: dict[str, str], columns: int) -> str:
    """readlog on a pseudo-terminal `columns` wide: what it wrote, colours and hyperlinks taken out."""
    import fcntl
    import struct
    import termios

    main, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", *args], stdin=secondary, stdout=secondary, stderr=secondary,
        env=env, close_fds=True,
    )  # fmt: skip
    os.close(secondary)
    out = b""
    while True:
        ready, _, _ = select.select([main], [], [], 20)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    process.wait(timeout=20)
    text = re.sub(r"\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)", "", out.decode())
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text).replace("\r", "")


def test_show_on_a_terminal_at_40_and_80_columns(run, journal_home: Path, tmp_path: Path):
    review = tmp_path / "review.md"
    review.write_text(
        "# Marks\n\nBefore text ![alt one](a.jpg) middle text, a<br>break.\n\n" + NOTES, encoding="utf-8"
    )
    run("add", "Marks", "-a", "A B", "--review-file", str(review))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env.update(READLOG_HOME=str(journal_home), TERM="xterm-256color", READLOG_PAGER="")
    for columns in (40, 80):
        out = on_pty(["show", "marks"], env, columns)
        lines = out.splitlines()
        assert all(len(line) <= columns for line in lines), lines
        inside = [line.strip("│ ") for line in lines]
        said = " ".join(inside).split()
        assert said[said.index("Before") : said.index("Before") + 7] == [
            "Before",
            "text",
            "🌆",
            "alt",
            "one",
            "middle",
            "text,",
        ]
        at = next(n for n, line in enumerate(inside) if line.startswith("break."))  # `a<br>break.`
        assert inside[at - 1].endswith(" a") or inside[at - 1] == "a", inside
        notes = [line for line in inside if line.startswith("[")]
        assert [n[:4] for n in notes] == ["[1] ", "[2] ", "[3] "], inside
        assert "(a.jpg)" not in out  # a hyperlink here: its address is in the link, not the text
