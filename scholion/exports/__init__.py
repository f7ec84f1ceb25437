"""Open data: the corpus as standard, machine-readable files under ``data/`` and beside pages.

Pure: returns files for the write stage. See docs/open-data.md for what each file holds.
"""

from __future__ import annotations

import contextlib
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
from scholion.exports.encoding import Fresh, Pieces, to_json
from scholion.exports.pieces import Spliced
from scholion.incremental.dependencies import EXPORT, Entry, Inputs, Known, Piece, Target
from scholion.incremental.tracking import Read, tracked
from scholion.link import citations
from scholion.model import Corpus, OutputFile
from scholion.project import SCHEMAS

EXPORT_SCHEMA = SCHEMAS / "export" / "corpus.schema.json"


@dataclass(frozen=True)
class Document:
    """A file whose records are :class:`~scholion.exports.encoding.Keyed` (a JSON file's
    arrays, a CSV table's rows): ``make`` makes it from the corpus, each run of records as the
    :class:`~scholion.exports.encoding.Pieces` it is handed gives it; an incremental build
    makes it in pieces (:mod:`scholion.exports.pieces`)."""

    path: str
    make: Callable[[Corpus, Pieces], bytes]


def _no_files(corpus: Corpus) -> list[OutputFile]:
    return []


@dataclass(frozen=True)
class Job:
    """One export job: the files of one record, or one group of corpus-wide files. ``name``
    stays the same from build to build (what an incremental build keeps its reads under);
    ``documents`` and then ``make`` build the files from the corpus they are handed, the
    whole one or a tracked view."""

    name: str
    make: Callable[[Corpus], list[OutputFile]] = _no_files
    documents: tuple[Document, ...] = ()


Deliver = Callable[[OutputFile], OutputFile]


def export_files(
    corpus: Corpus, deliver: Deliver | None = None, known: Known | None = None
) -> Iterator[OutputFile]:
    """Every export file, in a fixed order, built on every core (:mod:`scholion.parallel`)
    and yielded as they come, so that the write stage holds a few chunks of them at a time
    rather than all of them (at 10,000 articles some 130,000 files: a record of each article,
    claim, entity and source beside the corpus-wide ones). The corpus-wide files come first,
    each group a job handed to a worker on its own: each reads the whole corpus and takes
    seconds at 10,000 articles, and in one chunk they ran one after another on one core.
    ``deliver``: what becomes of each file where it is made (written there, by the build:
    :class:`scholion.output.write.Staged`; the parent then holds only paths).

    With ``known`` (an incremental build: :mod:`scholion.incremental.dependencies`), a job
    whose reads are all as they were is not run: its files come without content (already
    staged). After one edit at 10,000 articles, building every file again to compare it with
    the last was the largest part of the build (78 s of 279)."""
    wide, jobs = _jobs(corpus)
    deliver = deliver or _as_made
    if known is None:
        run = partial(_run, corpus=corpus, deliver=deliver)
        for files in parallel.ordered_map(run, jobs, chunk=32, alone=len(wide)):
            yield from files
        return
    inputs = known.export_inputs(corpus)
    kept = known.unchanged(_targets(jobs, inputs))
    changed = [job for job, same in zip(jobs, kept, strict=True) if not same]
    noting = partial(_run_noting, corpus=corpus, inputs=inputs, deliver=deliver)
    alone = sum(not same for same in kept[: len(wide)])  # the corpus-wide jobs come first
    results = parallel.ordered_map(
        noting, changed, chunk=32, alone=alone, threshold=parallel.among(len(jobs))
    )
    taken = set(known.seen)  # the pages' paths, each its own page's
    claims: dict[str, Job] = {}  # each file a kept job's entry names, and that job
    doubled: list[Job] = []  # kept jobs whose entries name a file another's names too
    for job, same in zip(jobs, kept, strict=True):
        target = EXPORT + job.name
        if same:  # its files are already staged, as the last build published them
            paths = known.kept_files(target)
            for path in claims.keys() & paths:  # sets, in C: 130,000 paths at 10,000 articles
                if claims[path] is not job:
                    doubled += (claims[path], job)
            claims.update(dict.fromkeys(paths, job))  # either holds it: both are made again
            known.add_export(target, None, False)
            yield from (OutputFile(path, None) for path in paths)
        else:
            made, entry, pieces = next(results)
            taken.update(file.path for file in made)
            known.add_export(target, entry, True, pieces)
            yield from made
    while contested := _contested(claims, doubled, taken):
        for job in contested:
            made, entry, pieces = noting(job)
            taken.update(file.path for file in made)
            known.add_export(EXPORT + job.name, entry, True, pieces)
            yield from made


def export_targets(corpus: Corpus, known: Known) -> list[Target]:
    """The export jobs as :func:`export_files` asks ``known`` about them, for a build to have
    them checked earlier (:meth:`scholion.incremental.dependencies.Known.check_also`)."""
    return _targets(_jobs(corpus)[1], known.export_inputs(corpus))


def _jobs(corpus: Corpus) -> tuple[list[Job], list[Job]]:
    """The corpus-wide jobs, and every job (those first)."""
    wide = _corpus_wide_jobs(corpus)
    return wide, [*wide, *_record_jobs(corpus)]


def _targets(jobs: list[Job], inputs: Inputs) -> list[Target]:
    return [(inputs, EXPORT + job.name, job.name) for job in jobs]


