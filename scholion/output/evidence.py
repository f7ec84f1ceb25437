"""The evidence archive published: each file a source records, under ``evidence/`` in the site.

Images and PDFs are published as they are (``check`` has confirmed their SHA-256). A saved HTML
page never is: served from the site's own address, its scripts would run with the site's
authority and its markup would pose as the site. It is published as its text only
(``evidence/<file>.txt``, plain text, which a browser shows and never runs), read with the
same HTML parser the article import uses, scripts, styles and templates dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scholion.model import Corpus, OutputFile
from scholion.project import Project

INERT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math")
BLOCKS = (
    *("p", "div", "li", "tr", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "title"),
    *("blockquote", "pre", "article", "section", "header", "footer", "dt", "dd", "figcaption"),
)


def evidence_files(project: Project, corpus: Corpus) -> Iterator[OutputFile]:
    """Each recorded evidence file once (two sources may record one copy), in name order."""
    published = {}
    for source in corpus.sources.values():
        for item in source.evidence:
            published[item.published] = item
    for path, item in sorted(published.items()):
        data = (project.content / "evidence" / item.file).read_bytes()
        yield OutputFile(path, page_text(data) if item.kind == "page" else data)


def page_text(html: bytes) -> bytes:
    """The words of a saved page, a line per block, as UTF-8 plain text."""
    from bs4 import BeautifulSoup  # here: a tenth of a second to import, for corpora with pages

    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(INERT):
        element.decompose()
    for element in soup.find_all(BLOCKS):  # a line per block; inline markup joins its words
        element.insert_after("\n")
    text = soup.get_text()
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")
