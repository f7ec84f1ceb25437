"""Loading: strict reading of every content file, front matter, and file names.

Each test writes its whole corpus inline (plus the shared minimal site_config.yaml from
tests/helpers.py) and asserts the diagnostics exactly as ``build.py check`` prints them.
"""

from __future__ import annotations

import textwrap

from scholion import load as load_module
from scholion.load import load, split_front_matter
from scholion.project import Project
from tests.helpers import CONFIG, check


def test_a_valid_entity_loads_with_no_diagnostics(corpus):
    root = corpus(
        {
            "content/entities/caracas.yaml": """\
                type: place
                name: Caracas
                description: The capital of Venezuela.
                """
        }
    )
    records = load(Project.at(root))
    assert [d.stem for d in records.entities] == ["caracas"]
    assert records.entities[0].data["name"] == "Caracas"
    assert check(root) == []


def test_byte_order_mark_is_an_error(corpus):
    root = corpus(
        {"content/entities/caracas.yaml": b"\xef\xbb\xbf" + b"type: place\nname: Caracas\n"}
    )
    assert check(root) == [
        "content/entities/caracas.yaml:1:1: error: file starts with a byte-order mark (BOM)\n"
        "  hint: save the file as UTF-8 without BOM"
    ]


def test_invalid_utf8_is_located_at_the_bad_byte(corpus):
    # Latin-1 "Café" on line 2: the é (0xe9) is the 10th byte of that line.
    root = corpus(
        {"content/entities/cafe.yaml": b"type: place\nname: Caf\xe9\ndescription: A cafe.\n"}
    )
    assert check(root) == [
        "content/entities/cafe.yaml:2:10: error: invalid UTF-8 (byte 0xe9)\n"
        "  hint: save the file with UTF-8 encoding"
    ]


def test_windows_line_endings_are_read_as_newlines(corpus):
    root = corpus(
        {
            "content/entities/caracas.yaml": (
                b"type: place\r\nname: Caracas\r\ndescription: x\r\nnaem: y\r\n"
            )
        }
    )
    assert check(root) == [
        "content/entities/caracas.yaml:4:1: error: unknown key 'naem'\n  hint: did you mean 'name'?"
    ]


def test_too_large_file_is_refused(corpus, monkeypatch):
    monkeypatch.setattr(load_module, "MAX_FILE_BYTES", 1000)
    long_entity = "type: place\nname: Caracas\ndescription: " + "x" * 1000 + "\n"
    root = corpus({"content/entities/caracas.yaml": long_entity})
    assert check(root) == [
        "content/entities/caracas.yaml:1:1: error: file is too large "
        "(1,040 bytes; the limit is 1,000)\n"
        "  hint: split it into several files"
    ]


def test_missing_front_matter(corpus):
    root = corpus(
        {
            "content/pages/about.md": """\
                title: About

                This corpus exists to test Scholion.
                """
        }
    )
    assert check(root) == [
        "content/pages/about.md:1:1: error: missing front matter\n"
        "  hint: start the file with a line '---', the YAML fields, and another line '---'"
    ]


def test_front_matter_that_is_never_closed(corpus):
    root = corpus(
        {
            "content/pages/about.md": """\
                ---
                title: About

                This corpus exists to test Scholion.
                """
        }
    )
    assert check(root) == [
        "content/pages/about.md:1:1: error: front matter is not closed\n"
        "  hint: end the YAML fields with a line '---' before the text"
    ]


def test_positions_in_front_matter_count_the_opening_line(corpus):
    root = corpus(
        {
            "content/pages/about.md": """\
                ---
                title: About
                summary: no
                nav_ordr: 1
                ---
                This corpus exists to test Scholion.
                """
        }
    )
    assert check(root) == [
        "content/pages/about.md:3:10: error: 'summary' must be text, but YAML read no as false\n"
        "  hint: YAML reads unquoted yes, no, on, off, true and false as true or false: "
        'write "no" instead of no',
        "content/pages/about.md:4:1: error: unknown key 'nav_ordr'\n"
        "  hint: did you mean 'nav_order'?",
    ]


def test_syntax_error_in_front_matter_is_located_in_the_file(corpus):
    root = corpus(
        {
            "content/pages/about.md": """\
                ---
                title: About: the corpus
                ---
                Text.
                """
        }
    )
    assert check(root) == [
        "content/pages/about.md:2:13: error: YAML syntax error: "
        "mapping values are not allowed in this context\n"
        '  hint: a value containing ": " must be quoted, e.g. key: "a: b"'
    ]


def test_split_front_matter_returns_the_first_body_line():
    text = "---\ntitle: About\n---\nFirst line of the body.\n"
    assert split_front_matter(text) == ("title: About\n", "First line of the body.\n", 4)
    assert split_front_matter("no front matter\n") is None


def test_bad_file_name_suggests_a_valid_id(corpus):
    root = corpus(
        {
            "content/entities/Caracas City.yaml": """\
                type: place
                name: Caracas
                description: The capital of Venezuela.
                """
        }
    )
    assert check(root) == [
        "content/entities/Caracas City.yaml:1:1: error: file name 'Caracas City.yaml' "
        "is not a valid id\n"
        "  hint: use lower-case letters a-z, digits and single hyphens, e.g. caracas-city.yaml"
    ]


def test_a_file_outside_the_corpus_layout_is_a_warning(corpus):
    root = corpus({"content/entities/notes.txt": "Remember to add Moscow.\n"})
    assert check(root) == [
        "content/entities/notes.txt:1:1: warning: this file is not part of the corpus and is "
        "ignored\n"
        "  hint: articles are content/articles/<slug>.md with <slug>.yaml beside them; entities, "
        "sources, pages and narratives go in content/entities/, content/sources/, "
        "content/pages/ and content/narratives/"
    ]


