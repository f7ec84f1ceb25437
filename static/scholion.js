// Small enhancements; every page works without them (the site needs no JavaScript to read).
// - On a wide screen, each sidenote moves down beside the line its number is on.
// - The highlight of the annotation in the address (#c-…, #hl-c-…) is marked as current, and a
//   click on highlighted text opens its annotation.
// - Arriving from search (?pagefind-highlight=word), the searched words are highlighted with
//   Pagefind's own highlighter, loaded from the search bundle beside this script.

const wide = window.matchMedia("(min-width: 64em)");

function alignSidenotes() {
  for (const list of document.querySelectorAll(".passage > .sidenotes")) {
    const cards = [...list.children];
    for (const card of cards) card.style.marginTop = "";
    if (!wide.matches) continue;
    for (const card of cards) {
      const ref = document.getElementById(`ref-${card.id}`);
      if (!ref) continue;
      const gap = ref.getBoundingClientRect().top - card.getBoundingClientRect().top - 2;
      if (gap > 0) card.style.marginTop = `${gap}px`;
    }
  }
}

function markCurrent() {
  for (const old of document.querySelectorAll("mark.is-current")) old.classList.remove("is-current");
  const id = decodeURIComponent(location.hash.slice(1)).replace(/^hl-/, "");
  if (!/^[csn]-[\w-]+$/.test(id)) return;
  for (const mark of document.querySelectorAll("mark[data-ann]")) {
    if (mark.dataset.ann.split(" ").includes(id)) mark.classList.add("is-current");
  }
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

function openClickedHighlight(event) {
  // A click on highlighted text (not on a link in it, not ending a selection) opens the
  // innermost annotation there, as its number would; keyboard users have the number itself.
  const mark = event.target.closest?.("mark.hl");
  if (!mark || event.target.closest("a") || String(window.getSelection())) return;
  location.hash = mark.dataset.ann.split(" ").at(-1);
}

let pending = 0;
function alignSoon() {
  cancelAnimationFrame(pending);
  pending = requestAnimationFrame(alignSidenotes);
}

if (document.querySelector(".sidenotes")) {
  alignSidenotes();
  wide.addEventListener("change", alignSoon);
  window.addEventListener("resize", alignSoon);
  document.fonts?.ready.then(alignSoon);
}
markCurrent();
window.addEventListener("hashchange", markCurrent);
document.addEventListener("click", openClickedHighlight);
highlightSearchWords();
