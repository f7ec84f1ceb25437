"""The demo corpus builds exactly the site pinned under tests/golden/site/ (see tests/golden.py).

A failure here means some page changed. If the change is intended, run ``make golden`` and commit
tests/golden/ with it, so that review sees the change page by page.
"""

from __future__ import annotations

import difflib
import shutil

import pytest

from tests import golden

UPDATE = "If the change is intended, run `make golden` and commit tests/golden/ with it."
DIFF_LINES = 60
"""How many lines of each file's diff a failure shows."""
DIFF_FILES = 5
"""How many files' diffs a failure shows (it names them all)."""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, bytes]:
    if shutil.which("git") is None:
        pytest.fail("git is needed to build the golden site: install git")
    return golden.build_site(tmp_path_factory.mktemp("golden"))


@pytest.fixture(scope="module")
def expected() -> dict[str, bytes]:
    return golden.read_golden()


def test_every_golden_file_is_built(built, expected):
    missing = sorted(expected.keys() - built.keys())
    if missing:
        _fail(f"the build no longer writes {_listed(missing)}.")


def test_the_build_writes_no_file_beyond_the_golden_ones(built, expected):
    extra = sorted(built.keys() - expected.keys())
    if extra:
        _fail(f"the build writes files not in tests/golden/site/: {_listed(extra)}.")


def test_every_file_is_the_golden_one(built, expected):
    changed = sorted(p for p in built.keys() & expected.keys() if built[p] != expected[p])
    if changed:
        diffs = [_diff(path, expected[path], built[path]) for path in changed[:DIFF_FILES]]
        more = f"\n(and {len(changed) - DIFF_FILES} more)" if len(changed) > DIFF_FILES else ""
        _fail(
            f"{len(changed)} files differ from tests/golden/site/: {_listed(changed)}.",
            "\n".join(diffs) + more,
        )


def _fail(what: str, details: str = "") -> None:
    """Fail with the message alone (no traceback of the test, which holds the whole site)."""
    pytest.fail(f"{what}\n{UPDATE}" + (f"\n\n{details}" if details else ""), pytrace=False)


def _listed(paths: list[str]) -> str:
    return ", ".join(paths[:20]) + (f" and {len(paths) - 20} more" if len(paths) > 20 else "")


def _diff(path: str, before: bytes, after: bytes) -> str:
    lines = list(
        difflib.unified_diff(
            before.decode(errors="replace").splitlines(),
            after.decode(errors="replace").splitlines(),
            f"tests/golden/site/{path}",
            f"built/{path}",
            lineterm="",
        )
    )
    cut = f"\n… ({len(lines) - DIFF_LINES} more lines of diff)" if len(lines) > DIFF_LINES else ""
    if not lines:  # the same lines: the bytes differ in line endings or a final newline
        lines = [f"{path}: same lines, different bytes ({len(before)} → {len(after)})"]
    return "\n".join(lines[:DIFF_LINES]) + cut
