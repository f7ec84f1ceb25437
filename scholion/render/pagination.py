"""Index pages kept small: a listing cut into pages of ``page_size``, grouped (by month, rating,
type, publisher) with each group's total and "(continued)" when it began on an earlier page,
and a "jump to" list pointing at the page where each group begins."""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import operator
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

GroupOf = Callable[[Any], tuple[str, str]]
"""A record's group in a listing: (key, label)."""


@dataclass(frozen=True, slots=True)
class Group:
    """The records of one group (a rating, a type, a month…) that fall on one page."""

    key: str  # the rating, type or publisher id ("" for none), or the month ("2019-03")
    anchor: str  # its id on the page, e.g. "rating-accurate"
    label: str
    total: int  # records in the whole group, on every page
    items: Sequence[Any]
    continued: bool  # the group began on an earlier page


@dataclass(frozen=True, slots=True)
class Jump:
    """A link to where a group begins, for the "jump to" list above a long listing."""

    anchor: str
    label: str
    total: int
    url: str  # site-relative, e.g. "claims/page/3/#rating-opinion"


MAX_JUMPS = 60
"""Above this many groups (publishers, months) a listing shows no "jump to" list: it would
weigh more than the page it sits on."""


@dataclass(frozen=True)
class Paginated:
    """One page of a list: its items, their groups, and where the other pages are."""

    items: Sequence[Any]
    number: int
    count: int
    base: str  # the first page's URL, e.g. "articles/"
    groups: Sequence[Group] = ()
    jumps: Sequence[Jump] = ()
    total: int = 0
    """Items in the whole listing, on every page: a page that shows the count reads it here
    rather than counting the corpus, which every page of a long listing did again (the notes'
    pages at 100,000 articles: a second each)."""

    def url_of(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}page/{number}/"

    @property
    def previous_url(self) -> str | None:
        return self.url_of(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url_of(self.number + 1) if self.number < self.count else None

    @property
    def window(self) -> list[int | None]:
        """Page numbers to link: the first, the last and two either side of this one; None
        where numbers are left out. Stays short for a listing of any length."""
        shown = {1, self.count, *range(self.number - 2, self.number + 3)}
        numbers = sorted(n for n in shown if 1 <= n <= self.count)
        result: list[int | None] = []
        for n in numbers:
            if result and n - (result[-1] or 0) > 1:
                result.append(None)
            result.append(n)
        return result


def paginate(
    items: Sequence[Any],
    size: int,
    base: str,
    group_of: GroupOf | None = None,
    prefix: str = "",
    whole_groups: bool = False,
) -> list[Paginated]:
    """Split ``items`` into pages of ``size``; an empty list still gets one (empty) page.

    With ``group_of``, the items (already sorted so that each group is one run) are also split
    into groups per page, anchored ``<prefix>-<key>``, and every page gets the same jump list;
    with ``whole_groups`` too, a group that fits on a page is never cut in two: it starts the
    next page when it would not fit on this one (a group longer than a page still runs on)."""
    if group_of is None:
        count = max(1, -(-len(items) // size))
        chunks = [items[i * size : (i + 1) * size] for i in range(count)]
        return [
            Paginated(chunk, i + 1, count, base, total=len(items)) for i, chunk in enumerate(chunks)
        ]
    keys = [group_of(item) for item in items]
    starts = _page_starts([key for key, _ in keys], size, whole_groups)
    count = len(starts)
    bounds = [*starts, len(items)]
    chunks = [items[a:b] for a, b in itertools.pairwise(bounds)]
    totals = Counter(key for key, _ in keys)
    jumps: dict[str, Jump] = {}
    grouped: list[list[Group]] = []
    for i, chunk in enumerate(chunks):
        groups = []
        pairs = zip(keys[bounds[i] : bounds[i + 1]], chunk, strict=True)
        for (key, label), run in itertools.groupby(pairs, key=lambda pair: pair[0]):
            anchor = f"{prefix}-{key}" if key else f"{prefix}s-unknown"
            continued = key in jumps
            url = (base if i == 0 else f"{base}page/{i + 1}/") + f"#{anchor}"
            jumps.setdefault(key, Jump(anchor, label, totals[key], url))
            records = [item for _, item in run]
            groups.append(Group(key, anchor, label, totals[key], records, continued))
        grouped.append(groups)
    listed = tuple(jumps.values()) if len(jumps) <= MAX_JUMPS else ()
    return [
        Paginated(chunk, i + 1, count, base, groups, listed, len(items))
        for i, (chunk, groups) in enumerate(zip(chunks, grouped, strict=True))
    ]


def repaginate(
    before: Sequence[Paginated], old: Sequence[Any], new: Sequence[Any], group_of: GroupOf | None
) -> list[Paginated] | None:
    """What :func:`paginate` gives for ``new``, made from ``before`` (its pages of ``old``, with
    the same arguments), or None when that cannot be done and ``new`` must be paginated anew.

    It can be done when ``new`` holds as many items as ``old`` and each item that is another
    object than ``old``'s at its place is in the same group (key and label): then every page
    keeps its bounds, groups and jumps, and only a page holding another item is made again —
    the others are ``before``'s objects, so the live site sees at once which listing pages an
    edit changed. Re-paginating the 40,000 claims of 10,000 articles took a tenth of a second
    on every edit."""
    if len(old) != len(new) or not before:
        return None
    differ = list(itertools.compress(range(len(new)), map(operator.is_not, old, new)))
    if group_of is not None and any(group_of(old[i]) != group_of(new[i]) for i in differ):
        return None
    starts = list(itertools.accumulate((len(page.items) for page in before), initial=0))
    pages = list(before)
    for number in sorted({bisect.bisect_right(starts, i) - 1 for i in differ}):
        page, start = before[number], starts[number]
        chunk = new[start : starts[number + 1]]
        groups, offset = [], 0
        for group in page.groups:
            end = offset + len(group.items)
            groups.append(dataclasses.replace(group, items=chunk[offset:end]))
            offset = end
        pages[number] = dataclasses.replace(page, items=chunk, groups=groups or page.groups)
    return pages


def _page_starts(keys: Sequence[str], size: int, whole_groups: bool) -> list[int]:
    """Where each page begins: every ``size`` items, or, keeping groups whole, also before a
    group that fits on a page but not in what is left of this one."""
    if not whole_groups:
        return list(range(0, max(1, len(keys)), size)) or [0]
    starts, filled = [0], 0
    for _, run in itertools.groupby(keys):
        length = len(list(run))
        if filled and length <= size and filled + length > size:
            starts.append(starts[-1] + filled)
            filled = 0
        filled += length
        while filled > size:  # a group longer than a page: whole pages of it
            starts.append(starts[-1] + size)
            filled -= size
    return starts
