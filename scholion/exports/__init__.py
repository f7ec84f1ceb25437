"""Open data: the corpus as standard, machine-readable files under ``data/`` and beside pages.

Pure: returns files for the write stage. See docs/open-data.md for what each file holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from scholion import parallel
from scholion.exports import (
    beacon,
    citation,
    feeds,
    graphs,
    oai,
    records,
    tables,
    webannotation,
    where_when,
)
from scholion.exports.encoding import to_json
from scholion.link import citations
from scholion.model import Corpus, OutputFile
from scholion.project import SCHEMAS

EXPORT_SCHEMA = SCHEMAS / "export" / "corpus.schema.json"


def export_files(
    corpus: Corpus, deliver: Callable[[OutputFile], OutputFile] | None = None
) -> Iterator[OutputFile]:
    """Every export file, in a fixed order, built on every core (:mod:`scholion.parallel`)
    and yielded as they come back, so that the write stage holds a few chunks of them at a time
    rather than all of them (at 10,000 articles some 130,000 files: a record of each article,
    claim, entity and source beside the corpus-wide ones). The corpus-wide files come last: each
    reads the whole corpus, and results that arrive early wait in the parent until those before
    them are in. ``deliver``: what becomes of each file where it is made (written there, by
    the build: :class:`scholion.output.write.Staged`)."""
    run = partial(_run, deliver=deliver)
    for files in parallel.ordered_map(run, _jobs(corpus), chunk=32):
        yield from files


def _run(
    job: Callable[[], list[OutputFile]],
    deliver: Callable[[OutputFile], OutputFile] | None = None,
) -> list[OutputFile]:
    files = job()
    return files if deliver is None else [deliver(file) for file in files]


def _jobs(corpus: Corpus) -> list[Callable[[], list[OutputFile]]]:
    """One job per corpus-wide file group and per record; the workers inherit them (forked)."""
    jobs: list[Callable[[], list[OutputFile]]] = []
    jobs += [partial(_article, corpus, slug) for slug in sorted(corpus.articles)]
    jobs += [partial(_claim, corpus, claim_id) for claim_id in sorted(corpus.claims)]
    jobs += [partial(_entity, corpus, entity_id) for entity_id in sorted(corpus.entities)]
    jobs += [partial(_source, corpus, source_id) for source_id in sorted(corpus.sources)]
    jobs += [partial(_narrative, corpus, narrative) for narrative in sorted(corpus.narratives)]
    jobs += [partial(_rating_feed, corpus, term.id) for term in corpus.config.ratings]
    jobs += [partial(_corpus_wide, corpus)]
    jobs += [partial(_table, corpus, number) for number in range(len(tables.tables(corpus)))]
    return [
        *jobs,
        partial(_datapackage, corpus),
        partial(_graphs, corpus),
        partial(_harvestable, corpus),
    ]


def _corpus_wide(corpus: Corpus) -> list[OutputFile]:
    return [
        OutputFile("data/corpus.json", to_json(records.corpus_record(corpus))),
        OutputFile("data/corpus.schema.json", EXPORT_SCHEMA.read_bytes()),
        OutputFile("data/annotations.jsonld", to_json(webannotation.collection(corpus, None))),
        OutputFile("feed.xml", feeds.latest_feed(corpus)),
        OutputFile("feed.json", feeds.json_feed(corpus)),
        OutputFile("changes/feed.xml", feeds.changes_feed(corpus)),
        OutputFile("data/places.geojson", to_json(where_when.geojson(corpus))),
        OutputFile("data/timeline.json", to_json(where_when.timelinejs(corpus))),
        *_citations("data/", citations.corpus_reference(corpus)),
    ]


def _table(corpus: Corpus, number: int) -> list[OutputFile]:
    """One CSV table: a job of its own, so that one table's bytes at a time are in memory."""
    table = tables.tables(corpus)[number]
    return [OutputFile(table.path, table.to_csv())]


def _datapackage(corpus: Corpus) -> list[OutputFile]:
    package = tables.datapackage(corpus, tables.tables(corpus))
    return [OutputFile("data/datapackage.json", to_json(package))]


def _graphs(corpus: Corpus) -> list[OutputFile]:
    files = []
    for graph in graphs.graphs(corpus):
        files.append(OutputFile(f"data/graphs/{graph.name}.json", graph.to_json()))
        files.append(OutputFile(f"data/graphs/{graph.name}.graphml", graph.to_graphml()))
    return files


def _harvestable(corpus: Corpus) -> list[OutputFile]:
    """What aggregators harvest: the BEACON files, and the OAI static repository if wanted."""
    files = [OutputFile(path, data) for path, data in beacon.beacon_files(corpus)]
    if oai.wanted(corpus):
        files.append(OutputFile(oai.PATH, oai.static_repository(corpus)))
    return files


def _article(corpus: Corpus, slug: str) -> list[OutputFile]:
    return [
        OutputFile(
            f"data/annotations/{slug}.jsonld", to_json(webannotation.collection(corpus, slug))
        ),
        OutputFile(f"articles/{slug}/index.json", to_json(records.article_record(corpus, slug))),
        *_citations(f"articles/{slug}/", citations.article_reference(corpus, slug)),
    ]


def _claim(corpus: Corpus, claim_id: str) -> list[OutputFile]:
    record = records.claim_record(corpus, claim_id)
    record["appearances"] = [
        records.annotation_record(corpus, a) for a in corpus.appearances.get(claim_id, ())
    ]
    return [
        OutputFile(f"claims/{claim_id}/index.json", to_json(record)),
        OutputFile(f"claims/{claim_id}/feed.xml", feeds.claim_feed(corpus, claim_id)),
        *_citations(f"claims/{claim_id}/", citations.claim_reference(corpus, claim_id)),
    ]


def _entity(corpus: Corpus, entity_id: str) -> list[OutputFile]:
    return [
        OutputFile(
            f"entities/{entity_id}/index.json", to_json(records.entity_record(corpus, entity_id))
        ),
        OutputFile(f"entities/{entity_id}/feed.xml", feeds.entity_feed(corpus, entity_id)),
    ]


def _narrative(corpus: Corpus, narrative_id: str) -> list[OutputFile]:
    record = records.narrative_record(corpus, narrative_id)
    return [OutputFile(f"narratives/{narrative_id}/index.json", to_json(record))]


def _source(corpus: Corpus, source_id: str) -> list[OutputFile]:
    return [
        OutputFile(
            f"sources/{source_id}/index.json", to_json(records.source_record(corpus, source_id))
        )
    ]


def _rating_feed(corpus: Corpus, rating: str) -> list[OutputFile]:
    return [OutputFile(f"claims/rated/{rating}/feed.xml", feeds.rating_feed(corpus, rating))]


def _citations(prefix: str, reference: citations.Reference) -> list[OutputFile]:
    return [OutputFile(path, data) for path, data in citation.citation_files(prefix, reference)]
