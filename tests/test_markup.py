"""Markdown to safe HTML: the one path every contributor-written text takes to a page."""

from __future__ import annotations

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
