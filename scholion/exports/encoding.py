"""How every JSON file of the open data is written."""

from __future__ import annotations

import json
from typing import Any


def to_json(data: Any) -> bytes:
    """Stable JSON: the same corpus always gives the same bytes. Compact, because Python's JSON
    encoder is written in C only without ``indent``: indented, the open-data files took a tenth
    of a build (json.dumps, 8.6 of 100 s profiled at 1,000 articles). Browsers and ``jq``
    indent it for reading."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
