"""Kindle's `My Clippings.txt`: records between `==========` lines, in any of the device's languages.

Each record is a title line (`Title (Author)`), a metadata line (`- Your Highlight on page 53 | Location
812-814 | Added on ...`) and the text. The metadata line is read by its structure, not by one language's
wording: the kind is the first `|` section, the date the last, pages and locations are numbers after (or,
in Chinese and Japanese, around) words from the tables below. A date no table reads is kept as text.
"""

from __future__ import annotations

import re
from datetime import datetime

from readlog.highlights.records import Highlight, Parsed, Reject
from readlog.text import decode_lines, split_people

NAME = "kindle"
SEPARATOR = "=========="

# The kind of a clipping, from words of the metadata line's first section (checked in this order).
_KINDS = (
    ("bookmark", r"bookmark|lesezeichen|signet|marque-page|marcador|marcapáginas|segnalibro|bladwijzer|"
                 r"закладк|书签|書籤|ブックマーク"),
    ("note", r"\bnote\b|\bnotiz|\bnota\b|\bnotitie|заметк|笔记|筆記|メモ"),
    ("highlight", r"highlight|markierung|surlignement|subrayado|evidenziazione|destaque|markering|"
                  r"выделен|标注|標註|標記|ハイライト|clip|剪切|切り抜き"),
)  # fmt: skip
_RANGE = r"(\d+)(?:\s*(?:-|–|—|~|t/m|to|bis|à|a)\s*(\d+))?"
_PAGE = (
    re.compile(r"(?:\bpage|\bseite|página|\bpagina|\bpág\.?|страниц[аеыу]|\bстр\.)\s*#?\s*" + _RANGE, re.I),
    re.compile(r"第\s*" + _RANGE + r"\s*[页頁]"),
    re.compile(_RANGE + r"\s*ページ"),
)
_LOCATION = re.compile(
    r"(?:location|\bloc\.?|\bposition|posición|posizione|posição|\blocatie|emplacement|мест[еоа]|位置)"
    r"\s*(?:no\.?|nº|#)?\s*" + _RANGE,
    re.I,
)
# The placeholder a Kindle writes instead of text past the publisher's limit, in its languages: on its own
# or tacked onto the end of a cut-off highlight.
_LIMIT = re.compile(
    r"\s*<[^<>]*(?:clipping limit|limit|limite|límite|Anzahl|maximale|上限|限制|лимит|предел)[^<>]*>\s*$",
    re.I,
)

_MONTHS: dict[str, int] = {}
for _names in (
    "january february march april may june july august september october november december",
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "januari februari maart april mei juni juli augustus september oktober november december",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
):
    for _number, _name in enumerate(_names.split(), 1):
        _MONTHS.setdefault(_name, _number)
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_TIME = re.compile(r"(上午|下午|午前|午後)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?\s?[Mm]\.?)?")
_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d{2})?", re.I)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def sniff(head: bytes) -> bool:
    """A clippings file: a `==========` line and a `- ... |` metadata line near the start."""
    text = head.decode("utf-8", "replace").replace("\ufeff", "").replace("\r\n", "\n")
    first = next((line for line in text.split("\n") if line.strip()), "")
    if first.count(",") >= 3 and "(" not in first:  # a CSV header, whatever its cells hold
        return False
    return bool(re.search(rf"(?m)^{SEPARATOR}\s*$", text)) and bool(
        re.search(r"(?m)^[^\n]+\n\s*[-–—] [^\n]*\|", text)
    )


def parse(raw: bytes, encoding: str | None = None, where: str = "") -> Parsed:
    """Every clipping of the file: highlights and notes as records; bookmarks and clipping-limit
    placeholders skipped and counted; a record that cannot be read rejected with its line. `encoding`: what
    its lines that are not UTF-8 are in (`import --encoding`; else told: decode_lines)."""
    raw, cut = _cut_character(raw)
    text, fallback, said = decode_lines(raw, None, encoding, where)  # a line not UTF-8 spoils no other
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    parsed = Parsed(NAME, fallback_lines=fallback, fallback_encoding=said)
    record: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip() == SEPARATOR:
            _record(record, parsed)
            record = []
        else:
            record.append((number, line))
    _held_back(record, cut, where, parsed)
    return parsed


