"""Stage 1, load: read every content file into a :class:`Document` with positions.

Nothing is interpreted here beyond YAML and front matter: validation comes next and sees every
file, so a contributor gets all problems in one run. Reading is strict (UTF-8, no BOM, a size
limit) because a file that cannot be read exactly cannot be anchored into exactly.
"""

from __future__ import annotations

import functools
import hashlib
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scholion import parallel
from scholion.diagnostics import Diagnostic, Severity
from scholion.load.documents import Document, Records
from scholion.load.ids import ID_PATTERN, MAX_ID_LENGTH, is_reserved_name, suggest_id
from scholion.load.yamlsource import parse_yaml
from scholion.project import Project

MAX_FILE_BYTES = 2_000_000
"""Largest content file accepted: far above any article, small enough to stop accidents."""


KIND_DIRS = {
    "articles": ("article", "sidecar"),
    "entities": ("entity",),
    "sources": ("source",),
    "pages": ("page",),
}


def load(project: Project, previous: Records | None = None) -> Records:
    """Read ``site_config.yaml`` and ``content/``; never raises for a content mistake.

    With ``previous`` (what an earlier call returned: ``serve`` keeps it), a file whose identity
    on disk is unchanged is not read again: its document is reused, so later stages can tell an
    edited file from the others by identity."""
    diagnostics: list[Diagnostic] = []
    config = None
    known = {doc.path: doc for doc in previous.documents()} if previous else {}
    if project.config_file.exists():
        config = _reuse(
            project, project.config_file, "config", known, _on_disk(project.config_file)
        )
        if config is None:
            config = _load_file(project, project.config_file, "config", diagnostics)
        else:
            diagnostics += config.problems
    else:
        diagnostics.append(_no_config(project))
    groups: dict[str, list[Document]] = {
        k: [] for k in ("article", "sidecar", "entity", "source", "page")
    }
    unreadable: list[str] = []
    walk: list[Diagnostic] = []  # found while listing files: each goes before the next file's
    listed = [(file, len(walk)) for file in _content_files(project, walk)]
    reused = [_reuse(project, f.path, f.kind, known, f.on_disk) for f, _ in listed]
    parse = functools.partial(_load_one, project)
    fresh = [(f.path, f.kind) for (f, _), doc in zip(listed, reused, strict=True) if not doc]
    read = iter(parallel.ordered_map(parse, fresh, chunk=32))
    loaded = [(doc, list(doc.problems)) if doc else next(read) for doc in reused]
    shown = 0
    for (file, before), (doc, problems) in zip(listed, loaded, strict=True):
        diagnostics += walk[shown:before] + problems
        shown = before
        if doc is not None:
            groups[file.kind].append(doc)
        else:
            unreadable.append(project.relative(file.path))
    diagnostics += walk[shown:]
    return Records(
        config=config,
        articles=tuple(groups["article"]),
        sidecars=tuple(groups["sidecar"]),
        entities=tuple(groups["entity"]),
        sources=tuple(groups["source"]),
        pages=tuple(groups["page"]),
        diagnostics=tuple(diagnostics),
        unreadable=tuple(unreadable),
    )


@dataclass(frozen=True, slots=True)
class Listed:
    """A content file found by the listing: where, what kind, and its identity on disk."""

    path: Path
    kind: str
    on_disk: str


def _content_files(project: Project, diagnostics: list[Diagnostic]) -> Iterator[Listed]:
    """Content files in sorted order (builds must not depend on directory listing order), each
    looked at once (``os.scandir`` knows a link or a folder without a ``stat``, and one
    ``lstat`` gives a file's identity): listing 23,000 files took seconds through pathlib."""
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
        return
    for parts, entry in sorted(_entries(str(project.content)), key=lambda item: item[0]):
        if entry.name.startswith("."):
            continue
        path = project.content.joinpath(*parts)
        if entry.is_dir(follow_symlinks=False):
            continue
        if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
            diagnostics.append(_not_a_plain_file(project, path))
            continue
        kind = _kind_of(parts)
        if kind is None:
            diagnostics.append(
                Diagnostic(
                    project.relative(path),
                    0,
                    0,
                    Severity.WARNING,
                    "this file is not part of the corpus and is ignored",
                    "articles are content/articles/<slug>.md with <slug>.yaml beside them; "
                    "entities, sources and pages go in content/entities/, content/sources/ "
                    "and content/pages/",
                )
            )
            continue
        problem = _file_name_problem(project, path)
        if problem is not None:
            diagnostics.append(problem)
            continue
        yield Listed(path, kind, _identity(entry))


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


def _file_name_problem(project: Project, path: Path) -> Diagnostic | None:
    """The file name becomes the record's id, hence a URL and an output path."""
    if ID_PATTERN.match(path.stem) and len(path.stem) <= MAX_ID_LENGTH:
        if not is_reserved_name(path.stem):
            return None
        message = f"file name {path.name!r} is a device name reserved by Windows"
        hint = "the site could not be checked out or built on Windows: rename the file, e.g. "
    else:
        message = f"file name {path.name!r} is not a valid id"
        hint = "use lower-case letters a-z, digits and single hyphens, e.g. "
    hint += suggest_id(path.stem)
    return Diagnostic(project.relative(path), 0, 0, Severity.ERROR, message, hint + path.suffix)


def _not_a_plain_file(project: Project, path: Path) -> Diagnostic:
    """A symbolic link could make the site publish a file from outside the repository (a
    secret, a device that never ends), so content is read only from plain files."""
    shown = path.relative_to(project.root).as_posix()
    if path.is_symlink():
        message = "symbolic links are not allowed in content/"
        hint = "replace the link with a copy of the file it points to"
    else:
        message = "this is not a regular file"
        hint = "content/ holds only plain files and directories"
    return Diagnostic(shown, 0, 0, Severity.ERROR, message, hint)


def _kind_of(parts: tuple[str, ...]) -> str | None:
    """What a file is, by where it is under content/ and its extension."""
    if len(parts) != 2 or parts[0] not in KIND_DIRS:
        return None
    suffix = PurePosixPath(parts[1]).suffix
    if parts[0] == "articles":
        return {".md": "article", ".yaml": "sidecar"}.get(suffix)
    expected = ".md" if parts[0] == "pages" else ".yaml"
    return KIND_DIRS[parts[0]][0] if suffix == expected else None


def _reuse(
    project: Project, path: Path, kind: str, known: dict[str, Document], on_disk: str
) -> Document | None:
    """The document read earlier from ``path``, if the file is still the one it was read from
    (``on_disk``: its identity now)."""
    doc = known.get(path.relative_to(project.root).as_posix())  # listed inside it: no links
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


def _identity(status: os.stat_result | os.DirEntry[str]) -> str:
    if isinstance(status, os.DirEntry):
        try:
            status = status.stat(follow_symlinks=False)
        except OSError:
            return ""
    return f"{status.st_ino}\0{status.st_mtime_ns}\0{status.st_ctime_ns}\0{status.st_size}"


def _load_one(project: Project, item: tuple[Path, str]) -> tuple[Document | None, list[Diagnostic]]:
    """One content file and its problems: pure, so files are parsed on every core at once."""
    problems: list[Diagnostic] = []
    return _load_file(project, *item, problems), problems


def _load_file(
    project: Project, path: Path, kind: str, diagnostics: list[Diagnostic]
) -> Document | None:
    rel = project.relative(path)
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
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split ``---`` front matter from the body: (yaml, body, first body line), or None."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]) + "\n", "\n".join(lines[i + 1 :]), i + 2
    return None
