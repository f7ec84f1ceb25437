// The search page, on Pagefind's JavaScript API (the stock UI cannot combine filters with OR).
// - Filters combine OR within a group (kind: Claim or Entity) and AND across groups, and show
//   how many results each value would give with the other groups' choices.
// - A result inside an article links to the passage where the words were found (#p-N), and
//   every result asks the page it opens to highlight the searched words (scholion.js).
// - The query and filters live in the address, so a search can be bookmarked or shared.
// Paths come from this script's own URL, so one build works at / and under any sub-path.

// - Pagefind keeps one index per language (each with its own stemming). The reader's language
//   is searched first; a "Texts in" menu searches another language, or all of them.
// - A large site is indexed in shards (pagefind/shards.json lists them, with the languages each
//   holds): the first shard holding the chosen language is Pagefind's own index, and the other
//   shards holding it are merged into it (mergeIndex), so results and filter counts span them all.

const siteRoot = new URL("../", import.meta.url);
const bundles = new URL("pagefind/", siteRoot);
const pagefind = await import(new URL("pagefind.js", bundles).href);
const shards = (await fetch(new URL("shards.json", bundles)).then((r) => r.json())).shards;
const languages = [...new Set(shards.flatMap((shard) => Object.keys(shard.languages)))].sort();
const readerLanguage = document.documentElement.lang.toLowerCase();
let language = languages.includes(readerLanguage) ? readerLanguage : languages[0];
await useLanguage(language);

async function useLanguage(code) {
  // Pagefind picks its index from <html lang> when it starts: start it anew under the chosen
  // language, then give the page its own language back. A shard without that language is left
  // out: Pagefind would fall back to another language's index.
  const [first, ...others] = shards
    .filter((shard) => code in shard.languages)
    .map((shard) => new URL(shard.path, bundles).pathname);
  const baseUrl = siteRoot.pathname;
  await pagefind.destroy();
  await pagefind.options({ basePath: first, baseUrl });
  const html = document.documentElement;
  const own = html.lang;
  html.lang = code;
  try {
    await pagefind.init();
  } finally {
    html.lang = own;
  }
  await Promise.all(others.map((path) => pagefind.mergeIndex(path, { language: code, baseUrl })));
}

const PAGE = 20;
const GROUP_ORDER = ["kind", "rating", "entity type", "narrative", "publisher", "year"];
const form = document.querySelector(".search-form");
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const filterBox = document.getElementById("search-filters");
const order = JSON.parse(filterBox.dataset.order || "{}"); // value order per group, from the config
const groupNames = JSON.parse(form.dataset.groups || "{}"); // "entity type" -> its name here
// On another language's version of the site (/es/search/), the index is the root version's: its
// filter values are shown in this page's language, and results open in this version (es/…).
const labels = JSON.parse(form.dataset.labels || "{}");
const languagePath = form.dataset.languagePath || "";
const label = (value) => labels[value] || value;
const chosen = new Map(); // group -> Set of values
const counters = new Map(); // group -> Map(value -> count element)
let shown = [];
let requested = 0; // results of `shown` asked for so far: two quick clicks never ask for the same
let generation = 0;