def _contested(claims: dict[str, Job], doubled: list[Job], taken: set[str]) -> list[Job]:
    """The jobs kept for files that are not theirs alone, taken off ``claims`` (and
    ``doubled``): a file two kept jobs' entries name, or that a page or a job made in this
    build is (``taken``). Only a damaged record names one file for two targets; each of these
    jobs is made again, and whatever it makes is taken in turn. Checked when every job has
    been kept or made: each is kept or made before any runs, and a job made after another was
    kept may write the very file the damaged entry of the kept one named."""
    found = {job.name: job for job in doubled}
    found.update((claims[path].name, claims[path]) for path in claims.keys() & taken)
    doubled.clear()
    if found:
        for path in [path for path, job in claims.items() if job.name in found]:
            del claims[path]
    return list(found.values())


def _run(job: Job, corpus: Corpus, deliver: Deliver) -> list[OutputFile]:
    documents = [OutputFile(d.path, d.make(corpus, Fresh())) for d in job.documents]
    return [deliver(file) for file in [*documents, *job.make(corpus)]]


Ran = tuple[list[OutputFile], Entry | None, list[Piece]]
"""What a job run in an incremental build gives: its files as delivered, its entry, and the
pieces its documents were made in."""


def _run_noting(job: Job, corpus: Corpus, inputs: Inputs, deliver: Deliver) -> Ran:
    """The job's files, made through a corpus that notes what the job reads (its documents in
    pieces, each noting its own), and delivered, with its entry."""
    reads: set[Read] = set()
    view = tracked(corpus, reads, inputs.parts)
    with contextlib.ExitStack() as stack:
        spliced = [
            stack.enter_context(Spliced(job.name, d.path, inputs, corpus, reads))
            for d in job.documents
        ]
        files = [
            OutputFile(d.path, d.make(view, pieces))
            for d, pieces in zip(job.documents, spliced, strict=True)
        ]
    files += job.make(view)
    made = tuple(file.path for file in files)
    entry = inputs.entry(EXPORT + job.name, job.name, reads, made)
    return [deliver(file) for file in files], entry, [n for s in spliced for n in s.noted]


def _as_made(file: OutputFile) -> OutputFile:
    return file


def _corpus_wide_jobs(corpus: Corpus) -> list[Job]:
    """A job per group of corpus-wide files, the longest first (at 10,000 articles: the
    corpus's record, its annotations and the co-mention graph, several seconds each)."""
    return [
        Job("corpus", _corpus_schema, (Document("data/corpus.json", _corpus_record),)),
        Job("annotations", documents=(Document("data/annotations.jsonld", _annotations),)),
        *(Job(f"graph/{n}", partial(_graph, number=n)) for n in range(len(graphs.GRAPHS))),
        Job("feeds", _feeds),
        *(
            Job(f"table/{n}", documents=(Document(table.path, partial(_table, number=n)),))
            for n, table in enumerate(tables.tables(corpus))
        ),
        *(
            Job(f"rating/{term.id}", partial(_rating_feed, rating=term.id))
            for term in corpus.config.ratings
        ),
        Job("where-when", _where_when),
        Job("citations", _corpus_citations),
        Job("datapackage", _datapackage),
        Job("harvestable", _harvestable),
    ]


def _record_jobs(corpus: Corpus) -> list[Job]:
    """A job per record; the workers inherit them (forked)."""
    return [
        *(Job(f"article/{slug}", partial(_article, slug=slug)) for slug in sorted(corpus.articles)),
        *(Job(f"claim/{id}", partial(_claim, claim_id=id)) for id in sorted(corpus.claims)),
        *(Job(f"entity/{id}", partial(_entity, entity_id=id)) for id in sorted(corpus.entities)),
        *(Job(f"source/{id}", partial(_source, source_id=id)) for id in sorted(corpus.sources)),
        *(
            Job(f"narrative/{id}", partial(_narrative, narrative_id=id))
            for id in sorted(corpus.narratives)
        ),
    ]


def _corpus_schema(corpus: Corpus) -> list[OutputFile]:
    return [OutputFile("data/corpus.schema.json", EXPORT_SCHEMA.read_bytes())]


def _corpus_record(corpus: Corpus, pieces: Pieces) -> bytes:
    return to_json(records.corpus_record(corpus), pieces)


def _annotations(corpus: Corpus, pieces: Pieces) -> bytes:
    return to_json(webannotation.collection(corpus, None), pieces)


def _feeds(corpus: Corpus) -> list[OutputFile]:
    return [
        OutputFile("feed.xml", feeds.latest_feed(corpus)),
        OutputFile("feed.json", feeds.json_feed(corpus)),
        OutputFile("changes/feed.xml", feeds.changes_feed(corpus)),
    ]


def _where_when(corpus: Corpus) -> list[OutputFile]:
    return [
        OutputFile("data/places.geojson", to_json(where_when.geojson(corpus))),
        OutputFile("data/timeline.json", to_json(where_when.timelinejs(corpus))),
    ]


def _corpus_citations(corpus: Corpus) -> list[OutputFile]:
    return _citations("data/", citations.corpus_reference(corpus))


def _table(corpus: Corpus, pieces: Pieces, number: int) -> bytes:
    """One CSV table: a job of its own, so that one table's bytes at a time are in memory."""
    return tables.tables(corpus)[number].to_csv(pieces)


def _datapackage(corpus: Corpus) -> list[OutputFile]:
    package = tables.datapackage(corpus, tables.tables(corpus))
    return [OutputFile("data/datapackage.json", to_json(package))]


def _graph(corpus: Corpus, number: int) -> list[OutputFile]:
    graph = graphs.GRAPHS[number](corpus)
    return [
        OutputFile(f"data/graphs/{graph.name}.json", graph.to_json()),
        OutputFile(f"data/graphs/{graph.name}.graphml", graph.to_graphml()),
    ]


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
