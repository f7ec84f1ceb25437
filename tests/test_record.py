"""The record of what each page and export read (``.cache/pages.sqlite3``): entries looked up
one at a time, given only while their files are as published, and a record that stays the
size of what the site reads however many builds write to it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scholion.incremental import record


def publish(site: Path, path: str, text: str) -> None:
    (site / path).parent.mkdir(parents=True, exist_ok=True)
    (site / path).write_text(text)


def entry(previous: record.Previous, target: str) -> tuple | None:
    """(interface, route, reads, files) of ``target`` as the record gives it back."""
    found = previous.get(target)
    if found is None:
        return None
    reads = tuple(previous.value(number) for number in found.numbers)
    return found.interface, found.route, reads, found.files


def test_an_entry_is_found_while_its_files_are_as_published(tmp_path):
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    publish(site, "claims/a/index.html", "<p>A</p>")
    publish(site, "claims/a/index.json", "{}")
    reads = (("claims", "a", "d1"), ("claims#length", None, "3"))
    made = {
        "claims/a/index.html": ("i", "r", reads, ("claims/a/index.html",)),
        "export:claim/a": ("e", "r2", reads[:1], ("claims/a/index.json",)),
    }
    record.save(cache, site, made, made)
    previous = record.Previous(cache, site, site)
    assert entry(previous, "claims/a/index.html") == ("i", "r", reads, ("claims/a/index.html",))
    assert entry(previous, "export:claim/a") == ("e", "r2", reads[:1], ("claims/a/index.json",))
    assert dict(previous.every()) == {"claims/a/index.html": reads, "export:claim/a": reads[:1]}
    publish(site, "claims/a/index.json", "[]")  # rewritten in the output since
    fresh = record.Previous(cache, site, site)
    assert fresh.get("export:claim/a") is None
    assert fresh.get("claims/a/index.html") is not None
    assert record.Previous(cache, tmp_path / "elsewhere", site).get("claims/a/index.html") is None


def test_targets_gone_are_forgotten_and_values_no_one_reads_are_dropped(tmp_path):
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    publish(site, "index.html", "home")
    publish(site, "old/index.html", "old")
    record.save(
        cache,
        site,
        {
            "index.html": ("i", "r", (("claims", None, "v0"),), ("index.html",)),
            "old/index.html": ("i", "r", (("notes", None, "n"),), ("old/index.html",)),
        },
        ["index.html", "old/index.html"],
    )
    for build in range(1, 40):  # each build, the home page read a new value of the claims
        reads = (("claims", None, f"v{build}"), ("claims#length", None, "3"))
        record.save(cache, site, {"index.html": ("i", "r", reads, ("index.html",))}, ["index.html"])
    previous = record.Previous(cache, site, site)
    assert previous.get("old/index.html") is None
    assert entry(previous, "index.html") == ("i", "r", reads, ("index.html",))
    connection = sqlite3.connect(cache / record.FILE)
    (count,) = connection.execute("SELECT count(*) FROM reads").fetchone()
    connection.close()
    assert count <= 8  # not the 80 values ever read


def test_a_record_that_cannot_be_written_is_no_error(tmp_path):
    """It is written after the site is published: a build does not fail for it, and the next
    one, finding none, makes everything."""
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    publish(site, "index.html", "home")
    cache.write_text("a file where the cache folder goes")
    made = {"index.html": ("i", "r", (), ("index.html",))}
    record.save(cache, site, made, made)
    assert record.Previous(cache, site, site).get("index.html") is None


def test_a_build_numbers_its_reads_by_the_record_it_read_unless_another_build_wrote_one_since(
    tmp_path,
):
    """The record takes the numbers of the values it holds from what the build read at its
    start rather than reading them again; if another build has written the record since, the
    numbers it read may name other values, and are not used."""
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    for page in ("a", "b"):
        publish(site, f"{page}/index.html", page)
    pages = ["a/index.html", "b/index.html"]
    first = (("claims", "a", "1"), ("claims", "b", "1"))
    record.save(cache, site, {"a/index.html": ("i", "r", first, ("a/index.html",))}, pages)
    numbering = record.Previous(cache, site, site).numbering()
    assert numbering is not None and set(numbering.numbers) == set(first)
    again = (("claims", "b", "1"), ("notes", "x", "9"))
    made = {"b/index.html": ("i", "r", again, ("b/index.html",))}
    record.save(cache, site, made, pages, None, numbering)  # the record as this build read it
    now = record.Previous(cache, site, site)
    assert entry(now, "a/index.html")[2] == first and entry(now, "b/index.html")[2] == again
    numbering = now.numbering()
    assert numbering is not None
    # Another build writes the record meanwhile: the number of a value read before now names
    # another value (its values dropped and numbered anew, as compacting can leave them).
    with sqlite3.connect(cache / record.FILE) as connection:
        connection.execute("UPDATE reads SET name = 'sources', key = 's' WHERE name = 'claims'")
        connection.execute("UPDATE meta SET value = 'another' WHERE name = 'generation'")
    made = {"b/index.html": ("i", "r2", (("claims", "b", "1"),), ("b/index.html",))}
    record.save(cache, site, made, pages, None, numbering)
    assert entry(record.Previous(cache, site, site), "b/index.html")[1:3] == (
        "r2",
        (("claims", "b", "1"),),
    )


def test_a_numbering_of_the_values_read_numbers_them_as_the_whole_one_does(tmp_path):
    """Numbered from the record's values of the mappings and keys read alone, a build's reads
    get the numbers the whole table gives them, and a value the record lacks a new one."""
    site, cache = tmp_path / "_site", tmp_path / ".cache"
    for page in ("a", "b", "c"):
        publish(site, f"{page}/index.html", page)
    pages = ["a/index.html", "b/index.html", "c/index.html"]
    first = (("claims", "a", "1"), ("claims", "b", "1"), ("notes", "a", "2"))
    record.save(cache, site, {"a/index.html": ("i", "r", first, ("a/index.html",))}, pages)
    reads = (("claims", "b", "1"), ("claims", "b", "2"), ("sources", "s", "3"))
    previous = record.Previous(cache, site, site)
    whole, some = previous.numbering(), previous.numbering(reads)
    assert whole is not None and some is not None and whole.generation == some.generation
    assert some.numbers == {("claims", "b", "1"): whole.numbers[("claims", "b", "1")]}
    made = {"b/index.html": ("i", "r", reads, ("b/index.html",))}
    record.save(cache, site, made, pages, None, some)
    now = record.Previous(cache, site, site)
    assert entry(now, "a/index.html")[2] == first and entry(now, "b/index.html")[2] == reads
    assert len(now.every_number()) == 5  # the two values new to it numbered anew, once each