def test_hidden_files_are_ignored(corpus):
    root = corpus({"content/entities/.caracas.yaml.swp": b"\x00\x01"})
    assert check(root) == []


def test_missing_content_directory(tmp_path):
    (tmp_path / "site_config.yaml").write_text(textwrap.dedent(CONFIG))
    assert check(tmp_path) == [
        "content:1:1: error: the content directory is missing\n"
        "  hint: create content/articles/ and put articles there"
    ]


def test_unreadable_files_are_recorded_so_references_to_them_are_not_reported(corpus):
    root = corpus(
        {
            "content/entities/caracas.yaml": "type: [place\n",
            "content/pages/about.md": "no front matter\n",
        }
    )
    records = load(Project.at(root))
    assert records.unreadable == ("content/entities/caracas.yaml", "content/pages/about.md")


def test_an_unclosed_quote_in_front_matter_names_the_line_it_opened_on(corpus):
    root = corpus(
        {
            "content/pages/about.md": """\
                ---
                title: "About the corpus
                nav_order: 1
                ---
                Text.
                """
        }
    )
    assert check(root) == [
        "content/pages/about.md:4:1: error: YAML syntax error: found unexpected end of stream "
        "(while scanning a quoted scalar that starts at line 2, column 8)\n"
        "  hint: check the indentation and quoting on this line and the one before it"
    ]


def test_told_which_files_changed_it_lists_only_them_and_agrees_with_a_full_listing(corpus):
    root = corpus(
        {
            "content/entities/caracas.yaml": "type: place\nname: Caracas\n",
            "content/entities/moscow.yaml": "type: place\nname: Moscow\n",
        }
    )
    project = Project.at(root)
    first = load(project)
    entities = root / "content" / "entities"
    (entities / "moscow.yaml").unlink()
    (entities / "Bad Name.yaml").write_text("type: place\nname: Bad\n", encoding="utf-8")
    (entities / "lima.yaml").write_text("type: place\nname: Lima\n", encoding="utf-8")
    (root / "content" / "drafts").mkdir()
    (root / "content" / "drafts" / "todo.txt").write_text("to do\n", encoding="utf-8")
    changed = [
        entities / "moscow.yaml",
        entities / "Bad Name.yaml",
        entities / "lima.yaml",
        root / "content" / "drafts" / "todo.txt",
    ]
    told = load(project, first, changed)
    fresh = load(project)
    assert [d.path for d in told.entities] == [
        "content/entities/caracas.yaml",
        "content/entities/lima.yaml",
    ]
    assert told.entities[0] is first.entities[0]  # not read again
    assert told.diagnostics == fresh.diagnostics
    assert [d.format_text() for d in told.diagnostics] == [
        "content/drafts/todo.txt:1:1: warning: this file is not part of the corpus and is ignored\n"
        "  hint: articles are content/articles/<slug>.md with <slug>.yaml beside them; "
        "entities, sources, pages and narratives go in content/entities/, content/sources/, "
        "content/pages/ and content/narratives/",
        "content/entities/Bad Name.yaml:1:1: error: file name 'Bad Name.yaml' is not a valid id\n"
        "  hint: use lower-case letters a-z, digits and single hyphens, e.g. bad-name.yaml",
    ]


def test_an_edit_of_files_already_read_replaces_their_documents_and_keeps_every_other(corpus):
    """What later stages rely on to find what changed without looking: after an edit that only
    changed files (none came or went), every other document is the very object it was, and
    the records are those of a full load."""
    root = corpus(
        {
            "content/entities/caracas.yaml": "type: place\nname: Caracas\n",
            "content/entities/moscow.yaml": "type: place\nname: Moscow\n",
            "content/entities/lima.yaml": "type: place\nname: Lima\n",
        }
    )
    project = Project.at(root)
    first = load(project)
    moscow = root / "content" / "entities" / "moscow.yaml"
    moscow.write_text("type: place\nname: Moskva\n", encoding="utf-8")
    hidden = root / "content" / "entities" / ".moscow.yaml.swp"  # an editor's, never listed
    hidden.write_text("swap", encoding="utf-8")
    told = load(project, first, [moscow, hidden])
    fresh = load(project)
    assert [d.data["name"] for d in told.entities] == ["Caracas", "Lima", "Moskva"]
    assert [d.data for d in told.entities] == [d.data for d in fresh.entities]
    assert [a is b for a, b in zip(first.entities, told.entities, strict=True)] == [
        True,
        True,
        False,
    ]
    assert told.config is first.config and told.articles == first.articles
    assert told.diagnostics == fresh.diagnostics
    assert [entry for entry, _ in told.listing] == [entry for entry, _ in fresh.listing]


def test_a_folder_that_went_is_noticed_by_listing_everything_again(corpus):
    root = corpus({"content/sources/report.yaml": "title: A report\nkind: report\n"})
    project = Project.at(root)
    first = load(project)
    sources = root / "content" / "sources"
    (sources / "report.yaml").unlink()
    sources.rmdir()
    told = load(project, first, [sources])  # the watcher reports the folder alone
    assert told.sources == ()


def test_a_control_character_in_an_article_is_a_located_error(tmp_path):
    """Typed by accident (most editors show nothing), it would make the article's page invalid
    HTML and its feeds ill-formed XML: refused at its line and column."""
    path = tmp_path / "a.md"
    path.write_bytes(b"---\ntitle: A\n---\nTwo aircraft\nlanded \x08on Saturday.\n")
    problems: list = []
    assert load_module.read_text(path, "content/articles/a.md", problems) is None
    assert [(d.path, d.line, d.col) for d in problems] == [("content/articles/a.md", 5, 8)]
    assert "U+0008" in problems[0].message
