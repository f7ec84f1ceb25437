"""A corpus with an evidence archive: a PNG, a PDF and a saved HTML page (with a script in it)
under ``content/evidence/``, recorded by one source with their SHA-256. Shared by the check
tests (``tests/validate/test_evidence.py``), the page tests (``tests/test_evidence_archive.py``)
and the browser test (``tests/browser/test_evidence.py``)."""

from __future__ import annotations

import hashlib
import struct
import zlib

from tests.helpers import PUBLISHER, minimal_article


def png() -> bytes:
    """A valid PNG, 2 by 1 pixels (red, blue), made here rather than kept as a binary."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00\x00\x00\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PAGE = (
    b"<!doctype html><html><head><title>Planes land</title><style>p{color:red}</style>"
    b"<script>alert('saved page')</script></head><body><h1>Russian planes land</h1>"
    b'<p onclick="alert(1)">Two aircraft landed in <b>Caracas</b>.</p>'
    b'<iframe src="https://evil.example/"></iframe></body></html>'
)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def evidence_files(**changes: bytes) -> dict[str, str | bytes]:
    """The corpus's files; a keyword replaces an evidence file's bytes (as if it had changed
    since its hash was recorded)."""
    files = {"scan.png": png(), "report.pdf": PDF, "saved-page.html": PAGE}
    source = f"""\
        title: Russian planes land in Caracas
        kind: wire
        retrieved: 2019-03-25
        evidence:
          - file: scan.png
            sha256: {sha(files["scan.png"])}
            retrieved: 2019-03-25
            url: https://example.org/scan
            alt: A red and a blue square.
          - file: report.pdf
            title: The report as a PDF
            sha256: {sha(files["report.pdf"])}
            retrieved: 2019-03-26
            url: https://example.org/report.pdf
          - file: saved-page.html
            sha256: {sha(files["saved-page.html"])}
            retrieved: 2019-03-24
            url: https://example.org/planes-land
        """
    return {
        "content/entities/example-times.yaml": PUBLISHER,
        "content/articles/alpha.md": minimal_article(),
        "content/sources/wire-report.yaml": source,
        "content/sources/later-report.yaml": "title: A later report\nkind: wire\n"
        "cites: [wire-report]\n",
        **{f"content/evidence/{name}": changes.get(name, data) for name, data in files.items()},
    }
