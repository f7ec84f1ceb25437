// Small enhancements; every page works without them (the site needs no JavaScript to read).
// - Layers: the legend's entries become switches; what is switched off is hidden in the text,
//   the margin and the list after the text, and kept in the address (?hide=claim,mention-person) so a
//   link shares the view and a reload keeps it.
// - On a wide screen, each note moves down beside the line its number is on; where the notes of
//   a stretch of text do not fit beside it in full, they fold to a line each, and the current,
//   hovered or focused one opens in full.
// - The annotation in the address (#c-…, #hl-c-…) and its highlight are marked as current;
//   hovering a highlight marks its note and the other way round; a click on highlighted text
//   opens its annotation; n/p (or j/k) step to the next or previous annotation shown.
// - Arriving from search (?pagefind-highlight=word), the searched words are highlighted with
//   Pagefind's own highlighter, loaded from the search bundle beside this script.

const wide = window.matchMedia("(min-width: 64em)");
const HIDE = "hide";
const SLACK = 48;
const cards = [...document.querySelectorAll(".sidenote[data-layer]")];
const layerOf = new Map(cards.map((card) => [card.id, card.dataset.layer]));
const marks = [...document.querySelectorAll("mark[data-ann]")];

// Layers ------------------------------------------------------------------------------------

function hiddenLayers() {
  const value = new URLSearchParams(location.search).get(HIDE) || "";
  return new Set(value.split(",").filter(Boolean));
}

function applyLayers(hidden) {
  const off = (id) => hidden.has(layerOf.get(id));
  for (const card of cards) card.classList.toggle("is-off", hidden.has(card.dataset.layer));
  for (const item of document.querySelectorAll(".annotation[data-layer]")) {
    item.classList.toggle("is-off", hidden.has(item.dataset.layer));
  }
  for (const ref of document.querySelectorAll("a.ref")) ref.classList.toggle("is-off", off(ref.hash.slice(1)));
  for (const mark of marks) {
    const shown = mark.dataset.ann.split(" ").filter((id) => !off(id));
    const kinds = new Set(shown.map((id) => (layerOf.get(id) || "").split("-")[0]));
    mark.classList.toggle("is-off", shown.length === 0);
    mark.classList.toggle("hl-multi", shown.length > 1);
    for (const kind of ["claim", "note", "citation"]) mark.classList.toggle(`hl-${kind}`, kinds.has(kind));
  }
  for (const link of document.querySelectorAll("a.mention")) {
    const type = link.className.match(/\bmention-type-(\S+)/)?.[1];
    link.classList.toggle("is-off", hidden.has(`mention-${type}`));
  }
  for (const box of document.querySelectorAll(".layers input[name=layer]")) box.checked = !hidden.has(box.value);
}

function switchLayer(event) {
  const box = event.target;
  if (box.name !== "layer") return;
  const hidden = hiddenLayers();
  if (box.checked) hidden.delete(box.value);
  else hidden.add(box.value);
  const url = new URL(location.href);
  if (hidden.size) url.searchParams.set(HIDE, [...hidden].sort().join(","));
  else url.searchParams.delete(HIDE);
  history.replaceState(history.state, "", url);
  applyLayers(hidden);
  layOutSoon();
}

function enableLayers() {
  const legend = document.querySelector(".layers");
  if (!legend) return;
  for (const hidden of legend.querySelectorAll("[hidden]")) hidden.hidden = false;
  legend.addEventListener("change", switchLayer);
  applyLayers(hiddenLayers());
}

// The margin --------------------------------------------------------------------------------

function positions(wanted, full, folded, gap, room) {
  // Tufte's margin: each note at its number's line, below the one before it, in full where
  // that leaves the next note its own line, else folded to a line. Then, from the last, notes
  // are pulled up as far as needed to end within the text (as the Hypothesis sidebar does).
  // A note in full may push the next one down by SLACK pixels, about a line and a half of text.
  const heights = [];
  let y = 0;
  const at = wanted.map((want, i) => {
    const top = Math.max(y, want);
    const next = i + 1 < wanted.length ? wanted[i + 1] : room;
    const fits = top + full[i] + gap <= Math.max(next + SLACK, top + folded[i] + gap);
    heights[i] = fits ? full[i] : folded[i];
    y = top + heights[i] + gap;
    return top;
  });
  let limit = room;
  for (let i = at.length - 1; i >= 0; i--) {
    at[i] = Math.max(0, Math.min(at[i], limit - heights[i]));
    limit = at[i] - gap;
  }
  return { at, heights };
}

function layOut() {
  // With JavaScript, the margin is one column beside the whole text: a passage's notes may
  // run on beside the passages after it, and none ever makes the text taller.
  const body = document.querySelector(".article-body");
  if (!body) return;
  for (const card of cards) {
    card.style.top = "";
    card.classList.remove("is-folded");
  }
  body.classList.toggle("has-margin", wide.matches);
  if (!wide.matches) return revealCurrent();
  const shown = cards.filter((card) => !card.classList.contains("is-off"));
  const origin = body.getBoundingClientRect().top;
  const full = shown.map((card) => card.offsetHeight);
  for (const card of shown) card.classList.add("is-folded");
  const folded = shown.map((card) => card.offsetHeight);
  const gap = shown.length ? parseFloat(getComputedStyle(shown[0]).marginBottom) : 0;
  const wanted = shown.map((card) => {
    const ref = document.getElementById(`ref-${card.id}`);
    return ref ? ref.getBoundingClientRect().top - origin - 2 : 0;
  });
  const listTop = new Map();
  for (const card of shown) {
    const list = card.parentElement;
    if (!listTop.has(list)) listTop.set(list, list.getBoundingClientRect().top - origin);
  }
  const { at, heights } = positions(wanted, full, folded, gap, body.offsetHeight);
  shown.forEach((card, i) => {
    card.classList.toggle("is-folded", heights[i] < full[i]);
    card.style.top = `${at[i] - listTop.get(card.parentElement)}px`;
  });
  revealCurrent();
}

