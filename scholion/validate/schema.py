"""JSON Schema validation of every content file, with messages a contributor can act on.

The schemas in ``schemas/`` are the single description of each format: editors use them for
completion, and this module uses the same files, so the two can never disagree. jsonschema's
own messages are written for programmers; each is rewritten here with the key name, the
position, and a hint (a "did you mean", the allowed values, or how to quote).
"""

from __future__ import annotations

import calendar
import difflib
import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator, ValidationError, validators

from scholion import parallel
from scholion.diagnostics import Diagnostic, Severity
from scholion.load.documents import Document, Records
from scholion.load.ids import ID_PATTERN, is_reserved_name, suggest_id
from scholion.load.per_document import PerDocument, flattened
from scholion.project import SCHEMAS

if TYPE_CHECKING:  # for annotations only: cache.COMPUTED_BY lists what this module imports
    from scholion.incremental.file_cache import FileCache

SCHEMA_DIR = SCHEMAS
"""The engine's schemas, shared by every corpus the engine builds."""

SCHEMA_FILES = {
    "config": "site_config.schema.json",
    "article": "article.schema.json",
    "sidecar": "sidecar.schema.json",
    "entity": "entity.schema.json",
    "source": "source.schema.json",
    "page": "page.schema.json",
    "narrative": "narrative.schema.json",
}


@cache
def validator_for(kind: str) -> Draft202012Validator:
    """One compiled validator per file kind, its ``$ref``s already in place
    (:func:`inline_references`)."""
    return _Validator(inline_references(_schemas(), SCHEMA_FILES[kind]))


def _schemas() -> dict[str, Any]:
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(SCHEMA_DIR.glob("*.schema.json"))
    }


