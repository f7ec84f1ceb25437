"""The annotated text of an article, cut into passages that carry their own sidenotes.

The text is highlighted once (:func:`scholion.text.index.highlight`), then cut at its top-level
blocks (paragraphs, headings, quotations, lists). Each passage carries the annotations whose
reference link it contains, so a stylesheet can set them in the margin beside it on a wide
screen and open them inline below it on a narrow one, without JavaScript and without moving any
text: the passage and its notes share a grid row.
"""

from __future__ import annotations

import html
import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from scholion.i18n import N_
from scholion.link.anchors import digest, distinct, former_ids

# template views
from scholion.link.changes import CHANGE_KINDS as CHANGE_KINDS
from scholion.link.changes import claim_corrections as claim_corrections
from scholion.link.changes import claim_history as claim_history
from scholion.link.changes import commit_url as commit_url
from scholion.link.changes import note_edits as note_edits
from scholion.model import Annotation, Article, Claim, Corpus, Note, Source
from scholion.render.highlight import LinkSpan, Span, highlight
from scholion.text.index import BLOCK_TAGS, HTML_PIECE, VOID_TAGS

KIND_LABELS = {
    "claim": N_("Claim %(number)s"),
    "note": N_("Note %(number)s"),
    "citation": N_("Source %(number)s"),
}
"""Message ids of each annotation's label; translated with the page's ``gettext``."""
_REF_ID = re.compile(r'\bid="ref-([^"]+)"')


@dataclass(frozen=True, slots=True)
class Card:
    """One annotation as a reader meets it, with its neighbours in reading order."""

    ann: Annotation
    label: str  # "Claim 3"
    claim: Claim | None
    note: Note | None
    source: Source | None
    previous: Annotation | None
    next: Annotation | None

    @property
    def layer(self) -> str:
        """The layer a reader switches it with: ``claim``, ``citation`` or ``note-<kind>``."""
        return f"note-{self.note.kind}" if self.note else self.ann.kind


@dataclass(frozen=True, slots=True)
class Passage:
    """A top-level block of the text and the cards it anchors; ``id`` for deep links (the hash
    of its words, so a passage added above leaves it alone), ``former`` the positional id of
    earlier versions kept as an alias ("" when none)."""

    id: str
    html: str
    cards: tuple[Card, ...]
    former: str = ""


@dataclass(frozen=True, slots=True)
class Layer:
    """What a reader can show or hide in the text: ``id`` (``claim``, ``note-<kind>``,
    ``citation``, ``mention-<entity type>``), its name in the legend, how many it holds, and
    ``key``, the classes of its sample in the legend after ``key-``: the kind whose marks it
    uses (``claim``, ``note``, ``citation``, or ``mention`` with the type's colour)."""

    id: str
    label: str
    count: int
    key: str


@dataclass(frozen=True, slots=True)
class Group:
    """Consecutive passages that share one stretch of the margin: enough text beside their
    cards for the cards to fit there, one line each, without making the text any taller."""

    passages: tuple[Passage, ...]

    @property
    def cards(self) -> tuple[Card, ...]:
        return tuple(card for passage in self.passages for card in passage.cards)


@dataclass(frozen=True, slots=True)
class Reading:
    """An article page's text and annotations, in reading order."""

    passages: tuple[Passage, ...]
    cards: tuple[Card, ...]
    whole_notes: tuple[Note, ...]
    layers: tuple[Layer, ...]

    @property
    def groups(self) -> tuple[Group, ...]:
        return group_passages(self.passages)

    @property
    def names_linked(self) -> bool:
        """Whether the text has names linked to their entity (the legend then says how their
        types are told apart)."""
        return any(layer.id.startswith("mention-") for layer in self.layers)

    @property
    def contents(self) -> tuple[tuple[str, str], ...]:
        """The text's headings as (passage id, words), for a contents list: empty unless the
        article has at least :data:`MIN_CONTENTS` of them."""
        found = []
        for passage in self.passages:
            heading = _HEADING.match(passage.html)
            if heading:
                found.append((passage.id, visible_text(heading.group(1))))
        return tuple(found) if len(found) >= MIN_CONTENTS else ()


