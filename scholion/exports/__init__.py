"""Open data: the corpus as standard, machine-readable files under ``data/`` and beside pages.

Pure: returns files for the write stage. See docs/open-data.md for what each file holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
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
from scholion.incremental.dependencies import EXPORT, Entry, Inputs, Known
from scholion.incremental.tracking import Read, tracked
from scholion.link import citations
from scholion.model import Corpus, OutputFile
from scholion.project import SCHEMAS

EXPORT_SCHEMA = SCHEMAS / "export" / "corpus.schema.json"


@dataclass(frozen=True)
class Job:
    """One export job: the files of one record, or one group of corpus-wide files. ``name``
    stays the same from build to build (what an incremental build keeps its reads under);
    ``make`` builds the files from the corpus it is handed, the whole one or a tracked view."""

    name: str
    make: Callable[[Corpus], list[OutputFile]]


Deliver = Callable[[OutputFile], OutputFile]


def export_files(
    corpus: Corpus, deliver: Deliver | None = None, known: Known | None = None
) -> Iterator[OutputFile]:
    """Every export file, in a fixed order, built on every core (:mod:`scholion.parallel`)
    and yielded as they come, so that the write stage holds a few chunks of them at a time
    rather than all of them (at 10,000 articles some 130,000 files: a record of each article,
    claim, entity and source beside the corpus-wide ones). The corpus-wide files come last: each
    reads the whole corpus, and results that arrive early wait in the parent until those before
    them are in. ``deliver``: what becomes of each file where it is made (written there, by
    the build: :class:`scholion.output.write.Staged`).

    With ``known`` (an incremental build: :mod:`scholion.incremental.dependencies`), a job
    whose reads are all as they were is not run: its files come without content (already
    staged). After one edit at 10,000 articles, building every file again to compare it with
    the last was the largest part of the build (78 s of 279)."""
    jobs = _jobs(corpus)
    if known is None:
        run = partial(_run, corpus=corpus, deliver=deliver or _as_made)
        for files in parallel.ordered_map(run, jobs, chunk=32):
            yield from files
        return
    inputs = known.export_inputs(corpus)
    check = partial(_run_unless_unchanged, corpus=corpus, inputs=inputs, deliver=deliver)
    results = parallel.ordered_map(check, jobs, chunk=32)
    for job, (files, entry, ran) in zip(jobs, results, strict=True):
        known.add_export(EXPORT + job.name, entry, ran)
        yield from files


def _run(job: Job, corpus: Corpus, deliver: Deliver) -> list[OutputFile]:
    return [deliver(file) for file in job.make(corpus)]


def _run_unless_unchanged(
    job: Job, corpus: Corpus, inputs: Inputs, deliver: Deliver | None
) -> tuple[list[OutputFile], Entry | None, bool]:
    """The job's files kept (no content) if its reads are unchanged; else made through a
    corpus that notes what the job reads, and delivered; with its entry, and whether it ran."""
    entry = inputs.unchanged(EXPORT + job.name, job.name)
    if entry is not None:
        return [OutputFile(path, None) for path in entry.files], entry, False
    reads: set[Read] = set()
    files = job.make(tracked(corpus, reads, inputs.parts))
    made = tuple(file.path for file in files)
    delivered = [(deliver or _as_made)(file) for file in files]
    return delivered, inputs.entry(job.name, reads, made), True


def _as_made(file: OutputFile) -> OutputFile:
    return file


def _jobs(corpus: Corpus) -> list[Job]:
    """One job per record and per corpus-wide file group; the workers inherit them (forked)."""
    tables_count = len(tables.tables(corpus))
    return [
        *(Job(f"article/{slug}", partial(_article, slug=slug)) for slug in sorted(corpus.articles)),
        *(Job(f"claim/{id}", partial(_claim, claim_id=id)) for id in sorted(corpus.claims)),
        *(Job(f"entity/{id}", partial(_entity, entity_id=id)) for id in sorted(corpus.entities)),
        *(Job(f"source/{id}", partial(_source, source_id=id)) for id in sorted(corpus.sources)),
        *(
            Job(f"narrative/{id}", partial(_narrative, narrative_id=id))
            for id in sorted(corpus.narratives)
        ),
        *(
            Job(f"rating/{term.id}", partial(_rating_feed, rating=term.id))
            for term in corpus.config.ratings
        ),
        Job("corpus", _corpus_wide),
        *(Job(f"table/{n}", partial(_table, number=n)) for n in range(tables_count)),
        Job("datapackage", _datapackage),
        Job("graphs", _graphs),
        Job("harvestable", _harvestable),
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
