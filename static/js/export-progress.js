// Progress of a whole-cycle export, or of a report rendered in the background.
//
// Polls the export's JSON status once a second and moves the <progress> bar; when the
// export is done it shows the download link, when it failed it shows why. Without this
// script the page offers a refresh link instead.
(function () {
  "use strict";

  const root = document.getElementById("export");
  if (!root) {
    return;
  }
  const url = root.dataset.statusUrl;
  const bar = document.getElementById("export-progress");
  const message = root.querySelector("[data-export-message]");
  const error = root.querySelector("[data-export-error]");
  const errorText = root.querySelector("[data-export-error-text]");
  const download = root.querySelector("[data-export-download]");
  const refresh = root.querySelector("[data-export-refresh]");
  const INTERVAL = 1000;
  let failures = 0;

  function show(data) {
    if (data.total > 0) {
      bar.max = data.total;
      bar.value = data.status === "done" ? data.total : data.done;
      bar.textContent = data.done + " of " + data.total;
    }
    if (data.status === "queued") {
      message.textContent = "Waiting for a worker to start the export.";
    } else if (data.status === "running") {
      message.textContent = data.done + " of " + data.total + " reports added (" +
        data.percent + "%).";
    } else if (data.status === "done") {
      message.textContent = "Done: " + data.total + " report" + (data.total === 1 ? "" : "s") +
        " in one ZIP file.";
      download.href = data.download_url;
      download.hidden = false;
      refresh.hidden = true;
    } else if (data.status === "failed") {
      message.textContent = "The export failed.";
      errorText.textContent = data.error;
      error.hidden = false;
      refresh.hidden = true;
    }
    if (data.message) {
      message.textContent = data.message;  // the server's own words, where it sends them
    }
    root.dataset.status = data.status;
  }

  async function poll() {
    let data;
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok || response.redirected) {
        throw new Error("status " + response.status);
      }
      data = await response.json();
    } catch (problem) {
      failures += 1;
      if (failures >= 5) {
        message.textContent = "The progress cannot be fetched right now; use the refresh link.";
        return;
      }
      window.setTimeout(poll, INTERVAL * failures);
      return;
    }
    failures = 0;
    show(data);
    if (data.status === "queued" || data.status === "running") {
      window.setTimeout(poll, INTERVAL);
    }
  }

  if (root.dataset.status === "queued" || root.dataset.status === "running") {
    window.setTimeout(poll, INTERVAL);
  }
})();
