"""The Jinja environment: autoescaping everywhere, strict undefined, and the few filters pages use.

Templates come from the corpus's ``templates/`` first and the engine's default theme second, so a
corpus overrides any template by placing a file with the same name.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import jinja2
from markupsafe import Markup

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def make_environment(template_dirs: Sequence[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["human_date"] = human_date
    env.filters["iso_datetime"] = iso_datetime
    env.filters["plural"] = plural
    env.filters["trusted_html"] = trusted_html
    env.filters["json_ld"] = json_ld
    env.filters["cut_before"] = cut_before
    env.filters["cut_after"] = cut_after
    return env


def human_date(value: str) -> str:
    """ "2019-03-25" -> "25 March 2019"; partial dates ("2019-03", "2019") stay partial."""
    parts = value.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return value


def iso_datetime(value: str) -> str:
    """A full RFC 3339 timestamp for feeds and sitemaps (partial dates take the first day)."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return (
        dt.datetime(parts[0], parts[1], parts[2], tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")
    )


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def cut_before(context: str) -> str:
    """ "…" when the context before a quote starts mid-sentence (the sentence was longer than the
    context limit), else nothing: a context that starts a sentence needs no ellipsis."""
    opening = context.lstrip()[:1]
    return (
        "…"
        if opening and not (opening.isupper() or opening.isdigit() or opening in OPENERS)
        else ""
    )


def cut_after(context: str) -> str:
    """ "…" when the context after a quote stops mid-sentence, else nothing."""
    closing = context.rstrip()[-1:]
    return "…" if closing and closing not in CLOSERS else ""


OPENERS = "\"'\u201c\u2018\u00ab(["
"""Characters a sentence may start with besides capitals and digits (quotes, brackets)."""
CLOSERS = ".!?\u2026:;\"'\u201d\u2019\u00bb)]"
"""Characters a sentence or clause may end with."""


def trusted_html(value: str) -> Markup:
    """Mark HTML as safe. Only for HTML produced by :mod:`scholion.markup` (sanitized) or by
    :func:`scholion.anchor.highlight` over sanitized HTML; never for raw content values."""
    return Markup(value)


def json_ld(value: object) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` data block: ``<``, ``>`` and ``&`` are
    written as ``\\u003c``… so no value can close the script or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return Markup(text)
