"""Anchoring: finding quotes in what a reader sees, and marking them in the HTML."""

from __future__ import annotations

import pytest

from scholion.render.highlight import LinkSpan, Span, highlight
from scholion.text.index import TextIndex
from scholion.text.normalize import normalize_quote
from tests.dom import parse


def marked_text(html: str, ann_id: str) -> str:
    """The text of every <mark> belonging to ``ann_id``, joined: what the reader sees marked."""
    doc = parse(html)
    return "".join(m.text for m in doc.all("mark") if ann_id in m.attr("data-ann").split())


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("“Peacekeeping” troops", '"Peacekeeping" troops'),
        ("Russia\u2019s forces", "Russia's forces"),
        ("2019\u20132020 \u2014 a year", "2019-2020 - a year"),
        ("about\u00a0100   troops\n arrived", "about 100 troops arrived"),
        ("peace\u00adkeeping", "peacekeeping"),
        ("wait…", "wait..."),
    ],
)
def test_normalize_quote(typed, normalized):
    assert normalize_quote(typed) == normalized


def test_find_matches_typographic_variants_of_the_text():
    index = TextIndex.from_html("<p>The “peacekeeping” troops — about 100 — arrived.</p>")
    (start, end) = index.find('"peacekeeping" troops - about 100')[0]
    assert index.text[start:end] == "“peacekeeping” troops — about 100"


def test_find_matches_composed_and_decomposed_accents():
    index = TextIndex.from_html("<p>Padrino Lo\u0301pez said so.</p>")  # decomposed ó
    (start, end) = index.find("Padrino L\u00f3pez")[0]
    assert index.text[start:end] == "Padrino Lo\u0301pez"


def test_find_matches_across_inline_markup_and_line_breaks():
    index = TextIndex.from_html(
        '<p>According to <a href="https://example.com">Reuters\non Sunday</a>, the <em>flights</em>'
        " came.</p>"
    )
    (start, end) = index.find("Reuters on Sunday, the flights came")[0]
    assert index.text[start:end] == "Reuters on Sunday, the flights came"


def test_paragraph_boundaries_count_as_whitespace():
    index = TextIndex.from_html("<p>It was routine.</p>\n<p>Then it was not.</p>")
    assert len(index.find("routine. Then")) == 1
    assert index.find("routine.Then") == []


def test_find_returns_every_occurrence_and_prefix_or_suffix_picks_one():
    index = TextIndex.from_html("<p>The visit was routine. It was routine, they said.</p>")
    assert len(index.find("was routine")) == 2
    assert index.find("was routine", prefix="The visit") == [index.find("was routine")[0]]
    assert index.find("was routine", suffix=", they said") == [index.find("was routine")[1]]
    assert index.find("was routine", prefix="Nobody") == []


def test_closest_offers_a_near_miss_in_whole_words():
    index = TextIndex.from_html("<p>Two Russian aircraft landed in Caracas on Saturday.</p>")
    assert index.closest("Two Russian aircraft landed in Karakas") == (
        "Two Russian aircraft landed in Caracas"
    )
    assert index.closest("Three aircraft") == "Russian aircraft"


def test_closest_offers_nothing_for_an_unrelated_quote():
    index = TextIndex.from_html("<p>Two Russian aircraft landed in Caracas on Saturday.</p>")
    assert index.closest("zebra crossing") == ""


def test_context_is_the_sentence_around_a_range_with_its_own_spacing():
    index = TextIndex.from_html(
        "<p>It rained. Two aircraft landed, carrying about 100\n troops. Nobody saw them.</p>"
    )
    (start, end) = index.find("about 100 troops")[0]
    assert index.context(start, end) == (
        "Two aircraft landed, carrying ",
        "about 100 troops",
        ".",
    )
    (start, end) = index.find("aircraft")[0]
    assert index.context(start, end) == ("Two ", "aircraft", " landed, carrying about 100 troops.")


def test_highlight_marks_overlapping_spans_without_breaking_tags():
    index = TextIndex.from_html("<p>Two Russian aircraft landed in Caracas on Saturday.</p>")
    claim = index.find("Two Russian aircraft landed in Caracas")[0]
    note = index.find("landed in Caracas on Saturday")[0]
    html = highlight(
        index,
        [
            Span(*claim, "c-landed", "hl-claim", '<a class="ref" href="#c-landed">1</a>'),
            Span(*note, "n-1", "hl-note", '<a class="ref" href="#n-1">2</a>'),
        ],
    )
    assert parse(html).errors == []
    assert marked_text(html, "c-landed") == "Two Russian aircraft landed in Caracas"
    assert marked_text(html, "n-1") == "landed in Caracas on Saturday"
    both = [m for m in parse(html).all("mark") if "hl-multi" in m.classes]
    assert [m.text for m in both] == ["landed in Caracas"]
    assert parse(html).by_id("hl-c-landed") is not None
    assert parse(html).by_id("hl-n-1") is not None


def test_highlight_across_a_link_and_emphasis_keeps_the_markup_and_defers_the_ref():
    index = TextIndex.from_html(
        '<p>According to <a href="https://example.com">Reuters on Sunday</a>, the flights came '
        "<em>via Syria</em> and stopped.</p>"
    )
    citation = index.find("According to Reuters on Sunday")[0]
    claim = index.find("Reuters on Sunday, the flights came via Syria")[0]
    html = highlight(
        index,
        [
            Span(*citation, "s-1", "hl-citation", '<a class="ref" href="#s-1">1</a>'),
            Span(*claim, "c-1", "hl-claim", '<a class="ref" href="#c-1">2</a>'),
        ],
    )
    doc = parse(html)
    assert doc.errors == []
    assert marked_text(html, "s-1") == "According to Reuters on Sunday"
    assert marked_text(html, "c-1") == "Reuters on Sunday, the flights came via Syria"
    # The original link and emphasis survive, and no link is nested in another.
    (original,) = [a for a in doc.all("a") if a.attr("href") == "https://example.com"]
    assert original.text == "Reuters on Sunday"
    assert original.all("a") == []
    assert doc.one("em").text == "via Syria2"
    assert [a.attr("href") for a in doc.all("a", cls="ref")] == ["#s-1", "#c-1"]


def test_highlight_inserts_mention_links_inside_marks_and_plain_spans_for_unlinked_ones():
    index = TextIndex.from_html("<p>Officials in Caracas met officials in Caracas.</p>")
    first, second = index.find("Caracas")
    quote = index.find("Officials in Caracas met")[0]
    html = highlight(
        index,
        [Span(*quote, "c-1", "hl-claim")],
        [
            LinkSpan(*first, "../../entities/caracas/", "mention", "m-caracas-1"),
            LinkSpan(*second, "", "mention-plain", "m-caracas-2"),
        ],
    )
    doc = parse(html)
    assert doc.errors == []
    link = doc.by_id("m-caracas-1")
    assert (link.tag, link.attr("href"), link.text) == ("a", "../../entities/caracas/", "Caracas")
    assert [m.text for m in link.all("mark")] == ["Caracas"]
    plain = doc.by_id("m-caracas-2")
    assert (plain.tag, plain.text) == ("span", "Caracas")
    assert marked_text(html, "c-1") == "Officials in Caracas met"


def test_a_mention_that_would_cross_a_tag_is_left_out():
    index = TextIndex.from_html("<p>Padrino <em>López</em> spoke.</p>")
    start, end = index.find("Padrino López")[0]
    html = highlight(index, [], [LinkSpan(start, end, "x/", "mention", "m-1")])
    assert html == "<p>Padrino <em>López</em> spoke.</p>"
