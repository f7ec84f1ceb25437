"""The rules that keep the theme safe whatever the content: autoescaping, ``trusted_html`` only
on sanitizer output, no inline script or handler, and a Content-Security-Policy on every page.

The theme is audited as source (so a new template or script is held to the rules before any
content exercises it) and as built pages.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scholion import pipeline
from scholion.project import THEME, Project
from scholion.render.environment import make_environment
from scholion.text.markup import sanitize
from tests.helpers import REPO, write_corpus
from tests.security.hostile import hostile_corpus, problems

THEME_TEMPLATES = sorted(
    p for p in (THEME / "templates").rglob("*") if p.is_file() and p.suffix in (".html", ".xml")
)
THEME_SCRIPTS = sorted((THEME / "static").rglob("*.js"))


def _template_id(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


@pytest.mark.parametrize("template", THEME_TEMPLATES, ids=_template_id)
def test_trusted_html_marks_only_html_fields(template: Path):
    """``trusted_html`` is for sanitizer output, which the model keeps in fields named ``html``
    or ``*_html`` (checked below), and for charts' ``svg``, which ElementTree serializes with
    every text and attribute escaped; anything else must be escaped by the template."""
    source = template.read_text(encoding="utf-8")
    for expression in re.findall(r"\{\{-?\s*([^{}|]+?)\s*\|\s*trusted_html", source):
        last = expression.split(".")[-1]
        assert last in ("html", "svg") or last.endswith(("_html", "_svg")), expression
    assert not re.search(r"\|\s*safe\b|\{%-?\s*autoescape", source)


@pytest.mark.parametrize("template", THEME_TEMPLATES, ids=_template_id)
def test_templates_have_no_inline_script_handler_or_style(template: Path):
    source = template.read_text(encoding="utf-8")
    for tag in re.findall(r"<script\b[^>]*>", source, flags=re.IGNORECASE):
        # A JSON-LD data block is never executed; its content comes only from the json_ld filter.
        data_block = tag == '<script type="application/ld+json">'
        assert "src=" in tag or data_block, f"inline script: {tag}"
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', source):
        assert re.fullmatch(r"\{\{ [\w.]+ \| json_ld \}\}", block), block
    assert re.findall(r"<[a-z][^>]*\son[a-z]+\s*=", source, flags=re.IGNORECASE) == []
    assert re.findall(r"<[a-z][^>]*\sstyle\s*=", source, flags=re.IGNORECASE) == []
    assert "javascript:" not in source.lower()


@pytest.mark.parametrize("script", THEME_SCRIPTS, ids=_template_id)
def test_scripts_never_turn_strings_into_code_or_markup(script: Path):
    source = script.read_text(encoding="utf-8")
    for construct in ("eval(", "new Function", "document.write", "insertAdjacentHTML", "outerHTML"):
        assert construct not in source, construct
    assert re.findall(r"setTimeout\(\s*[\"'`]", source) == []
    # Pagefind escapes the page text in its excerpts and adds only <mark>: the one exception.
    assert set(re.findall(r"\.innerHTML\s*=\s*([^;]+);", source)) <= {"data.excerpt"}


def test_only_the_environment_marks_strings_safe():
    users = [
        path.relative_to(REPO).as_posix()
        for path in (REPO / "scholion").rglob("*.py")
        if re.search(r"\bMarkup\(|jinja2\.Environment\(", path.read_text(encoding="utf-8"))
    ]
    assert users == ["scholion/render/environment.py"]


@pytest.mark.parametrize("name", ["page.html", "feed.xml", "anything.txt"])
def test_every_template_autoescapes(name):
    env = make_environment([])
    assert env.autoescape is True or env.autoescape(name)
    assert env.from_string("{{ x }}").render(x="<a href='x'>") == "&lt;a href=&#39;x&#39;&gt;"


def _html_fields(value: Any, depth: int = 0) -> Iterator[tuple[str, str]]:
    """(name, value) of every field named ``html`` or ``*_html`` in the linked corpus."""
    if depth > 4:
        return
    if isinstance(value, dict):
        for item in value.values():
            yield from _html_fields(item, depth + 1)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _html_fields(item, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            inner = getattr(value, field.name)
            if (field.name == "html" or field.name.endswith("_html")) and isinstance(inner, str):
                yield f"{type(value).__name__}.{field.name}", inner
            else:
                yield from _html_fields(inner, depth + 1)


def test_every_html_field_of_the_model_is_sanitizer_output(tmp_path):
    root = write_corpus(tmp_path, hostile_corpus())
    corpus, _ = pipeline.check(Project.at(root))
    fields = list(_html_fields(corpus))
    assert {name for name, _ in fields} >= {
        "Article.html",
        "Claim.explanation_html",
        "Note.html",
        "Source.description_html",
        "Page.html",
    }
    assert [name for name, html in fields if sanitize(html) != html] == []


CSP_HEADER = "Content-Security-Policy"
CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'", "'wasm-unsafe-eval'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
}
"""Directives every page's policy must have exactly (others may be added)."""


def _policy(content: str) -> dict[str, set[str]]:
    directives = (d.split() for d in content.split(";") if d.strip())
    return {name: set(values) for name, *values in directives}


def test_every_page_carries_the_policy_before_anything_it_governs(site):
    for page in site.html_files():
        head = site.page(page).one("head")
        elements = list(head.iter())
        metas = [e.attr("content") for e in elements if e.attr("http-equiv") == CSP_HEADER]
        assert len(metas) == 1, page
        policy = _policy(metas[0])
        assert {k: policy.get(k) for k in CSP} == CSP, page
        assert not any("unsafe-inline" in v or "'unsafe-eval'" in v for v in policy.values())
        first = next(i for i, e in enumerate(elements) if e.attr("http-equiv") == CSP_HEADER)
        loaded = [i for i, e in enumerate(elements) if e.tag in ("script", "link", "style")]
        assert all(first < i for i in loaded), f"{page}: something loads before the policy"
        referrer = [e.attr("content") for e in elements if e.attr("name") == "referrer"]
        assert referrer == ["strict-origin-when-cross-origin"], page


def test_the_fixture_site_passes_the_page_checks(site):
    """Scripts are the site's own files (or inert JSON data); see hostile.problems."""
    found = [
        p for page in site.html_files() for p in problems((site.output / page).read_text(), page)
    ]
    assert found == []
