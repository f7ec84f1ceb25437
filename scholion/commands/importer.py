"""``build.py import FILE``: a raw article (plain text or a saved HTML page) to an article file.

Page furniture — "top of page", share prompts, comment boxes, disclaimers, author bios — is
removed by rules: regular expressions matched against whole lines, built in and extended by
``import:`` in ``site_config.yaml``. Everything removed is reported, so a contributor can check
that no part of the text went with it. What the rules cannot know (publisher, rights) is left
empty for ``check`` to point at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from markdownify import markdownify

from scholion.commands.new import NewFile, modeline, new_sidecar, yaml_text
from scholion.diagnostics import SiteError
from scholion.load import load, read_text
from scholion.load.ids import suggest_id

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_PATTERN = re.compile(rf"\b(?P<month>{MONTHS})\s+(?P<day>\d{{1,2}}),\s+(?P<year>\d{{4}})\b")

DEFAULT_RULES = {
    "drop_through": [r"^top of page$", r"^skip to (main )?content$"],
    "drop_from": [
        r"^Comments?$",
        r"^bottom of page$",
        r"^Note to readers:",
        r"^Share( this( article)?)?:?$",
        r"^Disclaimer:",
        r"^About the author:?$",
        r"^Related (posts|articles):?$",
    ],
    "drop_lines": [r"^Region:", r"^Theme:", r"^[*#~_=\-\s]+$", r"^(Print|Email|Tweet|Share)$"],
    "author_patterns": [r"^By (?P<author>[^,]{2,80})$", r"^Writer's picture(?P<author>.+)$"],
}
DROP_SELECTORS = (
    "script, style, noscript, nav, header, footer, aside, form, iframe, button, svg, "
    "[role=navigation], [class*=share], [class*=comment], [id*=comment]"
)
TERMINAL = tuple('.!?:,;"\u201d)\u2019')


@dataclass(frozen=True)
class ImportRules:
    """Line rules, each a list of regular expressions matched against a stripped line."""

    drop_through: tuple[re.Pattern, ...]
    drop_from: tuple[re.Pattern, ...]
    drop_lines: tuple[re.Pattern, ...]
    author_patterns: tuple[re.Pattern, ...]

    @classmethod
    def with_extra(cls, extra: dict[str, Sequence[str]] | None) -> ImportRules:
        """The built-in rules plus a corpus's own (``import:`` in site_config.yaml)."""
        extra = extra or {}
        return cls(
            **{
                key: tuple(re.compile(p) for p in (*values, *extra.get(key, ())))
                for key, values in DEFAULT_RULES.items()
            }
        )


