"""Helpers shared by the tests: write a corpus from inline text, check it, hash a directory.

Tests write each corpus from dedented strings so that a test shows its whole input; only the
minimal ``site_config.yaml`` below is shared, and a test that is about the config writes its own.
An article's routine front matter comes from :func:`minimal_article`, which takes what matters to
the test (its body, a field that differs); a test that locates a problem by line in the article
writes the file out in full.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections import Counter
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


ARTICLE_FIELDS = {
    "title": "Aircraft land in Caracas",
    "date": "2019-03-24",
    "publisher": "example-times",
    "language": "en",
    "rights": "© Example Times.",
}
"""The front matter every article needs, in the order :func:`minimal_article` writes it (the
publisher is :data:`PUBLISHER`)."""


def minimal_article(
    body: str = "Two aircraft landed in Caracas on Saturday.", **fields: str
) -> str:
    """The text of an article file: front matter with :data:`ARTICLE_FIELDS` (title on line 2,
    then date, publisher, language, rights), each replaced by the keyword argument of its name,
    other keyword arguments added after them in the order given, then ``body`` (dedented).
    Values are YAML as written: ``date='"2019-03-24"'`` quotes the date."""
    front = "".join(f"{key}: {value}\n" for key, value in {**ARTICLE_FIELDS, **fields}.items())
    text = textwrap.dedent(body)
    return f"---\n{front}---\n{text}" + ("" if text.endswith("\n") else "\n")


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


def copied_site(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/site for a test to change (without a ``.cache/`` left in it)."""
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "site", root, ignore=shutil.ignore_patterns(".cache"))
    return root


def tree_hashes(root: Path) -> dict[str, str]:
    """Every file under ``root`` (relative path -> SHA-256), to prove a directory unchanged."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


PAGEFIND_UNORDERED = re.compile(
    r"pagefind/(?:[a-z]+-\d+/)?(filter/[a-z-]+_[0-9a-f]+\.pf_filter"
    r"|pagefind\.[a-z-]+_[0-9a-f]+\.pf_meta|pagefind-entry\.json)"
)
"""What Pagefind 1.5.2 writes in hash-map order (Pagefind issue #638), in a single index or in
each shard: the values of each filter, hence those files' names, the metadata file listing them,
and the entry file's hash."""


def pagefind_bytes(path: Path) -> tuple[str, int, tuple[tuple[int, int], ...]]:
    """A Pagefind file reduced to its kind and its bytes in any order, with the names of other
    index files (which carry their content hash) blanked."""
    data = path.read_bytes()
    if path.suffix in (".pf_filter", ".pf_meta"):
        data = gzip.decompress(data)
    data = re.sub(rb"[a-z-]+_[0-9a-f]{7,10}", b"x", data)
    return path.suffix, len(data), tuple(sorted(Counter(data).items()))


def comparable(site: Path) -> tuple[dict[str, str], list[tuple[str, int, tuple]]]:
    """What two builds of the same content must agree on: every file's hash but Pagefind's
    unordered files, and the bytes of those in any order."""
    hashes = tree_hashes(site)
    unordered = {path for path in hashes if PAGEFIND_UNORDERED.fullmatch(path)}
    ordered = {path: digest for path, digest in hashes.items() if path not in unordered}
    return ordered, sorted(pagefind_bytes(site / path) for path in unordered)


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


def on_every_core(monkeypatch, chunk: int = 2) -> None:
    """Make every ``parallel.ordered_map`` fork two workers, however few the items, so that a
    small corpus goes through the path a large one takes."""
    from scholion import parallel

    pooled = parallel.ordered_map
    monkeypatch.setenv("SCHOLION_WORKERS", "2")
    monkeypatch.setattr(
        parallel,
        "ordered_map",
        lambda function, items, **_: pooled(function, items, chunk=chunk, threshold=0),
    )


ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def atom_entries(data: bytes) -> list:
    """The entries of an Atom feed, once it is checked against what RFC 4287 requires: one
    ``id``, ``title`` and ``updated`` (an RFC 3339 date) in the feed and in each entry, ids
    unique and absolute, an author for the feed or for each entry, a ``rel="self"`` link, and
    an alternate link in an entry without content."""
    import xml.etree.ElementTree as ET

    feed = ET.fromstring(data)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    for element in (feed, *entries):
        for name in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{name}")) == 1, (name, ET.tostring(element))
        assert RFC3339.fullmatch(element.findtext(f"{ATOM}updated") or "")
        assert re.match(r"[a-z][a-z0-9+.-]*:", element.findtext(f"{ATOM}id") or "")
        links = element.findall(f"{ATOM}link")
        if element is not feed and element.find(f"{ATOM}content") is None:
            assert any(link.get("rel", "alternate") == "alternate" for link in links)
        for content in element.findall(f"{ATOM}content"):
            assert content.get("type") in ("text", "html", "xhtml")
    assert [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(ids) == len(set(ids)), ids
    if feed.find(f"{ATOM}author/{ATOM}name") is None:
        assert all(entry.find(f"{ATOM}author/{ATOM}name") is not None for entry in entries)
    return entries


def cache_checksum(key: str, value: str, secret: bytes | None = None) -> str:
    """The checksum the build cache keeps with ``value`` under ``key``: for tests that forge an
    entry the cache would otherwise find damaged. Sealed with ``secret``, by default this
    user's (:mod:`scholion.incremental.sealing`), as the cache's own entries are; ``b""``: an
    unsealed cache's, which is all a forger without the secret can compute."""
    from scholion.incremental import sealing
    from scholion.incremental.file_cache import _digest

    key_of = (sealing.secret() or b"") if secret is None else secret
    return _digest(key.encode(), value.encode(), secret=key_of)


def cached_build(root: Path, output: Path, cache: bool = True) -> dict[str, str]:
    """Build ``root`` into ``output`` (without search) using the build cache, or not; the
    site's :func:`tree_hashes`."""
    from scholion.pipeline import build
    from scholion.project import Project

    build(Project.at(root, output), search=False, cache=cache)
    return tree_hashes(output)


def cache_entries(root: Path) -> list[tuple[str, str]]:
    """(key, value) of every entry of ``root``'s build cache, sorted."""
    import sqlite3

    from scholion.incremental.file_cache import FILE

    with sqlite3.connect(root / ".cache" / FILE) as connection:
        return sorted(connection.execute("SELECT key, value FROM entries"))
