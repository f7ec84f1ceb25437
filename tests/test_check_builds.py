"""Property: what passes ``check`` builds. Hypothesis writes corpora whose files have their
schema's shape — dates (some of which do not exist), ids, quotes that do and do not occur in
the text, Unicode in every field — and requires that ``check`` passing means ``build``
succeeds, that a failing ``check`` gives located errors and makes ``build`` refuse with them,
and that neither ever raises anything else.

The number of corpora tried is small enough for ``make test``; ``make fuzz`` tries many more
(``SCHOLION_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholion.diagnostics import ContentError, errors_in
from scholion.pipeline import build, check
from scholion.project import Project
from tests.helpers import PUBLISHER, write_corpus

EXAMPLES = int(os.environ.get("SCHOLION_FUZZ_EXAMPLES", "12"))

# Text as contributors type it, in any script: no control characters (refused, located, by
# the load stage and not what this property is about) and no lone surrogates.
TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\u2028\u2029"),
    min_size=1,
    max_size=30,
).filter(str.strip)
IDS = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True).filter(
    lambda i: i not in ("con", "prn", "aux", "nul")
)
DATES = st.builds(
    lambda y, m, d, precision: "-".join([f"{y:04d}", f"{m:02d}", f"{d:02d}"][:precision]),
    st.integers(0, 2100),
    st.integers(1, 12),
    st.integers(1, 31),
    st.integers(1, 3),
) | st.dates().map(str)  # the pattern's shape, some not dates that exist; and real ones
WORDS = ["Two", "aircraft", "landed", "in", "Caracas", "Saturday", "Москва", "«sí»", "الطائرات"]


@st.composite
def corpora(draw: st.DrawFn) -> dict[str, str]:
    """Every kind of file, each of its schema's shape, with values drawn as above."""
    words = draw(st.lists(st.sampled_from(WORDS) | TEXT, min_size=3, max_size=25, unique=True))
    body = " ".join(words)
    claim_id, source_id, entity_id = draw(IDS), draw(IDS), draw(IDS)

    def quote() -> str:
        """Mostly words of the text (which may still occur twice), sometimes words not in it."""
        if draw(st.integers(0, 4)):
            start = draw(st.integers(0, len(words) - 1))
            return " ".join(words[start : start + draw(st.integers(2, 4))])
        return draw(TEXT)

    article = {
        "title": draw(TEXT),
        "date": draw(DATES),
        "publisher": "example-times",
        "language": draw(st.sampled_from(["en", "es", "ru", "ar"])),
        "rights": draw(TEXT),
        "summary": draw(TEXT),
    }
    sidecar = {
        "claims": [
            {
                "id": claim_id,
                "quote": quote(),
                "statement": draw(TEXT),
                "rating": draw(st.sampled_from(["accurate", "unverified"])),
                "explanation": draw(TEXT),
                "claimant": draw(st.sampled_from([entity_id, "example-times"])),
                "about": [entity_id],
                "sources": [{"source": source_id, "relation": "supports", "note": draw(TEXT)}],
            }
        ],
        "notes": [{"quote": quote(), "kind": "context", "text": draw(TEXT)}],
        "citations": [{"source": source_id, "quote": quote()}],
        "corrections": [{"date": draw(DATES), "text": draw(TEXT), "claim": claim_id}],
    }
    source = {"title": draw(TEXT), "kind": "wire", "date": draw(DATES), "author": draw(TEXT)}
    entity = {
        "type": draw(st.sampled_from(["person", "media", "place"])),
        "name": draw(TEXT),
        "aliases": draw(st.lists(TEXT, max_size=2)),
        "description": draw(TEXT),
    }

    def dumped(data: dict) -> str:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    return {
        "content/entities/example-times.yaml": PUBLISHER,
        f"content/entities/{entity_id}.yaml": dumped(entity),
        f"content/sources/{source_id}.yaml": dumped(source),
        "content/articles/alpha.md": f"---\n{dumped(article)}---\n{body}\n",
        "content/articles/alpha.yaml": dumped(sidecar),
    }


@pytest.fixture(scope="module")
def workspace():
    with tempfile.TemporaryDirectory() as directory:
        yield Path(directory)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="SCHOLION_FUZZ_EXAMPLES" not in os.environ,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files=corpora())
def test_what_passes_check_builds_and_what_fails_is_located(workspace, files):
    root = workspace / "corpus"
    shutil.rmtree(root, ignore_errors=True)
    write_corpus(root, files)
    project = Project.at(root)
    _, diagnostics = check(project)
    for d in diagnostics:
        assert d.path and d.line >= 1 and d.col >= 1 and d.message, d.format_text()
    if errors_in(diagnostics):
        with pytest.raises(ContentError) as refused:
            build(project, search=False)
        assert list(refused.value.diagnostics) == diagnostics
    else:
        report = build(project, search=False)
        assert report.pages > 0
        assert (project.output / "articles" / "alpha" / "index.html").is_file()
