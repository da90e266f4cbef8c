/*
 * Parley web chat widget. One script and one stylesheet, no build step:
 *
 *   <link rel="stylesheet" href="https://chat.example.com/widget/parley-chat.css">
 *   <div id="parley-chat"></div>
 *   <script src="https://chat.example.com/widget/parley-chat.js"
 *           data-target="parley-chat" data-token-url="/parley/token" defer></script>
 *
 * data-token-url is an endpoint of the site (same origin as the page) that answers a POST with
 * {"token": "<short-lived JWT for the signed-in user>"}. Message text is always rendered as text.
 */
(function () {
  "use strict";

  var script = document.currentScript;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function timeOf(millis) {
    var d = new Date(millis);
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function ParleyChat(root, options) {
    this.root = root;
    this.gateway = options.gateway;
    this.getToken = options.getToken;
    this.storageKey = "parley-chat:" + (options.storageScope || "default");
    this.state = this.load();
    this.transport = null;
    this.useSse = options.transport === "sse";
    this.attempt = 0;
    this.pending = [];
    this.render();
    this.connect();
  }

  ParleyChat.prototype.load = function () {
    try {
      var saved = JSON.parse(window.localStorage.getItem(this.storageKey) || "null");
      if (saved && Array.isArray(saved.transcript)) { return saved; }
    } catch (e) { /* a broken entry starts a new conversation */ }
    return { conversationId: null, lastReplyId: null, transcript: [] };
  };

  ParleyChat.prototype.save = function () {
    var keep = this.state.transcript.slice(-100);
    this.state.transcript = keep;
    window.localStorage.setItem(this.storageKey, JSON.stringify(this.state));
  };

  ParleyChat.prototype.render = function () {
    var self = this;
    this.root.classList.add("parley-chat");
    this.root.textContent = "";
    var header = el("div", "parley-header");
    header.appendChild(el("span", "parley-title", "Chat"));
    this.status = el("span", "parley-status", "connecting…");
    this.status.setAttribute("role", "status");
    this.status.setAttribute("data-state", "connecting");
    header.appendChild(this.status);
    this.root.appendChild(header);

    this.log = el("div", "parley-log");
    this.log.setAttribute("role", "log");
    this.log.setAttribute("aria-live", "polite");
    this.log.setAttribute("aria-label", "Conversation");
    this.log.setAttribute("tabindex", "0");
    this.root.appendChild(this.log);

    this.typing = el("div", "parley-typing");
    this.typing.setAttribute("aria-live", "polite");
    this.typing.hidden = true;
    this.root.appendChild(this.typing);

    this.quick = el("div", "parley-quick");
    this.quick.setAttribute("role", "group");
    this.quick.setAttribute("aria-label", "Suggested answers");
    this.root.appendChild(this.quick);

    var form = el("form", "parley-form");
    var label = el("label", "parley-visually-hidden", "Your message");
    label.setAttribute("for", "parley-input");
    this.input = el("input", "parley-input");
    this.input.id = "parley-input";
    this.input.type = "text";
    this.input.autocomplete = "off";
    this.input.maxLength = 2000;
    this.input.placeholder = "Type a message";
    var send = el("button", "parley-send", "Send");
    send.type = "submit";
    form.appendChild(label);
    form.appendChild(this.input);
    form.appendChild(send);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = self.input.value.trim();
      if (text) {
        self.sendMessage(text);
        self.input.value = "";
      }
    });
    this.root.appendChild(form);
    this.error = el("div", "parley-error");
    this.error.setAttribute("role", "alert");
    this.root.appendChild(this.error);

    this.state.transcript.forEach(function (entry) { self.show(entry, false); });
    var last = this.state.transcript[this.state.transcript.length - 1];
    if (last && last.who === "bot") { this.showQuickReplies(last.quickReplies); }
  };

  ParleyChat.prototype.setStatus = function (state, text) {
    this.status.setAttribute("data-state", state);
    this.status.textContent = text;
    this.root.setAttribute("data-connection", state);
  };

  ParleyChat.prototype.show = function (entry, remember) {
    var item = el("div", "parley-msg parley-" + entry.who + (entry.kind ? " parley-kind-" + entry.kind.toLowerCase() : ""));
    if (entry.replyId) { item.setAttribute("data-reply-id", entry.replyId); }
    if (entry.kind === "NOTIFICATION") { item.appendChild(el("span", "parley-label", "Notification")); }
    if (entry.kind === "FOLLOW_UP") { item.appendChild(el("span", "parley-label", "Update")); }
    item.appendChild(el("span", "parley-text", entry.text));
    var time = el("time", "parley-time", timeOf(entry.at));
    time.setAttribute("datetime", new Date(entry.at).toISOString());
    item.appendChild(time);
    this.log.appendChild(item);
    this.log.scrollTop = this.log.scrollHeight;
    if (remember) {
      this.state.transcript.push(entry);
      this.save();
    }
  };

  ParleyChat.prototype.showQuickReplies = function (choices) {
    var self = this;
    this.quick.textContent = "";
    (choices || []).forEach(function (choice) {
      var button = el("button", "parley-quick-reply", choice);
      button.type = "button";
      button.addEventListener("click", function () {
        self.quick.textContent = "";
        self.sendMessage(choice);
      });
      self.quick.appendChild(button);
    });
  };

  ParleyChat.prototype.onReply = function (frame) {
    if (frame.kind === "INTERIM") {
      // A still-working message: shown as an indicator that the final answer replaces.
      this.typing.textContent = frame.text;
      this.typing.hidden = false;
      this.state.lastReplyId = frame.replyId;
      this.save();
      return;
    }
    if (frame.kind !== "NOTIFICATION") {
      this.typing.hidden = true;
      this.typing.textContent = "";
    }
    this.state.lastReplyId = frame.replyId;
    this.show({ who: "bot", kind: frame.kind, text: frame.text, at: frame.createdAt, replyId: frame.replyId,
      quickReplies: frame.quickReplies }, true);
    this.showQuickReplies(frame.quickReplies);
  };

  ParleyChat.prototype.sendMessage = function (text) {
    this.error.textContent = "";
    this.quick.textContent = "";
    this.show({ who: "user", text: text, at: Date.now() }, true);
    var frame = JSON.stringify({ type: "message", text: text, clientId: String(Date.now()) + Math.random().toString(16).slice(2, 8) });
    if (this.transport && this.ready) {
      this.transport.send(frame);
    } else {
      this.pending.push(frame);
    }
  };

  ParleyChat.prototype.helloFrame = function (token) {
    return JSON.stringify({ type: "hello", token: token, conversationId: this.state.conversationId,
      lastReplyId: this.state.lastReplyId, locale: navigator.language });
  };

  ParleyChat.prototype.onFrame = function (frame) {
    if (frame.type === "ready") {
      if (frame.conversationId !== this.state.conversationId) {
        this.state.conversationId = frame.conversationId;
        this.state.lastReplyId = null;
        this.save();
      }
      this.ready = true;
      this.attempt = 0;
      this.setStatus("online", "online");
      while (this.pending.length) { this.transport.send(this.pending.shift()); }
    } else if (frame.type === "reply") {
      this.onReply(frame);
    } else if (frame.type === "error") {
      this.error.textContent = frame.message;
    }
  };

  ParleyChat.prototype.onClosed = function (code, reason) {
    this.ready = false;
    this.transport = null;
    if (code === 1008) {
      this.setStatus("refused", "disconnected: " + reason);
      if (reason !== "token expired") { return; }
    }
    this.retry();
  };

  ParleyChat.prototype.connect = function () {
    var self = this;
    this.ready = false;
    this.setStatus(this.attempt === 0 ? "connecting" : "reconnecting", this.attempt === 0 ? "connecting…" : "reconnecting…");
    Promise.resolve(this.getToken()).then(function (token) {
      if (self.useSse) { self.connectSse(token); } else { self.connectWebSocket(token); }
    }, function () { self.retry(); });
  };

  ParleyChat.prototype.connectWebSocket = function (token) {
    var self = this;
    var opened = false;
    var socket = new WebSocket(this.gateway.replace(/^http/, "ws") + "/chat/ws");
    socket.onopen = function () {
      opened = true;
      self.wsFailures = 0;
      self.transport = { send: function (frame) { socket.send(frame); } };
      socket.send(self.helloFrame(token));
    };
    socket.onmessage = function (event) {
      try { self.onFrame(JSON.parse(event.data)); } catch (e) { /* not a frame of ours */ }
    };
    socket.onclose = function (event) {
      if (!opened) {
        // A proxy that blocks WebSockets: after two failed opens, fall back to server-sent events.
        self.wsFailures = (self.wsFailures || 0) + 1;
        if (self.wsFailures >= 2) { self.useSse = true; }
      }
      self.onClosed(event.code, event.reason);
    };
  };

  ParleyChat.prototype.connectSse = function (token) {
    var self = this;
    var base = this.gateway + "/chat/sse";
    fetch(base, { method: "POST", body: this.helloFrame(token) }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    }).then(function (answer) {
      if (answer.status === 401) { self.onClosed(1008, answer.body.error); return; }
      var url = base + "/" + encodeURIComponent(answer.body.stream);
      var events = new EventSource(url);
      self.transport = { send: function (frame) { fetch(url, { method: "POST", body: frame }); } };
      events.onmessage = function (event) {
        try { self.onFrame(JSON.parse(event.data)); } catch (e) { /* not a frame of ours */ }
      };
      events.addEventListener("close", function (event) {
        events.close();
        var info = JSON.parse(event.data);
        self.onClosed(info.code, info.reason);
      });
      events.onerror = function () {
        events.close();
        self.onClosed(1006, "");
      };
    }, function () { self.onClosed(1006, ""); });
  };

  ParleyChat.prototype.retry = function () {
    var self = this;
    this.attempt += 1;
    this.setStatus("reconnecting", "reconnecting…");
    var delay = Math.min(30000, 500 * Math.pow(2, Math.min(this.attempt, 6))) * (0.5 + Math.random() / 2);
    window.setTimeout(function () { self.connect(); }, delay);
  };

  function gatewayOf(src) {
    var a = document.createElement("a");
    a.href = src;
    return a.protocol + "//" + a.host;
  }

  window.ParleyChat = {
    /**
     * Mounts the chat in an element. options: getToken (returns a token or a promise), gateway,
     * storageScope, transport ("sse" to skip WebSockets; they are otherwise tried first).
     */
    mount: function (root, options) {
      return new ParleyChat(root, {
        gateway: options.gateway || gatewayOf(script ? script.src : window.location.href),
        getToken: options.getToken,
        storageScope: options.storageScope,
        transport: options.transport
      });
    }
  };

  if (script && script.getAttribute("data-token-url")) {
    var tokenUrl = script.getAttribute("data-token-url");
    var start = function () {
      var target = document.getElementById(script.getAttribute("data-target") || "parley-chat");
      if (!target) { return; }
      window.ParleyChat.mount(target, {
        getToken: function () {
          return fetch(tokenUrl, { method: "POST", credentials: "same-origin" })
            .then(function (r) { if (!r.ok) { throw new Error("token"); } return r.json(); })
            .then(function (body) { return body.token; });
        }
      });
    };
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
  }
})();
