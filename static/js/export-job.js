/* Follows an export job on its page: polls the job's JSON (data-status-url) and moves the
   progress bar; once the job has finished, reloads so the server shows the download or the
   reason it failed. Without this script a reload shows the same, so the page works without it. */
(function () {
  "use strict";

  var box = document.getElementById("export-job");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var state = box.getAttribute("data-state");
  if (state !== "queued" && state !== "running") { return; }
  var bar = document.getElementById("export-job-progress");
  var text = document.getElementById("export-job-text");
  var template = box.getAttribute("data-running-text") || "";
  var delay = 1000;

  function show(status) {
    if (bar) {
      bar.max = status.total_rows || 1;
      bar.value = status.rows_written;
      bar.textContent = status.percent + "%";
    }
    if (text && template && status.state === "running") {
      text.textContent = template
        .replace("{done}", status.rows_written.toLocaleString())
        .replace("{total}", status.total_rows.toLocaleString())
        .replace("{percent}", String(status.percent));
    }
  }

  function poll() {
    window.fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.finished) {
          window.location.reload();
          return;
        }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 30000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
}());
