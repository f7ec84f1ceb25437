"""A corpus written by an attacker, and the checks every page built from it must pass.

Every field that reaches a page holds an attack: plain-text fields a string that tries to break
out of an element, an attribute, ``<title>``, a ``<script>`` or a comment (and a Jinja
expression, which must stay text); Markdown fields every script, handler, dangerous element and
obfuscated ``javascript:``/``data:``/``vbscript:`` URL the sanitizer must stop; URL fields
values the schema accepts (``https://`` with no spaces) but that try to leave the attribute.
Files are written as JSON, which is YAML, so no payload needs YAML quoting.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

TEXT = (
    "Plain \"double\" 'single' </title></textarea></script>"
    "<script>alert('text')</script><img src=x onerror=alert('text')>"
    "<!-- ]]> {{ 7 * 7 }} {% if true %}jinja{% endif %} &amp; &lt;b&gt;"
)
"""For every plain-text field: a reader must see exactly this text, and nothing may run."""

URL = "https://example.org/\"onmouseover='alert(1)'></a><script>alert('url')</script>"
"""An absolute http(s) URL without spaces, so the schema accepts it; it must stay one href."""

MARKDOWN = """\
Styled paragraph follows.

<script>alert("script")</script>
<img src="x.png" onerror="alert('onerror')">
<svg onload="alert('svg')"><a href="javascript:alert('svg-a')">svg link</a></svg>
<math><a href="javascript:alert('math')">math link</a></math>
<iframe src="https://example.com/frame"></iframe>
<iframe srcdoc="<script>alert('srcdoc')</script>"></iframe>
<object data="javascript:alert('object')"></object>
<embed src="javascript:alert('embed')">
<form action="javascript:alert('form')">
<button formaction="javascript:alert('button')">b</button></form>
<meta http-equiv="refresh" content="0;url=javascript:alert('refresh')">
<base href="javascript:alert('base')//">
<link rel="stylesheet" href="javascript:alert('link')">
<style>body { display: none }</style>
<details open ontoggle="alert('toggle')">details</details>
<p onclick="alert('onclick')" style="color: red">Styled paragraph.</p>

