"""Stage 2, validate: every problem in the loaded records, as located diagnostics.

Runs before anything is linked or written (gather everything, then write), and reports all
problems at once: schema violations first, then references between files, then whether each
claim's rating agrees with its sources (warnings).
"""

from __future__ import annotations

from collections.abc import Callable

from scholion.diagnostics import Diagnostic, sort_diagnostics
from scholion.incremental.file_cache import FileCache
from scholion.load.documents import Records
from scholion.validate.consistency import check_consistency
from scholion.validate.evidence import check_evidence
from scholion.validate.languages import check_languages
from scholion.validate.references import ReferenceMemo, check_references
from scholion.validate.schema import check_schemas
from scholion.validate.where_when import check_where_when


def validate(
    records: Records,
    has_catalogue: Callable[[str], bool] = lambda _: True,
    cache: FileCache | None = None,
    references: ReferenceMemo | None = None,
) -> list[Diagnostic]:
    """All diagnostics for ``records``, load problems included, in file order.
    ``has_catalogue(tag)`` says whether the interface has messages in a language; ``cache``
    keeps each file's schema diagnostics between builds, ``references`` what checking each
    file's references found (``serve`` keeps both between edits)."""
    found = list(records.diagnostics)
    found += check_schemas(records, cache)
    found += check_references(records, references)
    found += check_where_when(records)
    found += check_consistency(records)
    found += check_languages(records, has_catalogue)
    found += check_evidence(records)
    return sort_diagnostics(found)


def unsound_files(records: Records, cache: FileCache | None = None) -> set[str]:
    """The files later stages cannot read: not loaded whole, or not of their schema's shape.
    Errors between files (an unknown id) leave a file sound: its quotes can still be placed."""
    found = [*records.diagnostics, *check_schemas(records, cache)]
    return {d.path for d in found if d.is_error}
