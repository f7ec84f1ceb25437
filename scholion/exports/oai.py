"""``data/oai-static.xml``: the articles as an OAI Static Repository ("Specification for an OAI
Static Repository and an OAI Static Repository Gateway", openarchives.org, OAI-PMH 2.0), one
Dublin Core (``oai_dc``) record per article, so that a library aggregator can harvest the corpus
through a Static Repository Gateway without the site running a server.

Written only when ``oai: admin_email`` is configured: Identify requires an administrator's
address, and a made-up one would be worse than none. The record identifiers are the article
pages' URLs (``base_url``, which the configuration requires); ``baseURL`` is the gateway's URL
followed by this file's URL without its scheme, as the specification has it, or the file's own
URL while no gateway is named.

Built with ElementTree, so text is escaped by construction; characters XML 1.0 cannot carry at
all (most control characters) are dropped first, so hostile text still gives well-formed XML.
Datestamps come from the content (an article's date, or its latest correction), never the clock.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from scholion.exports.encoding import xml_element
from scholion.model import Article, Corpus

STATIC = "http://www.openarchives.org/OAI/2.0/static-repository"
OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_XSD = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
PATH = "data/oai-static.xml"

_ROOT = (
    f'<sr:Repository xmlns:sr="{STATIC}" xmlns:oai="{OAI}" xmlns:oai_dc="{OAI_DC}" '
    f'xmlns:dc="{DC}" xmlns:xsi="{XSI}" xsi:schemaLocation="{STATIC} {STATIC}.xsd">\n'
)
"""The root's start tag, declaring every prefix the elements' names use."""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 cannot hold, even escaped: control characters but tab, line feed and carriage
return, lone surrogates, U+FFFE and U+FFFF."""


def wanted(corpus: Corpus) -> bool:
    """Whether the corpus publishes a static repository (``oai: admin_email`` is set)."""
    return bool(corpus.config.oai_admin_email)


def static_repository(corpus: Corpus) -> bytes:
    """The whole file: Identify, ListMetadataFormats (``oai_dc`` only) and ListRecords, one
    record per article, by slug. Written a record at a time (as the GraphML files are): at
    100,000 articles a tree of every record's elements would take gigabytes. The elements carry
    their prefixes in their names, declared once on the root written here."""
    out = io.BytesIO()
    out.write(b"<?xml version='1.0' encoding='utf-8'?>\n")
    out.write(_ROOT.encode("utf-8"))
    out.write(xml_element(_identify(corpus), 1))
    formats = ET.Element("sr:ListMetadataFormats")
    dc_format = _oai(formats, "metadataFormat")
    _oai(dc_format, "metadataPrefix", "oai_dc")
    _oai(dc_format, "schema", OAI_DC_XSD)
    _oai(dc_format, "metadataNamespace", OAI_DC)
    out.write(xml_element(formats, 1))
    out.write(b'  <sr:ListRecords metadataPrefix="oai_dc">\n')
    for slug in sorted(corpus.articles):
        out.write(xml_element(_record(corpus, corpus.articles[slug]), 2))
    out.write(b"  </sr:ListRecords>\n</sr:Repository>\n")
    return out.getvalue()


def base_url(corpus: Corpus) -> str:
    """The gateway's URL followed by this file's URL without its scheme, or the file's URL."""
    own = corpus.config.base_url + PATH
    gateway = corpus.config.oai_gateway
    if not gateway:
        return own
    parts = urlsplit(own)
    return gateway + parts.netloc + parts.path


def _identify(corpus: Corpus) -> ET.Element:
    config = corpus.config
    identify = ET.Element("sr:Identify")
    _oai(identify, "repositoryName", config.title)
    _oai(identify, "baseURL", base_url(corpus))
    _oai(identify, "protocolVersion", "2.0")
    _oai(identify, "adminEmail", config.oai_admin_email)
    earliest = min((_datestamp(corpus, a) for a in corpus.articles.values()), default=_day("1970"))
    _oai(identify, "earliestDatestamp", earliest)
    _oai(identify, "deletedRecord", "no")
    _oai(identify, "granularity", "YYYY-MM-DD")
    return identify


def _record(corpus: Corpus, article: Article) -> ET.Element:
    url = corpus.config.base_url + f"articles/{article.slug}/"
    record = ET.Element("oai:record")
    header = _oai(record, "header")
    _oai(header, "identifier", url)
    _oai(header, "datestamp", _datestamp(corpus, article))
    dc = ET.SubElement(_oai(record, "metadata"), "oai_dc:dc")
    dc.set("xsi:schemaLocation", f"{OAI_DC} {OAI_DC_XSD}")
    _dc(dc, "title", article.title)
    for author in article.authors:
        _dc(dc, "creator", corpus.entities[author.entity].name if author.entity else author.name)
    subjects, coverage = _named(corpus, article)
    for name in subjects:
        _dc(dc, "subject", name)
    _dc(dc, "description", article.summary)
    _dc(dc, "publisher", article.publisher)
    _dc(dc, "date", article.date)
    _dc(dc, "type", "Text")
    _dc(dc, "format", "text/html")
    _dc(dc, "identifier", url)
    _dc(dc, "source", article.url)
    _dc(dc, "language", article.language)
    _dc(dc, "relation", article.archive_url)
    for name in coverage:
        _dc(dc, "coverage", name)
    _dc(dc, "rights", article.rights)
    return record


def _named(corpus: Corpus, article: Article) -> tuple[list[str], list[str]]:
    """The names of the entities the article names, by name: places and events (where and when
    it is about: ``dc:coverage``) apart from the rest (what it is about: ``dc:subject``)."""
    config = corpus.config
    where_when = config.types_of_kind("place") | config.types_of_kind("event")
    ids = {m.entity for m in corpus.mentions.get(article.slug, ())} | set(article.title_entities)
    entities = sorted((corpus.entities[i] for i in ids), key=lambda e: (e.name.lower(), e.id))
    subjects = [e.name for e in entities if e.type not in where_when]
    return subjects, [e.name for e in entities if e.type in where_when]


def _datestamp(corpus: Corpus, article: Article) -> str:
    """When the record last changed, as far as the content says: the article's date, or its
    latest correction's, as YYYY-MM-DD (a partial date takes the first day)."""
    dates = [article.date, *(c.date for c in corpus.corrections.get(article.slug, ()))]
    return max(_day(d) for d in dates)


def _day(date: str) -> str:
    return "-".join([*date.split("-"), "01", "01"][:3])


def _oai(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"oai:{tag}")
    if text is not None:
        element.text = xml_text(text)
    return element


def _dc(parent: ET.Element, tag: str, text: str) -> None:
    """A Dublin Core element, unless ``text`` is empty (an element says something or is left
    out)."""
    if text.strip():
        ET.SubElement(parent, f"dc:{tag}").text = xml_text(text)


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text)
