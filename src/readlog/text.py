"""Text helpers shared by storage, lookup and rendering: normalising, slugs, safe display."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

from readlog.errors import ReadlogError
from readlog.lazyclass import pattern_when_used

SLUG_RE = pattern_when_used(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG = 80
# Names Windows reserves; a journal synced to Windows must not contain them.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_NON_WORD = pattern_when_used(r"[\W_]+", re.UNICODE)
_NON_SLUG = pattern_when_used(r"[^a-z0-9]+")


# Latin letters that are no base letter with an accent (Unicode does not decompose them), folded as a reader
# types them without the key: `Ægir` is `aegir`, `L'Œuvre` `l oeuvre`, `Łódź` `lodz` (as casefold makes `ß`
# `ss`). And marks that only stretch or point a word, dropped: the Arabic tatweel (`ليلـة` is `ليلة`); Hebrew
# points and Arabic harakat are combining marks, dropped with the accents. (After casefold: lower case only.)
_FOLDS = str.maketrans({"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
                        "ħ": "h", "ŀ": "l", "ŧ": "t", "ĸ": "k", "ƀ": "b", "ɨ": "i", "ʉ": "u", "ǥ": "g",
                        "\u0640": None})  # fmt: skip


def folded_letters(text: str) -> str:
    """`text` (lower case) with the letters that do not decompose typed as a reader types them without the
    key (`_FOLDS`: `æ` -> `ae`, `ł` -> `l`): the rule `normalize` and identity's accent rule share."""
    return text.translate(_FOLDS)


# Every letter search_fold folds beyond the index's tokenizer (case and accents are its own): `_FOLDS`'
# letters in either case, and `ß`, which casefold makes `ss` (none of ASCII: `ı`'s upper case is `I`).
_SEARCH_FOLDED_CHARS = "".join(
    sorted({c for k in _FOLDS for c in (chr(k), chr(k).upper()) if not c.isascii()})
)
_SEARCH_FOLDED = pattern_when_used("[" + _SEARCH_FOLDED_CHARS + "ßẞ]")
# The private-use characters (U+E000-U+F8FF, planes 15 and 16) are no part of a word. A reader's text may
# hold them (an import keeps them, session 29), the index's tokenizer counts them as letters (so
# `\ue000start\ue001` was one word, which `start` never found: try-out 31a #6), and a query's words never
# hold them (index.search.fts_query: `\w`): search_indexed indexes the words beside them apart.
_PRIVATE_USE = "\ue000-\uf8ff\U000f0000-\U0010ffff"
_PRIVATE_USED = pattern_when_used(f"[{_PRIVATE_USE}]")
_INDEXED_APART = pattern_when_used(f"[{_SEARCH_FOLDED_CHARS}ßẞ{_PRIVATE_USE}]")
# Where a part's text, as the index keeps it, ends and its folded words begin (search_indexed), and where
# its folded label ends and its folded text begins: a mark of the private-use area, which the folded words
# never hold and the tokenizer keeps as a word of its own (no phrase crosses it).
SEARCH_FOLDS = "\ue003"


@functools.cache
def _search_folds() -> dict[int, str]:
    return {ord(c): folded_letters(c.casefold()) for c in _SEARCH_FOLDED.pattern[1:-1]}


def search_fold(text: str) -> str:
    """`text` as search compares words, the query's and the index's alike: the letters the index's
    tokenizer does not fold (`_SEARCH_FOLDED`) folded as a reader types them without the key
    (folded_letters: `Æneid` -> `aeneid`, `Łódź` -> `lódź`, `STRAẞE` -> `STRAsse`), so `Aeneid` finds *Æneid*,
    `Lodz` *Łódź* and `strasse` *Straße*. Every other letter is left as typed: case and accents are the
    tokenizer's, which reads the query and the text alike (`İstanbul`, `ﬁeld`, `Յևան` find themselves;
    casefold made them `i̇stanbul`, `field`, `յեւան`, which no text holds as the index reads it)."""
    if text.isascii() or not _SEARCH_FOLDED.search(text):
        return text
    return text.translate(_search_folds())


def search_indexed(label: str, body: str) -> str:
    """A part's `body` as the search index keeps it: as written, and, when it or its `label` holds a letter
    search_fold folds or a private-use character (`_PRIVATE_USE`), the label's words and the text's so
    folded, with a space for each private-use character, after SEARCH_FOLDS, each after its own (the
    tokenizer indexes them too, and no phrase runs from the label into the text; search_shown takes them
    off again)."""
    if (label.isascii() and body.isascii()) or not (
        _INDEXED_APART.search(body) or _INDEXED_APART.search(label)
    ):
        return body  # (most parts: two scans in C)
    label, folded = (_PRIVATE_USED.sub(" ", search_fold(text)) for text in (label, body))
    return f"{body} {SEARCH_FOLDS} {label} {SEARCH_FOLDS} {folded}"


def search_shown(body: str) -> str:
    """A part's body as search_indexed keeps it, as written (its folded words taken off)."""
    return body.rsplit(SEARCH_FOLDS, 2)[0][:-1] if SEARCH_FOLDS in body else body


