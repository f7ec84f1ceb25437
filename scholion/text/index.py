"""Stage 3, anchor: find each annotation's quote in an article, and mark it in the HTML.

Quotes are matched against the text a reader sees (the rendered, sanitized HTML), after the same
normalisation on both sides: Unicode canonical decomposition, typographic quotes and dashes made
plain, invisible characters dropped and whitespace collapsed. A contributor copying a passage
from a browser therefore matches whatever the Markdown source looks like.

Highlighting inserts ``<mark>`` around each text piece separately, so a quote that crosses a
link, emphasis, a line break or another quote never produces broken or overlapping tags.
"""

from __future__ import annotations

import bisect
import difflib
import html
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

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


@dataclass(frozen=True, slots=True)
class Token:
    """A piece of HTML: a tag (kept verbatim) or text (``start`` is its offset in the text)."""

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


@dataclass(frozen=True, slots=True)
class Span:
    """A highlighted range; ``ref_html`` is the link to its annotation, placed after it."""

    start: int
    end: int
    ann_id: str
    classes: str
    ref_html: str = ""


@dataclass(frozen=True, slots=True)
class LinkSpan:
    """A range to wrap in a link, or in a plain ``<span>`` when there is no ``href`` (an entity
    mention with an id to deep-link to). Never crosses a tag."""

    start: int
    end: int
    href: str = ""
    classes: str = ""
    id: str = ""

    def open_tag(self) -> str:
        attrs = [f'id="{html.escape(self.id)}"'] if self.id else []
        if self.href:
            attrs.append(f'href="{html.escape(self.href)}"')
        if self.classes:
            attrs.append(f'class="{html.escape(self.classes)}"')
        tag = "a" if self.href else "span"
        return f"<{tag} {' '.join(attrs)}>" if attrs else f"<{tag}>"

    def close_tag(self) -> str:
        return "</a>" if self.href else "</span>"


def _tokenize(fragment: str) -> tuple[Token, ...]:
    parser = _Tokenizer()
    parser.feed(fragment)
    parser.close()
    return tuple(parser.tokens)


class _Tokenizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []
        self.length = 0

    def _sep(self) -> None:
        self.tokens.append(Token("sep", "\n", start=self.length))
        self.length += 1

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in BLOCK_TAGS:
            self._sep()
        self.tokens.append(Token("tag", self.get_starttag_text() or f"<{tag}>", tag))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        self.tokens.append(Token("tag", f"</{tag}>", tag, closing=True))
        if tag in BLOCK_TAGS:
            self._sep()

    def handle_data(self, data: str) -> None:
        if data:
            self.tokens.append(Token("text", data, start=self.length))
            self.length += len(data)


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


def highlight(index: TextIndex, spans: Sequence[Span], links: Sequence[LinkSpan] = ()) -> str:
    """The HTML with every span marked and followed by its reference link, and links inserted.

    A reference link that would land inside another link (the article's own or a mention) waits
    until that link closes, since links cannot nest.
    """
    tokens = index.tokens
    links = _within_one_text(tokens, links)
    cuts = sorted(
        {p for s in spans for p in (s.start, s.end)}
        | {p for link in links for p in (link.start, link.end)}
    )
    link_at = {link.start: link for link in links}
    out: list[str] = []
    state = _HighlightState()
    for token in tokens:
        if token.kind == "tag":
            out.append(token.value)
            if token.name == "a":
                state.link_depth += -1 if token.closing else 1
                if token.closing:
                    state.flush(out)
            continue
        if token.kind != "text":
            continue
        end = token.start + len(token.value)
        lo = bisect.bisect_right(cuts, token.start)
        hi = bisect.bisect_left(cuts, end)
        points = [token.start, *cuts[lo:hi], end]
        for a, b in itertools.pairwise(points):
            if a == b:
                continue
            piece = token.value[a - token.start : b - token.start]
            _emit_piece(out, state, a, b, piece, spans, link_at)
    state.flush(out, force=True)
    return "".join(out)


def _within_one_text(tokens: Sequence[Token], links: Sequence[LinkSpan]) -> list[LinkSpan]:
    """Links that start and end in the same text token (others would break the markup)."""
    starts = [t.start for t in tokens if t.kind == "text"]
    ends = [t.start + len(t.value) for t in tokens if t.kind == "text"]
    kept = []
    for link in links:
        i = bisect.bisect_right(starts, link.start) - 1
        if i >= 0 and link.end <= ends[i] and link.start < link.end:
            kept.append(link)
    return kept


@dataclass
class _HighlightState:
    link_depth: int = 0
    open_link: LinkSpan | None = None
    started: set[str] = field(default_factory=set)
    pending: list[str] = field(default_factory=list)

    def flush(self, out: list[str], force: bool = False) -> None:
        inside_mention_link = self.open_link is not None and self.open_link.href
        if force or (self.link_depth == 0 and not inside_mention_link):
            out.extend(self.pending)
            self.pending.clear()


def _emit_piece(
    out: list[str],
    state: _HighlightState,
    a: int,
    b: int,
    piece: str,
    spans: Sequence[Span],
    link_at: dict[int, LinkSpan],
) -> None:
    link = link_at.get(a)
    if link is not None and state.open_link is None:
        state.open_link = link
        out.append(link.open_tag())
    active = [s for s in spans if s.start <= a and s.end >= b]
    text = html.escape(piece, quote=False)
    if active:
        fresh = [s for s in active if s.ann_id not in state.started]
        state.started.update(s.ann_id for s in fresh)
        out.extend(f'<span class="hl-start" id="hl-{s.ann_id}"></span>' for s in fresh)
        classes = " ".join(dict.fromkeys(c for s in active for c in s.classes.split()))
        if len(active) > 1:
            classes += " hl-multi"
        ids = " ".join(s.ann_id for s in active)
        out.append(f'<mark class="hl {classes}" data-ann="{ids}">{text}</mark>')
    else:
        out.append(text)
    if state.open_link is not None and state.open_link.end == b:
        out.append(state.open_link.close_tag())
        state.open_link = None
    for span in active:
        if span.end == b and span.ref_html:
            state.pending.append(span.ref_html)
    state.flush(out)
