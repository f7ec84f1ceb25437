"""Ids that stay put: what an annotation, a mention or a passage is called on its article page
and in the open data.

A reader's link, a citation in a paper or an annotation id kept by another tool must not change
when someone adds a note or a paragraph above what it names. So an id never comes from a
position: it is the record's own id where it has one (a claim, a cited source, a note with
``id:``), otherwise a short hash of the words it marks and a little of the text around them.
The positional ids of earlier versions (``n-3``, ``m-caracas-2``, ``p-4``) stay on the page as
aliases where they name nothing else there, so links made with them still land; they follow
position, as they always did, and are not permanent (docs/content-format.md, "Ids on the
article page").
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence

CONTEXT = 32
"""Characters of text either side of a quote that go into its hash: enough to tell the same
words in two places apart, few enough that an edit elsewhere in the text leaves the id alone."""


def digest(*parts: str) -> str:
    """Six hex digits standing for the parts, whitespace collapsed (so a reflowed line of the
    Markdown source, which a reader never sees, changes no id)."""
    joined = "\x1f".join(" ".join(part.split()) for part in parts)
    return hashlib.blake2s(joined.encode(), digest_size=3).hexdigest()


def quote_digest(text: str, start: int, end: int) -> str:
    """The hash of ``text[start:end]`` and :data:`CONTEXT` characters either side of it."""
    return digest(text[max(0, start - CONTEXT) : start], text[start:end], text[end : end + CONTEXT])


def distinct(ids: Iterable[str]) -> list[str]:
    """The ids in order, a repeat of one given ``-2``, ``-3``…: the deterministic tie-break
    for two records that hash alike (the same words, in the same words, twice)."""
    taken: set[str] = set()
    result = []
    for base in ids:
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        result.append(candidate)
    return result


def positional(bases: Iterable[str], numbered: bool = False) -> list[str]:
    """The ids earlier versions gave, in the order given (reading order): each base as it is
    the first time, then ``-2``, ``-3``… (``c-claim``, ``c-claim-2``); ``numbered``, the first
    time too (``m-caracas-1``, ``m-caracas-2``)."""
    used: Counter[str] = Counter()
    result = []
    for base in bases:
        used[base] += 1
        plain = used[base] == 1 and not numbered
        result.append(base if plain else f"{base}-{used[base]}")
    return result


def former_ids(current: Sequence[str], old: Sequence[str]) -> list[str]:
    """For each record, its old id to keep as an alias beside the current one, or ``""`` when
    the two are the same or the old id now names another record (one id, one element)."""
    taken = set(current)
    repeated = {o for o, n in Counter(old).items() if n > 1}
    return [
        o if o != c and o not in taken and o not in repeated else ""
        for c, o in zip(current, old, strict=True)
    ]
