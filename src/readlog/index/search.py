"""Full-text search: FTS5 with ranking (split over two processes for a word in most books), a trigram
index for scripts written without spaces, a scan where this SQLite has no FTS5, and snippets."""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from readlog.index.queries import Queries
from readlog.index.rows import _pattern_of, unspaced
from readlog.index.schema import BUSY_SECONDS
from readlog.lazyclass import dataclass_when_used
from readlog.text import (
    SNIPPET_ESCAPE,
    SNIPPET_OWN,
    folded_letters,
    markdown_unescaped,
    normalize,
    search_fold,
    search_shown,
    search_unfolds,
    snippet_pieces,
)

SPLIT_RANKING = 30_000  # matches of a search from which two processes rank them (Index._ranked)
KEPT_HITS = 200  # a search with more hits than this (a big --limit) is not kept
KEPT_RANKINGS = 16  # searches whose best hits are kept, for the index as it is (0: none; _kept_ranking)
PARTS = ("title", "review", "reflection", "quote", "pick")
# bm25's weight of each column of `parts` and `cjk` (schema: slug, part, label, body; the first two are not
# indexed): a word in a part's label (a review's headline, a reflection's title, a book's title) counts
# four times one in its text.
WEIGHTS = "0.0, 0.0, 4.0, 1.0"


@dataclass_when_used
class Hit:
    slug: str
    title: str
    authors: list[str]
    part: str  # title | review | reflection | quote | pick
    label: str  # the part's own heading: the review headline, a reflection's date, a pick's title...
    snippet: str  # with \ue000 ... \ue001 around each match
    rank: float


def _rank_in_child(
    path: str, sql: str, args: tuple[Any, ...]
) -> Callable[[], list[tuple[int, float]] | None] | None:
    """Run a ranking query in a forked child on its own read-only connection; returns a function that waits
    for the child and gives its rows (None if it failed), or None if no child could be started. The child
    never touches the parent's connection and ends with os._exit: no buffers flushed, nothing torn down."""
    from readlog.packed import pack, unpack

    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child
        code = 1
        try:
            os.close(read_end)
            other = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_SECONDS)
            rows = other.execute(sql, args).fetchall()
            with os.fdopen(write_end, "wb") as out:
                out.write(pack(rows))
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)

    def wait() -> list[tuple[int, float]] | None:
        with os.fdopen(read_end, "rb") as result:
            data = result.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            return None
        rows: list[tuple[int, float]] = unpack(data)
        return rows

    return wait


def fts_query(query: str) -> str:
    """A user's query as a safe FTS5 expression: every word and phrase quoted (so AND, NEAR, parentheses
    and column names are just words), a trailing * kept as a prefix search; its words folded as the
    index's are (text.search_fold: `Æneid` is `aeneid`, which *Æneid* and *Aeneid* both hold)."""
    out = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query):
        text = phrase or word
        prefix = bool(word) and word.endswith("*")
        text = text.rstrip("*") if prefix else text
        # (the tokenizer keeps only word characters, and an accent in its word: `i̇stanbul` is `istanbul`)
        text = " ".join(re.findall("\\w[\\w\u0300-\u036f]*", search_fold(text)))
        if text:
            out.append('"' + text.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(out)


def search_terms(query: str) -> list[tuple[str, bool]]:
    """(text, is_prefix) for each word or "phrase" of a query, as fts_query reads it."""
    out = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query):
        text = phrase or word
        prefix = bool(word) and word.endswith("*")
        text = " ".join(_pattern_of(_WORD).findall(text.rstrip("*") if prefix else text))
        if text:
            out.append((text, prefix))
    return out


# A word: word characters, and the vowel and tone marks of Thai, Lao, Myanmar and Khmer (not \w in `re`);
# then the accents too (`İ` lower-cased is `i` and a dot above). Compiled on first use (_pattern_of).
_LETTERS = "\\w\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
_WORD = f"[{_LETTERS}][{_LETTERS}\u0300-\u036f]*"
_MARKS = "[\u0300-\u036f]*"  # combining accents, after NFD: "memoire" finds "mémoire"


