"""What a build prints while it runs: live progress on a terminal, plain stage lines elsewhere."""

from __future__ import annotations

import io

from scholion.commands.progress import display
from scholion.pipeline import build
from scholion.project import Project
from tests.helpers import FIXTURES


def test_outside_a_terminal_only_stage_lines_are_printed(capsys, tmp_path):
    with display(quiet=False, terminal=False) as shown:
        build(
            Project.at(FIXTURES / "site", tmp_path / "_site"),
            search=False,
            report=shown.say,
            progress=shown.progress,
        )
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["checked 3 articles, 3 claims, 6 entities, 3 sources", "rendered 32 files"]


def test_quiet_prints_nothing(capsys, tmp_path):
    with display(quiet=True) as shown:
        build(
            Project.at(FIXTURES / "site", tmp_path / "_site"),
            search=False,
            report=shown.say,
            progress=shown.progress,
        )
    assert capsys.readouterr().err == ""


def test_on_a_terminal_the_stage_and_its_count_are_shown(monkeypatch, tmp_path):
    screen = io.StringIO()
    monkeypatch.setattr("sys.stderr", screen)
    with display(quiet=False, terminal=True) as shown:
        for done in (25, 50, 60):
            shown.progress("rendering pages", done)
        shown.say("rendered 60 files")
    text = screen.getvalue()
    assert "rendering pages" in text and "60 files" in text
    assert "rendered 60 files" in text
