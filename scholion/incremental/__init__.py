"""What a build remembers of the last one, so that it does only the work an edit calls for.

Three memories, each safe to lose (``.cache/`` may be deleted at any time) and each checked so
that the result is byte for byte a clean build's:

- :mod:`.fingerprint`: a digest of every input; when it and the output are as the last build
  left them, the build does nothing;
- :mod:`.dependencies` (with :mod:`.tracking`): what each page read of the corpus; a page whose
  reads are unchanged is not rendered again;
- :mod:`.file_cache`: per-file results (schema diagnostics, Markdown) kept between builds, used
  by the validate and link stages.

The pipeline talks to the first two only through :class:`BuildMemory`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TypeGuard

from scholion import parallel
from scholion.incremental import dependencies, fingerprint
from scholion.incremental.fingerprint import Previous
from scholion.project import Project

__all__ = ["BuildMemory", "Previous"]


@dataclass(frozen=True)
class BuildMemory:
    """The last build as recorded in ``.cache/``, for a build of ``project`` with ``options``
    reading ``inputs`` (templates, static files, locales) besides its content and the engine."""

    project: Project
    fingerprint: str
    theme: str

    @classmethod
    def recall(
        cls, project: Project, inputs: Iterable[Path], options: Mapping[str, object]
    ) -> BuildMemory:
        inputs = list(inputs)
        hashes = fingerprint.FileHashes.recall(project)
        memory = cls(
            project,
            fingerprint.fingerprint(project, inputs, options, hashes),
            dependencies.theme(inputs, options, hashes),
        )
        hashes.save(project)
        return memory

    def unchanged(self) -> Previous | None:
        """The last build's report when nothing it read has changed and its output is intact:
        then there is nothing to do."""
        return fingerprint.unchanged(self.project, self.fingerprint)

    def pages(self, staging: Path) -> dependencies.Known:
        """What the last build's pages read, for those still in ``staging`` as it published
        them: the render stage skips a page whose reads are unchanged and notes what the others
        read now."""
        return dependencies.Known(self.theme, dependencies.previous(self.project, staging))

    def list_staged(self, staging: Path, leave: Collection[str]) -> Listing:
        """Begin the listing of the output for the fingerprint in ``staging``, once its files
        are all there but the folders at the top named in ``leave`` (the search index's, which
        the search stage writes): in a child, while that stage ends, the site is published
        (the listing reads the directory through a descriptor, whatever its name) and the
        record written (a ``stat`` of each file, 1.6 s at 10,000 articles)."""
        folder = os.open(staging, os.O_RDONLY | os.O_DIRECTORY)  # now: it is renamed soon
        try:
            listing = functools.partial(fingerprint.listing_parts, folder, tuple(leave))
            return Listing(parallel.Beside(listing), tuple(leave))
        finally:
            os.close(folder)  # the child has its own

    def remember(
        self, report: Previous, pages: dependencies.Known, listed: Listing | None = None
    ) -> None:
        """Record a published build: its fingerprint and report, and what each page read.
        Only after :func:`scholion.output.write.publish`, since entries name published files.
        The output is listed for the fingerprint in a child while the record is written (1 s):
        the folders ``listed`` left out, if it was begun (:meth:`list_staged`), else all of
        it; the fingerprint, which says the build is complete, comes last."""
        output = self.project.output
        only = listed.left if listed else None
        rest = parallel.Beside(functools.partial(fingerprint.listing_parts, str(output), (), only))
        dependencies.save(self.project, pages)
        found = [rest.result(), *([listed.listing.result()] if listed else [])]
        parts = [part for part in found if _is_listing(part)]
        if len(parts) == len(found):
            digest = fingerprint.listing_of(*parts)
        else:  # a child failed: listed here
            digest = fingerprint.listing_digest(output)
        fingerprint.remember(self.project, self.fingerprint, report, digest)


class Listing(NamedTuple):
    """The output's listing begun in a child (:meth:`BuildMemory.list_staged`), and the folders
    at the top it leaves out."""

    listing: parallel.Beside
    left: tuple[str, ...]


def _is_listing(found: object) -> TypeGuard[fingerprint.Listing]:
    return (
        isinstance(found, tuple)
        and len(found) == 2
        and isinstance(found[0], bytes)
        and isinstance(found[1], list)
    )