@dataclass
class Imported:
    """What came out of a raw article, and what was removed from it."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""
    publisher: str = ""
    paragraphs: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def markdown(self) -> str:
        return "\n\n".join(self.paragraphs) + "\n"


def import_text(text: str, rules: ImportRules) -> Imported:
    """Plain text: blank lines separate paragraphs; inline HTML tags are dropped."""
    result = Imported()
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = _apply_line_rules(lines, rules, result)
    tags = re.compile(r"</?[a-zA-Z][^>]*>")
    if any(tags.search(line) for line in lines):
        result.removed.append("inline HTML tags (their text kept)")
        lines = [tags.sub("", line) for line in lines]
    blocks = _blocks(lines)
    _take_metadata(blocks, rules, result)
    result.paragraphs = _shape(blocks, result)
    return result


def import_html(page: str, rules: ImportRules) -> Imported:
    """A saved HTML page: furniture elements go, the main text becomes Markdown."""
    soup = BeautifulSoup(page, "html.parser")
    result = Imported()
    result.title = _meta(soup, "og:title") or _text_of(soup.find("h1")) or _text_of(soup.title)
    author = _meta(soup, "author") or _meta(soup, "article:author")
    if author:
        result.authors.append(author)
    published = _meta(soup, "article:published_time")
    time = soup.find("time", attrs={"datetime": True})
    stamp = time["datetime"] if time else ""
    assert isinstance(stamp, str)  # bs4 makes lists of multi-valued attributes only (class, rel…)
    result.date = (published or stamp)[:10]
    result.publisher = _meta(soup, "og:site_name")
    dropped = soup.select(DROP_SELECTORS)
    if dropped:
        names = sorted({element.name for element in dropped})
        result.removed.append(f"{len(dropped)} page elements ({', '.join(names)})")
    for element in dropped:
        element.decompose()
    main = soup.find("article") or soup.find("main") or soup.body or soup
    heading = main.find("h1")
    if heading and _text_of(heading) == result.title:
        heading.decompose()
    text = markdownify(str(main), heading_style="ATX", strip=["img"])
    lines = _apply_line_rules([line.strip() for line in text.split("\n")], rules, result)
    blocks = _blocks(lines)
    _take_metadata(blocks, rules, result)
    result.paragraphs = [_demote(b) for b in blocks]
    return result


def _apply_line_rules(lines: list[str], rules: ImportRules, result: Imported) -> list[str]:
    for i, line in enumerate(lines[:40]):
        if _matches(rules.drop_through, line):
            result.removed.extend(_quote(x) for x in lines[: i + 1] if x)
            lines = lines[i + 1 :]
            break
    for i, line in enumerate(lines):
        if line and _matches(rules.drop_from, line):
            tail = [x for x in lines[i:] if x]
            result.removed.append(f"{_quote(line)} and the {len(tail) - 1} lines after it")
            lines = lines[:i]
            break
    kept = []
    for line in lines:
        if line and _matches(rules.drop_lines, line) and not _matches(rules.author_patterns, line):
            result.removed.append(_quote(line))
        else:
            kept.append(line)
    return kept


def _blocks(lines: Iterable[str]) -> list[str]:
    """Paragraphs: runs of non-blank lines, joined with spaces. A line repeating the one before
    starts a paragraph of its own (a caption printed twice: image text and figure caption)."""
    blocks: list[str] = []
    current: list[str] = []
    for line in lines:
        if line and current and line == current[-1]:
            blocks.append(" ".join(current))
            current = [line]
        elif line:
            current.append(line)
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def _take_metadata(blocks: list[str], rules: ImportRules, result: Imported) -> None:
    """Title (the first paragraph, for text), byline and dateline near the top."""
    for block in list(blocks[:6]):
        author = next((m for p in rules.author_patterns if (m := p.match(block))), None)
        if author:
            result.authors.append(author.group("author").strip())
            result.removed.append(f"{_quote(block)} (taken as the author)")
            blocks.remove(block)
            continue
        date = DATE_PATTERN.search(block)
        if date and len(block) < 80 and not result.date:
            result.date = _iso(date)
            publisher = block[: date.start()].strip(" ,")
            result.publisher = result.publisher or publisher
            result.removed.append(f"{_quote(block)} (taken as the dateline)")
            blocks.remove(block)
    if not result.title and blocks:
        result.title = blocks.pop(0)
        result.removed.append(f"{_quote(result.title)} (taken as the title)")


def _shape(blocks: list[str], result: Imported) -> list[str]:
    """Markdown paragraphs: doubled captions kept once in italics, short lines as headings."""
    shaped: list[str] = []
    previous = None
    for i, block in enumerate(blocks):
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if block == previous:
            result.removed.append(f"{_quote(block)} (doubled caption, kept once)")
            shaped[-1] = f"*{_escape(block)}*"
        elif following != block and _looks_like_heading(block, following):
            shaped.append(f"## {_escape(block)}")
        else:
            shaped.append(_escape(block))
        previous = block
    return shaped


def _looks_like_heading(block: str, following: str | None) -> bool:
    return (
        following is not None
        and len(block) <= 80
        and len(block.split()) >= 3
        and not block.endswith(TERMINAL)
        and not block.startswith(('"', "\u201c"))
    )


def _escape(text: str) -> str:
    """Keep plain text plain: characters Markdown would read as syntax are escaped."""
    text = re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)
    text = re.sub(r"^(\d+)([.)]\s)", r"\1\\\2", text)
    return re.sub(r"^(#|>|[-+]\s)", r"\\\1", text)


def _demote(block: str) -> str:
    return "## " + block[2:] if block.startswith("# ") else block


def _matches(patterns: Iterable[re.Pattern], line: str) -> bool:
    return any(p.search(line) for p in patterns)


def _quote(line: str, limit: int = 70) -> str:
    return repr(line if len(line) <= limit else line[: limit - 1] + "…")


def _iso(match: re.Match) -> str:
    month = MONTHS.split("|").index(match.group("month")) + 1
    return f"{match.group('year')}-{month:02d}-{int(match.group('day')):02d}"


def _meta(soup: BeautifulSoup, name: str) -> str:
    tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
    return str(tag.get("content", "")).strip() if tag else ""


def _text_of(element) -> str:
    return " ".join(element.get_text(" ").split()) if element else ""


def article_file(
    imported: Imported,
    *,
    slug: str,
    entities: dict[str, str],
    language: str,
    publisher: str = "",
    rights: str = "",
) -> str:
    """The article file's text. ``entities`` maps names and aliases to entity ids, so a byline
    or publisher that names a known entity becomes a reference to it."""

    authors = [entities.get(name) or {"name": name} for name in imported.authors]
    lines = [
        "---",
        modeline("article.schema.json"),
        f"title: {yaml_text(imported.title)}",
        f"date: {yaml_text(imported.date)}",
    ]
    if authors:
        lines.append("authors:")
        lines += [
            f"  - {a}" if isinstance(a, str) else f"  - {{name: {yaml_text(a['name'])}}}"
            for a in authors
        ]
    lines += [
        f"publisher: {yaml_text(publisher or entities.get(imported.publisher, ''))}",
        f"language: {language}",
        f"rights: {yaml_text(rights)}",
        "---",
        "",
        imported.markdown,
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class ImportResult:
    """The files an import creates, what it removed, and which fields still need a value."""

    files: list
    removed: list[str]
    missing: list[str]

    @property
    def text(self) -> str:
        return self.files[0].text


def import_article(
    project,
    path,
    *,
    slug: str | None = None,
    publisher: str = "",
    rights: str = "",
    language: str | None = None,
) -> ImportResult:
    """Read ``path`` and plan the article file and an empty sidecar (nothing is written)."""

    problems: list = []
    raw = read_text(path, str(path), problems) if path.is_file() else None
    if raw is None:
        reason = problems[0].message if problems else "no such file"
        raise SiteError(f"cannot import {path}: {reason}")
    records = load(project)
    config = records.config.data if records.config else {}
    try:
        rules = ImportRules.with_extra(config.get("import"))
    except re.error as exc:
        raise SiteError(
            f"site_config.yaml import: a rule is not a valid regular expression: {exc}"
        ) from exc
    is_html = path.suffix.lower() in (".html", ".htm")
    imported = import_html(raw, rules) if is_html else import_text(raw, rules)
    names: dict[str, str] = {}
    for doc in records.entities:
        for name in (doc.data.get("name"), *doc.data.get("aliases", [])):
            if isinstance(name, str):
                names.setdefault(name, doc.stem)
    slug = slug or suggest_id(imported.title)[:60].rstrip("-")
    text = article_file(
        imported,
        slug=slug,
        entities=names,
        language=language or config.get("language", "en"),
        publisher=publisher,
        rights=rights,
    )
    articles = project.content / "articles"
    files = [NewFile(articles / f"{slug}.md", text), *new_sidecar(articles / f"{slug}.yaml")]
    missing = [
        name
        for name, value in (("title", imported.title), ("date", imported.date), ("rights", rights))
        if not value
    ]
    if not (publisher or names.get(imported.publisher)):
        missing.insert(0, "publisher")
    return ImportResult(files, imported.removed, missing)
