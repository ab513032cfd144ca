// agentlog dashboard: the theme switch, keyboard navigation and live updates. Every page works
// without this script; it only adds to them.
(function () {
  "use strict";
  var root = document.documentElement;
  var stored = null;
  try { stored = localStorage.getItem("agentlog-theme"); } catch (e) {}
  var prefersDark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  root.dataset.theme = stored || (prefersDark ? "dark" : "light");

  function toggleTheme() {
    root.dataset.theme = root.dataset.theme === "dark" ? "light" : "dark";
    try { localStorage.setItem("agentlog-theme", root.dataset.theme); } catch (e) {}
  }

  // j/k move through the rows of the page's list (or the turns of a session), Enter opens.
  var selected = -1;
  function items() {
    var turns = document.querySelectorAll(".turn");
    if (turns.length) return turns;
    return document.querySelectorAll("table.rows tbody tr, .hits > li");
  }
  function select(step) {
    var list = items();
    if (!list.length) return;
    if (list[selected]) list[selected].classList.remove("selected");
    selected = Math.max(0, Math.min(list.length - 1, selected + step));
    list[selected].classList.add("selected");
    list[selected].scrollIntoView({ block: "nearest" });
  }
  function open() {
    var item = items()[selected];
    var link = item && item.querySelector("a[href]");
    if (link) window.location.href = link.href;
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA");
    if (typing) {
      if (event.key === "Escape") target.blur();
      return;
    }
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    if (event.key === "/") {
      event.preventDefault();
      var search = document.querySelector("main input[type=search]") || document.querySelector(".quick-search input");
      if (search) search.focus();
    } else if (event.key === "j") { select(1); }
    else if (event.key === "k") { select(-1); }
    else if (event.key === "Enter" && selected >= 0) { open(); }
    else if (event.key === "t") { toggleTheme(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme");
    if (button) button.addEventListener("click", toggleTheme);
    pair();
    live();
  });

  // Pairing: ask for a code, show it, poll until it is approved (the server then sets the
  // sign-in cookie) and go to the overview.
  function pair() {
    var form = document.getElementById("pair-form");
    if (!form || !window.fetch) return;
    var code = document.getElementById("pair-code"), status = document.getElementById("pair-status");
    function post(path, body) {
      return fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
        .then(function (response) { return response.json().then(function (json) { return { status: response.status, json: json }; }); });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      post("/api/v1/auth/pair", { device: form.device.value }).then(function (answer) {
        if (answer.status !== 201) { status.textContent = answer.json.error || "The server refused."; return; }
        form.hidden = true;
        code.hidden = false;
        code.textContent = answer.json.userCode;
        status.textContent = "On the machine that runs agentlog: " + answer.json.approveWith;
        var poll = setInterval(function () {
          post("/api/v1/auth/pair/token", { deviceCode: answer.json.deviceCode, cookie: true }).then(function (state) {
            if (state.status === 202) return;
            clearInterval(poll);
            if (state.status === 200) { status.textContent = "Approved. Opening the dashboard…"; window.location.href = "/"; }
            else { status.textContent = state.json.error || "Pairing failed."; }
          });
        }, answer.json.interval * 1000);
      });
    });
  }

  // Live: the page listens to the server's event stream and, when the database changed (a hook,
  // a sync, a run, another process), fetches itself again and swaps the main part in, keeping
  // open tool calls open and the scroll position. At most one refresh every two seconds.
  function live() {
    var address = document.body.dataset.live;
    var dot = document.getElementById("live");
    if (!address || !window.EventSource || !window.fetch || !window.DOMParser) return;
    var source = new EventSource(address);
    var pending = false, last = 0;
    source.onopen = function () { if (dot) { dot.classList.add("on"); dot.title = "Live: updates as agents work"; } };
    source.onerror = function () { if (dot) { dot.classList.remove("on"); dot.title = "Reconnecting…"; } };
    source.addEventListener("change", function () {
      if (pending) return;
      pending = true;
      setTimeout(refresh, Math.max(0, 2000 - (Date.now() - last)));
    });
    function refresh() {
      last = Date.now();
      fetch(window.location.href, { headers: { "Accept": "text/html" } }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        pending = false;
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("main");
        var main = document.getElementById("main");
        if (!fresh || !main) return;
        var openIds = Array.prototype.map.call(main.querySelectorAll("details[open][id]"), function (d) { return d.id; });
        var focused = document.activeElement && main.contains(document.activeElement);
        if (focused) return;  // never pull a form out from under the user
        main.innerHTML = fresh.innerHTML;
        openIds.forEach(function (id) { var d = document.getElementById(id); if (d) d.open = true; });
        selected = -1;
      }).catch(function () { pending = false; });
    }
  }
})();
