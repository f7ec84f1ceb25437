"""Hostile YAML and hostile bytes: each fails with one located error, or loads as plain text.

Nothing in a content file can construct an object, run code, exhaust memory, crash the
interpreter or smuggle a value past the schema as something other than what was typed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scholion.diagnostics import ContentError
from scholion.load import MAX_FILE_BYTES
from scholion.pipeline import build
from scholion.project import Project
from tests.helpers import REPO, check

ENTITY = "content/entities/caracas.yaml"
VALID = "type: place\nname: Caracas\ndescription: The capital.\n"


def test_python_tags_construct_nothing(corpus, tmp_path):
    marker = tmp_path / "pwned"
    root = corpus(
        {
            ENTITY: VALID
            + f"aliases: [!!python/object/apply:os.system ['touch {marker}']]\n"
            + "links: !!python/name:os.system\n"
        }
    )
    assert check(root) == [
        "content/entities/caracas.yaml:4:11: error: unsupported YAML tag "
        "'!!python/object/apply:os.system'\n"
        "  hint: content files hold plain data: remove the tag (write the value as text)"
    ]
    assert not marker.exists()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!python/object:os.system {}", "!!python/object:os.system"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!local text", "!local"),
        ("!<tag:example.com,2000:x> text", "tag:example.com,2000:x"),
    ],
)
def test_every_non_standard_tag_is_refused_as_written(corpus, value, shown):
    root = corpus({ENTITY: VALID + f"wikidata: {value}\n"})
    assert check(root) == [
        f"content/entities/caracas.yaml:4:11: error: unsupported YAML tag '{shown}'\n"
        "  hint: content files hold plain data: remove the tag (write the value as text)"
    ]


def test_a_duplicate_key_names_both_lines(corpus):
    root = corpus({ENTITY: VALID + "name: Karakas\n"})
    assert check(root) == [
        "content/entities/caracas.yaml:4:1: error: duplicate key 'name' (first defined at "
        "line 2, column 1)\n"
        "  hint: a key may appear only once in a mapping: merge the two or delete one"
    ]


BILLION_LAUGHS = "\n".join(
    [
        "type: place",
        "name: Caracas",
        "description: The capital.",
        'lol0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)),
        "aliases: *a9",
        "",
    ]
)
"""Ten lines that would expand to 9**10 (3.5 billion) strings."""


def test_a_billion_laughs_fails_at_the_alias_that_crosses_the_limit(corpus):
    root = corpus({ENTITY: BILLION_LAUGHS})
    assert check(root) == [
        "content/entities/caracas.yaml:9:12: error: the aliases expand the document to more "
        "than 100,000 values (*a4 alone stands for 66,430)\n"
        "  hint: an alias (*name) repeats everything under its anchor (&name): "
        "write the values out or remove the nested aliases"
    ]


def test_a_billion_laughs_needs_little_memory(tmp_path):
    """Measured in a fresh interpreter: the peak resident size the parse adds."""
    (tmp_path / "bomb.yaml").write_text(BILLION_LAUGHS)
    probe = textwrap.dedent(
        """\
        import resource, sys
        from scholion.load.yamlsource import parse_yaml
        text = open(sys.argv[1]).read()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        located, problems = parse_yaml(text, "bomb.yaml")
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(located is None, len(problems), (after - before) // 1024)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "bomb.yaml")],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=120,
    )
    refused, count, megabytes = result.stdout.split()
    assert (refused, count) == ("True", "1")
    assert int(megabytes) < 64


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("[" * 200_000 + "]" * 200_000, 1, 101),
        ("- " * 200_000 + "x", 1, 201),
        ("a: " + "{b: " * 150 + "c" + "}" * 150, 1, 400),
    ],
)
def test_deep_nesting_is_refused_before_it_can_crash_the_parser(tmp_path, text, line, col):
    """libyaml's composer crashes the interpreter on ~30,000 levels: run in a child process so
    a regression shows as a failed test, not a dead test run."""
    (tmp_path / "deep.yaml").write_text(text)
    probe = (
        "import sys\nfrom scholion.load.yamlsource import parse_yaml\n"
        "_, problems = parse_yaml(open(sys.argv[1]).read(), 'deep.yaml')\n"
        "print('\\n'.join(p.format_text() for p in problems))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "deep.yaml")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == (
        f"deep.yaml:{line}:{col}: error: the YAML is nested more than 100 levels deep\n"
        "  hint: content files need a few levels: look for an unclosed [ or { or a run of "
        "'- - -'\n"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"\xef\xbb\xbf" + VALID.encode(),
            "1:1: error: file starts with a byte-order mark (BOM)\n"
            "  hint: save the file as UTF-8 without BOM",
        ),
        (
            b"type: place\nname: Caf\xc3\n",
            "2:10: error: invalid UTF-8 (byte 0xc3)\n  hint: save the file with UTF-8 encoding",
        ),
        (
            b"type: place\nname: Cara\x00cas\n",
            "2:11: error: the character U+0000 cannot appear on a page or in a feed\n"
            "  hint: delete it (most editors do not show it)",
        ),
        (
            "type: place\nname: Caf\u00e9 \u00e0 Caracas\x07\n".encode(),
            "2:21: error: the character U+0007 cannot appear on a page or in a feed\n"
            "  hint: delete it (most editors do not show it)",
        ),
        (
            b"type: place\nname: Caracas\naliases:\n\t- Karakas\n",
            "4:1: error: YAML syntax error: found character that cannot start any token\n"
            "  hint: YAML does not allow tabs for indentation: indent with spaces",
        ),
        (
            VALID.encode() + b"---\ntype: person\n",
            "4:1: error: YAML syntax error: but found another document (expected a single "
            "document in the stream that starts at line 1, column 1)\n"
            "  hint: a content file holds one YAML document: remove this line",
        ),
        (
            VALID.encode() + b"aliases: *nowhere\n",
            "4:10: error: YAML syntax error: found undefined alias\n"
            "  hint: check the indentation and quoting on this line and the one before it",
        ),
        (
            VALID.encode() + b"<<: {type: person}\n",
            "4:1: error: YAML merge keys (<<) are not supported\n"
            "  hint: write the keys out in full",
        ),
    ],
    ids=["bom", "utf-8", "nul", "bell-after-accents", "tab", "two-documents", "alias", "merge"],
)
def test_unreadable_bytes_and_yaml_are_located(corpus, content, expected):
    root = corpus({ENTITY: content})
    assert check(root) == [f"{ENTITY}:{expected}"]


