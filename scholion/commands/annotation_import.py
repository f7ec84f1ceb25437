"""``build.py import-annotations FILE --article SLUG``: annotations made in other tools (or
exported by Scholion) become sidecar claims, notes, citations and mentions, each anchored by
the rules ``check`` applies to hand-written ones.

Anchoring. Quotes are matched on the article's visible text, normalised as ``check`` does
(:meth:`scholion.text.index.TextIndex.find`). A TextPositionSelector counts in that same text
(Scholion's export does; another tool's positions count in its own copy of the page): it is
only a check on the quote. The quote wins: when it anchors once (with its prefix and suffix,
or alone when the other tool's context differs from ours) that is the place, whatever the
position says; when it occurs several times, the position picks the occurrence it names
exactly, else words of the given context do, else the item is rejected. An item with only a
position takes the words at that position. The sidecar entry gets the shortest prefix or suffix
that makes its quote unique, so ``check`` finds exactly the place the import found.

Nothing is dropped silently: every item that cannot be imported is a :class:`Rejected` with its
reason, written to a rejects file in the shape it came in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from markdownify import markdownify

from scholion.commands.annotation_formats import Body, Incoming
from scholion.commands.annotation_map import AnnotationMap, Rule
from scholion.link.mentions import unplaceable_mention
from scholion.load.ids import suggest_id
from scholion.model import Corpus
from scholion.text.index import TextIndex
from scholion.text.normalize import normalize_quote

MAX_QUOTE = 2000
"""The longest quote the sidecar schema accepts (``common.schema.json``)."""
MAX_CONTEXT_WORDS = 12
"""The most words of prefix or suffix tried to tell apart a quote that occurs more than once."""
RELATION_OF_PURPOSE = {"describing": "context", "linking": "origin"}
"""A claim source's relation read back from its body's purpose where only one relation has
that purpose (``exports/webannotation.py``); ``assessing`` needs ``scholion:relation``."""
CLAIM_ID_LENGTH = 48
"""The longest id made for a claim from its words (a URL people read; the schema allows 100)."""
SECTIONS = {"claim": "claims", "note": "notes", "citation": "citations", "mention": "mentions"}


@dataclass(frozen=True)
class Entry:
    """One item for the sidecar: its list (``claims``…) and fields, in the schema's order."""

    section: str
    fields: dict[str, Any]
    ref: str


@dataclass(frozen=True)
class Rejected:
    item: Incoming
    reason: str


@dataclass
class Outcome:
    """What an import did: the entries to add, the items already there, the rejected ones,
    and notices about items imported otherwise than they came (a widened span)."""

    added: list[Entry] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


class _Reject(Exception):
    """An item cannot be imported, for this reason."""


def plan_import(
    corpus: Corpus, slug: str, items: Iterable[Incoming], amap: AnnotationMap, sidecar: dict
) -> Outcome:
    """Each item mapped, anchored and checked against ``sidecar`` (what is there already)."""
    state = _State(corpus, slug, amap, sidecar)
    outcome = Outcome()
    for item in items:
        try:
            if item.problem:
                raise _Reject(item.problem)
            entry = state.entry(item)
        except _Reject as exc:
            outcome.rejected.append(Rejected(item, str(exc)))
            continue
        if entry is None:
            outcome.already.append(item.ref)
            continue
        outcome.added.append(entry)
        if entry.section == "mentions" and _comment(item):
            outcome.notices.append(f"{item.ref}: a mention has no text: its comment is not kept")
        if item.widened:
            outcome.notices.append(
                f"{item.ref}: a discontinuous span, imported as the passage from its first "
                f'fragment to its last: "{entry.fields["quote"]}"'
            )
    return outcome