@functools.cache
def search_unfolds() -> dict[str, str]:
    """What search_fold makes of each letter it folds beyond case: `ae` <- `æ`, `l` <- `łŀ`, `ss` <- `ß`
    (the snippet's pattern marks the letters written for the folded words of a query)."""
    unfolds: dict[str, str] = {"ss": "ß"}
    for key, value in _FOLDS.items():
        if isinstance(value, str):
            unfolds[value] = unfolds.get(value, "") + chr(key)
    return unfolds


def normalize(text: str) -> str:
    """Case-folded, accents and punctuation removed, the Latin letters that do not decompose folded
    (`_FOLDS`), spaces collapsed: the form BOOK lookups and identity compare."""
    if text.isascii():  # nothing to decompose (the common case, and 10x faster: imports normalise a lot)
        return _NON_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", folded_letters(text.casefold()))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped).strip()


def slugify(text: str) -> str:
    """An ASCII, lowercase, hyphenated name that is always a safe single path component."""
    if text.isascii():  # (most titles: nothing to transliterate)
        lower = text.lower()
        # words of letters and digits with one space between them (most titles): the pattern's answer
        plain = lower.replace(" ", "")
        if plain.isalnum() and "  " not in lower and lower[:1] != " " and lower[-1:] != " ":
            slug = lower.replace(" ", "-")
        else:
            slug = _NON_SLUG.sub("-", lower).strip("-")
    else:
        from anyascii import anyascii  # only `add` and friends need transliteration

        text = unicodedata.normalize("NFC", text)  # (`ガラス` decomposed would be `ka-rasu`)
        slug = _NON_SLUG.sub("-", anyascii(text).lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    if not slug:
        return "book"
    if slug in _RESERVED:
        return f"{slug}-book"
    return slug


def is_slug(text: str) -> bool:
    return len(text) <= MAX_SLUG + 20 and SLUG_RE.fullmatch(text) is not None


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "md", "phd", "dphil", "dds", "dmd", "rn", "esq", "mba", "jd",
             "msw", "lcsw", "mph", "facp", "frcp", "obe", "cbe", "kbe", "mbe"}  # fmt: skip


def is_name_suffix(word: str) -> bool:
    """`Jr.`, `III`, `M.D.`, `Md`, `PhD`: what follows a name rather than starts it."""
    return word.lower().replace(".", "").replace(" ", "") in _SUFFIXES


def person_name(name: str) -> str:
    """A person's name as readlog stores it: First Last, suffixes after the name.
    `Thaler, Richard H.` -> `Richard H. Thaler`; `Dean Ornish, M.D.` and `Gabor Maté, Md` stay;
    `King, Martin Luther, Jr.` and `King, Jr., Martin Luther` -> `Martin Luther King, Jr.`;
    `M.D. Dean Ornish` (a suffix put first) -> `Dean Ornish, M.D.`. Anything else stays as written."""
    name = " ".join(name.split())
    parts = [p.strip() for p in name.split(",")]
    if any(not p for p in parts):
        return name
    suffixes = [p for p in parts[1:] if is_name_suffix(p)]
    rest = [p for p in parts if p not in suffixes]
    if len(rest) == 2:
        name = f"{rest[1]} {rest[0]}"  # Last, First
    elif len(rest) == 1:
        name = rest[0]
    else:
        return " ".join(name.split())
    words = name.split()
    while len(words) > 2 and is_name_suffix(words[0]) and words[0].count(".") >= 2:  # `M.D. Dean Ornish`
        suffixes.append(words.pop(0))
    return ", ".join([" ".join(words), *suffixes])


def surname(author: str) -> str:
    """The part of a name a reader would tell books apart by: 'Kazuo Ishiguro' -> 'Ishiguro'."""
    head, _, tail = (part.strip() for part in author.partition(","))
    if tail and not is_name_suffix(tail.split(",")[0]):
        return head  # "Ishiguro, Kazuo"
    words = [w for w in head.split() if not is_name_suffix(w)] or head.split()
    return words[-1] if words else ""


def split_people(cell: str, comma_list: bool = False) -> list[str]:
    """A list of people as devices write it (`;`, a new line, ` & ` between names), each as `person_name`
    gives it. One comma inside a name is `Last, First` (`Thaler, Richard H.`), as Kindle and KOReader write
    names; with `comma_list` (Kobo's `Ann Lee, Bo Park`), commas separate people unless what comes before
    the comma is one word (`Thaler, Richard H.`). A suffix after a comma stays with its name."""
    out: list[str] = []
    for part in re.split(r"\s*;\s*|\n|\s+&\s+", cell):
        part = " ".join(part.split())
        if not part:
            continue
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        named = [p for p in pieces[1:] if not is_name_suffix(p)]
        one_word_first = len(pieces[0].split()) == 1
        one = (not named or (len(named) == 1 and one_word_first)) if comma_list else len(named) <= 1
        names = [part] if one else pieces
        out += [n for n in (person_name(n) for n in names) if n and n not in out]
    return out


def tag_key(tag: str) -> str:
    """What makes two tags one: case, and spaces, hyphens and underscores between words
    (`Sci Fi`, `sci fi`, `sci-fi`)."""
    return " ".join(re.split(r"[\s_-]+", tag.casefold())).strip()


# Lower-case particles sort under the name after them (van Beethoven -> Beethoven); capitalised ones
# are part of the surname, as libraries file English names (Le Guin, De la Mare, Du Maurier).
_PARTICLES = {"de", "del", "della", "der", "di", "da", "das", "dos", "du", "la", "le", "van", "von", "den",
              "ter", "ten", "af", "av", "zu", "st.", "st", "bin", "ibn", "al", "el", "y"}  # fmt: skip


