// Live updates: the page listens to /live (Server-Sent Events) and updates the connection
// badge, the service table and the event list in place. Everything also works without it:
// the pages render the same information on load.
(function () {
  "use strict";
  if (!window.EventSource || !document.getElementById("connection-badge")) return;
  var source = new EventSource("/live");

  function setText(selector, text, root) {
    (root || document).querySelectorAll(selector).forEach(function (el) { el.textContent = text; });
  }

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
    var list = document.getElementById("events");
    if (!list) return;
    var event = JSON.parse(e.data);
    var item = document.createElement("li");
    item.textContent = event.type + " · " + event.topic + " · " + new Date(event.at).toLocaleTimeString();
    var placeholder = list.querySelector(".muted");
    if (placeholder) placeholder.remove();
    list.insertBefore(item, list.firstChild);
    while (list.children.length > 50) list.removeChild(list.lastChild);
  });
})();
