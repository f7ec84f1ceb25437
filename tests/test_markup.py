"""Markdown to safe HTML: the one path every contributor-written text takes to a page."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scholion.text import markup
from scholion.text.markup import render_inline, render_markdown, slugify_heading


def test_headings_are_demoted_under_the_page_title_and_get_prefixed_ids():
    html = render_markdown("# Background\n\n## Войска в Каракасе\n", demote_headings=True)
    assert html == (
        '<h2 id="sec-background">Background</h2>\n'
        '<h2 id="sec-войска-в-каракасе">Войска в Каракасе</h2>'
    )


def test_heading_slug_never_collides_with_annotation_ids():
    assert slugify_heading("c-aircraft-landed", "-") == "sec-c-aircraft-landed"
    assert slugify_heading("!!!", "-") == "sec-section"


def test_links_are_kept_with_safe_rel_and_unknown_schemes_dropped():
    html = render_markdown("[a](https://example.com) [b](../about/) [c](ftp://example.com/x)")
    assert html == (
        '<p><a href="https://example.com" rel="noopener noreferrer nofollow">a</a> '
        '<a href="../about/" rel="noopener noreferrer nofollow">b</a> '
        '<a rel="noopener noreferrer nofollow">c</a></p>'
    )


def test_render_inline_drops_a_single_wrapping_paragraph():
    assert render_inline("Flight data show **two** aircraft.") == (
        "Flight data show <strong>two</strong> aircraft."
    )
    assert render_inline("One.\n\nTwo.") == "<p>One.</p>\n<p>Two.</p>"


TRICKY = "aZé я1 .,;:'\"?!()/%$@^-+*_#>|`~[]{}<>&=\\\t\n\u00a0\u2028\x02"


@settings(max_examples=1500, deadline=None)
@given(
    st.text(alphabet=TRICKY, max_size=24)
    | st.from_regex(r"[A-Za-zé][a-zé 0-9.,;'\"?()/%$@^-]{0,30}", fullmatch=True)
)
def test_a_plain_paragraph_is_what_python_markdown_makes_of_it(text):
    if markup.plain_paragraph(text):
        assert markup._convert(text, False) == markup._converter().convert(text)


def test_plain_paragraphs_skip_python_markdown_and_nothing_else_does():
    assert markup.plain_paragraph("Russian aircraft landed in Caracas on 23 March 2019.")
    assert markup.plain_paragraph("Два самолёта приземлились (по данным «Известий»).")
    for text in ("1. First", "- item", "a *b*", "a: b", "a\nb", " a", "a  ", "a & b", "Ab|c"):
        assert not markup.plain_paragraph(text), text
