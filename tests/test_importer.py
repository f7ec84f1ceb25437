"""``build.py import``: the seed documents come out as the demo corpus's cleaned texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from scholion.commands.importer import ImportRules, import_html, import_text
from scholion.load import split_front_matter
from scholion.text.index import TextIndex
from scholion.text.markup import render_markdown
from scholion.text.normalize import normalize
from tests.helpers import check, run_build_py, write_corpus

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
DEMO_RULES = ImportRules.with_extra({"drop_lines": ["^and FSU$"]})


def visible_text(markdown: str) -> str:
    """What a reader sees of a Markdown text, whitespace and typography normalised."""
    return normalize(TextIndex.from_html(render_markdown(markdown)).text)[0].strip()


def demo_body(slug: str) -> str:
    text = (REPO / "content" / "articles" / f"{slug}.md").read_text(encoding="utf-8")
    split = split_front_matter(text)
    assert split is not None
    return split[1]


@pytest.mark.parametrize(
    ("seed", "slug"),
    [
        ("000_80c82ff9077e4a9c.txt", "kiafriqa-putin-sends-troops-venezuela"),
        ("002_8649d156db22d76a.txt", "lendman-russia-sends-peacekeeping-troops"),
    ],
)
def test_importing_a_seed_gives_the_demo_corpus_text(seed, slug):
    if not SEEDS.is_dir():
        pytest.fail(f"the seed documents are expected in {SEEDS} (shared/ beside the repository)")
    imported = import_text((SEEDS / seed).read_text(encoding="utf-8"), DEMO_RULES)
    assert visible_text(imported.markdown) == visible_text(demo_body(slug))


def test_text_import_reports_what_it_removed_and_takes_the_metadata():
    raw = (
        "top of page\n\nBy Jane Roe\n\nThe Daily Example, March 5, 2020\n\nA headline here\n\n"
        "First paragraph.\n\nA caption\nA caption\n\nSecond paragraph with <u>markup</u>.\n\n"
        "Note to readers: please share.\n\nAbout the author.\n"
    )
    imported = import_text(raw, ImportRules.with_extra(None))
    assert imported.title == "A headline here"
    assert imported.authors == ["Jane Roe"]
    assert imported.date == "2020-03-05"
    assert imported.publisher == "The Daily Example"
    assert imported.paragraphs == [
        "First paragraph.",
        "*A caption*",
        "Second paragraph with markup.",
    ]
    assert imported.removed == [
        "'top of page'",
        "'Note to readers: please share.' and the 1 lines after it",
        "inline HTML tags (their text kept)",
        "'By Jane Roe' (taken as the author)",
        "'The Daily Example, March 5, 2020' (taken as the dateline)",
        "'A headline here' (taken as the title)",
        "'A caption' (doubled caption, kept once)",
    ]


def test_text_import_escapes_what_markdown_would_read_as_syntax():
    imported = import_text(
        "Title line\n\n# not a heading\n\n1. not a list\n\n*stars*\n", ImportRules.with_extra(None)
    )
    assert visible_text(imported.markdown) == "# not a heading 1. not a list *stars*"


def test_html_import_drops_page_elements_and_keeps_the_article():
    page = """<html><head><title>Site | Story</title>
      <meta property="og:title" content="The story">
      <meta name="author" content="Ann Writer">
      <meta property="article:published_time" content="2021-06-01T10:00:00Z">
      <meta property="og:site_name" content="Example News"></head>
      <body><nav><a href="/">Home</a></nav><article><h1>The story</h1>
      <p>It <em>began</em> with a <a href="https://example.org">link</a>.</p>
      <div class="share-buttons">Share on X</div><p>It ended.</p></article>
      <footer>© Example</footer><script>track()</script></body></html>"""
    imported = import_html(page, ImportRules.with_extra(None))
    assert (imported.title, imported.authors, imported.date, imported.publisher) == (
        "The story",
        ["Ann Writer"],
        "2021-06-01",
        "Example News",
    )
    assert imported.paragraphs == ["It *began* with a [link](https://example.org).", "It ended."]
    assert imported.removed == ["4 page elements (div, footer, nav, script)"]


def test_import_command_writes_an_article_check_then_points_at_what_to_fill_in(tmp_path):
    write_corpus(
        tmp_path,
        {
            "content/entities/daily.yaml": """\
        type: media
        name: The Daily Example
        description: A newspaper.
        """
        },
    )
    raw = tmp_path / "raw.txt"
    raw.write_text(
        "Big news today\n\nBy Jane Roe\n\nThe Daily Example, March 5, 2020\n\n"
        "Something happened.\n",
        encoding="utf-8",
    )
    run = run_build_py("--root", str(tmp_path), "import", str(raw))
    assert run.returncode == 0, run.stderr
    assert "created content/articles/big-news-today.md" in run.stdout
    assert "fill in: rights (then run `python build.py check`)" in run.stderr
    assert check(tmp_path) == [
        "content/articles/big-news-today.md:9:9: error: 'rights' must not be empty\n"
        "  hint: write a value between the quotes, or remove the key if it is optional",
    ]
