"""``scholion diff OLD NEW``: the pages a change adds, changes and removes, between two builds.

The check workflow builds a pull request's site and its base branch's, and writes this list to
the job summary, so a reviewer sees which pages the pull request touches, each with its path and
title, before opening the preview. Pages are the HTML files; other files that differ (open
data, feeds, assets) are counted. The search index is left out: the base is built without it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

IGNORED = ("pagefind/",)
LIMIT = 200
"""Pages listed per kind of change at most: a summary holds one megabyte, and a change to a
template changes every page."""

_TITLE = re.compile(rb"<title>(.*?)</title>", re.DOTALL)


@dataclass(frozen=True)
class Page:
    path: str
    """As in the site's address: ``articles/x/`` for ``articles/x/index.html``."""
    title: str


@dataclass(frozen=True)
class SiteChanges:
    added: list[Page] = field(default_factory=list)
    changed: list[Page] = field(default_factory=list)
    removed: list[Page] = field(default_factory=list)
    other_files: int = 0
    """Files that are not pages and were added, changed or removed."""
    pages: int = 0
    """Pages in the new site."""


def compare(old: Path, new: Path) -> SiteChanges:
    """What differs from the site built in ``old`` to the one built in ``new``."""
    before, after = _files(old), _files(new)
    differ = {
        p
        for p in before.keys() & after.keys()
        if before[p].stat().st_size != after[p].stat().st_size
        or before[p].read_bytes() != after[p].read_bytes()
    }
    gone, new_files = before.keys() - after.keys(), after.keys() - before.keys()

    def pages(paths: set[str], site: dict[str, Path]) -> list[Page]:
        return [_page(p, site[p]) for p in sorted(paths) if p.endswith(".html")]

    return SiteChanges(
        added=pages(new_files, after),
        changed=pages(differ, after),
        removed=pages(gone, before),
        other_files=sum(not p.endswith(".html") for p in differ | gone | new_files),
        pages=sum(p.endswith(".html") for p in after),
    )


def markdown(changes: SiteChanges, limit: int = LIMIT) -> str:
    """The changes as a job summary: counts, then a table of pages for each kind of change."""
    counts = (
        f"{len(changes.added)} added, {len(changes.changed)} changed, "
        f"{len(changes.removed)} removed (the site has {changes.pages} pages)"
    )
    lines = ["## Pages this pull request changes", ""]
    if not (changes.added or changes.changed or changes.removed):
        lines.append("No page differs from the base branch's build.")
    else:
        lines.append(f"Compared with the base branch's build: {counts}.")
    if changes.other_files:
        lines.append(f"Other files that differ (open data, feeds, assets): {changes.other_files}.")
    for heading, listed in (
        ("Added", changes.added),
        ("Changed", changes.changed),
        ("Removed", changes.removed),
    ):
        if listed:
            lines += ["", f"### {heading} ({len(listed)})", "", "| Page | Title |", "| --- | --- |"]
            lines += [f"| `{p.path}` | {_cell(p.title)} |" for p in listed[:limit]]
            if len(listed) > limit:
                lines.append(f"| … and {len(listed) - limit} more | |")
    return "\n".join(lines) + "\n"


def no_base(new: Path) -> str:
    """The summary when the base branch's site could not be built."""
    pages = sum(p.endswith(".html") for p in _files(new))
    return (
        "## Pages this pull request changes\n\n"
        f"The base branch's site could not be built, so the {pages} pages of this pull "
        "request's site are not compared with it.\n"
    )


def _files(site: Path) -> dict[str, Path]:
    found = {}
    for path in site.rglob("*"):
        relative = path.relative_to(site).as_posix()
        if path.is_file() and not relative.startswith(IGNORED):
            found[relative] = path
    return found


def _page(relative: str, path: Path) -> Page:
    address = relative.removesuffix("index.html") if relative.endswith("/index.html") else relative
    if relative == "index.html":
        address = "/"
    match = _TITLE.search(path.read_bytes())
    title = html.unescape(match.group(1).decode("utf-8", "replace")) if match else ""
    return Page(address, " ".join(title.split()))


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell."""
    return html.escape(text, quote=False).replace("|", "\\|")
