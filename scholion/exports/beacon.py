"""BEACON link dumps (``data/beacon/<scheme>.txt``): for each authority file the corpus's
entities name (Wikidata, GND, GeoNames...), which entity page the site has for each id, so that
an aggregator holding the authority (a Wikipedia tool, a national library's person search) can
link to the corpus. Format: the BEACON link dump format (gbv/beaconspec): ``#`` meta lines,
then one link per line, ``source|annotation|target``.

Every value is made safe for a line-oriented format here, whatever validation let through: a
meta value is one line of text (any line break or control character becomes a space), a link
token holds no vertical bar, white space or control character and never starts with ``#``, so
no contributor's text can add a meta line or a link of its own.
"""

from __future__ import annotations

import re
import unicodedata

from scholion.link.authorities import Scheme, schemes
from scholion.model import Corpus

_SPACE = re.compile(r"\s+")


def beacon_files(corpus: Corpus) -> list[tuple[str, bytes]]:
    """(path, bytes) of a BEACON file per scheme that at least one entity has an id in."""
    return [(path(scheme.id), beacon(corpus, scheme)) for scheme in schemes(corpus)]


def path(scheme_id: str) -> str:
    return f"data/beacon/{scheme_id}.txt"


def beacon(corpus: Corpus, scheme: Scheme) -> bytes:
    """One scheme's file: the meta fields, then a link per (id, entity): the id (the source,
    expanded by ``#PREFIX``), no annotation, and the entity's id (the target, expanded by
    ``#TARGET`` to its page)."""
    config = corpus.config
    meta = {
        "FORMAT": "BEACON",
        "PREFIX": scheme.url.replace("{}", "{ID}"),
        "TARGET": config.base_url + "entities/{ID}/",
        "NAME": config.title,
        "DESCRIPTION": f"Entities of this corpus with a {scheme.label} id, each to its page.",
        "INSTITUTION": config.organization,
        "FEED": config.base_url + path(scheme.id),
    }
    lines = [f"#{field}: {_value(value)}" for field, value in meta.items()]
    for authority_id, entity_id in scheme.links:
        source, target = _token(authority_id), _token(entity_id)
        if source and target:
            lines.append(f"{source}||{target}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _value(text: str) -> str:
    """A meta field's value on one line: line breaks, tabs and runs of spaces become one space,
    other control characters go."""
    return _SPACE.sub(" ", _visible(text)).strip()


def _token(text: str) -> str:
    """A link token: without vertical bars, white space or control characters, and without a
    leading ``#`` (which would make its line a meta line)."""
    return "".join(c for c in _visible(text) if c != "|" and not c.isspace()).lstrip("#")


def _visible(text: str) -> str:
    """``text`` without control characters (Unicode category Cc) other than white space."""
    return "".join(c for c in text if c.isspace() or unicodedata.category(c) != "Cc")
