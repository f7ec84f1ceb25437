"""``build.py import-annotations``: a Hypothesis export, a Recogito export and brat standoff
(``tests/fixtures/annotations/``) become sidecar entries anchored exactly where ``check`` finds
them; what cannot anchor is listed with its reason and written to the rejects file; the sidecar
keeps what it had, comments and all, and importing twice adds nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scholion.commands.annotation_formats import FormatError
from scholion.commands.import_annotations import plan_annotations, write_planned
from scholion.diagnostics import ContentError
from scholion.project import Project
from tests.helpers import FIXTURES, check, run_build_py

HERE = FIXTURES / "annotations"
SLUG = "aircraft-in-caracas"
SIDECAR = f"content/articles/{SLUG}.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "corpus"
    shutil.copytree(HERE / "corpus", copy, ignore=shutil.ignore_patterns(".cache"))
    return copy


def run(root: Path, name: str, map_file: Path | None = HERE / "map.yaml"):
    rejects = root.parent / "rejects.json"
    planned = plan_annotations(Project.at(root), HERE / name, SLUG, map_file, rejects)
    write_planned(planned)
    return planned.outcome, rejects


def reasons(outcome) -> dict[str, str]:
    return {r.item.ref.split(" (")[0]: r.reason for r in outcome.rejected}


def test_a_hypothesis_export_becomes_notes_a_claim_and_a_mention(root):
    outcome, rejects = run(root, "hypothesis.json")
    text = (root / SIDECAR).read_text(encoding="utf-8")
    # the sidecar as it was, then the new entries
    original = (HERE / "corpus" / SIDECAR).read_text(encoding="utf-8")
    assert text.startswith(original)
    assert text[len(original) :] == (
        "  - kind: framing\n"
        "    quote: according to media reports\n"
        "    text: Which reports? None is *named*.\n"
        "  - kind: context\n"
        "    quote: Moscow said\n"
        "    prefix: routine.\n"
        "    text: The second denial, not the first.\n"
        "  - kind: context\n"
        "    text: 'A page note on the whole article: sources are thin.'\n"
        "mentions:\n"
        "  - entity: russian-embassy\n"
        "    quote: the embassy\n"
        "claims:\n"
        "  - id: carrying-about-100-troops\n"
        "    quote: carrying about 100 troops\n"
        "    statement: Carrying about 100 troops.\n"
        "    rating: unverified\n"
        "    explanation: No evidence is given. <script>alert('hyp')</script>\n"
    )
    assert reasons(outcome) == {
        "item 5": "quote not found in the article: “Venezuelan Air Force base”",
        "item 7": "it annotates article `another-article`, not `aircraft-in-caracas`: "
        "import it with --article another-article",
        "item 8": "nothing says what it becomes: it has no comment, no claim or source link, "
        "and no label with a rule (labels: unmapped-tag); add a rule under `labels:` in --map",
    }
    written = json.loads(rejects.read_text(encoding="utf-8"))
    source = json.loads((HERE / "hypothesis.json").read_text(encoding="utf-8"))["rows"]
    # each reject as it came, plus its reason
    assert [{k: v for k, v in r.items() if k != "rejected"} for r in written] == [
        source[4],
        source[6],
        source[7],
    ]
    assert [r["rejected"] for r in written] == list(reasons(outcome).values())
    assert check(root) == []


def test_the_quote_wins_over_a_position_and_a_position_picks_an_occurrence(root):
    outcome, _ = run(root, "recogito.jsonld")
    added = {e.ref.split(" (")[0]: e.fields for e in outcome.added}
    # item 1's position counts in Recogito's copy of the text: the unique quote wins
    assert added["item 1"] == {
        "kind": "context",
        "quote": "the flights were routine",
        "text": "Routine according to whom?",
    }
    # item 4 has no context; its position names the first "Moscow said"
    assert added["item 4"]["quote"] == "Moscow said"
    assert added["item 4"]["prefix"] == "reports."
    # item 2 (a place) names Caracas, which its name already links there
    assert [ref.split(" (")[0] for ref in outcome.already] == ["item 2"]
    assert reasons(outcome) == {
        "item 5": "the quote occurs 2 times and neither its prefix/suffix nor its position "
        "picks one: “Moscow said”"
    }
    assert check(root) == []


def test_brat_standoff_with_windows_line_endings_discontinuous_spans_and_attributes(root):
    outcome, rejects = run(root, "brat/aircraft-in-caracas.ann")
    added = {e.ref: (e.section, e.fields) for e in outcome.added}
    assert added["T2"] == (
        "claims",
        {
            "id": "two-russian-aircraft-landed-in-caracas-on",
            "quote": "Two Russian aircraft landed in Caracas on Saturday, carrying about "
            "100 troops",
            "statement": "Two Russian aircraft landed in Caracas on Saturday, carrying about "
            "100 troops.",
            "rating": "unverified",
            "explanation": "Two aircraft are confirmed; the number of troops is not.",
        },
    )
    assert added["T3"] == ("mentions", {"entity": "russian-embassy", "quote": "the embassy"})
    # a label naming a note kind gives the kind; the Cyrillic passage anchors as it is
    assert added["T4"] == (
        "notes",
        {
            "kind": "framing",
            "quote": "Россия не вмешивается",
            "text": "Quoted in Russian, untranslated.",
        },
    )
    # the second "Moscow said", told apart by the words before it
    assert added["T5"][1]["prefix"] == "routine."
    assert outcome.notices == [
        "T2: a discontinuous span, imported as the passage from its first fragment to its "
        'last: "Two Russian aircraft landed in Caracas on Saturday, carrying about 100 troops"'
    ]
    assert outcome.already == ["T1"]
    assert reasons(outcome) == {
        "T6": 'the .ann says "Sunday" but the .txt has "Saturday" at 70 78: the two files do '
        "not belong together",
        "T7": "“Officials” names no entity: add it as an alias of the right entity, or map the "
        "label to an entity (`{mention: ENTITY}`)",
        "R1": "a brat relation: Scholion imports text-bound annotations (T) with their notes "
        "(#) and attributes (A)",
    }
    written = json.loads(rejects.read_text(encoding="utf-8"))
    assert written[2] == {
        "ann": ["R1\tLocatedIn Arg1:T3 Arg2:T1"],
        "rejected": reasons(outcome)["R1"],
    }
    assert check(root) == []


@pytest.mark.parametrize(
    "name", ["hypothesis.json", "recogito.jsonld", "brat/aircraft-in-caracas.ann"]
)
def test_importing_twice_adds_nothing(root, name):
    first, _ = run(root, name)
    after_first = (root / SIDECAR).read_bytes()
    second, _ = run(root, name)
    assert second.added == []
    assert len(second.already) == len(first.added) + len(first.already)
    assert (root / SIDECAR).read_bytes() == after_first


def test_without_a_map_a_comment_is_a_note_and_an_entity_id_tag_a_mention(root):
    outcome, _ = run(root, "hypothesis.json", map_file=None)
    added = {e.ref.split(" (")[0]: (e.section, e.fields) for e in outcome.added}
    assert added["item 3"] == ("mentions", {"entity": "russian-embassy", "quote": "the embassy"})
    # "dubious" has no rule: its comment makes a note of the default kind (the first)
    assert added["item 4"][0] == "notes"
    assert added["item 4"][1]["kind"] == "context"
    assert reasons(outcome)["item 8"].startswith("nothing says what it becomes")


def test_a_map_naming_what_the_corpus_lacks_is_refused_with_its_place(root, tmp_path):
    bad = tmp_path / "map.yaml"
    bad.write_text(
        "note_kind: context\nlabels:\n  dubious: {claim: wrong}\n  x: {mention: nobody}\n  y: 3\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        plan_annotations(Project.at(root), HERE / "hypothesis.json", SLUG, bad)
    assert [d.format_text() for d in caught.value.diagnostics] == [
        f"{bad}:3:20: error: unknown rating `wrong`",
        f"{bad}:4:16: error: unknown entity `nobody`",
        f"{bad}:5:6: error: `y`: say what it becomes\n"
        "  hint: note, mention, {note: KIND}, {claim: RATING} or {mention: ENTITY}",
    ]


def test_a_file_that_is_not_annotations_is_one_error_naming_it(root, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"rows": [', encoding="utf-8")
    with pytest.raises(FormatError, match=r"broken.json:1:11: not JSON"):
        plan_annotations(Project.at(root), broken, SLUG)
    lonely = tmp_path / "lonely.ann"
    lonely.write_text("T1\tPlace 0 3\tTwo\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"lonely.txt is missing"):
        plan_annotations(Project.at(root), lonely, SLUG)


def test_the_command_lists_each_item_and_checks_after_writing(root):
    result = run_build_py(
        "import-annotations",
        str(HERE / "recogito.jsonld"),
        "--article",
        SLUG,
        "--root",
        str(root),
        "--rejects",
        str(root.parent / "rejects.json"),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    rejects = root.parent / "rejects.json"
    assert lines[-2] == (
        f"3 added to {SIDECAR}, 1 already there, 1 rejected (written to {rejects})"
    )
    assert lines[-1] == "check passed"
    assert lines[-3].endswith(
        "rejected: the quote occurs 2 times and neither its prefix/suffix nor its position "
        "picks one: “Moscow said”"
    )


def test_an_unknown_article_is_refused_with_a_suggestion(root):
    result = run_build_py(
        "import-annotations",
        str(HERE / "recogito.jsonld"),
        "--article",
        "aircraft-in-caraca",
        "--root",
        str(root),
    )
    assert result.returncode == 1
    assert result.stderr == (
        "error: no article `aircraft-in-caraca` in content/articles/ "
        "(did you mean aircraft-in-caracas?)\n"
    )


def test_a_sidecar_saved_with_windows_line_endings_keeps_them(root):
    sidecar = root / SIDECAR
    original = sidecar.read_bytes().replace(b"\n", b"\r\n")
    sidecar.write_bytes(original)
    run(root, "recogito.jsonld")
    written = sidecar.read_bytes()
    assert written.startswith(original)
    assert b"\n" not in written.replace(b"\r\n", b"")
    assert check(root) == []


def test_a_dry_run_prints_the_sidecar_and_writes_nothing(root):
    result = run_build_py(
        "import-annotations",
        str(HERE / "recogito.jsonld"),
        "--article",
        SLUG,
        "--root",
        str(root),
        "--dry-run",
    )
    assert result.returncode == 0, result.stderr
    original = (HERE / "corpus" / SIDECAR).read_text(encoding="utf-8")
    assert result.stdout.startswith(original)
    assert "    text: Routine according to whom?\n" in result.stdout
    assert (root / SIDECAR).read_text(encoding="utf-8") == original
    assert not (HERE / "recogito.rejects.json").exists()
    assert result.stderr.splitlines()[-1].endswith("(dry run: nothing written)")
