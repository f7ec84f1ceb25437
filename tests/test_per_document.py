"""What a stage found per document, kept between edits (:mod:`scholion.load.per_document`):
after any sequence of edits (files changed, added, removed, renamed) the results are those of
a fresh pass, and only the documents that are not the same objects are looked at again."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scholion.load.documents import Document
from scholion.load.per_document import PerDocument, flattened, replaced_at
from scholion.load.yamlsource import parse_yaml

NAMES = ["a", "b", "c", "d", "e", "f"]


def document(name: str, text: str) -> Document:
    located, _ = parse_yaml(f"value: {text!r}\n", f"content/entities/{name}.yaml")
    assert located is not None
    return Document(f"content/entities/{name}.yaml", "entity", name, located)


Edit = tuple[str, str, str]
"""(what: "write" or "remove", file name, new text)."""

edits = st.lists(
    st.tuples(
        st.sampled_from(["write", "remove"]), st.sampled_from(NAMES), st.text("xyz", max_size=3)
    ),
    max_size=6,
)


def problems(doc: Document) -> list[str]:
    value = doc.data["value"]
    return [f"{doc.stem}: {value}"] if value else []


@settings(max_examples=200, deadline=None)
@given(steps=st.lists(st.tuples(edits, st.booleans()), max_size=6))
def test_results_after_any_edits_are_those_of_a_fresh_pass(
    steps: list[tuple[list[Edit], bool]],
) -> None:
    files: dict[str, Document] = {name: document(name, name) for name in NAMES[:3]}
    memo: PerDocument[list[str]] = PerDocument()
    memo.each(sorted(files.values(), key=lambda d: d.path), problems)
    for step, same_context in steps:
        for what, name, text in step:
            if what == "remove":
                files.pop(name, None)
            else:
                files[name] = document(name, text)
        docs = sorted(files.values(), key=lambda d: d.path)
        seen: list[Document] = []

        def looked_at(doc: Document, seen: list[Document] = seen) -> list[str]:
            seen.append(doc)
            return problems(doc)

        found = memo.each(docs, looked_at, same_context=same_context)
        assert found == [problems(doc) for doc in docs]
        assert flattened(found) == [p for doc in docs for p in problems(doc)]
        written = {name for what, name, _ in step if what == "write"}
        if same_context:
            assert {doc.stem for doc in seen} == written & files.keys()
        else:
            assert seen == docs


def test_a_whole_corpus_answer_stands_while_no_result_made_again_differs() -> None:
    memo: PerDocument[list[str]] = PerDocument()
    docs = [document("a", "x"), document("b", "")]
    memo.each(docs, problems)
    assert not memo.unchanged  # the first pass: nothing to stand on
    memo.each([docs[0], document("b", "")], problems)
    assert memo.unchanged and memo.remade == [1]
    memo.each([docs[0], document("b", "y")], problems)
    assert not memo.unchanged


def test_positions_replaced_are_found_by_identity() -> None:
    one, two = document("a", "x"), document("b", "y")
    assert replaced_at([one, two], [one, document("b", "y")]) == [1]
    assert replaced_at([one, two], [one, two]) == []
    assert replaced_at([one], [one, two]) is None