def _cut_character(raw: bytes) -> tuple[bytes, bool]:
    """A UTF-8 file whose only fault is a character cut at its end (a copy still being written, an
    interrupted USB copy): its whole characters, and True. Anything else as it is (decode_lines judges)."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.end == len(raw) and error.reason == "unexpected end of data":
            try:
                raw[: error.start].decode("utf-8")
            except UnicodeDecodeError:
                return raw, False
            return raw[: error.start], True
    return raw, False


def _held_back(lines: list[tuple[int, str]], cut: bool, where: str, parsed: Parsed) -> None:
    """The text after the last `==========`: a Kindle ends every clipping with one, so a clipping without
    it is one the file was cut in (or is still being written): held back, not stored as if whole, and said
    in one line. (Blank lines there are nothing.)"""
    lines = [(number, line) for number, line in lines if line.strip()]
    if not lines:
        return
    title = title_line(lines[0][1])[0][:80] or "?"
    how = "the file ends mid-character" if cut else "no `==========` after it"
    parsed.warnings.append(
        f"{where + ':' if where else 'line '}{lines[0][0]}: the last clipping, of {title}, is cut ({how}: a "
        "copy still being written?): held back; import the file again when it is whole"
    )


def _record(lines: list[tuple[int, str]], parsed: Parsed) -> None:
    while lines and not lines[0][1].strip():
        lines = lines[1:]
    if not lines:
        return
    start = lines[0][0]
    if len(lines) < 2 or not re.match(r"\s*[-–—]\s", lines[1][1]):
        parsed.rejects.append(
            Reject(start, "not a clipping: no `- Your Highlight ... | Added on ...` line under the title",
                   lines[0][1][:200])
        )  # fmt: skip
        return
    title, authors, translators = title_line(lines[0][1])
    meta = re.sub(r"^\s*[-–—]\s*", "", lines[1][1]).strip()
    body = "\n".join(line for _, line in lines[2:]).strip()
    sections = [s.strip() for s in meta.split("|")]
    kind = _kind(sections[0]) or _kind(" ".join(sections[1:-1]))  # Japanese puts the kind after the place
    if kind is None:
        parsed.rejects.append(Reject(lines[1][0], f"unknown kind of clipping: {sections[0][:80]!r}", meta))
        return
    if kind == "bookmark":
        parsed.skipped["bookmarks"] += 1
        return
    limited = _LIMIT.search(body)
    if limited and (kind == "highlight" or not body[: limited.start()].strip()):
        parsed.skipped["clipping-limit placeholders"] += 1
        body = body[: limited.start()].rstrip()
    if not body:
        if not limited:
            parsed.skipped["empty clippings"] += 1
        return
    places = " | ".join(sections[:-1] if len(sections) > 1 else sections)
    page = _page(places)
    first, last = _location(places)
    date_section = sections[-1] if len(sections) > 1 else ""
    when = parse_date(date_section) if date_section else None
    parsed.highlights.append(
        Highlight(
            source=NAME,
            title=title,
            authors=authors,
            translators=translators,
            text=body,
            kind="note" if kind == "note" else "highlight",
            page=page,
            start=first,
            end=last,
            location=(f"loc {first}" if first == last else f"loc {first}-{last}")
            if first is not None
            else None,
            when=when,
            date_text=_date_words(date_section) if date_section and when is None else None,
            line=lines[1][0],
        )
    )


def split_title(line: str) -> tuple[str, list[str]]:
    """`Title (Last, First; Other Name)` -> title and authors: the author is the *last* parenthesised
    group; `Last, First` is turned round; no group, no authors. (`title_line` also gives translators.)"""
    title, authors, _ = title_line(line)
    return title, authors


# A role note inside the authors' brackets: `Gustave Flaubert trans Lydia Davis`, `ed. Jane Roe`,
# `Lydia Davis (Translator)`. Whoever follows a translator's note is a translator, never an author.
_TRANSLATOR = "|".join((
    r"(?-i:trans)", r"trans\.", r"tr\.", r"transl\.?", r"translated\s+by", r"translation\s+by",
    r"translator:?", r"übers\.?", r"übersetzt\s+von", r"trad\.?", r"traducción\s+de", r"traduit\s+par",
    r"tradotto\s+da",
))  # fmt: skip
_OTHER_ROLE = "|".join((
    r"eds?\.", r"edited\s+by", r"editor:?", r"introduction\s+by", r"intro\.?\s+by", r"foreword\s+by",
    r"preface\s+by", r"afterword\s+by", r"illustrated\s+by", r"illus\.", r"with\s+an?\s+introduction\s+by",
    r"herausgegeben\s+von", r"hrsg\.?",
))  # fmt: skip
_ROLE = re.compile(rf"(?:^|[\s,;]+)({_TRANSLATOR}|{_OTHER_ROLE})(?=\s+\S)\s*", re.IGNORECASE)
_ROLE_SUFFIX = re.compile(r"\s*\((translator|editor|introduction|foreword|illustrator)\)\s*$", re.IGNORECASE)


def title_line(line: str) -> tuple[str, list[str], list[str]]:
    """A title line's title, authors and translators. Editors, introducers and illustrators named with
    their role are neither authors nor translators (dropped: the title line is not a credits list),
    unless nobody else is named (an anthology is filed under its editor). A bracket that holds such a
    note names people, so it is never taken for a title."""
    line = " ".join(line.split())
    head, group = _last_group(line)
    if group is None or not group.strip() or not head:
        return line, [], []
    roles = _ROLE.split(group)
    if len(roles) == 1 and not _ROLE_SUFFIX.search(group) and _looks_swapped(head, group):
        return group.strip(), [head], []  # `Robert C. Martin (Clean Code: A Handbook of ...)`
    authors: list[str] = []
    translators: list[str] = []
    others: list[str] = []
    pieces: list[tuple[str, str | None]] = [(roles[0], None)] + [
        (roles[i + 1], roles[i]) for i in range(1, len(roles) - 1, 2)
    ]
    for text, role in pieces:
        for name in split_people(text):
            suffix = _ROLE_SUFFIX.search(name)
            kind = (suffix[1].lower() if suffix else None) or _role_kind(role)
            name = _ROLE_SUFFIX.sub("", name).strip()
            if not name:
                continue
            if kind == "translator":
                translators.append(name)
            elif kind is None:
                authors.append(name)
            else:
                others.append(name)
    return head, authors or others, translators  # an anthology: its editor is whom it is filed under


def _role_kind(role: str | None) -> str | None:
    if role is None:
        return None
    return "translator" if re.fullmatch(f"(?:{_TRANSLATOR})", role.strip(), re.IGNORECASE) else "other"


def _last_group(line: str) -> tuple[str, str | None]:
    """`Title (Series) ((US) Author)` -> (`Title (Series)`, `(US) Author`): the last balanced group."""
    if not line.endswith(")"):
        return line, None
    depth = 0
    for at in range(len(line) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(line[at], 0)
        if depth == 0:
            return line[:at].strip(), line[at + 1 : -1]
    return line, None


_NAME_WORD = re.compile(r"(?:[A-Z][\w'’-]*\.?|[A-Z]\.)")
_PARTICLES = {"de", "van", "von", "der", "da", "la", "le", "du", "and", "y", "di", "del", "den", "ter"}


def _looks_swapped(head: str, group: str) -> bool:
    """The title in the brackets and the author before them: the part before is a name (two to four
    capitalised words) and the bracketed part reads like a title (five words or more, small words
    that names do not have)."""
    words = head.split()
    if not 2 <= len(words) <= 4 or not all(_NAME_WORD.fullmatch(w) for w in words):
        return False
    inner = group.split()
    return len(inner) >= 5 and any(w.islower() and len(w) >= 2 and w not in _PARTICLES for w in inner)


def _kind(section: str) -> str | None:
    lowered = section.lower()
    for kind, pattern in _KINDS:
        if re.search(pattern, lowered):
            return kind
    return None


def _span(first: str, last: str | None) -> tuple[int, int]:
    """`5444`, `45` -> 5444, 5445: old Kindles abbreviate the end of a range."""
    start = int(first)
    if last is None:
        return start, start
    if len(last) < len(first) and int(last) < start % 10 ** len(last) + 10 ** len(last):
        end = int(first[: len(first) - len(last)] + last)
        if end < start:
            end += 10 ** len(last)
        return start, end
    return start, max(start, int(last))


def _page(text: str) -> int | None:
    for pattern in _PAGE:
        match = pattern.search(text)
        if match:
            if len(match[1]) > 9 or len(match[2] or "") > 9:
                return None  # no book has that page: a number that long is no place
            return _span(match[1], match[2])[0] or None
    return None


def _location(text: str) -> tuple[int | None, int | None]:
    match = _LOCATION.search(text)
    if not match:
        return None, None
    if len(match[1]) > 12 or len(match[2] or "") > 12:
        return None, None  # no book has that location: a number that long is no place
    return _span(match[1], match[2])


def _date_words(section: str) -> str:
    """The date part of `Added on Monday, ...` kept as the device wrote it."""
    return section.strip()


def parse_date(section: str) -> datetime | None:
    """A Kindle date in any of its languages -> a datetime (the device's local time), or None."""
    text = _OFFSET.sub(" ", section)
    cjk = _CJK_DATE.search(text)
    time_match = _TIME.search(text[cjk.end() :] if cjk else text)
    hour = minute = second = 0
    if time_match:
        hour, minute, second = int(time_match[2]), int(time_match[3]), int(time_match[4] or 0)
        marker = (time_match[1] or time_match[5] or "").lower().replace(".", "").replace(" ", "")
        if marker in ("pm", "下午", "午後") and hour < 12:
            hour += 12
        elif marker in ("am", "上午", "午前") and hour == 12:
            hour = 0
    try:
        if cjk:
            return datetime(int(cjk[1]), int(cjk[2]), int(cjk[3]), hour, minute, second)
        rest = text[: time_match.start()] + " " + text[time_match.end() :] if time_match else text
        iso = _ISO.search(rest)
        if iso:
            return datetime(int(iso[1]), int(iso[2]), int(iso[3]), hour, minute, second)
        return _worded(rest, hour, minute, second)
    except ValueError:
        return None


def _worded(text: str, hour: int, minute: int, second: int) -> datetime | None:
    tokens = re.findall(r"\d+|[^\W\d_]+", text.lower())
    month_at = next((i for i, t in enumerate(tokens) if t in _MONTHS), None)
    if month_at is None:
        return None
    month = _MONTHS[tokens[month_at]]
    numbers = [(i, t) for i, t in enumerate(tokens) if t.isdigit()]
    year_token = next(((i, t) for i, t in numbers if len(t) == 4), None)
    rest = [(i, t) for i, t in numbers if (i, t) != year_token and int(t) <= 31]
    if not rest:
        return None
    day_at, day = min(rest, key=lambda item: (abs(item[0] - month_at), item[0] > month_at))
    if year_token is None:  # `29 April 17`: a two-digit year, the number that is not the day
        others = [t for i, t in rest if i != day_at and len(t) == 2]
        if not others:
            return None
        year = 2000 + int(others[-1])
    else:
        year = int(year_token[1])
    return datetime(year, month, int(day), hour, minute, second)
