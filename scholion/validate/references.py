"""Cross-file checks: every id a file names must exist, and every id must be defined once.

Written defensively: these checks also run on files that failed their schema, so that one run
reports everything; values of the wrong shape are skipped here (the schema check reported them).
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from scholion.diagnostics import Diagnostic, Severity
from scholion.load.documents import Document, Records
from scholion.load.per_document import PerDocument, flattened
from scholion.load.yamlsource import Path
from scholion.validate.relations import claim_link_problems, relation_problems

RESERVED_PAGE_SLUGS = frozenset(
    {
        "articles",
        "changes",
        "overview",
        "claims",
        "entities",
        "sources",
        "notes",
        "search",
        "narratives",
        "data",
        "pagefind",
        "static",
        "feed",
        "404",
        "index",
        "sitemap",
        "map",
        "timeline",
    }
)
"""Top-level paths the site itself uses; a plain page cannot take them."""

RESERVED_ARTICLE_SLUGS = frozenset({"by-publisher", "page"})
"""Paths under /articles/ that the article index uses (its by-publisher view and its pages)."""


@dataclass(frozen=True, slots=True)
class _Namespace:
    """Known ids of one kind, to check references against and to suggest from."""

    what: str
    where: str
    ids: frozenset[str]
    incomplete: bool = False
    """Some of these ids could not be read (the file defining them has an error of its own):
    an id not found may be one of them, so it is not reported — the error that hides it is,
    and the next check tells once it is fixed."""

    def check(self, doc: Document, path: tuple, value: object) -> Iterator[Diagnostic]:
        if not isinstance(value, str) or value in self.ids or self.incomplete:
            return
        mark = doc.located.at(path)
        close = difflib.get_close_matches(value, sorted(self.ids), n=1, cutoff=0.6)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else f"define it in {self.where}"
            if self.where
            else "check the spelling"
        )
        yield Diagnostic(
            doc.path, mark.line, mark.col, Severity.ERROR, f"unknown {self.what} '{value}'", hint
        )


CHECKED_KINDS = ("articles", "sidecars", "entities", "sources", "narratives")
"""The kinds of file whose references are checked, in the order their problems are listed."""
ID_KINDS = ("entities", "sources")
"""The kinds of file whose names are ids other files refer to (claims are defined inside
sidecars)."""


@dataclass
class ReferenceMemo:
    """What the last check found in each file, and against which ids: a file that is the same
    document, checked against the same ids, is not checked again (``serve`` keeps one between
    edits, so an edit checks the files it changed unless it added or removed an id)."""

    spaces: dict[str, _Namespace] = field(default_factory=dict)
    checked: dict[str, PerDocument[list[Diagnostic]]] = field(
        default_factory=lambda: {kind: PerDocument() for kind in CHECKED_KINDS}
    )
    stems: dict[str, PerDocument[str]] = field(
        default_factory=lambda: {kind: PerDocument() for kind in ("articles", *ID_KINDS)}
    )
    """The ids each kind of file defines by its name."""
    defines: PerDocument[tuple[tuple[str, int], ...]] = field(default_factory=PerDocument)
    """Each sidecar's claim definitions: (id, place in its list of claims)."""
    claims: dict[str, str] | None = None
    """Claim id -> the sidecar defining it, as last found when no claim was defined twice."""
    orphans: PerDocument[list[Diagnostic]] = field(default_factory=PerDocument)
    articles: frozenset[str] = frozenset()
    """The article ids the sidecars were last matched with."""
    names: PerDocument[list[tuple[Path, str]]] = field(default_factory=PerDocument)
    """Each entity's name and aliases, with where each is written."""
    ambiguous: list[Diagnostic] | None = None
    """The warnings of names two entities share, as last found when there were none (a
    warning's place moves with its file, so one is never kept)."""