def _pattern(terms: list[tuple[str, bool]]) -> re.Pattern[str] | None:
    """Each word of each term, accents and case ignored; whole words (or word prefixes), except in
    scripts without spaces, where any substring counts."""
    pieces = []
    for text, prefix in terms:
        for word in text.split():
            folded = _folded(word)
            if not folded:
                continue
            body = _unfolded(folded, prefix)
            if unspaced(folded):
                pieces.append(body)
            else:
                pieces.append(r"(?<!\w)" + body + (r"[\w\u0300-\u036f]*" if prefix else r"(?!\w)"))
    if not pieces:
        return None
    return re.compile("|".join(f"(?:{p})" for p in sorted(pieces, key=len, reverse=True)), re.IGNORECASE)


def _folded(word: str) -> str:
    """A word of a query as the snippet's pattern spells it: case, accents and ligatures undone, the
    letters search_fold folds folded (`Straße` is `strasse`, `ﬁeld` `field`, `İstanbul` `istanbul`)."""
    return "".join(
        c
        for c in unicodedata.normalize("NFKD", folded_letters(word.casefold()))
        if not "\u0300" <= c <= "\u036f"
    )


@functools.cache
def _unfolds() -> dict[str, str]:
    """What each run of letters may be written as in one letter (text.search_unfolds: `ae` <- `æ`, `ss` <-
    `ß`), and the Latin ligatures, which the index keeps as written (`ﬁeld` finds `ﬁeld`, the pattern's
    `field`): `fi` <- `ﬁ`, `ffi` <- `ﬃ`, `st` <- `ﬅﬆ`, `ij` <- `ĳĲ`, `dz` <- `ǆǅǄǳǲǱ`."""
    unfolds = dict(search_unfolds())
    for code in (*range(0x00C0, 0x0250), *range(0xFB00, 0xFB07)):
        c = chr(code)
        letters = _folded(c)
        if unicodedata.decomposition(c).startswith("<compat>") and len(letters) > 1 and letters.isascii():
            unfolds[letters] = unfolds.get(letters, "") + c
    return unfolds


def _unfolded(folded: str, prefix: bool = False) -> str:
    """A pattern of the text a folded word (text.search_fold) was folded from, accents anywhere: `aeneid`
    marks `Æneid` and `Aeneid`, `lodz` `Łódź`, `strasse` `Straße`, `field` `ﬁeld`, `office` `oﬃce`. A
    `prefix` may end inside a folded letter: `stras` marks `Straß`, `a` `Æ`, `of` `oﬃ`."""
    unfolds = _unfolds()
    pieces = []
    at = 0
    while at < len(folded):
        size = next((n for n in (3, 2) if folded[at : at + n] in unfolds and at + n <= len(folded)), 1)
        run = folded[at : at + size]
        pieces.append(_run(run, unfolds))
        at += size
        if prefix and at == len(folded):  # a prefix's end, or letters folded from one that begin so
            begun = "".join(v for k, v in unfolds.items() if len(k) > len(run) and k.startswith(run))
            pieces[-1] = f"(?:{pieces[-1]}|[{begun}]{_MARKS})" if begun else pieces[-1]
    return "".join(pieces)


def _run(letters: str, unfolds: dict[str, str]) -> str:
    """A pattern of one letter, or of two or three letters (`ae`, `ffi`) as written one by one or as one
    (`æ`, `ﬃ`); three may also be two and one (`ﬀi`, `fﬁ`)."""
    if len(letters) == 1:
        return _letter(letters, unfolds)
    if letters not in unfolds:
        return "".join(_letter(c, unfolds) for c in letters)
    ways = [f"[{unfolds[letters]}]{_MARKS}"]
    if len(letters) == 3:
        ways += [_run(letters[:2], unfolds) + _letter(letters[2], unfolds),
                 _letter(letters[0], unfolds) + _run(letters[1:], unfolds)]  # fmt: skip
    else:
        ways.append("".join(_letter(c, unfolds) for c in letters))
    return f"(?:{'|'.join(ways)})"


def _letter(c: str, unfolds: dict[str, str]) -> str:
    return (f"[{re.escape(c)}{unfolds[c]}]" if c in unfolds else re.escape(c)) + _MARKS


