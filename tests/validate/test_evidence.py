"""The evidence archive is checked at every build: a file whose bytes are not the copy its
source records, a file recorded but missing, an image without alt text, a file no source
records, a file of a kind the archive does not keep."""

from __future__ import annotations

import re

from tests.evidence_corpus import PDF, evidence_files, png, sha
from tests.helpers import check, write_corpus

SOURCE = "content/sources/wire-report.yaml"


def test_an_archive_as_recorded_passes(tmp_path):
    assert check(write_corpus(tmp_path, evidence_files())) == []


def test_a_changed_file_fails_check_with_its_path_and_its_hash(tmp_path):
    changed = png() + b"\x00"
    root = write_corpus(tmp_path, evidence_files(**{"scan.png": changed}))
    assert check(root) == [
        f"{SOURCE}:6:13: error: content/evidence/scan.png is not the copy recorded: its SHA-256 "
        f"is {sha(changed)}\n"
        "  hint: restore the file that was retrieved (git log -- content/evidence/scan.png); if "
        "it was replaced on purpose with a new copy, record that copy's sha256 and retrieved "
        "date"
    ]


def test_a_missing_file_is_located_with_a_suggestion(tmp_path):
    files = evidence_files()
    files[SOURCE] = files[SOURCE].replace("file: report.pdf", "file: reprot.pdf")  # type: ignore[union-attr]
    assert check(write_corpus(tmp_path, files)) == [
        "content/evidence/report.pdf:1:1: warning: no source records this evidence file, so the "
        "site does not publish it\n"
        "  hint: add it under evidence: in the source it is a copy of, with its sha256 "
        f"({sha(PDF)}), retrieved and url",
        f"{SOURCE}:10:11: error: evidence file content/evidence/reprot.pdf does not exist\n"
        "  hint: did you mean report.pdf?",
    ]


def test_an_image_needs_alt_text_and_a_name_must_be_plain(tmp_path):
    files = evidence_files()
    text = files[SOURCE]
    assert isinstance(text, str)
    files[SOURCE] = re.sub(r"\n *alt: A red and a blue square\.", "", text).replace(
        "file: saved-page.html", "file: ../saved-page.html"
    )
    problems = check(write_corpus(tmp_path, files))
    assert [p for p in problems if ": error:" in p] == [
        f"{SOURCE}:5:5: error: missing required key 'alt' in 'evidence'\n  hint: add `alt:`",
        f"{SOURCE}:14:11: error: 'file' value '../saved-page.html' is not the name of a file in "
        "content/evidence/\n"
        "  hint: a name like an id, then .pdf, .png, .jpg, .jpeg, .html or .htm, e.g. "
        "saved-page.html",
    ]


def test_a_file_of_another_kind_in_the_archive_is_pointed_at(tmp_path):
    files = evidence_files()
    files["content/evidence/notes.docx"] = b"PK\x03\x04"
    assert check(write_corpus(tmp_path, files)) == [
        "content/evidence/notes.docx:1:1: warning: this file is not evidence a source can "
        "record, and is ignored\n"
        "  hint: evidence files are PDF (.pdf), PNG (.png), JPEG (.jpg, .jpeg) or saved HTML "
        "(.html, .htm), directly in content/evidence/"
    ]
