"""The build cache's pending entries: held in memory up to a bound, beyond it in a temporary
file, and written to the cache the same either way."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholion.incremental import spill
from scholion.incremental.file_cache import FILE
from scholion.incremental.spill import Pending
from tests.helpers import cache_entries, cached_build, copied_site

KEYS = st.text("0123456789abcdef", min_size=1, max_size=4)
TEXTS = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@given(entries=st.lists(st.tuples(KEYS, TEXTS), max_size=40), bound=st.integers(0, 60))
def test_pending_entries_come_back_in_order_whatever_was_spilled(
    entries: list[tuple[str, str]], bound: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    pending = Pending(tmp_path_factory.mktemp("cache"), held_at_most=bound)
    for key, text in entries:
        pending[key] = text
    assert dict(pending.items()) == dict(entries)  # a later entry of a key wins
    pending.clear()
    assert list(pending.items()) == []


def test_entries_beyond_the_bound_leave_memory_for_a_file_without_a_name(tmp_path: Path) -> None:
    pending = Pending(tmp_path, held_at_most=10)
    pending["a"] = "x" * 8
    assert pending._held  # under the bound: held
    pending["b"] = "y" * 8
    assert not pending._held  # over it: written out
    assert list(tmp_path.iterdir()) == []  # the file has no name (deleted with the process)
    pending["c"] = "é"
    assert list(pending.items()) == [("a", "x" * 8), ("b", "y" * 8), ("c", "é")]


def test_a_folder_that_cannot_take_the_file_keeps_the_entries_held(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")  # a file where the folder should be: mkdir fails
    pending = Pending(blocked / "cache", held_at_most=1)
    pending["a"] = "one"
    pending["b"] = "two"
    assert list(pending.items()) == [("a", "one"), ("b", "two")]


def test_a_build_whose_entries_were_spilled_keeps_the_same_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copied_site(tmp_path)
    cached_build(root, tmp_path / "held")
    held = cache_entries(root)
    shutil.rmtree(root / ".cache")
    monkeypatch.setattr(spill, "HELD_AT_MOST", 1)
    cached_build(root, tmp_path / "spilled")
    assert cache_entries(root) == held
    assert len(held) > 20
    assert os.listdir(root / ".cache") == [FILE]  # the temporary file went with the build
