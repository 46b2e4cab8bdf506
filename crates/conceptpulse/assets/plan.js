// The planning pages with JavaScript on. The board: drag a card to another column and it
// posts the card's own status form (the one that works without JavaScript) asking for JSON,
// then moves the card, or shows Kiro's reason and leaves it where it was. The Gantt chart:
// follows the project live through live.js's stream (the `kiro:event` DOM events); when a
// task, dependency or milestone of the project changes, it refetches the chart's SVG and
// swaps it in. The move form fills in the chosen task's dates.
(function () {
  "use strict";

  var board = document.getElementById("board");
  if (board) {
    var errorBox = document.getElementById("board-error");
    var showError = function (text) {
      errorBox.textContent = text;
      errorBox.hidden = !text;
    };
    var recount = function (column) {
      var badge = column.querySelector(".board-count");
      if (badge) badge.textContent = String(column.querySelectorAll(".board-card").length);
    };
    var moveCard = function (card, column) {
      var from = card.closest(".board-column");
      if (from === column) return;
      var status = column.getAttribute("data-status");
      var form = card.querySelector("form.move-form");
      var body = new URLSearchParams();
      body.set("status", status);
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (r) {
          return r.json().then(function (json) { return { ok: r.ok, json: json }; });
        })
        .then(function (answer) {
          if (!answer.ok) {
            showError(answer.json.error || "Kiro refused the move; nothing was changed.");
            return;
          }
          showError("");
          form.querySelector("select").value = status;
          column.querySelector(".board-cards").appendChild(card);
          recount(from);
          recount(column);
        })
        .catch(function () {
          showError("Kiro cannot be reached right now. Nothing was changed; try again in a moment.");
        });
    };
    board.addEventListener("dragstart", function (e) {
      var card = e.target.closest && e.target.closest(".board-card");
      if (!card) return;
      e.dataTransfer.setData("text/plain", card.getAttribute("data-task-id"));
      e.dataTransfer.effectAllowed = "move";
      card.classList.add("dragging");
    });
    board.addEventListener("dragend", function (e) {
      var card = e.target.closest && e.target.closest(".board-card");
      if (card) card.classList.remove("dragging");
    });
    board.querySelectorAll(".board-column").forEach(function (column) {
      column.addEventListener("dragover", function (e) {
        e.preventDefault();
        column.classList.add("drop-target");
      });
      column.addEventListener("dragleave", function () { column.classList.remove("drop-target"); });
      column.addEventListener("drop", function (e) {
        e.preventDefault();
        column.classList.remove("drop-target");
        var card = document.getElementById("task-" + e.dataTransfer.getData("text/plain"));
        if (card) moveCard(card, column);
      });
    });
  }

  var live = document.getElementById("gantt-live");
  if (live) {
    var projectId = live.getAttribute("data-project-id");
    var loading = false;
    var again = false;
    var refresh = function () {
      if (loading) { again = true; return; }
      loading = true;
      fetch(live.getAttribute("data-src"), { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (svg) {
          if (svg) {
            live.innerHTML = svg;
            live.setAttribute("data-refreshed", String(Number(live.getAttribute("data-refreshed") || 0) + 1));
          }
        })
        .catch(function () {})
        .then(function () {
          loading = false;
          if (again) { again = false; refresh(); }
        });
    };
    var known = function (id) {
      return id && document.querySelector('[data-task-id="' + CSS.escape(id) + '"]') !== null;
    };
    var concerns = function (event) {
      if (!/^planning\.(task|dependency|milestone)\./.test(event.type)) return false;
      var data = event.data || {};
      if (data.projectId) return data.projectId === projectId;
      return known(event.resourceId) || known(data.predecessorId) || known(data.successorId);
    };
    document.addEventListener("kiro:event", function (e) {
      if (concerns(e.detail)) refresh();
    });
    // Once the subscription is live, re-read what may have changed before it.
    var following = function () {
      live.setAttribute("data-following", "true");
      refresh();
    };
    if (document.documentElement.hasAttribute("data-kiro-ready")) following();
    else document.addEventListener("kiro:ready", following);

    var task = document.getElementById("task");
    var fill = function () {
      var row = document.querySelector('#task-dates tr[data-task-id="' + CSS.escape(task.value) + '"]');
      if (!row) return;
      document.getElementById("start_date").value = row.getAttribute("data-start");
      document.getElementById("end_date").value = row.getAttribute("data-end");
    };
    if (task) {
      task.addEventListener("change", fill);
      if (!document.getElementById("move-error")) fill();
    }
  }
})();
