"""Cutting an annotated article into passages, each with the annotations whose number it holds."""

from __future__ import annotations

from scholion.render.article import split_blocks


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
