"""Open data: every export parses with standard tools and agrees with the corpus it came from."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from frictionless import Package, system

from scholion.exports import export_files
from scholion.pipeline import check
from scholion.project import SCHEMAS, Project
from tests.helpers import PUBLISHER, atom_entries, minimal_article

REPO = Path(__file__).resolve().parents[2]
EXPORT_SCHEMAS = SCHEMAS / "export"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module", params=["tests/fixtures/site", "."], ids=["fixture", "demo"])
def exported(request):
    corpus, diagnostics = check(Project.at(REPO / request.param))
    assert corpus is not None, diagnostics
    return corpus, {f.path: f.content for f in export_files(corpus)}


def load_json(files, path):
    return json.loads(files[path].decode("utf-8"))


def test_corpus_json_matches_its_published_schema_and_round_trips(exported):
    corpus, files = exported
    dump = load_json(files, "data/corpus.json")
    jsonschema.validate(dump, load_json(files, "data/corpus.schema.json"))
    assert sorted(a["id"] for a in dump["articles"]) == sorted(corpus.articles)
    assert sorted(c["id"] for c in dump["claims"]) == sorted(corpus.claims)
    assert sorted(e["id"] for e in dump["entities"]) == sorted(corpus.entities)
    assert sorted(s["id"] for s in dump["sources"]) == sorted(corpus.sources)
    appearances = {}
    for ann in dump["annotations"]:
        if ann["kind"] == "claim":
            appearances.setdefault(ann["target"], []).append((ann["article"], ann["anchor"]))
    assert {claim: sorted(apps) for claim, apps in appearances.items()} == {
        claim: sorted((a.article, a.anchor) for a in apps)
        for claim, apps in corpus.appearances.items()
    }
    rebuilt_cites = {s["id"]: s["cites"] for s in dump["sources"]}
    assert rebuilt_cites == {s.id: list(s.cites) for s in corpus.sources.values()}


def test_every_annotation_exact_is_the_article_text_at_its_position(exported):
    _, files = exported
    dump = load_json(files, "data/corpus.json")
    texts = {a["id"]: a["text"] for a in dump["articles"]}
    assert dump["annotations"]
    for ann in dump["annotations"]:
        text = texts[ann["article"]]
        assert text[ann["start"] : ann["end"]] == ann["exact"]
        assert text[: ann["start"]].endswith(ann["prefix"])
        assert text[ann["end"] :].startswith(ann["suffix"])


def test_web_annotations_are_valid_and_anchor_in_the_text(exported):
    corpus, files = exported
    schema_file = EXPORT_SCHEMAS / "web-annotation.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    texts = {a["id"]: a["text"] for a in load_json(files, "data/corpus.json")["articles"]}
    whole = load_json(files, "data/annotations.jsonld")
    jsonschema.validate(whole, schema)
    assert whole["total"] == sum(len(v) for v in corpus.annotations.values())
    for slug in corpus.articles:
        collection = load_json(files, f"data/annotations/{slug}.jsonld")
        jsonschema.validate(collection, schema)
        for item in collection["first"]["items"]:
            quote, position = item["target"]["selector"]
            assert item["target"]["source"].endswith(f"articles/{slug}/")
            assert texts[slug][position["start"] : position["end"]] == quote["exact"]


def test_a_claims_sources_are_bodies_of_its_annotations_by_relation():
    """Evidence is part of the assessment; where the claim comes from (origin) is a link, as a
    citation is; context describes. (On the fixture: troops-arrived comes from the embassy's
    statement, with the Reuters report as context; aircraft-landed rests on evidence.)"""
    corpus, _ = check(Project.at(REPO / "tests/fixtures/site"))
    assert corpus is not None
    files = {f.path: f.content for f in export_files(corpus)}

    def sources(slug: str, claim_id: str) -> list[tuple[str, str]]:
        items = load_json(files, f"data/annotations/{slug}.jsonld")["first"]["items"]
        bodies = next(i["body"] for i in items if i["id"].endswith(f"#c-{claim_id}"))
        return [
            (b["id"].split("/sources/")[1], b["purpose"])
            for b in bodies
            if "/sources/" in b.get("id", "")
        ]

    assert sources("beta", "troops-arrived") == [
        ("embassy-statement/", "linking"),
        ("reuters-report/", "describing"),
    ]
    assert {purpose for _, purpose in sources("alpha", "aircraft-landed")} == {"assessing"}


def test_csv_tables_have_one_row_per_record_and_match_the_datapackage(exported):
    corpus, files = exported
    package = load_json(files, "data/datapackage.json")
    expected_rows = {
        "claims": len(corpus.claims),
        "appearances": sum(len(v) for v in corpus.appearances.values()),
        "entities": len(corpus.entities),
        "sources": len(corpus.sources),
        "mentions": sum(len(v) for v in corpus.mentions.values()),
        "relations": sum(len(e.relations) for e in corpus.entities.values()),
        "claim_links": sum(len(c.links) for c in corpus.claims.values()),
        "narratives": len(corpus.narratives),
    }
    assert [r["name"] for r in package["resources"]] == list(expected_rows)
    for resource in package["resources"]:
        rows = list(csv.DictReader(io.StringIO(files[f"data/{resource['path']}"].decode())))
        assert len(rows) == expected_rows[resource["name"]]
        fields = resource["schema"]["fields"]
        header = files[f"data/{resource['path']}"].decode().splitlines()[0]
        assert header.split(",") == [f["name"] for f in fields]
        for field in fields:
            if field["type"] == "integer":
                assert all(row[field["name"]].isdigit() for row in rows)
            if field["type"] == "boolean":
                assert {row[field["name"]] for row in rows} <= {"true", "false"}


def test_graphs_as_json_and_graphml_have_the_same_edges(exported):
    corpus, files = exported
    for name in ("co-mentions", "provenance", "relations", "claim-links"):
        graph = load_json(files, f"data/graphs/{name}.json")
        root = ET.fromstring(files[f"data/graphs/{name}.graphml"])
        ns = "{http://graphml.graphdrawing.org/xmlns}"
        edges = [(e.get("source"), e.get("target")) for e in root.iter(f"{ns}edge")]
        assert edges == [(e["source"], e["target"]) for e in graph["edges"]]
    provenance = load_json(files, "data/graphs/provenance.json")
    expected = {(f"source:{s.id}", f"source:{c}") for s in corpus.sources.values() for c in s.cites}
    assert {
        (e["source"], e["target"]) for e in provenance["edges"] if e["source"].startswith("source:")
    } == expected


def test_feeds_parse_as_atom_and_json_feed(exported):
    corpus, files = exported
    for term in corpus.config.ratings:
        feed = ET.fromstring(files[f"claims/rated/{term.id}/feed.xml"])
        assert feed.tag == f"{ATOM}feed"
        titles = {e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")}
        assert titles == {c.statement for c in corpus.claims.values() if c.rating == term.id}
    for entity_id in corpus.entities:
        feed = ET.fromstring(files[f"entities/{entity_id}/feed.xml"])
        assert len(list(feed.iter(f"{ATOM}entry"))) == len(
            corpus.articles_by_entity.get(entity_id, ())
        )
    for claim_id in corpus.claims:
        entries = atom_entries(files[f"claims/{claim_id}/feed.xml"])
        titles = [e.findtext(f"{ATOM}title") for e in entries]
        assert len([t for t in titles if t.startswith("Appears in: ")]) == len(
            corpus.appearances[claim_id]
        )
    json_feed = load_json(files, "feed.json")
    assert json_feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["title"] for i in json_feed["items"]] == [a.title for a in corpus.articles_by_date()]


def test_every_record_page_has_a_json_file_beside_it(exported):
    corpus, files = exported
    for prefix, ids in (
        ("articles", corpus.articles),
        ("claims", corpus.claims),
        ("entities", corpus.entities),
        ("sources", corpus.sources),
    ):
        for record_id in ids:
            assert load_json(files, f"{prefix}/{record_id}/index.json")["id"] == record_id


def test_hostile_text_is_data_not_markup_in_every_export(tmp_path):
    from tests.helpers import minimal_article, write_corpus

    payload = "</script><script>alert(1)</script>\"'<!--"
    write_corpus(
        tmp_path,
        {
            "content/entities/paper.yaml": f"type: media\nname: {json.dumps(payload)}\n"
            "description: x\n",
            "content/articles/a.md": minimal_article(title=json.dumps(payload), publisher="paper"),
        },
    )
    corpus, diagnostics = check(Project.at(tmp_path))
    assert corpus is not None, diagnostics
    files = {f.path: f.content for f in export_files(corpus)}
    assert load_json(files, "data/corpus.json")["articles"][0]["title"] == payload
    feed = ET.fromstring(files["entities/paper/feed.xml"])
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == payload


def test_every_primary_key_is_unique_as_frictionless_requires(exported):
    """appearances.csv declared ``anchor`` its key, but a claim shared by two articles has the
    same anchor in both, so the data package did not validate."""
    _, files = exported
    for resource in load_json(files, "data/datapackage.json")["resources"]:
        key = resource["schema"]["primaryKey"]
        assert key, resource["name"]
        rows = list(csv.DictReader(io.StringIO(files[f"data/{resource['path']}"].decode())))
        keys = [tuple(row[name] for name in key) for row in rows]
        assert len(set(keys)) == len(keys), resource["name"]


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/entities/formula.yaml": (
                "type: media\nname: '@SUM(1+1)'\ndescription: '=HYPERLINK(\"https://x.test\")'\n"
            ),
            "content/sources/minus.yaml": "title: '-2+3'\nkind: wire\n",
            "content/articles/alpha.md": minimal_article(),
        }
    )
    found, diagnostics = check(Project.at(root))
    assert found is not None, diagnostics
    files = {f.path: f.content for f in export_files(found)}
    entities = {
        row["id"]: row for row in csv.DictReader(io.StringIO(files["data/entities.csv"].decode()))
    }
    assert entities["formula"]["name"] == "'@SUM(1+1)"
    assert entities["formula"]["description"] == '\'=HYPERLINK("https://x.test")'
    assert entities["example-times"]["name"] == "Example Times"
    sources = list(csv.DictReader(io.StringIO(files["data/sources.csv"].decode())))
    assert sources[0]["title"] == "'-2+3"


def test_the_published_data_package_validates_with_frictionless(exported, tmp_path):
    """As a data user would check it: ``frictionless validate datapackage.json``."""
    _, files = exported
    for path, content in files.items():
        if path.startswith("data/") and path.count("/") == 1:
            (tmp_path / path.removeprefix("data/")).write_bytes(content)
    with system.use_context(trusted=True):
        report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_relations_round_trip_through_every_export(exported):
    """The relations read back from corpus.json, relations.csv and the relation graph are the
    ones the entity files declare, with their dates, sources and claims."""
    corpus, files = exported
    declared = sorted(
        (r.subject, r.type, r.object, r.start, r.end, list(r.sources), list(r.claims))
        for e in corpus.entities.values()
        for r in e.relations
    )
    assert declared  # the fixture and the demo both have some
    dump = load_json(files, "data/corpus.json")
    from_json = sorted(
        (r["subject"], r["type"], r["object"], r["from"], r["to"], r["sources"], r["claims"])
        for r in dump["relations"]
    )
    rows = csv.DictReader(io.StringIO(files["data/relations.csv"].decode()))
    from_csv = sorted(
        (
            r["subject"],
            r["type"],
            r["object"],
            r["from"],
            r["to"],
            [s for s in r["sources"].split(";") if s],
            [c for c in r["claims"].split(";") if c],
        )
        for r in rows
    )
    assert from_json == from_csv == declared
    graph = load_json(files, "data/graphs/relations.json")
    assert sorted((e["source"], e["type"], e["target"]) for e in graph["edges"]) == sorted(
        d[:3] for d in declared
    )
    root = ET.fromstring(files["data/graphs/relations.graphml"])
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    types = [d.text for e in root.iter(f"{ns}edge") for d in e if d.get("key") == "type"]
    assert sorted(types) == sorted(d[1] for d in declared)


def test_narratives_and_claim_links_round_trip(exported):
    corpus, files = exported
    dump = load_json(files, "data/corpus.json")
    assert {n["id"]: n["claims"] for n in dump["narratives"]} == {
        n.id: list(n.claims) for n in corpus.narratives.values()
    }
    rows = csv.DictReader(io.StringIO(files["data/narratives.csv"].decode()))
    assert {r["id"]: r["claims"].split(";") for r in rows} == {
        n.id: list(n.claims) for n in corpus.narratives.values()
    }
    for narrative_id in corpus.narratives:
        record = load_json(files, f"narratives/{narrative_id}/index.json")
        assert record["claims"] == list(corpus.narratives[narrative_id].claims)
    links = sorted(
        (c["id"], link["type"], link["claim"]) for c in dump["claims"] for link in c["links"]
    )
    assert links == sorted(
        (link.claim, link.type, link.other) for c in corpus.claims.values() for link in c.links
    )
    assert links
    rows = csv.DictReader(io.StringIO(files["data/claim_links.csv"].decode()))
    assert sorted((r["claim"], r["type"], r["other"]) for r in rows) == links
    expressed = {c["id"]: c["narratives"] for c in dump["claims"] if c["narratives"]}
    assert expressed == {k: list(v) for k, v in corpus.narratives_by_claim.items()}


def test_authority_ids_are_exported_as_columns_and_in_the_records(exported):
    corpus, files = exported
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(files["data/entities.csv"].decode()))}
    for entity in corpus.entities.values():
        record = load_json(files, f"entities/{entity.id}/index.json")
        assert record["authorities"] == {a.scheme: a.id for a in entity.authorities}
        for scheme in ("gnd", "geonames", "viaf", "orcid", "isni"):
            assert rows[entity.id][scheme] == record["authorities"].get(scheme, "")
    assert any(entity.authorities for entity in corpus.entities.values())