# Notes to self (`<!-- ... -->`, privacy.notes_cut) are searched, as all the reader wrote is, and never
# shown: a snippet and a label are cut from the text without them, and a note that holds a match stands
# as `<!-- … -->`, marked as the match, so a hit found only in a note says where it was found.
_NOTE = "\ue002"  # where a note holding a match stood, until the window is marked
SHOWN_NOTE = "<!-- … -->"


def _unescaped(text: str) -> str:
    return "".join(text for text, _ in snippet_pieces(text))


def _without_notes(text: str, pattern: re.Pattern[str] | None) -> str:
    """`text` (a part's body or label) without its notes to self; each that holds a match of `pattern`
    marked where it stood."""
    from readlog.privacy import COMMENT, notes_cut

    if COMMENT not in text:
        return text
    return notes_cut(text, lambda note: _NOTE if pattern is not None and pattern.search(note) else "")[0]


def _hit(
    slug: str,
    title: str,
    authors: str,
    part: str,
    label: str,
    body: str,
    terms: list[tuple[str, bool]],
    rank: float,
) -> Hit:
    """A hit of a part's index row, its label and snippet without notes to self (a title holds none: a
    pick's, in its label, neither; a pick's why may)."""
    notes = part != "title"
    label = shown_label(label, terms) if part in ("review", "reflection") else label
    snippet = make_snippet(search_shown(body), terms, notes=notes)
    return Hit(slug, title, json.loads(authors), part, label, snippet, rank)


def shown_label(label: str, terms: list[tuple[str, bool]]) -> str:
    """A hit's label (a review's headline, a reflection's title) as shown: without notes to self, one that
    holds a match as `<!-- … -->`."""
    if "<!--" not in label:
        return label
    kept = _without_notes(unicodedata.normalize("NFD", label.translate(SNIPPET_OWN)), _pattern(terms))
    return _unescaped(unicodedata.normalize("NFC", " ".join(kept.split()).replace(_NOTE, SHOWN_NOTE)))


def make_snippet(
    body: str, terms: list[tuple[str, bool]], before: int = 60, after: int = 100, notes: bool = True
) -> str:
    """A window of `body` around its first match, every match in it between \ue000 and \ue001. One pass
    to find the first match and work only on the window: linear in the size of the text. Notes to self
    are left out (`notes`: the body may hold them; a title's does not), a note holding a match marked."""
    text = unicodedata.normalize("NFD", body.translate(SNIPPET_OWN))
    pattern = _pattern(terms)
    if notes and "<!--" in text:
        text = _without_notes(text, pattern)
    first = pattern.search(text) if pattern else None
    at, stop = (first.start(), first.end()) if first else (0, 0)
    noted = text.find(_NOTE) if notes else -1
    if noted >= 0 and (first is None or noted < at):
        at, stop = noted, noted + 1
    start, end = max(0, at - before), min(len(text), stop + after)
    if start > 0:  # begin and end on a space where there is one near
        space = text.find(" ", start, at)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", max(at, end - 30), end)
        end = space if space > at else end
    # (never between the two characters of an escaped one of the text's own: review 30c #5)
    start -= start > 0 and text[start - 1] == SNIPPET_ESCAPE
    end += end < len(text) and text[end - 1] == SNIPPET_ESCAPE
    # (a hard break's backslash is no word of it, nor an escape's: `\\- not a list` is `- not a list`)
    window = markdown_unescaped(_headings_plain(text, start, end))
    if pattern is not None:
        window = pattern.sub(lambda m: "\ue000" + m[0] + "\ue001", window)
    if noted >= 0:
        window = window.replace(_NOTE, "\ue000" + SHOWN_NOTE + "\ue001")
    window = unicodedata.normalize("NFC", window)
    return ("…" if start else "") + window + ("…" if end < len(text) else "")