def reading(
    corpus: Corpus, article: Article, root: str, gettext: Callable[[str], str] = str
) -> Reading:
    """The article's passages with their sidenotes; ``root`` is the page's path to the site,
    ``gettext`` translates the labels into the interface language."""
    cards = _cards(corpus, article, gettext)
    by_anchor = {card.ann.anchor: card for card in cards}
    blocks = split_blocks(annotated_body(corpus, article, root, gettext))
    ids = distinct(f"p-{digest(visible_text(block))}" for block in blocks)
    formers = former_ids(ids, [f"p-{number}" for number in range(1, len(blocks) + 1)])
    passages = tuple(
        Passage(
            id, block, tuple(by_anchor[a] for a in _REF_ID.findall(block) if a in by_anchor), former
        )
        for id, block, former in zip(ids, blocks, formers, strict=True)
    )
    whole = tuple(n for n in corpus.notes.get(article.slug, ()) if not n.quoted)
    return Reading(passages, cards, whole, _layers(corpus, article, cards, gettext))


def _layers(
    corpus: Corpus, article: Article, cards: tuple[Card, ...], gettext: Callable[[str], str]
) -> tuple[Layer, ...]:
    """The article's layers with something in them: claims, each kind of note (in the order
    of ``note_kinds``), cited sources, then the names that link to their entity's page, by
    entity type (in the order of ``entity_types``)."""
    counts = Counter(card.layer for card in cards)
    config = corpus.config
    layers = [Layer("claim", gettext("Claims"), counts["claim"], "claim")]
    layers += [
        Layer(
            f"note-{kind.id}",
            gettext("Notes: %(kind)s") % {"kind": kind.label},
            counts[f"note-{kind.id}"],
            "note",
        )
        for kind in config.note_kinds
    ]
    layers.append(Layer("citation", gettext("Cited sources"), counts["citation"], "citation"))
    types = Counter(
        corpus.entities[m.entity].type for m in corpus.mentions.get(article.slug, ()) if m.linked
    )
    layers += [
        Layer(
            f"mention-{kind.id}",
            kind.plural,
            types[kind.id],
            f"mention mention-colour-{entity_colour(corpus, kind.id)}",
        )
        for kind in config.entity_types
    ]
    return tuple(layer for layer in layers if layer.count)


def annotated_body(
    corpus: Corpus, article: Article, root: str, gettext: Callable[[str], str] = str
) -> str:
    """The article's HTML with every annotation marked and linked mentions as links."""
    spans = [_span(corpus, ann, gettext) for ann in corpus.annotations.get(article.slug, ())]
    links = [
        LinkSpan(
            m.start,
            m.end,
            f"{root}entities/{m.entity}/" if m.linked else "",
            mention_classes(corpus, m.entity) if m.linked else "mention-plain",
            m.anchor,
            m.former,
        )
        for m in corpus.mentions.get(article.slug, ())
    ]
    return highlight(article.index, spans, links)


ENTITY_COLOURS = 6
"""How many colours the theme has for entity types (``mention-colour-0`` to ``-5``), each with
a shape of its own (a second cue, for readers who do not tell the colours apart); types past
that many share them, told apart by the legend's names."""


def entity_colour(corpus: Corpus, type_id: str) -> int:
    """The colour of an entity type: its place in ``entity_types``, cycling."""
    ids = [t.id for t in corpus.config.entity_types]
    return ids.index(type_id) % ENTITY_COLOURS


def mention_classes(corpus: Corpus, entity_id: str) -> str:
    """A linked mention's classes: its layer (``mention-type-<type>``) and its type's colour."""
    kind = corpus.entities[entity_id].type
    return f"mention mention-type-{kind} mention-colour-{entity_colour(corpus, kind)}"


def headlines_naming(corpus: Corpus, entity_id: str) -> tuple[Article, ...]:
    """The articles whose headline names the entity, newest first."""
    slugs = corpus.articles_by_entity.get(entity_id, ())
    return tuple(
        a for a in map(corpus.articles.__getitem__, slugs) if entity_id in a.title_entities
    )


def claim_articles(corpus: Corpus, claim_id: str) -> tuple[Article, ...]:
    """The articles a claim appears in, earliest first, each once."""
    slugs = dict.fromkeys(a.article for a in corpus.appearances.get(claim_id, ()))
    return tuple(corpus.articles[slug] for slug in slugs)


def rating_classes(corpus: Corpus, ann: Annotation) -> str:
    """`` rating-<id>`` for a claim (plus `` rating-noverdict``), so its highlight and reference
    link can show the rating by shape; empty for notes and citations."""
    if ann.kind != "claim":
        return ""
    term = corpus.config.rating(corpus.claims[ann.target].rating)
    return f" rating-{term.id}" + ("" if term.verdict else " rating-noverdict")


def card_label(ann: Annotation, gettext: Callable[[str], str] = str) -> str:
    """ "Claim 3", "Note 4", "Source 5" in the interface language."""
    return gettext(KIND_LABELS[ann.kind]) % {"number": ann.number}


