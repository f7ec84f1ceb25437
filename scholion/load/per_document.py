"""What a stage found in each document, kept between the edits of ``serve``.

A stage that looks at every document of a kind (a schema check, the references a file makes)
gives the same answer for a document it has seen, as long as what it checks against is the
same. :func:`scholion.load.load` hands an unchanged file's document on as the same object, so
the documents an edit replaced are the positions where the new sequence holds another object
than the last one: found in C (``map`` of :func:`operator.is_not` over both sequences), where a
loop looking up each of 23,000 documents in a memo cost several milliseconds per stage and
edit. A clean build runs the same code with nothing kept: every document is new.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from scholion.load.documents import Document

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741 - an item of a sequence

_MISSING = object()

MakeAll = Callable[[list[Document]], list[T]]
"""What a stage gives for each of some documents, in their order (on every core if it likes)."""


def replaced_at(before: Sequence[I], after: Sequence[I]) -> list[int] | None:
    """The positions whose item is another object in ``after``, when both sequences have the
    same length (an edit that adds and removes no file), else None."""
    if len(before) != len(after):
        return None
    return list(itertools.compress(range(len(after)), map(operator.is_not, before, after)))


def replaced_documents(before: Sequence[Document], after: Sequence[Document]) -> list[int] | None:
    """The positions of the documents an edit replaced, when no file came or went (the same
    files at the same positions), else None."""
    positions = replaced_at(before, after)
    if positions is None or any(after[i].path != before[i].path for i in positions):
        return None  # as many files came as went, say: documents must be matched by path
    return positions


class PerDocument(Generic[T]):
    """A stage's result for each document of a sequence, from the last call: the next call
    makes results only for the documents that are not the ones it saw."""

    __slots__ = ("_documents", "_results", "remade", "unchanged")

    def __init__(self) -> None:
        self._documents: Sequence[Document] = ()
        self._results: list[T] = []
        self.remade: list[int] | None = None
        """The positions whose result the last call made."""
        self.unchanged = False
        """Whether every result the last call made equals the one it replaced: then what was
        made from all the results (a table of ids, say) still holds."""

    def results(
        self, documents: Sequence[Document], make_all: MakeAll[T], *, same_context: bool = True
    ) -> list[T]:
        """What ``make_all`` gives for each of ``documents``, made only for the documents not
        seen last time (every one when not ``same_context``: what they are checked against
        changed). A file added or removed moves the positions: then documents are matched by
        path. Do not change the list returned: the next call starts from it."""
        positions = replaced_documents(self._documents, documents) if same_context else None
        if positions is not None:
            results = self._results.copy() if positions else self._results
            made = make_all([documents[i] for i in positions])
            unchanged = all(map(operator.eq, made, (results[i] for i in positions)))
            for i, result in zip(positions, made, strict=True):
                results[i] = result
        else:
            before = zip(self._documents, self._results, strict=True)
            kept = {doc.path: (doc, made) for doc, made in before} if same_context else {}
            found: list[object] = []
            missing: list[Document] = []
            for doc in documents:
                was = kept.get(doc.path)
                if was is not None and was[0] is doc:
                    found.append(was[1])
                else:
                    found.append(_MISSING)
                    missing.append(doc)
            fresh = iter(make_all(missing))
            positions = [i for i, made in enumerate(found) if made is _MISSING]
            results = [next(fresh) if made is _MISSING else made for made in found]  # type: ignore[misc]
            unchanged = False
        self._documents, self._results = documents, results
        self.remade, self.unchanged = positions, unchanged
        return results

    def each(
        self,
        documents: Sequence[Document],
        make: Callable[[Document], T],
        *,
        same_context: bool = True,
    ) -> list[T]:
        """:meth:`results` of ``make`` called for each document in turn."""
        return self.results(
            documents, lambda docs: [make(doc) for doc in docs], same_context=same_context
        )


def flattened(lists: Sequence[Sequence[I]]) -> list[I]:
    """The items of ``lists`` in order, in C (most of them empty: a file's problems)."""
    return list(itertools.chain.from_iterable(lists))
