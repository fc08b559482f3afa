"""Text helpers shared by storage, lookup and rendering: normalising, slugs, safe display."""

from __future__ import annotations

import re
import unicodedata

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG = 80
# Names Windows reserves; a journal synced to Windows must not contain them.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    """Case-folded, accents and punctuation removed, spaces collapsed: the form BOOK lookups compare."""
    if text.isascii():  # nothing to decompose (the common case, and 10x faster: imports normalise a lot)
        return _NON_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped).strip()


def slugify(text: str) -> str:
    """An ASCII, lowercase, hyphenated name that is always a safe single path component."""
    from anyascii import anyascii  # only `add` and friends need transliteration

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


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def surname(author: str) -> str:
    """The part of a name a reader would tell books apart by: 'Kazuo Ishiguro' -> 'Ishiguro'."""
    head, _, tail = (part.strip() for part in author.partition(","))
    if tail and tail.lower().rstrip(".") not in _SUFFIXES:
        return head  # "Ishiguro, Kazuo"
    words = [w for w in head.split() if w.lower().rstrip(".") not in _SUFFIXES] or head.split()
    return words[-1] if words else ""


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
    if comma and tail and tail.lower().rstrip(".") not in _SUFFIXES:
        return normalize(f"{head} {tail}")
    words = [w for w in head.split() if w.lower().rstrip(".") not in _SUFFIXES] or head.split()
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
_SURROGATES = dict.fromkeys(range(0xD800, 0xE000), 0xFFFD)  # undecodable argv bytes: unprintable as UTF-8
_VISIBLE: dict[int, int | str] = {**_C0, 0x7F: 0x2421, **_C1, **_SURROGATES}


def visible(text: str) -> str:
    """User text made safe to print: control characters become visible instead of being obeyed."""
    return text.translate(_VISIBLE)


def one_line(text: str) -> str:
    """`visible`, and newlines and tabs too: for error messages and table cells."""
    return visible(text).replace("\n", "\u2424").replace("\t", " ")


def clean_text(text: str) -> str:
    """Text a user typed or piped in: newlines made LF, outer blank lines dropped, and a multi-line text
    ending in a newline (so its closing ''' sits on a line of its own in the file)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    return text + "\n" if "\n" in text else text


# The help comment at the top of an editor template; only this comment is removed from what was typed.
TEMPLATE_MARK = "<!-- readlog:"


def strip_template(text: str) -> str:
    """`text` without readlog's help comment at its top (a draft fed back through stdin has it too)."""
    if text.lstrip().startswith(TEMPLATE_MARK):
        end = text.find("-->")
        return text[end + 3 :] if end >= 0 else ""
    return text


def split_review(markdown: str) -> tuple[str | None, str | None]:
    """A review document -> (headline, body): a first line `# Headline` is the headline."""
    text = clean_text(strip_template(markdown))
    headline = None
    first, _, rest = text.partition("\n")
    if first.startswith("# ") or first == "#":  # an empty `# ` line (rstripped to `#`): no headline
        headline = first[1:].strip() or None
        text = clean_text(rest)
    return headline, text or None


_FRACTIONS = {0.25: "¼", 0.5: "½", 0.75: "¾"}


def stars(rating: float) -> str:
    """4.5 -> '★★★★½', 3.75 -> '★★★¾☆': five places, quarters shown as fractions."""
    full = int(rating)
    part = _FRACTIONS.get(rating - full, "")
    return "★" * full + part + "☆" * (5 - full - (1 if part else 0))


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
