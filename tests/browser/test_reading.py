"""Reading an article at any density of annotation, on a wide screen: the margin never stretches
the text, every note is reached in reading order and opens in full, layers switch on and off and
the address keeps them, and a highlight and its note are marked together; without JavaScript a
box of notes that scrolls says so; entity types differ by shape as well as colour; on a phone
the page reads through without every explanation in the way.

Measured on the demo's Lendman article (60 annotations on 662 words) and on a generated article
of about 4,000 words with more than 400 overlapping annotations, some nested four deep
(``tests/browser/dense.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from scholion.pipeline import build
from scholion.project import Project
from tests.browser.conftest import Recorder
from tests.browser.dense import SLUG, dense_corpus
from tests.browser.harness import Server, serve

LENDMAN = "articles/lendman-russia-sends-peacekeeping-troops/"
DENSE = f"articles/{SLUG}/"
MAX_GROWTH = 1.3  # the page with its annotations, over the page with every layer switched off
MAX_GAP = 48  # px between one block of text and the next

METRICS = """() => {
  const text = '.article-body .passage > :not(.passage-link, .former-id)';
  const blocks = [...document.querySelectorAll(text)];
  const boxes = blocks.map((block) => block.getBoundingClientRect());
  let gap = 0;
  for (let i = 1; i < boxes.length; i++) gap = Math.max(gap, boxes[i].top - boxes[i - 1].bottom);
  return {height: document.documentElement.scrollHeight, gap};
}"""


@pytest.fixture(scope="module")
def dense(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = dense_corpus(tmp_path_factory.mktemp("dense") / "corpus")
    build(Project.at(root, root / "_site"), search=False)  # no event loop inside the browser's
    with serve(root / "_site") as running:
        yield running


@pytest.fixture
def dense_page(context, dense) -> Iterator[Page]:
    """A page like ``page`` (it fails on any console error or outside request) for the dense
    corpus, which has a server of its own."""
    recorder = Recorder(dense.origin)
    yield recorder.watch(context.new_page())
    assert recorder.problems == [], "the page misbehaved"


def layers(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        ".layers input[name=layer]", "boxes => boxes.map(b => b.value)"
    )


def metrics(page: Page, url: str) -> dict[str, float]:
    page.goto(url)
    page.wait_for_function("document.querySelector('.article-body.has-margin')")
    return page.evaluate(METRICS)


@pytest.mark.parametrize("where", ["demo", "dense"])
def test_the_margin_never_stretches_the_text(request, server, dense, where):
    page = request.getfixturevalue("page" if where == "demo" else "dense_page")
    url = server.url(LENDMAN) if where == "demo" else dense.url(DENSE)
    annotated = metrics(page, url)
    assert annotated["gap"] <= MAX_GAP
    bare = metrics(page, f"{url}?hide={','.join(layers(page))}")
    assert page.locator("a.ref:visible, .sidenote:visible, mark.hl:not(.is-off)").count() == 0
    growth = annotated["height"] / bare["height"]
    print(f"{where}: {annotated['height']:.0f} px annotated, {bare['height']:.0f} px bare")
    assert growth <= MAX_GROWTH, (annotated, bare)


@pytest.fixture
def without_javascript(browser, server) -> Iterator[Page]:
    """The Lendman article on a wide screen, with JavaScript switched off."""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(server.url(LENDMAN))
    yield page
    context.close()


def test_without_javascript_the_notes_still_sit_beside_the_text_without_gaps(without_javascript):
    page = without_javascript
    assert page.evaluate(METRICS)["gap"] <= MAX_GAP
    expect(page.locator(".sidenote").first).to_be_visible()
    expect(page.locator(".layers input").first).to_be_hidden()  # switches need JavaScript
    expect(page.locator(".layers")).to_contain_text("Claims")  # the legend does not


def test_every_note_of_a_dense_article_is_reached_in_reading_order(dense_page: Page, dense):
    page = dense_page
    page.goto(dense.url(DENSE))
    page.wait_for_function("document.querySelector('.article-body.has-margin')")
    shown = "refs => refs.map(a => +a.lastElementChild.textContent)"  # the visible number
    numbers = page.eval_on_selector_all("a.ref", shown)
    notes = page.eval_on_selector_all(".sidenote", "cards => cards.map(c => c.id)")
    in_text = page.eval_on_selector_all("a.ref", "refs => refs.map(a => a.hash.slice(1))")
    assert len(numbers) >= 400 and numbers == list(range(1, len(numbers) + 1))
    assert notes == in_text
    deepest = page.eval_on_selector_all(
        "mark[data-ann]", "ms => ms.map(m => m.dataset.ann.split(' ').length)"
    )
    assert sum(1 for depth in deepest if depth >= 4) >= 10
    for anchor in notes:
        page.keyboard.press("n")
        assert page.evaluate("location.hash") == f"#{anchor}"
        seen = page.evaluate(
            """(id) => {
              const card = document.getElementById(id);
              const box = card.getBoundingClientRect();
              const x = box.left + 12, y = box.top + 8;
              const inView = box.top >= 0 && box.bottom <= innerHeight;
              const mark = document.querySelector(`mark[data-ann~="${id}"]`);
              return {inView, onTop: card.contains(document.elementFromPoint(x, y)),
                      whole: card.scrollHeight <= card.clientHeight + 1,
                      marked: mark.classList.contains('is-current')};
            }""",
            anchor,
        )
        assert seen == {"inView": True, "onTop": True, "whole": True, "marked": True}, anchor
    page.keyboard.press("p")
    assert page.evaluate("location.hash") == f"#{notes[-2]}"


def test_a_layer_switched_off_hides_exactly_its_marks_and_notes_and_survives_a_reload(page, server):
    page.goto(server.url(LENDMAN))
    counted = """() => {
      const all = (s) => [...document.querySelectorAll(s)];
      const shown = (s) => all(s).filter(e => e.checkVisibility()).length;
      return {claims: shown('.sidenote-claim'), notes: shown('.sidenote-note'),
              sources: shown('.sidenote-citation'), claimRefs: shown('a.ref-claim'),
              noteRefs: shown('a.ref-note'),
              claimOnly: all('mark.hl').filter(m => !m.classList.contains('is-off'))
                .filter(m => m.dataset.ann.split(' ').every(id => id.startsWith('c-'))).length};
    }"""
    before = page.evaluate(counted)
    assert before["claims"] > 10 and before["claimOnly"] > 10
    claims = page.get_by_role("checkbox", name=re.compile(r"^Claims"))
    claims.uncheck()
    after = page.evaluate(counted)
    assert after == {**before, "claims": 0, "claimRefs": 0, "claimOnly": 0}
    assert "hide=claim" in page.url
    page.reload()
    expect(page.get_by_role("checkbox", name=re.compile(r"^Claims"))).not_to_be_checked()
    assert page.evaluate(counted) == after
    page.get_by_role("checkbox", name=re.compile(r"^Claims")).check()
    assert page.evaluate(counted) == before and "hide=" not in page.url


def test_hovering_a_highlight_marks_its_note_and_opens_it(page, server):
    page.goto(server.url(LENDMAN))
    page.wait_for_function("document.querySelector('.article-body.has-margin')")
    folded = page.locator(".sidenote.is-folded").first
    anchor = folded.get_attribute("id")
    page.locator(f"mark[data-ann$='{anchor}']").first.hover()
    card = page.locator(f"[id='{anchor}']")
    expect(card).to_have_class(re.compile(r"\bis-hover\b"))
    assert card.evaluate("c => c.scrollHeight <= c.clientHeight + 1")  # in full, not a line
    expect(page.locator(f"mark[data-ann~='{anchor}'].is-hover").first).to_be_visible()


def test_a_claims_note_says_its_rating_and_why(page, server):
    page.goto(server.url(LENDMAN))
    card = page.locator("[id='c-russian-troops-arrived-in-caracas']")
    expect(card.locator(".rating")).to_have_text("Mostly accurate")
    expect(card.locator(".sidenote-why")).to_contain_text("Confirmed in substance")


def test_a_long_article_lists_its_headings_and_each_passage_links_to_itself(dense_page, dense):
    page = dense_page
    page.goto(dense.url(DENSE))
    contents = page.get_by_role("navigation", name="Contents").get_by_role("link")
    assert contents.count() >= 5
    third = contents.nth(2)
    heading = third.inner_text()
    third.click()
    target = page.locator(":target")
    expect(target.locator("h2")).to_have_text(heading)
    expect(target).to_be_in_viewport()
    target.get_by_role("link", name="Link to this passage").focus()
    expect(target.locator(".passage-link")).to_be_visible()
    assert page.url.endswith(third.get_attribute("href"))


def test_printed_numbers_side_by_side_stay_apart(page, server):
    page.goto(server.url(LENDMAN))
    page.emulate_media(media="print")
    separators = page.eval_on_selector_all(
        "a.ref + a.ref", "refs => refs.map(r => getComputedStyle(r, '::before').content)"
    )
    assert separators and set(separators) == {'","'}


def test_without_javascript_a_box_of_notes_that_scrolls_says_so(without_javascript):
    boxes = without_javascript.locator(".sidenotes")
    overflowing = 0
    for i in range(boxes.count()):
        box = boxes.nth(i)
        more = box.evaluate("b => b.scrollHeight > b.clientHeight + 1")
        cue = box.locator(".sidenotes-more")
        if more:
            overflowing += 1
            expect(cue).to_be_visible()
            expect(cue).to_have_text("More notes below: scroll")
            box.evaluate("b => { b.scrollTop = b.scrollHeight; }")
            expect(cue).to_be_hidden()  # at the foot of the box, nothing more to say
        else:
            expect(cue).to_be_hidden()
    assert overflowing


def test_with_javascript_the_cue_never_shows(page, server):
    page.goto(server.url(LENDMAN))
    page.wait_for_function("document.querySelector('.article-body.has-margin')")
    expect(page.locator(".sidenotes-more:visible")).to_have_count(0)


SHAPES = """() => {
  const shape = (e) => getComputedStyle(e, '::before').content;
  const inText = {};
  for (const a of document.querySelectorAll('a.mention')) {
    const type = [...a.classList].find((c) => c.startsWith('mention-type-')).slice(13);
    (inText[type] ||= new Set()).add(shape(a));
  }
  const legend = {};
  for (const input of document.querySelectorAll('.layers input[value^="mention-"]')) {
    legend[input.value.slice(8)] = shape(input.parentElement.querySelector('.key'));
  }
  return {inText: Object.fromEntries(Object.entries(inText).map(([t, s]) => [t, [...s]])), legend};
}"""


def test_entity_types_differ_by_shape_as_well_as_colour_and_the_legend_shows_it(page, server):
    page.goto(server.url(LENDMAN))
    found = page.evaluate(SHAPES)
    in_text, legend = found["inText"], found["legend"]
    assert len(in_text) >= 4
    assert all(len(shapes) == 1 for shapes in in_text.values())  # one shape a type
    shapes = {t: s[0] for t, s in in_text.items()}
    assert len(set(shapes.values())) == len(shapes)  # no two types alike
    assert all(shape not in ("none", "normal", "") for shape in shapes.values())
    assert {t: legend[t] for t in shapes} == shapes  # the legend shows the same
    page.locator(".layers input[value='mention-place']").uncheck()
    mention = page.locator("a.mention.mention-type-place").first
    assert mention.evaluate("a => getComputedStyle(a, '::before').content") == "none"


PHONE_HEIGHT = 21_573
"""The Lendman page's height at 390 px before issue 20's redesign (it had grown to 32,199 px
with each claim's explanation in the list after the text)."""


def test_on_a_phone_the_page_reads_through_without_every_explanation_in_the_way(narrow, server):
    phone = narrow
    phone.goto(server.url(LENDMAN))
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height <= PHONE_HEIGHT, height
    why = phone.locator(".annotation-why").first
    expect(why.locator(".annotation-text")).to_be_hidden()
    why.locator("summary").click()
    expect(why.locator(".annotation-text")).to_be_visible()
    facts = phone.locator(".facts")
    expect(facts.locator("dt").first).to_have_css("position", "absolute")  # still read aloud
    publisher, published = facts.locator("dd").nth(0), facts.locator("dd").nth(2)
    assert publisher.bounding_box()["y"] == published.bounding_box()["y"]  # one run of text
    closed = phone.locator(".annotation-why:not([open])").first
    phone.emulate_media(media="print")
    expect(closed.locator(".annotation-text")).to_be_visible()  # on paper, every explanation
