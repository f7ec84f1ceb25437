"""Highlighting anchored ranges in an article's HTML: ``<mark>`` around each text piece of a
range separately, so a quote that crosses a link, emphasis, a line break or another quote never
produces broken or overlapping tags; a mention's link wraps its words when they sit in one run
of text outside the article's own links.
"""

from __future__ import annotations

import bisect
import html
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from scholion.text.index import TextIndex, Token


@dataclass(frozen=True, slots=True)
class Span:
    """A highlighted range; ``ref_html`` is the link to its annotation, placed after it;
    ``former`` an old id of the annotation, kept as an alias of ``hl-<ann_id>``."""

    start: int
    end: int
    ann_id: str
    classes: str
    ref_html: str = ""
    former: str = ""


@dataclass(frozen=True, slots=True)
class LinkSpan:
    """A range to wrap in a link, or in a plain ``<span>`` when there is no ``href`` (an entity
    mention with an id to deep-link to). Never crosses a tag. ``former``, an old id, is kept
    as an alias just before it."""

    start: int
    end: int
    href: str = ""
    classes: str = ""
    id: str = ""
    former: str = ""

    def open_tag(self) -> str:
        attrs = [f'id="{html.escape(self.id)}"'] if self.id else []
        if self.href:
            attrs.append(f'href="{html.escape(self.href)}"')
        if self.classes:
            attrs.append(f'class="{html.escape(self.classes)}"')
        tag = "a" if self.href else "span"
        alias = former_id(self.former, self.id) if self.former else ""
        return alias + (f"<{tag} {' '.join(attrs)}>" if attrs else f"<{tag}>")

    def close_tag(self) -> str:
        return "</a>" if self.href else "</span>"


def former_id(old: str, current: str) -> str:
    """An empty element that carries an old id, so a link made with it still lands (beside what
    it named), and says which id replaced it, for the script to move the link's target there."""
    return (
        f'<span class="former-id" id="{html.escape(old)}" data-id="{html.escape(current)}"></span>'
    )


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
        for s in fresh:
            out.append(f'<span class="hl-start" id="hl-{s.ann_id}"></span>')
            if s.former:
                out.append(former_id(f"hl-{s.former}", f"hl-{s.ann_id}"))
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
