"""Stage 2, validate: every problem in the loaded records, as located diagnostics.

Runs before anything is linked or written (gather everything, then write), and reports all
problems at once: schema violations first, then references between files, then whether each
claim's rating agrees with its sources (warnings).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from scholion.diagnostics import Diagnostic, sort_diagnostics
from scholion.incremental.file_cache import FileCache
from scholion.load.documents import Records
from scholion.load.per_document import PerDocument
from scholion.validate.consistency import ConsistencyMemo, check_consistency
from scholion.validate.evidence import EvidenceMemo, check_evidence
from scholion.validate.languages import check_languages
from scholion.validate.references import ReferenceMemo, check_references
from scholion.validate.schema import check_schemas
from scholion.validate.where_when import WhereWhenMemo, check_where_when


@dataclass
class ValidationMemo:
    """What each check found in each file, kept by ``serve`` between edits: an edit is checked
    in the files it replaced (and against what changed), not in all of them again."""

    schemas: PerDocument[list[Diagnostic]] = field(default_factory=PerDocument)
    references: ReferenceMemo = field(default_factory=ReferenceMemo)
    where_when: WhereWhenMemo = field(default_factory=WhereWhenMemo)
    consistency: ConsistencyMemo = field(default_factory=ConsistencyMemo)
    evidence: EvidenceMemo = field(default_factory=EvidenceMemo)


def validate(
    records: Records,
    has_catalogue: Callable[[str], bool] = lambda _: True,
    cache: FileCache | None = None,
    memo: ValidationMemo | None = None,
) -> list[Diagnostic]:
    """All diagnostics for ``records``, load problems included, in file order.
    ``has_catalogue(tag)`` says whether the interface has messages in a language; ``cache``
    keeps each file's schema diagnostics between builds, ``memo`` what each check found in
    each file (``serve`` keeps both between edits)."""
    memo = memo or ValidationMemo()
    found = list(records.diagnostics)
    found += check_schemas(records, cache, memo.schemas)
    found += check_references(records, memo.references)
    found += check_where_when(records, memo.where_when)
    found += check_consistency(records, memo.consistency)
    found += check_languages(records, has_catalogue)
    found += check_evidence(records, memo.evidence)
    return sort_diagnostics(found)


def unsound_files(
    records: Records, cache: FileCache | None = None, memo: ValidationMemo | None = None
) -> set[str]:
    """The files later stages cannot read: not loaded whole, or not of their schema's shape.
    Errors between files (an unknown id) leave a file sound: its quotes can still be placed."""
    schemas = memo.schemas if memo else None
    found = [*records.diagnostics, *check_schemas(records, cache, schemas)]
    return {d.path for d in found if d.is_error}
