"""The floor: the least work any build of a corpus must do, timed in one process.

Read every content file, parse its YAML (PyYAML's C loader where available, else the Python
one) and render the Markdown of every article and page body (the same Python-Markdown
extensions as Scholion, one reused converter), and nothing else: no validation, anchoring,
templates, output or search. Build times divided by this figure stay comparable across machines.

    python -m benchmarks.floor benchmarks/out/corpus-1000     # prints JSON
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import markdown
import yaml

from scholion.text.markup import EXTENSIONS, slugify_heading

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def floor(root: Path) -> dict[str, object]:
    """Do the floor's work on the corpus at ``root``; returns what was done and how long it took."""
    started = time.perf_counter()
    converter = markdown.Markdown(
        extensions=EXTENSIONS,
        extension_configs={"toc": {"slugify": slugify_heading, "permalink": False}},
    )
    files = documents = rendered = 0
    for path in sorted([root / "site_config.yaml", *(root / "content").rglob("*")]):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        files += 1
        if path.suffix == ".md":
            _, front, body = text.split("---\n", 2)
            yaml.load(front, Loader=Loader)
            converter.reset().convert(body)
            rendered += 1
        else:
            yaml.load(text, Loader=Loader)
        documents += 1
    return {
        "files": files,
        "yaml_documents": documents,
        "markdown_bodies": rendered,
        "yaml_loader": Loader.__name__,
        "seconds": round(time.perf_counter() - started, 3),
    }


if __name__ == "__main__":
    print(json.dumps(floor(Path(sys.argv[1]))))
