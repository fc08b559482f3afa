"""Dates as people say them: `today`, `yesterday`, `3 days ago`, `last friday`, `2 weeks ago`, `March 2025`
(a partial date, `2025-03`), `1 March 2025`, `March 1, 2025`.

Imported only for input that is not already ISO, so commands given ISO dates pay nothing for it. Written
here rather than taken from a library: dateparser costs ~50x `python -c pass` to import and knows far
more than a reading journal's dates need; this is ~100 lines with no dependencies.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def is_iso(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD (checked further by the field's own parser), or `today`."""
    return bool(_ISO.fullmatch(text.strip())) or text.strip() == "today"


def _month(word: str) -> int | None:
    word = word.lower().rstrip(".")
    if len(word) < 3:
        return None
    for number, name in enumerate(MONTHS, 1):
        if name.startswith(word):
            return number
    return None


def _weekday(word: str) -> int | None:
    word = word.lower()
    for number, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return number
    return None


def _minus_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    import calendar

    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def parse_natural(text: str, today: date | None = None, partial: bool = False) -> date | str | None:
    """A date from words, or None when the words are not a date. With `partial`, `March 2025` and `2025`
    are kept as the partial dates `2025-03` and `2025`."""
    today = today or date.today()
    words = text.strip().lower().replace(",", " ").split()
    if not words:
        return None
    phrase = " ".join(words)
    if phrase == "today":
        return today
    if phrase == "yesterday":
        return today - timedelta(days=1)
    if phrase == "tomorrow":
        return today + timedelta(days=1)
    if match := re.fullmatch(
        r"(\d+|an?|one|two|three|four|five|six|seven) (day|week|month|year)s? ago", phrase
    ):
        count = int(match[1]) if match[1].isdigit() else _NUMBERS[match[1]]
        unit = match[2]
        if unit == "day":
            return today - timedelta(days=count)
        if unit == "week":
            return today - timedelta(weeks=count)
        return _minus_months(today, count * (12 if unit == "year" else 1))
    if phrase in ("last week", "a week ago"):
        return today - timedelta(weeks=1)
    if phrase in ("last month", "last year"):  # (as "last week": the day a month, a year ago)
        return _minus_months(today, 12 if phrase == "last year" else 1)
    if len(words) in (1, 2) and (len(words) == 1 or words[0] == "last"):
        weekday = _weekday(words[-1])
        if weekday is not None:  # "friday" and "last friday": the most recent one before today
            back = (today.weekday() - weekday) % 7 or 7
            return today - timedelta(days=back)
    return _calendar_date(words, today, partial)


def _calendar_date(words: list[str], today: date, partial: bool) -> date | str | None:
    """`1 March 2025`, `March 1 2025`, `March 2025`, `March` (the last one that has begun), `1 March`."""
    day = year = month = None
    for word in words:
        word = re.sub(r"(st|nd|rd|th)$", "", word) if re.fullmatch(r"\d{1,2}(st|nd|rd|th)", word) else word
        if word.isdigit() and len(word) == 4 and year is None:
            year = int(word)
        elif word.isdigit() and len(word) <= 2 and day is None:
            day = int(word)
        elif (number := _month(word)) is not None and month is None:
            month = number
        elif word not in ("of", "the"):
            return None
    if month is None:
        return None
    if year is None:  # "March", "1 March": this year's, or last year's if that is still to come
        year = today.year
        if (month, day or 1) > (today.month, today.day):
            year -= 1
    if day is None:
        if partial:
            return f"{year:04d}-{month:02d}"
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
