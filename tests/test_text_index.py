"""An article's HTML as tokens: the regular expression that finds them reports exactly what
Python's HTML parser reports of any HTML the sanitizer lets through."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from scholion.text.index import BLOCK_TAGS, VOID_TAGS, TextIndex, Token, _tokenize
from scholion.text.markup import render_markdown, sanitize
from tests.html_strategies import markup_before_sanitizing


class _Parsed(HTMLParser):
    """The tokens as :class:`html.parser.HTMLParser` reports them: how they were found before
    the regular expression, kept here as its reference."""

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


def parsed(html: str) -> tuple[Token, ...]:
    parser = _Parsed()
    parser.feed(html)
    parser.close()
    return tuple(parser.tokens)


@settings(max_examples=300)
@given(markup_before_sanitizing())
def test_the_tokens_of_sanitized_html_are_what_the_html_parser_reports(markup):
    html = sanitize(markup)
    assert _tokenize(html) == parsed(html)


@settings(max_examples=150)
@given(
    st.lists(st.sampled_from([*"ab *_#>-`[]()<&!\n ", "&amp;", "http://x.org", "1. "])).map("".join)
)
def test_the_tokens_of_rendered_markdown_are_what_the_html_parser_reports(text):
    html = render_markdown(text, demote_headings=True)
    assert _tokenize(html) == parsed(html)


def test_an_article_s_visible_text_joins_its_text_and_breaks_at_blocks():
    index = TextIndex.from_html(
        '<p>Caracas &amp; <a href="/x" title="a&gt;b">Moscow</a></p><p>Two</p>'
    )
    assert index.text == "\nCaracas & Moscow\n\nTwo\n"