let pending = 0;
function layOutSoon() {
  cancelAnimationFrame(pending);
  pending = requestAnimationFrame(layOut);
}

function revealInMargin(card) {
  // Scrolls the card's stretch of margin (not the page) so the card shows in full.
  const list = card?.parentElement;
  if (!list || !wide.matches || list.scrollHeight <= list.clientHeight) return;
  const top = card.offsetTop;
  const bottom = top + card.offsetHeight;
  if (top < list.scrollTop) list.scrollTop = top;
  else if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = Math.min(top, bottom - list.clientHeight);
}

// The current and hovered annotation --------------------------------------------------------

function followFormerId() {
  // A link made with an id of an earlier version lands on its empty alias (which works without
  // this script); move the target to the element it now names, so it is marked as current.
  const alias = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (alias?.classList.contains("former-id")) location.replace(`#${alias.dataset.id}`);
}

function currentId() {
  const id = decodeURIComponent(location.hash.slice(1)).replace(/^hl-/, "");
  return layerOf.has(id) ? id : "";
}

function mark(id, state) {
  for (const old of document.querySelectorAll(`.${state}`)) old.classList.remove(state);
  if (!id) return;
  for (const piece of marks) {
    if (piece.dataset.ann.split(" ").includes(id)) piece.classList.add(state);
  }
  document.getElementById(id)?.classList.add(state);
  document.getElementById(`ref-${id}`)?.classList.add(state);
}

function revealCurrent() {
  const id = currentId();
  mark(id, "is-current");
  if (id) revealInMargin(document.getElementById(id));
}

function hover(event) {
  const piece = event.target.closest?.("mark[data-ann], a.ref, .sidenote[data-layer]");
  let id = "";
  if (piece?.matches("mark")) id = visibleIds(piece).at(-1) || "";
  else if (piece?.matches("a.ref")) id = piece.hash.slice(1);
  else if (piece) id = piece.id;
  if (document.querySelector(".sidenote.is-hover")?.id === id) return;
  mark(id, "is-hover");
  if (id && !piece.matches(".sidenote")) revealInMargin(document.getElementById(id));
}

function visibleIds(piece) {
  return piece.dataset.ann.split(" ").filter((id) => !document.getElementById(id)?.classList.contains("is-off"));
}

function openClickedHighlight(event) {
  // A click on highlighted text (not on a link in it, not ending a selection) opens the
  // innermost annotation shown there, as its number would; keyboard users have the number.
  const piece = event.target.closest?.("mark.hl");
  if (!piece || event.target.closest("a") || String(window.getSelection())) return;
  const id = visibleIds(piece).at(-1);
  if (id) location.hash = id;
}

// n / p: the next or previous annotation shown ---------------------------------------------

function step(forward) {
  const shown = cards.filter((card) => !card.classList.contains("is-off"));
  if (!shown.length) return;
  const now = shown.findIndex((card) => card.id === currentId());
  let next;
  if (now >= 0) next = shown[now + (forward ? 1 : -1)];
  else {
    // From where the reader is: the first number below the top of the window, or above it.
    const below = shown.findIndex((card) => document.getElementById(`ref-${card.id}`)?.getBoundingClientRect().top > 0);
    next = forward ? shown[below < 0 ? shown.length - 1 : below] : shown[(below < 0 ? shown.length : below) - 1];
  }
  if (!next) return;
  location.hash = next.id;
  revealCurrent();
}

function keys(event) {
  if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
  if (event.target.closest?.("input, textarea, select, [contenteditable]")) return;
  const forward = { n: true, j: true, p: false, k: false }[event.key];
  if (forward === undefined) return;
  event.preventDefault();
  step(forward);
}

async function highlightSearchWords() {
  const params = new URLSearchParams(location.search);
  if (!params.has("pagefind-highlight")) return;
  const bundle = new URL("../pagefind/pagefind-highlight.js", import.meta.url);
  const { default: PagefindHighlight } = await import(bundle.href);
  new PagefindHighlight({ highlightParam: "pagefind-highlight", addStyles: false });
  const first = document.querySelector("mark.pagefind-highlight");
  if (first && !location.hash) first.scrollIntoView({ block: "center" });
}

if (cards.length || document.querySelector(".layers")) {
  enableLayers();
  layOut();
  wide.addEventListener("change", layOutSoon);
  window.addEventListener("resize", layOutSoon);
  document.fonts?.ready.then(layOutSoon);
  document.addEventListener("keydown", keys);
  document.addEventListener("mouseover", hover);
}
// On paper every explanation shows (browsers without ::details-content keep closed ones shut).
window.addEventListener("beforeprint", () => {
  for (const why of document.querySelectorAll("details.annotation-why")) why.open = true;
});
followFormerId();
revealCurrent();
window.addEventListener("hashchange", () => {
  followFormerId();
  revealCurrent();
});
document.addEventListener("click", openClickedHighlight);
highlightSearchWords();
