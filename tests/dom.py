"""A small element tree over the stdlib HTML parser, to assert on what a reader sees.

It also records markup errors (an end tag that closes nothing, or elements left open), so a test
can prove that highlighting overlapping quotes never produces broken tags.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

_VOID_NAMES = "area base br col embed hr img input link meta source track wbr"
_BLOCK_NAMES = (
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul"
)
VOID = frozenset(_VOID_NAMES.split())
BLOCK = frozenset(_BLOCK_NAMES.split())
"""Elements a browser shows apart from their neighbours: their edges count as spaces in words."""


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)
    line: int = 0

    def attr(self, name: str) -> str:
        return self.attrs.get(name) or ""

    @property
    def classes(self) -> list[str]:
        return self.attr("class").split()

    @property
    def text(self) -> str:
        """The text content, as a reader sees it (whitespace kept as written)."""
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def words(self) -> str:
        """The text content as words, with block boundaries as spaces (as a browser shows it)."""
        return " ".join(self._spaced().split())

    def _spaced(self) -> str:
        inner = "".join(c if isinstance(c, str) else c._spaced() for c in self.children)
        return f" {inner} " if self.tag in BLOCK else inner

    def iter(self, tag: str | None = None) -> Iterator[Element]:
        """Descendants in document order, optionally only those named ``tag``."""
        for child in self.children:
            if isinstance(child, Element):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def all(self, tag: str | None = None, *, cls: str | None = None) -> list[Element]:
        return [e for e in self.iter(tag) if cls is None or cls in e.classes]

    def one(self, tag: str | None = None, *, cls: str | None = None) -> Element:
        found = self.all(tag, cls=cls)
        assert len(found) == 1, f"expected one <{tag or '*'} class={cls}>, found {len(found)}"
        return found[0]

    def by_id(self, element_id: str) -> Element | None:
        return next((e for e in self.iter() if e.attrs.get("id") == element_id), None)

    def ids(self) -> set[str]:
        return {e.attrs["id"] for e in self.iter() if e.attrs.get("id")}

    def links(self) -> list[str]:
        """The ``href`` of every link inside, in order."""
        return [a.attr("href") for a in self.iter("a")]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, line=self.getpos()[0])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.stack[-1].tag != tag:
            line = self.getpos()[0]
            self.errors.append(f"line {line}: </{tag}> closes <{self.stack[-1].tag}>")
            if not any(e.tag == tag for e in self.stack[1:]):
                return
            while self.stack[-1].tag != tag:
                self.stack.pop()
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


@dataclass
class Document:
    root: Element
    errors: list[str]

    def __getattr__(self, name: str):  # delegate queries to the root element
        return getattr(self.root, name)


def parse(markup: str) -> Document:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    left_open = [e.tag for e in builder.stack[1:]]
    errors = builder.errors + ([f"left open: {left_open}"] if left_open else [])
    return Document(builder.root, errors)


def parse_file(path: Path) -> Document:
    return parse(path.read_text(encoding="utf-8"))
