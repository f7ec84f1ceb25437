"""What linking an article gave, kept in the build cache: used while the article, its sidecar,
the configuration and the entity names are what they were, and never believed blindly."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import scholion.link
import scholion.link.stored
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


FORGERIES = [
    lambda parts: parts[0].__setitem__(11, parts[0][11] + "<script>alert(1)</script>"),
    lambda parts: parts[1].append(["x", "y", "z"]),
    lambda parts: parts.__setitem__(3, "not mentions"),
    lambda parts: parts.pop(),
]
FORGED = ["a script in the article", "an annotation of another shape", "a part", "one less"]


def _forge(root: Path, forge, secret: bytes | None = None) -> None:
    """Change every linked article's entry with ``forge`` and give it the checksum a cache
    sealed with ``secret`` expects (by default this user's; ``b""``: an unsealed cache's)."""
    with sqlite3.connect(root / ".cache" / FILE) as connection:
        for key, value in linked_entries(root):
            parts = json.loads(value)
            forge(parts)
            forged = json.dumps(parts)
            connection.execute(
                "UPDATE entries SET value = ?, checksum = ? WHERE key = ?",
                (forged, cache_checksum(key, forged, secret), key),
            )


def _built_after_forging(corpus: Path, tmp_path: Path, linked: list[str], forge, secret=None):
    """Build ``corpus`` with and without the cache, forge every cached article (as
    :func:`_forge`), and build again: (the uncached site, the forged one's output folder)."""
    uncached = cached_build(corpus, tmp_path / "none" / "_site", cache=False)
    cached_build(corpus, tmp_path / "first" / "_site")
    _forge(corpus, forge, secret)
    linked.clear()
    output = tmp_path / "forged" / "_site"
    assert cached_build(corpus, output) == uncached
    return output


def _unseal(tmp_path: Path, monkeypatch) -> None:
    """No secret can be made: its folder's place is taken by a file."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))


@pytest.mark.parametrize("forge", FORGERIES, ids=FORGED)
def test_a_forged_entry_is_linked_again_not_believed(corpus, tmp_path, linked, forge):
    """Without this user's secret (:mod:`scholion.incremental.sealing`) nobody can write an
    entry a sealed cache takes: every forgery is a miss, and the article is linked again."""
    output = _built_after_forging(corpus, tmp_path, linked, forge, secret=b"")
    assert sorted(linked) == ["alpha", "beta", "gamma"]
    assert not any("alert(1)" in page.read_text() for page in output.rglob("*.html"))


@pytest.mark.parametrize("forge", FORGERIES, ids=FORGED)
def test_without_a_secret_a_forged_entry_must_still_pass_the_sanitizer(
    corpus, tmp_path, linked, forge, monkeypatch
):
    """Where no secret can be made, the cache is unsealed: even with the right key and
    checksum, an entry is used only if it has the shape of a linked article and its HTML is
    what the sanitizer makes of it."""
    _unseal(tmp_path, monkeypatch)
    output = _built_after_forging(corpus, tmp_path, linked, forge)
    assert sorted(linked) == ["alpha", "beta", "gamma"]
    assert not any("alert(1)" in page.read_text() for page in output.rglob("*.html"))


@pytest.mark.parametrize("forge", FORGERIES[1:], ids=FORGED[1:])
def test_an_entry_sealed_with_the_secret_is_still_checked_for_its_shape(
    corpus, tmp_path, linked, forge
):
    _built_after_forging(corpus, tmp_path, linked, forge)
    assert sorted(linked) == ["alpha", "beta", "gamma"]


@pytest.mark.parametrize("sealed", [True, False], ids=["sealed", "unsealed"])
def test_a_sealed_cache_gives_its_html_without_sanitizing_it_again(
    corpus, tmp_path, linked, monkeypatch, sealed
):
    """The point of the seal: HTML a build of this user kept is not sanitized again (at 10,000
    articles a fifth of a warm check), while an unsealed cache's is, and both build the same."""
    if not sealed:
        _unseal(tmp_path, monkeypatch)
    uncached = cached_build(corpus, tmp_path / "none" / "_site", cache=False)
    cached_build(corpus, tmp_path / "first" / "_site")
    checked: list[str] = []
    sanitize = scholion.link.stored.sanitize
    monkeypatch.setattr(
        scholion.link.stored, "sanitize", lambda html: checked.append(html) or sanitize(html)
    )
    linked.clear()
    assert cached_build(corpus, tmp_path / "warm" / "_site") == uncached
    assert linked == []
    assert (checked == []) is sealed


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
