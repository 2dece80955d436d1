// One way every job page stays live: draw the state the page was served with, then poll `url?after=N` every
// two seconds (N from `after()`: what the page already holds) until `render` says the job is no longer active.
function liveJob({ url, initial, render, after }) {
  async function poll() {
    try {
      const response = await fetch(`${url}?after=${after()}`, { headers: { Accept: "application/json" } });
      if (response.ok && !render(await response.json())) return;  // finished: stop polling
    } catch (error) { /* a dropped request: try again at the next tick */ }
    setTimeout(poll, 2000);
  }
  if (render(JSON.parse(document.getElementById(initial).textContent))) setTimeout(poll, 1000);
}

// A table cell holding `text` as text (never as HTML), for the rows a job page adds as results arrive.
function tableCell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

// A job's status as the page's language says it (the dashboard's catalog, /jsi18n/, is on every page).
const JOB_STATUS = {
  queued: gettext("queued"), running: gettext("running"), succeeded: gettext("succeeded"), failed: gettext("failed"),
  cancelled: gettext("cancelled"),
};

// A generated item's review state, likewise.
const REVIEW_STATE = { pending: gettext("pending"), approved: gettext("approved"), rejected: gettext("rejected") };
