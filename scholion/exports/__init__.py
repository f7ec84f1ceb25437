"""Open data: the corpus as standard, machine-readable files under ``data/`` and beside pages.

Pure: returns files for the write stage. See docs/open-data.md for what each file holds.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Corpus
from ..render import OutputFile
from . import citation, feeds, graphs, records, tables, webannotation
from .encoding import to_json

EXPORT_SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "export" / "corpus.schema.json"


def export_files(corpus: Corpus) -> list[OutputFile]:
    files = [
        OutputFile("data/corpus.json", to_json(records.corpus_record(corpus))),
        OutputFile("data/corpus.schema.json", EXPORT_SCHEMA.read_bytes()),
        OutputFile("data/annotations.jsonld", to_json(webannotation.collection(corpus, None))),
        OutputFile("feed.xml", feeds.latest_feed(corpus)),
        OutputFile("feed.json", feeds.json_feed(corpus)),
        OutputFile("changes/feed.xml", feeds.changes_feed(corpus)),
    ]
    all_tables = tables.tables(corpus)
    files += [OutputFile(t.path, t.to_csv()) for t in all_tables]
    files.append(
        OutputFile("data/datapackage.json", to_json(tables.datapackage(corpus, all_tables)))
    )
    for graph in graphs.graphs(corpus):
        files.append(OutputFile(f"data/graphs/{graph.name}.json", graph.to_json()))
        files.append(OutputFile(f"data/graphs/{graph.name}.graphml", graph.to_graphml()))
    for slug in sorted(corpus.articles):
        files.append(
            OutputFile(
                f"data/annotations/{slug}.jsonld", to_json(webannotation.collection(corpus, slug))
            )
        )
        files.append(
            OutputFile(f"articles/{slug}/index.json", to_json(records.article_record(corpus, slug)))
        )
    for claim_id in sorted(corpus.claims):
        record = records.claim_record(corpus, claim_id)
        record["appearances"] = [
            records.annotation_record(corpus, a) for a in corpus.appearances.get(claim_id, ())
        ]
        files.append(OutputFile(f"claims/{claim_id}/index.json", to_json(record)))
    for entity_id in sorted(corpus.entities):
        files.append(
            OutputFile(
                f"entities/{entity_id}/index.json",
                to_json(records.entity_record(corpus, entity_id)),
            )
        )
        files.append(
            OutputFile(f"entities/{entity_id}/feed.xml", feeds.entity_feed(corpus, entity_id))
        )
    for source_id in sorted(corpus.sources):
        files.append(
            OutputFile(
                f"sources/{source_id}/index.json", to_json(records.source_record(corpus, source_id))
            )
        )
    references = [("data/", citation.corpus_reference(corpus))]
    references += [
        (f"articles/{s}/", citation.article_reference(corpus, s)) for s in sorted(corpus.articles)
    ]
    references += [
        (f"claims/{c}/", citation.claim_reference(corpus, c)) for c in sorted(corpus.claims)
    ]
    for prefix, reference in references:
        files += [
            OutputFile(path, data) for path, data in citation.citation_files(prefix, reference)
        ]
    for term in corpus.config.ratings:
        files.append(
            OutputFile(f"claims/rated/{term.id}/feed.xml", feeds.rating_feed(corpus, term.id))
        )
    return files
