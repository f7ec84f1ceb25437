"""``make screenshots``: every kind of page at 390 and 1280 px wide, light and dark, as PNGs.

Builds the demo corpus into a temporary directory, serves it under the sub-path and writes
``<folder>/<page>-<width>-<scheme>.png`` (full pages), for a person to look at. The folder is
ignored by Git. Usage: ``python -m tests.browser.screenshots [folder] [page-name …]``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.harness import (
    LAUNCH_ARGS,
    NO_BROWSER,
    build_demo,
    find_browser,
    page_kinds,
    serve,
)

WIDTHS = (390, 1280)
SCHEMES = ("light", "dark")


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = build_demo(Path(tmp) / "_site")
        kinds = page_kinds(site)
        wanted = {name: url for name, url in kinds.items() if not argv[1:] or name in argv[1:]}
        with serve(site) as server, sync_playwright() as playwright:
            executable = find_browser(playwright.chromium.executable_path)
            if executable is None:
                print(NO_BROWSER, file=sys.stderr)
                return 1
            browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
            for width in WIDTHS:
                for scheme in SCHEMES:
                    context = browser.new_context(
                        viewport={"width": width, "height": 900}, color_scheme=scheme
                    )
                    page = context.new_page()
                    for name, url in wanted.items():
                        page.goto(server.url(url))
                        if name == "search":
                            page.wait_for_selector("#search-results li")
                        page.wait_for_timeout(100)
                        path = folder / f"{name}-{width}-{scheme}.png"
                        page.screenshot(path=path, full_page=True)
                    context.close()
            browser.close()
    print(f"wrote {len(wanted) * len(WIDTHS) * len(SCHEMES)} screenshots to {folder}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