def check_references(records: Records, memo: ReferenceMemo | None = None) -> list[Diagnostic]:
    """Every reference to an id that does not exist, every id defined twice, every file named
    like a page of the site, every alias two entities share."""
    memo = memo or ReferenceMemo()
    config = records.config.data if records.config else {}
    unread_config = records.config is None  # missing or unreadable: its own error says so
    spaces = {
        "rating": _vocabulary(config, "ratings", "rating", unread_config),
        "note_kind": _vocabulary(config, "note_kinds", "note kind", unread_config),
        "source_kind": _vocabulary(config, "source_kinds", "source kind", unread_config),
        "entity_type": _vocabulary(config, "entity_types", "entity type", unread_config),
        "relation_type": _vocabulary(config, "relation_types", "relation type", unread_config),
        "entity": _Namespace(
            "entity", "content/entities/<id>.yaml", _ids(records, memo, "entities")
        ),
        "source": _Namespace("source", "content/sources/<id>.yaml", _ids(records, memo, "sources")),
    }
    found: list[Diagnostic] = []
    claims = _claim_definitions(records.sidecars, found, memo)
    unread_sidecar = any(
        PurePosixPath(path).parent.name == "articles" and path.endswith(".yaml")
        for path in records.unreadable
    )
    spaces["claim"] = _Namespace(
        "claim", "a sidecar's claims (with id:)", frozenset(claims), incomplete=unread_sidecar
    )
    same = spaces == memo.spaces
    found += _checked(memo, "articles", records.articles, _check_article, spaces, same)
    found += _orphan_sidecars(records, memo)
    found += _checked(memo, "sidecars", records.sidecars, _check_sidecar, spaces, same)
    found += _checked(memo, "entities", records.entities, _check_entity, spaces, same)
    found += _checked(memo, "sources", records.sources, _check_source, spaces, same)
    found += _checked(memo, "narratives", records.narratives, _check_narrative, spaces, same)
    memo.spaces = spaces
    found += named_like(
        records.articles,
        RESERVED_ARTICLE_SLUGS,
        "article name '{name}' is used by the article index",
        "rename the file and its sidecar, e.g. content/articles/{name}-article.md",
    )
    found += named_like(
        records.pages,
        RESERVED_PAGE_SLUGS,
        "page name '{name}' is used by the site itself",
        "rename the file, e.g. content/pages/about-the-{name}.md",
    )
    found += _ambiguous_aliases(records.entities, memo)
    return found


def _checked(
    memo: ReferenceMemo,
    kind: str,
    docs: Sequence[Document],
    check: Callable[[Document, dict[str, _Namespace]], Iterable[Diagnostic]],
    spaces: dict[str, _Namespace],
    same_ids: bool,
) -> list[Diagnostic]:
    """``check`` of each of ``docs``, for the documents not checked last time against the
    same ids (``same_ids``) alone."""
    per_file = memo.checked[kind].each(
        docs, lambda doc: list(check(doc, spaces)), same_context=same_ids
    )
    return flattened(per_file)


def named_like(
    docs: Iterable[Document], taken: Container[str], message: str, hint: str
) -> list[Diagnostic]:
    """A located error for each file whose name (its page's path) the site already uses;
    ``{name}`` in ``message`` and ``hint`` is the file's name."""
    return [
        Diagnostic(
            doc.path,
            0,
            0,
            Severity.ERROR,
            message.format(name=doc.stem),
            hint.format(name=doc.stem),
        )
        for doc in docs
        if doc.stem in taken
    ]


def _ids(records: Records, memo: ReferenceMemo, folder: str) -> frozenset[str]:
    """Ids of the loaded files of ``folder``, plus those of files that failed to load: a file
    with a syntax error is reported once, not again at every reference to it."""
    docs: Sequence[Document] = getattr(records, folder)
    suffix = ".md" if folder == "articles" else ".yaml"
    failed = (PurePosixPath(path) for path in records.unreadable)
    stems = memo.stems[folder].each(docs, operator.attrgetter("stem"))
    return frozenset(stems) | {
        p.stem for p in failed if p.parent.name == folder and p.suffix == suffix
    }


def _vocabulary(config: dict, key: str, what: str, unread: bool) -> _Namespace:
    table = config.get(key)
    ids = frozenset(table) if isinstance(table, dict) else frozenset()
    return _Namespace(what, f"site_config.yaml under {key}:", ids, incomplete=unread)


