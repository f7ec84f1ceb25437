"""``build.py import FILE.docx``: a Word document read as untrusted input, into an article.

The DOCX files are written here, member by member, as Word lays them out (a zip of XML parts),
so a test can make exactly the hostile file it needs."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest

from scholion.commands import docx_reader
from scholion.commands.docx_reader import read_docx
from scholion.commands.importer import ImportRules, import_article
from scholion.diagnostics import SiteError
from scholion.project import Project
from tests.helpers import check, run_build_py, write_corpus

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{PACKAGE_RELS}">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/></w:style>
</w:styles>"""
NUMBERING = f"""<?xml version="1.0" encoding="UTF-8"?>
<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"""
DOCUMENT_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def run(text: str, *, bold: bool = False, italic: bool = False) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*runs: str, style: str = "", numbered: int = 0) -> str:
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if numbered:
        props += f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{numbered}"/></w:numPr>'
    return f"<w:p><w:pPr>{props}</w:pPr>{''.join(runs)}</w:p>"


def link(rel: str, text: str) -> str:
    return f'<w:hyperlink r:id="{rel}">{run(text)}</w:hyperlink>'


def image(rel: str, *, linked: bool = False) -> str:
    blip = f'<a:blip r:{"link" if linked else "embed"}="{rel}"/>'
    return (
        '<w:r><w:drawing><wp:inline><wp:docPr id="1" name="Picture" descr="A photo"/>'
        "<a:graphic><a:graphicData><pic:pic><pic:blipFill>"
        f"{blip}</pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline>"
        "</w:drawing></w:r>"
    )


def relationship(rel: str, target: str) -> str:
    """An image relationship for a .png target, else a hyperlink; external when absolute."""
    kind = "image" if target.endswith(".png") else "hyperlink"
    mode = ' TargetMode="External"' if "://" in target or ":" in target.split("/")[0] else ""
    return (
        f'<Relationship Id="{rel}" Type="{DOCUMENT_TYPES}/{kind}" '
        f"Target={quoteattr(target)}{mode}/>"
    )