def test_the_size_limit_is_real(corpus):
    big = VALID + "description2: " + "x" * MAX_FILE_BYTES + "\n"
    root = corpus({ENTITY: big})
    assert check(root) == [
        f"{ENTITY}:1:1: error: file is too large ({len(big):,} bytes; the limit is 2,000,000)\n"
        "  hint: split it into several files"
    ]


@pytest.mark.parametrize(
    ("typed", "read_as", "reads"),
    [
        ("no", "false", "unquoted yes, no, on, off, true and false as true or false"),
        ("off", "false", "unquoted yes, no, on, off, true and false as true or false"),
        ("Yes", "true", "unquoted yes, no, on, off, true and false as true or false"),
        ("0123", "the number 83", "unquoted digits as a number"),
        ("0x1F", "the number 31", "unquoted digits as a number"),
        ("1_000", "the number 1000", "unquoted digits as a number"),
        ("12:30", "the number 750", "unquoted digits as a number"),
        ("1.10", "the number 1.1", "unquoted digits as a number"),
        ("~", "null", "an empty value or ~ as null"),
    ],
)
def test_yaml_1_1_surprises_say_to_quote_exactly_what_was_typed(corpus, typed, read_as, reads):
    root = corpus({"content/sources/report.yaml": f"title: {typed}\nkind: wire\n"})
    assert check(root) == [
        f"content/sources/report.yaml:1:8: error: 'title' must be text, but YAML read {typed} "
        f"as {read_as}\n"
        f"  hint: YAML reads {reads}: write {json.dumps(typed)} instead of {typed}"
    ]


def test_a_date_stays_the_text_that_was_typed(corpus):
    root = corpus({"content/sources/report.yaml": "title: 2019-03-25\nkind: wire\n"})
    assert check(root) == []


def test_an_enum_value_read_as_false_is_shown_as_typed(corpus):
    root = corpus(
        {
            "content/entities/caracas.yaml": "type: no\nname: Caracas\ndescription: x.\n",
        }
    )
    [diagnostic] = check(root)
    assert diagnostic.startswith(
        "content/entities/caracas.yaml:1:7: error: 'type' must be text, but YAML read no as false"
    )


def test_hostile_yaml_never_reaches_a_build(corpus):
    """The checks above stop the pipeline: nothing is rendered from a refused file."""
    root = corpus({ENTITY: BILLION_LAUGHS})
    with pytest.raises(ContentError):
        build(Project.at(root, Path(root) / "_site"), search=False)
    assert not (Path(root) / "_site").exists()
