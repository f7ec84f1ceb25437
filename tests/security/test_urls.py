"""Only http, https, mailto and relative URLs reach an href or src.

Markdown and raw HTML go through the sanitizer, which must see through every obfuscation a
browser would undo (entities, whitespace, control characters, mixed case); URL fields in YAML
must be absolute http(s) URLs, and nothing after ``https://`` can leave the attribute (see
test_hostile_content.py).
"""

from __future__ import annotations

import json

import pytest

from scholion.text.markup import render_markdown
from tests.helpers import check
from tests.security.hostile import problems

DANGEROUS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java&#x09;script:alert(1)",
    "java&#10;script:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#0000106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "&#x01;javascript:alert(1)",
    "\x01javascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "livescript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+",
    "file:///etc/passwd",
    "blob:https://example.org/x",
]
"""URLs a browser would run or load from somewhere other than the web, in disguise."""

FORMS = {
    "markdown link": "[a]({url})",
    "markdown link in angle brackets": "[a](<{url}>)",
    "markdown image": "![a]({url})",
    "markdown reference": "[a][r]\n\n[r]: {url}",
    "autolink": "<{url}>",
    "html link": '<a href="{url}">a</a>',
    "html link unquoted": "<a href={url}>a</a>",
    "html image": '<img src="{url}" alt="a">',
    "image map": '<map><area href="{url}"></map>',
    "form": '<form action="{url}"><button formaction="{url}">b</button></form>',
    "svg link": '<svg><a xlink:href="{url}"><text>t</text></a></svg>',
    "iframe": '<iframe src="{url}"></iframe>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url={url}">',
    "base": '<base href="{url}">',
    "srcset": '<img srcset="{url} 1x" src="x.png">',
    "object": '<object data="{url}"></object>',
    "video poster": '<video poster="{url}"></video>',
}


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
@pytest.mark.parametrize("url", DANGEROUS)
def test_no_dangerous_url_survives_the_sanitizer(form, url):
    assert list(problems(render_markdown(form.format(url=url)))) == []


@pytest.mark.parametrize(
    ("markdown", "href"),
    [
        ("[a](https://example.org/x?y=1#z)", "https://example.org/x?y=1#z"),
        ("[a](http://example.org/)", "http://example.org/"),
        ("[a](mailto:desk@example.org)", "mailto:desk@example.org"),
        ("[a](../claims/x/)", "../claims/x/"),
        ("[a](#sec-1)", "#sec-1"),
        ("[a](%6Aavascript:alert(1))", "%6Aavascript:alert(1)"),  # a relative path to browsers
    ],
)
def test_safe_urls_are_kept(markdown, href):
    assert f'href="{href}"' in render_markdown(markdown)


URL_FIELDS = {
    "source url": ("content/sources/reuters.yaml", {"title": "T", "kind": "wire"}, "url"),
    "source archive_url": (
        "content/sources/reuters.yaml",
        {"title": "T", "kind": "wire"},
        "archive_url",
    ),
    "entity link": (
        "content/entities/caracas.yaml",
        {"type": "place", "name": "Caracas", "description": "A city."},
        "links",
    ),
}


@pytest.mark.parametrize("field", URL_FIELDS.values(), ids=URL_FIELDS.keys())
@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)//https://example.org/",
        "data:text/html,x",
        " https://example.org/",
        "https://example.org/\n",
        "https://example.org/\u0001",
        "https://example.org/ x",
        "//example.org/",
        "example.org",
    ],
)
def test_url_fields_accept_only_absolute_http_urls(corpus, field, url):
    path, data, key = field
    value = [{"title": "Link", "url": url}] if key == "links" else url
    root = corpus({path: json.dumps({**data, key: value}, indent=1)})
    [diagnostic] = check(root)
    if "\u0001" in url:  # refused as a character no page can carry, before its form is checked
        assert "the character U+0001 cannot appear on a page" in diagnostic
        return
    assert "'url' value" in diagnostic or f"'{key}' value" in diagnostic
    assert "is not in the expected form\n  hint: An absolute http(s) URL." in diagnostic


def test_a_javascript_url_is_refused_where_it_was_written(corpus):
    root = corpus(
        {
            "content/entities/caracas.yaml": """\
                type: place
                name: Caracas
                description: The capital of Venezuela.
                links:
                  - title: Click
                    url: javascript:alert(1)
                """
        }
    )
    assert check(root) == [
        "content/entities/caracas.yaml:6:10: error: 'url' value 'javascript:alert(1)' is not in "
        "the expected form\n"
        "  hint: An absolute http(s) URL."
    ]
