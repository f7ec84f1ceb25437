"""``build.py import FILE``: a raw article (plain text, a saved HTML page or a DOCX file) to an
article file.

Page furniture — "top of page", share and follow prompts, comment boxes, disclaimers, author
bios — is removed by rules: regular expressions matched against whole lines, built in and
extended by ``import:`` in ``site_config.yaml``. Everything removed is reported, so a
contributor can check that no part of the text went with it; what was left out for another
reason (an address that is not http(s), an image) is reported as a note. What the rules cannot
know (publisher, rights) is left empty for ``check`` to point at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

from scholion.commands.docx_reader import read_docx
from scholion.commands.new import NewFile, check_id, modeline, new_sidecar, yaml_text
from scholion.diagnostics import SiteError
from scholion.load import load, read_text
from scholion.load.ids import suggest_id

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_PATTERN = re.compile(rf"\b(?P<month>{MONTHS})\s+(?P<day>\d{{1,2}}),\s+(?P<year>\d{{4}})\b")

# Share and follow prompts, one line each, wherever they stand: in English, Spanish and Russian
# (the interface's languages). Only whole lines naming a network or a newsletter, so a sentence
# of the article that mentions Facebook is never taken for one.
NETWORKS = (
    r"(Facebook|Twitter|X|Telegram|WhatsApp|Viber|Signal|LinkedIn|Reddit|Pinterest|Instagram"
    r"|YouTube|TikTok|Mastodon|Bluesky|Threads|Flipboard|Tumblr|VK|VKontakte|вконтакте|вк"
    r"|одноклассниках|OK|дзен|E-?mail|correo( electrónico)?|почте)"
)
NETWORK_LIST = rf"{NETWORKS}(\s*(,|and|or|y|o|и|или)\s*{NETWORKS})*"
SHARE_RULES = [
    rf"(?i)^(click to )?(share|tweet|post)( this( article| story| post| page)?)?"
    rf"( (on|via|to|with) {NETWORK_LIST})?( \(opens in new window\))?[.!:]?$",
    rf"(?i)^follow (us|me)( on {NETWORK_LIST})?[.!:]?$",
    r"(?i)^(subscribe|sign up)( to| for)( our| the)? (free )?(daily |weekly )?"
    r"(newsletter|mailing list|channel|telegram channel|updates)[.!:]?$",
    rf"(?i)^(haz clic para )?compart(ir|e|a)( este artículo| esta (nota|noticia))?"
    rf"( (en|por|vía) {NETWORK_LIST})?[.!:]?$",
    rf"(?i)^s[ií]gu?(enos|anos)( en {NETWORK_LIST})?[.!:]?$",
    r"(?i)^(suscr[ií]bete|suscr[ií]base)( a| al)( nuestro| nuestra)? "
    r"(boletín|newsletter|canal)( de noticias)?[.!:]?$",
    rf"(?i)^подел(иться|итесь)( этой| статьей| статьёй| новостью| ссылкой)*"
    rf"( (в|во|на|по) {NETWORK_LIST}| {NETWORK_LIST})?[.!:]?$",
    r"(?i)^(подписывайтесь|подпишитесь)( на)?( нас| наш| нашу| наши)?"
    r"( (telegram|телеграм)[- ]?канал| канал| рассылку| новости)?"
    rf"( (в|во|на) {NETWORK_LIST})?[.!:]?$",
    rf"(?i)^(мы|читайте нас) (в|во) {NETWORK_LIST}[.!:]?$",
]
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
    "drop_lines": [
        r"^Region:",
        r"^Theme:",
        r"^[*#~_=\-\s]+$",
        r"^(Print|Email|Tweet|Share)$",
        *SHARE_RULES,
    ],
    "author_patterns": [r"^By (?P<author>[^,]{2,80})$", r"^Writer's picture(?P<author>.+)$"],
}
DROP_SELECTORS = (
    "script, style, noscript, nav, header, footer, aside, form, iframe, button, svg, "
    "[role=navigation], [class*=share], [class*=comment], [id*=comment]"
)
TERMINAL = tuple('.!?:,;"\u201d)\u2019')
# The address of the original, as the article schema's `url` allows it: absolute http(s), no
# whitespace or control characters (common.schema.json#/$defs/url).
WEB_ADDRESS = re.compile(r"^https?://[^\s\x00-\x1f\x7f]+$")
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
LIST_ITEM = re.compile(r"^\s*([*+-]|\d+[.)])\s")


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
    url: str = ""
    paragraphs: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

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
    result.url = _canonical_url(soup, result)
    dropped = soup.select(DROP_SELECTORS)
    if dropped:
        names = sorted({element.name for element in dropped})
        result.removed.append(f"{len(dropped)} page elements ({', '.join(names)})")
    for element in dropped:
        element.decompose()
    _body_into(soup, rules, result, base=result.url)
    return result


def import_fragment(html: str, rules: ImportRules, notes: Sequence[str] = ()) -> Imported:
    """HTML made from a document (a DOCX file): no page around it, so no furniture elements and
    no metadata but what the text itself says (a first heading is taken as the title)."""
    soup = BeautifulSoup(html, "html.parser")
    result = Imported(notes=list(notes))
    result.title = _text_of(soup.find("h1"))
    _body_into(soup, rules, result, base="")
    return result


def _body_into(soup: BeautifulSoup, rules: ImportRules, result: Imported, *, base: str) -> None:
    """The main text as Markdown paragraphs, links kept only to http(s) addresses."""
    main = soup.find("article") or soup.find("main") or soup.body or soup
    heading = main.find("h1")
    if heading and _text_of(heading) == result.title:
        heading.decompose()
    _keep_web_links(main, base, result)
    images = main.find_all("img")
    if images:
        result.notes.append(f"{counted(len(images), 'image')} left out (the article is text only)")
    text = _TextKeepingConverter(heading_style="ATX", strip=["img"]).convert(str(main))
    lines = [_markdown_line(line) for line in text.split("\n")]
    blocks = _blocks(_apply_line_rules(lines, rules, result), list_items=True)
    _take_metadata(blocks, rules, result)
    result.paragraphs = [_demote(b) for b in blocks]


def _markdown_line(line: str) -> str:
    """A line of markdownify's output, stripped, but a list item keeps its indentation (how
    deep it is nested)."""
    return line.rstrip() if LIST_ITEM.match(line) else line.strip()


def _keep_web_links(main, base: str, result: Imported) -> None:
    """A link stays only when it leads to an http(s) address (a relative one is resolved against
    the page's own address when it has one); any other keeps its text and loses the link, so
    no `javascript:` or `data:` address reaches the article."""
    unwrapped = 0
    for link in main.find_all("a"):
        href = link.get("href")
        address = web_address(urljoin(base, href) if base and isinstance(href, str) else href)
        if address:
            link["href"] = address
        else:
            link.unwrap()
            unwrapped += href is not None  # an <a name> anchor was never a link
    if unwrapped:
        links = counted(unwrapped, "link")
        result.notes.append(f"{links} to no http(s) address left out (the text kept)")


def counted(number: int, noun: str) -> str:
    """ "1 image", "2 images": the report is in English, like every command's."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def web_address(value: object) -> str:
    """``value`` if it is an absolute http(s) URL the article schema accepts, else ``""``.
    The scheme is compared case-insensitively and written in lower case, as the schema wants."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    scheme = urlsplit(value).scheme if value.isprintable() else ""
    if scheme not in ("http", "https"):
        return ""
    address = scheme + value[len(scheme) :]
    return address if WEB_ADDRESS.match(address) and urlsplit(address).netloc else ""


def _canonical_url(soup: BeautifulSoup, result: Imported) -> str:
    """The original's address: ``<link rel=canonical>`` first, then ``og:url``. A relative one
    is resolved against ``<base href>`` when the page has one; whatever is not an http(s) address
    after that is ignored, with a note."""
    base_tag = soup.find("base", href=True)
    base = web_address(base_tag.get("href")) if base_tag else ""
    link = soup.find("link", rel="canonical", href=True)
    candidates = [
        ("<link rel=canonical>", str(link.get("href", "")) if link else ""),
        ("og:url", _meta(soup, "og:url")),
    ]
    for where, value in candidates:
        if not value.strip():
            continue
        address = web_address(urljoin(base, value.strip()) if base else value)
        if address:
            return address
        result.notes.append(
            f"ignored the address in {where}, {_quote(value)}: not an absolute http(s) URL"
        )
    return ""


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
        # "* [Share on X](…)" (a list of share links) and "**Share on X**" read as "Share on X"
        plain = MARKDOWN_LINK.sub(r"\1", LIST_ITEM.sub("", line)).strip(" *_")
        furniture = _matches(rules.drop_lines, line) or _matches(rules.drop_lines, plain)
        if line and furniture and not _matches(rules.author_patterns, line):
            result.removed.append(_quote(line))
        else:
            kept.append(line)
    return kept


def _blocks(lines: Iterable[str], *, list_items: bool = False) -> list[str]:
    """Paragraphs: runs of non-blank lines, joined with spaces. A line repeating the one before
    starts a paragraph of its own (a caption printed twice: image text and figure caption).
    With ``list_items`` (Markdown made from HTML), each list item keeps a line of its own."""
    blocks: list[str] = []
    current: list[str] = []

    def close() -> None:
        text = current[0]
        for line in current[1:]:
            text += ("\n" if list_items and LIST_ITEM.match(line) else " ") + line
        blocks.append(text)

    for line in lines:
        if line and current and line == current[-1]:
            close()
            current = [line]
        elif line:
            current.append(line)
        elif current:
            close()
            current = []
    if current:
        close()
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
    """Keep plain text plain: characters Markdown would read as syntax are escaped, and those
    it would read as HTML (``<``, ``&``) become entities, so "<script>" in the text stays text
    (Python-Markdown has no backslash escape for them)."""
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"^(\d+)([.)]\s)", r"\1\\\2", text)
    return re.sub(r"^(#|[-+]\s)", r"\\\1", text)


class _TextKeepingConverter(MarkdownConverter):
    """markdownify, with the text of the page escaped as plain text is (:func:`_escape`):
    its own escaping leaves ``<`` and ``[…](…)`` in the text to be read as HTML and links."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return _escape(text) if text else ""


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
        *([f"url: {yaml_text(imported.url)}"] if imported.url else []),
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
    notes: list[str] = field(default_factory=list)

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

    if slug is not None:
        check_id(slug)  # the file name: never a path that leads out of content/articles/
    records = load(project)
    config = records.config.data if records.config else {}
    try:
        rules = ImportRules.with_extra(config.get("import"))
    except re.error as exc:
        raise SiteError(
            f"site_config.yaml import: a rule is not a valid regular expression: {exc}"
        ) from exc
    imported = _read(path, rules)
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
    return ImportResult(files, imported.removed, missing, imported.notes)


def _read(path, rules: ImportRules) -> Imported:
    """The file by its kind: DOCX, saved HTML, or plain text."""
    if not path.is_file():
        raise SiteError(f"cannot import {path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        document = read_docx(path)
        notes = [f"DOCX: {message}" for message in document.messages]
        if document.images:
            notes.append(f"{counted(document.images, 'image')} left out (the article is text only)")
        if document.embedded:
            objects = counted(document.embedded, "embedded object")
            notes.append(f"{objects} left out (spreadsheets, charts, controls)")
        return import_fragment(document.html, rules, notes)
    problems: list = []
    raw = read_text(path, str(path), problems)
    if raw is None:
        raise SiteError(f"cannot import {path}: {problems[0].message}")
    return import_html(raw, rules) if suffix in (".html", ".htm") else import_text(raw, rules)
