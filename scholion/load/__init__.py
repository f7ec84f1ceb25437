"""Stage 1, load: read every content file into a :class:`Document` with positions.

Nothing is interpreted here beyond YAML and front matter: validation comes next and sees every
file, so a contributor gets all problems in one run. Reading is strict (UTF-8, no BOM, a size
limit) because a file that cannot be read exactly cannot be anchored into exactly.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import hashlib
import operator
import os
import stat
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from scholion import parallel
from scholion.diagnostics import Diagnostic, Severity
from scholion.load.documents import Document, EvidenceFile, Listed, Records
from scholion.load.ids import ID_PATTERN, MAX_ID_LENGTH, is_reserved_name, suggest_id
from scholion.load.yamlsource import (
    UNCARRIED,
    Located,
    parse_yaml,
    position,
    uncarried_message,
)
from scholion.project import Project

EVIDENCE_DIR = "evidence"
EVIDENCE_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".html", ".htm"})
MAX_EVIDENCE_BYTES = 50_000_000
"""Largest evidence file (a PDF of a report): far above a saved page or a scan, small enough
that a repository does not become a file store by accident."""
MAX_FILE_BYTES = 2_000_000
"""Largest content file accepted: far above any article, small enough to stop accidents."""


KIND_DIRS = {
    "articles": ("article", "sidecar"),
    "entities": ("entity",),
    "sources": ("source",),
    "pages": ("page",),
    "narratives": ("narrative",),
}


class ParsedMemo(Protocol):
    """What an earlier run parsed, by :attr:`Document.digest` (the build cache,
    :class:`scholion.incremental.file_cache.FileCache`)."""

    def parsed(self, digest: str) -> tuple[Any] | None:
        """(the data parsed from this version of the file,), or None if not kept."""


def load(
    project: Project,
    previous: Records | None = None,
    changed: Collection[Path] | None = None,
    memo: ParsedMemo | None = None,
) -> Records:
    """Read ``site_config.yaml`` and ``content/``; never raises for a content mistake.

    With ``previous`` (what an earlier call returned: ``serve`` keeps it), a file whose identity
    on disk is unchanged is not read again: its document is reused, so later stages can tell an
    edited file from the others by identity. With ``changed`` too (the paths a file watcher
    reported since), only those are looked at again: the rest of ``content/`` is taken to be
    as ``previous`` listed it. With ``memo``, a file parsed before is not parsed again: its
    data is taken from the memo, and its positions found only if a diagnostic needs one
    (:meth:`Located.deferred`)."""
    relisted = None
    if previous is not None and changed is not None and previous.listing:
        relisted = _relisted(project, previous.listing, changed)
        patched = relisted and _patched(project, previous, relisted, changed)
        if patched:
            return patched
    diagnostics: list[Diagnostic] = []
    config = None
    known = {doc.path: doc for doc in previous.documents()} if previous else {}
    if project.config_file.exists():
        config = _reuse(
            project.relative(project.config_file),
            "config",
            known,
            _on_disk(project.config_file),
        )
        if config is None:
            config = _load_file(project, project.config_file, "config", diagnostics, memo=memo)
        else:
            diagnostics += config.problems
    else:
        diagnostics.append(_no_config(project))
    listing = relisted[0] if relisted else _listing(project, diagnostics)
    files = [
        found for _, found in listing if isinstance(found, Listed) and found.kind != "evidence"
    ]
    evidence = [
        found for _, found in listing if isinstance(found, Listed) and found.kind == "evidence"
    ]
    reused = [_reuse(f.rel, f.kind, known, f.on_disk) for f in files]
    parse = functools.partial(_load_one, project, memo)
    fresh = [(f.rel, f.kind) for f, doc in zip(files, reused, strict=True) if not doc]
    read = iter(parallel.ordered_map(parse, fresh, chunk=32))
    loaded = iter([(doc, doc.problems) if doc else next(read) for doc in reused])
    groups: dict[str, list[Document]] = {
        k: [] for k in ("article", "sidecar", "entity", "source", "page", "narrative")
    }
    unreadable: list[str] = []
    for _, found in listing:  # problems in the order of the files, as a clean listing gives
        if isinstance(found, Diagnostic):
            diagnostics.append(found)
            continue
        if found.kind == "evidence":
            continue
        doc, problems = next(loaded)
        diagnostics += problems
        if doc is not None:
            groups[found.kind].append(doc)
        else:
            unreadable.append(found.rel)
    return Records(
        config=config,
        articles=tuple(groups["article"]),
        sidecars=tuple(groups["sidecar"]),
        entities=tuple(groups["entity"]),
        sources=tuple(groups["source"]),
        pages=tuple(groups["page"]),
        narratives=tuple(groups["narrative"]),
        diagnostics=tuple(diagnostics),
        unreadable=tuple(unreadable),
        listing=tuple(listing),
        evidence=tuple(_evidence(project, evidence, previous, diagnostics)),
    )


Entry = tuple[tuple[str, ...], Listed | Diagnostic]
"""An entry of ``content/``: its path's parts below ``content/``, with the file or its problem."""


