"""``make bench``: time whole builds of a synthetic corpus of N articles, beside the floor.

For each N: generate the corpus (benchmarks/out/corpus-N, reused while the generator is
unchanged), then run as separate processes, in this order: the floor; the peer, Hugo then
Pagefind building the same articles cold (:mod:`benchmarks.peer`); ``check`` with no .cache/;
a cold build (no _site/, no .cache/); a rebuild with nothing changed; a rebuild after rewording
one claim's statement in one sidecar; a rebuild after editing one template (an override of
article.html in the corpus); ``check`` after rewording that statement again (the per-file cache
warm but for that sidecar); ``serve``, from saving that sidecar edited once more to the served
page's reload event, and from adding an alias to an entity (its surname, in the text of its
articles) to the event (:mod:`benchmarks.latency`; one server for both); all restored
afterwards. Every figure is also given as a ratio to the floor's and to Hugo + Pagefind's.
Prints a table per N and writes benchmarks/out/results-N.json.

    python -m benchmarks.run 1000 10000        # make bench
    python -m benchmarks.run 20 --out /tmp/b   # what the test suite runs
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from scholion.pipeline import DEFAULT_THEME

from . import peer
from .generate import SEED, generate
from .latency import Edit, serve_latency
from .measure import Measured, machine, measure

REPO = Path(__file__).resolve().parent.parent
EDITED_TEMPLATE = "article.html"


def corpus_for(n: int, out: Path) -> Path:
    """The corpus of ``n`` articles, generated unless an identical one is already there."""
    root = out / f"corpus-{n}"
    stamp = hashlib.sha256(
        (Path(__file__).parent / "generate.py").read_bytes() + f"{n} {SEED}".encode()
    ).hexdigest()
    stamp_file = root / ".generated"
    if not (stamp_file.is_file() and stamp_file.read_text() == stamp):
        shutil.rmtree(root, ignore_errors=True)
        generate(root, n)
        stamp_file.write_text(stamp)
    return root


PEER = "Hugo + Pagefind (cold)"
"""The peer every figure is compared with (without search, Hugo alone: like with like)."""

SCENARIOS = (
    "floor",
    PEER,
    "check",
    "cold build",
    "no-change rebuild",
    "one sidecar edited",
    "one sidecar edited again",
    "one template edited",
    "check, one sidecar edited",
    "serve, one sidecar edited",
    "serve, one alias added",
)


def run(
    n: int, out: Path, search: bool = True, only: Sequence[str] = SCENARIOS
) -> dict[str, object]:
    """The scenarios ``only`` for ``n`` articles; returns the results (also written as JSON)."""
    root = corpus_for(n, out)
    site = out / f"site-{n}" / "_site"
    timings = out / f"timings-{n}.json"
    python = sys.executable
    build = [python, str(REPO / "build.py"), "--root", str(root), "build", "--output", str(site)]
    build += ["--quiet", "--timings", str(timings)] + ([] if search else ["--no-search"])
    results: dict[str, object] = {"n": n, "machine": machine(), "search": search}
    scenarios: dict[str, dict[str, object]] = {}
    results["scenarios"] = scenarios

    def timed(name: str, command: list[str], prepare: Callable[[], object] = lambda: None) -> None:
        if name not in only:
            return
        prepare()
        timings.unlink(missing_ok=True)
        measured: Measured = measure(command, cwd=REPO)
        scenarios[name] = measured.as_dict()
        if timings.is_file():
            scenarios[name].update(json.loads(timings.read_text(encoding="utf-8")))
        print(f"  {name}: {measured.wall_s:.2f} s", file=sys.stderr, flush=True)

    aside = out / SET_ASIDE
    shutil.rmtree(aside, ignore_errors=True)  # what an interrupted run left

    def cold() -> None:
        set_aside(site.parent, aside)
        set_aside(root / ".cache", aside)

    print(f"N = {n}", file=sys.stderr, flush=True)
    timed("floor", [python, "-m", "benchmarks.floor", str(root)])
    if PEER in only:  # its project is written (untimed) beside the site, on the same disk
        with tempfile.TemporaryDirectory(prefix=f"hugo-{n}-", dir=out) as project:
            hugo = Path(project)
            command = [python, "-m", "benchmarks.peer", project, "--timings", str(timings)]
            timed(
                PEER,
                command + ([] if search else ["--no-search"]),
                lambda: peer.write_project(root, hugo),
            )
            scenarios[PEER].update(peer.counts(hugo))
    check = [python, str(REPO / "build.py"), "--root", str(root), "check"]
    timed("check", check, cold)
    timed("cold build", build, cold)
    timed("no-change rebuild", build)
    with _edited(_sidecar_of(root), _reword_statement) as edited:
        timed("one sidecar edited", build)  # the first edit after a cold build: no spare yet
        timed("one sidecar edited again", build, edited.again)  # as every edit after it
    override = root / "templates" / EDITED_TEMPLATE
    try:
        override.parent.mkdir(exist_ok=True)
        theme = (DEFAULT_THEME / "templates" / EDITED_TEMPLATE).read_text(encoding="utf-8")
        timed(
            "one template edited", build, lambda: override.write_text(theme + "<!-- edited -->\n")
        )
    finally:
        shutil.rmtree(override.parent, ignore_errors=True)
    with _edited(_sidecar_of(root), _reword_statement):
        timed("check, one sidecar edited", check)
    serving = [
        name for name in ("serve, one sidecar edited", "serve, one alias added") if name in only
    ]
    if serving:
        serve = [python, str(REPO / "build.py"), "--root", str(root), "serve", "--output"]
        serve += [str(site)] + ([] if search else ["--no-search"])
        sidecar, (entity, alias) = _sidecar_of(root), _alias_to_add(root)
        edits = {
            "serve, one sidecar edited": Edit(
                sidecar, _reword_statement, f"articles/{sidecar.stem}/", "Reworded: "
            ),
            "serve, one alias added": Edit(
                entity,
                functools.partial(_add_alias, alias),
                f"entities/{entity.stem}/",
                f'<span class="alias">{alias}</span>',
            ),
        }
        measured = serve_latency(serve, [edits[name] for name in serving])
        scenarios.update(zip(serving, measured, strict=True))
        print(f"  {', '.join(serving)}: done", file=sys.stderr, flush=True)
    shutil.rmtree(aside, ignore_errors=True)
    results["floor_s"] = scenarios["floor"]["wall_s"] if "floor" in scenarios else None
    results["hugo_pagefind_s"] = scenarios[PEER]["wall_s"] if PEER in scenarios else None
    for row in scenarios.values():
        row["ratios"] = ratios(row, scenarios.get("floor"), scenarios.get(PEER))
    (out / f"results-{n}.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return results


SET_ASIDE = ".set-aside"
"""Where a cold scenario moves the output and cache it starts without, deleted once every
scenario has run."""


def set_aside(path: Path, aside: Path) -> None:
    """Move ``path`` out of the way (into ``aside``, on the same file system) rather than
    delete it. On this machine's disk, creating files in the minutes after hundreds of
    thousands were deleted is slow (the kernel passes over every recently freed inode): a cold
    build at 10,000 articles right after the last site was deleted took 283 s, 149 s of it
    in the kernel, against 265 s and 67 s with the last site moved aside. A build on a fresh
    checkout deletes nothing first, and neither does Hugo's run beside it."""
    if not path.exists():
        return
    aside.mkdir(parents=True, exist_ok=True)
    path.rename(Path(tempfile.mkdtemp(dir=aside)) / path.name)


