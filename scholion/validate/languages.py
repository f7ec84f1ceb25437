"""Checks on the interface languages of ``site_config.yaml`` (``language`` and ``languages``).

Each language besides the root's gets the site again under its own path (``es/``), so the list
must name the root's language, two tags must not share a path, no plain page may take one, and a
language with no message catalogue is worth a warning: its pages would read in English.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from scholion.diagnostics import Diagnostic, Severity
from scholion.load.documents import Document, Records
from scholion.validate.references import named_like


def check_languages(
    records: Records, has_catalogue: Callable[[str], bool] = lambda _: True
) -> list[Diagnostic]:
    """Problems with the interface languages; ``has_catalogue(tag)`` says whether a message
    catalogue exists for a language (shipped with Scholion or in the corpus's ``locales/``)."""
    doc = records.config
    if doc is None:
        return []
    root, listed = doc.data.get("language"), doc.data.get("languages")
    if not isinstance(root, str) or not isinstance(listed, list):
        return []  # absent, or the wrong shape (the schema check reports that)
    tags = [t for t in listed if isinstance(t, str)]
    return list(_problems(doc, records, root, tags, has_catalogue))


def _problems(
    doc: Document,
    records: Records,
    root: str,
    listed: list[str],
    has_catalogue: Callable[[str], bool],
) -> Iterator[Diagnostic]:
    where = doc.located.key_at(("languages",))
    if root not in listed:
        yield Diagnostic(
            doc.path,
            where.line,
            where.col,
            Severity.ERROR,
            f"'languages' does not include the site's language '{root}'",
            f"add {root} to the list: it is the language of the interface at the site's root",
        )
    paths: dict[str, str] = {}
    for index, tag in enumerate(listed):
        mark = doc.located.at(("languages", index))
        path = tag.lower()
        if path in paths and paths[path] != tag:
            yield Diagnostic(
                doc.path,
                mark.line,
                mark.col,
                Severity.ERROR,
                f"languages '{paths[path]}' and '{tag}' would both be published under {path}/",
                "keep one of them (language tags do not depend on letter case)",
            )
        paths.setdefault(path, tag)
        if tag != root and not has_catalogue(tag) and tag.split("-")[0].lower() != "en":
            yield Diagnostic(
                doc.path,
                mark.line,
                mark.col,
                Severity.WARNING,
                f"no message catalogue for '{tag}': its interface under {path}/ would be English",
                f"add locales/{tag}.po to the corpus (see docs/i18n.md), or remove '{tag}'",
            )
    for path, tag in paths.items():
        if tag != root:
            yield from named_like(
                records.pages,
                {path},
                f"page name '{{name}}' is the path of the interface in '{tag}'",
                "rename the file, e.g. content/pages/{name}-page.md",
            )
