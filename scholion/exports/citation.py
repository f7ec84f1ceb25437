"""How to cite an article, a claim, or the corpus: BibTeX and CSL-JSON, and a readable line.

Reference managers import CSL-JSON (Zotero, Mendeley, pandoc) or BibTeX (LaTeX). The article
entry cites the original publication and says where the annotated copy is; a claim is cited as
the corpus organisation's review.
"""

from __future__ import annotations

from scholion.exports.encoding import to_json
from scholion.link.citations import Reference


def citation_files(prefix: str, reference: Reference) -> list[tuple[str, bytes]]:
    """``cite.bib`` and ``cite.json`` beside a page (``prefix`` is its directory)."""
    return [
        (f"{prefix}cite.bib", reference.bibtex().encode("utf-8")),
        (f"{prefix}cite.json", to_json([reference.csl()])),
    ]
