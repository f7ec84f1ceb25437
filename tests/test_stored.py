"""What linking an article gave, kept in the build cache: used while the article, its sidecar,
the configuration and the entity names are what they were, and never believed blindly."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import scholion.link
from scholion.incremental.file_cache import FILE, FileCache, engine_versions
from scholion.link.stored import LinkedArticle
from tests.helpers import cache_checksum, cache_entries, cached_build, copied_site


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return copied_site(tmp_path)


@pytest.fixture
def linked(monkeypatch) -> list[str]:
    """The articles linked (not read back from the cache), in order."""
    slugs: list[str] = []
    anchor = scholion.link.anchor_quotes
    monkeypatch.setattr(
        scholion.link,
        "anchor_quotes",
        lambda article, sidecar: slugs.append(article.slug) or anchor(article, sidecar),
    )
    return slugs


def linked_entries(root: Path) -> list[tuple[str, str]]:
    """(key, value) of each linked article the cache holds."""
    found = []
    for key, value in cache_entries(root):
        data = json.loads(value)
        if isinstance(data, list) and LinkedArticle.from_json(data) is not None:
            found.append((key, value))
    return found


def test_a_warm_cache_links_no_article_again_and_builds_the_same_site(corpus, tmp_path, linked):
    uncached = cached_build(corpus, tmp_path / "none" / "_site", cache=False)
    assert sorted(linked) == ["alpha", "beta", "gamma"]
    linked.clear()
    assert cached_build(corpus, tmp_path / "cold" / "_site") == uncached
    assert len(linked_entries(corpus)) == 3
    linked.clear()
    assert cached_build(corpus, tmp_path / "warm" / "_site") == uncached
    assert linked == []


def test_an_edited_sidecar_links_its_article_again_and_no_other(corpus, tmp_path, linked):
    cached_build(corpus, tmp_path / "first" / "_site")
    sidecar = corpus / "content/articles/beta.yaml"
    sidecar.write_text(sidecar.read_text().replace("Only the embassy says so.", "Reworded."))
    linked.clear()
    edited = cached_build(corpus, tmp_path / "edited" / "_site")
    assert linked == ["beta"]
    assert edited == cached_build(corpus, tmp_path / "clean" / "_site", cache=False)
    assert len(linked_entries(corpus)) == 3  # beta's old entry is gone


def _alias(root: Path) -> None:
    entity = root / "content/entities/caracas.yaml"
    entity.write_text(entity.read_text() + "aliases: [Russian aircraft]\n")


def _mention_policy(root: Path) -> None:
    config = root / "site_config.yaml"
    config.write_text(config.read_text().replace("first-per-section", "all"))


@pytest.mark.parametrize("edit", [_alias, _mention_policy], ids=["a name", "the mention policy"])
def test_what_every_article_is_linked_with_changed_links_every_article_again(
    corpus, tmp_path, linked, edit
):
    cached_build(corpus, tmp_path / "first" / "_site")
    edit(corpus)
    linked.clear()
    changed = cached_build(corpus, tmp_path / "changed" / "_site")
    assert sorted(linked) == ["alpha", "beta", "gamma"]
    assert changed == cached_build(corpus, tmp_path / "clean" / "_site", cache=False)


@pytest.mark.parametrize(
    "forge",
    [
        lambda parts: parts[0].__setitem__(11, parts[0][11] + "<script>alert(1)</script>"),
        lambda parts: parts[1].append(["x", "y", "z"]),
        lambda parts: parts.__setitem__(3, "not mentions"),
        lambda parts: parts.pop(),
    ],
    ids=["a script in the article", "an annotation of another shape", "a part", "one less"],
)
def test_a_forged_entry_is_linked_again_not_believed(corpus, tmp_path, linked, forge):
    """Even with the right key and checksum, an entry is used only if it has the shape of a
    linked article and its HTML is what the sanitizer makes of it."""
    uncached = cached_build(corpus, tmp_path / "none" / "_site", cache=False)
    cached_build(corpus, tmp_path / "first" / "_site")
    with sqlite3.connect(corpus / ".cache" / FILE) as connection:
        for key, value in linked_entries(corpus):
            parts = json.loads(value)
            forge(parts)
            forged = json.dumps(parts)
            connection.execute(
                "UPDATE entries SET value = ?, checksum = ? WHERE key = ?",
                (forged, cache_checksum(key, forged), key),
            )
    linked.clear()
    output = tmp_path / "forged" / "_site"
    assert cached_build(corpus, output) == uncached
    assert sorted(linked) == ["alpha", "beta", "gamma"]
    assert not any("alert(1)" in page.read_text() for page in output.rglob("*.html"))


def test_an_entry_sqlite_cannot_hold_is_not_kept(tmp_path):
    """JSON may carry a lone surrogate, which SQLite cannot store as UTF-8: such an entry is
    left out rather than failing the cache's write."""
    cache = FileCache(tmp_path / FILE, engine_versions())
    cache.use_linked(["bad", "good"])
    cache.keep_linked("bad", '["\ud800"]')
    cache.keep_linked("good", '["caf\u00e9"]')
    cache.save([])
    assert cache.linked("bad") is None
    assert cache.linked("good") == ["caf\u00e9"]
