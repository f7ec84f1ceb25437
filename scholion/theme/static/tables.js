// Sorting and filtering for a listing's table (the claims index). Without JavaScript the table
// is complete as it is, in its groups; with it, each column heading becomes a button that sorts
// by that column (again: the other way), and the filter box above it shows only the rows that
// contain the words typed. Sorting by another column than the first grouping lays the rows out
// as one list; sorting back restores the groups.

const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

function rowsOf(table) {
  return [...table.tBodies].flatMap((body) => [...body.rows].filter((row) => !row.classList.contains("group-row")));
}

function showGroups(table) {
  // A group's heading shows while the rows are in their groups and some of its rows show.
  for (const body of table.tBodies) {
    const header = body.querySelector(".group-row");
    if (!header) continue;
    const rows = [...body.rows].filter((row) => row !== header && !row.hidden);
    header.hidden = table.dataset.grouped !== "true" || rows.length === 0;
  }
}

function enhance(table) {
  const rows = rowsOf(table);
  const home = new Map(rows.map((row, i) => [row, { body: row.parentElement, index: i }]));
  const headings = [...table.tHead.rows[0].cells];
  const collator = new Intl.Collator(document.documentElement.lang, { numeric: true, sensitivity: "base" });
  const value = (row, column) => {
    const cell = row.cells[column];
    return cell.dataset.sort ?? cell.textContent.trim();
  };

  function sortBy(column, descending) {
    for (const heading of headings) heading.removeAttribute("aria-sort");
    headings[column].setAttribute("aria-sort", descending ? "descending" : "ascending");
    const grouped = column === 1 && !descending;
    table.dataset.grouped = grouped;
    const order = [...rows].sort((a, b) => {
      const by = collator.compare(value(a, column), value(b, column));
      return (descending ? -by : by) || home.get(a).index - home.get(b).index;
    });
    for (const row of order) (grouped ? home.get(row).body : table.tBodies[0]).append(row);
    showGroups(table);
  }

  headings.forEach((heading, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = heading.textContent;
    heading.textContent = "";
    heading.append(button);
    button.addEventListener("click", () => sortBy(column, heading.getAttribute("aria-sort") === "ascending"));
  });
  headings[1].setAttribute("aria-sort", "ascending");
  table.dataset.grouped = true;
  return rows;
}

function filter(form, table, rows) {
  const input = form.querySelector("input");
  const status = form.querySelector(".table-status");
  const words = fold(input.value).split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const row of rows) {
    const text = fold(row.textContent);
    row.hidden = !words.every((word) => text.includes(word));
    if (!row.hidden) shown += 1;
  }
  showGroups(table);
  status.textContent = words.length
    ? status.dataset.template.replace("{shown}", shown).replace("{total}", rows.length)
    : "";
}

for (const form of document.querySelectorAll("form.table-filter")) {
  const table = document.getElementById(form.querySelector("input").dataset.table);
  if (!table) continue;
  const rows = enhance(table);
  form.hidden = false;
  form.addEventListener("submit", (event) => event.preventDefault());
  form.querySelector("input").addEventListener("input", () => filter(form, table, rows));
}
