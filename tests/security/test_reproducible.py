"""Two builds of the same commit give a byte-identical ``_site/``.

The two builds run as separate processes that differ in everything that must not matter:
Python's hash seed (set iteration order), time zone, locale, ``SOURCE_DATE_EPOCH``, output
path, and the clock itself (the second runs with its clock set to the year 2096). Every file is
identical except the few Pagefind writes from a hash map, which docs/security.md lists; for
those the test proves the content is the same and only its order differs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scholion.project import THEME
from tests.helpers import PAGEFIND_UNORDERED, REPO, pagefind_bytes, tree_hashes

CLOCK_IN_2096 = """\
import datetime, runpy, sys, time
shift = 4_000_000_000 - time.time()
real_time, real_ns = time.time, time.time_ns
time.time = lambda: real_time() + shift
time.time_ns = lambda: real_ns() + int(shift * 1e9)
time.localtime = lambda t=None: time.gmtime(time.time() if t is None else t)
real_strftime = time.strftime
time.strftime = lambda f, t=None: real_strftime(f, time.localtime() if t is None else t)
class FakeDatetime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime.datetime.fromtimestamp(time.time(), tz)
    @classmethod
    def utcnow(cls):
        return datetime.datetime.fromtimestamp(time.time(), datetime.UTC).replace(tzinfo=None)
    @classmethod
    def today(cls):
        return cls.now()
class FakeDate(datetime.date):
    @classmethod
    def today(cls):
        return datetime.date.fromtimestamp(time.time())
datetime.datetime, datetime.date = FakeDatetime, FakeDate
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""
"""Runs a script with every Python clock moved about 70 years ahead."""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshot of the demo corpus and theme: the same commit for both builds."""
    root = tmp_path_factory.mktemp("commit")
    shutil.copytree(REPO / "content", root / "content")
    for name in ("templates", "static"):  # the engine's theme, as the corpus's own
        shutil.copytree(THEME / name, root / name)
    shutil.copy(REPO / "site_config.yaml", root)
    return root


def _build(corpus: Path, output: Path, env: dict[str, str], clock: str = "") -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    script = ["-c", clock] if clock else []
    command = [sys.executable, *script, str(REPO / "build.py")]
    result = subprocess.run(
        [*command, "--root", str(corpus), "build", "--output", str(output), "-q"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**base, **env},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def two_builds(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first = tmp_path_factory.mktemp("first") / "_site"
    second = tmp_path_factory.mktemp("second") / "public" / "site"
    env = {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8", "SOURCE_DATE_EPOCH": "0"}
    _build(corpus, first, env)
    env = {
        "PYTHONHASHSEED": "4242",
        "TZ": "Pacific/Kiritimati",
        "LC_ALL": "C",
        "SOURCE_DATE_EPOCH": "1700000000",
    }
    _build(corpus, second, env, clock=CLOCK_IN_2096)
    return first, second


def _differences(first: dict[str, str], second: dict[str, str]) -> set[str]:
    return {k for k in first.keys() | second.keys() if first.get(k) != second.get(k)}


def test_every_page_and_asset_is_byte_identical(two_builds):
    first, second = (tree_hashes(site) for site in two_builds)
    assert len(first) > 100
    assert {k for k in _differences(first, second) if not PAGEFIND_UNORDERED.fullmatch(k)} == set()


def test_pagefind_differs_only_in_the_order_of_its_filter_values(two_builds):
    """Fragments, word indexes, WebAssembly and scripts are identical (checked above); the
    filter and metadata files hold the same bytes in another order."""
    contents = []
    for site in two_builds:
        unordered = sorted(
            p
            for p in site.rglob("*")
            if PAGEFIND_UNORDERED.fullmatch(p.relative_to(site).as_posix())
        )
        contents.append(sorted(pagefind_bytes(p) for p in unordered))
    assert contents[0] == contents[1]
