"""The corpus's history from git: when each record was first published and last changed, and
every change to a claim's statement, rating or explanation.

Read in two processes whatever the corpus size: one ``git log --raw`` over ``content/`` (which
commits touched which files, and the blob of each version) and one ``git cat-file --batch`` for
the sidecar versions. Dates are commit dates, so builds stay reproducible. Without git, or
outside a repository, the history is simply empty; in a shallow clone it starts at the first
commit available, and a warning says so.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

import yaml

from scholion.diagnostics import Diagnostic, Severity
from scholion.model import ClaimChange, Commit, Dates, History

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
    return History(files, _claim_changes(sidecars, blobs), tuple(new_articles), shallow)


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


def _claims_in(blob: bytes | None) -> dict[str, dict[str, str]]:
    """Claim definitions in one version of a sidecar; an unparsable version counts as none."""
    try:
        data = yaml.safe_load(blob or b"") or {}
    except yaml.YAMLError:
        return {}
    claims = data.get("claims") if isinstance(data, dict) else None
    found = {}
    for item in claims if isinstance(claims, list) else []:
        if isinstance(item, dict) and isinstance(item.get("id"), str) and "claim" not in item:
            found[item["id"]] = {k: str(item.get(k, "")) for k in TRACKED_FIELDS}
    return found


def _claim_changes(
    sidecars: list[tuple[Commit, list[FileChange]]], blobs: dict[str, bytes]
) -> dict[str, tuple[ClaimChange, ...]]:
    """Walk sidecar versions in order; compare each claim with its last known values."""
    known: dict[str, dict[str, str]] = {}
    events: dict[str, list[ClaimChange]] = {}
    for commit, changes in sidecars:
        for status, sha, _ in changes:
            if status == "D":
                continue
            for claim_id, values in _claims_in(blobs.get(sha)).items():
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