def _items(data: dict, key: str) -> Iterator[tuple[int, dict]]:
    values = data.get(key)
    if isinstance(values, list):
        for i, item in enumerate(values):
            if isinstance(item, dict):
                yield i, item


def _strings(values: object) -> Iterator[tuple[int, str]]:
    if isinstance(values, list):
        for i, value in enumerate(values):
            if isinstance(value, str):
                yield i, value


def _claim_definitions(
    sidecars: Sequence[Document], found: list[Diagnostic], memo: ReferenceMemo
) -> dict[str, str]:
    """Claim id -> the sidecar defining it; a second definition is an error naming the first.
    The last answer stands while no sidecar defines other claims than it did (a claim reworded)
    and no claim was defined twice."""
    defines = memo.defines.each(sidecars, _claims_defined)
    if memo.claims is not None and memo.defines.unchanged:
        return memo.claims
    defined: dict[str, tuple[Document, tuple]] = {}
    twice = False
    for doc, definitions in zip(sidecars, defines, strict=True):
        for claim_id, i in definitions:
            path = ("claims", i, "id")
            if claim_id in defined:
                twice = True
                first_doc, first_path = defined[claim_id]
                first = first_doc.located.at(first_path)
                mark = doc.located.at(path)
                found.append(
                    Diagnostic(
                        doc.path,
                        mark.line,
                        mark.col,
                        Severity.ERROR,
                        f"claim '{claim_id}' is already defined at {first_doc.path}:{first.line}:"
                        f"{first.col}",
                        f"a claim is defined once; to record another appearance write "
                        f"`- claim: {claim_id}` with its quote, or give this claim another id",
                    )
                )
            else:
                defined[claim_id] = (doc, path)
    claims = {claim_id: doc.path for claim_id, (doc, _) in defined.items()}
    memo.claims = None if twice else claims
    return claims


def _claims_defined(doc: Document) -> tuple[tuple[str, int], ...]:
    return tuple(
        (item["id"], i)
        for i, item in _items(doc.data, "claims")
        if isinstance(item.get("id"), str) and "claim" not in item
    )


def _check_article(doc: Document, spaces: dict[str, _Namespace]) -> Iterator[Diagnostic]:
    data = doc.data
    yield from spaces["entity"].check(doc, ("publisher",), data.get("publisher"))
    for i, author in _strings(data.get("authors")):
        yield from spaces["entity"].check(doc, ("authors", i), author)


def _orphan_sidecars(records: Records, memo: ReferenceMemo) -> list[Diagnostic]:
    articles = _ids(records, memo, "articles")
    same = articles == memo.articles
    memo.articles = articles

    def orphan(doc: Document) -> list[Diagnostic]:
        if doc.stem in articles:
            return []
        return [
            Diagnostic(
                doc.path,
                0,
                0,
                Severity.ERROR,
                f"annotations for a missing article: there is no content/articles/{doc.stem}.md",
                "name the sidecar after its article (same name, .yaml)",
            )
        ]

    return flattened(memo.orphans.each(records.sidecars, orphan, same_context=same))


def _check_sidecar(doc: Document, spaces: dict[str, _Namespace]) -> Iterator[Diagnostic]:
    data = doc.data
    for i, claim in _items(data, "claims"):
        base = ("claims", i)
        if "claim" in claim:
            yield from spaces["claim"].check(doc, (*base, "claim"), claim.get("claim"))
            continue
        yield from spaces["rating"].check(doc, (*base, "rating"), claim.get("rating"))
        yield from spaces["entity"].check(doc, (*base, "claimant"), claim.get("claimant"))
        for j, entity in _strings(claim.get("about")):
            yield from spaces["entity"].check(doc, (*base, "about", j), entity)
        for j, source in _items(claim, "sources"):
            yield from spaces["source"].check(
                doc, (*base, "sources", j, "source"), source.get("source")
            )
        for j, link in _items(claim, "links"):
            if link.get("claim") != claim.get("id"):  # a link to itself: claim_link_problems
                yield from spaces["claim"].check(
                    doc, (*base, "links", j, "claim"), link.get("claim")
                )
    yield from claim_link_problems(doc)
    note_ids: dict[str, int] = {}
    for i, note in _items(data, "notes"):
        yield from spaces["note_kind"].check(doc, ("notes", i, "kind"), note.get("kind"))
        note_id = note.get("id")
        if isinstance(note_id, str):
            if note_id in note_ids:
                mark = doc.located.at(("notes", i, "id"))
                yield Diagnostic(
                    doc.path,
                    mark.line,
                    mark.col,
                    Severity.ERROR,
                    f"note id '{note_id}' is used twice in this file",
                    "give each note its own id, or leave id out",
                )
            note_ids[note_id] = i
    for i, correction in _items(data, "corrections"):
        yield from spaces["claim"].check(doc, ("corrections", i, "claim"), correction.get("claim"))
    for i, citation in _items(data, "citations"):
        yield from spaces["source"].check(doc, ("citations", i, "source"), citation.get("source"))
    for i, mention in _items(data, "mentions"):
        yield from spaces["entity"].check(doc, ("mentions", i, "entity"), mention.get("entity"))


