// Polls the job's progress every two seconds and redraws the bar, the ETA, the loss chart and the result.
(function () {
  const root = document.getElementById("job");
  if (!root) return;
  const url = root.dataset.progressUrl;
  const $ = (id) => document.getElementById(id);
  const history = [];  // every point so far; each poll asks only for the ones after it
  const categories = JSON.parse($("job-categories").textContent);
  const csrf = root.dataset.csrf;

  // One polyline per key; each key gets its own vertical scale when `shared` is false (FD and a share differ).
  function drawChart(svg, points, keys, shared, markers = false) {
    if (!points.length) { svg.innerHTML = ""; return; }
    const maxStep = points[points.length - 1].step || 1;
    const x = (p) => (p.step / maxStep) * 590 + 5;
    const range = (ks) => {
      const values = points.flatMap((p) => ks.map((k) => p[k]));
      const lo = Math.min(...values), hi = Math.max(...values);
      return [lo, hi - lo || 1];
    };
    const common = range(keys.map(([k]) => k));
    svg.innerHTML = keys.map(([k, colour]) => {
      const [lo, span] = shared ? common : range([k]);
      const y = (v) => 195 - ((v - lo) / span) * 185;
      const line = `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.map((p) => `${x(p)},${y(p[k])}`).join(" ")}"/>`;
      // Sparse series (a measurement a minute) get a dot per point, so the first one shows before there is a line.
      const dots = markers ? points.map((p) => `<circle cx="${x(p)}" cy="${y(p[k])}" r="3" fill="${colour}"/>`).join("") : "";
      return line + dots;
    }).join("");
  }

  function render(job) {
    const percent = Math.round(job.progress * 100);
    $("job-bar").style.width = percent + "%";
    $("job-percent").textContent = percent + "%" + (job.step ? ` · step ${job.step}` : "");
    $("job-phase").textContent = job.cancel_requested && job.is_active ? "cancelling…" : job.phase;
    $("job-eta").textContent = job.is_active && job.eta_seconds ? `· about ${Math.ceil(job.eta_seconds)} s left` : "";
    $("job-status").textContent = job.status;
    const cancel = $("cancel-form"), retry = $("retry-form");
    if (cancel) cancel.hidden = !job.is_active;
    if (retry) retry.hidden = !(job.status === "failed" || job.status === "cancelled");
    $("job-error").hidden = !job.error;
    $("job-error").textContent = job.error;
    history.push(...job.points);
    const lossKeys = job.family === "copy" ? [["loss", "#3b5bdb"]] : [["d_loss", "#3b5bdb"], ["g_loss", "#e67700"]];
    drawChart($("loss-chart"), history, lossKeys, true);
    if (job.family === "copy") {
      $("writing").hidden = !job.preview_texts.length;
      $("writing-list").replaceChildren(...job.preview_texts.map((t) => Object.assign(document.createElement("li"), { textContent: t })));
    }
    const fd = "fd" + job.quick_suffix, share = "category_accuracy" + job.quick_suffix;
    const measured = history.filter((p) => fd in p);
    drawChart($("metric-chart"), measured, [[fd, "#3b5bdb"], [share, "#e67700"]], false, true);
    const latest = measured[measured.length - 1];
    $("metric-latest").textContent = latest
      ? `quick estimate at step ${latest.step}: FD ${latest[fd].toFixed(2)}, ${Math.round(latest[share] * 100)}% in the asked category`
      : "measured every minute while training";
    if (job.preview_grid && $("preview").dataset.grid !== job.preview_grid_name) drawTiles(job);
    const log = $("job-log");
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    log.textContent = job.log_tail.join("\n");
    if (atBottom) log.scrollTop = log.scrollHeight;  // follow the tail unless the reader scrolled up
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
    $("preview-step").textContent = job.preview_step == null ? "" : `at step ${job.preview_step}`;
    list.innerHTML = "";
    list.style.setProperty("--columns", 8);
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
        picture.setAttribute("aria-label", `${category}, sample ${column + 1}`);
        tile.appendChild(picture);
        if (csrf) {
          const send = document.createElement("button");
          send.type = "button";
          send.className = "secondary small";
          send.textContent = "send to review";
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
    button.textContent = response.ok ? `in review (${answer.provenance})` : answer.error;
  }

  liveJob({ url: url, initial: "job-initial", render, after: () => history.length });
})();