class _State:
    """The corpus, the sidecar as it stands and what this import added so far."""

    def __init__(self, corpus: Corpus, slug: str, amap: AnnotationMap, sidecar: dict) -> None:
        self.corpus, self.slug, self.amap = corpus, slug, amap
        self.index: TextIndex = corpus.articles[slug].index
        self.seen: set[tuple] = set()
        self.claim_ids = set(corpus.claims)
        for section, items in sidecar.items():
            for item in items or () if isinstance(items, list) else ():
                if isinstance(item, dict):
                    self.seen.update(self._keys(section, item))
                    if section == "claims" and isinstance(item.get("id"), str):
                        self.claim_ids.add(item["id"])
        for mention in corpus.mentions.get(slug, ()):
            self.seen.add(("mentions", mention.start, mention.end, mention.entity))
        self.names = _names(corpus)

    def _keys(self, section: str, item: dict) -> list[tuple]:
        quote = item.get("quote")
        found = self.index.find(quote, item.get("prefix"), item.get("suffix")) if quote else []
        where = found[0] if len(found) == 1 else (None, None)
        return [(section, *where, what) for what in _identities(section, item)]

    def entry(self, item: Incoming) -> Entry | None:
        """The sidecar entry for ``item`` (None: the sidecar has it already)."""
        self._check_target(item)
        kind, fields = self._decide(item)
        where = self._anchor(item)
        if where is None:
            if kind in ("claim", "citation"):
                raise _Reject(f"a {kind} needs a quote: the annotation selects no text")
            if kind == "mention" and not fields["entity"]:
                raise _Reject(
                    "a mention of the entity its words name needs words: the annotation "
                    "selects no text"
                )
            anchor: dict[str, str] = {}
            start = end = None
        else:
            start, end = where
            anchor = self._selector(start, end)
            if kind == "mention":
                fields = self._mention_entity(fields, anchor["quote"], start, end)
        section = SECTIONS[kind]
        entry = _ordered(section, {**fields, **anchor})
        keys = {(section, start, end, what) for what in _identities(section, entry)}
        if keys & self.seen:
            return None
        self.seen |= keys
        if section == "claims" and "id" in entry:
            self.claim_ids.add(entry["id"])
        return Entry(section, entry, item.ref)

    def _check_target(self, item: Incoming) -> None:
        """An annotation of another Scholion article page is not one of this article's."""
        path = urlsplit(item.source).path if item.source else ""
        found = re.search(r"/articles/([a-z0-9-]+)/?$", path)
        if found and found.group(1) != self.slug:
            raise _Reject(
                f"it annotates article `{found.group(1)}`, not `{self.slug}`: "
                f"import it with --article {found.group(1)}"
            )

    # What it becomes

    def _decide(self, item: Incoming) -> tuple[str, dict[str, Any]]:
        ruled = self.amap.rule_for(item.labels)
        if ruled:
            return self._ruled(item, *ruled)
        links = _links(item.bodies)
        if "claims" in links:
            return self._scholion_claim(item, links["claims"][0], links)
        if "sources" in links and "linking" in item.motivations:
            source = links["sources"][0][0]
            self._known(source, self.corpus.sources, "source")
            return "citation", {"source": source}
        text = _comment(item)
        if text:
            return "note", {"kind": self._note_kind(item), "text": text}
        types = {t.id.casefold() for t in self.corpus.config.entity_types} | {
            t.label.casefold() for t in self.corpus.config.entity_types
        }
        typed = next((label for label in item.labels if label.casefold() in types), "")
        if typed:  # a brat or Recogito entity type: the entity its words name
            return "mention", {"entity": ""}
        entity = links.get("entities", [("", "")])[0][0] or next(
            (label for label in item.labels if label in self.corpus.entities), ""
        )
        if entity:
            self._known(entity, self.corpus.entities, "entity")
            return "mention", {"entity": entity}
        labels = ", ".join(item.labels) or "none"
        raise _Reject(
            "nothing says what it becomes: it has no comment, no claim or source link, and "
            f"no label with a rule (labels: {labels}); add a rule under `labels:` in --map"
        )

    def _ruled(self, item: Incoming, label: str, rule: Rule) -> tuple[str, dict[str, Any]]:
        text = _comment(item)
        if rule.kind == "note":
            if not text:
                raise _Reject(f"`{label}` makes a note, but the annotation has no text")
            return "note", {"kind": rule.value or self.amap.note_kind, "text": text}
        if rule.kind == "mention":
            return "mention", {"entity": rule.value}
        if not text:
            raise _Reject(
                f"`{label}` makes a claim rated `{rule.value}`, but the annotation has no text "
                "to be its explanation"
            )
        quote = _collapse(item.exact or "")
        if not quote:
            raise _Reject("a claim needs a quote: the annotation selects no text")
        statement = quote[:1].upper() + quote[1:] + ("" if quote[-1:] in ".!?" else ".")
        return "claim", {
            "id": self._new_claim_id(statement),
            "statement": statement,
            "rating": rule.value,
            "explanation": text,
        }

    def _scholion_claim(
        self, item: Incoming, claim: tuple[str, Body], links: dict[str, list[tuple[str, Body]]]
    ) -> tuple[str, dict[str, Any]]:
        """A claim appearance from Scholion's export: one more appearance of a claim the
        corpus (or this import) defines, or the definition rebuilt from its bodies."""
        claim_id = claim[0]
        if claim_id in self.claim_ids:
            return "claim", {"claim": claim_id}
        texts = {(b.purpose, b.format or "text/plain"): b.value for b in item.bodies if b.value}
        statement = texts.get(("describing", "text/plain"), "")
        label = texts.get(("assessing", "text/plain"), "")
        explanation = _markdown(
            Body(value=texts.get(("assessing", "text/html"), ""), format="text/html")
        )
        rating = next(
            (
                r.id
                for r in self.corpus.config.ratings
                if label.casefold() in (r.id.casefold(), r.label.casefold())
            ),
            "",
        )
        if not (statement and rating and explanation):
            missing = [
                name
                for name, value in (
                    ("statement", statement),
                    (f"rating (no rating is called “{label}”)" if label else "rating", rating),
                    ("explanation", explanation),
                )
                if not value
            ]
            raise _Reject(
                f"claim `{claim_id}` is not defined in this corpus and the annotation does not "
                f"carry its {', '.join(missing)}"
            )
        sources = []
        for source, body in links.get("sources", []):
            self._known(source, self.corpus.sources, "source")
            relation = body.relation or RELATION_OF_PURPOSE.get(body.purpose, "")
            if relation not in ("supports", "refutes", "context", "origin"):
                raise _Reject(
                    f"claim `{claim_id}`: the annotation does not say how source `{source}` "
                    "bears on it (supports or refutes)"
                )
            sources.append({"source": source, "relation": relation})
        self.claim_ids.add(claim_id)
        fields: dict[str, Any] = {
            "id": claim_id,
            "statement": statement,
            "rating": rating,
            "explanation": explanation,
        }
        if sources:
            fields["sources"] = sources
        return "claim", fields

    def _note_kind(self, item: Incoming) -> str:
        """A classifying label naming a note kind (by id or label), else the default kind."""
        for label in item.labels:
            for kind in self.corpus.config.note_kinds:
                if label.casefold() in (kind.id.casefold(), kind.label.casefold()):
                    return kind.id
        return self.amap.note_kind

    def _new_claim_id(self, statement: str) -> str:
        base = suggest_id(statement)
        if len(base) > CLAIM_ID_LENGTH:  # whole words, as a person would shorten it
            base = base[: CLAIM_ID_LENGTH + 1].rsplit("-", 1)[0]
        claim_id, number = base, 1
        while claim_id in self.claim_ids:
            number += 1
            claim_id = f"{base}-{number}"
        return claim_id

    def _known(self, record: str, records: Any, what: str) -> None:
        if record not in records:
            raise _Reject(f"no {what} `{record}` in this corpus")

    def _mention_entity(
        self, fields: dict[str, Any], quote: str, start: int, end: int
    ) -> dict[str, Any]:
        """The mention's entity (by the quoted name when no rule named one), and whether its
        link can sit on those words."""
        entity = fields["entity"]
        if not entity:
            named = self.names.get(normalize_quote(quote).casefold(), set())
            if len(named) != 1:
                raise _Reject(
                    f"“{quote}” names {'several entities' if named else 'no entity'}"
                    + (f" ({', '.join(sorted(named))})" if named else "")
                    + ": add it as an alias of the right entity, or map the label to an "
                    "entity (`{mention: ENTITY}`)"
                )
            entity = next(iter(named))
        problem = unplaceable_mention(self.index, start, end)
        if problem:
            raise _Reject(f"the mention {problem[0]}: {problem[1]}")
        return {"entity": entity}

    # Where it goes

    def _anchor(self, item: Incoming) -> tuple[int, int] | None:
        """The place of the item in the visible text (None: it selects no text)."""
        index = self.index
        position = (item.start, item.end) if item.start is not None else None
        exact = item.exact
        if exact is None and position is not None:
            if (
                item.end is None
                or item.end > len(index.text)
                or not index.text[item.start : item.end].strip()
            ):
                raise _Reject(
                    f"position {item.start}-{item.end} selects no words of the article's text "
                    f"({len(index.text)} characters)"
                )
            exact = index.text[item.start : item.end]
        if exact is None:
            return None
        if not normalize_quote(exact):
            raise _Reject("the quote is empty")
        bare = index.find(exact)
        if not bare:
            closest = index.closest(exact)
            hint = f'; the closest passage is "{closest}"' if closest else ""
            raise _Reject(f"quote not found in the article: “{_short(exact)}”{hint}")
        found = index.find(exact, item.prefix, item.suffix) if item.prefix or item.suffix else []
        if len(found) == 1:
            return found[0]
        candidates = found or bare
        if len(candidates) == 1:
            return candidates[0]
        if position is not None:
            for candidate in candidates:
                if _same(index.text, candidate, position):
                    return candidate
        narrowed = _narrowed(index, exact, item.prefix or "", item.suffix or "")
        if narrowed:
            return narrowed
        raise _Reject(
            f"the quote occurs {len(candidates)} times and neither its prefix/suffix nor its "
            f"position picks one: “{_short(exact)}”"
        )

    def _selector(self, start: int, end: int) -> dict[str, str]:
        """quote (and the fewest words of prefix or suffix that make it unique)."""
        text = self.index.text
        quote = _collapse(text[start:end]).strip()
        if len(quote) > MAX_QUOTE:
            raise _Reject(f"the quote is longer than {MAX_QUOTE} characters; cut it")
        if self.index.find(quote) == [(start, end)]:
            return {"quote": quote}
        before = text[:start].split()
        after = text[end:].split()
        for count in range(1, MAX_CONTEXT_WORDS + 1):
            prefix = " ".join(before[-count:])
            suffix = " ".join(after[:count])
            for context in (
                {"prefix": prefix},
                {"suffix": suffix},
                {"prefix": prefix, "suffix": suffix},
            ):
                if all(context.values()) and self.index.find(
                    quote, context.get("prefix"), context.get("suffix")
                ) == [(start, end)]:
                    return {"quote": quote, **context}
        raise _Reject(
            f"the passage “{_short(quote)}” repeats word for word: no prefix or suffix of up "
            f"to {MAX_CONTEXT_WORDS} words tells this one apart"
        )


