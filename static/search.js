// Search page: Pagefind's JavaScript API, with filters that combine OR within a group and AND
// across groups (the stock Pagefind UI cannot do OR). Paths are computed from this script's own
// URL, so the same build works at / and under any sub-path.
const siteRoot = new URL("../", import.meta.url);
const pagefind = await import(new URL("pagefind/pagefind.js", siteRoot).href);
await pagefind.options({ baseUrl: siteRoot.pathname });

const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const filterBox = document.getElementById("search-filters");
const chosen = {};

function element(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

async function drawFilters() {
  const groups = await pagefind.filters();
  for (const name of Object.keys(groups).sort()) {
    const fieldset = element("fieldset", {}, [element("legend", { textContent: name[0].toUpperCase() + name.slice(1) })]);
    for (const [value, count] of Object.entries(groups[name]).sort()) {
      const box = element("input", { type: "checkbox", value });
      box.addEventListener("change", () => {
        chosen[name] = [...fieldset.querySelectorAll("input:checked")].map((b) => b.value);
        run();
      });
      fieldset.append(element("label", {}, [box, ` ${value} (${count})`]), element("br"));
    }
    filterBox.append(fieldset);
  }
}

let generation = 0;
async function run() {
  const term = input.value.trim();
  const filters = {};
  for (const [name, values] of Object.entries(chosen)) if (values.length) filters[name] = { any: values };
  const mine = ++generation;
  const search = await pagefind.search(term || null, { filters });
  if (mine !== generation) return;
  if (!search || (!term && !Object.keys(filters).length)) { list.replaceChildren(); status.textContent = ""; return; }
  const results = await Promise.all(search.results.slice(0, 30).map((r) => r.data()));
  if (mine !== generation) return;
  status.textContent = `${search.results.length} result${search.results.length === 1 ? "" : "s"}`;
  list.replaceChildren(...results.map((data) => {
    const kind = (data.filters.kind || [""])[0];
    const excerpt = element("p");
    excerpt.innerHTML = data.excerpt; // Pagefind escapes page text and adds only <mark>
    const url = term ? `${data.url}?highlight=${encodeURIComponent(term)}` : data.url;
    return element("li", {}, [
      element("span", { className: "kicker", textContent: kind }), element("br"),
      element("a", { href: url, textContent: data.meta.title || data.url }), excerpt,
    ]);
  }));
}

const params = new URLSearchParams(location.search);
if (params.get("q")) input.value = params.get("q");
input.addEventListener("input", run);
document.querySelector(".search-form").addEventListener("submit", (event) => { event.preventDefault(); run(); });
await drawFilters();
if (input.value) run();