def inline_references(schemas: Mapping[str, Any], name: str) -> Any:
    """The schema ``name`` of ``schemas`` (file name -> schema) with every ``$ref`` replaced by
    what it points to: alone, by the subschema itself; beside other keywords, by ``allOf``
    holding it, in the ``$ref``'s place (the two are the same in-place applicator in draft
    2020-12, and an error in the subschema is reported by that subschema either way).

    jsonschema resolves a ``$ref`` through its registry every time validation passes it: in a
    cold ``check`` of 10,000 articles, 1.05 million lookups, half the time of the schema
    check, itself half the check. None of our schemas refers to itself, directly or not (a
    cycle raises ValueError); each subschema is inlined once and shared."""
    done: dict[tuple[str, str], Any] = {}

    def target(file: str, pointer: str, within: tuple[tuple[str, str], ...]) -> Any:
        key = (file, pointer)
        if key in within:
            raise ValueError(f"$ref cycle through {file}#{pointer}")
        if key not in done:
            node = schemas[file]
            for token in filter(None, pointer.split("/")):
                node = node[token.replace("~1", "/").replace("~0", "~")]
            done[key] = inlined(node, file, (*within, key))
        return done[key]

    def inlined(node: Any, file: str, within: tuple[tuple[str, str], ...]) -> Any:
        if isinstance(node, list):
            return [inlined(item, file, within) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            reference, _, pointer = str(node["$ref"]).partition("#")
            found = target(reference or file, pointer, within)
            if len(node) == 1:
                return found
            if "allOf" in node:
                raise ValueError(f"$ref beside allOf in {file}: put the reference in the allOf")
            return {
                "allOf" if key == "$ref" else key: [found]
                if key == "$ref"
                else inlined(value, file, within)
                for key, value in node.items()
            }
        return {key: inlined(value, file, within) for key, value in node.items()}

    return target(name, "", ())


def _pattern_to_the_end(
    validator: Draft202012Validator, pattern: str, instance: Any, schema: dict
) -> Iterator[ValidationError]:
    """The ``pattern`` keyword as editors apply it. Schema patterns are ECMA-262 regexes, where
    ``$`` matches only at the very end; Python's ``$`` also matches before a final newline,
    which would let ``"an-id\\n"`` or ``"https://x\\n"`` through."""
    if validator.is_type(instance, "string") and not re.search(_end_anchored(pattern), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _end_anchored(pattern: str) -> str:
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + r"\Z"
    return pattern


def _calendar_date(
    validator: Draft202012Validator, wanted: bool, instance: Any, schema: dict
) -> Iterator[ValidationError]:
    """``x-calendar-date``: a date the pattern lets through must also exist (no 30 February,
    no year 0), since every date is formatted for readers and a date that does not exist
    would fail the build after passing the check. Editors ignore the keyword; the pattern
    still guides them."""
    if wanted and validator.is_type(instance, "string") and _impossible(instance):
        yield ValidationError(f"{instance!r} is not a date that exists")


def _impossible(text: str) -> str:
    """Why ``text`` (YYYY, YYYY-MM or YYYY-MM-DD, already shaped by the pattern) is no real
    date, or "" when it is one or is not of that shape."""
    parts = text.split("-")
    if not all(part.isdigit() for part in parts) or len(parts) > 3:
        return ""
    year, month, day = (int(part) for part in (*parts, "1", "1")[:3])
    if year < 1:
        return "years start at 0001"
    if not 1 <= month <= 12:
        return ""  # the pattern's to report
    days = calendar.monthrange(year, month)[1]
    if day > days:
        return f"{calendar.month_name[month]} {year} has {days} days"
    return ""


_Validator = validators.extend(
    Draft202012Validator, {"pattern": _pattern_to_the_end, "x-calendar-date": _calendar_date}
)


def check_schemas(
    records: Records,
    cache: FileCache | None = None,
    memo: PerDocument[list[Diagnostic]] | None = None,
) -> list[Diagnostic]:
    """Every document's schema diagnostics; those of files unchanged since a build that kept
    them in ``cache`` are read back instead of found again, and with ``memo`` (what the last
    call found: ``serve`` keeps it) only the documents an edit replaced are looked at."""

    def checked(docs: list[Document]) -> list[list[Diagnostic]]:
        kept = [cache.diagnostics(doc) if cache else None for doc in docs]
        missing = [doc for doc, found in zip(docs, kept, strict=True) if found is None]
        # Schema checks are a large part of a check's time and independent per file: every core.
        fresh = list(parallel.ordered_map(_listed, missing, chunk=32))
        for doc, found in zip(missing, fresh, strict=True):
            if cache:
                cache.keep_diagnostics(doc, found)
        made = iter(fresh)
        return [next(made) if found is None else found for found in kept]

    return flattened((memo or PerDocument()).results(records.documents(), checked))


def _listed(doc: Document) -> list[Diagnostic]:
    return list(check_document(doc))


def check_document(doc: Document) -> Iterator[Diagnostic]:
    """Diagnostics for one document against the schema of its kind."""
    validator = validator_for(doc.kind)
    for error in validator.iter_errors(doc.located.data):
        for leaf in _leaves(error):
            yield from _describe(doc, leaf)


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """The most specific errors: if/then branches report through their context."""
    if error.context:
        for sub in error.context:
            yield from _leaves(sub)
    else:
        yield error


def _describe(doc: Document, error: ValidationError) -> Iterator[Diagnostic]:
    path = tuple(error.absolute_path)
    field = _field_name(path)
    typed = doc.located.raw.get(path)
    if path[-2:] == ("coordinates", "latitude") and str(error.validator) in _RANGE:
        explained = _latitude(error, field, doc.data.get("coordinates"))
    elif typed is not None and str(error.validator) in _TYPED_HANDLERS:
        explained = _TYPED_HANDLERS[str(error.validator)](error, field, typed)
    else:
        explained = _HANDLERS.get(str(error.validator), _generic)(error, field)
    for message, hint, key_path in explained:
        where = doc.located.key_at(key_path) if key_path is not None else doc.located.at(path)
        yield Diagnostic(doc.path, where.line, where.col, Severity.ERROR, message, hint)


Explained = Iterator[tuple[str, str, tuple | None]]


def _schema(error: ValidationError) -> Mapping[str, Any]:
    """The (sub)schema whose keyword ``error`` fails. iter_errors sets it on every error it
    yields, and none of our schemas has a boolean subschema (the other kind there is)."""
    schema = error.schema
    assert isinstance(schema, Mapping), schema
    return schema


def _additional(error: ValidationError, field: str) -> Explained:
    allowed = sorted(_schema(error).get("properties", {}))
    extra = sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
    for key in extra:
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
        yield f"unknown key '{key}'{_in(field)}", hint, (*error.absolute_path, key)


def _required(error: ValidationError, field: str) -> Explained:
    required = error.validator_value
    assert isinstance(required, list), required  # the schema's `required:`, a list of keys
    for key in required:
        if isinstance(error.instance, dict) and key not in error.instance:
            about = _schema(error).get("properties", {}).get(key, {}).get("description", "")
            hint = f"add `{key}:`" + (f" ({about})" if about else "")
            yield f"missing required key '{key}'{_in(field)}", hint, None


def _type(error: ValidationError, field: str) -> Explained:
    expected = error.validator_value
    got = error.instance
    if expected == "string" and not isinstance(got, (dict, list)):
        reads = {
            bool: "unquoted yes, no, on, off, true and false as true or false",
            type(None): "an empty value or ~ as null",
        }.get(type(got), "unquoted digits as a number")
        yield (
            f"'{field}' must be text, but YAML read it as {json.dumps(got)}",
            f'YAML reads {reads}: put the value in quotes, e.g. {field}: "…"',
            None,
        )
        return
    yield (
        f"'{field}' must be {_article(expected)}, not {_article(_type_name(got))}",
        _describe_schema(_schema(error)),
        None,
    )


def _type_as_typed(error: ValidationError, field: str, typed: str) -> Explained:
    """Text expected, and YAML 1.1 read the plain scalar ``typed`` as something else: name
    exactly what was typed, and how to quote it."""
    got = error.instance
    if error.validator_value != "string" or isinstance(got, (dict, list)) or typed == "":
        yield from _type(error, field)
        return
    reads = {
        bool: "unquoted yes, no, on, off, true and false as true or false",
        type(None): "an empty value or ~ as null",
    }.get(type(got), "unquoted digits as a number")
    read_as = json.dumps(got) if isinstance(got, bool | None) else f"the number {json.dumps(got)}"
    quoted = json.dumps(typed, ensure_ascii=False)
    yield (
        f"'{field}' must be text, but YAML read {typed} as {read_as}",
        f"YAML reads {reads}: write {quoted} instead of {typed}",
        None,
    )


def _enum_as_typed(error: ValidationError, field: str, typed: str) -> Explained:
    options = _options(error)
    close = difflib.get_close_matches(typed, options, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(options)}"
    yield f"'{field}' value {typed} is not allowed", hint, None


def _pattern(error: ValidationError, field: str) -> Explained:
    value = error.instance
    assert isinstance(value, str), value  # `pattern` fails text only (_pattern_to_the_end)
    schema = _schema(error)
    about = schema.get("description", "")
    if "\\.(pdf|" in schema.get("pattern", ""):  # an evidence file's name
        stem, _, suffix = value.rpartition("/")[2].rpartition(".")
        yield (
            f"'{field}' value {value!r} is not the name of a file in content/evidence/",
            "a name like an id, then .pdf, .png, .jpg, .jpeg, .html or .htm, e.g. "
            f"{suggest_id(stem or suffix)}.{suffix.lower() if stem else 'pdf'}",
            None,
        )
        return
    if "[a-z0-9]+(-[a-z0-9]+)*" in schema.get("pattern", ""):
        if ID_PATTERN.match(value) and is_reserved_name(value):
            yield (
                f"'{field}' value {value!r} is a device name reserved by Windows",
                f"it cannot be a file name there: choose another id, e.g. {value}-1",
                None,
            )
            return
        yield (
            f"'{field}' value {value!r} is not a valid id",
            f"use lower-case letters a-z, digits and single hyphens, e.g. {suggest_id(value)}",
            None,
        )
        return
    yield f"'{field}' value {value!r} is not in the expected form", about or "see the schema", None


def _options(error: ValidationError) -> list[str]:
    """An ``enum``'s values, as text."""
    values = error.validator_value
    assert isinstance(values, list), values  # the schema's `enum:`, a list of values
    return [str(v) for v in values]


def _enum(error: ValidationError, field: str) -> Explained:
    options = _options(error)
    close = difflib.get_close_matches(str(error.instance), options, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(options)}"
    yield f"'{field}' value {error.instance!r} is not allowed", hint, None


def _min_length(error: ValidationError, field: str) -> Explained:
    hint = "write a value between the quotes, or remove the key if it is optional"
    yield f"'{field}' must not be empty", hint, None


def _minimum(error: ValidationError, field: str) -> Explained:
    limit, value = error.validator_value, json.dumps(error.instance)
    yield f"'{field}' must be at least {limit}, not {value}", _describe_schema(_schema(error)), None


def _maximum(error: ValidationError, field: str) -> Explained:
    limit, value = error.validator_value, json.dumps(error.instance)
    yield f"'{field}' must be at most {limit}, not {value}", _describe_schema(_schema(error)), None


_RANGE = ("minimum", "maximum")


def _latitude(error: ValidationError, field: str, coordinates: object) -> Explained:
    """A latitude out of range, with the likeliest fix: a latitude beyond 90 whose longitude
    would be a latitude was written in the other's place (GIS tools and GeoJSON put longitude
    first)."""
    (message, hint, where), *_ = _HANDLERS[str(error.validator)](error, field)
    longitude = coordinates.get("longitude") if isinstance(coordinates, dict) else None
    if (
        isinstance(longitude, int | float)
        and not isinstance(longitude, bool)
        and abs(longitude) <= 90
    ):
        hint = (
            f"latitude and longitude look swapped: write latitude: {longitude}, "
            f"longitude: {error.instance} (latitude is north-south, first in 'lat, lon')"
        )
    yield message, hint, where


def _generic(error: ValidationError, field: str) -> Explained:
    yield f"'{field}': {error.message}", _describe_schema(_schema(error)), None


def _no_such_date(error: ValidationError, field: str) -> Explained:
    yield (
        f"'{field}' value '{error.instance}' is not a date that exists: "
        f"{_impossible(str(error.instance))}",
        "write a real date as YYYY-MM-DD (or YYYY-MM, or YYYY)",
        None,
    )


_TYPED_HANDLERS = {"type": _type_as_typed, "enum": _enum_as_typed}
"""Handlers for a scalar YAML did not read as text, given the text as typed."""

_HANDLERS = {
    "additionalProperties": _additional,
    "required": _required,
    "type": _type,
    "pattern": _pattern,
    "enum": _enum,
    "minLength": _min_length,
    "minimum": _minimum,
    "maximum": _maximum,
    "x-calendar-date": _no_such_date,
}


def _field_name(path: tuple) -> str:
    names = [str(p) for p in path if isinstance(p, str)]
    return names[-1] if names else "document"


def _in(field: str) -> str:
    return "" if field == "document" else f" in '{field}'"


def _type_name(value: Any) -> str:
    return {
        bool: "boolean",
        int: "number",
        float: "number",
        str: "string",
        list: "list",
        dict: "mapping",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _article(name: Any) -> str:
    name = {
        "object": "a mapping",
        "array": "a list",
        "string": "text",
        "integer": "a whole number",
        "boolean": "true or false",
    }.get(str(name), str(name))
    return name if name.startswith(("a ", "text", "true")) else f"a {name}"


def _describe_schema(schema: Mapping[str, Any]) -> str:
    return str(schema.get("description", "")) or "see the schema in schemas/"
