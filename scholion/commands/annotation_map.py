"""What an imported annotation becomes: the rules of a ``--map`` file and the defaults.

A rule names a label (a tag, a classifying value, a brat type or attribute) and what an
annotation carrying it becomes::

    note_kind: context                # the kind of a note no rule gives one (default: the first)
    labels:
      rhetoric: {note: framing}        # a note of that kind
      dubious: {claim: unverified}     # a claim with that rating (its explanation: the comment)
      Putin: {mention: vladimir-putin} # a mention of that entity
      Person: mention                  # a mention of the entity the quoted words name
      Organization: mention

Every id a rule names must exist in the corpus: a rule that cannot be followed is refused
before anything is imported, with the file, line and column of the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scholion.diagnostics import ContentError, Diagnostic, Severity
from scholion.load.yamlsource import parse_yaml
from scholion.model import Corpus

KINDS = ("note", "claim", "mention")


@dataclass(frozen=True, slots=True)
class Rule:
    """``kind`` (note, claim or mention) and the id it names: a note kind, a rating, an entity
    ("" for a mention: the entity the quoted words name)."""

    kind: str
    value: str = ""


@dataclass(frozen=True)
class AnnotationMap:
    note_kind: str
    labels: dict[str, Rule] = field(default_factory=dict)

    def rule_for(self, labels: tuple[str, ...]) -> tuple[str, Rule] | None:
        """The first label with a rule, and the rule (labels compared without case)."""
        folded = {key.casefold(): rule for key, rule in self.labels.items()}
        for label in labels:
            if label.casefold() in folded:
                return label, folded[label.casefold()]
        return None


def default_map(corpus: Corpus) -> AnnotationMap:
    return AnnotationMap(corpus.config.note_kinds[0].id if corpus.config.note_kinds else "")


def read_map(path: Path, corpus: Corpus) -> AnnotationMap:
    """The rules of a ``--map`` file, each checked against the corpus (all problems at once)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(
            [Diagnostic(str(path), 0, 0, Severity.ERROR, f"cannot read the map: {exc}", "")]
        ) from None
    located, syntax = parse_yaml(text, str(path))
    if located is None:
        raise ContentError(syntax)
    data = located.data
    problems: list[Diagnostic] = []

    def problem(where: tuple, message: str, hint: str = "") -> None:
        mark = located.at(where)
        problems.append(Diagnostic(str(path), mark.line, mark.col, Severity.ERROR, message, hint))

    if not isinstance(data, dict):
        data = {}
        problem((), "the map is a mapping with `labels:` (and `note_kind:`)")
    for key in data:
        if key not in ("note_kind", "labels"):
            problem((key,), f"unknown key `{key}`", "the map has `labels:` and `note_kind:`")
    kinds = [k.id for k in corpus.config.note_kinds]
    note_kind = data.get("note_kind", kinds[0] if kinds else "")
    if "note_kind" in data and note_kind not in kinds:
        problem(("note_kind",), f"unknown note kind `{note_kind}`", f"one of: {', '.join(kinds)}")
    labels = data.get("labels") or {}
    if not isinstance(labels, dict):
        problem(("labels",), "`labels:` maps a tag or brat type to what it becomes")
        labels = {}
    rules = {}
    for label, value in labels.items():
        rule = _rule(value)
        if rule is None:
            problem(
                ("labels", label),
                f"`{label}`: say what it becomes",
                "note, mention, {note: KIND}, {claim: RATING} or {mention: ENTITY}",
            )
            continue
        known = {
            "note": kinds,
            "claim": [r.id for r in corpus.config.ratings],
            "mention": list(corpus.entities),
        }[rule.kind]
        if rule.value and rule.value not in known:
            what = {"note": "note kind", "claim": "rating", "mention": "entity"}[rule.kind]
            problem(("labels", label, rule.kind), f"unknown {what} `{rule.value}`")
            continue
        rules[str(label)] = rule
    if problems:
        raise ContentError(problems)
    return AnnotationMap(note_kind, rules)


def _rule(value: object) -> Rule | None:
    if value in ("note", "mention"):
        return Rule(str(value))
    if isinstance(value, dict) and len(value) == 1:
        ((kind, named),) = value.items()
        if kind in KINDS and isinstance(named, str) and (named or kind == "mention"):
            return Rule(kind, named)
    return None
