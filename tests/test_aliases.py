"""Mentions by alias: the Aho-Corasick matcher finds exactly what one regular expression would."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from scholion.link.aliases import AliasMatcher
from scholion.model import Entity


def entity(entity_id: str, name: str, *aliases: str) -> Entity:
    return Entity(entity_id, "person", name, aliases, "", "", ())


def by_regex(entities: list[Entity], text: str) -> list[tuple[int, int, str]]:
    """The reference: whole words, longest alternative first, scanned left to right."""
    owner: dict[str, str] = {}
    for e in entities:
        for name in (e.name, *e.aliases):
            owner.setdefault(name, e.id)
    names = sorted(owner, key=lambda n: (-len(n), n))
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, names))})(?!\w)")
    return [(m.start(), m.end(), owner[m.group()]) for m in pattern.finditer(text)]


def test_longest_whole_name_wins_and_falls_back_when_it_is_not_whole():
    entities = [
        entity("ny", "New York"),
        entity("nyt", "New York Times", "NYT"),
        entity("il-62", "Il-62", "Ил-62"),
    ]
    text = "The New York Times, the New York Timesy, NYTs, Ил-62 and Il-620 in New York."
    found = list(AliasMatcher(entities).find(text))
    assert [(text[a:b], e) for a, b, e in found] == [
        ("New York Times", "nyt"),
        ("New York", "ny"),
        ("Ил-62", "il-62"),
        ("New York", "ny"),
    ]


def test_a_name_shared_by_two_entities_belongs_to_the_first():
    found = AliasMatcher([entity("a", "Alpha", "AB"), entity("b", "Beta", "AB")]).find("AB")
    assert list(found) == [(0, 2, "a")]


def test_no_entities_no_mentions():
    assert list(AliasMatcher([]).find("Anything at all")) == []


names = st.text(alphabet="ab _-Жé", min_size=1, max_size=5)


@given(
    st.lists(st.lists(names, min_size=1, max_size=3), min_size=1, max_size=5),
    st.text("ab _-Жé.", max_size=40),
)
def test_same_mentions_as_the_regular_expression(name_lists, text):
    entities = [entity(f"e{i}", *names) for i, names in enumerate(name_lists)]
    assert list(AliasMatcher(entities).find(text)) == by_regex(entities, text)
