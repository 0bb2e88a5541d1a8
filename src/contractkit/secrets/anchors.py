"""Where a regex can match, found fast: the anchor every match holds, and the search held to the places near it.

Python's regex engine skips fast to a fixed first character and slowly to anything else: a credential format that
starts with a character class, an alternation or a lookbehind is tried at every position of a text (a 10 MB report
took seconds). So each format is read once, when it is compiled, for a necessary condition the engine finds fast:

- its literal (`ghp_`, `authorization`), found for all formats at once by `LiteralFinder`, which anchors each
  literal on its rarest character, so the engine skips over the common ones;
- for a format with no literal, an `anchor` regex made of the fixed characters and classes every match holds
  (Telegram's `:` and 35 token characters, a prefixed token's separator and 16 token characters), led by one
  character the engine skips to;
- how far before that anchor a match may start (`lead`), and how far past its start a match and its lookaheads
  may read (`span`).

`NearSearch` then answers `regex.search(text, pos)` by running the format's own regex only where a match may start,
checking every candidate against the whole text: the same matches as a scan of every position, by construction.
A regex this analysis does not understand (back-references, atomic groups) is searched everywhere.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

__all__ = ["LiteralFinder", "NearSearch", "Plan", "frequency", "plan_for", "run_starts", "start_ranges"]

# how often a character occurs in reports and traffic, per thousand characters, roughly (English words, JSON, URLs)
_FREQUENCY = {
    **dict(
        zip(
            "etaoinsrhldcumfpgwybvkxjqz",
            (90, 65, 60, 60, 55, 55, 50, 50, 30, 30, 30, 28, 25, 22, 18, 18, 17, 14, 13, 12, 8, 6, 2, 2, 1, 1),
        )
    ),
    **dict.fromkeys(" ", 150),
    **dict.fromkeys('"', 40),
    **dict.fromkeys("\n:,./", 15),
    **dict.fromkeys("_-01", 10),
    **dict.fromkeys("23456789", 6),
    **dict.fromkeys("=&", 3),
}
# a width this large is unbounded (`+`, `*`, `{16,}`)
_UNBOUNDED = 1 << 20
# an anchor shorter than this finds too much to be worth a pass of its own
_SHORTEST_ANCHOR = 6
# a literal whose rarest character is commoner than this (per thousand) is searched for whole: a vendor prefix
# (`dapi`) is rarer than its commonest character; a word compared in any case (`pass`, `token`) is not
SCANNED_ABOVE = 15


def frequency(char: str) -> float:
    """How often a character occurs in reports and traffic, per thousand characters, roughly."""
    if char in _FREQUENCY:
        return _FREQUENCY[char]
    if char.isupper() and char.lower() in _FREQUENCY:
        return 1 + _FREQUENCY[char.lower()] / 20
    return 2


class LiteralFinder:
    """Every occurrence of many literals in one pass, overlapping ones included; a literal given with the rest
    of its regex (`rest`, a regex for what follows the literal) counts only where the rest matches too, which
    the engine checks without a call back into Python."""

    def __init__(self, entries: Iterable[tuple[str, str]], *, scanned_above: float = SCANNED_ABOVE) -> None:
        offsets = _anchor_offsets(entries)
        # a literal of common characters only (`dapi`, `pass`) is searched for whole, a substring search per literal
        # being cheaper than stopping the regex at every occurrence of its commonest character
        self._scanned: dict[str, list[tuple[str, str]]] = {}
        for literal, rest, offset in offsets:
            if frequency(literal[offset]) > scanned_above and len(literal) >= 3:
                self._scanned.setdefault(literal, []).append((literal, rest))
        anchored = sorted(
            (item for item in offsets if item[:2] not in self._scanned.get(item[0], ())),
            key=lambda item: (item[0][item[2]], -len(item[0]), item[0], item[1]),
        )
        self._table: dict[int, tuple[tuple[str, str], int]] = {}
        # anchor character -> text before it -> text after it -> the rests: literals that share a character, a
        # text before or after it are checked once for all of them
        tree: dict[str, dict[str, dict[str, list[tuple[str, int]]]]] = {}
        for literal, rest, offset in anchored:
            before = tree.setdefault(literal[offset], {}).setdefault(literal[: offset + 1] if offset else "", {})
            before.setdefault(literal[offset + 1 :], []).append((rest, offset))
        group = 0
        branches = []
        for char, befores in tree.items():
            alternatives = []
            for behind, afters in befores.items():
                checks = []
                for after, rests in afters.items():
                    marked = []
                    for rest, offset in rests:
                        group += 1
                        self._table[group] = ((behind[:-1] + char + after if behind else char + after, rest), offset)
                        marked.append(rest + "()")
                    checks.append(f"(?={re.escape(after)}(?:{'|'.join(marked)}))")
                lookbehind = f"(?<={re.escape(behind)})" if behind else ""
                alternatives.append(lookbehind + (checks[0] if len(checks) == 1 else f"(?:{'|'.join(checks)})"))
            branches.append(re.escape(char) + "(?:" + "|".join(alternatives) + ")")
        # one character consumed per occurrence, so an occurrence inside another is found too
        self._regex = re.compile("|".join(branches)) if branches else None
        # the entries that may hold at the same anchor as another (the regex reports only the first that holds)
        self._also = {
            (literal, rest): _aligned((literal, rest), offset, anchored) for literal, rest, offset in anchored
        }

    def find(self, text: str) -> dict[tuple[str, str], list[int]]:
        """Where each (literal, rest) entry holds in a text (start offsets of the literal, ascending); entries that
        do not hold are left out."""
        found: dict[tuple[str, str], list[int]] = {}
        table, also = self._table, self._also
        for literal, scanned in self._scanned.items():
            start = text.find(literal)
            while start >= 0:
                for entry in scanned:
                    if not entry[1] or _alone(entry).match(text, start):
                        found.setdefault(entry, []).append(start)
                start = text.find(literal, start + 1)
        for match in self._regex.finditer(text) if self._regex is not None else ():
            entry, offset = table[match.lastindex or 0]
            anchor = match.start()
            found.setdefault(entry, []).append(anchor - offset)
            for other, other_offset in also[entry]:
                if anchor >= other_offset and _alone(other).match(text, anchor - other_offset):
                    found.setdefault(other, []).append(anchor - other_offset)
        return found


@lru_cache(maxsize=1024)
def _alone(entry: tuple[str, str]) -> re.Pattern[str]:
    """A regex for one literal and its rest, compiled when first needed."""
    return re.compile(re.escape(entry[0]) + entry[1])


def _anchor_offsets(entries: Iterable[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """Where to anchor each literal: on its rarest character (the regex stops wherever an anchor character
    occurs; the literals anchored on one character are then told apart in one tree, so sharing one costs
    little), of two as rare the one fewer literals use."""
    chosen: dict[str, int] = {}
    result = []
    for literal, rest in sorted(set(entries), key=lambda entry: (-len(entry[0]), entry)):
        offset = min(
            range(len(literal)), key=lambda index: frequency(literal[index]) * (1 + chosen.get(literal[index], 0) / 200)
        )
        chosen[literal[offset]] = chosen.get(literal[offset], 0) + 1
        result.append((literal, rest, offset))
    return result


def _aligned(
    entry: tuple[str, str], offset: int, anchored: list[tuple[str, str, int]]
) -> tuple[tuple[tuple[str, str], int], ...]:
    """The other entries whose literal agrees with this one where they overlap when both are anchored at one
    place."""
    literal = entry[0]
    result = []
    for other, rest, other_offset in anchored:
        if (other, rest) == entry or other[other_offset] != literal[offset]:
            continue
        low, high = -min(offset, other_offset), min(len(literal) - offset, len(other) - other_offset)
        if all(literal[offset + step] == other[other_offset + step] for step in range(low, high)):
            result.append(((other, rest), other_offset))
    return tuple(result)


@dataclass(frozen=True, slots=True)
class Plan:
    """Where a regex's matches can be: `lead` is the (fewest, most) characters a match holds before its anchor
    (its literal, or `anchor`); `span` how far past its start a match and its lookaheads read (None: no bound).
    A regex whose anchor is at no fixed place has a `head`, its elements up to and with the anchor, that matches
    wherever the regex does and reads at most `head_span` characters: windows are searched with it."""

    lead: tuple[int, int]
    span: int | None
    anchor: re.Pattern[str] | None = None
    head: re.Pattern[str] | None = None
    head_span: int = 0
    rest: str = ""  # a regex for what follows the literal, in the regex's own flags ("" when not known)
    # for a regex that starts where a run of these characters starts (a one-character negative lookbehind, then
    # only such characters up to the anchor): the run, matched backwards from the anchor, gives the one start
    run: re.Pattern[str] | None = None

    @property
    def is_usable(self) -> bool:
        """True when candidate starts can be searched exactly: a fixed lead, a bounded span, or a head."""
        return self.lead[0] == self.lead[1] or self.span is not None or self.head is not None


def plan_for(
    source: str, flags: int, literals: tuple[str, ...], literal_run: tuple[int, int | None], *, folded: bool
) -> Plan | None:
    """The plan of a regex whose literals (if any) are matched by its top-level elements `literal_run` (from, to;
    to is None when they end inside an element); None when its matches cannot be bounded (no literal and no
    anchor, back-references, atomic groups). The rest of a regex whose literals are searched in lower case
    (`folded`) is kept only when it ignores case throughout."""
    from re import _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(source, flags & ~re.UNICODE)
    reach = _lookahead_reach(list(parsed))
    if reach is None:
        return None
    width = parsed.getwidth()[1]
    span = width + reach + 1 if width < _UNBOUNDED else None
    flags = re.compile(source, flags).flags & ~re.VERBOSE
    items = list(parsed) if literals else _flatten(list(parsed))
    rest = ""
    if literals:
        # in any case when compared so: the head must match wherever the regex does
        at, anchor = literal_run[0], None
        anchor_text = ("(?i:" if folded else "(?:") + "|".join(map(re.escape, literals)) + ")"
        if literal_run[1] is not None and (not folded or _ignores_case(flags, source)):
            rest = _scoped(_unparse(items[literal_run[1] :]) or "", flags)
    elif (found := _anchor(items, flags)) is not None:
        at, anchor, anchor_text = found
    else:
        return None
    lead = _width(parsed, items[:at])
    if lead[0] == lead[1] or lead[1] >= _UNBOUNDED or (before := _unparse(items[:at])) is None:
        return Plan(lead, span, anchor, rest=rest)
    head = re.compile(before + anchor_text, flags)
    head_parsed = _parser.parse(head.pattern, flags & ~re.UNICODE)
    head_span = head_parsed.getwidth()[1] + (_lookahead_reach(list(head_parsed)) or 0) + 1
    run = _run_before(items[:at])
    return Plan(lead, span, anchor, head, head_span, rest, re.compile(run + "*") if run else None)


def _run_before(items: list[Any]) -> str | None:
    """A class of the characters these elements consume, when they begin with a one-character negative
    lookbehind that refuses every one of them (`(?<![A-Za-z0-9_.+/-])[A-Za-z][A-Za-z0-9]{0,11}...`): a match
    then starts exactly where the run of such characters before its anchor starts."""
    from re import _constants as c  # type: ignore[attr-defined]

    if not items or items[0][0] is not c.ASSERT_NOT or items[0][1][0] != -1 or len(items[0][1][1]) != 1:
        return None
    refused = _characters([list(items[0][1][1])[0]])
    consumed = _characters(items[1:])
    if not refused or not consumed or not consumed <= refused:
        return None
    return "[" + "".join(re.escape(chr(code)) for code in sorted(consumed)) + "]"


def _characters(items: list[Any]) -> set[int] | None:
    """Every character these elements can consume, when each is a literal or a class of literals and ranges
    (lookarounds consume nothing); None for anything wider."""
    from re import _constants as c  # type: ignore[attr-defined]

    found: set[int] = set()
    for op, arg in items:
        inner: set[int] | None = set()
        if op is c.LITERAL:
            inner = {arg}
        elif op is c.IN:
            inner = _class_characters(arg)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            inner = _characters(list(arg[2]))
        elif op is c.SUBPATTERN:
            inner = _characters(list(arg[-1]))
        elif op is c.BRANCH:
            parts = [_characters(list(branch)) for branch in arg[1]]
            inner = None if any(part is None for part in parts) else set().union(*parts)  # type: ignore[arg-type]
        elif op not in (c.ASSERT, c.ASSERT_NOT):
            return None
        if inner is None:
            return None
        found |= inner
    return found


def _class_characters(members: list[Any]) -> set[int] | None:
    from re import _constants as c  # type: ignore[attr-defined]

    found: set[int] = set()
    for kind, value in members:
        if kind is c.LITERAL:
            found.add(value)
        elif kind is c.RANGE and value[1] - value[0] < 512:
            found.update(range(value[0], value[1] + 1))
        else:
            return None
    return found


def _ignores_case(flags: int, source: str) -> bool:
    """True when a regex compares every letter in any case: compiled so, and no group turns it off."""
    return bool(flags & re.IGNORECASE) and "-i" not in source


def _scoped(rest: str, flags: int) -> str:
    """A regex written to run inside another, with the flags of the regex it came from."""
    letters = "".join(letter for flag, letter in _FLAG_LETTERS if flags & flag)
    return f"(?{letters}:{rest})" if rest and letters else rest


def _width(parsed: Any, items: list[Any]) -> tuple[int, int]:
    from re import _parser  # type: ignore[attr-defined]

    low, high = _parser.SubPattern(parsed.state, items).getwidth()
    return low, min(high, _UNBOUNDED)


def _lookahead_reach(items: list[Any]) -> int | None:
    """The most characters a lookahead or word boundary reads past where it stands; None for what this
    analysis does not follow (back-references, atomic groups, conditionals)."""
    from re import _constants as c  # type: ignore[attr-defined]

    reach = 0
    for op, arg in items:
        inner: list[list[Any]] = []
        ahead = 0  # how far ahead the inner elements stand: a lookahead inside a lookahead reads further
        if op in (c.GROUPREF, c.GROUPREF_EXISTS, c.ATOMIC_GROUP, c.POSSESSIVE_REPEAT):
            return None
        if op in (c.ASSERT, c.ASSERT_NOT):
            if arg[0] == 1:
                ahead = arg[1].getwidth()[1]
                if ahead >= _UNBOUNDED:
                    return None
                reach = max(reach, ahead)
            inner = [list(arg[1])]
        elif op is c.SUBPATTERN:
            inner = [list(arg[-1])]
        elif op is c.BRANCH:
            inner = [list(branch) for branch in arg[1]]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            inner = [list(arg[2])]
        for sequence in inner:
            deeper = _lookahead_reach(sequence)
            if deeper is None:
                return None
            deeper += ahead
            reach = max(reach, deeper)
    return reach


def _flatten(items: list[Any]) -> list[Any]:
    """Top-level elements with plain groups (no flags of their own) opened up."""
    from re import _constants as c  # type: ignore[attr-defined]

    flat: list[Any] = []
    for op, arg in items:
        if op is c.SUBPATTERN and not arg[1] and not arg[2]:
            flat += _flatten(list(arg[-1]))
        else:
            flat.append((op, arg))
    return flat


def _anchor(items: list[Any], flags: int) -> tuple[int, re.Pattern[str], str] | None:
    """The top-level element where the most selective fixed run of characters begins, a regex for that run that
    consumes its first character only (so overlapping runs are all found), and one that consumes it all."""
    best: tuple[int, int, int, list[tuple[str, int]]] | None = None
    for index in range(len(items)):
        units = _units(items[index:])
        if not units:
            continue
        length = sum(count for _, count in units)
        led_by_literal = int(len(units[0][0]) <= 2 or units[0][0].startswith("\\"))
        score = (led_by_literal, length)
        if length >= _SHORTEST_ANCHOR and (best is None or score > best[:2]):
            best = (*score, index, units)
    if best is None:
        return None
    _, _, index, units = best
    (first, count), rest = units[0], units[1:]
    tail = ([(first, count - 1)] if count > 1 else []) + rest
    ahead = "".join(unit if times == 1 else f"{unit}{{{times}}}" for unit, times in tail)
    after = _unparse(items[index + 1 :])  # what follows, in full: the anchor then holds only where it can match
    whole = (f"{first}{{{count - 1}}}" if count > 1 else "") + after if after is not None else ahead
    pattern = first + (f"(?={whole})" if whole else "")
    return index, re.compile(pattern, flags), first + ahead


def _units(items: list[Any]) -> list[tuple[str, int]]:
    """The fixed run at the head of these elements, as (one-character regex, times), led by a literal or a class
    of at most four characters; empty when they do not start so."""
    from re import _constants as c  # type: ignore[attr-defined]

    units: list[tuple[str, int]] = []
    for op, arg in items:
        times, unit = 1, None
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and len(arg[2]) == 1 and arg[0] >= 1:
            times, unit = arg[0], _unit(*list(arg[2])[0])
        elif op in (c.LITERAL, c.IN):
            unit = _unit(op, arg)
        if unit is None or (not units and not _is_narrow(op, arg)):
            break
        units.append((unit, times))
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[0] != arg[1]:
            break  # a run of varying length: what follows is at no fixed place
    return units


def _is_narrow(op: Any, arg: Any) -> bool:
    """True for a literal, a repeated literal, or a class of at most four single characters."""
    from re import _constants as c  # type: ignore[attr-defined]

    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        return _is_narrow(*list(arg[2])[0])
    if op is c.IN:
        return len(arg) <= 4 and all(kind is c.LITERAL for kind, _ in arg)
    return op is c.LITERAL


def _unit(op: Any, arg: Any) -> str | None:
    """A regex for one character element (a literal or a class), or None for anything else."""
    from re import _constants as c  # type: ignore[attr-defined]

    if op is c.LITERAL:
        return re.escape(chr(arg))
    if op is not c.IN:
        return None
    categories = {
        c.CATEGORY_DIGIT: r"\d",
        c.CATEGORY_NOT_DIGIT: r"\D",
        c.CATEGORY_SPACE: r"\s",
        c.CATEGORY_NOT_SPACE: r"\S",
        c.CATEGORY_WORD: r"\w",
        c.CATEGORY_NOT_WORD: r"\W",
    }
    parts: list[str] = []
    for kind, value in arg:
        if kind is c.NEGATE:
            parts.insert(0, "^")
        elif kind is c.LITERAL:
            parts.append(re.escape(chr(value)))
        elif kind is c.RANGE:
            parts.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
        elif kind is c.CATEGORY and value in categories:
            parts.append(categories[value])
        else:
            return None
    return "[" + "".join(parts) + "]"


_AT = {
    "AT_BEGINNING": "^",
    "AT_BEGINNING_STRING": r"\A",
    "AT_END": "$",
    "AT_END_STRING": r"\Z",
    "AT_BOUNDARY": r"\b",
    "AT_NON_BOUNDARY": r"\B",
}
_FLAG_LETTERS = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"), (re.ASCII, "a"))


def _unparse(items: list[Any]) -> str | None:
    """Regex source for parsed elements (groups left uncaptured), or None for an element it does not write."""
    pieces = [_unparse_one(op, arg) for op, arg in items]
    return None if any(piece is None for piece in pieces) else "".join(pieces)  # type: ignore[arg-type]


def _unparse_one(op: Any, arg: Any) -> str | None:
    from re import _constants as c  # type: ignore[attr-defined]

    if op in (c.LITERAL, c.IN):
        return _unit(op, arg)
    if op is c.NOT_LITERAL:
        return f"[^{re.escape(chr(arg))}]"
    if op is c.ANY:
        return "."
    if op is c.AT:
        return _AT.get(str(arg))
    if op is c.BRANCH:
        branches = [_unparse(list(branch)) for branch in arg[1]]
        return None if None in branches else "(?:" + "|".join(branches) + ")"  # type: ignore[arg-type]
    inner = _unparse(list(arg[-1] if op is c.SUBPATTERN else arg[1] if op in (c.ASSERT, c.ASSERT_NOT) else arg[2]))
    if inner is None or op not in (c.SUBPATTERN, c.ASSERT, c.ASSERT_NOT, c.MAX_REPEAT, c.MIN_REPEAT):
        return None
    if op is c.SUBPATTERN:
        added = "".join(letter for flag, letter in _FLAG_LETTERS if arg[1] & flag)
        removed = "".join(letter for flag, letter in _FLAG_LETTERS if arg[2] & flag)
        return f"(?{added}{'-' + removed if removed else ''}:{inner})"
    if op in (c.ASSERT, c.ASSERT_NOT):
        return f"(?{'<' if arg[0] < 0 else ''}{'=' if op is c.ASSERT else '!'}{inner})"
    low, high = arg[0], "" if arg[1] == c.MAXREPEAT else arg[1]
    return f"(?:{inner}){{{low},{high}}}{'?' if op is c.MIN_REPEAT else ''}"


def run_starts(positions: list[int], plan: Plan, backwards: str) -> list[tuple[int, int]]:
    """The one start of a match anchored at each position (ascending), for a plan with a `run`: where the run of
    its characters before the anchor starts (found in `backwards`, the text reversed), when the lead allows it."""
    low, high = plan.lead
    run, size = plan.run, len(backwards)
    starts = set()
    for position in positions:
        length = run.match(backwards, size - position).end() - (size - position)  # type: ignore[union-attr]
        if low <= length <= high:
            starts.add(position - length)
    return [(start, start) for start in sorted(starts)]


def start_ranges(positions: list[int], plan: Plan) -> list[tuple[int, int]]:
    """Where matches anchored at these positions (ascending) may start: single points for a fixed lead, else
    ranges merged where they touch."""
    low, high = plan.lead
    if low == high:
        points = sorted({position - low for position in positions if position >= low})
        return [(point, point) for point in points]
    lows: list[int] = []
    highs: list[int] = []
    for position in positions:  # ascending, so each range ends after the one before: merging keeps its end
        end = position - low
        if end < 0:
            continue
        if highs and position - high <= highs[-1] + 1:
            highs[-1] = end
        else:
            lows.append(position - high if position > high else 0)
            highs.append(end)
    return list(zip(lows, highs))


class NearSearch:
    """`regex.search(text, pos)` for a regex whose matches can start only in the given ranges: each range is
    searched in a window that holds any match starting in it, and each candidate is checked on the whole text
    (a window's end can make a regex match where it does not)."""

    def __init__(self, regex: re.Pattern[str], text: str, ranges: list[tuple[int, int]], plan: Plan) -> None:
        self._regex, self._text = regex, text
        # windows are searched with the regex's head (short: the scan stops soon after the range), else the regex
        self._window, self._span = (regex, plan.span) if plan.head is None else (plan.head, plan.head_span)
        self._lows = [low for low, _ in ranges]
        self._highs = [high for _, high in ranges]

    def __call__(self, position: int) -> re.Match[str] | None:
        lows, highs, match = self._lows, self._highs, self._regex.match
        for index in range(bisect_left(highs, position), len(highs)):
            low, high = lows[index], highs[index]
            if low < position:
                low = position
            if high - low < 2 or self._span is None:
                for start in range(low, high + 1):
                    if (found := match(self._text, start)) is not None:
                        return found
            elif (found := self._in_window(low, high)) is not None:
                return found
        return None

    def _in_window(self, low: int, high: int) -> re.Match[str] | None:
        """The first match starting in [low, high]: candidates from a search of the window, each checked on the
        whole text."""
        regex, text = self._regex, self._text
        end = min(len(text), high + self._span)  # type: ignore[operator]
        while low <= high:
            window = self._window.search(text, low, end)  # type: ignore[union-attr]
            if window is None or window.start() > high:
                return None
            if (found := regex.match(text, window.start())) is not None:
                return found
            low = window.start() + 1
        return None