def _listing(project: Project, diagnostics: list[Diagnostic]) -> list[Entry]:
    """Content files in sorted order (builds must not depend on directory listing order), each
    looked at once (``os.scandir`` knows a folder without a ``stat``, and one ``lstat`` gives a
    file's kind and identity): listing 23,000 files took seconds through pathlib."""
    if not project.content.is_dir():
        diagnostics.append(
            Diagnostic(
                project.relative(project.content),
                0,
                0,
                Severity.ERROR,
                "the content directory is missing",
                "create content/articles/ and put articles there",
            )
        )
        return []
    found = []
    for parts, entry in sorted(_entries(str(project.content)), key=lambda item: item[0]):
        if entry.is_dir(follow_symlinks=False):
            continue
        try:
            status = entry.stat(follow_symlinks=False)
        except OSError:
            continue  # gone since it was listed
        item = _entry(parts, status)
        if item is not None:
            found.append((parts, item))
    return found


def _relisted(
    project: Project, listing: Sequence[Entry], changed: Collection[Path]
) -> tuple[list[Entry], bool] | None:
    """``listing`` with the ``changed`` paths looked at again, and whether it has the same
    entries (no file came or went); None when a folder came or went (or a path is not under
    ``content/``): then the whole of it is listed again. Entries are found by bisection in the
    sorted listing, and an entry that came is put in its place."""
    found = list(listing)
    same = True
    content = str(project.content) + os.sep
    for path in map(str, changed):
        if not path.startswith(content):
            return None
        parts = tuple(path[len(content) :].split(os.sep))
        at = bisect.bisect_left(found, parts, key=_PARTS_OF)
        present = at < len(found) and found[at][0] == parts
        try:
            status = os.lstat(path)
        except FileNotFoundError:
            if not present:
                return None  # perhaps a folder, with files in it
            del found[at]
            same = False
            continue
        except OSError:
            return None
        if stat.S_ISDIR(status.st_mode):
            return None
        item = _entry(parts, status)
        if item is None:
            if present:
                del found[at]
                same = False
        elif present:
            found[at] = (parts, item)
        else:
            found.insert(at, (parts, item))
            same = False
    return found, same


_PARTS_OF = operator.itemgetter(0)
"""An entry's path parts: what the listing is sorted by."""
_PATH_OF = operator.attrgetter("path")


GROUPS = {
    "article": "articles",
    "sidecar": "sidecars",
    "entity": "entities",
    "source": "sources",
    "page": "pages",
    "narrative": "narratives",
}
"""The field of :class:`Records` holding each kind of document."""


