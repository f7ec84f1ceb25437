"""data/oai-static.xml: validated against the OAI Static Repository schema with the oai_dc
records checked against Dublin Core's (tests/fixtures/xsd, written from the specifications),
read back record by record, and shown to stay well-formed and valid whatever the content holds.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pytest
from lxml import etree

from scholion.exports import oai
from scholion.model import Corpus
from scholion.pipeline import check
from scholion.project import Project
from tests.helpers import FIXTURES

XSD = FIXTURES / "xsd"
NS = {"sr": oai.STATIC, "oai": oai.OAI, "oai_dc": oai.OAI_DC, "dc": oai.DC}


@cache
def schema() -> etree.XMLSchema:
    """The static repository schema and oai_dc's together, so that each record's metadata is
    validated strictly against its format's schema (as the OAI-PMH schema's ``any`` asks)."""
    imports = "".join(
        f'<xs:import namespace="{namespace}" schemaLocation="{(XSD / file).as_uri()}"/>'
        for namespace, file in ((oai.STATIC, "static-repository.xsd"), (oai.OAI_DC, "oai_dc.xsd"))
    )
    driver = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">
      {imports}</xs:schema>"""
    return etree.XMLSchema(etree.fromstring(driver))


def fixture_corpus(**config: str) -> Corpus:
    corpus, diagnostics = check(Project.at(FIXTURES / "site"))
    assert corpus is not None and not diagnostics
    settings = {"oai_admin_email": "data@example.org", **config}
    # The fixture's places are of no kind; as places, they are what an article covers.
    types = tuple(
        replace(t, kind="place") if t.id == "place" else t for t in corpus.config.entity_types
    )
    return replace(corpus, config=replace(corpus.config, entity_types=types, **settings))


def parse(data: bytes) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(data, etree.XMLParser(no_network=True)))


def assert_valid(document: etree._ElementTree) -> None:
    assert schema().validate(document), schema().error_log


def test_the_repository_validates_and_holds_a_dublin_core_record_per_article():
    corpus = fixture_corpus()
    document = parse(oai.static_repository(corpus))
    assert_valid(document)
    identify = document.find("sr:Identify", NS)
    assert identify.findtext("oai:baseURL", namespaces=NS) == (
        "https://example.org/corpus/data/oai-static.xml"
    )
    assert identify.findtext("oai:adminEmail", namespaces=NS) == "data@example.org"
    records = document.findall("sr:ListRecords/oai:record", NS)
    assert len(records) == len(corpus.articles)
    article = corpus.articles["alpha"]
    record = records[0]
    url = "https://example.org/corpus/articles/alpha/"
    assert record.findtext("oai:header/oai:identifier", namespaces=NS) == url
    dc = record.find("oai:metadata/oai_dc:dc", NS)
    assert dc.findtext("dc:title", namespaces=NS) == article.title
    assert dc.findtext("dc:identifier", namespaces=NS) == url
    assert dc.findtext("dc:language", namespaces=NS) == article.language
    assert dc.findtext("dc:date", namespaces=NS) == article.date
    named = {corpus.entities[m.entity].name for m in corpus.mentions["alpha"]}
    subjects = {e.text for e in dc.findall("dc:subject", NS)}
    coverage = {e.text for e in dc.findall("dc:coverage", NS)}
    assert subjects | coverage == named and "Caracas" in coverage


def test_a_gateway_prefixes_the_files_address_as_the_specification_asks():
    corpus = fixture_corpus(oai_gateway="https://gateway.example.net/oai/")
    assert oai.base_url(corpus) == (
        "https://gateway.example.net/oai/example.org/corpus/data/oai-static.xml"
    )


@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("a record without metadata", lambda d: d.find(".//oai:metadata", NS).clear()),
        ("a Dublin Core element misspelt", lambda d: rename(d, ".//dc:title", "dc", "titel")),
        ("a datestamp that is no date", lambda d: settext(d, ".//oai:datestamp", "March 2019")),
        ("an admin e-mail that is no address", lambda d: settext(d, ".//oai:adminEmail", "x")),
        ("a header with a setSpec", lambda d: add(d, ".//oai:header", "oai", "setSpec")),
    ],
)
def test_the_validator_rejects_a_broken_repository(where, change):
    document = parse(oai.static_repository(fixture_corpus()))
    change(document)
    assert not schema().validate(document), where


def rename(document, path, prefix, name):
    document.find(path, NS).tag = f"{{{NS[prefix]}}}{name}"


def settext(document, path, text):
    document.find(path, NS).text = text


def add(document, path, prefix, name):
    etree.SubElement(document.find(path, NS), f"{{{NS[prefix]}}}{name}").text = "x"


HOSTILE = 'Evil <script>alert("x")</script> & co\x00\x07\x1b\ufffe\nline ]]> \u2028'


def test_hostile_text_gives_well_formed_valid_xml_that_reads_back_as_text():
    corpus = fixture_corpus()
    article = replace(corpus.articles["alpha"], title=HOSTILE, summary=HOSTILE, rights=HOSTILE)
    entity = next(iter(corpus.mentions["alpha"])).entity
    entities = {**corpus.entities, entity: replace(corpus.entities[entity], name=HOSTILE)}
    corpus = replace(
        corpus,
        articles={**corpus.articles, "alpha": article},
        entities=entities,
        config=replace(corpus.config, title=HOSTILE),
    )
    data = oai.static_repository(corpus)
    document = parse(data)  # raises on anything not well-formed
    assert_valid(document)
    assert b"<script>" not in data
    readable = 'Evil <script>alert("x")</script> & co\nline ]]> \u2028'
    assert document.findtext(".//dc:title", namespaces=NS) == readable
    assert readable in [e.text for e in document.iterfind(".//dc:subject", NS)] + [
        e.text for e in document.iterfind(".//dc:coverage", NS)
    ]
    assert document.findtext(".//oai:repositoryName", namespaces=NS) == readable


def test_the_file_is_the_same_bytes_every_time():
    corpus = fixture_corpus()
    assert oai.static_repository(corpus) == oai.static_repository(corpus)


def test_a_corpus_without_articles_still_gives_a_valid_repository():
    document = parse(oai.static_repository(replace(fixture_corpus(), articles={})))
    assert_valid(document)
    assert document.findall("sr:ListRecords/oai:record", NS) == []
