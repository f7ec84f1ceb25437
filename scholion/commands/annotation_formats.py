"""Annotations from other tools, read into one shape (:class:`Incoming`) before anything is
decided about them: W3C Web Annotations (one annotation, an ``AnnotationCollection``, an
``AnnotationPage``, a list of them, or Hypothesis's API answer ``{"rows": [...]}``) and brat
standoff (an ``.ann`` file with its ``.txt`` beside it).

Nothing here knows the corpus. Each item keeps what it was in the input (``raw``), so that an
item that cannot be imported is written back to the rejects file as it came. Input is untrusted
and bounded: a file larger than the content limit, JSON nested too deep or not JSON, an ``.ann``
without its ``.txt`` is a :class:`FormatError` naming the file, never a traceback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scholion.diagnostics import SiteError
from scholion.load import MAX_FILE_BYTES

BRAT_CONTEXT = 32
"""Characters of the ``.txt`` kept before and after a brat span as its prefix and suffix, as
many as Scholion's own export gives (``exports/records.py``)."""


class FormatError(SiteError):
    """The file cannot be read as annotations at all (each item's own problems are rejects)."""


@dataclass(frozen=True, slots=True)
class Body:
    """One body of an annotation: a text (``value``, with its ``format``) or a resource (``id``).
    ``relation`` is Scholion's ``scholion:relation`` on a claim's source, "" elsewhere."""

    purpose: str = ""
    value: str = ""
    format: str = ""
    id: str = ""
    relation: str = ""


@dataclass(frozen=True, slots=True)
class Incoming:
    """An annotation as read, before it is mapped and anchored.

    ``labels`` are what a mapping rule can name: tags, classifying values, brat types and
    attributes (``Negated``, ``Confidence=High``). ``exact``/``prefix``/``suffix`` come from a
    TextQuoteSelector (or, for brat, the ``.txt`` around the span); ``start``/``end`` from a
    TextPositionSelector. ``widened``: a discontinuous brat span, taken from its first
    fragment's start to its last fragment's end."""

    ref: str
    raw: Any
    motivations: tuple[str, ...] = ()
    bodies: tuple[Body, ...] = ()
    labels: tuple[str, ...] = ()
    exact: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    start: int | None = None
    end: int | None = None
    widened: bool = False
    source: str = ""
    """The target's ``source`` (the page annotated), "" when not given."""
    problem: str = ""
    """Why the item cannot be imported whatever the corpus says ("" when it can be tried)."""

    @property
    def comments(self) -> tuple[Body, ...]:
        return tuple(b for b in self.bodies if b.purpose in ("commenting", "") and b.value.strip())


@dataclass
class Read:
    """What a file held: the items, and how its rejects are written (``brat`` or ``json``)."""

    items: list[Incoming] = field(default_factory=list)
    kind: str = "json"


def read_annotations(path: Path) -> Read:
    """The annotations in ``path``: brat standoff for ``.ann``, W3C / Hypothesis JSON else."""
    if path.suffix.lower() == ".ann":
        return Read(list(read_brat(path)), "brat")
    text = _read(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"{path}:{exc.lineno}:{exc.colno}: not JSON ({exc.msg}); expected W3C Web "
            "Annotations (JSON-LD), a Hypothesis export, or a brat .ann file"
        ) from None
    except RecursionError:
        raise FormatError(f"{path}: JSON nested too deep to be annotations") from None
    return Read(list(w3c_items(data, path)))


