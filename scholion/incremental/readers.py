"""Which pages read each value of the corpus: the reverse of every page's reads, so that after
an edit the pages to render again are looked up by what changed, not found by checking every
page (:func:`changed_reads` says what changed between two versions of the corpus)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from scholion.incremental.tracking import LENGTH, Read

_ABSENT = object()


class Readers:
    """Pages by what they read. A page noted without its reads (``None``: it read something
    that cannot be tracked) is counted as reading everything."""

    def __init__(self) -> None:
        self._pages: dict[Read, set[str]] = defaultdict(set)
        self._reads: dict[str, frozenset[Read]] = {}
        self._everything: set[str] = set()

    def note(self, path: str, reads: Iterable[Read] | None) -> None:
        """What the page at ``path`` read when it was last rendered (replacing what it read
        before)."""
        self.forget(path)
        if reads is None:
            self._everything.add(path)
            return
        self._reads[path] = frozenset(reads)
        for read in self._reads[path]:
            self._pages[read].add(path)

    def forget(self, path: str) -> None:
        """The page no longer exists (or is about to be noted again)."""
        self._everything.discard(path)
        for read in self._reads.pop(path, ()):
            readers = self._pages[read]
            readers.discard(path)
            if not readers:
                del self._pages[read]

    def __contains__(self, path: object) -> bool:
        return path in self._reads or path in self._everything

    def of(self, changed: Iterable[Read]) -> set[str]:
        """Every page that read one of ``changed``, and every page counted as reading
        everything."""
        found = set(self._everything)
        for read in changed:
            found |= self._pages.get(read, set())
        return found


def changed_reads(
    before: Mapping[str, Mapping[str, Any] | tuple[Any, ...]],
    after: Mapping[str, Mapping[str, Any] | tuple[Any, ...]],
) -> set[Read]:
    """What a page could have read differently in ``after`` than in ``before`` (both
    :func:`scholion.incremental.tracking.sources` of a corpus): each key whose value changed,
    appeared or went, its whole mapping, and the mapping's length when its keys changed.

    Values are compared by identity first (an unchanged file keeps its records), then by
    equality and type."""
    changed: set[Read] = set()
    for name in before.keys() | after.keys():
        old, new = before.get(name), after.get(name)
        if old is new:
            continue
        if not isinstance(old, Mapping) or not isinstance(new, Mapping):
            if _differ(old, new):
                changed.add((name, None))
            continue
        keys = _changed_keys(old, new)
        if keys or list(old) != list(new):
            changed.add((name, None))
        if old.keys() != new.keys():
            changed.add((name + LENGTH, None))
        changed.update((name, key) for key in keys)
    return changed


def _changed_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> Collection[str]:
    return [
        key
        for key in old.keys() | new.keys()
        if _differ(old.get(key, _ABSENT), new.get(key, _ABSENT))
    ]


def _differ(old: object, new: object) -> bool:
    return old is not new and (type(old) is not type(new) or old != new)
