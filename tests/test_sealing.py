"""The secret that seals the build cache: made once, private, and refused when it is not."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from scholion.incremental import sealing


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "scholion" / "cache-key"


def test_a_secret_is_made_once_readable_by_its_owner_alone(home):
    first = sealing.secret()
    assert first is not None and len(first) == sealing.SIZE
    assert sealing.secret() == first
    assert stat.S_IMODE(home.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.parent.stat().st_mode) == 0o700
    assert [p.name for p in home.parent.iterdir()] == ["cache-key"]  # no draft left


def test_the_secret_lives_outside_any_project_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(Path, "home", lambda: tmp_path / "someone")
    assert sealing.key_file() == tmp_path / "someone" / ".cache" / "scholion" / "cache-key"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/folder")  # not absolute: ignored, as XDG says
    assert sealing.key_file() == tmp_path / "someone" / ".cache" / "scholion" / "cache-key"


def _writable_by_others(path: Path) -> None:
    path.chmod(0o622)


def _short(path: Path) -> None:
    path.write_bytes(b"x" * (sealing.SIZE - 1))


def _a_link(path: Path) -> None:
    target = path.with_name("elsewhere")
    target.write_bytes(path.read_bytes())
    target.chmod(0o600)
    path.unlink()
    path.symlink_to(target)


@pytest.mark.parametrize(
    "spoil", [_writable_by_others, _short, _a_link], ids=["writable by others", "short", "a link"]
)
def test_a_key_file_that_is_not_a_private_secret_is_refused_not_replaced(home, spoil):
    assert sealing.secret() is not None
    spoil(home)
    before = os.lstat(home)
    assert sealing.secret() is None
    assert os.lstat(home) == before  # left for its owner to look at


def test_no_secret_where_none_can_be_made(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a-file"))
    assert sealing.secret() is None