def _read(path: Path, newline: str | None = None) -> str:
    """Strict UTF-8 (a leading BOM dropped), at most the content file limit. ``newline=""``
    keeps Windows line endings, so brat's offsets (which count ``\\r``) stay true."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FormatError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise FormatError(
            f"{path}: file is too large (more than {MAX_FILE_BYTES:,} bytes); split it"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    text = text.removeprefix("\ufeff")
    return text if newline == "" else text.replace("\r\n", "\n")


# W3C Web Annotation, Hypothesis, Recogito


def w3c_items(data: Any, path: Path) -> Iterator[Incoming]:
    """Every annotation in a collection, page, list, Hypothesis answer or single annotation."""
    for number, item in enumerate(_annotations(data, path), 1):
        yield _w3c_item(item, number)


def _annotations(data: Any, path: Path) -> Iterator[Any]:
    if isinstance(data, list):
        yield from data
    elif isinstance(data, dict):
        kind = data.get("type")
        if kind == "AnnotationCollection":
            page = data.get("first")
            while isinstance(page, dict):
                yield from _listed(page.get("items"))
                page = page.get("next")
            if isinstance(page, str):  # reading it would be a request to another host
                raise FormatError(
                    f"{path}: the collection's pages are elsewhere ({page}); save each page "
                    "(an AnnotationPage) and import it"
                )
        elif kind == "AnnotationPage":
            yield from _listed(data.get("items"))
        elif "rows" in data:  # Hypothesis's search API
            yield from _listed(data.get("rows"))
        elif "annotations" in data:  # the Hypothesis client's "Export annotations"
            yield from _listed(data.get("annotations"))
        else:
            yield data


def _listed(value: Any) -> list:
    return value if isinstance(value, list) else []


def _w3c_item(item: Any, number: int) -> Incoming:
    if not isinstance(item, dict):
        return Incoming(f"item {number}", item, problem="not an annotation (a JSON object)")
    ref = f"item {number}" + (f" ({item['id']})" if isinstance(item.get("id"), str) else "")
    bodies = list(_bodies(item.get("body")))
    labels = [b.value for b in bodies if b.purpose in ("tagging", "classifying") and b.value]
    if isinstance(item.get("text"), str) and item["text"].strip():  # Hypothesis
        bodies.append(Body("commenting", item["text"], "text/markdown"))
    tags = item.get("tags")
    labels += [t for t in _listed(tags) if isinstance(t, str) and t]
    motivation = item.get("motivation")
    motivations = [motivation] if isinstance(motivation, str) else _listed(motivation)
    quote, position, source = _selectors(item.get("target"))
    return Incoming(
        ref,
        item,
        tuple(m for m in motivations if isinstance(m, str)),
        tuple(b for b in bodies if b.purpose != "tagging"),
        tuple(labels),
        *quote,
        *position,
        source=source or _string(item.get("uri")),
    )


def _bodies(value: Any) -> Iterator[Body]:
    for body in value if isinstance(value, list) else [value]:
        if isinstance(body, str):
            yield Body(id=body)
        elif isinstance(body, dict):
            text = body.get("value")
            resource = body.get("id") or body.get("source")  # Recogito: SpecificResource
            yield Body(
                _string(body.get("purpose")),
                text if isinstance(text, str) else "",
                _string(body.get("format")),
                resource if isinstance(resource, str) else "",
                _string(body.get("scholion:relation")),
            )


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _selectors(
    target: Any,
) -> tuple[tuple[str | None, str | None, str | None], tuple[int | None, int | None], str]:
    """The first TextQuoteSelector and TextPositionSelector of the (first) target, and the
    target's source."""
    quote: tuple[str | None, str | None, str | None] = (None, None, None)
    position: tuple[int | None, int | None] = (None, None)
    source = ""
    targets = target if isinstance(target, list) else [target]
    for one in targets:
        if isinstance(one, str):
            source = source or one
            continue
        if not isinstance(one, dict):
            continue
        source = source or _string(one.get("source"))
        selectors = one.get("selector")
        for selector in selectors if isinstance(selectors, list) else [selectors]:
            if not isinstance(selector, dict):
                continue
            kind = selector.get("type")
            if kind == "TextQuoteSelector" and quote[0] is None:
                exact = selector.get("exact")
                if isinstance(exact, str):
                    prefix, suffix = selector.get("prefix"), selector.get("suffix")
                    quote = (
                        exact,
                        prefix if isinstance(prefix, str) else None,
                        suffix if isinstance(suffix, str) else None,
                    )
            elif kind == "TextPositionSelector" and position[0] is None:
                start, end = selector.get("start"), selector.get("end")
                if _offset(start) and _offset(end):
                    position = (start, end)
        if quote[0] is not None or position[0] is not None:
            break
    return quote, position, source


