"""The shapes annotation files come in, read into one (:class:`Incoming`): a single annotation,
a collection whose pages are given inline, a page, the Hypothesis client's export, and the
selectors, bodies and labels each carries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scholion.commands.annotation_formats import Body, FormatError, read_annotations

QUOTE = {"type": "TextQuoteSelector", "exact": "landed", "prefix": "aircraft ", "suffix": " in"}
POSITION = {"type": "TextPositionSelector", "start": 21, "end": 27}


def annotation(number: int) -> dict:
    return {
        "id": f"https://example.org/a/{number}",
        "type": "Annotation",
        "motivation": ["commenting", "tagging"],
        "body": [
            {"type": "TextualBody", "value": f"Comment {number}", "format": "text/html"},
            {"type": "TextualBody", "purpose": "tagging", "value": "framing"},
            "https://example.org/corpus/entities/moscow/",
        ],
        "target": {"source": "https://example.org/page", "selector": [POSITION, QUOTE]},
    }


def refs(tmp_path: Path, data: object) -> list[str]:
    path = tmp_path / "in.jsonld"
    path.write_text(json.dumps(data), encoding="utf-8")
    return [item.ref for item in read_annotations(path).items]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (annotation(1), ["item 1 (https://example.org/a/1)"]),
        (
            {
                "type": "AnnotationCollection",
                "first": {
                    "type": "AnnotationPage",
                    "items": [annotation(1)],
                    "next": {"type": "AnnotationPage", "items": [annotation(2)]},
                },
            },
            ["item 1 (https://example.org/a/1)", "item 2 (https://example.org/a/2)"],
        ),
        (
            {"type": "AnnotationPage", "items": [annotation(3)]},
            ["item 1 (https://example.org/a/3)"],
        ),
        (
            {"export_date": "2024-01-01", "annotations": [annotation(4)]},
            ["item 1 (https://example.org/a/4)"],
        ),
        ([annotation(5), "not an annotation"], ["item 1 (https://example.org/a/5)", "item 2"]),
    ],
)
def test_every_shape_gives_its_annotations(tmp_path, data, expected):
    assert refs(tmp_path, data) == expected


def test_an_annotation_is_read_with_its_selectors_bodies_and_labels(tmp_path):
    path = tmp_path / "one.jsonld"
    path.write_text(json.dumps(annotation(1)), encoding="utf-8")
    (item,) = read_annotations(path).items
    assert (item.exact, item.prefix, item.suffix) == ("landed", "aircraft ", " in")
    assert (item.start, item.end) == (21, 27)
    assert item.motivations == ("commenting", "tagging")
    assert item.labels == ("framing",)
    assert item.bodies == (
        Body("", "Comment 1", "text/html"),
        Body(id="https://example.org/corpus/entities/moscow/"),
    )
    assert item.source == "https://example.org/page"
    assert item.problem == ""


def test_a_collection_whose_pages_are_elsewhere_is_refused_not_fetched(tmp_path):
    """Pages named by URL would be a request to another host: the import reads files only."""
    data: dict = {"type": "AnnotationCollection", "first": "https://example.org/page1"}
    with pytest.raises(FormatError, match=r"pages are elsewhere \(https://example.org/page1\)"):
        refs(tmp_path, data)
    data["first"] = {"type": "AnnotationPage", "items": [], "next": "https://example.org/page2"}
    with pytest.raises(FormatError, match=r"pages are elsewhere \(https://example.org/page2\)"):
        refs(tmp_path, data)
