// Shows generated images as they arrive, polling the job every two seconds until it ends.
(function () {
  const root = document.getElementById("sampling");
  if (!root) return;
  const list = document.getElementById("items");
  const shown = new Set();
  let lastId = 0;  // each poll asks only for the items made since

  function render(job) {
    document.getElementById("sampling-bar").style.width = Math.round(job.progress * 100) + "%";
    document.getElementById("sampling-status").textContent = JOB_STATUS[job.status] || job.status;
    document.getElementById("sampling-phase").textContent = job.is_active ? job.phase : "";
    const error = document.getElementById("sampling-error");
    error.hidden = !job.error;
    error.textContent = job.error;
    for (const item of job.items) {
      if (shown.has(item.id)) continue;
      shown.add(item.id);
      lastId = Math.max(lastId, item.id);
      const li = document.createElement("li");
      li.className = "tile item";
      const distance = item.nearest_pixel_distance == null ? "" : " · " + interpolate(gettext("nearest photo %(distance)s"), { distance: item.nearest_pixel_distance.toFixed(3) }, true);
      li.innerHTML = `<img alt="" width="112" height="112"><span class="badge generated">${gettext("Generated")}</span>` +
        `<span class="meta"></span>`;
      li.querySelector("img").src = item.url;
      li.querySelector(".meta").textContent = `${item.category} · ${gettext("seed")} ${item.seed}${distance}`;
      list.appendChild(li);
    }
    return job.is_active;
  }

  liveJob({ url: root.dataset.stateUrl, initial: "sampling-initial", render, after: () => lastId });
})();
