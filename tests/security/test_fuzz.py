"""Property: whatever a sidecar, front matter or entity file holds, ``check`` answers with
located diagnostics or a corpus that renders; it never raises, never crashes, never hangs.

Hypothesis mutates valid files with the characters YAML gives meaning to (and a few it
refuses), splices in YAML 1.1 surprises, tags, anchors and aliases, builds random data trees
under the real keys, and throws raw bytes. Runs are derandomized so CI is repeatable; set
``SCHOLION_FUZZ_EXAMPLES`` to explore further locally (docs/security.md).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholion import pipeline
from scholion.diagnostics import errors_in
from scholion.project import Project
from scholion.render import render_site
from tests.helpers import write_corpus
from tests.security.hostile import problems

EXAMPLES = int(os.environ.get("SCHOLION_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="SCHOLION_FUZZ_EXAMPLES" not in os.environ,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FRONT_MATTER = """\
title: Aircraft land in Caracas
date: 2019-03-24
publisher: example-times
authors: [{name: Jane Doe}]
language: en
rights: © Example Times.
url: https://example.org/alpha
"""
BODY = "Two aircraft landed in Caracas on Saturday. About 100 troops came.\n"
SIDECAR = """\
claims:
  - id: aircraft-landed
    quote: Two aircraft landed
    statement: Two aircraft landed in Caracas.
    rating: accurate
    explanation: Flight data *show* them.
    about: [caracas]
    sources:
      - {source: reuters, relation: supports, note: Both flights.}
notes:
  - id: troops
    quote: About 100 troops
    kind: context
    text: An estimate.
citations:
  - source: reuters
    quote: in Caracas
mentions:
  - entity: caracas
    quote: Caracas
"""
ENTITY = "type: place\nname: Caracas\naliases: [Karakas]\ndescription: The capital.\n"
BASE = {
    "content/entities/example-times.yaml": "type: media\nname: Example Times\ndescription: x.\n",
    "content/entities/caracas.yaml": ENTITY,
    "content/sources/reuters.yaml": "title: Russian planes land\nkind: wire\n",
    "content/articles/alpha.md": f"---\n{FRONT_MATTER}---\n{BODY}",
    "content/articles/alpha.yaml": SIDECAR,
}

SIGNIFICANT = [
    *":-[]{},\"'&*!|>#%@`?~ \t\n",
    *("\x00", "\x07", "\ufeff", "\u2028", "\x85", "\u00e9", "\U0001f600", "<", "\\", "---", "..."),
]
SPLICES = [
    "no",
    "off",
    "0123",
    "12:30",
    "~",
    "2019-03-25",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGk=",
    "!local x",
    "&a",
    "*a",
    "*missing",
    "<<: *a",
    "? [a, b]",
    "[" * 50,
    "- " * 50,
    '"unclosed',
    "|\n  block",
    ">-",
    "%YAML 1.1",
    "id: ../../x",
    "id: con",
    "quote: nowhere in the text",
    "\t",
]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` after a few insertions, deletions, splices and line shuffles."""
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "splice", "duplicate-line"]))
        if kind == "insert":
            text = (
                text[:at]
                + "".join(draw(st.lists(st.sampled_from(SIGNIFICANT), max_size=4)))
                + text[at:]
            )
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif kind == "splice":
            text = text[:at] + draw(st.sampled_from(SPLICES)) + text[at:]
        else:
            lines = text.split("\n")
            line = draw(st.integers(0, len(lines) - 1))
            lines.insert(draw(st.integers(0, len(lines))), lines[line])
            text = "\n".join(lines)
    return text


KEYS = sorted(
    {"claims", "notes", "citations", "mentions", "corrections", "id", "quote", "prefix"}
    | {"suffix", "statement", "rating", "explanation", "claimant", "about", "sources", "source"}
    | {"relation", "note", "claim", "kind", "text", "entity", "date", "title", "name"}
)
SCALARS = (
    st.sampled_from(["accurate", "reuters", "caracas", "context", "supports", "Two aircraft"])
    | st.text(max_size=12)
    | st.integers()
    | st.booleans()
    | st.none()
    | st.floats(allow_nan=False)
)
TREES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)
    ),
    max_leaves=25,
)


