"""Search shards: which shard each page lands in, stable from build to build, and the manifest."""

from __future__ import annotations

from scholion.output.shards import Indexed, IndexedPage, kind_of, manifest, plan, read_manifest


def pages(kind: str, count: int) -> list[IndexedPage]:
    return [IndexedPage(f"{kind}/page-{n}/index.html", "", f"digest-{n}") for n in range(count)]


def shard_of(shards) -> dict[str, str]:
    return {page.path: shard.name for shard in shards for page in shard.pages}


def test_a_site_of_at_most_shard_pages_pages_has_a_single_index():
    (only,) = plan(pages("articles", 5) + pages("claims", 5), shard_pages=10)
    assert (only.name, only.path, len(only.pages)) == ("all", "", 10)


def test_a_larger_site_is_cut_by_kind_then_by_a_hash_of_the_path():
    shards = plan(pages("articles", 40) + pages("claims", 5) + pages("about", 1), shard_pages=10)
    names = [shard.name for shard in shards]
    assert names[-2:] == ["claims-0", "pages-0"]
    assert sorted({name.split("-")[0] for name in names}) == ["articles", "claims", "pages"]
    assert all(shard.path == shard.name + "/" for shard in shards)
    articles = [shard for shard in shards if shard.name.startswith("articles")]
    assert sum(len(shard.pages) for shard in articles) == 40
    assert 3 <= len(articles) <= 4 and max(len(shard.pages) for shard in articles) < 20


def test_a_new_page_moves_no_other_page():
    before = shard_of(plan(pages("articles", 100), shard_pages=10))
    after = shard_of(plan(pages("articles", 101), shard_pages=10))
    assert {path: after[path] for path in before} == before


def test_when_a_kind_outgrows_its_buckets_each_splits_in_two():
    before = shard_of(plan(pages("articles", 160), shard_pages=10))  # 16 buckets
    after = shard_of(plan(pages("articles", 161), shard_pages=10))  # 32 buckets
    for path, name in before.items():
        number = int(name.split("-")[1])
        assert after[path] in (f"articles-{number}", f"articles-{number + 16}")


def test_a_shards_digest_changes_with_any_byte_of_its_pages():
    (one,) = plan(pages("articles", 3), shard_pages=10)
    edited = [*pages("articles", 2), IndexedPage("articles/page-2/index.html", "", "other")]
    (two,) = plan(edited, shard_pages=10)
    assert one.digest != two.digest
    assert plan(pages("articles", 3), shard_pages=10)[0].digest == one.digest


def test_the_kind_is_read_from_the_path_also_under_a_language_prefix():
    assert kind_of("claims/x/index.html") == "claims"
    assert kind_of("es/entities/x/index.html") == "entities"
    assert kind_of("about/index.html") == "pages"
    assert kind_of("articles.html") == "pages"


def test_a_manifest_is_read_back_only_from_the_same_indexer():
    shards = [Indexed("articles-0", "articles-0/", "abc", {"ru": 2, "en": 5})]
    data = manifest("pagefind 1.5.2", shards)
    assert data == manifest("pagefind 1.5.2", shards)
    assert read_manifest(data, "pagefind 1.5.2") == {"articles-0": shards[0]}
    assert read_manifest(data, "pagefind 1.6.0") == {}
    assert read_manifest(b"{not json", "pagefind 1.5.2") == {}