def sort_name(author: str) -> str:
    """How a library files an author: surname first, normalised. 'Kazuo Ishiguro' -> 'ishiguro kazuo',
    'Ursula K. Le Guin' -> 'le guin ursula k', 'Ludwig van Beethoven' -> 'beethoven ludwig van',
    'Ishiguro, Kazuo' as written; a single name (Homer, 村上春樹) is itself."""
    head, comma, tail = (part.strip() for part in author.partition(","))
    if comma and tail and not is_name_suffix(tail.split(",")[0]):
        return normalize(f"{head} {tail}")
    words = [w for w in head.split() if not is_name_suffix(w)] or head.split()
    if len(words) < 2:
        return normalize(head)
    last = len(words) - 1
    first = last
    while first > 1 and words[first - 1].lower() in _PARTICLES:
        first -= 1
    if first < last and words[first][:1].isupper():  # "Le Guin", "De la Mare"
        surname, given = words[first:], words[:first]
    else:  # "van Beethoven": filed under Beethoven
        surname, given = words[last:], words[:last]
    return normalize(" ".join(surname + given))


# Control characters are shown as Unicode control pictures (ESC -> U+241B), never sent to the terminal.
_C0 = {i: 0x2400 + i for i in range(0x20) if chr(i) not in "\n\t"}
_C1 = {i: f"\\x{i:02x}" for i in range(0x80, 0xA0)}
# Undecodable bytes (a file name, argv), as Python keeps them (surrogateescape: byte 0xE9 is U+DCE9): shown
# escaped as `ls -b` has them (`caf\xe9.toml`), so the reader can find the file; other surrogates: U+FFFD.
_SURROGATES: dict[int, int | str] = {
    **dict.fromkeys(range(0xD800, 0xE000), 0xFFFD),
    **{i: f"\\x{i - 0xDC00:02x}" for i in range(0xDC80, 0xDD00)},
}
_VISIBLE: dict[int, int | str] = {**_C0, 0x7F: 0x2421, **_C1, **_SURROGATES}
# In JSON text (json.dumps's, ensure_ascii=False): C1 controls as `\u0085` (a terminal never obeys them),
# undecodable bytes as the text lines show them (`caf\xe9.toml`, its backslash escaped as JSON has it),
# so the output is UTF-8 (a lone surrogate would go out as the raw byte) and says the same name.
JSON_VISIBLE: dict[int, int | str] = {
    **{i: f"\\u{i:04x}" for i in range(0x80, 0xA0)},
    **{i: v if isinstance(v, int) else "\\" + v for i, v in _SURROGATES.items()},
}


def visible(text: str) -> str:
    """User text made safe to print: control characters become visible instead of being obeyed."""
    return text.translate(_VISIBLE)


def markdown_lines(text: str) -> list[str]:
    """`text`'s lines as markdown-it numbers them (its tokens' `map`): a line ends at `\r\n`, a lone `\r`
    or `\n`. (Split at `\n` alone, a review with a lone `\r`, kept from a JSON backup or typed as an
    escape, read markdown-it's line numbers on other lines: a note to self left in the published page, the
    feed's opening the wrong paragraph or a build's traceback; review 31c F1.)"""
    return re.split("\r\n?|\n", text)