def _patched(
    project: Project,
    previous: Records,
    relisted: tuple[list[Entry], bool],
    changed: Collection[Path],
) -> Records | None:
    """``previous`` with the documents of the ``changed`` files read again, when that is all
    an edit did: no file came or went, the configuration and the evidence are as they were,
    and no file changed was or is unreadable or has problems of its own (their diagnostics
    would move). Else None: the documents are then gathered again from the whole listing.
    An edit of one file at 10,000 articles thus costs a few bisections, where gathering took
    a pass over 23,000 entries."""
    listing, same = relisted
    config = previous.config
    if not same or config is None or _on_disk(project.config_file) != config.on_disk:
        return None
    content = str(project.content) + os.sep
    groups: dict[str, list[Document]] = {}
    for path in set(map(str, changed)):
        parts = tuple(path[len(content) :].split(os.sep))
        at = bisect.bisect_left(listing, parts, key=_PARTS_OF)
        if at == len(listing) or listing[at][0] != parts:
            continue  # not listed before or now: a hidden file, say
        now, was = listing[at][1], previous.listing[at][1]
        if not isinstance(now, Listed) or not isinstance(was, Listed) or now.kind != was.kind:
            return None
        if now.kind not in GROUPS:
            return None  # evidence
        group = groups.get(now.kind)
        if group is None:
            group = groups[now.kind] = list(getattr(previous, GROUPS[now.kind]))
        place = bisect.bisect_left(group, now.rel, key=_PATH_OF)
        if place == len(group) or group[place].path != now.rel or group[place].problems:
            return None
        if group[place].on_disk == now.on_disk:
            continue
        doc, problems = _load_one(project, None, (now.rel, now.kind))
        if doc is None or problems:
            return None
        group[place] = doc

    def kind(name: str) -> tuple[Document, ...]:
        return tuple(groups[name]) if name in groups else getattr(previous, GROUPS[name])

    return dataclasses.replace(
        previous,
        articles=kind("article"),
        sidecars=kind("sidecar"),
        entities=kind("entity"),
        sources=kind("source"),
        pages=kind("page"),
        narratives=kind("narrative"),
        listing=tuple(listing),
    )


def _entry(parts: tuple[str, ...], status: os.stat_result) -> Listed | Diagnostic | None:
    """What a listed path is to the corpus: a content file, a problem, or nothing (hidden)."""
    if parts[-1].startswith("."):
        return None
    rel = "/".join(("content", *parts))  # strings: a Path per file took seconds at 23,000
    if not stat.S_ISREG(status.st_mode):
        return _not_a_plain_file(rel, status)
    kind = _kind_of(parts)
    if kind is None and parts[0] == EVIDENCE_DIR:
        return Diagnostic(
            rel,
            0,
            0,
            Severity.WARNING,
            "this file is not evidence a source can record, and is ignored",
            "evidence files are PDF (.pdf), PNG (.png), JPEG (.jpg, .jpeg) or saved HTML "
            "(.html, .htm), directly in content/evidence/",
        )
    if kind is None:
        return Diagnostic(
            rel,
            0,
            0,
            Severity.WARNING,
            "this file is not part of the corpus and is ignored",
            "articles are content/articles/<slug>.md with <slug>.yaml beside them; "
            "entities, sources, pages and narratives go in content/entities/, "
            "content/sources/, content/pages/ and content/narratives/",
        )
    problem = _file_name_problem(rel)
    return problem if problem is not None else Listed(rel, kind, _identity(status))


def _entries(
    folder: str, parts: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], os.DirEntry[str]]]:
    """Every entry under ``folder`` with its path's parts, as pathlib's ``rglob("*")`` lists
    them: a link to a folder is an entry, never followed; a folder that cannot be read is left
    out."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return
    for entry in entries:
        yield (*parts, entry.name), entry
        if entry.is_dir(follow_symlinks=False):
            yield from _entries(entry.path, (*parts, entry.name))


def _file_name_problem(rel: str) -> Diagnostic | None:
    """The file name becomes the record's id, hence a URL and an output path."""
    name = rel.rsplit("/", 1)[-1]
    stem, suffix = os.path.splitext(name)
    if ID_PATTERN.match(stem) and len(stem) <= MAX_ID_LENGTH:
        if not is_reserved_name(stem):
            return None
        message = f"file name {name!r} is a device name reserved by Windows"
        hint = "the site could not be checked out or built on Windows: rename the file, e.g. "
    else:
        message = f"file name {name!r} is not a valid id"
        hint = "use lower-case letters a-z, digits and single hyphens, e.g. "
    hint += suggest_id(stem)
    return Diagnostic(rel, 0, 0, Severity.ERROR, message, hint + suffix)


