"""Parse YAML into plain data while keeping the file position of every key and value.

Why not ``yaml.safe_load``: diagnostics must point at line and column, PyYAML forgets positions
once it constructs Python objects, and its constructor silently accepts duplicate keys and
expands aliases without bound. So we compose the node graph (the C parser when present) and
build the data ourselves, recording a :class:`Mark` for each path.

YAML 1.1 timestamps are kept as their text ("2019-03-25"): every date in our formats is a
string, and a value such as ``title: 2019-03-25`` should stay what the contributor typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from scholion.diagnostics import Diagnostic, Severity

try:  # the C parser is several times faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    # The same interface in pure Python; mypy takes the first import's class as the name's type.
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]

MAX_ALIAS_VALUES = 100_000
"""Bound on the values aliases may add to one document. Without aliases the number of values is
bounded by the file size limit; an alias repeats its anchor's whole value, so a few lines of
nested aliases ("billion laughs") would otherwise expand to billions of values."""

MAX_DEPTH = 100
"""Deepest nesting accepted; our formats need five levels."""

_COMPOSABLE_DEPTH = 1_000
"""libyaml's composer recurses once per level and crashes the interpreter (a segmentation fault,
not an exception) at a few tens of thousands of levels, which a 2 MB file of ``[`` reaches; a
text that could nest deeper than this is measured from the parser's events first."""

_LINE_START = re.compile(r"(?:\A|[\n\x85\u2028\u2029])([ \t?:-]*)")
_STANDARD_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {"str", "int", "float", "bool", "null", "timestamp"}


@dataclass(frozen=True, slots=True)
class Mark:
    """A 1-based line and column."""

    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Positions:
    """Where each value (and each mapping key) of a document came from."""

    values: dict[Path, Mark] = field(default_factory=dict)
    keys: dict[Path, Mark] = field(default_factory=dict)
    raw: dict[Path, str] = field(default_factory=dict)
    """The text as typed of each scalar YAML did not read as text (``no``, ``0123``, ``~``), so
    an error can say exactly what to put in quotes."""


class Located:
    """Parsed data plus where each value (and each mapping key) came from.

    Positions are wanted only when a diagnostic is made, and they are most of a document's
    parse (a mark and a path for every value) and of its memory. So data may come without them
    (:meth:`deferred`: the data a parse of this very text gave before, from the build cache),
    with the text to find them by parsing it again the first time one is asked for."""

    __slots__ = ("_fresh", "_positions", "_source", "data")

    def __init__(
        self,
        data: Any,
        positions: Positions | None = None,
        source: tuple[str, int] | None = None,
    ):
        self.data = data
        self._positions = positions if positions is not None or source else Positions()
        self._source = source
        self._fresh = source is None

    @classmethod
    def deferred(cls, data: Any, text: str, line_offset: int = 0) -> Located:
        """``data``, which :func:`parse_yaml` gave for ``text``, with its positions found from
        ``text`` when first asked for."""
        return cls(data, None, (text, line_offset))

    def found_in(self, text: str, line_offset: int = 0) -> Located:
        """The same, knowing the ``text`` it was parsed from: it travels without its positions
        (:meth:`__getstate__`), which are found again if asked for."""
        self._source = (text, line_offset)
        return self

    @property
    def parsed(self) -> bool:
        """Whether the data was built from the text in this run (not taken as it was before)."""
        return self._fresh

    @property
    def positions(self) -> Positions:
        if self._positions is None:
            assert self._source is not None
            text, line_offset = self._source
            again, _ = parse_yaml(text, "", line_offset)
            self._positions = again._positions if again is not None else Positions()
        assert self._positions is not None
        return self._positions

    @property
    def values(self) -> dict[Path, Mark]:
        return self.positions.values

    @property
    def keys(self) -> dict[Path, Mark]:
        return self.positions.keys

    @property
    def raw(self) -> dict[Path, str]:
        return self.positions.raw

    def at(self, path: Path) -> Mark:
        """The position of the value at ``path``, or of its nearest parent that has one."""
        values = self.values
        for end in range(len(path), -1, -1):
            mark = values.get(tuple(path[:end]))
            if mark is not None:
                return mark
        return Mark(1, 1)

    def key_at(self, path: Path) -> Mark:
        """The position of the key whose value is at ``path`` (falls back to the value)."""
        return self.keys.get(tuple(path)) or self.at(path)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Located):
            return NotImplemented
        return self.data == other.data and self.positions == other.positions

    __hash__ = None  # type: ignore[assignment]  # holds dicts, as the dataclass did

    def __getstate__(self) -> tuple[Any, Positions | None, tuple[str, int] | None, bool]:
        """Pickled (from a worker, or in the state a build keeps: :mod:`scholion.pipeline.resume`)
        without the positions when the text is known: they are most of a parse's size, twice
        as long to read back as the rest of the kept state, and asked for only by a diagnostic."""
        positions = None if self._source is not None else self._positions
        return self.data, positions, self._source, self._fresh

    def __setstate__(
        self, state: tuple[Any, Positions | None, tuple[str, int] | None, bool]
    ) -> None:
        self.data, self._positions, self._source, self._fresh = state

    def __repr__(self) -> str:
        return f"Located({self.data!r})"