def annotation_label(corpus: Corpus, ann: Annotation, gettext: Callable[[str], str] = str) -> str:
    """What the reference link says to a screen reader and in its tooltip."""
    label = card_label(ann, gettext)
    if ann.kind == "claim":
        rating = corpus.config.rating(corpus.claims[ann.target].rating).label
        label = gettext("%(label)s, rated %(rating)s") % {"label": label, "rating": rating}
    return label


def _span(corpus: Corpus, ann: Annotation, gettext: Callable[[str], str]) -> Span:
    label = html.escape(annotation_label(corpus, ann, gettext))
    rating = rating_classes(corpus, ann)
    ref = (
        f'<a class="ref ref-{ann.kind}{rating}" id="ref-{ann.anchor}" href="#{ann.anchor}" '
        f'title="{label}" data-pagefind-ignore><span class="visually-hidden">{label}</span>'
        f'<span aria-hidden="true">{ann.number}</span></a>'
    )
    return Span(ann.start, ann.end, ann.anchor, f"hl-{ann.kind}{rating}", ref, ann.former)


def _cards(corpus: Corpus, article: Article, gettext: Callable[[str], str]) -> tuple[Card, ...]:
    anns = corpus.annotations.get(article.slug, ())
    notes = {n.anchor: n for n in corpus.notes.get(article.slug, ())}
    return tuple(
        Card(
            ann=ann,
            label=card_label(ann, gettext),
            claim=corpus.claims[ann.target] if ann.kind == "claim" else None,
            note=notes.get(ann.anchor) if ann.kind == "note" else None,
            source=corpus.sources[ann.target] if ann.kind == "citation" else None,
            previous=anns[i - 1] if i > 0 else None,
            next=anns[i + 1] if i + 1 < len(anns) else None,
        )
        for i, ann in enumerate(anns)
    )


CHARACTERS_PER_LINE = 75
"""About how many characters a line of the text column holds at its widest (``--measure``)."""
LINES_PER_CARD = 0.75
"""About how many lines of text a card folded to one line takes in the margin, with its gap."""
MIN_CONTENTS = 3
"""Headings an article needs before its page lists them above the text."""
_HEADING = re.compile(r"\s*<h[2-4][^>]*>(.*?)</h[2-4]>", re.S)
_REF = re.compile(r'<a class="ref\b.*?</a>', re.S)
_TAG = re.compile(r"<[^>]*>")


def visible_text(fragment: str) -> str:
    """The words of a piece of the annotated text as a reader sees them, without the numbers
    of its annotations, whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub("", _REF.sub("", fragment))).split())


def text_lines(block: str) -> int:
    """About how many lines a passage takes in the text column, counting one for its margin."""
    return 1 + -(-len(visible_text(block)) // CHARACTERS_PER_LINE)


def group_passages(passages: tuple[Passage, ...]) -> tuple[Group, ...]:
    """Passages gathered, in order, until their text is about as tall as their cards folded
    to a line each, so that a short passage with many notes lends them the margin of the
    passages after it rather than pushing them down."""
    groups: list[Group] = []
    current: list[Passage] = []
    lines = 0
    for passage in passages:
        current.append(passage)
        lines += text_lines(passage.html)
        cards = sum(len(p.cards) for p in current)
        if lines >= cards * LINES_PER_CARD:
            groups.append(Group(tuple(current)))
            current, lines = [], 0
    if current:
        groups.append(Group(tuple(current)))
    return tuple(groups)


def split_blocks(fragment: str) -> list[str]:
    """The fragment cut before each top-level block; text between blocks stays with the block
    before it. Joining the pieces gives back the fragment, less any blank text before the first
    block. The fragment is the highlighted article (sanitized HTML and the render stage's own
    tags), so one regular expression finds its tags as :class:`html.parser.HTMLParser` would, a
    fifth of the time: the parser took a fifth of an article page's render
    (``tests/render/test_article.py`` holds the two to the same cuts)."""
    cuts = [0]
    depth = 0
    for match in HTML_PIECE.finditer(fragment):
        closing, name = match.group(1, 2)
        if name is None:  # text
            continue
        name = name.lower()
        if name in VOID_TAGS:
            if not closing and depth == 0 and name in BLOCK_TAGS and match.start():
                cuts.append(match.start())
        elif closing:
            depth = max(0, depth - 1)
        else:
            if depth == 0 and name in BLOCK_TAGS and match.start():
                cuts.append(match.start())
            if not match.group().endswith("/>"):
                depth += 1
    cuts.append(len(fragment))
    pieces = [fragment[a:b] for a, b in itertools.pairwise(cuts)]
    return [piece for piece in pieces if piece.strip()]
