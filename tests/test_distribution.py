"""The engine as other teams get it: the wheel built from the sdist, installed in a fresh virtual
environment outside this repository, makes a corpus (`scholion new`) that checks and builds, and
whose workflows pass actionlint and are this repository's own.

The wheel is built once per session (about three seconds). The fresh environment installs it
without its dependencies, which come from this repository's environment through a ``.pth`` file:
they are pinned there, and no registry is needed; ``pip check`` then proves the wheel declares
what it needs, and tests/test_packaging.py that it declares what it imports.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from scholion import __version__
from scholion.project import ENGINE

REPO = ENGINE.parent
BIN = Path(sys.executable).parent
ACTIONLINT = BIN / "actionlint"
WORKFLOWS = ("check.yml", "pages.yml")
SUFFIXES = ("-py3-none-any.whl", ".tar.gz")


@dataclass(frozen=True)
class Distribution:
    wheel: Path
    sdist: Path


@dataclass(frozen=True)
class Installed:
    """A virtual environment with only the wheel installed, and a folder outside the repository."""

    venv: Path
    home: Path

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PYTHON"))}
        return subprocess.run(
            [str(self.venv / "bin" / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            cwd=cwd or self.home,
            env=env,
            timeout=180,
        )


@pytest.fixture(scope="session")
def distribution(tmp_path_factory: pytest.TempPathFactory) -> Distribution:
    """``python -m build`` (sdist, then the wheel from it) of a copy of what the package needs,
    so that the checkout gets no build/ or egg-info, and a file the sdist forgets is missed."""
    source = tmp_path_factory.mktemp("source")
    shutil.copy(REPO / "pyproject.toml", source)
    shutil.copy(REPO / "README.md", source)
    shutil.copytree(ENGINE, source / "scholion", ignore=shutil.ignore_patterns("__pycache__"))
    dist = source / "dist"
    subprocess.run(  # not `python -m build` here: this repository's build.py would answer
        [BIN / "pyproject-build", "--no-isolation", "--outdir", str(dist), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return Distribution(*(next(dist.glob(f"scholion-{__version__}{end}")) for end in SUFFIXES))


@pytest.fixture(scope="session")
def installed(distribution: Distribution, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    home = tmp_path_factory.mktemp("elsewhere")
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site_packages = Path(
        sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)})
    )
    (site_packages / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    quiet = ["--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", *quiet, "--no-deps", str(distribution.wheel)], check=True)
    checked = subprocess.run([*pip, "check"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
    return Installed(venv, home)


def test_the_wheel_and_the_sdist_carry_the_theme_schemas_catalogues_and_skeleton(distribution):
    wheel = set(zipfile.ZipFile(distribution.wheel).namelist())
    with tarfile.open(distribution.sdist) as sdist:
        in_sdist = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    for name in (
        "scholion/cli.py",
        "scholion/theme/templates/article.html",
        "scholion/theme/templates/partials/site_footer.html",
        "scholion/theme/static/scholion.css",
        "scholion/schemas/sidecar.schema.json",
        "scholion/schemas/export/corpus.schema.json",
        "scholion/locales/es.po",
        "scholion/skeleton/site_config.yaml",
        "scholion/skeleton/.github/workflows/check.yml",
        "scholion/skeleton/.vscode/settings.json",
        "scholion/skeleton/.gitignore",
    ):
        assert name in wheel, name
        assert name in in_sdist, name
    assert not [name for name in wheel if "__pycache__" in name or name.startswith("tests/")]


def test_the_installed_command_runs_the_wheel_not_this_repository(installed):
    assert installed.run("scholion", "--version").stdout == f"scholion {__version__}\n"
    code = "import json, scholion, sys; print(json.dumps([scholion.__file__, sys.path]))"
    engine, path = json.loads(installed.run("python", "-c", code).stdout)
    assert Path(engine).is_relative_to(installed.venv)
    dependencies = sysconfig.get_path("purelib")  # this repository's .venv: only libraries
    assert [p for p in path if Path(p).is_relative_to(REPO)] == [dependencies]


def test_a_new_corpus_checks_and_builds_with_the_installed_engine(installed):
    made = installed.run("scholion", "new", "our-corpus")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("created 26 files in our-corpus/: a corpus that checks")
    corpus = installed.home / "our-corpus"
    assert (corpus / "requirements.txt").read_text().endswith(f"scholion=={__version__}\n")
    assert 'title: "Our corpus"' in (corpus / "site_config.yaml").read_text()
    assert (corpus / "README.md").read_text().startswith("# Our corpus\n")

    check = installed.run("scholion", "check", "--strict", cwd=corpus)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stderr == "check passed: 0 errors, 0 warnings\n"
    build = installed.run("scholion", "build", "--strict", cwd=corpus)
    assert build.returncode == 0, build.stdout + build.stderr
    assert build.stderr.endswith("files into _site/\n")
    page = (corpus / "_site/articles/example-library-opens/index.html").read_text()
    assert "New library opens in Riverton" in page
    assert "the building cost 4 million euros" in page
    assert (corpus / "_site/claims/library-cost-4-million/index.html").is_file()
    assert (corpus / "_site/pagefind").is_dir()


def test_the_new_corpus_workflows_pass_actionlint_and_are_this_repositorys(installed, tmp_path):
    made = installed.run("scholion", "new", str(tmp_path / "corpus"))
    assert made.returncode == 0, made.stderr
    workflows = [tmp_path / "corpus/.github/workflows" / name for name in WORKFLOWS]
    lint = subprocess.run(
        [str(ACTIONLINT), *map(str, workflows)], capture_output=True, text=True, timeout=60
    )
    assert (lint.returncode, lint.stdout) == (0, "")
    for workflow in workflows:
        ours = REPO / ".github/workflows" / workflow.name
        assert workflow.read_bytes() == ours.read_bytes(), f"{ours} differs from scholion new's"


def test_this_repositorys_workflows_pass_actionlint():
    workflows = sorted(str(p) for p in (REPO / ".github/workflows").glob("*.yml"))
    lint = subprocess.run([str(ACTIONLINT), *workflows], capture_output=True, text=True)
    assert (lint.returncode, lint.stdout) == (0, "")
