/* The demo page of local mode: sign in as a demo user, then mount the widget with demo tokens. */
(function () {
  "use strict";
  var users = document.getElementById("demo-users");
  var signedIn = document.getElementById("signed-in");
  var chat = document.getElementById("parley-chat");

  function signIn(user) {
    window.sessionStorage.setItem("parley-demo-user", user);
    Array.prototype.forEach.call(users.querySelectorAll("button"), function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-user") === user));
    });
    signedIn.textContent = "Signed in as " + user;
    window.ParleyChat.mount(chat, {
      gateway: window.location.protocol + "//" + window.location.host,
      storageScope: user,
      transport: new URLSearchParams(window.location.search).get("transport") || undefined,
      getToken: function () {
        return fetch("/demo/token?user=" + encodeURIComponent(user), { method: "POST" })
          .then(function (r) { return r.json(); })
          .then(function (body) { return body.token; });
      }
    });
  }

  fetch("/demo/users").then(function (r) { return r.json(); }).then(function (list) {
    list.forEach(function (user) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = user;
      b.setAttribute("data-user", user);
      b.setAttribute("aria-pressed", "false");
      b.addEventListener("click", function () {
        if (window.sessionStorage.getItem("parley-demo-user") !== user) {
          window.sessionStorage.setItem("parley-demo-user", user);
          window.location.reload();
        }
      });
      users.appendChild(b);
    });
    var asked = new URLSearchParams(window.location.search).get("user");
    if (asked && list.indexOf(asked) >= 0) { window.sessionStorage.setItem("parley-demo-user", asked); }
    var current = window.sessionStorage.getItem("parley-demo-user");
    if (current && list.indexOf(current) >= 0) { signIn(current); }
  });
})();
