"""Helpers shared by the tests: write a corpus from inline text, check it, hash a directory.

Tests write each corpus from dedented strings so that a test shows its whole input; only the
minimal ``site_config.yaml`` below is shared, and a test that is about the config writes its own.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path

from scholion import pipeline
from scholion.project import Project

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

CONFIG = textwrap.dedent(
    """\
    title: Test corpus
    base_url: https://example.org/corpus/
    language: en
    ratings:
      accurate: {label: Accurate, description: Independent evidence confirms it.}
      unverified: {label: Unverified, description: Not checked., verdict: false}
    entity_types:
      person: {label: Person, plural: People}
      media: {label: Media outlet, plural: Media outlets}
      place: {label: Place, plural: Places}
    note_kinds:
      context: {label: Context}
      framing: {label: Framing}
    source_kinds:
      wire: {label: Wire service report}
      official: {label: Official statement}
    """
)
"""The shared minimal site_config.yaml, written unless a corpus brings its own; a test about the
config appends lines to it or writes its own."""


PUBLISHER = """\
    type: media
    name: Example Times
    description: A daily newspaper.
    """
"""The publisher entity most inline corpora name (id ``example-times``)."""


def write_corpus(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (path -> dedented text, or exact bytes) under ``root``, plus CONFIG and an
    empty ``content/`` unless given; returns ``root``."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    everything = {"site_config.yaml": CONFIG, **files}
    for relative, content in everything.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content if isinstance(content, bytes) else textwrap.dedent(content).encode()
        path.write_bytes(data)
    return root


def check(root: Path) -> list[str]:
    """What ``build.py check`` prints for each diagnostic, in order."""
    _, diagnostics = pipeline.check(Project.at(root))
    return [d.format_text() for d in diagnostics]


def tree_hashes(root: Path) -> dict[str, str]:
    """Every file under ``root`` (relative path -> SHA-256), to prove a directory unchanged."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def run_build_py(*args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``python build.py ARGS`` as a contributor would, outside GitHub Actions by default."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        cwd=REPO,
        timeout=120,
    )
