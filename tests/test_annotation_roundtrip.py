"""The round trip: Scholion's W3C Web Annotation export, imported into empty sidecars with
``import-annotations``, exports again with the same selectors and bodies — on the demo corpus
and on a generated article dense with overlapping and nested quotes, repeated passages, Windows
line endings and several scripts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from scholion import pipeline
from scholion.commands.import_annotations import plan_annotations, write_planned
from scholion.exports.encoding import to_json
from scholion.exports.webannotation import collection
from scholion.project import Project
from tests.helpers import REPO, write_corpus

EMPTY = "# yaml-language-server: $schema=../../schemas/sidecar.schema.json\n"


def exported(root: Path) -> dict[str, list[tuple]]:
    """Each article's annotations as (motivation, selectors, bodies), in export order."""
    corpus, diagnostics = pipeline.check(Project.at(root))
    assert corpus is not None, [d.format_text() for d in diagnostics]
    result = {}
    for slug in corpus.articles:
        items = json.loads(to_json(collection(corpus, slug)))["first"]["items"]
        result[slug] = [
            (item["motivation"], item["target"]["selector"], item["body"]) for item in items
        ]
    return result


def round_trip(root: Path, tmp_path: Path) -> None:
    """Export, empty every sidecar, import each article's export, and compare."""
    before = exported(root)
    files = {}
    for slug in before:
        corpus_export = tmp_path / f"{slug}.jsonld"
        corpus, _ = pipeline.check(Project.at(root))
        assert corpus is not None
        corpus_export.write_bytes(to_json(collection(corpus, slug)))
        files[slug] = corpus_export
    for sidecar in (root / "content" / "articles").glob("*.yaml"):
        sidecar.write_text(EMPTY, encoding="utf-8")
    for slug, path in files.items():
        planned = plan_annotations(Project.at(root), path, slug)
        assert planned.outcome.rejected == []
        assert len(planned.outcome.added) == len(before[slug])
        write_planned(planned)
    after = exported(root)
    assert after == before
    assert sum(map(len, after.values())) > 0


def test_the_demo_corpus_survives_export_and_import(tmp_path):
    root = tmp_path / "demo"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "site_config.yaml", root / "site_config.yaml")
    _without_claims_named_outside_sidecars(root)
    round_trip(root, tmp_path)


def _without_claims_named_outside_sidecars(root: Path) -> None:
    """The demo's narratives and the claims its relations cite name claims that live in the
    sidecars this test empties (the Web Annotation export carries neither): set them aside, so
    that the corpus checks while its sidecars are empty, as an import requires."""
    shutil.rmtree(root / "content" / "narratives", ignore_errors=True)
    for entity in (root / "content" / "entities").glob("*.yaml"):
        data = yaml.safe_load(entity.read_text(encoding="utf-8"))
        relations = data.get("relations", [])
        if any("claims" in relation for relation in relations):
            for relation in relations:
                relation.pop("claims", None)
            entity.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


PASSAGES = [
    "Войска прибыли в Каракас в субботу, сообщили местные СМИ.",
    "Les avions russes ont atterri à Caracas samedi.",
    "Οι πτήσεις ήταν «συνηθισμένες», είπε η πρεσβεία.",  # noqa: RUF001 (Greek, on purpose)
    "وصلت الطائرات إلى كاراكاس يوم السبت",
    "俄罗斯飞机星期六抵达加拉加斯。",
    "Two aircraft landed — carrying about 100 troops — on Saturday.",
    "The embassy said the flights were routine.",
]


def dense_article() -> tuple[str, list[dict]]:
    """An article whose paragraphs each come twice (so quotes need a prefix), written with
    Windows line endings, and notes on overlapping and nested passages of every paragraph:
    the whole, its first half, all but its first and last words, its middle word."""
    paragraphs = [f"{MARKERS[i % 3]} {PASSAGES[i % len(PASSAGES)]}" for i in range(14)]
    body = "\r\n\r\n".join(paragraphs) + "\r\n"
    notes = []
    for i, passage in enumerate(PASSAGES):
        words = passage.split()
        half = max(1, len(words) // 2)
        for kind, (first, last) in zip(
            ("context", "framing", "context", "framing"),
            [(0, len(words)), (0, half), (1, max(2, len(words) - 1)), (half, half + 1)],
            strict=True,
        ):
            first, last = min(first, len(words) - 1), min(max(last, first + 1), len(words))
            prefix = " ".join([MARKERS[i % 3], *words[:first]])
            notes.append({"kind": kind, "quote": " ".join(words[first:last]), "prefix": prefix})
    return body, notes


MARKERS = ("A:", "B:", "C:")


def test_a_dense_article_in_several_scripts_survives_export_and_import(tmp_path):
    body, notes = dense_article()
    front = (
        "---\r\ntitle: Dense\r\ndate: 2019-03-24\r\npublisher: example-times\r\n"
        "language: en\r\nrights: © Example Times.\r\n---\r\n"
    )
    root = write_corpus(
        tmp_path / "dense",
        {
            "content/articles/dense.md": (front + body).encode(),
            "content/entities/example-times.yaml": "type: media\nname: Example Times\n"
            "description: A daily newspaper.\n",
            "content/sources/wire.yaml": "title: A wire report\nkind: wire\n",
        },
    )
    # every passage is in the text twice: the sidecar says which with a prefix
    lines = [EMPTY.rstrip("\n"), "notes:"]
    for number, note in enumerate(notes):
        lines += [
            f"  - kind: {note['kind']}",
            f"    quote: {json.dumps(note['quote'], ensure_ascii=False)}",
            f"    prefix: {json.dumps(note['prefix'], ensure_ascii=False)}",
            "    text: " + json.dumps(f"Note {number} on *{note['quote']}*", ensure_ascii=False),
        ]
    lines += [
        "claims:",
        "  - id: troops-landed",
        '    quote: "carrying about 100 troops"',
        '    prefix: "A: Two aircraft landed —"',
        "    statement: About 100 troops landed.",
        "    rating: unverified",
        "    explanation: Not confirmed by [anyone](https://example.org/).",
        "    sources:",
        "      - {source: wire, relation: refutes}",
        "  - claim: troops-landed",
        '    quote: "carrying about 100 troops"',
        '    prefix: "C: Two aircraft landed —"',
        "citations:",
        "  - source: wire",
        '    quote: "The embassy said"',
        '    prefix: "A:"',
    ]
    sidecar = "\n".join(line for line in lines if line) + "\n"
    (root / "content/articles/dense.yaml").write_text(sidecar, encoding="utf-8")
    round_trip(root, tmp_path)
