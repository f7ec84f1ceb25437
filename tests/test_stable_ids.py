"""Ids that stay put (issue 19, item 6): a note, a claim's second appearance, a mention and a
passage keep their id, on the page and in every export, when a paragraph, a note and another
appearance are added above them; the positional ids of earlier versions still land."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

import pytest

from scholion.link.anchors import distinct, former_ids, positional
from scholion.pipeline import build
from scholion.project import Project
from tests.dom import Document, parse_file
from tests.helpers import PUBLISHER, minimal_article, write_corpus

BODY = """\
    Two Russian aircraft landed in Caracas on Saturday.

    Officials in Caracas said the visit was routine. The visit was routine, they said again.
    """

CLAIMS = """\
  - id: visit-routine
    quote: was routine
    suffix: ", they said"
    statement: The visit was routine.
    rating: unverified
    explanation: Only the officials say so.
  - claim: visit-routine
    quote: was routine
    prefix: "said the visit"
"""

NOTES = """\
  - quote: The visit was routine
    kind: framing
    text: Repeated for emphasis.
"""

ADDED_PARAGRAPH = "A new first paragraph: the visit was routine, and Caracas agreed.\n\n"

ADDED_NOTE = """\
  - quote: A new first paragraph
    kind: context
    text: Added later.
"""

ADDED_APPEARANCE = """\
  - claim: visit-routine
    quote: the visit was routine, and
"""


def corpus(root: Path, *, added: bool) -> Path:
    """The corpus, and the same with a paragraph, a note and an appearance added above (the
    appearance last in the sidecar, where a contributor adds one)."""
    more = {"body": ADDED_PARAGRAPH, "claims": ADDED_APPEARANCE, "notes": ADDED_NOTE}
    more = more if added else dict.fromkeys(more, "")
    sidecar = f"claims:\n{CLAIMS}{more['claims']}notes:\n{more['notes']}{NOTES}"
    return write_corpus(
        root,
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/entities/caracas.yaml": "type: place\nname: Caracas\ndescription: A city.\n",
            "content/articles/alpha.md": minimal_article(more["body"] + textwrap.dedent(BODY)),
            "content/articles/alpha.yaml": sidecar,
        },
    )


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[bool, Path]:
    """The site built before and after the additions."""
    result = {}
    for added in (False, True):
        root = corpus(tmp_path_factory.mktemp("corpus"), added=added)
        output = tmp_path_factory.mktemp("site") / "_site"
        report = build(Project.at(root, output), search=False)
        assert report.diagnostics == []
        result[added] = output
    return result


def page(output: Path) -> Document:
    return parse_file(output / "articles/alpha/index.html")


def ids_on_page(doc: Document) -> dict[str, str]:
    """What a reader would link to, by what it is: the framing note's card, the claim's
    appearance in "said the visit was routine", the last paragraph, the last Caracas."""
    note = next(li for li in doc.all("li", cls="sidenote") if "Repeated for emphasis" in li.words)
    refs = [a for a in doc.all("a", cls="ref") if "ref-claim" in a.classes]
    passages = doc.all("div", cls="passage")
    mentions = [
        e
        for e in doc.iter()
        if e.attr("id").startswith("m-caracas-") and "former-id" not in e.classes
    ]
    marks = [m for m in doc.all("mark") if "hl-claim" in m.classes]
    appearance = next(m for m in marks if m.text == "was routine")  # the first "was routine"
    return {
        "note": note.attr("id"),
        "appearance": appearance.attr("data-ann").split()[-1],
        "claims": " ".join(sorted(r.attr("id") for r in refs[-2:])),
        "passage": passages[-1].attr("id"),
        "mention": mentions[-1].attr("id"),
    }


def test_ids_do_not_move_when_something_is_added_above(builds):
    before, after = ids_on_page(page(builds[False])), ids_on_page(page(builds[True]))
    assert before == after
    assert before["note"].startswith("n-") and before["note"] != "n-1"


def exported_ids(output: Path) -> dict[str, set[str]]:
    """The ids of the original records in each export: the framing note, the two appearances
    of visit-routine in the original text, the last Caracas."""
    dump = json.loads((output / "data/corpus.json").read_text(encoding="utf-8"))
    text = next(a["text"] for a in dump["articles"])
    offset = text.index("Officials")
    annotations = {a["anchor"] for a in dump["annotations"] if a["start"] >= offset}
    mentions = {m["anchor"] for m in dump["mentions"] if m["start"] >= offset}
    notes = {n["anchor"] for n in dump["notes"] if "emphasis" in n["html"]}
    jsonld = json.loads((output / "data/annotations/alpha.jsonld").read_text(encoding="utf-8"))
    web = {
        item["id"].rsplit("#", 1)[1]
        for item in jsonld["first"]["items"]
        if item["target"]["selector"][1]["start"] >= offset
    }
    table = (output / "data/appearances.csv").read_text(encoding="utf-8")
    rows = [r for r in csv.DictReader(io.StringIO(table)) if int(r["start"]) >= offset]
    mention_rows = csv.DictReader(io.StringIO((output / "data/mentions.csv").read_text()))
    return {
        "annotations": annotations,
        "web annotations": web,
        "notes": notes,
        "mentions": mentions,
        "appearances.csv": {r["anchor"] for r in rows},
        "appearance urls": {r["url"].rsplit("#", 1)[1] for r in rows},
        "mentions.csv": {r["anchor"] for r in mention_rows if int(r["start"]) >= offset},
    }


def test_exported_ids_do_not_move_when_something_is_added_above(builds):
    before, after = exported_ids(builds[False]), exported_ids(builds[True])
    assert before == after
    assert all(before.values())


def test_the_positional_ids_of_earlier_versions_still_land(builds):
    """Links made before ids were stable (#n-1, #hl-n-1, #c-visit-routine-2, #m-caracas-2,
    #p-2) reach an empty alias beside what they named, which says what it is called now."""
    doc = page(builds[False])
    current = ids_on_page(doc)

    def alias(old: str) -> str:
        element = doc.by_id(old)
        assert element is not None and "former-id" in element.classes, old
        return element.attr("data-id")

    assert alias("n-1") == current["note"]
    assert alias("hl-n-1") == "hl-" + current["note"]
    assert alias("p-2") == current["passage"]
    assert alias("m-caracas-2") == current["mention"]
    assert alias("c-visit-routine-2") == "c-visit-routine"
    ids = [element.attr("id") for element in doc.iter() if element.attr("id")]
    assert len(ids) == len(set(ids))


def test_an_old_id_is_kept_only_where_it_names_nothing_else():
    """Claim ``x`` quoted twice and claim ``x-2`` once: the positional ``c-x-2`` of x's second
    quote is now claim x-2's own id, so it is not kept as an alias; two records that hash alike
    are told apart by order."""
    assert distinct(["c-x", "c-x-2", "n-1a2b3c", "n-1a2b3c"]) == [
        "c-x",
        "c-x-2",
        "n-1a2b3c",
        "n-1a2b3c-2",
    ]
    old = positional(["c-x", "c-x", "c-x-2"])
    assert old == ["c-x", "c-x-2", "c-x-2"]  # the clash earlier versions had
    assert former_ids(["c-x", "c-x-9f8e7d", "c-x-2"], old) == ["", "", ""]
    assert former_ids(["n-5084ec", "n-f8eef2"], ["n-1", "n-2"]) == ["n-1", "n-2"]
    assert positional(["m-caracas", "m-caracas"], numbered=True) == ["m-caracas-1", "m-caracas-2"]