function element(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function filtersExcept(group) {
  const filters = {};
  for (const [name, values] of chosen) {
    if (name !== group && values.size) filters[name] = { any: [...values] };
  }
  return filters;
}

function sortedValues(group, counts) {
  const known = order[group] || [];
  const rank = (value) => (known.includes(label(value)) ? known.indexOf(label(value)) : known.length);
  const values = Object.keys(counts);
  if (group === "year") return values.sort().reverse();
  return values.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

async function drawFilters() {
  const groups = await pagefind.filters();
  const names = Object.keys(groups).sort(
    (a, b) => (GROUP_ORDER.indexOf(a) + 1 || 99) - (GROUP_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b),
  );
  for (const name of names) {
    chosen.set(name, chosen.get(name) || new Set());
    counters.set(name, new Map());
    const legend = element("legend", { textContent: groupNames[name] || name[0].toUpperCase() + name.slice(1) });
    const fieldset = element("fieldset", {}, [legend]);
    for (const value of sortedValues(name, groups[name])) {
      const box = element("input", { type: "checkbox", value, checked: chosen.get(name).has(value) });
      box.addEventListener("change", () => {
        if (box.checked) chosen.get(name).add(value);
        else chosen.get(name).delete(value);
        run();
      });
      const count = element("span", { className: "count", textContent: groups[name][value] });
      counters.get(name).set(value, count);
      fieldset.append(element("label", {}, [box, element("span", { textContent: label(value) }), count]));
    }
    filterBox.append(fieldset);
  }
  filterBox.closest("details").open = window.matchMedia("(min-width: 52em)").matches;
  filterBox.closest("section").hidden = false;
}

async function updateCounts(term, search) {
  for (const [name, values] of counters) {
    let counts = search.filters[name] || {};
    if (chosen.get(name)?.size) {
      const wider = await pagefind.search(term || null, { filters: filtersExcept(name) });
      counts = wider.filters[name] || {};
    }
    for (const [value, count] of values) {
      count.textContent = counts[value] || 0;
      count.parentElement.classList.toggle("is-empty", !counts[value]);
    }
  }
}

function passageOf(data) {
  // The id'd passage (#p-N) that holds the first matched word: Pagefind records every element
  // with an id as an anchor, with its position in words.
  const passages = (data.anchors || []).filter((a) => /^p-\d+$/.test(a.id));
  for (const location of data.locations || []) {
    const before = passages.filter((a) => a.location <= location);
    if (before.length) return before[before.length - 1].id;
  }
  return "";
}

function resultUrl(data, words) {
  const url = new URL(data.url, location.origin);
  if (languagePath && url.pathname.startsWith(siteRoot.pathname)) {
    url.pathname = siteRoot.pathname + languagePath + url.pathname.slice(siteRoot.pathname.length);
  }
  for (const word of words) url.searchParams.append("pagefind-highlight", word);
  const passage = passageOf(data);
  if (passage) url.hash = passage;
  return url.pathname + url.search + url.hash;
}

// The index is the root version's, so its dates are written in the root's language; another
// language's search page writes the date (its ISO form is in the "published" meta) in its own.
const dateFormats = { 10: { dateStyle: "long" }, 7: { year: "numeric", month: "long" }, 4: { year: "numeric" } };

function dateOf(meta) {
  const iso = meta.published || "";
  if (!languagePath || !(iso.length in dateFormats)) return meta.date;
  const [year, month = 1, day = 1] = iso.split("-").map(Number);
  const locale = readerLanguage === "en" ? "en-GB" : readerLanguage || undefined; // as the pages write it
  const format = new Intl.DateTimeFormat(locale, { ...dateFormats[iso.length], timeZone: "UTC" });
  return format.format(new Date(Date.UTC(year, month - 1, day)));
}

function drawResult(data, words) {
  const kind = (data.filters.kind || [""])[0];
  const excerpt = element("p", { className: "result-excerpt" });
  excerpt.innerHTML = data.excerpt; // Pagefind escapes the page text and adds only <mark>
  const meta = [data.meta.rating && label(data.meta.rating), dateOf(data.meta)].filter(Boolean).join(" · ");
  return element("li", {}, [
    element("p", { className: "result-kind", textContent: label(kind) + (meta ? ` · ${meta}` : "") }),
    element("a", { className: "result-title", href: resultUrl(data, words), textContent: data.meta.title || data.url }),
    excerpt,
  ]);
}

let drawing = Promise.resolve(); // pages of results are drawn one after another, in order

function showMore(words, mine) {
  const results = shown;
  const start = requested;
  requested = Math.min(start + PAGE, results.length);
  more.hidden = requested >= results.length;
  const page = Promise.all(results.slice(start, requested).map((r) => r.data()));
  drawing = drawing.catch(() => undefined).then(async () => {
    const data = await page;
    if (mine !== generation || results !== shown) return; // a newer search has begun
    list.append(...data.map((item) => drawResult(item, words)));
  });
  return drawing;
}

function remember(term) {
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  for (const [name, values] of chosen) for (const value of values) params.append("filter", `${name}:${value}`);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

function drawLanguageMenu() {
  if (languages.length < 2) return;
  const names = new Intl.DisplayNames([readerLanguage || "en"], { type: "language" });
  const label = form.dataset.languageLabel || "Texts in";
  const everything = form.dataset.allLanguages || "all languages";
  const select = element("select", { id: "search-language" }, [
    ...languages.map((code) => element("option", { value: code, textContent: names.of(code) || code })),
    element("option", { value: "*", textContent: everything }),
  ]);
  select.value = language;
  select.addEventListener("change", async () => {
    if (select.value !== "*") {
      language = select.value;
      await useLanguage(language);
      filterBox.replaceChildren();
      counters.clear();
      await drawFilters();
    } else {
      language = "*";
    }
    run();
  });
  form.append(element("p", { className: "search-language" }, [
    element("label", { htmlFor: "search-language", textContent: `${label} ` }), select,
  ]));
}

async function runEverywhere(term, filters, mine) {
  // One language after another; a result's data must be read before the next language starts.
  const found = [];
  for (const code of languages) {
    await useLanguage(code);
    const search = await pagefind.search(term || null, { filters });
    if (!search) continue;
    for (const result of search.results.slice(0, PAGE)) {
      found.push({ score: result.score, data: await result.data() });
    }
  }
  if (mine !== generation) return;
  found.sort((a, b) => b.score - a.score);
  const words = term.split(/\s+/).filter(Boolean);
  shown = [];
  requested = 0;
  list.replaceChildren(...found.map((item) => drawResult(item.data, words)));
  more.hidden = true;
  status.textContent = resultCount(found.length);
}

const resultForms = JSON.parse(form.dataset.results || "{}");
const plurals = new Intl.PluralRules(readerLanguage || "en");

function resultCount(count) {
  if (!count) return form.dataset.noResults || "No results. Try fewer words or fewer filters.";
  const text = resultForms[plurals.select(count)] || resultForms.other || "%(num)s results";
  return text.replace("%(num)s", count.toLocaleString(readerLanguage || undefined));
}

async function run() {
  const mine = ++generation;
  more.hidden = true; // until this search's results are in
  const term = input.value.trim();
  const filters = filtersExcept(null);
  remember(term);
  if (language === "*" && (term || Object.keys(filters).length)) {
    await runEverywhere(term, filters, mine);
    return;
  }
  if (!term && !Object.keys(filters).length) {
    list.replaceChildren();
    shown = [];
    requested = 0;
    more.hidden = true;
    status.textContent = "";
    updateCounts(term, { filters: await pagefind.filters() });
    return;
  }
  const search = await pagefind.search(term || null, { filters });
  if (mine !== generation || !search) return;
  shown = search.results;
  requested = 0;
  list.replaceChildren();
  const words = term.split(/\s+/).filter(Boolean);
  await showMore(words, mine);
  if (mine !== generation) return;
  const count = shown.length;
  status.textContent = resultCount(count);
  updateCounts(term, search);
}

const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
for (const pair of params.getAll("filter")) {
  const [name, ...rest] = pair.split(":");
  if (!chosen.has(name)) chosen.set(name, new Set());
  chosen.get(name).add(rest.join(":"));
}
let typing = 0;
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(run, 150);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});
more.addEventListener("click", () => showMore(input.value.trim().split(/\s+/).filter(Boolean), generation));
drawLanguageMenu();
await drawFilters();
if (input.value || params.has("filter")) run();
