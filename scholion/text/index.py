"""The text a reader sees of an article's HTML, indexed: its tokens (tags and text pieces with
their offsets), the normalised text quotes are searched in (:mod:`scholion.text.normalize`),
and the passage and sentence around a match.

Quotes are matched against this text, not the Markdown source, so that what a contributor copies
from a browser is what is found. The link stage searches it; the render stage highlights in it
(:mod:`scholion.render.highlight`).
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from scholion.text.normalize import normalize, normalize_quote

BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "br",
    }
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
VOID_TAGS = frozenset({"br", "hr", "img", "wbr", "input", "meta", "link", "source", "col"})
CLOSEST_SIMILARITY = 0.5
"""How alike (difflib ratio) a passage must be to a quote that did not match to be offered."""


class Token(NamedTuple):
    """A piece of HTML: a tag (kept verbatim) or text (``start`` is its offset in the text).
    A named tuple: an article has thousands, made three times as fast as a frozen dataclass's."""

    kind: str  # "tag", "text" or "sep" (a block boundary: counts as a newline, emits nothing)
    value: str
    name: str = ""
    closing: bool = False
    start: int = 0


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text between tags, for finding entity mentions."""

    start: int
    text: str
    in_link: bool
    section: int


HTML_PIECE = re.compile(
    r"""<(/?)([a-zA-Z][^\t\n\r\f />\x00]*)[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>|[^<]+|<"""
)
"""A tag (closing or not, its attributes' quoted values possibly holding ``>``), a run of text,
or a ``<`` that starts no tag: the pieces of HTML without comments or raw text, such as the
sanitizer's output and what the render stage makes of it."""


def _tokenize(fragment: str) -> tuple[Token, ...]:
    """The tokens of sanitized HTML (what :func:`scholion.text.markup.sanitize` makes: no
    comments, scripts or other raw text; ``<`` in text escaped), as :class:`html.parser.
    HTMLParser` would report them, found by one regular expression: the parser, pure Python
    and called per tag and attribute, was a third of linking (4.4 of 13.3 s at 1,000 articles).
    ``tests/test_text_index.py`` holds the two to the same tokens."""
    tokens: list[Token] = []
    length = 0
    for match in HTML_PIECE.finditer(fragment):
        closing, name = match.group(1, 2)
        if name is None:  # a run of text, its entities decoded (or a "<" starting no tag)
            data = html.unescape(match.group())
            tokens.append(Token("text", data, start=length))
            length += len(data)
            continue
        name = name.lower()
        if closing and name in VOID_TAGS:
            continue
        block = name in BLOCK_TAGS
        if block and not closing:  # a block's start and end count as line breaks
            tokens.append(Token("sep", "\n", start=length))
            length += 1
        if closing:
            tokens.append(Token("tag", f"</{name}>", name, closing=True))
        else:
            tokens.append(Token("tag", match.group(), name))
        if block and closing:
            tokens.append(Token("sep", "\n", start=length))
            length += 1
    return tuple(tokens)


@dataclass(frozen=True)
class TextIndex:
    """An HTML fragment as tokens plus its visible text, ready for quote search and marking.

    The tokens and the search table are derived from ``html``. They are kept while the link
    stage works on the article, then :meth:`release` drops them: a linked corpus of 10,000
    articles would otherwise hold millions of token objects that only the article's own page
    (which derives them again, in a millisecond) ever reads."""

    html: str
    text: str
    _tokens: tuple[Token, ...] | None = field(default=None, repr=False, compare=False)
    _norm: tuple[str, list[int]] | None = field(default=None, repr=False, compare=False)
    _keep: bool = field(default=True, repr=False, compare=False)

    @classmethod
    def from_html(cls, fragment: str) -> TextIndex:
        tokens = _tokenize(fragment)
        # A newline inside text is a soft wrap of the Markdown source, not a line break: only
        # block boundaries ("sep" tokens) stay newlines, where sentence context may stop.
        text = "".join(
            t.value.replace("\n", " ") if t.kind == "text" else t.value
            for t in tokens
            if t.kind != "tag"
        )
        return cls(fragment, text, tokens)

    @property
    def tokens(self) -> tuple[Token, ...]:
        return self._derived("_tokens", lambda: _tokenize(self.html))

    @property
    def normalized(self) -> str:
        return self._search_table()[0]

    def _search_table(self) -> tuple[str, list[int]]:
        """The normalised text and its map back to ``text`` (built on the first search)."""
        return self._derived("_norm", lambda: normalize(self.text))

    def _derived(self, name: str, derive: Callable[[], Any]) -> Any:
        """The kept value of field ``name``, or ``derive()``, kept until :meth:`release`."""
        value = getattr(self, name)
        if value is None:
            value = derive()
            if self._keep:
                object.__setattr__(self, name, value)
        return value

    def release(self) -> None:
        """Stop keeping tokens and search table (see the class): the link stage calls this
        once the article's quotes and mentions are placed."""
        object.__setattr__(self, "_tokens", None)
        object.__setattr__(self, "_norm", None)
        object.__setattr__(self, "_keep", False)

    def find(
        self, quote: str, prefix: str | None = None, suffix: str | None = None
    ) -> list[tuple[int, int]]:
        """Every (start, end) in ``text`` where the quote occurs, filtered by prefix and suffix."""
        needle = normalize_quote(quote)
        if not needle:
            return []
        norm, origin = self._search_table()
        before = normalize_quote(prefix) if prefix else ""
        after = normalize_quote(suffix) if suffix else ""
        found = []
        at = norm.find(needle)
        while at != -1:
            end = at + len(needle)
            if (not before or norm[:at].rstrip().endswith(before)) and (
                not after or norm[end:].lstrip().startswith(after)
            ):
                found.append((origin[at], origin[end - 1] + 1))
            at = norm.find(needle, at + 1)
        return found

    def closest(self, quote: str) -> str:
        """The passage most like ``quote``, in whole words, to show a contributor whose quote did
        not match; empty when no passage is much like it (a wrong article, not a typo)."""
        needle = normalize_quote(quote)
        norm = self.normalized
        if not needle or not norm:
            return ""
        matcher = difflib.SequenceMatcher(None, norm, needle, autojunk=False)
        block = matcher.find_longest_match(0, len(norm), 0, len(needle))
        start = max(0, block.a - block.b)
        start, end = _whole_words(norm, start, min(len(norm), start + len(needle)))
        passage = norm[start:end].strip()
        similar = difflib.SequenceMatcher(None, passage, needle, autojunk=False).ratio()
        return passage if similar >= CLOSEST_SIMILARITY else ""

    def context(self, start: int, end: int, limit: int = 240) -> tuple[str, str, str]:
        """The sentence around a range: (before, the range itself, after), whitespace collapsed.

        ``before`` keeps a trailing space and ``after`` a leading one where the text has one, so
        a template joins the three as they are ("…troops." and "troops ." differ)."""
        text = self.text
        left = _sentence_start(text, start, limit)
        right = _sentence_stop(text, end, limit)
        if right < len(text) and text[right] in ".!?":
            right += 1
        return (
            _collapse(text[left:start]).lstrip(),
            _collapse(text[start:end]),
            _collapse(text[end:right]).rstrip(),
        )

    def segments(self) -> Iterator[Segment]:
        """Text runs with whether they sit inside a link and which section (heading) they follow."""
        in_link = 0
        section = 0
        for token in self.tokens:
            if token.kind == "tag":
                if token.name == "a":
                    in_link += -1 if token.closing else 1
                elif token.name in HEADING_TAGS and not token.closing:
                    section += 1
            elif token.kind == "text":
                yield Segment(token.start, token.value, in_link > 0, section)


def _whole_words(text: str, start: int, end: int, reach: int = 30) -> tuple[int, int]:
    """Widen ``start:end`` so it does not cut a word (by at most ``reach`` characters a side)."""
    floor, ceiling = max(0, start - reach), min(len(text), end + reach)
    while start > floor and not text[start - 1].isspace():
        start -= 1
    while end < ceiling and not text[end].isspace():
        end += 1
    return start, end


def _sentence_start(text: str, start: int, limit: int) -> int:
    """Where the sentence holding ``start`` begins: just after the last line break or ". "
    (or "! ", "? ") before it, looking back at most ``limit`` characters."""
    floor = max(0, start - limit)
    found = text.rfind("\n", floor, start)
    for stop in (". ", "! ", "? "):
        at = text.rfind(stop, max(floor - 1, 0), start)
        if at != -1:
            found = max(found, at + 1)
    return found + 1 if found != -1 else floor


_SENTENCE_END = re.compile(r"\n|[.!?](?=\s|\Z)")


def _sentence_stop(text: str, end: int, limit: int) -> int:
    """Where the sentence holding ``end`` stops: the first line break, or ".", "!" or "?"
    followed by a space or the end, looking ahead at most ``limit`` characters."""
    ceiling = min(len(text), end + limit)
    # One character past the ceiling stays visible, so a stop just before it sees what follows.
    found = _SENTENCE_END.search(text, end, min(len(text), ceiling + 1))
    return found.start() if found and found.start() < ceiling else ceiling


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text)
