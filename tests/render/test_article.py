"""Cutting an annotated article into passages, each with the annotations whose number it holds."""

from __future__ import annotations

import itertools
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from scholion.render.article import split_blocks
from scholion.render.highlight import LinkSpan, Span, highlight
from scholion.text.index import BLOCK_TAGS, VOID_TAGS, TextIndex
from scholion.text.markup import sanitize
from tests.html_strategies import markup_before_sanitizing


def test_blocks_are_cut_at_the_top_level_only():
    fragment = (
        '\n<p>One <em>two</em></p>\n<h2 id="sec-x">Three</h2>\n'
        "<blockquote>\n<p>Four</p>\n<p>Five</p>\n</blockquote>\n<ul><li>Six</li></ul>"
    )
    assert split_blocks(fragment) == [
        "<p>One <em>two</em></p>\n",
        '<h2 id="sec-x">Three</h2>\n',
        "<blockquote>\n<p>Four</p>\n<p>Five</p>\n</blockquote>\n",
        "<ul><li>Six</li></ul>",
    ]


def test_text_outside_blocks_stays_with_the_block_before_it():
    assert split_blocks("<p>One</p> tail <br> more<hr><p>Two</p>") == [
        "<p>One</p> tail ",
        "<br> more",
        "<hr>",
        "<p>Two</p>",
    ]


def test_attribute_values_and_entities_do_not_move_the_cuts():
    fragment = '<p title="a > b &amp; c">x &lt;p&gt; y</p>\n<p>z</p>'
    assert split_blocks(fragment) == ['<p title="a > b &amp; c">x &lt;p&gt; y</p>\n', "<p>z</p>"]


class _Cuts(HTMLParser):
    """Where each top-level block starts, as :class:`html.parser.HTMLParser` finds them: how
    the cuts were found before the regular expression, kept here as its reference."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.line_starts = [0] + [i + 1 for i, c in enumerate(source) if c == "\n"]
        self.depth = 0
        self.cuts: list[int] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.depth == 0 and tag in BLOCK_TAGS:
            self.cuts.append(self._offset())
        if tag not in VOID_TAGS:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if self.depth == 0 and tag in BLOCK_TAGS:
            self.cuts.append(self._offset())

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_TAGS:
            self.depth = max(0, self.depth - 1)


def _parser_blocks(fragment: str) -> list[str]:
    parser = _Cuts(fragment)
    parser.feed(fragment)
    parser.close()
    cuts = [0, *(c for c in parser.cuts if c > 0), len(fragment)]
    pieces = [fragment[a:b] for a, b in itertools.pairwise(cuts)]
    return [piece for piece in pieces if piece.strip()]


@st.composite
def _highlighted(draw) -> str:
    """A sanitized fragment with annotations marked and mentions linked, as an article page
    shows it."""
    index = TextIndex.from_html(sanitize(draw(markup_before_sanitizing())))
    size = len(index.text)
    ranges = st.tuples(st.integers(0, size), st.integers(0, size)).map(sorted)
    spans = [
        Span(start, end, f"a{n}", "claim", f'<a class="ref" href="#c{n}">{n}</a>')
        for n, (start, end) in enumerate(draw(st.lists(ranges, max_size=4)))
        if start < end
    ]
    links = [
        LinkSpan(start, end, draw(st.sampled_from(["", "x/<p>"])), "mention", f"m-{n}")
        for n, (start, end) in enumerate(draw(st.lists(ranges, max_size=4)))
        if start < end
    ]
    return highlight(index, spans, links)


@settings(max_examples=300)
@given(_highlighted())
def test_blocks_are_cut_where_the_html_parser_finds_them(fragment):
    assert split_blocks(fragment) == _parser_blocks(fragment)