def _headings_plain(text: str, start: int, end: int) -> str:
    """The window `text[start:end]` with its Markdown as words: a heading (`## Dignity as a cage`, a setext
    one underlined with `===` or `---`, one in a quote or a list item, an HTML `<h2>`) is `Dignity as a
    cage —` before the text under it (a snippet reads as one run of text: try-out 32a #12, 33b #10);
    quote and bullet markers, a setext heading's underline and a code fence's marker lines are dropped. A
    window that begins within a line (after its indent, within its words) is read with the whole line; a
    line in a code fence is code, kept as written (review 32a #6)."""
    window = text[start:end]
    if not any(mark in window for mark in _MARKUP):
        return window
    line_start = text.rfind("\n", 0, start) + 1
    fence = _fence_before(text, line_start)  # (the fence the window begins in, if any)
    lines = window.split("\n")
    headings = []
    plain_before = _plain_line(text[text.rfind("\n", 0, max(0, line_start - 1)) + 1 : max(0, line_start - 1)])
    for i, line in enumerate(lines):
        before = text[line_start:start] if i == 0 else ""
        whole = before + line
        fenced = _pattern_of(_FENCE).match(whole)
        if fenced or fence:
            fence = _fence_after(fence, fenced) if fenced else fence
            lines[i] = "" if fenced else line  # (the marker is no code; the lines inside are)
            plain_before = False
            continue
        if plain_before and _pattern_of(_UNDERLINE).fullmatch(whole):  # a setext heading's underline
            lines[i] = ""
            if i > 0:
                headings.append(i - 1)
            plain_before = False
            continue
        plain_before = _plain_line(whole)
        if i == len(lines) - 1 and end < len(text):  # (a window ending within a line: read it whole)
            whole += text[end : (text.find("\n", end) + 1 or len(text) + 1) - 1]
        marker = _pattern_of(_CONTAINER).match(whole)  # `> `, `- `: the quote's or list item's marker
        inner = whole[marker.end() :] if marker else whole
        cut = max(0, len(before) - (marker.end() if marker else 0))  # (what of `inner` the window holds)
        stop = len(before) + len(line) - len(whole) + len(inner)  # (where the window ends in `inner`)
        heading = _pattern_of(_HEADING).fullmatch(inner) or _pattern_of(_HTML_HEADING).fullmatch(inner)
        if heading:
            words = heading["words"] or ""
            at = heading.start("words") if words else 0
            lines[i] = words[max(0, cut - at) : max(0, stop - at)]
            headings.append(i)
        elif marker:
            lines[i] = inner[cut:stop]
    for i in headings:
        if lines[i] and any(later.strip() for later in lines[i + 1 :]):
            lines[i] += " —"
    return "\n".join(lines)


def _plain_line(line: str) -> bool:
    """Whether a line may be a setext heading's text: words, not blank, not another block's line."""
    return bool(line.strip()) and not _pattern_of(_NOT_PARAGRAPH).match(line)


def _fence_before(text: str, stop: int) -> str:
    """The opening of the code fence `text[:stop]` ends inside (its backticks or tildes), or ''."""
    fence = ""
    if "```" in text or "~~~" in text:
        for found in _pattern_of(f"(?m){_FENCE}").finditer(text, 0, stop):
            fence = _fence_after(fence, found)
    return fence


def _fence_after(fence: str, line: re.Match[str]) -> str:
    """The fence open after a fence line `line` (CommonMark: closed by the same character, at least as
    many, nothing after; an info string after a backtick fence opens one)."""
    marks, rest = line[1], line[2]
    if not fence:
        return marks if not (marks[0] == "`" and "`" in rest) else ""
    return "" if marks[0] == fence[0] and len(marks) >= len(fence) and not rest.strip() else fence


# A code fence's line: up to 3 spaces, 3 or more backticks or tildes, and what follows.
_FENCE = r"[ ]{0,3}(`{3,}|~{3,})(.*)$"


# An ATX heading (CommonMark: up to 3 spaces, 1-6 `#`, then a space or the line's end; a closing run of `#`).
_HEADING = r"[ ]{0,3}#{1,6}(?:[ \t]+(?P<words>.*?))??(?:[ \t]+#+)?[ \t]*"
# An HTML heading alone on its line, `<h2>Words</h2>`: its words, as the site shows them.
_HTML_HEADING = r"[ ]{0,3}<[hH](?P<level>[1-6])(?:\s[^>]*)?>(?P<words>.*?)</[hH](?P=level)>[ \t]*"
# A setext heading's underline (under a line of words): `===` or `---`, up to 3 spaces before.
_UNDERLINE = r"[ ]{0,3}(?:=+|-+)[ \t]*"
# The markers a quote's or a list item's line begins with: `> `, `> > `, `- `, `* `, `+ ` (up to 3 spaces).
_CONTAINER = r"[ ]{0,3}(?:(?:>[ ]?)+(?:[-*+][ \t]+)?|[-*+][ \t]+)"
# A line that is no paragraph's: blank, a heading, a quote, a list item, a fence, a rule, indented code.
_NOT_PARAGRAPH = r"[ ]{4}|[ ]{0,3}(?:#{1,6}(?:[ \t]|$)|>|[-*+][ \t]|[-*+=_]{3,}|`{3}|~{3}|<)"
# What makes a window worth reading line by line.
_MARKUP = ("#", "=", "--", ">", "```", "~~~", "- ", "* ", "+ ", "<")


