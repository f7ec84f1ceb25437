"""Under a sub-path base_url (https://example.org/corpus/), every link in the built site works.

Each relative (or root-relative) ``href``, ``src`` and form ``action`` of every HTML page is
resolved against the page's own URL, as a browser would; it must name a file of the output
(a directory URL means its index.html), and a ``#fragment`` must be an id in the target page.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from tests.dom import parse_file

BASE = "https://example.org/corpus/"


def page_url(path: str) -> str:
    return BASE + path.removesuffix("index.html")


def local_urls(path: Path) -> list[tuple[str, str]]:
    """(attribute, value) of every URL in a page that points into the site."""
    doc = parse_file(path)
    found = []
    for element in doc.iter():
        for name in ("href", "src", "action"):
            value = element.attrs.get(name)
            if value is None or urlsplit(value).scheme or value.startswith("//"):
                continue  # absolute URLs (other sites, canonical links) are not ours to check
            found.append((f"<{element.tag} {name}>", value))
    return found


def file_for(output: Path, url: str) -> Path | None:
    """The output file a site URL is served from, or None when it is outside the site."""
    if not url.startswith(BASE):
        return None
    path = urlsplit(url).path.removeprefix(urlsplit(BASE).path)
    return output / (path + "index.html" if path == "" or path.endswith("/") else path)


@cache
def ids_in(path: Path) -> frozenset[str]:
    return frozenset(parse_file(path).ids())


def broken_links(output: Path, pages: list[str]) -> list[str]:
    problems = []
    for page in pages:
        for attribute, value in local_urls(output / page):
            target_url = urljoin(page_url(page), value)
            target = file_for(output, target_url)
            fragment = urlsplit(target_url).fragment
            if target is None or not target.is_file():
                problems.append(f"{page}: {attribute}={value!r} -> {target_url} (no such file)")
            elif fragment and fragment not in ids_in(target):
                problems.append(f"{page}: {attribute}={value!r} -> no id {fragment!r} there")
    return problems


def test_the_fixture_site_uses_a_sub_path(site):
    assert "base_url: https://example.org/corpus/" in (site.root / "site_config.yaml").read_text()


def test_every_local_link_resolves_to_a_file_and_fragment(site):
    pages = site.html_files()
    assert len(pages) == 31  # the 30 pages of the sitemap, and 404.html
    assert broken_links(site.output, pages) == []


def test_the_link_check_sees_links_of_every_kind(site):
    """Guards the check above against passing because it found nothing to check."""
    seen = {
        attribute for page in site.html_files() for attribute, _ in local_urls(site.output / page)
    }
    assert seen == {"<a href>", "<link href>", "<script src>", "<form action>"}
    fragments = [v for p in site.html_files() for _, v in local_urls(site.output / p) if "#" in v]
    assert any(v.startswith("../../articles/alpha/#hl-") for v in fragments)
    assert any(v.startswith("../../articles/alpha/#m-caracas-") for v in fragments)


def test_a_broken_link_would_be_reported(site, tmp_path):
    page = tmp_path / "articles" / "x" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<a href="../../claims/missing/">x</a> <a href="../../articles/x/#nowhere">y</a>'
        ' <a href="#here" id="here">z</a>'
    )
    assert broken_links(tmp_path, ["articles/x/index.html"]) == [
        "articles/x/index.html: <a href>='../../claims/missing/' -> "
        "https://example.org/corpus/claims/missing/ (no such file)",
        "articles/x/index.html: <a href>='../../articles/x/#nowhere' -> no id 'nowhere' there",
    ]
