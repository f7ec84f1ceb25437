"""The records of the model: the numerous ones share the strings they repeat, however they
were made, so that a linked corpus holds one copy of an entity's id, not one per mention."""

from __future__ import annotations

import json
import pickle

from scholion.incremental.codec import decode, encoded
from scholion.model import Annotation, Claim, ClaimSource, Mention, Note


def _fresh(text: str) -> str:
    """An equal string that is another object, as a worker, a decoder or a slice makes."""
    return json.loads(json.dumps(text))


def _mention(entity: str, text: str, anchor: str) -> Mention:
    return Mention(entity, _fresh("an-article"), anchor, 0, 5, "", text, "", True, _fresh("m-x-1"))


def test_mentions_share_their_entity_article_words_and_former_id():
    first = _mention(_fresh("ketrar-pugria"), _fresh("Ketrar Pugria"), "m-1")
    second = _mention(_fresh("ketrar-pugria"), _fresh("Ketrar Pugria"), "m-2")
    assert first.entity is second.entity
    assert first.text is second.text
    assert first.article is second.article
    assert first.former is second.former


def test_a_record_from_another_process_shares_them_too():
    here = _mention(_fresh("ketrar-pugria"), _fresh("K. Pugria"), "m-1")
    received = pickle.loads(pickle.dumps(_mention("ketrar-pugria", "K. Pugria", "m-2")))
    assert received.entity is here.entity
    assert received.text is here.text
    assert received == _mention("ketrar-pugria", "K. Pugria", "m-2")


def test_a_record_decoded_from_the_cache_shares_them_too():
    here = _mention(_fresh("ketrar-pugria"), _fresh("Pugria"), "m-1")
    kept = json.loads(json.dumps(encoded(_mention("ketrar-pugria", "Pugria", "m-2"))))
    decoded = decode(Mention, kept)
    assert decoded.entity is here.entity
    assert decoded == _mention("ketrar-pugria", "Pugria", "m-2")


def test_annotations_notes_and_claims_share_their_kinds_and_targets():
    def annotation() -> Annotation:
        return Annotation(
            _fresh("art"), "c-1", 1, _fresh("claim"), _fresh("claim-1"), "q", 0, 1, "", ""
        )

    def note() -> Note:
        return Note(_fresh("art"), "n-1", _fresh("context"), "<p>x</p>", True)

    def claim() -> Claim:
        source = ClaimSource(_fresh("source-1"), _fresh("supports"), "")
        return Claim("claim-1", "s", _fresh("false"), "", None, (), (source,), _fresh("art"))

    assert annotation().kind is annotation().kind
    assert annotation().target is annotation().target
    assert note().kind is note().kind
    assert claim().rating is claim().rating
    assert claim().sources[0].relation is claim().sources[0].relation
    received = pickle.loads(pickle.dumps(claim()))
    assert received.sources[0].source is claim().sources[0].source
    assert received == claim()
