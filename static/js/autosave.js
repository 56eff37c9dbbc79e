// Autosave for the rating form.
//
// Every change is sent as it happens, one request at a time, each carrying the
// assessment's version; the answer brings the next version. A 409 means another tab or
// device changed the assessment: nothing more is sent and the person is told to reload.
// Without this script, the step's Save button saves the whole step.
(function () {
  "use strict";

  const form = document.getElementById("rating-form");
  if (!form) {
    return;
  }
  const url = form.dataset.autosaveUrl;
  const version = form.querySelector("[data-version]");
  const status = form.querySelector("[data-save-status]");
  const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const noteTimers = new Map();
  let queue = Promise.resolve();
  let pending = 0;
  let stale = false;

  function show(text, isError) {
    status.textContent = text;
    status.classList.toggle("text-danger", Boolean(isError));
    status.classList.toggle("fw-semibold", Boolean(isError));
  }

  function showProgress(rated, total) {
    document.querySelectorAll("[data-progress]").forEach(function (element) {
      element.textContent = rated + " of " + total;
    });
    document.querySelectorAll("[data-progressbar]").forEach(function (element) {
      element.value = rated;
      element.textContent = rated + " of " + total;
    });
  }

  async function post(fields) {
    if (stale) {
      return;
    }
    const body = new FormData();
    body.append("version", version.value);
    Object.entries(fields).forEach(function ([name, value]) {
      body.append(name, value);
    });
    show("Saving…", false);
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": csrfToken },
        credentials: "same-origin",
      });
    } catch (error) {
      show("Not saved: the portal cannot be reached. Your answers stay on this page; " +
           "press Save when the connection is back.", true);
      return;
    }
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    if (response.ok) {
      version.value = data.version;
      show("All changes saved at " + data.saved_at + ".", false);
      showProgress(data.rated, data.total);
    } else if (response.status === 409) {
      stale = true;
      show((data.error || "This assessment was changed elsewhere.") + " Reload the page.", true);
    } else if (response.status === 403 || response.redirected) {
      show("Not saved: your session has ended. Sign in again in another tab, then press Save.", true);
    } else {
      show("Not saved: " + (data.error || "the portal answered " + response.status + "."), true);
    }
  }

  function send(fields) {
    pending += 1;
    queue = queue.then(function () {
      return post(fields);
    }).finally(function () {
      pending -= 1;
    });
  }

  function sendNote(textarea, competency) {
    clearTimeout(noteTimers.get(competency));
    noteTimers.delete(competency);
    send({ competency: competency, note: textarea.value });
  }

  form.addEventListener("change", function (event) {
    const level = event.target.name.match(/^level-(\d+)$/);
    if (level) {
      send({ competency: level[1], level: event.target.value });
      return;
    }
    const note = event.target.name.match(/^note-(\d+)$/);
    if (note && noteTimers.has(note[1])) {
      sendNote(event.target, note[1]);
    }
  });

  form.addEventListener("input", function (event) {
    const note = event.target.name.match(/^note-(\d+)$/);
    if (!note) {
      return;
    }
    clearTimeout(noteTimers.get(note[1]));
    noteTimers.set(note[1], setTimeout(function () {
      sendNote(event.target, note[1]);
    }, 800));
  });

  window.addEventListener("beforeunload", function (event) {
    if (pending > 0 || noteTimers.size > 0) {
      event.preventDefault();
    }
  });
})();