def _check_entity(doc: Document, spaces: dict[str, _Namespace]) -> Iterator[Diagnostic]:
    data = doc.data
    yield from spaces["entity_type"].check(doc, ("type",), data.get("type"))
    for i, relation in _items(data, "relations"):
        base = ("relations", i)
        yield from spaces["relation_type"].check(doc, (*base, "type"), relation.get("type"))
        if relation.get("entity") != doc.stem:  # related to itself: relation_problems
            yield from spaces["entity"].check(doc, (*base, "entity"), relation.get("entity"))
        for j, source in _strings(relation.get("sources")):
            yield from spaces["source"].check(doc, (*base, "sources", j), source)
        for j, claim in _strings(relation.get("claims")):
            yield from spaces["claim"].check(doc, (*base, "claims", j), claim)
    yield from relation_problems(doc)


def _check_narrative(doc: Document, spaces: dict[str, _Namespace]) -> Iterator[Diagnostic]:
    for i, claim in _strings(doc.data.get("claims")):
        yield from spaces["claim"].check(doc, ("claims", i), claim)


def _check_source(doc: Document, spaces: dict[str, _Namespace]) -> Iterator[Diagnostic]:
    data = doc.data
    yield from spaces["source_kind"].check(doc, ("kind",), data.get("kind"))
    yield from spaces["entity"].check(doc, ("publisher",), data.get("publisher"))
    for i, cited in _strings(data.get("cites")):
        if cited == doc.stem:
            mark = doc.located.at(("cites", i))
            yield Diagnostic(
                doc.path,
                mark.line,
                mark.col,
                Severity.ERROR,
                "a source cannot cite itself",
                "remove it from cites",
            )
        else:
            yield from spaces["source"].check(doc, ("cites", i), cited)


def _ambiguous_aliases(entities: Sequence[Document], memo: ReferenceMemo) -> list[Diagnostic]:
    """The same alias on two entities makes mentions ambiguous: warn on the second. Found
    again only when an entity's names changed."""
    names = memo.names.each(entities, _names)
    if memo.ambiguous is not None and memo.names.unchanged:
        return memo.ambiguous
    found = []
    owner: dict[str, str] = {}
    for doc, written in zip(entities, names, strict=True):
        for path, name in written:
            if name in owner and owner[name] != doc.stem:
                mark = doc.located.at(path)
                found.append(
                    Diagnostic(
                        doc.path,
                        mark.line,
                        mark.col,
                        Severity.WARNING,
                        f"'{name}' is also a name or alias of entity '{owner[name]}'",
                        "mentions of it will link to the first entity only; remove one "
                        "or add explicit mentions in the sidecar",
                    )
                )
            owner.setdefault(name, doc.stem)
    memo.ambiguous = None if found else found
    return found


def _names(doc: Document) -> list[tuple[Path, str]]:
    """An entity's name and aliases, with where each is written."""
    names: list[tuple[Path, object]] = [(("name",), doc.data.get("name"))]
    names += [(("aliases", i), a) for i, a in _strings(doc.data.get("aliases"))]
    return [(path, name) for path, name in names if isinstance(name, str)]
