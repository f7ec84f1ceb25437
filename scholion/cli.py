"""The command line: parse arguments, call the pipeline, print diagnostics, set the exit code.

No logic of its own. Content problems print as ``path:line:col: error: message`` (or as GitHub
annotations) and exit 1; a traceback appears only with ``--debug``.

Each command imports what it runs when it runs, so that ``build`` with nothing to do starts in a
fifth of a second rather than the half second the whole engine takes to import.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from scholion import __version__, pipeline
from scholion.commands.progress import display
from scholion.diagnostics import (
    ContentError,
    Diagnostic,
    SiteError,
    errors_in,
    github_step_summary,
    running_in_github_actions,
    summary_line,
)
from scholion.project import Project

KINDS = ("site", "article", "entity", "source")
"""What ``new`` makes; ``new DIR`` is short for ``new site DIR``."""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(description="Build an annotated corpus site.")
    top.add_argument("--version", action="version", version=f"scholion {__version__}")
    _global_options(top, ".", False)
    commands = _Commands(top.add_subparsers(dest="command", required=True))
    build = commands.add_parser("build", help="check the content and build the site")
    _build_options(build)
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    build.add_argument(
        "--timings", type=Path, metavar="FILE", help="write the seconds per stage as JSON to FILE"
    )
    _format_option(build)
    check = commands.add_parser("check", help="validate the content only; exit 1 on errors")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    _cache_option(check)
    _format_option(check)
    serve = commands.add_parser("serve", help="build, serve on 127.0.0.1, rebuild on change")
    _build_options(serve)
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free)")
    serve.add_argument(
        "--bind",
        default="127.0.0.1",
        metavar="ADDR",
        help="address to listen on (default 127.0.0.1; 0.0.0.0: every interface, for a phone)",
    )
    serve.add_argument("--open", action="store_true", help="open the site in a web browser")
    _new_commands(commands)
    commands.add_parser("schemas", help="write this engine's JSON Schemas into schemas/")
    clean = commands.add_parser("clean", help="remove the built site and the build cache")
    clean.add_argument("--output", help="output directory (default: _site)")
    diff = commands.add_parser("diff", help="the pages that differ between two built sites")
    diff.add_argument("old", type=Path, help="the site before (e.g. the base branch's build)")
    diff.add_argument("new", type=Path, help="the site after")
    imp = commands.add_parser(
        "import", help="turn a raw article (text, saved HTML or DOCX) into an article"
    )
    imp.add_argument("file", type=Path, help="a .txt, .html or .docx file")
    imp.add_argument("--slug", help="the article's file name (default: from the title)")
    imp.add_argument("--publisher", default="", help="publisher entity id")
    imp.add_argument("--rights", default="", help="who holds the copyright, on what terms")
    imp.add_argument("--language", help="BCP 47 language tag (default: the site's)")
    imp.add_argument("--dry-run", action="store_true", help="print the result, write nothing")
    _annotations_command(commands)
    return top


def _annotations_command(commands: _Commands) -> None:
    command = commands.add_parser(
        "import-annotations",
        help="add annotations from Hypothesis, Recogito, brat or a Scholion export to a sidecar",
        description="W3C Web Annotations (JSON-LD: one, a collection or a page; Hypothesis and "
        "Recogito exports) or brat standoff (FILE.ann beside FILE.txt) become claims, notes, "
        "citations and mentions of one article, anchored as check anchors quotes. What cannot "
        "be imported is listed and written to a rejects file.",
    )
    command.add_argument("file", type=Path, help="a .json/.jsonld export or a brat .ann file")
    command.add_argument("--article", required=True, metavar="SLUG", help="the article's slug")
    command.add_argument(
        "--map", type=Path, metavar="FILE", help="YAML rules: which label becomes what"
    )
    command.add_argument(
        "--rejects",
        type=Path,
        metavar="FILE",
        help="where to write what cannot be imported (default: FILE.rejects.json beside FILE)",
    )
    command.add_argument(
        "--dry-run", action="store_true", help="print the sidecar as it would be, write nothing"
    )


class _Commands:
    """The subcommands, each also taking the global options after its name
    (``scholion build --root X`` as well as ``scholion --root X build``)."""

    def __init__(self, action: argparse._SubParsersAction) -> None:
        self.action = action

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        command = self.action.add_parser(name, **kwargs)
        _global_options(command, argparse.SUPPRESS, argparse.SUPPRESS)
        return command


def _global_options(command: argparse.ArgumentParser, root: str, debug: object) -> None:
    # After the subcommand, the defaults are SUPPRESS: absent there, the value given (or
    # defaulted) before it stands.
    command.add_argument("--root", default=root, help="the corpus repository (default: .)")
    command.add_argument(
        "--debug", action="store_true", default=debug, help="show tracebacks of internal errors"
    )


def _build_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--output", help="output directory (default: _site)")
    command.add_argument("--base-url", help="override base_url from site_config.yaml")
    command.add_argument("--no-search", action="store_true", help="skip the Pagefind index")
    _cache_option(command)
    loudness = command.add_mutually_exclusive_group()
    loudness.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    loudness.add_argument("--verbose", "-v", action="store_true", help="print stage timings")


def _cache_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor update .cache/files.sqlite3 (each file's checks and Markdown)",
    )


def _format_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--format",
        choices=("text", "github"),
        help="diagnostic format (default: github under GitHub Actions)",
    )


def _new_commands(commands: _Commands) -> None:
    new = commands.add_parser(
        "new",
        help="make a corpus (new DIR) or a content file that passes check",
        description="`new DIR` (short for `new site DIR`) makes a corpus repository that "
        "checks and builds as it stands; `new article|entity|source ID` a content file.",
    )
    kinds = _Commands(new.add_subparsers(dest="kind", required=True))
    site = kinds.add_parser("site", help="a corpus repository in DIR, new or empty")
    site.add_argument("directory", type=Path, metavar="DIR")
    site.add_argument("--title", help="the site's title (default: from DIR's name)")
    article = kinds.add_parser("article", help="content/articles/<slug>.md and its sidecar")
    article.add_argument("id", help="the article's slug")
    article.add_argument("--title", required=True)
    article.add_argument("--publisher", required=True, help="publisher entity id")
    article.add_argument("--rights", required=True, help="who holds the copyright, on what terms")
    article.add_argument("--date", help="YYYY-MM-DD (default: today)")
    article.add_argument("--language", help="BCP 47 tag (default: the site's)")
    entity = kinds.add_parser("entity", help="content/entities/<id>.yaml")
    entity.add_argument("id")
    entity.add_argument("--type", required=True, help="an entity type from site_config.yaml")
    entity.add_argument("--name", required=True)
    entity.add_argument("--description", required=True, help="one neutral line")
    source = kinds.add_parser("source", help="content/sources/<id>.yaml")
    source.add_argument("id")
    source.add_argument("--title", required=True)
    source.add_argument("--kind", required=True, help="a source kind from site_config.yaml")


def run() -> NoReturn:
    """The program (``scholion``, ``python -m scholion``, ``python build.py``): :func:`main`, and
    then the process ends without freeing what the command made. A build or check of 10,000
    articles holds some 3 million objects, which took 0.9 s to free one by one, after the site
    was published, for the system to take back at once anyway."""
    held: list[object] = []
    code = main(held=held)
    if not held:
        sys.exit(code)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None, held: list[object] | None = None) -> int:
    """Run the command ``argv`` (the program's arguments by default); its exit status.
    ``held``: where a build or check leaves what it made, unfreed (:func:`run`)."""
    args = parser().parse_args(_new_site_shorthand(sys.argv[1:] if argv is None else argv))
    args.held = held
    project = Project.at(args.root, getattr(args, "output", None))
    commands: dict[str, Callable[[Project, argparse.Namespace], int]] = {
        "check": _check,
        "build": _build,
        "serve": _serve,
        "new": _new,
        "import": _import,
        "import-annotations": _import_annotations,
        "schemas": _schemas,
        "clean": _clean,
        "diff": _diff,
    }
    try:
        return commands[args.command](project, args)
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


def _new_site_shorthand(argv: Sequence[str]) -> list[str]:
    """``new DIR`` as ``new site DIR``: the command's first word after ``new`` that is not a
    kind of file is the folder of a new corpus."""
    words = list(argv)
    position = 0
    while position < len(words) and words[position].startswith("-"):
        position += 2 if words[position] == "--root" else 1  # the only option with a value
    command, following = words[position : position + 1], words[position + 1 : position + 2]
    if command == ["new"] and following and following[0][:1] != "-" and following[0] not in KINDS:
        words.insert(position + 1, "site")
    return words


def _say(args: argparse.Namespace) -> Callable[[str], None]:
    if getattr(args, "quiet", False):
        return lambda _: None
    return lambda line: print(line, file=sys.stderr, flush=True)


def _check(project: Project, args: argparse.Namespace) -> int:
    from scholion.commands import corpus

    checked, diagnostics = pipeline.check(project, cache=not args.no_cache)
    if args.held is not None:
        args.held.append(checked)
    diagnostics = [*diagnostics, *corpus.stale_schemas(project)]
    _print_diagnostics(diagnostics, args)
    failed = bool(errors_in(diagnostics)) or (args.strict and bool(diagnostics))
    print(
        ("check failed: " if failed else "check passed: ") + summary_line(diagnostics),
        file=sys.stderr,
    )
    return 1 if failed else 0


def _build(project: Project, args: argparse.Namespace) -> int:

    say = _say(args)
    with display(args.quiet) as shown:
        report = pipeline.build(
            project,
            base_url=args.base_url,
            search=not args.no_search,
            report=shown.say,
            progress=shown.progress,
            incremental=True,
            cache=not args.no_cache,
            held=args.held,
        )
    _print_diagnostics(report.diagnostics, args)
    if args.verbose:
        for stage, seconds in report.timings.items():
            say(f"  {stage}: {seconds:.2f} s")
    if args.timings:
        summary = {
            "pages": report.pages,
            "rendered": report.rendered,
            "indexed": report.indexed,
            "timings": report.timings,
        }
        args.timings.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    if args.strict and report.diagnostics:
        print("build succeeded, but --strict fails on warnings", file=sys.stderr)
        return 1
    say(f"built {report.pages} files into {project.relative(project.output)}/")
    return 0


def _serve(project: Project, args: argparse.Namespace) -> int:
    from scholion.commands.serve import base_path_of, serve
    from scholion.load import load
    from scholion.pipeline.live import LiveSite

    say = _say(args)
    config = load(project).config
    base_path = base_path_of(args.base_url or (config.data.get("base_url") if config else None))

    def build() -> object:
        return pipeline.build(
            project,
            base_url=args.base_url,
            search=not args.no_search,
            report=say if args.verbose else lambda _: None,
            incremental=True,  # unchanged files stay as they are; a build equals a clean one
            cache=not args.no_cache,
        )

    live = LiveSite(project, args.base_url)
    return serve(
        project.root,
        project.output,
        base_path,
        args.port,
        build,
        say,
        live,
        bind=args.bind,
        open_browser=args.open,
    )


def _new(project: Project, args: argparse.Namespace) -> int:
    from scholion.commands import new as scaffold
    from scholion.load import load

    if args.kind == "site":
        return _new_corpus(args.directory, args.title)
    if args.kind == "article":
        config = load(project).config
        language = args.language or (config.data.get("language") if config else None) or "en"
        files = scaffold.new_article(
            project,
            args.id,
            title=args.title,
            publisher=args.publisher,
            rights=args.rights,
            language=language,
            date=args.date,
        )
    elif args.kind == "entity":
        files = scaffold.new_entity(
            project, args.id, type_=args.type, name=args.name, description=args.description
        )
    else:
        files = scaffold.new_source(project, args.id, title=args.title, kind=args.kind)
    scaffold.write_new(files)
    for file in files:
        print(f"created {project.relative(file.path)}")
    return 0


def _new_corpus(directory: Path, title: str | None) -> int:
    from scholion.commands import corpus

    written = corpus.new_corpus(directory, title)
    print(f"created {len(written)} files in {directory}/: a corpus that checks and builds as it is")
    where = "" if directory.resolve() == Path.cwd() else f"cd {directory} && "
    print(f"next: {where}make site   (or: scholion --root {directory} serve)")
    return 0


def _schemas(project: Project, args: argparse.Namespace) -> int:
    from scholion.commands import corpus

    changed = corpus.write_schemas(project)
    for path in changed:
        print(f"wrote {project.relative(path)}")
    print(f"schemas/ holds the schemas of scholion {__version__}", file=sys.stderr)
    return 0


def _clean(project: Project, args: argparse.Namespace) -> int:
    from scholion.commands import corpus

    for path in corpus.clean(project):
        print(f"removed {project.relative(path)}/")
    return 0


def _diff(project: Project, args: argparse.Namespace) -> int:
    from scholion.commands import pagediff

    if not args.new.is_dir():
        print(f"error: {args.new} is not a built site", file=sys.stderr)
        return 1
    if not args.old.is_dir():
        print(pagediff.no_base(args.new), end="")
        return 0
    print(pagediff.markdown(pagediff.compare(args.old, args.new)), end="")
    return 0


def _import(project: Project, args: argparse.Namespace) -> int:
    from scholion.commands.importer import import_article
    from scholion.commands.new import write_new

    result = import_article(
        project,
        args.file,
        slug=args.slug,
        publisher=args.publisher,
        rights=args.rights,
        language=args.language,
    )
    for removed in result.removed:
        print(f"removed: {removed}", file=sys.stderr)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.dry_run:
        print(result.text)
        return 0

    write_new(result.files)
    for file in result.files:
        print(f"created {project.relative(file.path)}")
    if result.missing:
        print(
            f"fill in: {', '.join(result.missing)} (then run `python build.py check`)",
            file=sys.stderr,
        )
    return 0


def _import_annotations(project: Project, args: argparse.Namespace) -> int:
    from scholion.commands.import_annotations import plan_annotations, write_planned

    planned = plan_annotations(project, args.file, args.article, args.map, args.rejects)
    outcome = planned.outcome
    for entry in outcome.added:
        quote = entry.fields.get("quote")
        where = f" on “{quote}”" if quote else " on the whole article"
        print(f"{entry.ref}: {entry.section[:-1]}{where}", file=sys.stderr)
    for notice in outcome.notices:
        print(f"note: {notice}", file=sys.stderr)
    for ref in outcome.already:
        print(f"{ref}: already in the sidecar", file=sys.stderr)
    for rejected in outcome.rejected:
        print(f"{rejected.item.ref}: rejected: {rejected.reason}", file=sys.stderr)
    sidecar = project.relative(planned.sidecar)
    if args.dry_run:
        print(planned.text or "", end="")
    else:
        write_planned(planned)
    summary = (
        f"{len(outcome.added)} added to {sidecar}, {len(outcome.already)} already there, "
        f"{len(outcome.rejected)} rejected"
    )
    if outcome.rejected and not args.dry_run:
        summary += f" (written to {planned.rejects})"
    print(summary + (" (dry run: nothing written)" if args.dry_run else ""), file=sys.stderr)
    if args.dry_run or not outcome.added:
        return 0
    _, diagnostics = pipeline.check(project)
    _print_diagnostics(diagnostics, args)
    if errors_in(diagnostics):
        print("check failed after the import", file=sys.stderr)
        return 1
    print("check passed", file=sys.stderr)
    return 0


def _print_diagnostics(diagnostics: Sequence[Diagnostic], args: argparse.Namespace) -> None:
    github = getattr(args, "format", None) == "github" or (
        getattr(args, "format", None) is None and running_in_github_actions()
    )
    for diagnostic in diagnostics:
        print(diagnostic.format_github() if github else diagnostic.format_text())
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if github and summary_file:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(github_step_summary(diagnostics))
