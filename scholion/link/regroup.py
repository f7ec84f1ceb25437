"""Joins kept up to date by difference: a table of key -> values, each value contributed by one
record (an article's annotations, a claim, a source), computed again only for the keys that the
changed records contribute to, before or after the edit.

Every join of :mod:`scholion.link.indexes` that groups records by something they name is one
:class:`Grouping`; a clean build computes it from nothing with the same code (every record
"changed"), so an edit and a clean build cannot disagree. Keys are kept sorted, so the order of a
table never depends on the order in which records changed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from scholion.incremental.readers import replaced

R = TypeVar("R")  # a record
V = TypeVar("V")  # a value in the table

_ABSENT = object()


def changed_keys(before: Mapping[str, Any], after: Mapping[str, Any]) -> set[str]:
    """The keys whose value is another object in ``after`` (or that appeared or went): linking
    reuses the record of every file an edit left as it was, so identity says what changed."""
    differ = replaced(before, after)
    if differ is not None:
        return set(differ)
    get = before.get
    found = {key for key, value in after.items() if get(key, _ABSENT) is not value}
    found.update(before.keys() - after.keys())
    return found


@dataclass(frozen=True)
class Grouping(Generic[R, V]):
    """How one join is made: the (key, value) pairs a record contributes, the record a value
    came from, and the order of a key's values (``descending`` for newest first)."""

    pairs: Callable[[R], Iterable[tuple[str, V]]]
    owner: Callable[[V], str]
    order: Callable[[V], Any]
    descending: bool = False

    def table(self, records: Mapping[str, R]) -> dict[str, tuple[V, ...]]:
        """The join of ``records``, computed from nothing."""
        return self.regroup({}, records.keys(), {}, records)

    def regroup(
        self,
        table: Mapping[str, tuple[V, ...]],
        changed: Collection[str],
        before: Mapping[str, R],
        after: Mapping[str, R],
    ) -> dict[str, tuple[V, ...]]:
        """``table`` (the join of ``before``) made the join of ``after``, where the records of
        ``after`` not in ``changed`` are those of ``before``."""
        fresh: dict[str, list[V]] = {}
        for record_id in changed:  # the keys the changed records contributed to...
            old = before.get(record_id)
            for key, _ in self.pairs(old) if old is not None else ():
                fresh.setdefault(key, [])
        for record_id in changed:  # ...and contribute to now, with their values
            new = after.get(record_id)
            for key, value in self.pairs(new) if new is not None else ():
                fresh.setdefault(key, []).append(value)
        if not fresh and isinstance(table, dict):
            return table  # nothing changed here: the same table, which says so to what follows
        result = dict(table)
        for key, added in fresh.items():
            values = [v for v in table.get(key, ()) if self.owner(v) not in changed] + added
            values.sort(key=self.order, reverse=self.descending)  # stable: a record's in order
            if values:
                result[key] = tuple(values)
            else:
                result.pop(key, None)
        if result.keys() != table.keys():
            result = dict(sorted(result.items()))
        return result
