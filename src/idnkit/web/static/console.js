// Progressive enhancement only: the audit page polls its job's status and moves the progress bar.
// Without JavaScript the page still works (reload it to see progress).
"use strict";
(function () {
  const job = document.getElementById("job");
  if (!job || job.dataset.state !== "running") return;
  const bar = document.getElementById("progress");
  const state = document.getElementById("job-state");
  const summary = document.getElementById("job-summary");
  const report = document.getElementById("job-report");
  async function poll() {
    let status;
    try {
      const answer = await fetch(job.dataset.status, { credentials: "same-origin" });
      if (!answer.ok) { setTimeout(poll, 2000); return; }
      status = await answer.json();
    } catch (e) { setTimeout(poll, 2000); return; }
    bar.value = status.percent;
    bar.textContent = status.percent + "%";
    state.textContent = status.state + ": " + status.percent + "% · " + status.names;
    summary.textContent = status.summary || status.error || "";
    job.dataset.state = status.state;
    // Finished: reload, so the final counts and summary come from the server in the page's own language.
    if (status.state === "running") { setTimeout(poll, 300); } else { report.hidden = status.state !== "done"; location.reload(); }
  }
  poll();
})();
