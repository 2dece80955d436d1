// An export's page: its progress until it ends, then its files to download or the problems that stopped it.
(function () {
  const root = document.getElementById("export-job");
  if (!root) return;
  const KIND = { products: "the products file", chinese: "the Chinese file", images: "the images zip" };

  function render(job) {
    document.getElementById("export-bar").style.width = Math.round(job.progress * 100) + "%";
    document.getElementById("export-status").textContent = job.status;
    document.getElementById("export-phase").textContent = job.phase;
    const error = document.getElementById("export-error");
    error.hidden = !job.error;
    error.textContent = job.error;
    const files = document.getElementById("export-files");
    files.replaceChildren(...job.files.map((file) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = root.dataset.filesUrl.replace("NAME", encodeURIComponent(file.name));
      link.textContent = `Download ${KIND[file.kind] || file.kind}`;
      link.className = `download-${file.kind}`;
      item.append(link, ` ${file.name} · ${file.rows} ${file.kind === "images" ? "images" : "rows"} · ${Math.ceil(file.bytes / 1024)} KB`);
      return item;
    }));
    const body = document.querySelector("#export-problems tbody");
    body.replaceChildren(...job.problems.map((problem) => {
      const row = document.createElement("tr");
      row.append(tableCell(problem.file), tableCell(problem.row), tableCell(problem.column), tableCell(problem.message));
      return row;
    }));
    document.getElementById("export-problems-card").hidden = !job.problems.length;
    document.getElementById("export-problems-total").textContent = job.problems_total > job.problems.length ? `(the first ${job.problems.length} of ${job.problems_total})` : "";
    return job.is_active;
  }

  liveJob({ url: root.dataset.stateUrl, initial: "export-initial", render, after: () => 0 });
})();
