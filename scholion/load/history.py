"""The corpus's history from git: when each record was first published and last changed, every
change to a claim's statement, rating or explanation, when a claim was first quoted in each
article, and every edit of a note.

Read in two processes whatever the corpus size: one ``git log --raw`` over ``content/`` (which
commits touched which files, and the blob of each version) and one ``git cat-file --batch`` for
the sidecar versions. Dates are commit dates, so builds stay reproducible. Without git, or
outside a repository, the history is simply empty; in a shallow clone it starts at the first
commit available, and a warning says so.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath

import yaml

from scholion.diagnostics import Diagnostic, Severity
from scholion.model import ClaimChange, Commit, Dates, History, NoteChange

TRACKED_FIELDS = ("statement", "rating", "explanation")
_RECORD = "\x1e"
_UNIT = "\x1f"


def read_history(root: Path, content: str = "content") -> tuple[History, list[Diagnostic]]:
    """The history of ``root/content``; never raises for a missing or unusual repository."""
    try:
        top = _git(root, "rev-parse", "--show-toplevel").strip()
    except (OSError, subprocess.CalledProcessError):
        return History(), []
    try:
        prefix = Path(root).resolve().relative_to(Path(top).resolve()).as_posix()
    except ValueError:  # the corpus is reached through a link from outside the repository
        return History(), []
    prefix = "" if prefix == "." else prefix + "/"
    log = _git(
        root,
        "-c",
        "core.quotePath=false",
        "log",
        "--reverse",
        "--no-renames",
        "--no-abbrev",
        "--raw",
        f"--format={_RECORD}%H{_UNIT}%cI{_UNIT}%an{_UNIT}%s",
        "--",
        content,
    )
    commits = list(_parse_log(log, prefix))
    shallow = _git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    diagnostics = []
    if shallow:
        since = commits[0][0].day if commits else "the latest commit"
        diagnostics.append(
            Diagnostic(
                ".",
                0,
                0,
                Severity.WARNING,
                f"the repository is a shallow clone: history shown from {since} only",
                "fetch the full history (in GitHub Actions: actions/checkout with fetch-depth: 0)",
            )
        )
    return _history(root, commits, shallow, content), diagnostics


def _git(root: Path, *args: str, stdin: bytes | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, check=True)
    return result.stdout.decode("utf-8", errors="replace")


FileChange = tuple[str, str, str]  # (status, blob sha, root-relative path)


def _parse_log(log: str, prefix: str) -> Iterator[tuple[Commit, list[FileChange]]]:
    for record in log.split(_RECORD)[1:]:
        head, _, body = record.partition("\n")
        sha, date, author, subject = head.split(_UNIT, 3)
        changes = []
        for line in body.splitlines():
            if not line.startswith(":"):
                continue
            meta, _, path = line.partition("\t")
            parts = meta.split()
            if path.startswith(prefix):
                changes.append((parts[4][0], parts[3], path[len(prefix) :]))
        yield Commit(date, sha, author, subject), changes


def _history(
    root: Path, commits: list[tuple[Commit, list[FileChange]]], shallow: bool, content: str
) -> History:
    first: dict[str, Commit] = {}
    last: dict[str, Commit] = {}
    new_articles = []
    articles_dir = f"{content}/articles/"
    for commit, changes in commits:
        for status, _, path in changes:
            if status == "D":
                continue
            if path not in first and path.startswith(articles_dir) and path.endswith(".md"):
                new_articles.append((PurePosixPath(path).stem, commit))
            first.setdefault(path, commit)
            last[path] = commit
    files = {p: Dates(first[p], last[p]) for p in first}
    sidecars = [
        (c, [(s, b, p) for s, b, p in ch if p.startswith(articles_dir) and p.endswith(".yaml")])
        for c, ch in commits
    ]
    blobs = _read_blobs(root, {b for _, ch in sidecars for s, b, _ in ch if s != "D"})
    versions = [
        (commit, [(PurePosixPath(p).stem, _sidecar(blobs.get(b))) for s, b, p in ch if s != "D"])
        for commit, ch in sidecars
    ]
    return History(
        files,
        _claim_changes(versions),
        appearances=_appearances(versions),
        notes=_note_changes(versions),
        new_articles=tuple(new_articles),
        shallow=shallow,
    )


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""PyYAML's safe loader, in C where the wheel has libyaml: the past versions of every sidecar
are parsed on each build, and need no positions (their values only feed the history)."""

Versions = list[tuple[Commit, list[tuple[str, dict]]]]
"""Each commit touching sidecars, with the (article slug, parsed sidecar) of each it wrote."""


def _sidecar(blob: bytes | None) -> dict:
    """One version of a sidecar; an unparsable version counts as empty."""
    try:
        data = yaml.load(blob or b"", Loader=_SAFE_LOADER) or {}
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _items(data: dict, section: str) -> list[dict]:
    found = data.get(section)
    return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []


def _read_blobs(root: Path, shas: Iterable[str]) -> dict[str, bytes]:
    """Contents of many blobs from one ``git cat-file --batch`` process."""
    wanted = sorted(shas)
    if not wanted:
        return {}
    result = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=root,
        capture_output=True,
        input=("\n".join(wanted) + "\n").encode(),
        check=True,
    )
    out, at, blobs = result.stdout, 0, {}
    while at < len(out):
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if len(header) < 3:  # "<sha> missing" (e.g. in a partial clone)
            at = end + 1
            continue
        size = int(header[2])
        blobs[header[0].decode()] = out[end + 1 : end + 1 + size]
        at = end + 1 + size + 1
    return blobs


