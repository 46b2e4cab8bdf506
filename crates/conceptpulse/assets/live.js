// Live updates: the page listens to /live (Server-Sent Events) and updates the connection
// badge, the service table, the event list and a document's processing progress in place,
// and runs the quiz's per-question clock. Everything also works without it: the pages
// render the same information on load, a processing page refreshes itself, and the server
// times each question from when it served it.
(function () {
  "use strict";

  function setText(selector, text, root) {
    (root || document).querySelectorAll(selector).forEach(function (el) { el.textContent = text; });
  }

  // The quiz clock: counts up from the seconds the server has seen, and sends its reading
  // with the answer.
  var timer = document.getElementById("question-timer");
  if (timer) {
    var started = Date.now() - 1000 * (parseInt(timer.getAttribute("data-elapsed"), 10) || 0);
    var seconds = function () { return Math.floor((Date.now() - started) / 1000); };
    var show = function () {
      var s = seconds();
      timer.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    };
    setInterval(show, 1000);
    var form = document.getElementById("answer-form");
    var spent = document.getElementById("time-spent");
    if (form && spent) {
      form.addEventListener("submit", function () { spent.value = String(seconds()); });
    }
  }

  if (!window.EventSource || !document.getElementById("connection-badge")) return;
  var source = new EventSource("/live");
  // Leaving the page ends its stream, so streams of pages left behind (or kept in the
  // back-forward cache) never hold the browser's connections to this server.
  window.addEventListener("pagehide", function () { source.close(); });
  window.addEventListener("pageshow", function (e) { if (e.persisted) window.location.reload(); });

  // A document being processed: its progress bar follows the document's events; once the
  // subscription is live the page re-reads the state it may have missed before.
  var processing = document.getElementById("document-progress");
  var documentId = processing && processing.getAttribute("data-document");
  function showProgress(progress, stage) {
    var bar = document.getElementById("doc-progress");
    if (bar) { bar.value = progress; bar.textContent = progress + "%"; }
    setText('[data-live="doc-progress"]', progress + "%");
    if (stage) setText('[data-live="doc-stage"]', stage + "…");
  }
  function checkDocument() {
    fetch("/learn/documents/" + encodeURIComponent(documentId) + "/progress", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (doc) {
        if (!doc) return;
        if (doc.status !== "processing") window.location.reload();
        else showProgress(doc.progress);
      })
      .catch(function () {});
  }

  source.addEventListener("ready", function () {
    document.documentElement.setAttribute("data-kiro-ready", "true");
    document.dispatchEvent(new CustomEvent("kiro:ready"));
    if (documentId) checkDocument();
  });

  source.addEventListener("status", function (e) {
    var s = JSON.parse(e.data);
    var badge = document.getElementById("connection-badge");
    badge.textContent = "Kiro " + s.status;
    badge.className = "badge badge-" + s.status;
    setText('[data-live="status-text"]', s.text);
  });

  source.addEventListener("health", function (e) {
    var report = JSON.parse(e.data);
    report.services.forEach(function (s) {
      var row = document.querySelector('tr[data-service="' + s.name + '"]');
      if (!row) return;
      var badge = row.querySelector('[data-live="service-status"]');
      badge.textContent = s.status;
      badge.className = "badge badge-" + s.status;
      setText('[data-live="service-latency"]', s.latency, row);
      setText('[data-live="service-errors"]', s.error_rate, row);
    });
  });

  source.addEventListener("sync", function (e) {
    setText('[data-live="sync"]', JSON.parse(e.data).summary);
  });

  source.addEventListener("kiro", function (e) {
    var event = JSON.parse(e.data);
    // Page scripts (plan.js, the job page) follow Kiro's events through this one stream.
    document.dispatchEvent(new CustomEvent("kiro:event", { detail: event }));
    if (documentId && event.resourceId === documentId) {
      if (event.type === "assessment.document.progress") {
        showProgress(event.data.progress, event.data.stage);
      } else if (event.type === "assessment.document.completed" || event.type === "assessment.document.failed") {
        window.location.reload();
        return;
      }
    }
    var list = document.getElementById("events");
    if (!list) return;
    var item = document.createElement("li");
    item.textContent = event.type + " · " + event.topic + " · " + new Date(event.at).toLocaleTimeString();
    var placeholder = list.querySelector(".muted");
    if (placeholder) placeholder.remove();
    list.insertBefore(item, list.firstChild);
    while (list.children.length > 50) list.removeChild(list.lastChild);
  });
})();

// An execution job's page: appends the job's output events to its two streams (each chunk
// once, by its sequence number), and when the job starts or ends (or the subscription goes
// live, after output may have been missed) reads its state and the output after the last
// chunk shown, then shows the status, verdict and usage in place.
(function () {
  "use strict";
  var box = document.getElementById("job-live");
  if (!box) return;
  var jobId = box.getAttribute("data-job");
  var lastSeq = parseInt(box.getAttribute("data-seq"), 10) || 0;
  var ended = box.getAttribute("data-final") === "true";

  function append(chunk) {
    if (chunk.seq <= lastSeq) return;
    lastSeq = chunk.seq;
    var pre = document.getElementById(chunk.stream === "stdout" ? "job-stdout" : "job-stderr");
    if (pre) pre.appendChild(document.createTextNode(chunk.text));
  }
  function show(state) {
    if (ended) return;
    var status = document.getElementById("job-status");
    status.textContent = state.status;
    status.className = "badge badge-job-" + state.status;
    if (!state.final) return;
    ended = true;
    box.setAttribute("data-final", "true");
    var verdict = document.getElementById("job-verdict");
    verdict.textContent = state.verdict;
    verdict.className = "badge badge-verdict-" + state.tone;
    verdict.hidden = !state.verdict;
    document.getElementById("job-usage").textContent = state.usage;
    var error = document.getElementById("job-error");
    error.textContent = state.error;
    error.hidden = !state.error;
    var finished = document.getElementById("job-finished");
    if (finished) finished.textContent = state.finished;
    var cancel = document.getElementById("cancel-job");
    if (cancel) cancel.remove();
  }
  function refresh() {
    fetch("/kiro/execution/jobs/" + encodeURIComponent(jobId) + "/live?after=" + lastSeq, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) {
        if (!state) return;
        state.lines.forEach(append);
        show(state);
      })
      .catch(function () {});
  }

  document.addEventListener("kiro:ready", function () { if (!ended) refresh(); });
  document.addEventListener("kiro:event", function (e) {
    var event = e.detail;
    if (ended || event.resourceId !== jobId) return;
    if (event.type === "execution.job.output") append(event.data);
    else refresh();
  });
})();
