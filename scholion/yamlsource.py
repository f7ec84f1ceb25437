"""Parse YAML into plain data while keeping the file position of every key and value.

Why not ``yaml.safe_load``: diagnostics must point at line and column, PyYAML forgets positions
once it constructs Python objects, and its constructor silently accepts duplicate keys and
expands aliases without bound. So we compose the node graph (the C parser when present) and
build the data ourselves, recording a :class:`Mark` for each path.

YAML 1.1 timestamps are kept as their text ("2019-03-25"): every date in our formats is a
string, and a value such as ``title: 2019-03-25`` should stay what the contributor typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .diagnostics import Diagnostic, Severity

try:  # the C parser is several times faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]

MAX_NODES = 200_000
"""Bound on constructed values per document: stops "billion laughs" alias bombs early."""

_STANDARD_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {"str", "int", "float", "bool", "null", "timestamp"}


@dataclass(frozen=True, slots=True)
class Mark:
    """A 1-based line and column."""

    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Located:
    """Parsed data plus where each value (and each mapping key) came from."""

    data: Any
    values: dict[Path, Mark] = field(default_factory=dict)
    keys: dict[Path, Mark] = field(default_factory=dict)

    def at(self, path: Path) -> Mark:
        """The position of the value at ``path``, or of its nearest parent that has one."""
        for end in range(len(path), -1, -1):
            mark = self.values.get(tuple(path[:end]))
            if mark is not None:
                return mark
        return Mark(1, 1)

    def key_at(self, path: Path) -> Mark:
        """The position of the key whose value is at ``path`` (falls back to the value)."""
        return self.keys.get(tuple(path)) or self.at(path)


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
        node = yaml.compose(text, Loader=_Loader)
        located = _Builder(line_offset).build(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(mark.line + 1 + line_offset, mark.column + 1) if mark else Mark(1, 1)
        problem = _syntax_problem(exc, where, line_offset)
        hint = _syntax_hint(text, where.line - line_offset)
        return None, [_diag(path, where, f"YAML syntax error: {problem}", hint)]
    except yaml.YAMLError as exc:
        return None, [_diag(path, Mark(1, 1), f"YAML error: {exc}", "")]
    except YamlError as exc:
        return None, [_diag(path, exc.mark, exc.message, exc.hint)]
    except RecursionError:
        return None, [_diag(path, Mark(1, 1), "YAML nesting is too deep", "flatten the document")]
    return located, []


def _diag(path: str, mark: Mark, message: str, hint: str) -> Diagnostic:
    return Diagnostic(path, mark.line, mark.col, Severity.ERROR, message, hint)


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
    if ": " in current.partition(":")[2]:
        return 'a value containing ": " must be quoted, e.g. key: "a: b"'
    return "check the indentation and quoting on this line and the one before it"


class _Builder:
    """Turns a composed node graph into data plus marks; not reused across documents."""

    def __init__(self, line_offset: int):
        self.offset = line_offset
        self.values: dict[Path, Mark] = {}
        self.keys: dict[Path, Mark] = {}
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node | None) -> Located:
        data = {} if node is None else self._value(node, (), frozenset())
        return Located(data, self.values, self.keys)

    def _mark(self, node: yaml.Node) -> Mark:
        return Mark(node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)

    def _value(self, node: yaml.Node, path: Path, active: frozenset[int]) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlError(
                self._mark(node),
                f"the document expands to more than {MAX_NODES:,} values",
                "YAML aliases (*name) are expanded on load: remove the aliases or split the file",
            )
        if id(node) in active:
            raise YamlError(
                self._mark(node), "recursive YAML alias", "an alias cannot contain itself"
            )
        self.values[path] = self._mark(node)
        self._check_tag(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, active | {id(node)})
        if isinstance(node, yaml.SequenceNode):
            inner = active | {id(node)}
            return [self._value(item, (*path, i), inner) for i, item in enumerate(node.value)]
        return self._scalar(node)

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

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STANDARD_TAG + "timestamp":
            return node.value
        if node.tag == _STANDARD_TAG + "str":
            return node.value
        return self.constructor.construct_object(node, deep=False)
