// Shows the variants of a copy job as they are written, polling every two seconds until the job ends.
(function () {
  const root = document.getElementById("copy-job");
  if (!root) return;
  const body = document.querySelector("#variants tbody");
  let lastId = 0;

  function render(job) {
    document.getElementById("copy-bar").style.width = Math.round(job.progress * 100) + "%";
    document.getElementById("copy-status").textContent = JOB_STATUS[job.status] || job.status;
    document.getElementById("copy-phase").textContent = job.phase;
    const error = document.getElementById("copy-error");
    error.hidden = !job.error;
    error.textContent = job.error;
    for (const item of job.items) {
      lastId = Math.max(lastId, item.id);
      const flags = item.flags.map((f) => `${f.rule}: ${f.words.join(", ")}`).join("; ");
      const row = document.createElement("tr");
      row.append(tableCell(item.sku), tableCell(item.text), tableCell(flags || gettext("passes"), flags ? "flag copy" : "ok"), tableCell(REVIEW_STATE[item.review_state] || item.review_state));
      body.appendChild(row);
    }
    return job.is_active;
  }

  liveJob({ url: root.dataset.stateUrl, initial: "copy-initial", render, after: () => lastId });
})();
