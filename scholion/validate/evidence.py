"""The evidence archive: every file a source records under ``evidence:`` is in
``content/evidence/`` and is, byte for byte, the copy recorded (its SHA-256); every file there is
recorded by some source.

A hash that does not match is an error at the source's ``sha256:``: the copy a reader is shown
must be the one that was retrieved, and a file replaced (or damaged) without its record being
updated is exactly what an archive of evidence must catch. Written defensively, as the other
cross-file checks: a value of the wrong shape was reported by the schema check and is skipped.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from scholion.diagnostics import Diagnostic, Severity
from scholion.load.documents import Document, EvidenceFile, Records
from scholion.load.per_document import PerDocument, flattened

EVIDENCE = "content/evidence/"
FILE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\.(pdf|png|jpg|jpeg|html|htm)\Z")
"""The names ``source.schema.json`` allows: a file directly in the archive, of a kind it keeps."""


@dataclass
class EvidenceMemo:
    """What the last check found in each source, and against which files (``serve``)."""

    checked: PerDocument[tuple[list[Diagnostic], set[str]]] = field(default_factory=PerDocument)
    context: tuple[dict[str, EvidenceFile], set[str]] | None = None


def check_evidence(records: Records, memo: EvidenceMemo | None = None) -> list[Diagnostic]:
    memo = memo or EvidenceMemo()
    files = {e.name: e for e in records.evidence}
    unreadable = {rel.rsplit("/", 1)[-1] for rel in records.unreadable}
    same, memo.context = memo.context == (files, unreadable), (files, unreadable)

    def check(doc: Document) -> tuple[list[Diagnostic], set[str]]:
        recorded: set[str] = set()
        return list(_source(doc, files, unreadable, recorded)), recorded

    checked = memo.checked.each(records.sources, check, same_context=same)
    found = flattened([problems for problems, _ in checked])
    recorded = set().union(*(names for _, names in checked if names))
    for name, file in sorted(files.items()):
        if name not in recorded:
            found.append(
                Diagnostic(
                    file.rel,
                    0,
                    0,
                    Severity.WARNING,
                    "no source records this evidence file, so the site does not publish it",
                    "add it under evidence: in the source it is a copy of, with its sha256 "
                    f"({file.sha256}), retrieved and url",
                )
            )
    return found


def _source(
    doc: Document, files: dict, unreadable: set[str], recorded: set[str]
) -> Iterator[Diagnostic]:
    items = doc.data.get("evidence") if isinstance(doc.data, dict) else None
    for i, item in enumerate(items if isinstance(items, list) else []):
        name = item.get("file") if isinstance(item, dict) else None
        if not isinstance(name, str) or not FILE_NAME.match(name) or name in unreadable:
            continue  # the schema check reported a name that is no file of the archive
        recorded.add(name)
        file = files.get(name)
        if file is None:
            close = difflib.get_close_matches(name, sorted(files), n=1, cutoff=0.6)
            yield _error(
                doc,
                ("evidence", i, "file"),
                f"evidence file {EVIDENCE}{name} does not exist",
                f"did you mean {close[0]}?"
                if close
                else f"put the file in {EVIDENCE}, or correct the name",
            )
            continue
        expected = item.get("sha256")
        if isinstance(expected, str) and expected != file.sha256:
            yield _error(
                doc,
                ("evidence", i, "sha256"),
                f"{file.rel} is not the copy recorded: its SHA-256 is {file.sha256}",
                "restore the file that was retrieved (git log -- "
                f"{file.rel}); if it was replaced on purpose with a new copy, record that "
                "copy's sha256 and retrieved date",
            )


def _error(doc: Document, path: tuple, message: str, hint: str) -> Diagnostic:
    mark = doc.located.at(path)
    return Diagnostic(doc.path, mark.line, mark.col, Severity.ERROR, message, hint)