def _not_a_plain_file(rel: str, status: os.stat_result) -> Diagnostic:
    """A symbolic link could make the site publish a file from outside the repository (a
    secret, a device that never ends), so content is read only from plain files."""
    if stat.S_ISLNK(status.st_mode):
        message = "symbolic links are not allowed in content/"
        hint = "replace the link with a copy of the file it points to"
    else:
        message = "this is not a regular file"
        hint = "content/ holds only plain files and directories"
    return Diagnostic(rel, 0, 0, Severity.ERROR, message, hint)


def _kind_of(parts: tuple[str, ...]) -> str | None:
    """What a file is, by where it is under content/ and its extension."""
    if len(parts) == 2 and parts[0] == EVIDENCE_DIR:
        return "evidence" if os.path.splitext(parts[1])[1] in EVIDENCE_SUFFIXES else None
    if len(parts) != 2 or parts[0] not in KIND_DIRS:
        return None
    suffix = os.path.splitext(parts[1])[1]
    if parts[0] == "articles":
        return {".md": "article", ".yaml": "sidecar"}.get(suffix)
    expected = ".md" if parts[0] == "pages" else ".yaml"
    return KIND_DIRS[parts[0]][0] if suffix == expected else None


def _evidence(
    project: Project,
    listed: list[Listed],
    previous: Records | None,
    diagnostics: list[Diagnostic],
) -> Iterator[EvidenceFile]:
    """The SHA-256 of each evidence file (taken again only for a file whose identity on disk
    changed), for the check that each is the copy its source records."""
    known = {e.rel: e for e in previous.evidence} if previous else {}
    for found in listed:
        earlier = known.get(found.rel)
        if earlier is not None and earlier.on_disk == found.on_disk:
            yield earlier
            continue
        digest = hashlib.sha256()
        size = 0
        try:
            with open(project.root / found.rel, "rb") as handle:
                while size <= MAX_EVIDENCE_BYTES and (block := handle.read(1 << 20)):
                    digest.update(block)
                    size += len(block)
        except OSError as exc:
            message = f"cannot read the file: {exc.strerror or type(exc).__name__}"
            diagnostics.append(Diagnostic(found.rel, 0, 0, Severity.ERROR, message, ""))
            continue
        if size > MAX_EVIDENCE_BYTES:
            diagnostics.append(
                Diagnostic(
                    found.rel,
                    0,
                    0,
                    Severity.ERROR,
                    f"evidence file is too large (more than {MAX_EVIDENCE_BYTES:,} bytes)",
                    "keep a smaller copy (the pages that matter), or link to an archive instead",
                )
            )
            continue
        yield EvidenceFile(
            found.rel, found.rel.rsplit("/", 1)[-1], digest.hexdigest(), found.on_disk
        )


def _reuse(rel: str, kind: str, known: dict[str, Document], on_disk: str) -> Document | None:
    """The document read earlier from ``rel``, if the file is still the one it was read from
    (``on_disk``: its identity now)."""
    doc = known.get(rel)
    if doc is None or doc.kind != kind or not doc.on_disk:
        return None
    return doc if on_disk == doc.on_disk else None


def _on_disk(path: Path) -> str:
    """A file's identity on disk: another inode (a file replaced, as editors save), another
    modification or change time or size (a file written in place) is another version."""
    try:
        return _identity(path.stat())
    except OSError:
        return ""  # missing or unreadable: read_text reports it


def _identity(status: os.stat_result) -> str:
    return f"{status.st_ino}\0{status.st_mtime_ns}\0{status.st_ctime_ns}\0{status.st_size}"


def _load_one(
    project: Project, memo: ParsedMemo | None, item: tuple[str, str]
) -> tuple[Document | None, list[Diagnostic]]:
    """One content file (``rel``, ``kind``) and its problems: pure, so files are parsed on
    every core at once."""
    rel, kind = item
    problems: list[Diagnostic] = []
    return _load_file(project, project.root / rel, kind, problems, rel, memo), problems


