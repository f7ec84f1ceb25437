"""The documentation of the engine's structure stays true: one stage list, every module in
docs/architecture.md's table."""

from __future__ import annotations

import re

from scholion.project import ENGINE

ARCHITECTURE = (ENGINE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
STAGES = "load → validate → link → render → export → write → index → publish"


def test_the_stage_list_is_the_same_everywhere():
    for place in (ENGINE / "__init__.py", ENGINE / "pipeline" / "__init__.py"):
        assert STAGES in place.read_text(encoding="utf-8"), place
    assert f"**{STAGES}**" in ARCHITECTURE


def test_the_module_table_names_every_module():
    table = ARCHITECTURE.split("## Modules", 1)[1].split("\n## ", 1)[0]
    named = set()
    for cell in re.findall(r"^\| ([^|]+) \|", table, flags=re.MULTILINE):
        folder = ""  # "`exports/records.py`, `tables.py`": the second is in exports/ too
        for name in re.findall(r"`([\w/]+\.py)`", cell):
            if "/" in name:
                folder = name.rpartition("/")[0]
            named.add(name if "/" in name or not folder else f"{folder}/{name}")
    modules = {path.relative_to(ENGINE).as_posix() for path in ENGINE.rglob("*.py")}
    assert modules - named == set(), "modules missing from docs/architecture.md's table"
    assert named - modules == set(), "the table names modules that do not exist"