def write_docx(
    path: Path,
    paragraphs: list[str],
    *,
    links: dict[str, str] | None = None,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A DOCX file: ``paragraphs`` (from :func:`para`) as its body, ``links`` as its
    relationships (id → target; an http(s) or file target is external), ``extra`` members."""
    relationships = "".join(relationship(rel, target) for rel, target in (links or {}).items())
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<w:document xmlns:w="{W}" xmlns:r="{R}" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f"<w:body>{''.join(paragraphs)}</w:body></w:document>"
    )
    members = {
        "[Content_Types].xml": CONTENT_TYPES.encode(),
        "_rels/.rels": ROOT_RELS.encode(),
        "word/document.xml": document.encode(),
        "word/styles.xml": STYLES.encode(),
        "word/numbering.xml": NUMBERING.encode(),
        "word/_rels/document.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rStyles" Type="{DOCUMENT_TYPES}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rNum" Type="{DOCUMENT_TYPES}/numbering" Target="numbering.xml"/>'
            f"{relationships}</Relationships>"
        ).encode(),
        **(extra or {}),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


ARTICLE = [
    para(run("Russian planes land in Caracas"), style="Title"),
    para(run("By Jane Roe")),
    para(run("Two aircraft landed on "), run("Saturday", italic=True), run(", officials said.")),
    para(run("Share this article on Facebook")),
    para(run("What the flight tracker showed"), style="Heading1"),
    para(
        run("An "),
        run("Il-62", bold=True),
        run(" and an An-124, according to "),
        link("rLink", "the tracker"),
        run(" and "),
        link("rScript", "a script"),
        run("."),
    ),
    para(run("first point"), style="ListParagraph", numbered=1),
    para(run("second point"), style="ListParagraph", numbered=1),
    para(run("step one"), style="ListParagraph", numbered=2),
    para(
        run(
            "<script>alert(1)</script> stays text, as do [links](javascript:alert(2)) and *stars*."
        ),
        image("rImage"),
    ),
    para(run("Follow us on Telegram")),
]
ARTICLE_LINKS = {
    "rLink": "https://flights.example.org/track?id=1&day=2",
    "rScript": "javascript:alert(document.cookie)",
    "rImage": "media/image1.png",
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_docx_article_becomes_markdown_with_its_structure_and_no_furniture(tmp_path):
    write_corpus(tmp_path, {})
    docx = write_docx(
        tmp_path / "article.docx",
        ARTICLE,
        links=ARTICLE_LINKS,
        extra={"word/media/image1.png": PNG, "word/embeddings/sheet1.xlsx": b"PK\x05\x06"},
    )
    result = import_article(Project.at(tmp_path), docx, rights="For research.")
    body = result.text.split("---\n", 2)[2]
    assert body == (
        "\nTwo aircraft landed on *Saturday*, officials said.\n\n"
        "## What the flight tracker showed\n\n"
        "An **Il-62** and an An-124, according to "
        "[the tracker](https://flights.example.org/track?id=1&day=2) and a script.\n\n"
        "* first point\n* second point\n\n"
        "1. step one\n\n"
        "&lt;script&gt;alert(1)&lt;/script&gt; stays text, as do "
        "\\[links\\](javascript:alert(2)) and \\*stars\\*.\n"
    )
    assert 'title: "Russian planes land in Caracas"' in result.text
    assert '  - {name: "Jane Roe"}' in result.text
    assert result.removed == [
        "'Share this article on Facebook'",
        "'Follow us on Telegram'",
        "'By Jane Roe' (taken as the author)",
    ]
    assert result.notes == [
        "1 image left out (the article is text only)",
        "1 embedded object left out (spreadsheets, charts, controls)",
        "1 link to no http(s) address left out (the text kept)",
    ]


def test_script_like_text_in_a_docx_stays_text_on_the_page(tmp_path):
    """What the hostile paragraph becomes once the article is built: text, never markup."""
    from scholion.text.markup import render_markdown

    docx = write_docx(tmp_path / "a.docx", ARTICLE, links=ARTICLE_LINKS)
    result = import_article(Project.at(write_corpus(tmp_path, {})), docx)
    html = render_markdown(result.text.split("---\n", 2)[2])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; stays text" in html
    assert "[links](javascript:alert(2)) and *stars*." in html
    assert "<a" not in html.split("stays text")[1]


def test_a_docx_import_writes_an_article_that_passes_check(tmp_path):
    write_corpus(
        tmp_path,
        {"content/entities/daily.yaml": "type: media\nname: Daily\ndescription: A paper.\n"},
    )
    docx = write_docx(tmp_path / "raw.docx", ARTICLE, links=ARTICLE_LINKS)
    run = run_build_py(
        "--root",
        str(tmp_path),
        "import",
        str(docx),
        "--publisher",
        "daily",
        "--rights",
        "For research.",
    )
    assert run.returncode == 0, run.stderr
    assert "created content/articles/russian-planes-land-in-caracas.md" in run.stdout
    assert "removed: 'Share this article on Facebook'" in run.stderr
    assert "fill in: date" in run.stderr
    assert check(tmp_path) == [
        "content/articles/russian-planes-land-in-caracas.md:4:7: error: 'date' value '' is not "
        "in the expected form\n  hint: A date as YYYY-MM-DD (or YYYY-MM, or YYYY)."
    ]


def test_a_linked_image_is_never_read(tmp_path, monkeypatch):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    docx = write_docx(
        tmp_path / "a.docx",
        [para(run("Text."), image("rOut", linked=True))],
        links={"rOut": secret.as_uri()},
    )
    opened: list[str] = []
    real_open = Path.open

    def watch(self, *args, **kwargs):
        opened.append(str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", watch)
    document = read_docx(docx)
    assert "Text." in document.html
    assert document.images == 1
    assert str(secret) not in opened


def test_an_external_entity_in_the_xml_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret", encoding="utf-8")
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document '
        f'[<!ENTITY e SYSTEM {quoteattr(secret.as_uri())}>]><w:document xmlns:w="{W}">'
        "<w:body><w:p><w:r><w:t>before &e; after</w:t></w:r></w:p></w:body></w:document>"
    )
    docx = write_docx(tmp_path / "xxe.docx", [], extra={"word/document.xml": document.encode()})
    assert read_docx(docx).html == "<p>before  after</p>"


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    docx = write_docx(
        tmp_path / "bomb.docx",
        [para(run("Text."))],
        extra={"word/footer1.xml": b" " * (docx_reader.MAX_XML_BYTES + 1)},
    )
    assert docx.stat().st_size < 100_000  # small on disk, huge once inflated
    with pytest.raises(SiteError, match=r"would unpack to 20,00\d,\d{3} bytes"):
        read_docx(docx)


def test_a_huge_docx_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_DOCX_BYTES", 1_000)
    docx = write_docx(tmp_path / "big.docx", [para(run("x" * 5_000))])
    with pytest.raises(SiteError, match=r"the file is too large \(\d[\d,]* bytes; the limit"):
        read_docx(docx)


def test_an_archive_of_too_many_members_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_MEMBERS", 10)
    extra = {f"word/part{i}.xml": b"<x/>" for i in range(10)}
    docx = write_docx(tmp_path / "many.docx", [para(run("x"))], extra=extra)
    with pytest.raises(SiteError, match="the archive has 16 members"):
        read_docx(docx)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"plain text, not a zip", "BadZipFile"),
        (None, "Could not find main document part"),  # a zip without word/document.xml
    ],
)
def test_a_file_that_is_not_a_docx_is_reported_without_a_traceback(tmp_path, content, reason):
    path = tmp_path / "fake.docx"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
    else:
        path.write_bytes(content)
    write_corpus(tmp_path, {})
    run = run_build_py("--root", str(tmp_path), "import", str(path))
    assert run.returncode != 0
    assert "fake.docx: not a readable DOCX file (" in run.stderr
    assert reason in run.stderr
    assert "Traceback" not in run.stderr


def test_the_rules_apply_to_a_docx_as_to_a_page(tmp_path):
    rules = ImportRules.with_extra({"drop_lines": ["^Advertisement$"]})
    docx = write_docx(
        tmp_path / "a.docx", [para(run("Title")), para(run("Advertisement")), para(run("Body."))]
    )
    from scholion.commands.importer import import_fragment

    imported = import_fragment(read_docx(docx).html, rules)
    assert (imported.title, imported.paragraphs) == ("Title", ["Body."])
    assert imported.removed == ["'Advertisement'", "'Title' (taken as the title)"]