@pytest.fixture(scope="module")
def root() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as directory:
        yield write_corpus(Path(directory), BASE)


def _answer_cleanly(root: Path, path: str, content: str | bytes) -> None:
    """Write ``content`` to ``path`` in the corpus and check the whole corpus."""
    target = root / path
    if isinstance(content, str):
        content = content.encode("utf-8", errors="surrogatepass")
    target.write_bytes(content)
    try:
        corpus, diagnostics = pipeline.check(Project.at(root))
    finally:
        for name, text in BASE.items():
            (root / name).write_text(text)
    for d in diagnostics:
        assert d.path in BASE or d.path == "site_config.yaml", d
        assert d.message and d.line >= 1 and d.col >= 1, d.format_text()
    if corpus is not None and not errors_in(diagnostics):
        files = render_site(corpus, pipeline.template_dirs(Project.at(root)))
        for file in files:
            if file.path.endswith(".html"):
                assert list(problems(file.content.decode("utf-8"), file.path)) == []


@FUZZ
@given(text=mutated(SIDECAR))
def test_a_mutated_sidecar_gets_located_errors_or_renders(root, text):
    _answer_cleanly(root, "content/articles/alpha.yaml", text)


@FUZZ
@given(text=mutated(FRONT_MATTER), body=mutated(BODY))
def test_mutated_front_matter_gets_located_errors_or_renders(root, text, body):
    _answer_cleanly(root, "content/articles/alpha.md", f"---\n{text}---\n{body}")


@FUZZ
@given(tree=st.dictionaries(st.sampled_from(KEYS), TREES, max_size=6), style=st.booleans())
def test_any_data_under_the_real_keys_gets_located_errors_or_renders(root, tree, style):
    text = yaml.safe_dump(tree, default_flow_style=style, allow_unicode=True)
    _answer_cleanly(root, "content/articles/alpha.yaml", text)


def _leaves(data: object, path: tuple = ()) -> Iterator[tuple]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, (*path, i))
    else:
        yield path


HOSTILE_TEXT = st.sampled_from(
    [
        *("<script>alert(1)</script>", "[x](javascript:alert(1))", '"><img src=x onerror=a(1)>'),
        *("Two aircraft", "Caracas", "caracas", "reuters", "accurate", "", " ", "a" * 3000),
    ]
)


@st.composite
def sidecar_with_new_values(draw: st.DrawFn) -> str:
    """The valid sidecar with some values replaced: mostly a corpus that checks or fails on
    meaning (a quote not found, an unknown id), so anchoring and rendering are exercised."""
    data = yaml.safe_load(SIDECAR)
    leaves = list(_leaves(data))
    for path in draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=3)):
        *parents, last = path
        target = data
        for key in parents:
            target = target[key]
        target[last] = draw(HOSTILE_TEXT | st.text(max_size=40) | SCALARS)
    return yaml.safe_dump(data, allow_unicode=True)


@FUZZ
@given(text=sidecar_with_new_values())
def test_new_values_in_a_sidecar_get_located_errors_or_render_inert(root, text):
    _answer_cleanly(root, "content/articles/alpha.yaml", text)


@FUZZ
@given(data=st.binary(max_size=200), prefix=st.sampled_from([b"", ENTITY.encode()]))
def test_raw_bytes_in_an_entity_get_located_errors(root, data, prefix):
    _answer_cleanly(root, "content/entities/caracas.yaml", prefix + data)


def test_the_base_corpus_is_valid(root):
    """Guards the properties above: unmutated, the corpus checks clean and renders."""
    corpus, diagnostics = pipeline.check(Project.at(root))
    assert [d.format_text() for d in diagnostics] == []
    assert corpus is not None and json.dumps(sorted(corpus.claims)) == '["aircraft-landed"]'
