"""When a round is due: schedule rules and the occurrences (time windows) they make.

A rule is a JSON dict stored on the round; every "HH:MM" in it is wall time in
the site's time zone. Occurrences are keyed by the local day they belong to
("2026-11-22#2") and carry their instants in UTC: Python compares and subtracts
two datetimes that share one ZoneInfo by wall time (ignoring `fold`), which is
wrong on DST days, so nothing here keeps local datetimes around.

Which day an occurrence belongs to:
- a window that crosses midnight (end <= start) belongs to the day it starts;
- an "every" series belongs to the day of its `from`: the night patrol
  22:00-06:00 of 22 Nov includes the 02:00 window of 23 Nov;
- a "random_daily" window belongs to the day of its `from`.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.domain.errors import RoundsError

DAY_MINUTES = 1440
MAX_GRACE_MINUTES = 720
MAX_WINDOWS_PER_DAY = 288  # one every 5 minutes; more is a typo, not a schedule
RANDOM_STEP_MINUTES = 5
# An occurrence keyed on day D can start up to D+1 23:59 (an "every" series
# started late on D), last 24 h and have 12 h grace, so it can still be open on
# D+3. find_occurrence looks that many days back.
LOOKBACK_DAYS = 3

TYPES = ("daily", "every", "weekly", "monthly", "random_daily")
_TYPE_KEYS = {
    "daily": ("windows",),
    "every": ("every_minutes", "from", "to", "window_minutes"),
    "weekly": ("weekdays", "windows"),
    "monthly": ("days", "windows"),
    "random_daily": ("from", "to", "window_minutes"),
}
_COMMON_KEYS = ("type", "grace_minutes", "not_before")

_HHMM = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _invalid(reason: str, field: str) -> RoundsError:
    return RoundsError("invalid_schedule", detail={"reason": reason, "field": field})


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _hhmm(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def _span(start: time, end: time) -> int:
    """Minutes from start to end; end <= start runs into the next day."""
    return (_minutes(end) - _minutes(start)) % DAY_MINUTES or DAY_MINUTES


@dataclass(frozen=True)
class Window:
    start: time
    end: time  # end <= start: ends on the next day

    @property
    def minutes(self) -> int:
        return _span(self.start, self.end)

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start


@dataclass(frozen=True)
class ScheduleRule:
    type: str
    windows: tuple[Window, ...] = ()  # daily, weekly, monthly
    weekdays: tuple[int, ...] = ()  # weekly; 0 = Monday
    days: tuple[int, ...] = ()  # monthly; a day past the month's end means its last day
    every_minutes: int = 0  # every
    from_time: time | None = None  # every, random_daily
    to_time: time | None = None  # every, random_daily
    window_minutes: int = 0  # every, random_daily
    grace_minutes: int = 0
    not_before: date | None = None

    def to_dict(self) -> dict:
        out: dict = {"type": self.type}
        if self.type == "weekly":
            out["weekdays"] = list(self.weekdays)
        if self.type == "monthly":
            out["days"] = list(self.days)
        if self.type in ("daily", "weekly", "monthly"):
            out["windows"] = [{"start": _hhmm(w.start), "end": _hhmm(w.end)} for w in self.windows]
        if self.type == "every":
            out["every_minutes"] = self.every_minutes
        if self.type in ("every", "random_daily"):
            assert self.from_time is not None and self.to_time is not None
            out["from"] = _hhmm(self.from_time)
            out["to"] = _hhmm(self.to_time)
            out["window_minutes"] = self.window_minutes
        out["grace_minutes"] = self.grace_minutes
        if self.not_before is not None:
            out["not_before"] = self.not_before.isoformat()
        return out


@dataclass(frozen=True)
class Occurrence:
    key: str  # f"{day.isoformat()}#{index}"
    day: date  # the local day it belongs to
    index: int  # from 1, in start order within the day
    start: datetime  # UTC
    end: datetime  # UTC
    grace_end: datetime  # UTC; end + grace


# ---------------------------------------------------------------- parsing


def _int(raw: dict, key: str, lo: int, hi: int) -> int:
    value = raw[key]
    # bool is an int in Python but never a count in a schedule
    if not isinstance(value, int) or isinstance(value, bool):
        raise _invalid("not an integer", key)
    if not lo <= value <= hi:
        raise _invalid(f"must be between {lo} and {hi}", key)
    return value


def _time(value: object, field: str) -> time:
    match = _HHMM.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise _invalid("not a time HH:MM", field)
    return time(int(match[1]), int(match[2]))


def _windows(value: object) -> tuple[Window, ...]:
    if not isinstance(value, list) or not value:
        raise _invalid("needs at least one window", "windows")
    if len(value) > MAX_WINDOWS_PER_DAY:
        raise _invalid("too many windows", "windows")
    windows = []
    for i, w in enumerate(value):
        field = f"windows[{i}]"
        if not isinstance(w, dict) or set(w) != {"start", "end"}:
            raise _invalid("a window is {start, end}", field)
        windows.append(Window(_time(w["start"], f"{field}.start"), _time(w["end"], f"{field}.end")))
    if len(set(windows)) != len(windows):
        raise _invalid("duplicate window", "windows")
    return tuple(sorted(windows, key=lambda w: (w.start, w.minutes)))


def _int_set(value: object, field: str, lo: int, hi: int) -> tuple[int, ...]:
    if not isinstance(value, list) or not value:
        raise _invalid("needs at least one value", field)
    for v in value:
        if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
            raise _invalid(f"values must be integers {lo}..{hi}", field)
    return tuple(sorted(set(value)))


def parse_rule(raw: object) -> ScheduleRule:
    """Validate a stored or submitted rule and return it normalised."""
    if not isinstance(raw, dict):
        raise _invalid("not an object", "")
    kind = raw.get("type")
    if not isinstance(kind, str) or kind not in _TYPE_KEYS:
        raise _invalid("unknown type", "type")
    allowed = _TYPE_KEYS[kind] + _COMMON_KEYS
    for key in raw:
        if key not in allowed:
            raise _invalid(f"not a key of a {kind} rule", str(key))
    for key in _TYPE_KEYS[kind]:
        if key not in raw:
            raise _invalid("missing", key)

    fields: dict = {"type": kind}
    if "windows" in raw:
        fields["windows"] = _windows(raw["windows"])
    if kind == "weekly":
        fields["weekdays"] = _int_set(raw["weekdays"], "weekdays", 0, 6)
    if kind == "monthly":
        fields["days"] = _int_set(raw["days"], "days", 1, 31)
    if kind in ("every", "random_daily"):
        fields["from_time"] = _time(raw["from"], "from")
        fields["to_time"] = _time(raw["to"], "to")
        fields["window_minutes"] = _int(raw, "window_minutes", 1, DAY_MINUTES)
    if kind == "every":
        fields["every_minutes"] = _int(raw, "every_minutes", 1, DAY_MINUTES)
        count = -(-_span(fields["from_time"], fields["to_time"]) // fields["every_minutes"])
        if count > MAX_WINDOWS_PER_DAY:
            raise _invalid("too many windows per day", "every_minutes")
    if "grace_minutes" in raw:
        fields["grace_minutes"] = _int(raw, "grace_minutes", 0, MAX_GRACE_MINUTES)
    if raw.get("not_before") is not None:
        fields["not_before"] = _day(raw["not_before"])

    rule = ScheduleRule(**fields)
    if kind == "random_daily" and not _random_starts(rule):
        raise _invalid("window_minutes does not fit between from and to", "window_minutes")
    return rule


def _day(value: object) -> date:
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _invalid("not a date YYYY-MM-DD", "not_before")


# ------------------------------------------------------------ occurrences


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except Exception:  # not found, a path, not a string: all the same to the caller
        raise _invalid("unknown time zone", "tz") from None


def _utc(at: datetime, field: str = "at") -> datetime:
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise RoundsError("invalid_time", detail={"field": field, "reason": "needs a time zone"})
    return at.astimezone(UTC)


def _random_starts(rule: ScheduleRule) -> range:
    """Possible starts (minutes after the day's midnight) of a random_daily
    window: multiples of 5 minutes with the whole window inside [from, to]."""
    assert rule.from_time is not None and rule.to_time is not None
    first = _minutes(rule.from_time)
    last = first + _span(rule.from_time, rule.to_time) - rule.window_minutes
    first = -(-first // RANDOM_STEP_MINUTES) * RANDOM_STEP_MINUTES
    return range(first, last + 1, RANDOM_STEP_MINUTES)


def _random_start(rule: ScheduleRule, day: date, seed: str) -> int:
    # A hash, not random.Random: the same on every process, machine and Python.
    digest = hashlib.sha256(f"{seed}\x00{day.isoformat()}".encode()).digest()
    starts = _random_starts(rule)
    return starts[int.from_bytes(digest[:8], "big") % len(starts)]


def _slots(rule: ScheduleRule, day: date, seed: str) -> list[tuple[int, int]]:
    """(start, length) in minutes after the day's local midnight."""
    if rule.not_before is not None and day < rule.not_before:
        return []
    if rule.type == "weekly" and day.weekday() not in rule.weekdays:
        return []
    if rule.type == "monthly":
        last = calendar.monthrange(day.year, day.month)[1]
        if day.day not in {min(d, last) for d in rule.days}:
            return []
    if rule.type in ("daily", "weekly", "monthly"):
        return [(_minutes(w.start), w.minutes) for w in rule.windows]
    if rule.type == "random_daily":
        return [(_random_start(rule, day, seed), rule.window_minutes)]
    # every: starts at from, from + every, ... while before `to`
    assert rule.from_time is not None and rule.to_time is not None
    first = _minutes(rule.from_time)
    stop = first + _span(rule.from_time, rule.to_time)
    return [(s, rule.window_minutes) for s in range(first, stop, rule.every_minutes)]


def _instant(midnight: datetime, minutes: int, zone: ZoneInfo) -> datetime:
    # Wall-clock arithmetic on the naive time, then the zone. A wall time in a DST
    # gap (fold=0) is read with the offset before the change, i.e. moved forward.
    return (midnight + timedelta(minutes=minutes)).replace(tzinfo=zone).astimezone(UTC)


def _occurrences(rule: ScheduleRule, day: date, zone: ZoneInfo, seed: str) -> list[Occurrence]:
    midnight = datetime.combine(day, time(0))
    spans = []
    for offset, length in _slots(rule, day, seed):
        start = _instant(midnight, offset, zone)
        end = _instant(midnight, offset + length, zone)
        if end <= start:  # the whole window fell into a spring-forward gap: keep its length
            end = start + timedelta(minutes=length)
        spans.append((start, end))
    # A spring-forward gap can map two wall times (02:00 and 03:00) onto one
    # instant; one occurrence of the two is enough.
    spans = sorted(set(spans))
    grace = timedelta(minutes=rule.grace_minutes)
    return [
        Occurrence(f"{day.isoformat()}#{i}", day, i, start, end, end + grace)
        for i, (start, end) in enumerate(spans, start=1)
    ]


def occurrences_on(rule: ScheduleRule, day: date, tz: str, seed: str = "") -> list[Occurrence]:
    """The occurrences that belong to `day` (a local day of the site), in start order."""
    return _occurrences(rule, day, _zone(tz), seed)


def occurrences_between(
    rule: ScheduleRule, first_day: date, last_day: date, tz: str, seed: str = ""
) -> list[Occurrence]:
    """Occurrences of the days first_day..last_day inclusive, by day then index."""
    zone = _zone(tz)
    out: list[Occurrence] = []
    day = first_day
    while day <= last_day:
        out.extend(_occurrences(rule, day, zone, seed))
        day += timedelta(days=1)
    return out


def local_today(now: datetime, tz: str) -> date:
    return _utc(now, "now").astimezone(_zone(tz)).date()


def find_occurrence(rule: ScheduleRule, at: datetime, tz: str, seed: str = "") -> Occurrence | None:
    """The occurrence a scan at `at` counts for: one whose [start, grace_end)
    holds `at`. When windows overlap, prefer the earliest one still running
    (end > at) over one already in its grace time."""
    at_utc = _utc(at)
    zone = _zone(tz)
    today = at_utc.astimezone(zone).date()
    hits = [
        occ
        for back in range(LOOKBACK_DAYS, -1, -1)
        for occ in _occurrences(rule, today - timedelta(days=back), zone, seed)
        if occ.start <= at_utc < occ.grace_end
    ]
    if not hits:
        return None
    running = [occ for occ in hits if occ.end > at_utc]
    return min(running or hits, key=lambda occ: (occ.start, occ.day, occ.index))


def timing(occ: Occurrence, at: datetime) -> str:
    """early | on_time | late (in the grace time) | outside (after the grace time)."""
    at_utc = _utc(at)
    if at_utc < occ.start:
        return "early"
    if at_utc < occ.end:
        return "on_time"
    if at_utc < occ.grace_end:
        return "late"
    return "outside"


# ------------------------------------------------------------ description

_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS_ZH = "一二三四五六日"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _per_day(n: int, zh: bool) -> str:
    if zh:
        return f"每天{n}次"
    return {1: "once a day", 2: "twice a day"}.get(n, f"{n} times a day")


def describe(rule: ScheduleRule, lang: str = "en") -> str:
    """Short text for the UI, e.g. "4 times a day" / "每天4次"."""
    zh = lang.lower().startswith("zh")
    dash = "–"
    if rule.type in ("every", "random_daily"):
        assert rule.from_time is not None and rule.to_time is not None
        hours = f"{_hhmm(rule.from_time)}{dash}{_hhmm(rule.to_time)}"
        if rule.type == "every":
            return (
                f"每{rule.every_minutes}分钟 {hours}"
                if zh
                else f"every {rule.every_minutes} min {hours}"
            )
        return f"每日不定时一次 {hours}" if zh else f"once a day at a random time {hours}"
    n = len(rule.windows)
    if rule.type == "daily":
        return _per_day(n, zh)
    if rule.type == "weekly":
        text = (
            "每周" + "、".join(_WEEKDAYS_ZH[d] for d in rule.weekdays)
            if zh
            else "every " + ", ".join(_WEEKDAYS_EN[d] for d in rule.weekdays)
        )
    else:  # monthly; 31 is the last day of every month
        if zh:
            text = "每月" + "、".join("月末" if d == 31 else f"{d}日" for d in rule.days)
        else:
            names = ("last day" if d == 31 else _ordinal(d) for d in rule.days)
            text = "monthly on the " + ", ".join(names)
    if n > 1:
        text += f"，{_per_day(n, zh)}" if zh else f", {_per_day(n, zh)}"
    return text
