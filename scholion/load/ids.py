"""The rules every id and slug follows: they become URLs and file names, so they must be safe on
every file system; and the valid id closest to a text, for hints."""

from __future__ import annotations

import re

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
"""Ids and slugs: they become URLs and file names, so only this safe alphabet is allowed.
(``\\Z``, not ``$``: Python's ``$`` also matches before a final newline.)"""

MAX_ID_LENGTH = 100
"""As ``maxLength`` of the id in schemas/common.schema.json."""

RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(10)}
)
"""Device names Windows reserves in every directory; they match :data:`ID_PATTERN`, so ids are
checked against them separately."""


def is_reserved_name(name: str) -> bool:
    """Whether Windows reserves ``name`` for a device: a file or directory with that name (with
    any extension) cannot be created there, so neither a content file nor an output path may
    use it."""
    return name.split(".", 1)[0].lower() in RESERVED_NAMES


def suggest_id(text: str) -> str:
    """A valid id close to ``text``, for hints."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    suggestion = "-".join(words)[:MAX_ID_LENGTH].strip("-") or "my-id"
    return f"{suggestion}-1" if is_reserved_name(suggestion) else suggestion
