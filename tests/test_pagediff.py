"""``scholion diff OLD NEW``: the pages a pull request adds, changes and removes, as reviewers
read them in the check workflow's job summary."""

from __future__ import annotations

from pathlib import Path

from scholion.commands.pagediff import compare, markdown
from tests.helpers import run_build_py


def page(title: str, body: str = "") -> str:
    return f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{body}</body></html>"


def site(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


BASE = {
    "index.html": page("Home · Corpus"),
    "articles/a/index.html": page("Article A · Corpus"),
    "articles/b/index.html": page("Article B · Corpus"),
    "claims/x/index.html": page("Claim X · Corpus", "rated accurate"),
    "404.html": page("Not found"),
    "data/corpus.json": "{}",
    "pagefind/pagefind.js": "one",
}


def test_each_page_added_changed_or_removed_is_listed_with_its_path_and_title(tmp_path):
    head = {
        **BASE,
        "claims/x/index.html": page("Claim X · Corpus", "rated inaccurate"),
        "articles/c/index.html": page("Article C &amp; | pipes · Corpus"),
        "data/corpus.json": '{"claims": 1}',
        "pagefind/pagefind.js": "two",  # the search index is not compared
    }
    del head["articles/b/index.html"]
    changes = compare(site(tmp_path / "base", BASE), site(tmp_path / "head", head))
    assert markdown(changes) == (
        "## Pages this pull request changes\n"
        "\n"
        "Compared with the base branch's build: 1 added, 1 changed, 1 removed (the site has 5 "
        "pages).\n"
        "Other files that differ (open data, feeds, assets): 1.\n"
        "\n"
        "### Added (1)\n"
        "\n"
        "| Page | Title |\n"
        "| --- | --- |\n"
        "| `articles/c/` | Article C &amp; \\| pipes · Corpus |\n"
        "\n"
        "### Changed (1)\n"
        "\n"
        "| Page | Title |\n"
        "| --- | --- |\n"
        "| `claims/x/` | Claim X · Corpus |\n"
        "\n"
        "### Removed (1)\n"
        "\n"
        "| Page | Title |\n"
        "| --- | --- |\n"
        "| `articles/b/` | Article B · Corpus |\n"
    )


def test_a_long_list_is_cut_and_says_how_many_more(tmp_path):
    head = {**BASE, **{f"entities/e{n}/index.html": page(f"E{n}") for n in range(5)}}
    changes = compare(site(tmp_path / "base", BASE), site(tmp_path / "head", head))
    text = markdown(changes, limit=2)
    assert "| `entities/e0/` | E0 |\n| `entities/e1/` | E1 |\n| … and 3 more | |\n" in text


def test_the_same_site_twice_differs_nowhere(tmp_path):
    same = compare(site(tmp_path / "base", BASE), site(tmp_path / "head", BASE))
    assert markdown(same) == (
        "## Pages this pull request changes\n\nNo page differs from the base branch's build.\n"
    )


def test_the_command_prints_the_summary_and_says_when_the_base_did_not_build(tmp_path):
    head = site(tmp_path / "head", BASE)
    result = run_build_py("diff", str(tmp_path / "base"), str(head))
    assert result.returncode == 0
    assert result.stdout == (
        "## Pages this pull request changes\n\n"
        "The base branch's site could not be built, so the 5 pages of this pull request's "
        "site are not compared with it.\n"
    )
    site(tmp_path / "base", BASE)
    result = run_build_py("diff", str(tmp_path / "base"), str(head))
    assert result.stdout.endswith("No page differs from the base branch's build.\n")
