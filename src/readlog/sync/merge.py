"""A three-way merge of two versions of a parsed TOML file against their common base. Pure: no I/O.

Input is what `tomllib` gives (dicts, lists, dates, numbers, strings); output is the merged data plus the
conflicts found. The rules, per value:

- changed on one side only: that side's value;
- arrays of tables (`reads`, `reflections`, `quotes`, `next`, `conflicts`, anything else): the union, item
  by item, items matched by the rules in `MATCH_RULES`; an item changed on one side takes that change, an
  item removed on one side and untouched on the other goes, an item removed on one side and edited on the
  other stays (writing is never lost to a merge);
- tables (`review`, unknown tables): merged key by key; `series` is one value;
- lists of names (`authors`, `tags`): additions from both sides, removals from both sides; one person's
  name spelled two ways (an author each side has and the other has not) is one author, the other side's;
- text changed on both sides: a line merge (`git merge-file`'s, in a sync: `TextMerge`), which keeps what
  each side changed where the other did not; where both changed the same lines, a conflict over those
  lines only: the value in place is the merge with this side's lines there, the other is the merge with
  the other side's, so `resolve` picks a side for those lines and keeps both sides' other edits;
- a book's `status`, `want` on one side and further along on the other: the further one
  (`identity.merged_status`);
- a reading given up on one side (`stopped`) and finished on the other: a conflict on each of the two keys,
  this side's ending in place alone (`_one_ending`), never a reading ended both ways;
- anything else changed on both sides to different values: a conflict. The local (ours) value stays in
  place and the other is returned in `Merged.conflicts`, for the caller to record in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from readlog.identity import MATCH_RULES, ItemRule, merged_status, named_in_full, same_person


class _Missing:
    """A key absent on one side (TOML has no null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass
class Conflict:
    field: str  # a path: "rating", "review.body", "reflections[2].text"
    ours: Any  # MISSING when this side has no value
    theirs: Any


@dataclass
class Merged:
    data: dict[str, Any]
    conflicts: list[Conflict] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # items removed on one side but edited on the other
    fresh: bool = False  # both sides added the file: there is no common version
    texts: TextMerge | None = field(default=None, repr=False)  # the line merge (None: `text_sides`)


# A line merge of a text both sides changed: (base, ours, theirs) -> the merge with this side's lines where
# both changed the same ones, and the merge with the other side's there (the same text: no conflict).
TextMerge = Callable[[str, str, str], tuple[str, str]]


# --- matching array items --------------------------------------------------------------------------------
# Which items of two versions are the same reading / reflection / quote / pick: identity's merge policy
# (`identity.MATCH_RULES`), the one place that decides it.
def _whole(item: dict[str, Any]) -> Any:
    return _freeze(item)


DEFAULT_RULE = ItemRule(exact=_whole)  # progress entries, recorded conflicts, unknown arrays: the whole item


def rule_for(key: str) -> ItemRule:
    return MATCH_RULES.get(key, DEFAULT_RULE)


def pair(
    left: list[dict[str, Any]], right: list[dict[str, Any]], rule: ItemRule, loose: bool = True
) -> dict[int, int]:
    """Index in `left` -> index in `right` of the same item, one to one, exact keys first."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for key in (rule.exact, *rule.loose) if loose else (rule.exact,):
        wanted = {j: key(item) for j, item in enumerate(right) if j not in used}
        for i, item in enumerate(left):
            if i in pairs:
                continue
            value = key(item)
            if value is None:
                continue
            for j, other in wanted.items():
                if j not in used and other == value:
                    pairs[i] = j
                    used.add(j)
                    break
    return pairs


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


# --- the merge -------------------------------------------------------------------------------------------
ATOMIC_TABLES = frozenset({"series"})  # small tables whose keys only make sense together


def merge_data(
    base: dict[str, Any] | None,
    ours: dict[str, Any],
    theirs: dict[str, Any],
    texts: TextMerge | None = None,
    fresh: bool | None = None,
) -> Merged:
    """Merge two versions of a file's data against `base` (None: both added the file, no common base);
    `texts` merges a text both changed (`text_sides`, this module's own, unless given). `fresh`: both
    added the file, with `base` only what both imports wrote (sync.imported), not a version of it."""
    merged = Merged({}, fresh=base is None if fresh is None else fresh, texts=texts)
    sides = [_authors_key(d) if d is not None else None for d in (base, ours, theirs)]
    merged.data = _merge_table("", sides[0], sides[1] or {}, sides[2] or {}, merged)
    _status_with_ending(sides[1] or {}, sides[2] or {}, merged)
    return merged


def _status_with_ending(ours: dict[str, Any], theirs: dict[str, Any], merged: Merged) -> None:
    """A reading's two endings in conflict (`_one_ending`) go with the status each side gave the book: where
    only one side changed the status (a re-read started on both, given up here, finished there: the common
    version `read`), the field merge took that side's alone, the status disagreeing with the ending in
    place (review 33a #13). The status is then a conflict too, this side's in place, settled with the
    endings as one choice."""
    if any(c.field == "status" for c in merged.conflicts):
        return
    ended = any(c.field.startswith("reads[") and c.field.endswith(ENDINGS) for c in merged.conflicts)
    here, there = ours.get("status", MISSING), theirs.get("status", MISSING)
    if ended and "status" in merged.data and not same_value(here, there) and here is not MISSING:
        merged.data["status"] = here
        merged.conflicts.append(Conflict("status", here, there))


def _authors_key(data: dict[str, Any]) -> dict[str, Any]:
    """`author = "X"` is `authors = ["X"]`: compare like with like, or a merge could write both keys."""
    if "author" in data and "authors" not in data:
        data = dict(data)
        author = data.pop("author")
        data["authors"] = [author] if isinstance(author, str) else author
    return data


def _path(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _merge_table(
    path: str, base: dict[str, Any] | None, ours: dict[str, Any], theirs: dict[str, Any], merged: Merged
) -> dict[str, Any]:
    keys = list(ours) + [k for k in theirs if k not in ours]
    out: dict[str, Any] = {}
    for key in keys:
        old = base.get(key, MISSING) if base is not None else MISSING
        value = _merge_value(
            _path(path, key), key, old, ours.get(key, MISSING), theirs.get(key, MISSING), merged
        )
        if value is not MISSING:
            out[key] = value
    return out


def _merge_value(path: str, key: str, base: Any, ours: Any, theirs: Any, merged: Merged) -> Any:
    if same_value(ours, theirs):
        return ours
    if same_value(ours, base):
        return theirs
    if same_value(theirs, base):
        return ours
    if path == "schema" and isinstance(ours, int) and isinstance(theirs, int):
        return max(ours, theirs)
    if path == "status" and (further := merged_status(ours, theirs)) is not None:
        return further  # `want` here, finished there: the book was read (identity.merged_status)
    if _is_items(key, ours, theirs):
        return _merge_items(path, key, _list(base), _list(ours), _list(theirs), merged) or MISSING
    if (isinstance(ours, dict) and theirs is MISSING) or (ours is MISSING and isinstance(theirs, dict)):
        merged.kept.append(path)  # a table (the review) removed on one side, edited on the other: kept
        return ours if theirs is MISSING else theirs
    if isinstance(ours, dict) and isinstance(theirs, dict) and key not in ATOMIC_TABLES:
        return _merge_table(path, base if isinstance(base, dict) else None, ours, theirs, merged)
    if _is_names(ours) and _is_names(theirs) and (base is MISSING or _is_names(base)):
        return merge_names(_list(base), ours, theirs, same=same_person if key == "authors" else None)
    if isinstance(ours, str) and isinstance(theirs, str) and isinstance(base, str):
        # a conflict over the lines both changed only: each side's other edits are in both values
        ours, theirs = (merged.texts or text_sides)(base, ours, theirs)
        if ours == theirs:
            return ours
    merged.conflicts.append(Conflict(path, ours, theirs))
    return ours


def same_value(a: Any, b: Any) -> bool:
    # 1 == 1.0 == True in Python; in a file they are different values
    return a is b or (type(a) is type(b) and a == b)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_items(key: str, *values: Any) -> bool:
    """An array of tables (on at least one side; missing or empty on the other)."""
    if not all(v is MISSING or isinstance(v, list) for v in values):
        return False
    present = [v for v in values if isinstance(v, list) and v]
    if not all(isinstance(item, dict) for v in present for item in v):
        return False
    return key in MATCH_RULES or bool(present)


def _is_names(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str | int | float) for v in value)


def merge_names(
    base: list[Any], ours: list[Any], theirs: list[Any], same: Callable[[str, str], bool] | None = None
) -> list[Any]:
    """Lists of plain values (authors, tags): what either side added, less what either side removed. With
    `same` (authors: identity.same_person), a name each side added and the other has not, that are surely
    one person's (`Ursula K. Le Guin` here, `Ursula K Le Guin` there: _joins), is one name: the other
    side's spelling (the remote's, already on every device that synced it), in this side's place. An
    author the other side put in place of one this side kept (`Steven King` for the row's `Stephen King`)
    takes that one's place: the first author stays first."""
    removed = [v for v in base if v not in ours or v not in theirs]
    places = _replaced(base, ours, theirs) if same else {}
    out = [places.get(v, v) for v in ours if v not in removed or v in places]
    joins = _joins(base, ours, theirs, same) if same else {}
    for value in theirs:
        if value in out or value in removed:
            continue
        if value in joins:
            out[out.index(joins[value])] = value
        else:
            out.append(value)
    return out


def _replaced(base: list[Any], ours: list[Any], theirs: list[Any]) -> dict[Any, Any]:
    """Each name of `base` that `theirs` holds another name in place of (at its index), which `ours` kept:
    to that name."""
    return {
        old: new
        for old, new in zip(base, theirs, strict=False)
        if old in ours and old not in theirs and new not in base and new not in ours
    }


def _joins(
    base: list[Any], ours: list[Any], theirs: list[Any], same: Callable[[str, str], bool]
) -> dict[str, str]:
    """Each name the other side added that is this side's added name spelled another way, to that name: only
    an unambiguous pair (each fits the other alone: `King` fits Stephen and Owen King, both kept), both in
    full (identity.named_in_full: `J. Smith` may be John or Jane), and neither a respelling of a name the
    two had in common (both devices edited it: both kept, this device's edit not lost)."""
    mine = [v for v in ours if isinstance(v, str) and v not in theirs and v not in base]
    new = [v for v in theirs if isinstance(v, str) and v not in ours and v not in base]
    common = [v for v in base if isinstance(v, str)]
    joins = {}
    for value in new:
        fits = [v for v in mine if same(v, value)]
        if len(fits) != 1 or [v for v in new if same(fits[0], v)] != [value]:
            continue
        if not (named_in_full(value) and named_in_full(fits[0])):
            continue
        if not any(same(name, value) or same(name, fits[0]) for name in common):
            joins[value] = fits[0]
    return joins


def _merge_items(
    path: str,
    key: str,
    base: list[dict[str, Any]],
    ours: list[dict[str, Any]],
    theirs: list[dict[str, Any]],
    merged: Merged,
) -> list[dict[str, Any]]:
    said = len(merged.conflicts), len(merged.kept)
    out = _items(path, key, base, ours, theirs, merged)
    if (len(merged.conflicts), len(merged.kept)) == said:  # (a conflict's path names an item's place)
        return _in_date_order(key, out)
    return out


# Arrays of dated items, and each item's day: a merge appends the other device's new items at the end, so
# the two devices' progress (or readings) are put back in date order, the order readlog writes them in.
_DAY_KEYS = {"progress": ("date",), "reads": ("finished", "stopped", "started")}


def _in_date_order(key: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`items` by day (a stable sort), when each has one (an undated reading's place is nobody's to say)."""
    names = _DAY_KEYS.get(key)
    if names is None or len(items) < 2:
        return items
    days = [next((str(item[n]) for n in names if item.get(n) is not None), None) for item in items]
    if any(day is None for day in days):
        return items
    order = sorted(range(len(items)), key=lambda i: str(days[i]))
    return [items[i] for i in order]


def _items(
    path: str,
    key: str,
    base: list[dict[str, Any]],
    ours: list[dict[str, Any]],
    theirs: list[dict[str, Any]],
    merged: Merged,
) -> list[dict[str, Any]]:
    rule = rule_for(key)
    ours_base = pair(ours, base, rule)
    theirs_base = pair(theirs, base, rule)
    base_theirs = {b: t for t, b in theirs_base.items()}
    base_ours = {b: o for o, b in ours_base.items()}
    ours_new = [i for i in range(len(ours)) if i not in ours_base]
    theirs_new = [j for j in range(len(theirs)) if j not in theirs_base]
    added_both = {
        ours_new[a]: theirs_new[b]
        for a, b in pair([ours[i] for i in ours_new], [theirs[j] for j in theirs_new], rule, False).items()
    }
    if merged.fresh and path == "reads":
        # Both devices added the book (no common version) with readings of other dates: one reading, as a
        # rule, logged on each (`add "Lanny" --finished ...` on the laptop and on the phone), not a re-read.
        # Taken one for one, in order, so that the dates that differ are a conflict the reader settles
        # (`readlog resolve`), never a reading counted twice.
        alone_ours = [i for i in ours_new if i not in added_both]
        alone_theirs = [j for j in theirs_new if j not in added_both.values()]
        added_both.update(zip(alone_ours, alone_theirs, strict=False))
    elif path == "reads":
        # A reading started on both devices on the same day before a sync, ended differently on each (given
        # up here, finished there; finished on two days): one reading, started once, whose endings differ
        # (a conflict: `_one_ending`, or the finish's), never two readings counted twice (review 33a #13).
        alone_ours = [i for i in ours_new if i not in added_both]
        alone_theirs = [j for j in theirs_new if j not in added_both.values()]
        started = pair([ours[i] for i in alone_ours], [theirs[j] for j in alone_theirs], _STARTED, False)
        added_both.update({alone_ours[a]: alone_theirs[b] for a, b in started.items()})
    out: list[dict[str, Any]] = []
    for i, item in enumerate(ours):
        where = f"{path}[{len(out) + 1}]"
        if i in ours_base:
            old = base[ours_base[i]]
            if ours_base[i] in base_theirs:
                other = theirs[base_theirs[ours_base[i]]]
                out.append(_merge_item(where, old, item, other, merged))
            elif not same_value(item, old):  # edited here, removed there: kept
                merged.kept.append(where)
                out.append(item)
        elif i in added_both:
            out.append(_merge_item(where, None, item, theirs[added_both[i]], merged))
        else:
            out.append(item)
    taken = set(added_both.values())
    for j, item in enumerate(theirs):
        if j in taken:
            continue
        if j in theirs_base:
            old_index = theirs_base[j]
            if old_index in base_ours or same_value(item, base[old_index]):
                continue  # merged above, or removed here and untouched there
            merged.kept.append(f"{path}[{len(out) + 1}]")  # removed here, edited there: kept
        out.append(item)
    return out


# a reading by its start day alone, where it has one (an undated start is nobody's to pair)
_STARTED = ItemRule(exact=lambda r: None if r.get("started") is None else ("started", r["started"]))


def _merge_item(path: str, base: dict[str, Any] | None, ours: Any, theirs: Any, merged: Merged) -> Any:
    if isinstance(ours, dict) and isinstance(theirs, dict):
        out = _merge_table(path, base, ours, theirs, merged)
        reading = path.startswith("reads[") and "." not in path  # (not a reading's progress or pauses)
        return _one_ending(path, out, ours, theirs, merged) if reading else out
    return _merge_value(path, "", base if base is not None else MISSING, ours, theirs, merged)


ENDINGS = ("finished", "stopped")  # how a reading ends: read to the end, or given up; never both


def _one_ending(
    path: str, out: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any], merged: Merged
) -> dict[str, Any]:
    """A reading given up on one device and finished on the other (try-out 33a #14) took each side's key and
    ended both ways: a DNF counted as read. One reading ends one way, so the two endings are a conflict the
    reader settles, like the status that comes with them (`resolve` takes the two together): this side's
    ending stays in place, the other's is recorded. A reading that held both already is `check`'s to name."""
    if not all(key in out for key in ENDINGS) or any(
        all(key in side for key in ENDINGS) for side in (ours, theirs)
    ):
        return out
    mine = next((key for key in ENDINGS if key in ours), None)
    other = next((key for key in ENDINGS if key in theirs), None)
    if mine is None or other is None or mine == other:
        return out
    said = {conflict.field for conflict in merged.conflicts}  # (a finish changed here, removed there)
    for conflict in (
        Conflict(f"{path}.{mine}", ours[mine], MISSING),
        Conflict(f"{path}.{other}", MISSING, theirs[other]),
    ):
        if conflict.field not in said:
            merged.conflicts.append(conflict)
    return {key: value for key, value in out.items() if key != other}


def merge_text(base: str, ours: str, theirs: str) -> str | None:
    """A line merge of text changed on both sides; None where both changed the same lines."""
    mine, other = text_sides(base, ours, theirs)
    return mine if mine == other else None


def text_sides(base: str, ours: str, theirs: str) -> tuple[str, str]:
    """A `TextMerge` without git: `diff3_sides` by lines."""
    if "\n" not in base + ours + theirs:
        return ours, theirs  # one line each, changed differently on both sides
    mine, other = diff3_sides(base.split("\n"), ours.split("\n"), theirs.split("\n"))
    return "\n".join(mine), "\n".join(other)


def merge_lines(base: list[str], ours: list[str], theirs: list[str]) -> list[str] | None:
    """`diff3_sides` as one list of lines; None where both sides changed the same lines."""
    mine, other = diff3_sides(base, ours, theirs)
    return mine if mine == other else None


def diff3_sides(base: list[str], ours: list[str], theirs: list[str]) -> tuple[list[str], list[str]]:
    """diff3: lines unchanged on both sides anchor the merge; between anchors, a stretch changed on one
    side takes that side, changed alike on both takes either, changed differently on both is a conflict,
    which takes ours in the first list and theirs in the second (the two lists are the same when there is
    none). Changes with no unchanged line between them touch, and conflict, as in git."""
    from difflib import SequenceMatcher

    def anchors(other: list[str]) -> dict[int, int]:
        found: dict[int, int] = {}
        matcher = SequenceMatcher(None, base, other, autojunk=False)
        for start, other_start, size in matcher.get_matching_blocks():
            for offset in range(size):
                found[start + offset] = other_start + offset
        return found

    in_ours, in_theirs = anchors(ours), anchors(theirs)
    stable = [(i, in_ours[i], in_theirs[i]) for i in range(len(base)) if i in in_ours and i in in_theirs]
    out: list[str] = []
    out_theirs: list[str] = []
    b = o = t = 0
    for i, j, k in [*stable, (len(base), len(ours), len(theirs))]:
        old, mine, other = base[b:i], ours[o:j], theirs[t:k]
        if mine in (old, other):
            out += other
            out_theirs += other
        elif other == old:
            out += mine
            out_theirs += mine
        else:
            out += mine
            out_theirs += other
        if i < len(base):
            out.append(base[i])
            out_theirs.append(base[i])
        b, o, t = i + 1, j + 1, k + 1
    return out, out_theirs
