"""New items appended to a sidecar with everything already in it kept as it was written.

The engine reads YAML with PyYAML (positions, strictness: :mod:`scholion.load.yamlsource`),
which forgets comments, key order and quoting. Writing a file a person maintains needs a
round-trip library: ruamel.yaml loads the sidecar with its comments, styles and order, the new
items are appended at the end of their lists (a list missing is added at the end of the file),
and only they are new in the text. A string PyYAML would read as something else (``no``,
``2019-03-01``, ``1e3``) is written in quotes, since PyYAML (YAML 1.1) reads what ruamel.yaml
(YAML 1.2) writes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from scholion.commands.annotation_import import Entry

_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"


def merged_sidecar(existing: str, entries: Iterable[Entry], modeline: str) -> str:
    """``existing`` (the sidecar's text, "" when there is none) with ``entries`` appended."""
    round_trip = _yaml(existing)
    data = round_trip.load(existing) if existing.strip() else None
    if data is None:  # no file, or comments only: those stay, the lists follow
        data = CommentedMap()
        head = existing.rstrip("\n") + "\n" if existing.strip() else modeline + "\n"
    else:
        head = ""
    for entry in entries:
        if entry.section not in data or data[entry.section] is None:
            data[entry.section] = CommentedSeq()
        data[entry.section].append(_node(entry.fields))
    out = io.StringIO()
    round_trip.dump(data, out)
    return head + out.getvalue()


def _yaml(existing: str) -> YAML:
    """ruamel.yaml set to write lists the way the file already does (``  - `` under a key by
    default, as ``build.py new`` and the demo write them)."""
    round_trip = YAML()
    round_trip.preserve_quotes = True
    round_trip.width = 4096  # never fold a long line the file did not fold
    flush = re.search(r"^- ", existing, re.MULTILINE) and not re.search(
        r"^  - ", existing, re.MULTILINE
    )
    if flush:
        round_trip.indent(mapping=2, sequence=2, offset=0)
    else:
        round_trip.indent(mapping=2, sequence=4, offset=2)
    return round_trip


def _node(value: Any) -> Any:
    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = _node(item)
        return node
    if isinstance(value, list):
        return CommentedSeq(_node(item) for item in value)
    if isinstance(value, str):
        if "\n" in value:
            return LiteralScalarString(value.rstrip("\n") + "\n")
        if _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != _STR:
            return DoubleQuotedScalarString(value)
    return value
