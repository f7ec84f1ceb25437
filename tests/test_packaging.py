"""The package metadata follows the code: every subpackage is found, and every library the
engine imports is a declared dependency, pinned in requirements.txt."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from setuptools import find_packages

from scholion.project import ENGINE

REPO = ENGINE.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _name(requirement: str) -> str:
    """A distribution's name as pip compares them (PEP 503)."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert name, requirement
    return re.sub(r"[-_.]+", "-", name.group()).lower()


def _declared() -> set[str]:
    return {_name(r) for r in PYPROJECT["project"]["dependencies"]}


def _imported_libraries() -> set[str]:
    """Top-level modules imported anywhere in scholion/ that are neither the engine's own nor
    Python's standard library."""
    found = set()
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "scholion"}


def test_setuptools_finds_every_package_of_the_engine():
    packages = {
        ".".join(path.parent.relative_to(REPO).parts) for path in ENGINE.rglob("__init__.py")
    }
    with_code = {".".join(path.parent.relative_to(REPO).parts) for path in ENGINE.rglob("*.py")}
    assert with_code == packages, "a folder of scholion/ with code but no __init__.py"
    found = set(find_packages(str(REPO), **PYPROJECT["tool"]["setuptools"]["packages"]["find"]))
    assert found == packages


def test_every_library_the_engine_imports_is_a_declared_dependency():
    distributions = importlib.metadata.packages_distributions()
    for module in sorted(_imported_libraries()):
        names = {_name(d) for d in distributions.get(module, [])}
        assert names & _declared(), f"scholion imports {module} ({names}): add it to pyproject"


def test_every_declared_dependency_is_pinned_in_requirements_txt():
    lines = (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()
    pinned = {_name(line) for line in lines if "==" in line and not line.startswith("#")}
    assert _declared() <= pinned
