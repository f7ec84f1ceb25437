"""The command line: parse arguments, call the pipeline, print diagnostics, set the exit code.

No logic of its own. Content problems print as ``path:line:col: error: message`` (or as GitHub
annotations) and exit 1; a traceback appears only with ``--debug``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import pipeline
from .diagnostics import (
    ContentError,
    Diagnostic,
    SiteError,
    errors_in,
    github_step_summary,
    running_in_github_actions,
    summary_line,
)
from .project import Project


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="build.py", description="Build an annotated corpus site.")
    top.add_argument("--root", default=".", help="the corpus repository (default: .)")
    top.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = top.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="check the content and build the site")
    build.add_argument("--output", help="output directory (default: _site)")
    build.add_argument("--base-url", help="override base_url from site_config.yaml")
    build.add_argument("--no-search", action="store_true", help="skip the Pagefind index")
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    build.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    _format_option(build)
    check = commands.add_parser("check", help="validate the content only; exit 1 on errors")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    _format_option(check)
    return top


def _format_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--format",
        choices=("text", "github"),
        help="diagnostic format (default: github under GitHub Actions)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    project = Project.at(args.root, getattr(args, "output", None))
    try:
        if args.command == "check":
            return _check(project, args)
        return _build(project, args)
    except ContentError as exc:
        _print_diagnostics(exc.diagnostics, args)
        print(f"build failed: {exc}; the previous site was left as it was", file=sys.stderr)
        return 1
    except SiteError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous site was left as it was", file=sys.stderr)
        return 130


def _check(project: Project, args: argparse.Namespace) -> int:
    _, diagnostics = pipeline.check(project)
    _print_diagnostics(diagnostics, args)
    failed = bool(errors_in(diagnostics)) or (args.strict and bool(diagnostics))
    print(
        ("check failed: " if failed else "check passed: ") + summary_line(diagnostics),
        file=sys.stderr,
    )
    return 1 if failed else 0


def _build(project: Project, args: argparse.Namespace) -> int:
    say = (lambda _: None) if args.quiet else (lambda line: print(line, file=sys.stderr))
    report = pipeline.build(project, base_url=args.base_url, search=not args.no_search, report=say)
    _print_diagnostics(report.diagnostics, args)
    if args.strict and report.diagnostics:
        print("build succeeded, but --strict fails on warnings", file=sys.stderr)
        return 1
    say(f"built {report.pages} files into {project.relative(project.output)}/")
    return 0


def _print_diagnostics(diagnostics: Sequence[Diagnostic], args: argparse.Namespace) -> None:
    github = args.format == "github" or (args.format is None and running_in_github_actions())
    for diagnostic in diagnostics:
        print(diagnostic.format_github() if github else diagnostic.format_text())
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if github and summary_file:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(github_step_summary(diagnostics))