[markdown link](javascript:alert('md'))
[angle link](<javascript:alert('angle')>)
[reference link][evil]
![markdown image](javascript:alert('img'))
<javascript:alert('autolink')>
<a href="javascript:alert('a')">html link</a>
<a href="JaVaScRiPt:alert('case')">mixed case</a>
<a href="&#106;avascript:alert('entity')">decimal entity</a>
<a href="&#x6A;avascript&#x3A;alert('hex')">hex entities</a>
<a href="javascript&colon;alert('colon')">named colon</a>
<a href=" javascript:alert('space')">leading space</a>
<a href="java&#x09;script:alert('tab')">tab inside</a>
<a href="java&#x0A;script:alert('newline')">newline inside</a>
<a href="&#x01;javascript:alert('control')">control character</a>
<a href="vbscript:msgbox('vb')">vbscript</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>
<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+" alt="data image">
[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
<a href="https://example.org/ok">safe link</a>, [relative](../x/), [mail](mailto:a@example.org)

[evil]: javascript:alert('ref')
"""
"""For every Markdown field: the text stays, every active part goes."""

BODY = "Two aircraft landed in Caracas on Saturday. Compare 1 < 2 > 0 & more.\n\n" + MARKDOWN


def _front_matter(fields: dict, body: str) -> str:
    return "---\n" + json.dumps(fields, indent=2) + "\n---\n" + body


def _config() -> dict:
    term = {"label": TEXT, "plural": TEXT, "description": TEXT}
    return {
        "title": TEXT,
        "description": TEXT,
        "base_url": "https://example.org/corpus/",
        "language": "en",
        "organization": TEXT,
        "license": TEXT,
        "repository": URL,
        "oai": {"admin_email": "data@example.org"},
        "ratings": {
            "accurate": {"label": TEXT, "description": TEXT},
            "unverified": {"label": "Unverified", "description": TEXT, "verdict": False},
        },
        "entity_types": {"media": term, "place": term, "person": term},
        "note_kinds": {"context": term},
        "source_kinds": {"wire": term},
    }


def hostile_corpus() -> dict[str, str]:
    """Every content file of the hostile corpus (path -> text), site_config.yaml included."""
    claim = {
        "id": "aircraft-landed",
        "quote": "Two aircraft landed",
        "statement": TEXT,
        "rating": "accurate",
        "explanation": MARKDOWN,
        "claimant": "caracas",
        "about": ["caracas"],
        "sources": [{"source": "reuters", "relation": "supports", "note": TEXT}],
    }
    sidecar = {
        "claims": [claim],
        "notes": [
            {"quote": "1 < 2 > 0 & more", "kind": "context", "text": MARKDOWN},
            {"kind": "context", "text": MARKDOWN},
        ],
        "citations": [{"source": "reuters", "quote": "in Caracas"}],
        "corrections": [{"date": "2019-03-25", "text": MARKDOWN}],
    }
    article = {
        "title": TEXT,
        "date": "2019-03-24",
        "publisher": "example-times",
        "authors": [{"name": TEXT}, "jane-doe"],
        "url": URL,
        "archive_url": URL,
        "language": "en",
        "rights": TEXT,
        "summary": TEXT,
    }
    entity = {"description": TEXT, "links": [{"title": TEXT, "url": URL}]}
    return {
        "site_config.yaml": json.dumps(_config(), indent=2),
        "content/articles/alpha.md": _front_matter(article, BODY),
        "content/articles/alpha.yaml": json.dumps(sidecar, indent=2),
        "content/entities/example-times.yaml": json.dumps(
            {"type": "media", "name": TEXT + " Times", **entity}
        ),
        "content/entities/jane-doe.yaml": json.dumps(
            {"type": "person", "name": TEXT + " Doe", **entity}
        ),
        "content/entities/caracas.yaml": json.dumps(
            {"type": "place", "name": "Caracas", "aliases": [TEXT + " alias"], **entity}
        ),
        "content/sources/reuters.yaml": json.dumps(
            {
                "title": TEXT,
                "kind": "wire",
                "publisher": "example-times",
                "author": TEXT,
                "date": "2019-03-24",
                "url": URL,
                "archive_url": URL,
                "description": MARKDOWN,
            }
        ),
        "content/pages/about.md": _front_matter(
            {"title": TEXT, "summary": TEXT, "nav_order": 1}, MARKDOWN
        ),
    }


# What a page may contain ------------------------------------------------------------------

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "action", "formaction", "poster", "data", "cite", "background"}
    | {"xlink:href", "longdesc", "manifest", "ping", "codebase", "icon", "lowsrc", "dynsrc"}
)
FORBIDDEN_TAGS = frozenset(
    {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "portal"}
)
DATA_SCRIPT_TYPES = frozenset({"application/ld+json", "application/json"})


def url_scheme(url: str) -> str:
    """The scheme a browser would see (WHATWG URL parsing: leading and trailing C0 controls and
    spaces are stripped, tabs and newlines removed anywhere), lower-cased; "" if relative."""
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return match.group(1).lower() if match else ""


class _Tags(HTMLParser):
    """Every start tag with its decoded attributes (as a browser decodes them), and the raw text
    inside each <script> element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str]]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._script: dict[str, str] | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pairs = [(name, value or "") for name, value in attrs]
        self.tags.append((tag, pairs))
        if tag == "script":
            self._script, self._script_text = dict(pairs), []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None


def problems(html: str, page: str = "") -> Iterator[str]:
    """Everything on a page that could run script or leave the site's control."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        if tag in FORBIDDEN_TAGS:
            yield f"{page}: <{tag}>"
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc"):
                yield f"{page}: <{tag} {name}={value!r}>"
            if name in URL_ATTRIBUTES and url_scheme(value) not in SAFE_SCHEMES | {""}:
                yield f"{page}: <{tag} {name}={value!r}>"
            if tag == "meta" and name == "http-equiv" and value.lower() == "refresh":
                yield f"{page}: <meta http-equiv=refresh>"
    for attrs, text in parser.scripts:
        yield from _script_problems(attrs, text, page)


def _script_problems(attrs: dict[str, str], text: str, page: str) -> Iterator[str]:
    """A script must be the site's own file, or inert JSON data that cannot end its element."""
    if "src" in attrs:
        src = attrs["src"]
        if url_scheme(src) or src.startswith("//") or "static/" not in src or text.strip():
            yield f"{page}: <script src={src!r}> is not one of the site's own scripts"
        return
    if attrs.get("type") not in DATA_SCRIPT_TYPES:
        yield f"{page}: inline script {text[:60]!r}"
        return
    if "<" in text:
        yield f"{page}: '<' in inline script data could end it: {text[:60]!r}"
    try:
        json.loads(text)
    except ValueError:
        yield f"{page}: inline script data is not JSON: {text[:60]!r}"


def site_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site (Pagefind's own files excluded)."""
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)
