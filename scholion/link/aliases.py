"""Entity names and aliases found in article text: whole words, case-sensitive, longest first.

One Aho-Corasick automaton (pyahocorasick) holds every name, so finding mentions is linear in
the text whatever the number of aliases. (One regular expression alternating all of them, as
before, tries every alias at every capital letter, so its time grows with articles times
aliases: see docs/performance.md.) The result is exactly that regular expression's,
``(?<!\\w)(?:longest|…|shortest)(?!\\w)`` scanned left to right: at each place the longest name
that stands as whole words, then on from its end.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import ahocorasick

from scholion.model import Entity


class AliasMatcher:
    """Every entity's name and aliases; a name shared by two entities belongs to the first."""

    def __init__(self, entities: Iterable[Entity]):
        self.owner: dict[str, str] = {}
        for entity in entities:
            for name in (entity.name, *entity.aliases):
                if name:
                    self.owner.setdefault(name, entity.id)
        self._automaton = ahocorasick.Automaton()
        for name, entity_id in self.owner.items():
            self._automaton.add_word(name, (len(name), entity_id))
        if self.owner:
            self._automaton.make_automaton()

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, entity id) of each mention in ``text``, in order, never overlapping."""
        if not self.owner:
            return
        whole = []
        for last, (length, entity_id) in self._automaton.iter(text):
            start, end = last + 1 - length, last + 1
            if not (start and _word(text[start - 1])) and not (
                end < len(text) and _word(text[end])
            ):
                whole.append((start, -length, entity_id))
        whole.sort()
        reached = 0
        for start, negative_length, entity_id in whole:
            if start >= reached:
                reached = start - negative_length
                yield start, reached, entity_id


def _word(char: str) -> bool:
    """``\\w`` as Python's regular expressions read it."""
    return char.isalnum() or char == "_"