def _narrowed(index: TextIndex, exact: str, prefix: str, suffix: str) -> tuple[int, int] | None:
    """The one place the quote has with the last words of ``prefix`` and the first of
    ``suffix`` (another tool's context may begin or end with text our copy lacks)."""
    before, after = prefix.split(), suffix.split()
    for count in range(min(max(len(before), len(after)), MAX_CONTEXT_WORDS), 0, -1):
        found = index.find(
            exact, " ".join(before[-count:]) or None, " ".join(after[:count]) or None
        )
        if len(found) == 1:
            return found[0]
    return None


def _same(text: str, candidate: tuple[int, int], position: tuple[int | None, int | None]) -> bool:
    """Whether ``position`` selects ``candidate`` (give or take surrounding whitespace)."""
    start, end = position
    if start is None or end is None:
        return False
    while start < end and text[start : start + 1].isspace():
        start += 1
    while end > start and text[end - 1 : end].isspace():
        end -= 1
    return (start, end) == candidate


def _links(bodies: Iterable[Body]) -> dict[str, list[tuple[str, Body]]]:
    """The Scholion records the bodies link to, by kind: ``…/claims/<id>/`` and the like."""
    found: dict[str, list[tuple[str, Body]]] = {}
    for body in bodies:
        match = re.search(
            r"/(claims|sources|entities)/([a-z0-9]+(?:-[a-z0-9]+)*)/?$", urlsplit(body.id).path
        )
        if body.id and match:
            found.setdefault(match.group(1), []).append((match.group(2), body))
    return found


