/* The Parley console: live conversations from the audit stream and connector health. All text is rendered as text. */
(function () {
  "use strict";
  var token = window.sessionStorage.getItem("parley-console-token");
  var conversations = {};
  var selected = null;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  function status(text) { document.getElementById("pc-status").textContent = text; }

  function add(entry) {
    var c = conversations[entry.conversationId];
    if (!c) { c = conversations[entry.conversationId] = { id: entry.conversationId, entries: [] }; }
    c.entries.push(entry);
    if (c.entries.length > 200) { c.entries.shift(); }
    c.last = entry.at;
  }

  function renderList() {
    var list = document.getElementById("pc-conversations");
    list.textContent = "";
    Object.keys(conversations).map(function (k) { return conversations[k]; })
      .sort(function (a, b) { return b.last - a.last; })
      .forEach(function (c) {
        var item = el("li");
        var button = el("button", null, "pc-conversation" + (c.id === selected ? " pc-selected" : ""));
        button.type = "button";
        button.setAttribute("data-conversation", c.id);
        var last = c.entries[c.entries.length - 1];
        button.appendChild(el("span", c.id, "pc-id"));
        button.appendChild(el("span", (last.user || "") + " · " + last.kind + " · " + new Date(c.last).toLocaleTimeString(), "pc-meta"));
        button.addEventListener("click", function () { selected = c.id; renderList(); renderTranscript(); });
        item.appendChild(button);
        list.appendChild(item);
      });
  }

  function renderTranscript() {
    var body = document.getElementById("pc-entries");
    body.textContent = "";
    var c = conversations[selected];
    if (!c) { return; }
    c.entries.forEach(function (e) {
      var row = el("tr", null, "pc-kind-" + e.kind.toLowerCase());
      row.appendChild(el("td", new Date(e.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false })));
      row.appendChild(el("td", e.kind));
      row.appendChild(el("td", e.intent || ""));
      row.appendChild(el("td", e.connector ? e.connector + (e.operation ? "." + e.operation : "") : ""));
      row.appendChild(el("td", e.status || ""));
      row.appendChild(el("td", e.latencyMs !== undefined ? e.latencyMs + " ms" : ""));
      row.appendChild(el("td", e.text || ""));
      body.appendChild(row);
    });
  }

  function renderHealth(health) {
    var workers = document.getElementById("pc-health-workers");
    workers.textContent = health.workers.total === 0
      ? "No worker metrics configured (console.workers in gateway.yaml)."
      : health.workers.reachable + " of " + health.workers.total + " workers reachable · " + new Date(health.at).toLocaleTimeString();
    var body = document.getElementById("pc-health-rows");
    body.textContent = "";
    health.connectors.forEach(function (c) {
      var row = el("tr", null, "pc-circuit-" + c.circuit.replace(/[^a-z]/g, "-"));
      row.setAttribute("data-operation", c.connector + "." + c.operation);
      row.appendChild(el("td", c.connector));
      row.appendChild(el("td", c.operation));
      row.appendChild(el("td", c.callsPerSecond !== undefined ? c.callsPerSecond.toFixed(2) : "–"));
      row.appendChild(el("td", c.errorRate !== undefined ? (c.errorRate * 100).toFixed(1) + " %" : "–"));
      row.appendChild(el("td", c.p95Millis !== undefined ? c.p95Millis + " ms" : "–"));
      row.appendChild(el("td", c.circuit));
      body.appendChild(row);
    });
  }

  function showFlows() {
    var picture = document.getElementById("pc-flows-picture");
    var note = document.getElementById("pc-flows-status");
    fetch("/console/api/flows.svg", { headers: { Authorization: "Bearer " + token } }).then(function (r) {
      if (!r.ok) {
        return r.json().then(function (body) { throw new Error(body.error || "no flow picture"); });
      }
      return r.blob();
    }).then(function (svg) {
      // As an image: the SVG is drawn, never run.
      if (picture.src) { URL.revokeObjectURL(picture.src); }
      picture.src = URL.createObjectURL(svg);
      picture.hidden = false;
      note.textContent = "";
    }).catch(function (e) {
      picture.hidden = true;
      note.textContent = e.message;
    });
  }

  function authorized(path) {
    return fetch(path, { headers: { Authorization: "Bearer " + token } }).then(function (r) {
      if (r.status === 401) { throw new Error("unauthorized"); }
      return r;
    });
  }

  function live() {
    authorized("/console/api/live").then(function (r) {
      var reader = r.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      status("live");
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { throw new Error("ended"); }
          buffer += decoder.decode(chunk.value, { stream: true });
          var events = buffer.split("\n\n");
          buffer = events.pop();
          var audited = false;
          events.forEach(function (block) {
            if (block.indexOf("event: health\ndata: ") === 0) {
              renderHealth(JSON.parse(block.slice("event: health\ndata: ".length)));
            } else if (block.indexOf("data: ") === 0) {
              var entry = JSON.parse(block.slice(6));
              add(entry);
              audited = true;
              if (!selected) { selected = entry.conversationId; }
            }
          });
          // Only new audit entries redraw the conversations: health figures come every few seconds.
          if (audited) {
            renderList();
            renderTranscript();
          }
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      status("reconnecting…");
      window.setTimeout(open, 3000);
    });
  }

  // The buttons are shown only to operators; the server checks the role again on every action.
  function showOperatorActions() {
    authorized("/console/api/me").then(function (r) { return r.json(); }).then(function (me) {
      document.getElementById("pc-operator").hidden = !me.actions;
      document.body.setAttribute("data-role", me.role);
    }).catch(function () { document.getElementById("pc-operator").hidden = true; });
  }

  function act(path, body) {
    var result = document.getElementById("pc-operator-result");
    result.textContent = "…";
    fetch(path, { method: "POST", headers: { Authorization: "Bearer " + token, "Content-Type": "application/json" },
      body: JSON.stringify(body) }).then(function (r) {
      return r.json().then(function (answer) {
        result.textContent = r.ok ? path.split("/").pop() + ": " + answer.status : (answer.error || ("HTTP " + r.status));
      });
    }).catch(function () { result.textContent = "the gateway did not answer"; });
  }

  document.getElementById("pc-erase").addEventListener("submit", function (event) {
    event.preventDefault();
    act("/console/api/erase", { userId: document.getElementById("pc-erase-user").value,
      conversationId: document.getElementById("pc-erase-conversation").value,
      channel: document.getElementById("pc-erase-channel").value });
  });
  document.getElementById("pc-replay").addEventListener("submit", function (event) {
    event.preventDefault();
    act("/console/api/replay", { topic: document.getElementById("pc-replay-topic").value,
      partition: Number(document.getElementById("pc-replay-partition").value),
      offset: Number(document.getElementById("pc-replay-offset").value) });
  });

  function open() {
    authorized("/console/api/conversations").then(function (r) { return r.json(); }).then(function (all) {
      document.getElementById("pc-login").hidden = true;
      document.getElementById("pc-main").hidden = false;
      conversations = {};
      all.slice().reverse().forEach(function (c) { c.entries.forEach(add); });
      if (!selected && all.length) { selected = all[0].conversationId; }
      renderList();
      renderTranscript();
      return authorized("/console/api/connectors").then(function (r) { return r.json(); });
    }).then(function (health) {
      renderHealth(health);
      showFlows();
      showOperatorActions();
      live();
    }).catch(function (e) {
      if (e.message === "unauthorized") {
        window.sessionStorage.removeItem("parley-console-token");
        status("the admin token was refused");
      } else {
        status("reconnecting…");
        window.setTimeout(open, 3000);
      }
    });
  }

  document.getElementById("pc-login").addEventListener("submit", function (event) {
    event.preventDefault();
    token = document.getElementById("pc-token").value;
    window.sessionStorage.setItem("parley-console-token", token);
    open();
  });
  if (token) { open(); }
})();
