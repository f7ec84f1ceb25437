"""A DOCX file read as untrusted input, to the HTML the article importer takes in.

Mammoth does the reading (paragraphs, headings, emphasis, lists, links; docs/dependencies.md
says why it and not python-docx). A DOCX file is a zip archive, so before Mammoth opens anything
its directory is checked: the archive, the number of its members and the uncompressed size of
the XML Mammoth parses are bounded, so a zip bomb is refused without being inflated (Python's
``zipfile`` never reads past the size a member declares). Nothing is extracted to disk; images
are counted and left out, never opened; a linked (external) image or file is never read, and
the style map a document may carry inside itself is ignored, so a document cannot choose the
HTML elements its text becomes.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import mammoth

from scholion.diagnostics import SiteError

MAX_DOCX_BYTES = 20_000_000  # the archive, images included (they are never inflated)
MAX_XML_BYTES = 20_000_000  # the parts Mammoth parses, uncompressed, all together
MAX_MEMBERS = 2_000
MEDIA = ("word/media/",)  # images: read only if opened, and they never are
EMBEDDED = ("word/embeddings/", "word/activeX/", "word/charts/")  # OLE objects, controls, charts

# Paragraph styles Word gives a title and its subtitle; the headings, lists, bold and italics
# are in Mammoth's default map.
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p:fresh
"""


@dataclass(frozen=True)
class Document:
    """A DOCX file's text as HTML, and what was left out of it."""

    html: str
    images: int
    embedded: int  # OLE objects (a spreadsheet, a chart), ActiveX controls
    messages: list[str]  # what Mammoth could not read, in its words


def read_docx(path: Path) -> Document:
    """The document as HTML, with what was left out (images, embedded objects, what Mammoth
    could not read). A file that is not a DOCX, or too large, raises SiteError."""
    size = path.stat().st_size
    if size > MAX_DOCX_BYTES:
        raise SiteError(
            f"cannot import {path}: the file is too large ({size:,} bytes; "
            f"the limit is {MAX_DOCX_BYTES:,})"
        )
    try:
        with path.open("rb") as handle:
            members = zipfile.ZipFile(handle).infolist()
            _check_members(path, members)
            handle.seek(0)
            images: list[str] = []
            result = mammoth.convert_to_html(
                handle,
                style_map=STYLE_MAP,
                include_embedded_style_map=False,
                external_file_access=False,
                convert_image=_left_out(images),
            )
    except SiteError:
        raise
    except Exception as exc:  # any failure of a parser fed an untrusted file, reported as one
        raise SiteError(
            f"cannot import {path}: not a readable DOCX file ({type(exc).__name__}: {exc}); "
            "save it again from the word processor as .docx"
        ) from exc
    embedded = [m for m in members if m.filename.startswith(EMBEDDED) and not m.is_dir()]
    messages = sorted({message.message for message in result.messages})
    return Document(result.value, len(images), len(embedded), messages)


def _check_members(path: Path, members: Sequence[zipfile.ZipInfo]) -> None:
    """Refuse an archive too large to parse safely, before anything in it is inflated."""
    if len(members) > MAX_MEMBERS:
        raise SiteError(
            f"cannot import {path}: the archive has {len(members):,} members "
            f"(the limit is {MAX_MEMBERS:,}); it is not a document Word writes"
        )
    parsed = sum(m.file_size for m in members if not m.filename.startswith(MEDIA + EMBEDDED))
    if parsed > MAX_XML_BYTES:
        raise SiteError(
            f"cannot import {path}: its text parts would unpack to {parsed:,} bytes "
            f"(the limit is {MAX_XML_BYTES:,}); split the document into several files"
        )


def _left_out(images: list[str]):
    """Mammoth's image converter: counts the image and puts nothing in its place (its bytes,
    and a linked image's target, are never read)."""

    def convert(image) -> list:
        images.append(image.alt_text or "")
        return []

    return convert
