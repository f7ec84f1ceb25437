"""``build.py import``: the seed documents come out as the demo corpus's cleaned texts."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
        "Title line\n\n# not a heading\n\n1. not a list\n\n*stars*\n\n"
        "<b>x</b> a < b & c &lt; [l](javascript:x)\n",
        ImportRules.with_extra(None),
    )
    assert visible_text(imported.markdown) == (
        "# not a heading 1. not a list *stars* x a < b & c &lt; [l](javascript:x)"
    )


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


FIXTURES = Path(__file__).parent / "fixtures" / "import"
DAILY = """\
type: media
name: The Daily Example
description: A newspaper.
"""


def test_a_saved_page_keeps_its_canonical_address_and_loses_its_share_and_follow_lines():
    page = (FIXTURES / "saved-page.html").read_text(encoding="utf-8")
    imported = import_html(page, ImportRules.with_extra(None))
    # <link rel=canonical> wins over og:url, resolved against <base href>
    assert imported.url == (
        "https://daily.example.com/world/2019/03/25/russian-planes-land-in-caracas/?utm_source=feed"
    )
    assert imported.paragraphs == [
        "Two Russian aircraft landed at Simón Bolívar airport on Saturday, a flight tracker "
        "showed.",
        "The [report](https://www.example.org/report) named about 100 personnel, and the "
        "ministry did not comment.",
        "A spokesman said the visit was part of a "
        "[cooperation agreement](https://daily.example.com/world/cooperation/).",
        "Many users share on Facebook what they read, and the story spread quickly.",
    ]
    assert imported.removed == [
        "4 page elements (footer, header, nav, script)",
        "'Follow us on Telegram'",
        "'Share this article on Facebook'",
        "'* [Share on Facebook](https://www.facebook.com/sharer/sharer.php?u=x)'",
        "'* [Share on Twitter](https://twitter.com/intent/tweet?url=x)'",
        "'* [Click to share on WhatsApp (Opens in new window)](https://wa.me/?t…'",
        "'Compartir en Twitter'",
        "'Поделиться ВКонтакте'",
        "'Подписывайтесь на наш Telegram-канал'",
        "'Síguenos en Facebook y Telegram'",
        "'**Subscribe to our newsletter**'",
    ]
    assert imported.notes == [
        "1 link to no http(s) address left out (the text kept)",
        "1 image left out (the article is text only)",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Share on Twitter",
        "SHARE THIS STORY VIA EMAIL",
        "Follow us on Twitter and Facebook",
        "Sign up for our weekly newsletter",
        "Haz clic para compartir en WhatsApp",
        "Suscríbete a nuestro boletín",
        "Поделитесь этой статьей в Telegram",
        "Подпишитесь на рассылку",
        "Читайте нас в Telegram",
    ],
)
def test_share_and_follow_lines_are_furniture_in_each_language(line):
    imported = import_text(f"A title\n\nFirst.\n\n{line}\n\nLast.\n", ImportRules.with_extra(None))
    assert imported.paragraphs == ["First.", "Last."]
    assert imported.removed[0] == repr(line)


@pytest.mark.parametrize(
    "line",
    [
        "Share prices fell on Twitter's news.",
        "We follow the money on Telegram.",
        "They share on Facebook what they read",
        "Поделиться новостью было некому.",
    ],
)
def test_sentences_that_mention_networks_are_kept(line):
    imported = import_text(f"A title\n\n{line}\n", ImportRules.with_extra(None))
    assert imported.paragraphs == [line]


def page_with(head: str) -> str:
    return f"<html><head>{head}</head><body><article><p>Text.</p></article></body></html>"


@pytest.mark.parametrize(
    ("head", "url", "notes"),
    [
        (
            '<meta property="og:url" content="https://example.org/a">',
            "https://example.org/a",
            [],
        ),
        (
            '<link rel="canonical" href="javascript:alert(1)">'
            '<meta property="og:url" content="HTTPS://example.org/b">',
            "https://example.org/b",
            [
                "ignored the address in <link rel=canonical>, 'javascript:alert(1)': "
                "not an absolute http(s) URL"
            ],
        ),
        (
            '<link rel="canonical" href="/story/1">'
            '<meta property="og:url" content="data:text/html,&lt;script&gt;x&lt;/script&gt;">',
            "",
            [
                "ignored the address in <link rel=canonical>, '/story/1': "
                "not an absolute http(s) URL",
                "ignored the address in og:url, 'data:text/html,<script>x</script>': "
                "not an absolute http(s) URL",
            ],
        ),
        (
            '<link rel="canonical" href="https://exa mple.org/">',
            "",
            [
                "ignored the address in <link rel=canonical>, 'https://exa mple.org/': "
                "not an absolute http(s) URL"
            ],
        ),
    ],
)
def test_only_an_http_address_is_kept_as_the_original(head, url, notes):
    imported = import_html(page_with(head), ImportRules.with_extra(None))
    assert (imported.url, imported.notes) == (url, notes)


def test_the_canonical_address_goes_into_the_article_and_passes_check(tmp_path):
    write_corpus(tmp_path, {"content/entities/daily-example.yaml": DAILY})
    page = str(FIXTURES / "saved-page.html")
    run = run_build_py("--root", str(tmp_path), "import", page, "--rights", "For research.")
    assert run.returncode == 0, run.stderr
    article = tmp_path / "content" / "articles" / "russian-planes-land-in-caracas.md"
    front = split_front_matter(article.read_text(encoding="utf-8"))
    assert front is not None
    assert (
        'url: "https://daily.example.com/world/2019/03/25/russian-planes-land-in-caracas/'
        '?utm_source=feed"' in front[0]
    )
    assert "removed: 'Share this article on Facebook'" in run.stderr
    assert "note: 1 image left out (the article is text only)" in run.stderr
    assert check(tmp_path) == []


def test_a_slug_that_is_not_an_id_is_refused_before_anything_is_written(tmp_path):
    write_corpus(tmp_path, {})
    raw = tmp_path / "raw.txt"
    raw.write_text("Title\n\nText.\n", encoding="utf-8")
    run = run_build_py("--root", str(tmp_path), "import", str(raw), "--slug", "../../escape")
    assert run.returncode != 0
    assert "'../../escape' is not a valid id" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "escape.md").exists()


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=60))
def test_any_text_on_a_page_stays_the_same_text_in_the_article(text):
    """Markup, link syntax, entities and Markdown characters in a page's text are its words."""
    page = f"<title>T</title><article><p>Body: {html.escape(text)}</p></article>"
    imported = import_html(page, ImportRules.with_extra(None))
    assert visible_text(imported.markdown) == visible_text_of_plain(f"Body: {text}")


def visible_text_of_plain(text: str) -> str:
    return normalize(" ".join(text.split()))[0].strip()