def _load_file(
    project: Project,
    path: Path,
    kind: str,
    diagnostics: list[Diagnostic],
    rel: str = "",
    memo: ParsedMemo | None = None,
) -> Document | None:
    rel = rel or project.relative(path)
    on_disk = _on_disk(path)  # before reading: a file changed meanwhile is read again next time
    text = read_text(path, rel, diagnostics)
    if text is None:
        return None
    identity = f"{rel}\0{kind}\0{on_disk}\0"
    digest = hashlib.blake2b((identity + text).encode("utf-8", "surrogatepass"), digest_size=20)
    body, body_line, yaml_text, offset = "", 0, text, 0
    if kind in ("article", "page"):
        split = split_front_matter(text)
        if split is None:
            diagnostics.append(_front_matter_problem(rel, text))
            return None
        yaml_text, body, body_line = split
        offset = 1
    kept = memo.parsed(digest.hexdigest()) if memo is not None else None
    located: Located | None
    problems: list[Diagnostic] = []
    if kept is not None:  # parsed before without a problem (a file with one is not kept)
        located = Located.deferred(kept[0], yaml_text, offset)
    else:
        located, problems = parse_yaml(yaml_text, rel, offset)
    diagnostics.extend(problems)
    if located is None:
        return None
    # Article text in composed form (NFC), as YAML values are: a reader searching "misión"
    # finds it however the file spelled it. Quotes still match either form (anchor.normalize).
    body = unicodedata.normalize("NFC", body)
    return Document(
        rel, kind, path.stem, located, body, body_line, digest.hexdigest(), on_disk, tuple(problems)
    )


def _no_config(project: Project) -> Diagnostic:
    rel = project.relative(project.config_file)
    return Diagnostic(
        rel,
        0,
        0,
        Severity.ERROR,
        f"{rel} does not exist",
        "run build.py in the corpus's folder or pass --root PATH; a new corpus can start "
        "from a copy of the demo's site_config.yaml",
    )


def _front_matter_problem(rel: str, text: str) -> Diagnostic:
    """No front matter at all, or a '---' line that opens it and none that closes it."""
    if text.split("\n", 1)[0].rstrip() == "---":
        message = "front matter is not closed"
        hint = "end the YAML fields with a line '---' before the text"
    else:
        message = "missing front matter"
        hint = "start the file with a line '---', the YAML fields, and another line '---'"
    return Diagnostic(rel, 1, 1, Severity.ERROR, message, hint)


def read_text(path: Path, rel: str, diagnostics: list[Diagnostic]) -> str | None:
    """Strict UTF-8, no BOM, at most :data:`MAX_FILE_BYTES`; Windows line endings become \\n.

    Reads at most one byte past the limit, so memory stays bounded even for a file that grows
    while it is read or whose size the file system does not report."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:  # gone since it was listed, or unreadable
        message = exc.strerror or type(exc).__name__
        diagnostics.append(
            Diagnostic(rel, 0, 0, Severity.ERROR, f"cannot read the file: {message}", "")
        )
        return None
    if len(raw) > MAX_FILE_BYTES:
        size = max(path.stat().st_size, len(raw))
        diagnostics.append(
            Diagnostic(
                rel,
                0,
                0,
                Severity.ERROR,
                f"file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})",
                "split it into several files",
            )
        )
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        diagnostics.append(
            Diagnostic(
                rel,
                1,
                1,
                Severity.ERROR,
                "file starts with a byte-order mark (BOM)",
                "save the file as UTF-8 without BOM",
            )
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        diagnostics.append(
            Diagnostic(
                rel,
                line,
                col,
                Severity.ERROR,
                f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})",
                "save the file with UTF-8 encoding",
            )
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = UNCARRIED.search(text)
    if found:
        line, col = position(text, found.start())
        message = uncarried_message(found.group())
        hint = "delete it (most editors do not show it)"
        diagnostics.append(Diagnostic(rel, line, col, Severity.ERROR, message, hint))
        return None
    return text


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split ``---`` front matter from the body: (yaml, body, first body line), or None."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]) + "\n", "\n".join(lines[i + 1 :]), i + 2
    return None