def _offset(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


# brat standoff

_SPAN = re.compile(r"^(\d+) (\d+)((?:;\d+ \d+)*)$")


def read_brat(ann: Path) -> Iterator[Incoming]:
    """The text-bound annotations (``T``) of a brat ``.ann`` with their notes (``#``) and
    attributes (``A``, ``M``). Relations, events, equivalences and normalisations have no
    counterpart in a sidecar: each is an item with its problem, listed and kept as a reject."""
    txt = ann.with_suffix(".txt")
    if not txt.is_file():
        raise FormatError(f"{ann}: brat standoff needs its text beside it: {txt} is missing")
    text = _read(txt, newline="")
    lines = _read(ann, newline="").splitlines()
    spans: dict[str, list[str]] = {}
    labels: dict[str, list[str]] = {}
    notes: dict[str, list[str]] = {}
    others: list[tuple[str, str]] = []
    for line in lines:
        if not line.strip():
            continue
        ident, _, rest = line.partition("\t")
        if ident.startswith("T"):
            spans[ident] = [line]
        elif ident[:1] in ("A", "M"):
            name, *args = rest.split()
            if args:
                labels.setdefault(args[0], []).append(
                    name if len(args) == 1 else f"{name}={args[1]}"
                )
                spans.get(args[0], []).append(line)
        elif ident.startswith("#"):
            head, _, note = rest.partition("\t")
            owner = head.split()[1] if len(head.split()) > 1 else ""
            notes.setdefault(owner, []).append(note)
            spans.get(owner, []).append(line)
        else:
            others.append((ident or line, line))
    for ident, own in spans.items():
        yield _brat_span(ident, own, text, labels.get(ident, []), notes.get(ident, []))
    for ident, line in others:
        kind = {"R": "relation", "E": "event", "*": "equivalence", "N": "normalization"}.get(
            ident[:1], "annotation"
        )
        yield Incoming(
            ident,
            {"ann": [line]},
            problem=f"a brat {kind}: Scholion imports text-bound annotations (T) "
            "with their notes (#) and attributes (A)",
        )


def _brat_span(
    ident: str, own: list[str], text: str, labels: list[str], notes: list[str]
) -> Incoming:
    raw = {"ann": own}
    fields = own[0].split("\t")
    head = fields[1].split(" ", 1) if len(fields) > 1 else [""]
    match = _SPAN.match(head[1]) if len(head) > 1 else None
    if match is None:
        return Incoming(
            ident, raw, problem="not a text-bound annotation: `T1<TAB>Type 0 5<TAB>text`"
        )
    pairs = [tuple(map(int, p.split())) for p in head[1].split(";")]
    if any(s >= e or e > len(text) for s, e in pairs):
        return Incoming(
            ident, raw, problem=f"span {head[1]} is outside the .txt ({len(text)} characters)"
        )
    fragments = " ".join(text[s:e] for s, e in pairs)
    said = fields[2] if len(fields) > 2 else fragments
    if said != fragments:
        return Incoming(
            ident,
            raw,
            problem=f'the .ann says "{said}" but the .txt has "{fragments}" at {head[1]}: '
            "the two files do not belong together",
        )
    start, end = min(s for s, _ in pairs), max(e for _, e in pairs)
    bodies = tuple(Body("commenting", note, "text/plain") for note in notes if note.strip())
    return Incoming(
        ident,
        raw,
        (),
        bodies,
        (head[0], *labels),
        text[start:end],
        text[max(0, start - BRAT_CONTEXT) : start],
        text[end : end + BRAT_CONTEXT],
        widened=len(pairs) > 1,
    )
