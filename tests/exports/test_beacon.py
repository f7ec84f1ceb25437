"""data/beacon/<scheme>.txt: read back as a BEACON consumer would (meta lines, then one link
per line), compared with the entities' ids, and shown to hold whatever the content says."""

from __future__ import annotations

from dataclasses import replace

from scholion.exports import beacon
from scholion.link.authorities import schemes
from scholion.model import Authority, Corpus
from scholion.pipeline import check
from scholion.project import Project
from tests.helpers import FIXTURES

BASE = "https://example.org/corpus/"


def fixture_corpus() -> Corpus:
    corpus, diagnostics = check(Project.at(FIXTURES / "site"))
    assert corpus is not None and not diagnostics
    return corpus


def read(data: bytes) -> tuple[dict[str, str], list[list[str]]]:
    """(meta fields, links as [source, annotation, target]) as the format defines them: meta
    lines first, each ``#NAME: value``, then a link per non-empty line."""
    text = data.decode("utf-8")
    assert text.endswith("\n") and "\r" not in text
    meta: dict[str, str] = {}
    links = []
    for line in text.splitlines():
        if line.startswith("#") and not links:
            name, _, value = line[1:].partition(": ")
            meta[name] = value
        elif line:
            links.append(line.split("|"))
    return meta, links


def test_a_file_per_scheme_in_use_listing_each_entity_page_for_each_id():
    corpus = fixture_corpus()
    files = dict(beacon.beacon_files(corpus))
    assert sorted(files) == [
        "data/beacon/geonames.txt",
        "data/beacon/isni.txt",
        "data/beacon/orcid.txt",
        "data/beacon/wikidata.txt",
    ]  # no entity has a GND or VIAF id: no file that would list nothing
    meta, links = read(files["data/beacon/wikidata.txt"])
    assert meta["FORMAT"] == "BEACON"
    assert meta["PREFIX"] == "https://www.wikidata.org/wiki/{ID}"
    assert meta["TARGET"] == BASE + "entities/{ID}/"
    assert meta["FEED"] == BASE + "data/beacon/wikidata.txt"
    assert links == sorted([e.wikidata, "", e.id] for e in corpus.entities.values() if e.wikidata)
    _, isni = read(files["data/beacon/isni.txt"])
    assert isni == [["0000000121032683", "", "jane-doe"]]
    assert read(files["data/beacon/orcid.txt"])[0]["PREFIX"] == "https://orcid.org/{ID}"


def test_two_entities_with_one_id_each_get_their_line():
    corpus = fixture_corpus()
    caracas = corpus.entities["caracas"]
    twin = replace(caracas, id="caracas-city")
    corpus = replace(corpus, entities={**corpus.entities, twin.id: twin})
    _, links = read(dict(beacon.beacon_files(corpus))["data/beacon/geonames.txt"])
    assert links == [["3646738", "", "caracas"], ["3646738", "", "caracas-city"]]


def test_contributor_text_cannot_add_meta_lines_or_links():
    corpus = fixture_corpus()
    hostile = "Evil\n#TARGET: https://attacker.example/{ID}\r\nQ1|x|evil\x00\u2028#NAME: x"
    caracas = replace(
        corpus.entities["caracas"],
        id="caracas\n#PREFIX: https://attacker.example/",
        wikidata="Q1533|pwned\nQ666",
        authorities=(Authority("geonames", "#3646738 |x"),),
    )
    corpus = replace(
        corpus,
        entities={**corpus.entities, caracas.id: caracas},
        config=replace(corpus.config, title=hostile, organization=hostile),
    )
    files = dict(beacon.beacon_files(corpus))
    for data in files.values():
        meta, links = read(data)
        assert list(meta) == [
            "FORMAT",
            "PREFIX",
            "TARGET",
            "NAME",
            "DESCRIPTION",
            "INSTITUTION",
            "FEED",
        ]
        assert meta["TARGET"] == BASE + "entities/{ID}/"
        assert meta["NAME"] == "Evil #TARGET: https://attacker.example/{ID} Q1|x|evil #NAME: x"
        assert all(len(link) == 3 and link[1] == "" for link in links)
        assert not any(c.isspace() or c == "\x00" for link in links for c in "".join(link))
    _, geonames = read(files["data/beacon/geonames.txt"])
    assert ["3646738x", "", "caracas#PREFIX:https://attacker.example/"] in geonames
    _, wikidata = read(files["data/beacon/wikidata.txt"])
    assert ["Q1533pwnedQ666", "", "caracas#PREFIX:https://attacker.example/"] in wikidata


def test_the_schemes_follow_the_order_pages_list_them():
    assert [s.id for s in schemes(fixture_corpus())] == ["wikidata", "geonames", "orcid", "isni"]
