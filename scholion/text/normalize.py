"""The normalisation quotes are matched under: Unicode canonical decomposition, typographic
quotes and dashes made plain, invisible characters dropped and whitespace collapsed, applied to
both the quote and the text a reader sees, so a contributor copying a passage from a browser
matches whatever the Markdown source looks like. Each normalised character maps back to its
source character, so a match is a range in the real text.
"""

from __future__ import annotations

import re
import unicodedata

_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),
    "\u2026": "...",
}


def normalize(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the index of the source character."""
    out: list[str] = []
    origin: list[int] = []
    after_space = True  # nothing written yet: a leading space is dropped like a repeated one
    done = 0
    for run in _PLAIN.finditer(text):
        start, end = run.span()
        after_space = _normalize_chars(text, done, start, out, origin, after_space)
        out.append(run.group())
        origin.extend(range(start, end))
        after_space, done = False, end
    _normalize_chars(text, done, len(text), out, origin, after_space)
    return "".join(out), origin


_PLAIN = re.compile(r"[!-_a-~]+(?: [!-_a-~]+)*")
"""Printable ASCII other than the backtick, words separated by single spaces: already normal
(NFD leaves ASCII alone, and the backtick is the only ASCII character folded), so such runs are
copied whole; the rest of the text goes character by character."""


def _normalize_chars(
    text: str, start: int, end: int, out: list[str], origin: list[int], after_space: bool
) -> bool:
    """Normalise ``text[start:end]`` onto ``out``; returns whether it ended with a space."""
    for i in range(start, end):
        char = text[i]
        if char.isspace():
            if not after_space:
                out.append(" ")
                origin.append(i)
                after_space = True
            continue
        for piece in unicodedata.normalize("NFD", _FOLD.get(char, char)):
            out.append(piece)
            origin.append(i)
            after_space = False
    return after_space


def normalize_quote(text: str) -> str:
    return normalize(text)[0].strip()