def ratios(
    row: dict[str, object], floor: dict[str, object] | None, hugo: dict[str, object] | None
) -> dict[str, float | None]:
    """``row``'s wall seconds (for ``serve``, save to reload) and CPU seconds divided by the
    floor's and by Hugo + Pagefind's; None where either was not run (``--only``)."""
    seconds = row.get("wall_s", row.get("latency_s"))
    found: dict[str, float | None] = {}
    for name, reference in (("floor", floor or {}), ("hugo_pagefind", hugo or {})):
        found[name] = _ratio(seconds, reference.get("wall_s"))
        found[f"{name}_cpu"] = _ratio(row.get("cpu_s"), reference.get("cpu_s"))
    return found


def _ratio(value: object, base: object) -> float | None:
    if isinstance(value, int | float) and isinstance(base, int | float) and base > 0:
        return round(value / base, 3)
    return None


def _sidecar_of(root: Path) -> Path:
    sidecars = sorted((root / "content" / "articles").glob("*.yaml"))
    return sidecars[len(sidecars) // 2]


def _alias_to_add(root: Path) -> tuple[Path, str]:
    """An entity, and a name to add to its aliases that its articles' text contains (its
    surname, which the generator writes in "B. Surname"), so that adding it moves mentions:
    the first entity whose surname no other entity's file holds (two entities may not share
    an alias)."""
    files = sorted((root / "content" / "entities").glob("*.yaml"))
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    for path, text in texts.items():
        name = yaml.safe_load(text)["name"]
        surname = name.split()[-1]
        if (
            "aliases:\n" in text
            and len(name.split()) > 1
            and not any(surname in other for p, other in texts.items() if p != path)
        ):
            return path, surname
    raise RuntimeError("no entity whose surname could become an alias")


def _add_alias(alias: str, text: str) -> str:
    return text.replace("aliases:\n", f'aliases:\n  - "{alias}"\n', 1)


def _reword_statement(text: str) -> str:
    return text.replace('statement: "', 'statement: "Reworded: ', 1)


class _edited:
    """Apply ``change`` to a file for the duration of a ``with`` block, then restore it."""

    def __init__(self, path: Path, change: Callable[[str], str]):
        self.path, self.change = path, change
        self.original = path.read_bytes()

    def __enter__(self) -> _edited:
        self.path.write_text(self.change(self.original.decode("utf-8")), encoding="utf-8")
        return self

    def again(self) -> None:
        """Apply ``change`` once more, to the file as it is now."""
        self.path.write_text(self.change(self.path.read_text(encoding="utf-8")), encoding="utf-8")

    def __exit__(self, *exc: object) -> None:
        self.path.write_bytes(self.original)


def table(results: dict[str, object]) -> str:
    """The results of one N as a Markdown table."""
    scenarios: dict[str, dict] = results["scenarios"]  # type: ignore[assignment]
    floor, hugo = results["floor_s"], results["hugo_pagefind_s"]
    references = [f"floor {floor:.2f} s" if floor else "no floor"]
    references.append(f"{PEER} {hugo:.2f} s" if hugo else f"no {PEER}")
    lines = [
        f"N = {results['n']:,} articles; {', '.join(references)}"
        + ("" if results["search"] else " (no search: Hugo without Pagefind)"),
        "",
        "| scenario | wall s | ÷ floor | ÷ Hugo+Pagefind | CPU s | CPU ÷ floor / ÷ Hugo+Pagefind "
        "| pages/s | largest process MiB | Scholion peak MiB | Hugo peak MiB | "
        "Pagefind peak MiB (all / largest process) | stages (s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, row in scenarios.items():
        ratio = row.get("ratios", {})
        wall_ratios = f"{_times(ratio.get('floor'))} | {_times(ratio.get('hugo_pagefind'))}"
        if "latency_s" in row:  # serve: from saving the file to the page's reload event
            lines.append(
                f"| {name} | {row['latency_s']:.2f} (save to reload) | {wall_ratios} | | | | | "
                f"| | | first build {row['first_build_s']:.1f} |"
            )
            continue
        pages = row.get("pages")
        rate = f"{pages / row['wall_s']:,.0f}" if pages and name in ("cold build", PEER) else ""
        stages = ", ".join(f"{k} {v:.1f}" for k, v in row.get("timings", {}).items())
        by_name = row["peak_by_name_mb"]
        largest = row.get("largest_by_name_mb", {}).get("pagefind", 0)
        scholion = "" if name == PEER else f"{by_name.get('python', 0):.0f}"
        lines.append(
            f"| {name} | {row['wall_s']:.2f} | {wall_ratios} | {row['cpu_s']:.1f} | "
            f"{_times(ratio.get('floor_cpu'))} / {_times(ratio.get('hugo_pagefind_cpu'))} | "
            f"{rate} | {row['max_process_rss_mb']:.0f} | {scholion} | "
            f"{by_name.get('hugo', 0):.0f} | "
            f"{by_name.get('pagefind', 0):.0f} / {largest:.0f} | {stages} |"
        )
    return "\n".join(lines)


def _times(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio:.2f}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Time Scholion builds of a synthetic corpus.")
    parser.add_argument("n", type=int, nargs="*", default=[1000, 10000], help="corpus sizes")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out")
    parser.add_argument("--no-search", action="store_true", help="build without Pagefind")
    parser.add_argument(
        "--only", action="append", choices=SCENARIOS, help="run only this scenario (repeatable)"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    print(json.dumps(machine()))
    for n in args.n:
        print()
        results = run(n, args.out.resolve(), not args.no_search, args.only or SCENARIOS)
        print(table(results))


if __name__ == "__main__":
    main()
