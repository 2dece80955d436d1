// Polls the job's progress every two seconds and redraws the bar, the ETA, the loss chart and the result.
(function () {
  const root = document.getElementById("job");
  if (!root) return;
  const url = root.dataset.progressUrl;
  const $ = (id) => document.getElementById(id);
  const history = [];  // every point so far; each poll asks only for the ones after it
  const categories = JSON.parse($("job-categories").textContent);
  const csrf = root.dataset.csrf;

  // Round tick values (1, 2 or 5 times a power of ten) covering lo..hi.
  function ticks(lo, hi, count = 4) {
    if (hi <= lo) return [lo];
    const raw = (hi - lo) / count, power = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(6));
    return out;
  }
  const label = (v) => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString() : +v.toPrecision(3)).toString();
  const W = 600, H = 200, LEFT = 48, RIGHT = 48, TOP = 8, BOTTOM = 24;

  // One polyline per key, over axes: steps along the bottom, values up the left, and on the right for a second
  // series on its own scale (`shared` false: FD and a share differ). A dot per point carries its figures on hover;
  // sparse series (a measurement a minute) always get dots, so the first one shows before there is a line.
  function drawChart(svg, points, keys, shared, markers = false) {
    if (!points.length) { svg.innerHTML = ""; return; }
    const lastStep = points[points.length - 1].step || 1, firstStep = points.length > 1 ? points[0].step : 0;
    const x = (p) => LEFT + ((p.step - firstStep) / (lastStep - firstStep || 1)) * (W - LEFT - RIGHT);
    const range = (ks) => {
      const values = points.flatMap((p) => ks.map((k) => p[k])).filter((v) => v != null);
      const lo = Math.min(...values), hi = Math.max(...values);
      return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
    };
    const scales = keys.map(([k]) => (shared ? range(keys.map(([key]) => key)) : range([k])));
    const y = (v, [lo, hi]) => H - BOTTOM - ((v - lo) / (hi - lo)) * (H - TOP - BOTTOM);
    const parts = [`<g class="axis"><line x1="${LEFT}" y1="${H - BOTTOM}" x2="${W - RIGHT}" y2="${H - BOTTOM}"/>`];
    for (const step of ticks(firstStep, lastStep, 5)) {
      const px = x({ step });
      parts.push(`<line x1="${px}" y1="${H - BOTTOM}" x2="${px}" y2="${H - BOTTOM + 4}"/>`,
        `<text x="${px}" y="${H - 6}" text-anchor="middle">${label(step)}</text>`);
    }
    parts.push(`<text x="${W - RIGHT}" y="${H - BOTTOM - 4}" text-anchor="end">${gettext("step")}</text>`);
    const sides = shared ? [[0, LEFT, "end"]] : keys.map((_, i) => [i, i ? W - RIGHT : LEFT, i ? "start" : "end"]);
    for (const [i, edge, anchor] of sides.slice(0, 2)) {
      parts.push(`<line x1="${edge}" y1="${TOP}" x2="${edge}" y2="${H - BOTTOM}" stroke="${keys[i][1]}"/>`);
      for (const v of ticks(...scales[i])) {
        const py = y(v, scales[i]), out = anchor === "end" ? -4 : 4;
        parts.push(`<line x1="${edge}" y1="${py}" x2="${edge + out}" y2="${py}"/>`,
          `<text x="${edge + out * 1.5}" y="${py + 4}" text-anchor="${anchor}">${label(v)}</text>`);
      }
    }
    parts.push("</g>");
    keys.forEach(([k, colour, name], i) => {
      const shown = points.filter((p) => p[k] != null);
      parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${shown.map((p) => `${x(p)},${y(p[k], scales[i])}`).join(" ")}"/>`);
      if (markers || shown.length === 1) {
        for (const p of shown) {
          parts.push(`<circle cx="${x(p)}" cy="${y(p[k], scales[i])}" r="3" fill="${colour}"><title>${interpolate(gettext("step %s"), [p.step.toLocaleString()])}: ${name || k} ${label(p[k])}</title></circle>`);
        }
      }
    });
    svg.innerHTML = parts.join("");
  }

  // The figures behind a chart, as a table (newest first, at most `limit` rows).
  function drawTable(table, points, keys, limit) {
    const rows = points.slice(-limit).reverse();
    table.innerHTML = `<thead><tr><th>${gettext("step")}</th>${keys.map(([k, , name]) => `<th>${name || k}</th>`).join("")}</tr></thead>` +
      `<tbody>${rows.map((p) => `<tr><td>${p.step.toLocaleString()}</td>${keys.map(([k]) => `<td>${p[k] == null ? "" : label(p[k])}</td>`).join("")}</tr>`).join("")}</tbody>`;
  }

  function render(job) {
    const percent = Math.round(job.progress * 100);
    $("job-bar").style.width = percent + "%";
    $("job-percent").textContent = percent + "%" + (job.step ? ` · ${interpolate(gettext("step %s"), [job.step])}` : "");
    $("job-phase").textContent = job.cancel_requested && job.is_active ? gettext("cancelling…") : job.phase;
    $("job-eta").textContent = job.is_active && job.eta_seconds ? `· ${interpolate(gettext("about %s s left"), [Math.ceil(job.eta_seconds)])}` : "";
    $("job-status").textContent = JOB_STATUS[job.status] || job.status;
    const cancel = $("cancel-form"), retry = $("retry-form");
    if (cancel) cancel.hidden = !job.is_active;
    if (retry) retry.hidden = !(job.status === "failed" || job.status === "cancelled");
    $("job-error").hidden = !job.error;
    $("job-error").textContent = job.error;
    history.push(...job.points);
    const lossKeys = job.family === "copy" || job.family === "recs" ? [["loss", "#3b5bdb", gettext("loss")]]
      : job.engine === "vae" ? [["reconstruction", "#3b5bdb", gettext("reconstruction")], ["kl", "#e67700", "KL"]]
      : [["d_loss", "#3b5bdb", gettext("D loss")], ["g_loss", "#e67700", gettext("G loss")]];
    drawChart($("loss-chart"), history, lossKeys, true);
    drawTable($("loss-table"), history, lossKeys, 20);
    if (job.family === "copy") {
      $("writing").hidden = !job.preview_texts.length;
      $("writing-list").replaceChildren(...job.preview_texts.map((t) => Object.assign(document.createElement("li"), { textContent: t })));
    }
    const fd = "fd" + job.quick_suffix, share = "category_accuracy" + job.quick_suffix;
    const measured = history.filter((p) => fd in p);
    const metricKeys = [[fd, "#3b5bdb", gettext("quick FD")], [share, "#e67700", gettext("share in the asked category")]];
    drawChart($("metric-chart"), measured, metricKeys, false, true);
    drawTable($("metric-table"), measured, metricKeys, 100);
    const latest = measured[measured.length - 1];
    $("metric-latest").textContent = latest
      ? interpolate(gettext("quick estimate at step %(step)s: FD %(fd)s, %(share)s%% in the asked category"), { step: latest.step, fd: latest[fd].toFixed(2), share: Math.round(latest[share] * 100) }, true)
      : gettext("measured every minute while training");
    if (job.preview_grid && $("preview").dataset.grid !== job.preview_grid_name) drawTiles(job);
    const log = $("job-log");
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    log.textContent = job.log_tail.join("\n");
    if (atBottom) log.scrollTop = log.scrollHeight;  // follow the tail unless the reader scrolled up
    if (job.family === "recs") $("recs-result").hidden = job.status !== "succeeded";
    if (job.result) {
      $("result").hidden = false;
      if (!$("result-grid").src.endsWith(job.result.grid)) $("result-grid").src = job.result.grid;
      $("result-name").textContent = job.result.name;
    }
    return job.is_active;
  }

  // The latest samples as tiles, one row per category: each can be sent to the review queue.
  function drawTiles(job) {
    const preview = $("preview"), list = $("preview-tiles");
    preview.hidden = false;
    preview.dataset.grid = job.preview_grid_name;
    $("preview-step").textContent = job.preview_step == null ? "" : interpolate(gettext("at step %s"), [job.preview_step]);
    list.innerHTML = "";
    list.style.setProperty("--columns", 8);
    // Tiles take the model's own shape (a shop's portraits are taller than wide), read from the grid itself.
    const probe = new Image();
    probe.addEventListener("load", () => {
      const aspect = `${probe.naturalWidth / 8} / ${probe.naturalHeight / categories.length}`;
      list.style.setProperty("--tile-aspect", aspect);
    });
    probe.src = job.preview_grid;
    categories.forEach((category, row) => {
      for (let column = 0; column < 8; column++) {
        const tile = document.createElement("li");
        tile.className = "sample-tile";
        const picture = document.createElement("div");
        picture.className = "sample";
        picture.style.backgroundImage = `url("${job.preview_grid}")`;
        picture.style.backgroundSize = `800% ${categories.length * 100}%`;
        picture.style.backgroundPosition = `${(column / 7) * 100}% ${categories.length > 1 ? (row / (categories.length - 1)) * 100 : 0}%`;
        picture.setAttribute("role", "img");
        picture.setAttribute("aria-label", interpolate(gettext("%(category)s, sample %(number)s"), { category, number: column + 1 }, true));
        tile.appendChild(picture);
        if (csrf) {
          const send = document.createElement("button");
          send.type = "button";
          send.className = "secondary small";
          send.textContent = gettext("send to review");
          send.addEventListener("click", () => sendToReview(job.preview_grid_name, row, column, send));
          tile.appendChild(send);
        }
        list.appendChild(tile);
      }
    });
  }

  async function sendToReview(grid, row, column, button) {
    button.disabled = true;
    const body = new URLSearchParams({ grid, row, column });
    const response = await fetch(root.dataset.sendUrl, { method: "POST", body, headers: { "X-CSRFToken": csrf } });
    const answer = await response.json();
    button.textContent = response.ok ? interpolate(gettext("in review (%s)"), [answer.provenance]) : answer.error;
  }

  liveJob({ url: url, initial: "job-initial", render, after: () => history.length });
})();
