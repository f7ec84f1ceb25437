"""Atom feeds written as text come out exactly as ElementTree writes the same feed: its layout,
its escaping (text, attributes, characters UTF-8 cannot carry) and its empty elements."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from scholion.exports import feeds
from scholion.exports.feeds import ATOM_NS, Entry

TEXT = st.text(
    st.characters() | st.sampled_from(["&", "<", ">", '"', "'", "\t", "\n", "\r", "\ud800"]),
    max_size=12,
)
"""Any text, lone surrogates included (both write them as character references)."""


def element_tree_atom(config: Any, path: str, title: str, entries: list[Entry], page: str) -> bytes:
    """The feed as the engine built it with ElementTree (the oracle)."""
    ET.register_namespace("", ATOM_NS)
    base = config.base_url

    def text(parent: ET.Element, tag: str, value: str) -> None:
        ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}").text = value

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    text(feed, "title", title)
    text(feed, "id", base + path)
    link = f"{{{ATOM_NS}}}link"
    ET.SubElement(feed, link, rel="self", type="application/atom+xml", href=base + path)
    ET.SubElement(feed, link, rel="alternate", type="text/html", href=base + page)
    text(feed, "updated", max((e.updated for e in entries), default=feeds.rfc3339("1970")))
    text(ET.SubElement(feed, f"{{{ATOM_NS}}}author"), "name", config.organization)
    for entry in entries:
        item = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        text(item, "title", entry.title)
        text(item, "id", entry.id)
        ET.SubElement(item, link, rel="alternate", type="text/html", href=entry.url)
        text(item, "updated", entry.updated)
        for name in entry.authors:
            text(ET.SubElement(item, f"{{{ATOM_NS}}}author"), "name", name)
        text(item, "summary", entry.summary)
        if entry.content_html:
            content = ET.SubElement(item, f"{{{ATOM_NS}}}content", type="html")
            content.text = entry.content_html
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


ENTRIES = st.lists(
    st.builds(
        Entry,
        id=TEXT,
        title=TEXT,
        url=TEXT,
        updated=TEXT,
        summary=TEXT,
        authors=st.lists(TEXT, max_size=2).map(tuple),
        content_html=TEXT,
    ),
    max_size=4,
)


@given(base=TEXT, organization=TEXT, path=TEXT, title=TEXT, entries=ENTRIES, page=TEXT)
def test_a_feed_is_what_element_tree_writes(base, organization, path, title, entries, page):
    config = SimpleNamespace(base_url=base, organization=organization)
    corpus: Any = SimpleNamespace(config=config)
    written = feeds.atom(corpus, path, title, entries, page)
    assert written == element_tree_atom(config, path, title, entries, page)
