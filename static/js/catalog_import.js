// The import page's preview: when a CSV is chosen, the server reads it (writing nothing) and answers how each
// column will be read and what the first products will be; each column's reading can be changed here, and the
// choices travel with the form as map=COLUMN=TARGET fields.
(function () {
  const form = document.getElementById("import-form");
  if (!form) return;
  const csvInput = form.querySelector("input[type=file][name=csv_file]");
  const fields = document.getElementById("mapping-fields");
  const section = document.getElementById("import-preview");
  const targets = form.dataset.targets.split(",");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const chosen = new Map();  // column -> target, as picked on this page

  function cell(text) {
    const td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  function picker(column) {
    const select = document.createElement("select");
    select.setAttribute("aria-label", interpolate(gettext("Read %(column)s as"), { column: column.column }, true));
    const options = [...targets.map((t) => [t, t]), ["", gettext("leave out")]];
    const attribute = (name) => interpolate(gettext("attribute: %(name)s"), { name }, true);
    const own = column.column.trim().toLowerCase();
    if (column.attribute) options.unshift([column.target, attribute(column.target)]);
    else if (!targets.includes(own)) options.push([own, attribute(own)]);  // "sku" is ours, never an attribute
    for (const [value, label] of options) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = label;
      option.selected = value === column.target;
      select.appendChild(option);
    }
    select.addEventListener("change", () => {
      chosen.set(column.column, select.value);
      refresh();
    });
    return select;
  }

  function writeFields() {
    fields.replaceChildren();
    for (const [column, target] of chosen) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "map";
      input.value = `${column}=${target}`;
      fields.appendChild(input);
    }
  }

  function render(answer) {
    section.hidden = false;
    const columns = section.querySelector("#preview-columns tbody");
    columns.replaceChildren();
    for (const column of answer.columns) {
      const tr = document.createElement("tr");
      tr.append(cell(column.column), cell(column.sample));
      const td = document.createElement("td");
      td.appendChild(picker(column));
      tr.append(td, cell(column.why));
      columns.appendChild(tr);
    }
    const products = section.querySelector("#preview-products tbody");
    products.replaceChildren();
    for (const product of answer.products) {
      const attributes = Object.entries(product.attributes).map(([k, v]) => `${k}: ${v}`).join(" · ");
      const tr = document.createElement("tr");
      tr.append(cell(product.sku), cell(product.title), cell(product.category), cell(attributes));
      products.appendChild(tr);
    }
    const verdict = answer.problem_count
      ? interpolate(ngettext("%(count)s problem to fix before anything can be imported", "%(count)s problems to fix before anything can be imported", answer.problem_count), { count: answer.problem_count }, true)
      : gettext("no problems so far; images are checked when you import");
    const rows = interpolate(ngettext("%(count)s product", "%(count)s products", answer.rows), { count: answer.rows.toLocaleString() }, true);
    document.getElementById("preview-summary").textContent = `${rows} · ${verdict}`;
    const problems = document.getElementById("preview-problems");
    problems.replaceChildren(...answer.problems.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
  }

  async function refresh() {
    writeFields();
    if (!csvInput.files.length) return;
    const body = new FormData();
    body.append("csv_file", csvInput.files[0]);
    for (const input of fields.querySelectorAll("input")) body.append("map", input.value);
    const response = await fetch(form.dataset.previewUrl, { method: "POST", body, headers: { "X-CSRFToken": csrf } });
    const answer = await response.json();
    if (!response.ok) {
      section.hidden = false;
      document.getElementById("preview-summary").textContent = answer.error;
      return;
    }
    render(answer);
  }

  csvInput.addEventListener("change", () => {
    chosen.clear();
    refresh();
  });
})();