def markdown_newlines(text: str) -> str:
    """`text` with its line ends as markdown-it reads them (`\r\n`, a lone `\r`) written `\n`: for code
    that reads its tokens' `map` on lines split at `\n` (a lone CR kept raw HTML live in the Markdown
    posts and a `<br>` in code a real break in the Goodreads export: try-out 32b #5)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def one_line(text: str) -> str:
    """`visible`, and newlines and tabs too: for error messages and table cells."""
    return visible(text).replace("\n", "\u2424").replace("\t", " ")


def tsv_as_is(text: str, values: str) -> bool:
    """Whether `text` (values joined by tabs, rows by newlines; `values`: the values' own characters run
    together) is already its `tsv` (cli.app.write_rows): every value printable (so no character `one_line`
    changes, and no whitespace but the space), no U+2424, no run of spaces, none at either end of a value.
    Most rows are."""
    return (
        values.isprintable()
        and "\u2424" not in text
        and "  " not in text
        and " \t" not in text
        and "\t " not in text
        and " \n" not in text
        and "\n " not in text
        and text[:1] != " "
        and text[-1:] != " "
    )


def lines_as_is(block: str, count: int, values: int) -> bool:
    """Whether `block`, `count` lines of `values` values joined by tabs (never fewer: a value can add a tab
    or a newline, never take one), the lines joined by newlines, is already its `tsv` as it is: no value
    holds a tab or a newline, and `tsv_as_is`."""
    return (
        block.count("\t") == (values - 1) * count
        and block.count("\n") == count - 1
        and tsv_as_is(block, block.replace("\t", "").replace("\n", ""))
    )


# Control characters (C0, DEL, C1), as str.translate drops them.
CONTROLS = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)])
# A terminal's escape sequence, whole: CSI (`ESC [ 31 m`: colours, cursor moves) and OSC (`ESC ] 0 ; title
# BEL`: a window title, a link), so that dropping the control characters leaves no `[31m` behind.
ESCAPE_SEQUENCE = pattern_when_used(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)?")


def control_codes(text: str) -> list[str]:
    """The control characters a one-line field holds, as `U+0007` (none: []): what `check` names in a book
    file, and `edit` refuses in a title or a name (clean_name drops them from every other way in)."""
    if text.isprintable():
        return []
    return sorted({f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cc"})


def clean_name(text: str) -> str:
    """Runs of spaces collapsed, ends trimmed, control characters (and a terminal's escape sequences, whole)
    dropped: `John D.  Burns ` -> `John D. Burns`; `\\x00Steve Jobs` -> `Steve Jobs`. For a one-line field
    read from another program's file (an export's title, name or shelf; an e-reader's title line)."""
    joined = " ".join(text.split())
    if not joined.isprintable():  # (a rare cell: the check is one pass in C, the translation another)
        joined = " ".join(ESCAPE_SEQUENCE.sub("", joined).translate(CONTROLS).split())
    return joined


def clean_text(text: str, hard_breaks: bool = True) -> str:
    """Text a user typed or piped in: NFC (`composed`), newlines made LF, blank space at the ends of lines
    and outer blank lines dropped, and a multi-line text ending in a newline (so its closing ''' sits on a
    line of its own in the file). A Markdown hard break is the reader's, and kept: a line ending in two or
    more spaces, with a line of text after it, keeps those spaces (`A line  \\nthe next`). `hard_breaks=False`
    for text made from HTML, whose blank space at a line's end is no break (`<br>` is)."""
    text = composed(text.replace("\r\n", "\n").replace("\r", "\n").strip("\n"))
    lines = text.split("\n")
    kept = [line.rstrip() for line in lines]
    for at, line in enumerate(lines[:-1] if hard_breaks else ()):
        if line.endswith("  ") and kept[at] and kept[at + 1]:
            kept[at] += line[len(line.rstrip(" ")) :]  # the spaces, as typed (a tab before them goes)
    text = "\n".join(kept).strip("\n")
    return text + "\n" if "\n" in text else text


# The help comment at the top of an editor template; only this comment is removed from what was typed.
TEMPLATE_MARK = "<!-- readlog:"


def strip_template(text: str) -> str:
    """`text` without readlog's help comment at its top (a draft fed back through stdin has it too)."""
    if text.lstrip().startswith(TEMPLATE_MARK):
        end = text.find("-->")
        return text[end + 3 :] if end >= 0 else ""
    return text


# A review's headline, as Markdown draws a level-one heading at its top: `# Headline` with up to three
# spaces before the `#` (four make it code), or one line of text underlined with `=` (a setext heading).
_ATX_HEADLINE = pattern_when_used(r" {0,3}#(?:[ \t]+(.*))?")
_SETEXT_RULE = pattern_when_used(r" {0,3}=+[ \t]*")


def split_review(markdown: str) -> tuple[str | None, str | None]:
    """A review document -> (headline, body): a first line that is a level-one heading is the headline
    (`# Headline`, `   # Headline`, or `Headline` over a line of `=`); an empty `#` line gives none. The one
    rule for every way a review comes in (TEXT, a file, stdin, the editor)."""
    text = clean_text(strip_template(markdown))
    first, _, rest = text.partition("\n")
    atx = _ATX_HEADLINE.fullmatch(first)
    if atx:
        return (atx[1] or "").strip() or None, clean_text(rest) or None
    underline, _, after = rest.partition("\n")
    if first.strip() and not first.startswith("    ") and _SETEXT_RULE.fullmatch(underline):
        return first.strip(), clean_text(after) or None
    return None, text or None


_FRACTIONS = {0.25: "¼", 0.5: "½", 0.75: "¾"}


# A backslash before ASCII punctuation: Markdown's escape (CommonMark), which shows the mark as itself.
MARKDOWN_ESCAPE = pattern_when_used(r"\\([!-/:-@\[-`{-~])")
# Where an escaped mark waits while markup is read around it (`escapes_aside`): a supplementary private-use
# plane, the marks `!`...`~` at U+F0021-F007E, or, in a text that holds one of those itself (a reader's icon
# font), the same 94 in the first window of 128 further on that it holds none of (`aside_for`).
_ASIDE = 0xF0000
_ASIDE_WINDOW = 0x80  # (a mark's place in its window: 0x21-0x7E)
_PRIVATE_PLANES = pattern_when_used("[\U000f0000-\U0010ffff]")


def aside_for(text: str) -> int:
    """Where `escapes_aside` may put the escaped marks of `text` (and of any part of it) aside: the first
    window of the private-use planes none of whose marks' places `text` holds (most texts: U+F0000's)."""
    if text.isascii() or not _PRIVATE_PLANES.search(text):
        return _ASIDE
    places = {ord(c) - _ASIDE for c in text if ord(c) >= _ASIDE}
    held = {place // _ASIDE_WINDOW for place in places if 0x21 <= place % _ASIDE_WINDOW < 0x7F}
    # (1,024 windows in planes 15 and 16: a text that holds a mark's place in each has its first's turned)
    return _ASIDE + _ASIDE_WINDOW * next((window for window in range(1024) if window not in held), 0)


@functools.cache
def _aside_marks(aside: int) -> re.Pattern[str]:
    return re.compile(f"[{chr(aside + 0x21)}-{chr(aside + 0x7E)}]")


def markdown_unescaped(text: str) -> str:
    """Markdown text's backslash escapes undone, and a hard break's backslash at a line's end taken away:
    what a reader sees of `\\- not a list` or `Tom \\& Jerry` where readlog shows stored Markdown as plain
    text (a search snippet, the site's excerpts), as `show` and the book page show it rendered."""
    if "\\" not in text:
        return text
    return MARKDOWN_ESCAPE.sub(r"\1", text.replace("\\\n", "\n"))


def escapes_aside(text: str, aside: int) -> str:
    """Each escaped mark (`\\*`) put aside as one private character (at `aside`: `aside_for` the whole text
    the markup is read in), out of the way of patterns that read markup (emphasis, links); `escapes_back`
    gives them back as the marks themselves."""
    return MARKDOWN_ESCAPE.sub(lambda found: chr(aside + ord(found[1])), text)


def escapes_back(text: str, aside: int, mark: Callable[[str], str] = str) -> str:
    """The marks `escapes_aside` put aside at `aside`, back as themselves (each through `mark`: HTML-escaped,
    say)."""
    return _aside_marks(aside).sub(lambda found: mark(chr(ord(found[0]) - aside)), text)


def stars(rating: float) -> str:
    """4.5 -> '★★★★½', 3.75 -> '★★★¾☆': five places, quarters shown as fractions."""
    full = int(rating)
    part = _FRACTIONS.get(rating - full, "")
    return "★" * full + part + "☆" * (5 - full - (1 if part else 0))


# Encodings an export that is not UTF-8 comes in (a spreadsheet's save on Windows, an older app): the detector
# chooses among these only. Each keeps ASCII as ASCII, so a line is split into its cells before decoding.
LEGACY_ENCODINGS = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
                    "cp874", "cp932", "euc_jp", "gb18030", "big5", "cp949", "koi8_r", "koi8_u")  # fmt: skip
_LABELS = {"cp932": "Shift-JIS", "shift_jis": "Shift-JIS", "euc_jp": "EUC-JP", "gb18030": "GB18030",
           "gbk": "GBK", "gb2312": "GB2312", "big5": "Big5", "cp949": "EUC-KR (cp949)", "euc_kr": "EUC-KR",
           "koi8_r": "KOI8-R", "koi8_u": "KOI8-U", "cp874": "Windows-874", "latin_1": "Latin-1",
           "iso8859_1": "Latin-1"}  # fmt: skip


def way_out(example: str = "cp1251") -> str:
    """What a reader does about text whose encoding readlog cannot tell."""
    return f"give its encoding with --encoding NAME (e.g. --encoding {example}), or save the file as UTF-8"


def encoding_label(name: str) -> str:
    """`cp1251` -> `Windows-1251`, `cp932` -> `Shift-JIS`: what a reader calls an encoding."""
    import codecs

    try:
        name = codecs.lookup(name).name
    except LookupError:
        return name
    if re.fullmatch(r"cp12\d\d", name):
        return f"Windows-{name[2:]}"
    return _LABELS.get(name, name)


def _ascii_compatible(encoding: str) -> bool:
    probe = ',;\t"\r\n azAZ09'
    try:
        return probe.encode(encoding) == probe.encode("ascii")
    except (LookupError, UnicodeError):
        return False


def composed(text: str) -> str:
    """`text` in NFC (`é` one character, not `e` and an accent): the one form readlog takes text in, a
    quick check in C for text that already is (almost all)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def decode_lines(
    raw: bytes, delimiter: str | None = ",", encoding: str | None = None, where: str = ""
) -> tuple[str, list[int], str]:
    """A delimited export as text: UTF-8 (a BOM tolerated; UTF-16 with a BOM whole). A file that is not
    UTF-8 throughout is decoded cell by cell (its lines split at the delimiter, ASCII in every encoding read
    here): a cell that is UTF-8 is kept as it is, and the others are read in one encoding, `encoding` if
    given, else the one `legacy_encoding` finds for them all together. A cell that cannot be read in it with
    confidence is a ReadlogError naming its line and column: nothing is ever replaced by U+FFFD. Returns
    the text, the numbers of the lines that held a cell not UTF-8 (the header being line 1), and what those
    cells were read as (`Windows-1252`). `delimiter=None`: each line is one cell. `where`: the file's name."""
    prefix = f"{where}: " if where else ""
    if encoding is not None:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            from readlog.errors import UsageError

            raise UsageError(f"--encoding: {encoding!r} is not an encoding Python knows") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return composed(raw.decode("utf-16")), [], ""
    try:  # (a file that is UTF-8 throughout is read so whatever --encoding says: it is for other cells)
        return composed(raw.decode("utf-8").removeprefix("\ufeff")), [], ""
    except UnicodeDecodeError:
        pass
    if encoding is not None and not _ascii_compatible(encoding):  # (UTF-16 without a BOM): the whole file
        try:
            return composed(raw.decode(encoding).removeprefix("\ufeff")), [1], encoding_label(encoding)
        except UnicodeError as error:
            raise ReadlogError(f"{prefix}cannot be read as {encoding}: {error}") from None
    parts: list[str] = []
    foreign: list[
        tuple[int, int, int, bytes]
    ] = []  # each cell not UTF-8: line, column, place in parts, bytes
    sep = delimiter.encode("ascii") if delimiter else b"\n"
    quoted, column = False, 1
    for number, line in enumerate(raw.splitlines(keepends=True), 1):
        if not quoted:
            column = 1
        pieces = line.split(sep) if delimiter else [line]
        for at, piece in enumerate(pieces):
            if at:
                parts.append(delimiter or "")
            try:
                parts.append(piece.decode("utf-8"))
            except UnicodeDecodeError:
                foreign.append((number, column, len(parts), piece))
                parts.append("")
            if piece.count(b'"') % 2:
                quoted = not quoted
            if at < len(pieces) - 1 and not quoted:
                column += 1
    names = _header_names(raw, sep) if delimiter else []

    def place_of(cell: int) -> str:
        line, column = foreign[cell][:2]
        name = f" ({names[column - 1]})" if 0 < column <= len(names) and names[column - 1] else ""
        return f"{prefix}line {line}" + (f", column {column}{name}" if delimiter else "")

    texts, label = decode_foreign([cell for *_, cell in foreign], encoding, place_of)
    for (_, _, place, _), text in zip(foreign, texts, strict=True):
        parts[place] = text
    lines = sorted({line for line, *_ in foreign})
    return composed("".join(parts).removeprefix("\ufeff")), lines, label


def decode_foreign(
    cells: list[bytes], encoding: str | None, place_of: Callable[[int], str]
) -> tuple[list[str], str]:
    """The cells of a file that are not UTF-8 (a line, a delimited cell, a database's value), each read in
    one encoding: `encoding` if given, else the one `legacy_encoding` finds for them all together; and what
    they were read as (`Windows-1252`). A cell that cannot be read in it with confidence is a ReadlogError
    naming it (`place_of(i)`: where the i-th cell is): nothing is ever replaced by U+FFFD."""
    chosen = encoding or legacy_encoding(cells, place_of)
    # (a Western spreadsheet's stray letters are sound as such: a mess measure of `50€` alone says nothing)
    western = encoding is None and chosen == "cp1252" and all(_western(cell) for cell in cells)
    texts: list[str] = []
    for cell, piece in enumerate(cells):
        try:
            text: str | None = piece.decode(chosen)
        except UnicodeDecodeError:
            text = None
        if text is None or (encoding is None and not western and _messy(text)):
            if encoding:
                raise ReadlogError(
                    f"{place_of(cell)}: not UTF-8, nor {encoding_label(chosen)} as the --encoding given: "
                    f"{way_out()}"
                )
            raise ReadlogError(
                f"{place_of(cell)}: not UTF-8, nor {encoding_label(chosen)} as the file's other cells that "
                "are not UTF-8 (two encodings in one file?): save the file as UTF-8, or give the one "
                "encoding with --encoding NAME"
            )
        texts.append(text)
    return texts, encoding_label(chosen)


def utf16_codec(raw: bytes) -> str | None:
    """The UTF-16 a device file is written in (`utf-16`, its byte-order mark saying which end first, or
    `utf-16-le`/`utf-16-be` without one), or None for any other: a clippings file or a sidecar saved as
    "Unicode" by Windows Notepad, which KOReader and a Kindle never write. Without a mark, only text whose
    every other byte is a NUL (mostly Latin letters) is taken for UTF-16: an SQLite file's zeros fall on
    both sides, and UTF-8 text holds none."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) and not raw.startswith(b"\xff\xfe\x00\x00"):
        return "utf-16"
    head = raw[:512]
    pairs = len(head) // 2
    if pairs < 4 or b"\x00" not in head:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd >= 0.9 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.9 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def utf16_as_utf8(raw: bytes, where: str = "", partial: bool = False) -> bytes:
    """`raw` as UTF-8 when it is UTF-16 (utf16_codec), so every device file is read as one; else as it is.
    `partial`: the first bytes of a file only (told apart by them: a character cut at the end is left
    out). UTF-16 that does not decode is refused in one line, saying what to do."""
    codec = utf16_codec(raw)
    if codec is None:
        return raw
    try:
        text = raw[: len(raw) & ~1].decode(codec, "ignore") if partial else raw.decode(codec)
    except UnicodeDecodeError as error:
        raise ReadlogError(
            f"{where or 'the file'} is UTF-16 with a broken character at byte {error.start}: not read "
            "(open it in a text editor and save it as UTF-8, then import it again)"
        ) from None
    return text.removeprefix("\ufeff").encode("utf-8")


def decode_device(raw: bytes, encoding: str | None = None, where: str = "") -> tuple[str, list[int], str]:
    """A file a device writes as UTF-8 (a KOReader sidecar or export) as text: decode_stray for its lines
    that are not UTF-8. Returns the text, those lines' numbers and what their stray bytes were read as."""
    try:
        return raw.decode("utf-8").removeprefix("\ufeff"), [], ""
    except UnicodeDecodeError:
        pass
    lines = raw.splitlines(keepends=True)
    bad = [at for at, line in enumerate(lines) if not _utf8(line)]
    prefix = f"{where}: " if where else ""
    texts, said = decode_stray([lines[at] for at in bad], encoding, lambda k: f"{prefix}line {bad[k] + 1}")
    read = dict(zip(bad, texts, strict=True))
    text = "".join(read[at] if at in read else line.decode("utf-8") for at, line in enumerate(lines))
    return text.removeprefix("\ufeff"), [at + 1 for at in bad], said


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_stray(
    cells: list[bytes], encoding: str | None, place_of: Callable[[int], str]
) -> tuple[list[str], str]:
    """Text a device wrote as UTF-8 (KOReader, Kobo) that holds bytes that are not (a damaged file, a book's
    text pasted from elsewhere): in each cell only the runs of bytes that are not UTF-8 are read, all in one
    encoding (decode_foreign: `encoding`, else the one they read as together), and the UTF-8 around them is
    kept as it is (a whole line read as Windows-1252 would turn its `ǔ` into `Ç”`). Returns the cells as
    text and what the stray bytes were read as; a run that cannot be read with confidence is a ReadlogError
    naming its cell (`place_of`): nothing is ever replaced by U+FFFD."""
    pieces: list[list[str | int]] = []  # each cell: its UTF-8 text and, as ints, its stray runs' numbers
    stray: list[bytes] = []
    owner: list[int] = []
    for at, cell in enumerate(cells):
        parts: list[str | int] = []
        start = 0
        while start < len(cell):
            try:
                parts.append(cell[start:].decode("utf-8"))
                break
            except UnicodeDecodeError as error:
                parts.append(cell[start : start + error.start].decode("utf-8"))
                end = start + error.end
                while end < len(cell) and not _starts_utf8(cell[end:]):
                    end += 1  # (a run of stray bytes is read whole: a two-byte legacy character stays one)
                parts.append(len(stray))
                stray.append(cell[start + error.start : end])
                owner.append(at)
                start = end
        pieces.append(parts)
    texts, said = decode_foreign(stray, encoding, lambda k: place_of(owner[k]))
    return ["".join(texts[p] if isinstance(p, int) else p for p in parts) for parts in pieces], said


def _starts_utf8(data: bytes) -> bool:
    """Whether `data` starts with a whole UTF-8 character."""
    return any(_utf8(data[:size]) for size in (1, 2, 3, 4))


def _header_names(raw: bytes, sep: bytes) -> list[str]:
    """The first line's cells, when it is UTF-8 (a column's name for a message; quotes dropped)."""
    import csv

    first = raw.split(b"\n", 1)[0]
    try:
        line = first.decode("utf-8").lstrip("\ufeff").rstrip("\r")
    except UnicodeDecodeError:
        return []
    try:  # (quoted names hold the delimiter: LibraryThing's "AUTHOR (first, last)")
        return [cell.strip() for cell in next(csv.reader([line], delimiter=sep.decode()), [])]
    except csv.Error:
        return []


def _messy(text: str) -> bool:
    """Whether decoded text reads as garbage (charset-normalizer's mess measure: symbols, odd case runs)."""
    from charset_normalizer.md import mess_ratio

    return mess_ratio(text, 1.0) >= 0.4  # (`Żółć i ćma` 0.375; Shift-JIS read as Windows-1251 0.5)


def _western(cell: bytes) -> bool:
    """Whether a cell reads as Windows-1252 the way a spreadsheet's stray `é` does: Latin letters and
    common marks, each letter alone among ASCII (or two lower-case, as `üß`), never the runs that Cyrillic,
    Greek or UTF-8 read as Windows-1252 give (`Ïðåñòóï`, `Ìû`, `Ã¶`)."""
    try:
        text = cell.decode("cp1252")
    except UnicodeDecodeError:
        return False
    for run in re.findall(r"[^\x00-\x7f]+", text):
        if len(run) > 2 or (len(run) == 2 and not run.islower()):
            return False
        for char in run:
            if char.isalpha() and "LATIN" not in unicodedata.name(char, ""):
                return False
            if not char.isalpha() and char not in "’‘“”–—…«»°·€£©®×½¼¾¿¡\xa0§¶ºª±µ•™":
                return False
    return True


def legacy_encoding(cells: list[bytes], at: Callable[[int], str]) -> str:
    """The one encoding the cells of a file that are not UTF-8 are in, told from them all together:
    - the encoding in which they read best as a language (charset-normalizer, loaded only here: about 20 ms),
      when no other reads as well with another text (`España` is Windows-1252 or 1250 alike to it: `ñ`/`ń`);
    - else Windows-1252, when they read as a Western spreadsheet's stray letters (`_western`);
    - else the only encoding they decode in without garbage.
    None of these: a ReadlogError naming the first cell (`at`) and the way out (`--encoding`)."""
    from charset_normalizer import from_bytes

    results = list(from_bytes(b"\n".join(cells), cp_isolation=list(LEGACY_ENCODINGS)))
    if results:
        chaos = min(r.chaos for r in results)
        coherence = max(r.coherence for r in results if r.chaos == chaos)
        top = [r.encoding for r in results if r.chaos == chaos and r.coherence == coherence]
        if coherence >= 0.2 and len({_decoded(cells, e) for e in top}) == 1:
            # (read alike in Windows-1252, named so: `Grüße` is no more Windows-1250 than 1252)
            return "cp1252" if _decoded(cells, "cp1252") == _decoded(cells, top[0]) else top[0]
    if all(_western(cell) for cell in cells):
        return "cp1252"
    if len(results) == 1:
        return results[0].encoding
    guesses = ", ".join(dict.fromkeys(encoding_label(r.encoding) for r in results[:3]))
    seems = f" (it could be {guesses})" if guesses else ""
    example = results[0].encoding if results else "cp1251"
    if _decoded(cells, "cp1252") is not None and not any(re.search(rb"[\x80-\xff]{3}", c) for c in cells):
        example = "cp1252"  # (sparse letters among ASCII: a Western file's, whatever a detector guessed)
    raise ReadlogError(f"{at(0)}: not UTF-8, and its encoding cannot be told{seems}: {way_out(example)}")


def _decoded(cells: list[bytes], encoding: str) -> tuple[str, ...] | None:
    try:
        return tuple(cell.decode(encoding) for cell in cells)
    except UnicodeDecodeError:
        return None


def fallback_message(lines: list[int], encoding: str = "Windows-1252", unit: str = "line") -> str:
    """`lines 4, 9: not UTF-8, read as Windows-1252` (at most 20 numbers, then how many more; `unit`: what
    the numbers count, `bookmark row` in a database)."""
    shown = ", ".join(str(n) for n in lines[:20]) + (
        f" and {len(lines) - 20} more" if len(lines) > 20 else ""
    )
    return f"{unit}{'s' if len(lines) > 1 else ''} {shown}: not UTF-8, read as {encoding}"


MAX_DIGITS = 30  # a whole number a reader (or an export) can mean: pages, years, ids. Longer: kept as text


def json_int(digits: str) -> int | str:
    """What a JSON number without a fraction becomes when a foreign file is read: an int, or its digits as
    text when there are more than any field can use (Python refuses to make ints of 4,300 digits or more,
    and a field that wants a number then refuses the text with a reason)."""
    return int(digits) if len(digits.lstrip("-")) <= MAX_DIGITS else digits


def loads_foreign_json(text: str) -> object:
    """`json.loads` for a file readlog did not write: numbers of any length never raise."""
    import json

    return json.loads(text, parse_int=json_int)


def cells(text: str) -> int:
    """How many terminal columns `text` takes: a wide (East Asian) character two, a combining mark none."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text
    )


def stderr_width() -> int:
    """The columns of the terminal messages go to (COLUMNS first, as Rich and Click take it)."""
    import os
    import shutil
    import sys

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns or 80
    except (OSError, ValueError, AttributeError):
        return shutil.get_terminal_size().columns


def plain_message(line: str) -> str:
    """A message line (made visible) as readlog writes it on stderr without Rich, by the rule of every
    message (cli.app.complain): on a terminal narrower than it, folded between words; else as it is."""
    import sys

    return "\n".join(fold(line, stderr_width())) if sys.stderr.isatty() else line


def fold(text: str, width: int, indent: int = 0) -> list[str]:
    """`text` (one line) as lines of at most `width` columns, broken between words, the lines after the first
    starting with `indent` spaces; a word wider than a line (a title in a script written without spaces) is
    cut where it must be. For what readlog writes itself where Rich does not (a question's choices), so a
    narrow terminal never breaks a word of it: `Take Smart / Notes`, not `How to Tak / e Smart Notes`."""
    if width <= indent + 1 or cells(text) <= width:
        return [text]
    lead = len(text) - len(text.lstrip(" "))
    lines: list[str] = []
    line = text[:lead]
    for word in text[lead:].split(" "):
        room = width - cells(line) - (1 if line.strip() else 0)
        if cells(word) <= room or (not line.strip() and cells(word) <= width - cells(line)):
            line = f"{line} {word}" if line.strip() else line + word
            continue
        if cells(word) > width - indent:  # wider than any line: begun here, after a space, and cut
            if line.strip():
                line += " "
        elif line.strip():
            lines.append(line)
            line = " " * indent
        while cells(word) > width - cells(line):  # wider than what is left of the line: cut
            cut, used = 0, cells(line)
            while cut < len(word) and used + cells(word[cut]) <= width:
                used += cells(word[cut])
                cut += 1
            hyphen = word.rfind("-", 0, cut) + 1  # (a slug: after a hyphen, where there is one)
            cut = hyphen if hyphen > 1 and cut < len(word) else max(cut, 1)
            lines.append(line + word[:cut])
            line, word = " " * indent, word[cut:]
        line += word
    lines.append(line)
    return lines


# A snippet's marks (\ue000 before a match, \ue001 after it) and index.search's _NOTE are private-use
# characters, which a reader's text may hold too (an import keeps them, session 29): the text's own
# U+E000-U+E003 are escaped first, each as \ue003 and U+E010-U+E013, and `snippet_pieces` reads them
# back (review 29d #3: they were taken for marks, and a script's highlight offsets shifted).
SNIPPET_ESCAPE = "\ue003"
SNIPPET_OWN = str.maketrans({chr(0xE000 + k): SNIPPET_ESCAPE + chr(0xE010 + k) for k in range(4)})
_PIECES = pattern_when_used("\ue003([\ue010-\ue013])|([\ue000\ue001])|([^\ue000\ue001\ue003]+)|\ue003", re.S)


def snippet_pieces(snippet: str) -> list[tuple[str, bool]]:
    """A snippet (index.search's `make_snippet`) as its runs of text, each with whether it is a match (the
    marks gone, the text's own private-use characters as they were)."""
    pieces: list[tuple[str, bool]] = []
    run: list[str] = []
    marked = False
    for own, mark, plain in _PIECES.findall(snippet):
        if mark:
            pieces.append(("".join(run), marked))
            run, marked = [], mark == "\ue000"
        else:
            run.append(chr(ord(own) - 0x10) if own else plain)
    pieces.append(("".join(run), marked))
    return pieces