class YamlError(Exception):
    """A YAML problem with its position, turned into a diagnostic by :func:`parse_yaml`."""

    def __init__(self, mark: Mark, message: str, hint: str = ""):
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint


def parse_yaml(
    text: str, path: str, line_offset: int = 0
) -> tuple[Located | None, list[Diagnostic]]:
    """Parse one YAML document; on failure return ``None`` and located diagnostics.

    ``line_offset`` shifts every line, for YAML embedded in a file (front matter).
    """
    try:
        _refuse_deep_nesting(text, line_offset)
        node = yaml.compose(text, Loader=_Loader)
        located = _Builder(line_offset).build(node).found_in(text, line_offset)
    except _AliasBomb:
        return None, [_alias_bomb(text, path, line_offset)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(mark.line + 1 + line_offset, mark.column + 1) if mark else Mark(1, 1)
        problem = _syntax_problem(exc, where, line_offset)
        hint = _syntax_hint(text, where.line - line_offset)
        return None, [_diag(path, where, f"YAML syntax error: {problem}", hint)]
    except yaml.reader.ReaderError as exc:
        return None, [_unreadable_character(exc, text, path, line_offset)]
    except yaml.YAMLError as exc:
        return None, [_diag(path, Mark(1, 1), f"YAML error: {exc}", "")]
    except YamlError as exc:
        return None, [_diag(path, exc.mark, exc.message, exc.hint)]
    except RecursionError:
        return None, [_diag(path, Mark(1, 1), "YAML nesting is too deep", "flatten the document")]
    return located, []


UNCARRIED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
"""Characters no page or feed can carry: control characters but tab and line breaks, lone
surrogates and noncharacters. XML 1.0 forbids most of them outright (a feed or GraphML file
with one is not well-formed) and HTML parsers report each as an error, so a text holding one is
refused where it is written, not discovered in an export."""


def position(text: str, where: int) -> tuple[int, int]:
    """The 1-based line and column of the character at offset ``where`` of ``text``."""
    return text.count("\n", 0, where) + 1, where - (text.rfind("\n", 0, where) + 1) + 1


def uncarried_message(character: str) -> str:
    return f"the character U+{ord(character):04X} cannot appear on a page or in a feed"


def _diag(path: str, mark: Mark, message: str, hint: str) -> Diagnostic:
    return Diagnostic(path, mark.line, mark.col, Severity.ERROR, message, hint)


def _unreadable_character(
    exc: yaml.reader.ReaderError, text: str, path: str, line_offset: int
) -> Diagnostic:
    """A control character YAML refuses, located at its first occurrence (libyaml reports a
    byte offset, which is not a character offset once the text has any non-ASCII letter)."""
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    where = text.find(chr(code))
    where = exc.position if where < 0 else where
    line, col = position(text, where)
    return _diag(
        path,
        Mark(line + line_offset, col),
        f"YAML does not allow the control character U+{code:04X}",
        "delete it (most editors do not show it)",
    )


def _too_deep(mark: Mark) -> YamlError:
    return YamlError(
        mark,
        f"the YAML is nested more than {MAX_DEPTH} levels deep",
        "content files need a few levels: look for an unclosed [ or { or a run of '- - -'",
    )


def _refuse_deep_nesting(text: str, line_offset: int) -> None:
    """Refuse nesting beyond :data:`MAX_DEPTH` before libyaml composes (and could crash on) it.

    Nesting is bounded by the ``[`` and ``{`` in the text plus about two levels per column of
    indentation and block indicators at a line start, so most files need no second look; the
    others are measured from the parser's events, which use no recursion.
    """
    indents = (len(m.group(1)) for m in _LINE_START.finditer(text))
    bound = text.count("[") + text.count("{") + 2 * (max(indents, default=0) + 1)
    if bound <= _COMPOSABLE_DEPTH:
        return
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                assert mark is not None  # the parser gives every event it emits its position
                raise _too_deep(Mark(mark.line + 1 + line_offset, mark.column + 1))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class _AliasBomb(Exception):
    """Aliases expanded past :data:`MAX_ALIAS_VALUES`; :func:`_alias_bomb` locates the alias."""


def _alias_bomb(text: str, path: str, line_offset: int) -> Diagnostic:
    """Locate the alias that takes the expansion past the limit.

    The composed node graph no longer knows where aliases were written, so the events are read
    again, adding up what each anchor expands to; this runs only for a file already refused.
    """
    sizes: dict[str, int] = {}
    stack: list[list] = [[None, 0]]  # [anchor, values so far] per open collection
    added = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            # the parser gives every event its position, and every alias the anchor it names
            assert event.start_mark is not None and event.anchor is not None
            size = sizes.get(event.anchor, 1)
            stack[-1][1] += size
            added += size
            if added > MAX_ALIAS_VALUES:
                mark = Mark(event.start_mark.line + 1 + line_offset, event.start_mark.column + 1)
                return _diag(
                    path,
                    mark,
                    f"the aliases expand the document to more than {MAX_ALIAS_VALUES:,} values "
                    f"(*{event.anchor} alone stands for {size:,})",
                    "an alias (*name) repeats everything under its anchor (&name): "
                    "write the values out or remove the nested aliases",
                )
        elif isinstance(event, yaml.ScalarEvent):
            stack[-1][1] += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            stack.append([event.anchor, 1])
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, size = stack.pop()
            stack[-1][1] += size
            if anchor:
                sizes[anchor] = size
    return _diag(path, Mark(1 + line_offset, 1), "the aliases expand the document too far", "")


def _syntax_problem(exc: yaml.MarkedYAMLError, where: Mark, line_offset: int) -> str:
    """The parser's problem, plus where the construct it was parsing began when that is elsewhere
    (an unclosed [ or " is only noticed lines later)."""
    problem = exc.problem or exc.context or "invalid YAML"
    start = exc.context_mark
    if exc.problem and exc.context and start:
        began = Mark(start.line + 1 + line_offset, start.column + 1)
        if began != where:
            problem += f" ({exc.context} that starts at line {began.line}, column {began.col})"
    return problem


def _syntax_hint(text: str, line: int) -> str:
    lines = text.splitlines()
    current = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in current:
        return "YAML does not allow tabs for indentation: indent with spaces"
    if current.rstrip() in ("---", "..."):
        return "a content file holds one YAML document: remove this line"
    if ": " in current.partition(":")[2]:
        return 'a value containing ": " must be quoted, e.g. key: "a: b"'
    return "check the indentation and quoting on this line and the one before it"


class _Builder:
    """Turns a composed node graph into data plus marks; not reused across documents."""

    def __init__(self, line_offset: int):
        self.offset = line_offset
        self.values: dict[Path, Mark] = {}
        self.keys: dict[Path, Mark] = {}
        self.raw: dict[Path, str] = {}
        self.built: set[int] = set()  # nodes built once: meeting one again means an alias
        self.via_alias = 0  # > 0 while building the repeat of an anchored node
        self.added = 0  # values built through aliases
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node | None) -> Located:
        data = {} if node is None else self._value(node, (), frozenset())
        return Located(data, Positions(self.values, self.keys, self.raw))

    def _mark(self, node: yaml.Node) -> Mark:
        return Mark(node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)

    def _value(self, node: yaml.Node, path: Path, active: frozenset[int]) -> Any:
        if id(node) in active:
            raise YamlError(
                self._mark(node), "recursive YAML alias", "an alias cannot contain itself"
            )
        repeat = id(node) in self.built
        self.built.add(id(node))
        self.via_alias += repeat
        try:
            return self._build(node, path, active)
        finally:
            self.via_alias -= repeat

    def _build(self, node: yaml.Node, path: Path, active: frozenset[int]) -> Any:
        if len(path) >= MAX_DEPTH and not isinstance(node, yaml.ScalarNode):
            raise _too_deep(self._mark(node))
        if self.via_alias:
            self.added += 1
            if self.added > MAX_ALIAS_VALUES:
                raise _AliasBomb
        self.values[path] = self._mark(node)
        self._check_tag(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, active | {id(node)})
        if isinstance(node, yaml.SequenceNode):
            inner = active | {id(node)}
            return [self._value(item, (*path, i), inner) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _check_tag(self, node: yaml.Node) -> None:
        tag = node.tag or ""
        name = tag.removeprefix(_STANDARD_TAG) if tag.startswith(_STANDARD_TAG) else None
        allowed = _SCALAR_TAGS if isinstance(node, yaml.ScalarNode) else {"map", "seq", "omap"}
        if name not in allowed:
            written = f"!!{name}" if name is not None else tag  # as the contributor typed it
            raise YamlError(
                self._mark(node),
                f"unsupported YAML tag '{written}'",
                "content files hold plain data: remove the tag (write the value as text)",
            )

    def _mapping(self, node: yaml.MappingNode, path: Path, active: frozenset[int]) -> dict:
        result: dict[str, Any] = {}
        seen: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _STANDARD_TAG + "merge":
                raise YamlError(
                    self._mark(key_node),
                    "YAML merge keys (<<) are not supported",
                    "write the keys out in full",
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(
                    self._mark(key_node),
                    "a mapping key must be a plain word",
                    "use a simple key such as `title:`",
                )
            key = str(key_node.value)
            mark = self._mark(key_node)
            if key in seen:
                first = seen[key]
                raise YamlError(
                    mark,
                    f"duplicate key {key!r} (first defined at line {first.line}, "
                    f"column {first.col})",
                    "a key may appear only once in a mapping: merge the two or delete one",
                )
            seen[key] = mark
            self.keys[(*path, key)] = mark
            result[key] = self._value(value_node, (*path, key), active)
        return result

    def _scalar(self, node: yaml.Node, path: Path) -> Any:
        """A node that is neither a mapping nor a sequence: a scalar, the composer's only other
        kind of node."""
        if node.tag in (_STANDARD_TAG + "timestamp", _STANDARD_TAG + "str"):
            found = UNCARRIED.search(node.value)
            if found:  # written as an escape in double quotes ("\x01"): YAML allows that
                raise YamlError(
                    self._mark(node),
                    uncarried_message(found.group()),
                    "remove it from the text (written as an escape such as \\x01 or \\u0001)",
                )
            # Composed form (NFC): "misión" typed either way is one string to compare, search
            # and show (positions are unaffected: they come from the node, not the value).
            return unicodedata.normalize("NFC", node.value)
        self.raw[path] = node.value
        return self.constructor.construct_object(node, deep=False)