def _claims_in(data: dict) -> dict[str, dict[str, str]]:
    """Claim definitions in one version of a sidecar."""
    return {
        item["id"]: {k: str(item.get(k, "")) for k in TRACKED_FIELDS}
        for item in _items(data, "claims")
        if isinstance(item.get("id"), str) and "claim" not in item
    }


def _claim_changes(versions: Versions) -> dict[str, tuple[ClaimChange, ...]]:
    """Walk sidecar versions in order; compare each claim with its last known values."""
    known: dict[str, dict[str, str]] = {}
    events: dict[str, list[ClaimChange]] = {}
    for commit, sidecars in versions:
        for _, data in sidecars:
            for claim_id, values in _claims_in(data).items():
                before = known.get(claim_id)
                if before is None:
                    events.setdefault(claim_id, []).append(
                        ClaimChange(claim_id, commit, "published")
                    )
                else:
                    events.setdefault(claim_id, []).extend(
                        ClaimChange(claim_id, commit, name, before[name], values[name])
                        for name in TRACKED_FIELDS
                        if before[name] != values[name]
                    )
                known[claim_id] = values
    return {claim_id: tuple(changes) for claim_id, changes in events.items()}


def _appearances(versions: Versions) -> dict[str, tuple[tuple[str, Commit], ...]]:
    """The first commit in which each article's sidecar quoted each claim (defined it or
    referred to it), oldest first: when the claim was first seen there."""
    first: dict[tuple[str, str], Commit] = {}
    for commit, sidecars in versions:
        for slug, data in sidecars:
            for item in _items(data, "claims"):
                claim_id = item.get("claim", item.get("id"))
                if isinstance(claim_id, str):
                    first.setdefault((claim_id, slug), commit)
    found: dict[str, list[tuple[str, Commit]]] = {}
    for (claim_id, slug), commit in sorted(first.items(), key=lambda kv: (kv[1], kv[0])):
        found.setdefault(claim_id, []).append((slug, commit))
    return {claim_id: tuple(items) for claim_id, items in found.items()}


def note_key(slug: str, item: dict) -> str:
    """The key of a note's history: ``<slug>#id:<id>`` for a note with an id, otherwise
    ``<slug>#`` and a hash of its current quote and text (a note followed across edits keeps
    the key of its latest version, which is what the working tree holds)."""
    if isinstance(item.get("id"), str):
        return f"{slug}#id:{item['id']}"
    words = f"{item.get('quote', '')}\x1f{item.get('text', '')}".encode()
    return f"{slug}#" + hashlib.blake2s(words, digest_size=6).hexdigest()


_Note = tuple[str, str, str]  # (id or "", quote or "", text)


def _notes_in(data: dict) -> list[tuple[_Note, dict]]:
    return [
        ((str(item.get("id") or ""), str(item.get("quote") or ""), item["text"]), item)
        for item in _items(data, "notes")
        if isinstance(item.get("text"), str)
    ]


_RULES: tuple[Callable[[_Note], object], ...] = (
    lambda note: note[0],  # its id (notes with an id only)
    lambda note: note[1:],  # the same quote and text
    lambda note: note[1],  # the same quote: its text edited
    lambda note: note[2],  # the same text: its quote moved
)


def _follow(before: list[_Note], after: list[_Note]) -> list[int | None]:
    """For each note of a sidecar's new version, the index of the note of its previous version
    it continues, or None for a new note. A note with an id continues the note with that id;
    one without, the first note left over (in sidecar order) with the same quote and text, then
    the same quote (its text edited), then the same text (its quote moved). A note whose quote
    and text both changed is a new note. Indexed by each rule's key, so a sidecar of many notes
    costs a few dictionary look-ups a note."""
    taken: set[int] = set()
    result: list[int | None] = [None] * len(after)
    for number, key in enumerate(_RULES):
        with_id = number == 0
        if all(result[n] is not None or bool(new[0]) != with_id for n, new in enumerate(after)):
            continue  # every note this rule is for is followed already (mostly: none changed)
        waiting: dict[object, deque[int]] = {}
        for i, old in enumerate(before):
            if bool(old[0]) == with_id:
                waiting.setdefault(key(old), deque()).append(i)
        for n, new in enumerate(after):
            if bool(new[0]) != with_id or result[n] is not None:
                continue
            queue = waiting.get(key(new), deque())
            while queue and queue[0] in taken:
                queue.popleft()
            if queue:
                taken.add(queue[0])
                result[n] = queue.popleft()
    return result


def _note_changes(versions: Versions) -> dict[str, tuple[NoteChange, ...]]:
    """Walk each sidecar's versions in order, following each note from one to the next; each
    note's events end up under the key of its latest version."""
    # slug -> the notes of its latest version: (note, its item, its events so far)
    known: dict[str, list[tuple[_Note, dict, tuple[NoteChange, ...]]]] = {}
    for commit, sidecars in versions:
        for slug, data in sidecars:
            previous = known.get(slug, [])
            current = _notes_in(data)
            followed = _follow([note for note, _, _ in previous], [note for note, _ in current])
            lineages = []
            for (note, item), old in zip(current, followed, strict=True):
                events: tuple[NoteChange, ...] = (NoteChange(commit, "published"),)
                if old is not None:
                    was, _, events = previous[old]
                    events += tuple(
                        NoteChange(commit, field, was[i], note[i])
                        for i, field in ((2, "text"), (1, "quote"))
                        if was[i] != note[i]
                    )
                lineages.append((note, item, events))
            known[slug] = lineages
    return {
        note_key(slug, item): events
        for slug, lineages in known.items()
        for _, item, events in lineages
    }
