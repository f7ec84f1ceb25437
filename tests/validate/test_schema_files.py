"""The schemas in schemas/ as editors and common validators load them: by file, with their
``$ref``s resolved against the folder they are in, no flag needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scholion.project import ENGINE

REPO = ENGINE.parent
SCHEMAS = REPO / "schemas"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")

CONTENT = {
    "sidecar.schema.json": "content/articles/*.yaml",
    "entity.schema.json": "content/entities/*.yaml",
    "source.schema.json": "content/sources/*.yaml",
    "site_config.schema.json": "site_config.yaml",
}


@pytest.mark.parametrize("schema", sorted(CONTENT))
def test_check_jsonschema_validates_the_demo_without_extra_flags(schema):
    """It refused every file while each schema's ``$id`` was a bare name: the ``$ref`` to
    ``common.schema.json`` resolved against the working directory, not the schema's folder."""
    files = sorted(str(p) for p in REPO.glob(CONTENT[schema]))
    assert files
    result = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--schemafile", str(SCHEMAS / schema), *files],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_check_jsonschema_reports_a_mistake(tmp_path):
    bad = tmp_path / "caracas.yaml"
    bad.write_text("type: place\nnaem: Caracas\ndescription: The capital.\n", encoding="utf-8")
    result = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--schemafile", str(SCHEMAS / "entity.schema.json"), str(bad)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "'name' is a required property" in result.stdout
