"""Markdown to safe HTML: Python-Markdown, then the nh3 sanitizer.

Contributors are untrusted, so every piece of Markdown (article bodies, explanations, notes,
descriptions) goes through the same allowlist: no scripts, no event handlers, no style, and
only http(s), mailto and relative URLs. The result is what the anchor stage indexes, so a quote
is matched against exactly the text a reader sees.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from dataclasses import dataclass, field

import markdown
import nh3

EXTENSIONS = ["tables", "sane_lists", "fenced_code", "def_list", "abbr", "toc"]

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "*": {"lang", "dir"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def slugify_heading(value: str, separator: str = "-") -> str:
    """Heading ids in any script, prefixed so they never collide with annotation ids."""
    text = unicodedata.normalize("NFKC", value).lower()
    words = re.findall(r"\w+", text)
    return "sec-" + (separator.join(words) or "section")


_local = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's converter, reset: building one costs more than converting most texts, and
    ``reset()`` clears all a conversion leaves behind (abbreviations, heading ids, stashed HTML)."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(
            extensions=EXTENSIONS,
            extension_configs={"toc": {"slugify": slugify_heading, "permalink": False}},
            output_format="html",
        )
    return converter.reset()


def sanitize(html: str) -> str:
    """Allowlist-clean HTML (removes script, style, handlers and dangerous URLs)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(text: str, *, demote_headings: bool = False) -> str:
    """Safe HTML for Markdown; ``demote_headings``: # becomes <h2> (the page has the h1)."""
    return sanitize(_convert(text, demote_headings))


_PLAIN = re.compile(r"[^`*_\[\]<>&#\\|:~!{}+=]+")
"""Text in which none of the characters that start Markdown syntax (of the extensions used
here too) or that HTML escapes appears."""


def plain_paragraph(text: str) -> bool:
    """Whether Python-Markdown makes ``text`` one paragraph of the text itself: a line that
    starts with a letter (no list, heading, quote, indented code), has no character that
    starts any other syntax (:data:`_PLAIN`) and no whitespace at either end or control
    character (a line break, a tab). Many claims' and notes' texts are such a sentence, for
    which Python-Markdown took about 0.2 ms each (at 1,000 articles, 3,500 of them: 0.7 s of
    a cold check in one process); ``tests/test_markup.py`` compares the two on generated
    texts."""
    return (
        text[:1].isalpha()
        and text.isprintable()
        and text == text.strip()
        and _PLAIN.fullmatch(text) is not None
    )


def _convert(text: str, demote_headings: bool) -> str:
    """Python-Markdown's HTML, not yet sanitized: the slow part, and what a memo keeps."""
    if plain_paragraph(text):
        return f"<p>{text}</p>"
    html = _converter().convert(text)
    if demote_headings:
        html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
    return html


@dataclass
class MarkdownMemo:
    """The Markdown texts of one file, each converted once: ``known`` maps a digest of a text
    (and of how it is converted) to Python-Markdown's HTML, as an earlier build kept it
    (:mod:`scholion.incremental.file_cache`) or as converted here. The HTML is sanitized on every
    use, never
    kept sanitized, so what a cache holds cannot reach a page without passing the sanitizer."""

    known: dict[str, str] = field(default_factory=dict)
    fresh: bool = False
    """Whether a text was converted here, so that ``known`` is worth keeping."""

    def render(self, text: str, *, demote_headings: bool = False) -> str:
        """:func:`render_markdown`, converting only texts not already known."""
        source = f"{demote_headings:d}{text}".encode("utf-8", "surrogatepass")
        key = hashlib.blake2b(source, digest_size=16).hexdigest()
        html = self.known.get(key)
        if html is None:
            html = self.known[key] = _convert(text, demote_headings)
            self.fresh = True
        return sanitize(html)


def render_inline(text: str) -> str:
    """Markdown for a short field, without the wrapping paragraph when there is only one."""
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
