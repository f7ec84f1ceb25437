"""Property: whatever an annotation export holds, ``import-annotations`` imports some items and
rejects the others with a reason (or refuses the file as a whole with one message); it never
raises anything else, and everything it writes passes ``check``.

Hypothesis builds annotation-shaped JSON trees under the real keys (selectors, bodies, tags,
positions, Scholion's links), with quotes cut from the article's own text and YAML 1.1
surprises as values, and brat files from the article's offsets. Derandomized like
``test_fuzz.py``; ``SCHOLION_FUZZ_EXAMPLES`` explores further.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholion.commands.annotation_formats import FormatError
from scholion.commands.import_annotations import plan_annotations, write_planned
from scholion.project import Project
from tests.helpers import FIXTURES, check
from tests.security.test_fuzz import FUZZ

SLUG = "aircraft-in-caracas"
TEXT = (
    "\nTwo Russian aircraft landed in Caracas on Saturday, carrying about 100 troops, according "
    "to media reports. Moscow said the flights were routine. Moscow said nothing else.\n \nThe "
    "Il-62 had left from Moscow the day before. Officials in Caracas confirmed the landing. "
    "«Россия не вмешивается», said the embassy.\n"
)
ODD = ["no", "yes", "2019-03-01", "1e3", "~", "- x", "#", "*a", "&b", "{x: 1}", "'", '"', ":"]
BASE = "https://example.org/corpus/"


@pytest.fixture(scope="module")
def root() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "corpus"
        shutil.copytree(FIXTURES / "annotations" / "corpus", copy)
        yield copy


def cut() -> st.SearchStrategy[str]:
    """A piece of the article's text (whole words or not), or an odd string."""
    piece = st.tuples(st.integers(0, len(TEXT)), st.integers(1, 60)).map(
        lambda p: TEXT[p[0] : p[0] + p[1]]
    )
    return st.one_of(piece, st.sampled_from(ODD), st.text(max_size=12))


LINKS = st.sampled_from(
    [
        f"{BASE}claims/aircraft-landed/",
        f"{BASE}sources/wire-report/",
        f"{BASE}entities/moscow/",
        f"{BASE}entities/nobody/",
        "https://elsewhere.example/x",
    ]
)
BODY = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("TextualBody"), "value": cut()},
        optional={
            "purpose": st.sampled_from(
                ["commenting", "tagging", "classifying", "describing", "assessing", "linking"]
            ),
            "format": st.sampled_from(["text/plain", "text/html", "text/markdown"]),
        },
    ),
    st.fixed_dictionaries(
        {"id": LINKS},
        optional={
            "purpose": st.sampled_from(["assessing", "describing", "linking", "identifying"]),
            "scholion:relation": st.sampled_from(["supports", "refutes", "context", "nonsense"]),
        },
    ),
    st.integers(),
    st.none(),
)
SELECTOR = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("TextQuoteSelector"), "exact": cut()},
        optional={"prefix": cut(), "suffix": cut()},
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("TextPositionSelector"),
            "start": st.integers(-3, len(TEXT) + 3),
            "end": st.integers(-3, len(TEXT) + 3),
        }
    ),
    st.text(max_size=5),
)
ANNOTATION = st.fixed_dictionaries(
    {},
    optional={
        "type": st.just("Annotation"),
        "motivation": st.sampled_from(["commenting", "assessing", "linking", "tagging", 7]),
        "body": st.one_of(BODY, st.lists(BODY, max_size=4)),
        "target": st.one_of(
            st.fixed_dictionaries(
                {"source": st.sampled_from([f"{BASE}articles/{SLUG}/", "https://x.example/"])},
                optional={"selector": st.one_of(SELECTOR, st.lists(SELECTOR, max_size=3))},
            ),
            st.text(max_size=5),
        ),
        "text": cut(),
        "tags": st.lists(st.sampled_from(["moscow", "caracas", "Place", "framing", "x"])),
    },
)


@FUZZ
@given(st.lists(st.one_of(ANNOTATION, st.integers(), st.text(max_size=4)), max_size=6))
def test_any_export_imports_what_anchors_and_rejects_the_rest(root, tmp_path_factory, items):
    sidecar = root / "content" / "articles" / f"{SLUG}.yaml"
    original = FIXTURES / "annotations" / "corpus" / "content" / "articles" / sidecar.name
    sidecar.write_bytes(original.read_bytes())
    export = tmp_path_factory.mktemp("fuzz") / "export.json"
    export.write_text(json.dumps({"type": "AnnotationPage", "items": items}), encoding="utf-8")
    planned = plan_annotations(Project.at(root), export, SLUG, rejects=export.with_suffix(".r"))
    outcome = planned.outcome
    assert len(outcome.added) + len(outcome.already) + len(outcome.rejected) == len(items)
    assert all(r.reason for r in outcome.rejected)
    write_planned(planned)
    assert check(root) == []


BRAT_LINE = st.one_of(
    st.tuples(
        st.sampled_from(["Place", "Claim", "Embassy", "Framing", "Person", "Odd"]),
        st.lists(st.tuples(st.integers(0, 200), st.integers(1, 30)), min_size=1, max_size=3),
    ),
    st.sampled_from(
        ["R1\tRel Arg1:T1 Arg2:T2", "#9\tAnnotatorNotes T1\tA note.", "A1\tNeg T2", "x"]
    ),
)


@FUZZ
@given(st.lists(BRAT_LINE, max_size=6))
def test_any_brat_file_imports_what_anchors_and_rejects_the_rest(root, tmp_path_factory, lines):
    sidecar = root / "content" / "articles" / f"{SLUG}.yaml"
    original = FIXTURES / "annotations" / "corpus" / "content" / "articles" / sidecar.name
    sidecar.write_bytes(original.read_bytes())
    folder = tmp_path_factory.mktemp("brat")
    txt = (FIXTURES / "annotations" / "brat" / f"{SLUG}.txt").read_bytes()
    text = txt.decode("utf-8")
    ann = []
    for number, line in enumerate(lines, 1):
        if isinstance(line, str):
            ann.append(line)
            continue
        kind, spans = line
        pairs = [(start, start + length) for start, length in spans]
        offsets = ";".join(f"{s} {e}" for s, e in pairs)
        ann.append(f"T{number}\t{kind} {offsets}\t" + " ".join(text[s:e] for s, e in pairs))
    (folder / "doc.txt").write_bytes(txt)
    (folder / "doc.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    try:
        planned = plan_annotations(
            Project.at(root), folder / "doc.ann", SLUG, FIXTURES / "annotations" / "map.yaml"
        )
    except FormatError as exc:  # a whole-file problem is one message
        assert str(exc)
        return
    assert all(r.reason for r in planned.outcome.rejected)
    write_planned(planned)
    assert check(root) == []