def _names(corpus: Corpus) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for entity in corpus.entities.values():
        for name in (entity.name, *entity.aliases):
            names.setdefault(normalize_quote(name).casefold(), set()).add(entity.id)
    return names


def _identities(section: str, item: dict) -> list[str]:
    """What makes two items of a list at one place the same annotation."""
    if section == "claims":
        return [f"claim:{value}" for value in (item.get("claim"), item.get("id")) if value] + (
            [f"statement:{item['statement']}"] if item.get("statement") else []
        )
    if section == "notes":
        return [f"note:{_collapse(str(item.get('text', ''))).strip()}"]
    if section == "citations":
        return [f"source:{item.get('source')}"]
    return [str(item.get("entity"))] if not item.get("suppress") else []


ORDER = {
    "claims": (
        "id",
        "claim",
        "quote",
        "prefix",
        "suffix",
        "statement",
        "rating",
        "explanation",
        "sources",
    ),
    "notes": ("kind", "quote", "prefix", "suffix", "text"),
    "citations": ("source", "quote", "prefix", "suffix"),
    "mentions": ("entity", "quote", "prefix", "suffix"),
}


def _ordered(section: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {key: fields[key] for key in ORDER[section] if key in fields}


def _comment(item: Incoming) -> str:
    """The item's comments as one Markdown text."""
    return "\n\n".join(_markdown(body) for body in item.comments).strip()


def _markdown(body: Body) -> str:
    """A body as Markdown: HTML converted (the sanitiser still sees the result at build),
    Markdown kept, plain text escaped so it reads as written (``<script>`` stays words).
    Control characters go first: no content file may hold them (YAML cannot)."""
    body = Body(body.purpose, _UNWRITABLE.sub("", body.value.replace("\r\n", "\n")), body.format)
    if body.format == "text/html":
        return markdownify(body.value, heading_style="ATX", bullets="-").strip()
    if body.format == "text/markdown":
        return body.value.strip()
    escaped = body.value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_{}\[\]()#+!|])", r"\\\1", escaped).strip()


_UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
"""What a YAML file cannot hold: control characters but tab and newline, lone surrogates and
the two non-characters (YAML 1.1's printable set, which PyYAML checks)."""


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _short(text: str, limit: int = 80) -> str:
    text = _collapse(text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
