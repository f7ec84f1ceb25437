"""A corpus overrides the theme file by file (docs/theme.md): its own template or static file
with a theme file's name replaces that file; everything else still comes from the theme."""

from __future__ import annotations

from scholion.pipeline import build
from scholion.project import Project
from tests.dom import parse_file


def test_a_corpus_replaces_one_partial_and_adds_a_stylesheet(corpus, tmp_path):
    root = corpus(
        {
            "templates/partials/site_footer.html": '<footer class="mine">Our footer</footer>\n',
            "templates/partials/head_extra.html": (
                '<link rel="stylesheet" href="{{ root }}static/extra.css">\n'
            ),
            "static/extra.css": "body { color: black; }\n",
            "static/scholion.js": "// replaced\n",
        }
    )
    output = tmp_path / "_site"
    build(Project.at(root, output), search=False)
    doc = parse_file(output / "claims" / "index.html")
    assert doc.one("footer").words == "Our footer"
    assert [
        link.attr("href") for link in doc.all("link", cls=None) if link.attr("rel") == "stylesheet"
    ] == [
        "../static/scholion.css",
        "../static/extra.css",
    ]
    assert doc.one("nav").links()[0] == "../articles/"  # the theme's header is still there
    assert (output / "static" / "extra.css").read_text() == "body { color: black; }\n"
    assert (output / "static" / "scholion.js").read_text() == "// replaced\n"
    assert "--measure" in (output / "static" / "scholion.css").read_text()  # the theme's own
