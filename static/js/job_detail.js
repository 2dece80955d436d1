// Polls the job's progress every two seconds and redraws the bar, the ETA, the loss chart and the result.
(function () {
  const root = document.getElementById("job");
  if (!root) return;
  const url = root.dataset.progressUrl;
  const $ = (id) => document.getElementById(id);

  function drawChart(history) {
    const svg = $("loss-chart");
    if (!history.length) { svg.innerHTML = ""; return; }
    const keys = [["d_loss", "#3b5bdb"], ["g_loss", "#e67700"]];
    const values = history.flatMap((p) => keys.map(([k]) => p[k]));
    const lo = Math.min(...values), hi = Math.max(...values), span = hi - lo || 1;
    const maxStep = history[history.length - 1].step || 1;
    const x = (p) => (p.step / maxStep) * 590 + 5;
    const y = (v) => 195 - ((v - lo) / span) * 185;
    svg.innerHTML = keys.map(([k, colour]) =>
      `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${history.map((p) => `${x(p)},${y(p[k])}`).join(" ")}"/>`
    ).join("");
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
    drawChart(job.history);
    if (job.result) {
      $("result").hidden = false;
      if (!$("result-grid").src.endsWith(job.result.grid)) $("result-grid").src = job.result.grid;
      $("result-name").textContent = job.result.name;
    }
    return job.is_active;
  }

  async function poll() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok && !render(await response.json())) return;  // finished: stop polling
    } catch (error) { /* a dropped request: try again at the next tick */ }
    setTimeout(poll, 2000);
  }

  if (render(JSON.parse($("job-initial").textContent))) setTimeout(poll, 1000);
})();