_PLAIN_EMOJI = {0xFE0E: None, 0xFE0F: None}  # the variation selectors (text, emoji presentation): dropped


def _check(row: Sequence[str] | None) -> int:
    """What a kept hit is checked against: its part's slug, kind, label and text."""
    if row is None:
        return -1
    slug, _, _, part, label, body = row
    return zlib.crc32("\0".join((slug, part, label or "", body or "")).encode())


class Search(Queries):
    """Full-text search: FTS5 ranking (split over two processes for a word in most books), CJK trigrams,
    the scan fallback."""

    def search(self, query: str, parts: tuple[str, ...] = PARTS, limit: int = 50) -> list[Hit]:
        """Ranked hits. Snippets are cut from the hit's text around its first match, in time linear in
        the text (FTS5's snippet() took 95 s on a 4 MB review)."""
        terms = search_terms(query)
        if not terms:  # no letters or digits (`😀`, `?!...`): no word the index holds; titles as typed
            return self._symbol_search(query, limit) if "title" in parts else []
        if any(unspaced(text) for text, _ in terms):
            return self._unspaced_search(terms, parts, limit)
        if not self.fts:
            return self._scan_search(terms, parts, limit)
        # Two steps: rank every match from the word index alone, then read the text and book of only
        # the hits shown. (Reading `body` for each of 20,000 matches of a common word, to throw most
        # away, was most of the time.) The part filter reads each match's row: only when asked for.
        where, params = "", ()  # type: tuple[str, tuple[str, ...]]
        if set(parts) != set(PARTS):
            where, params = f" AND part IN ({','.join('?' * len(parts))})", parts
        match = fts_query(query)
        kept_key = json.dumps([match, where, params, limit])
        kept = self._kept_ranking(kept_key)
        ranked: Sequence[tuple[Any, ...]] = kept or self._ranked(match, where, params, limit)
        if not ranked:
            return []
        found = self._hit_rows(ranked)
        if kept is not None and any(_check(found.get(rowid)) != check for rowid, _, check in kept):
            ranked = self._ranked(match, where, params, limit)  # not the parts it was made from
            if not ranked:
                return []
            found = self._hit_rows(ranked)
            kept = None
        if kept is None:
            self._keep_ranking(kept_key, [(rowid, rank, _check(found.get(rowid))) for rowid, rank in ranked])
        return [
            _hit(s, t, a, p, lab, body, terms, rank)
            for rowid, rank, *_ in ranked
            if rowid in found
            for s, t, a, p, lab, body in [found[rowid]]
        ]

    def _hit_rows(self, ranked: Sequence[Sequence[Any]]) -> dict[int, tuple[str, str, str, str, str, str]]:
        """rowid -> (slug, title, authors, part, label, body) of the ranked hits."""
        rows = self.db.execute(
            f"""SELECT parts.rowid, parts.slug, books.title, books.authors, part, label, body
                FROM parts JOIN books ON books.slug = parts.slug
                WHERE parts.rowid IN ({",".join("?" * len(ranked))})""",
            [hit[0] for hit in ranked],
        )
        return {row[0]: row[1:] for row in rows}

    # --- the kept ranking -----------------------------------------------------------------------------
    # FTS5 computes bm25 for every match before it keeps the best: a word in most books is most of a
    # search's time (10k books: 16 ms; 100k: 160 ms over two processes). The best `limit` of the last few
    # searches are kept in `meta`, under the state of the index (`Queries.state_key`). A kept hit is used
    # only if the part under its rowid is still the one it was made from (slug, part, label and text: a
    # rebuild numbers the parts afresh); else the search is ranked again, as if nothing was kept.
    def _kept_ranking(self, query: str) -> list[tuple[int, float, int]] | None:
        """The kept best hits of `query` as (rowid, rank, check), if kept for the index as it is."""
        if self.path is None or KEPT_RANKINGS < 1:
            return None
        stored = self._meta("ranked")
        if not stored:
            return None
        try:
            kept = json.loads(stored)
            if kept["key"] != self.state_key() or query not in kept["queries"]:
                return None
            return [(int(rowid), float(rank), int(check)) for rowid, rank, check in kept["queries"][query]]
        except (ValueError, KeyError, TypeError):  # not what this code writes: as if nothing was kept
            return None

    def _keep_ranking(self, query: str, hits: list[tuple[int, float, int]]) -> None:
        """Keep `hits` for `query` beside the last few (KEPT_RANKINGS); never an error, never a wait: a
        ranking not kept is made again next time. A long one (`--limit 100000`) is not kept: every search
        would read it back."""
        if self.path is None or KEPT_RANKINGS < 1 or len(hits) > KEPT_HITS:
            return
        key = self.state_key()
        queries: dict[str, Any] = {}
        try:
            kept = json.loads(self._meta("ranked") or "{}")
            if kept.get("key") == key:
                queries = {q: h for q, h in kept["queries"].items() if q != query}
        except (ValueError, KeyError, TypeError, AttributeError):
            pass
        queries = dict(list(queries.items())[max(0, len(queries) - KEPT_RANKINGS + 1) :])  # the newest
        queries[query] = hits
        self.keep_meta(ranked=json.dumps({"key": key, "queries": queries}))

    def _ranked(self, match: str, where: str, params: tuple[str, ...], limit: int) -> list[tuple[int, float]]:
        """(rowid, bm25) of the best `limit` matches. FTS5 ranks every match before it keeps the best, and a
        word in most books matches hundreds of thousands of parts: then the parts are split in two by rowid,
        a forked copy of this process ranks the upper half on a connection of its own while this one ranks
        the lower, and the two best lists are merged. The ranks are the same (FTS5 weighs a term over the
        whole table whatever the rowid range): 100k books, `harbour`: 150 ms -> 82 ms. (Threads do not help:
        SQLite's allocator takes one lock for the process.)"""
        sql = f"SELECT rowid, bm25(parts, {WEIGHTS}) FROM parts WHERE parts MATCH ?{where}"
        db = self.db
        if not self._can_split() or (
            db.execute("SELECT count(*) FROM parts WHERE parts MATCH ?", (match,)).fetchone()[0]
            < SPLIT_RANKING
        ):
            return db.execute(f"{sql} ORDER BY 2 LIMIT ?", (match, *params, limit)).fetchall()
        middle = db.execute("SELECT rowid FROM parts ORDER BY rowid DESC LIMIT 1").fetchone()[0] // 2
        upper_sql, upper_args = f"{sql} AND rowid > ? ORDER BY 2 LIMIT ?", (match, *params, middle, limit)
        waiting = _rank_in_child(str(self.path), upper_sql, upper_args)
        try:
            lower = db.execute(
                f"{sql} AND rowid <= ? ORDER BY 2 LIMIT ?", (match, *params, middle, limit)
            ).fetchall()
        finally:  # the child is waited for whatever happens here
            upper = waiting() if waiting is not None else None
        if upper is None:  # no child, or it failed: rank the upper half here too
            upper = db.execute(upper_sql, upper_args).fetchall()
        return sorted(lower + upper, key=lambda hit: (hit[1], hit[0]))[:limit]

    def _can_split(self) -> bool:
        """Forking is safe here: a file on disk to open again, a second core, and no other thread (a fork
        copies only the calling thread, and a lock another one held would stay locked in the copy)."""
        import threading

        return (
            self.path is not None
            and hasattr(os, "fork")
            and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1
        )

    def _unspaced_search(
        self, terms: list[tuple[str, bool]], parts: tuple[str, ...], limit: int
    ) -> list[Hit]:
        """A query in CJK (or Thai...): substrings of the parts that hold such text. Terms of 3+ characters
        go through the trigram index (ranked by bm25); shorter ones, which a trigram cannot hold, are
        looked for in those rows only."""
        marks = ",".join("?" * len(parts))
        long_terms = [t for t, _ in terms if len(t) >= 3]
        where = [f"part IN ({marks})"]
        params: list[Any] = list(parts)
        for text, _ in terms:
            where.append("(instr(lower(cjk.body), ?) > 0 OR instr(lower(cjk.label), ?) > 0)")
            params += [text.lower(), text.lower()]
        rank = "0.0"
        if self.trigram and long_terms:
            where.append("cjk MATCH ?")
            params.append(" ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
            rank = f"bm25(cjk, {WEIGHTS})"
        rows = self.db.execute(
            f"""SELECT cjk.slug, books.title, books.authors, part, label, body, {rank}
                FROM cjk JOIN books ON books.slug = cjk.slug
                WHERE {" AND ".join(where)} ORDER BY 7, length(body), cjk.rowid LIMIT ?""",
            (*params, limit),
        )
        return [_hit(s, t, a, p, lab, body, terms, r) for s, t, a, p, lab, body, r in rows]

    def _symbol_search(self, query: str, limit: int) -> list[Hit]:
        """A query of symbols only (`😀`, `📚📚`, `?!...`): the titles that hold each of its pieces (a word or
        a "phrase") as typed, shortest first (the title that is the query before longer ones holding it).
        FTS5's tokenizer keeps letters and digits only, so these are looked for in the titles themselves:
        one pass over the books table (100k books: ~40 ms), made only for such a query. Reviews,
        reflections, quotes and picks are not scanned for symbols (~1 s at 100k)."""
        query = unicodedata.normalize("NFC", query).translate(_PLAIN_EMOJI)
        pieces = [(phrase or word).strip() for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query)]
        pieces = [piece for piece in pieces if piece]
        if not pieces:
            return []
        whole = query.replace(" ", "").replace('"', "")  # the title, exactly (spaces aside)
        # (an emoji's presentation selector, which an emoji picker adds to ❤ and a keyboard does not, is
        # no part of what is looked for: `❤️` finds `I ❤ NY`, `❤` finds `❤️`)
        plain = "replace(replace(title, char(65039), ''), char(65038), '')"
        holds = " AND ".join([f"instr({plain}, ?) > 0"] * len(pieces))
        rows = self.db.execute(
            f"SELECT slug, title, authors FROM books WHERE {holds} ORDER BY length(title), slug LIMIT ?",
            (*pieces, limit),
        )
        # (the pieces as the title is shown, escaped alike; no match begins inside an escaped pair: 30c #6)
        shown_pieces = sorted((p.translate(SNIPPET_OWN) for p in pieces), key=len, reverse=True)
        marked = re.compile(f"(?<!{SNIPPET_ESCAPE})(?:" + "|".join(re.escape(p) for p in shown_pieces) + ")")
        hits = []
        for slug, title, authors in rows:
            names = json.loads(authors)
            shown = marked.sub(lambda m: "\ue000" + m[0] + "\ue001", title.translate(SNIPPET_OWN))
            snippet = " ".join([shown, *(name.translate(SNIPPET_OWN) for name in names)])
            rank = -2.0 if title.translate(_PLAIN_EMOJI).replace(" ", "") == whole else -1.0
            hits.append(Hit(slug, title, names, "title", title, snippet, rank))
        return hits

    def _scan_search(self, terms: list[tuple[str, bool]], parts: tuple[str, ...], limit: int) -> list[Hit]:
        """Without FTS5: every word must occur (prefixes with *); ranked by how often they do."""
        words = [text for text, _ in terms]
        marks = ",".join("?" * len(parts))
        hits = []
        rows = self.db.execute(
            f"""SELECT parts.slug, books.title, books.authors, part, label, body FROM parts
                JOIN books ON books.slug = parts.slug WHERE part IN ({marks})""",
            parts,
        )
        for slug, title, authors, part, label, body in rows:
            folded = normalize(f"{label} {search_shown(body)}")
            if all(normalize(w) in folded for w in words):
                score = -sum(folded.count(normalize(w)) for w in words)
                hits.append(_hit(slug, title, authors, part, label, body, terms, score))
        hits.sort(key=lambda h: h.rank)
        return hits[:limit]
