/* Presence on a brief's change form: "X is editing" means X typed, not just looked.
   The first input (or change) of the form posts state=editing, again every few
   minutes while typing goes on so the notice does not expire mid-work
   (editorial.workflow.PRESENCE_TTL is 10 minutes); leaving the page with unsaved
   input posts state=left with navigator.sendBeacon. A save clears presence on
   the server. Loaded from our own origin with the page's CSP nonce; no inline
   code. Without JavaScript nobody is shown as editing until a form is posted. */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-presence-url");
  var REPING_MS = 4 * 60 * 1000;
  function start() {
    var form = document.getElementById("brief_form");
    if (!form || !url) { return; }
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!token) { return; }
    var lastPing = 0;
    var saving = false;
    function payload(state) {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", token.value);
      data.append("state", state);
      return data;
    }
    function touched() {
      var now = Date.now();
      if (now - lastPing < REPING_MS) { return; }
      lastPing = now;
      fetch(url, { method: "POST", body: payload("editing"), credentials: "same-origin" });
    }
    form.addEventListener("input", touched);
    form.addEventListener("change", touched);
    form.addEventListener("submit", function (event) {
      // The preview buttons post elsewhere (formaction): still editing.
      var button = event.submitter;
      if (!button || !button.hasAttribute("formaction")) { saving = true; }
    });
    window.addEventListener("pagehide", function () {
      if (lastPing && !saving && navigator.sendBeacon) {
        navigator.sendBeacon(url, payload("left"));
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
