// Filter by verdict (?only=fail,crash keeps a filtered view in the URL)
// and open the collapsed parts around an anchor. Without this script the
// page shows everything.
(function () {
  "use strict";
  var FAILURES = ["fail", "unexpected-pass", "timeout", "crash", "protocol-error", "non-strict", "expected-fail"];
  var form = document.getElementById("filter");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
  var leaves = Array.prototype.slice.call(document.querySelectorAll("[data-v]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".g"));

  function apply(fromUser) {
    var on = {}, all = true, only = [];
    boxes.forEach(function (b) {
      on[b.value] = b.checked;
      all = all && b.checked;
      if (b.checked) only.push(b.value);
    });
    leaves.forEach(function (e) { e.hidden = !on[e.getAttribute("data-v")]; });
    groups.forEach(function (g) {
      var shown = false, inner = g.querySelectorAll("[data-v]");
      for (var i = 0; i < inner.length && !shown; i++) shown = on[inner[i].getAttribute("data-v")];
      g.hidden = !shown;
      if (shown && !all && g.tagName === "DETAILS") g.open = true;
    });
    if (fromUser) {
      try {
        history.replaceState(null, "", (all ? location.pathname : "?only=" + only.join(",")) + location.hash);
      } catch (e) { /* file: URLs in some browsers */ }
    }
  }

  function set(values) {
    boxes.forEach(function (b) { b.checked = values.indexOf(b.value) >= 0; });
    apply(true);
  }

  function reveal() {
    var id = location.hash.slice(1), target = id && document.getElementById(id);
    if (!target && id) {
      try { target = document.getElementById(decodeURIComponent(id)); } catch (e) { target = null; }
    }
    for (var p = target; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") p.open = true;
    }
    if (target) target.scrollIntoView();
  }

  boxes.forEach(function (b) { b.addEventListener("change", function () { apply(true); }); });
  form.querySelectorAll("button").forEach(function (b) {
    b.addEventListener("click", function () {
      set(b.getAttribute("data-only") === "all" ? boxes.map(function (x) { return x.value; }) : FAILURES);
    });
  });
  var m = /[?&]only=([^&#]*)/.exec(location.search);
  if (m) {
    var wanted = m[1].split(",");
    boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
  }
  apply(false);
  window.addEventListener("hashchange", reveal);
  reveal();
  form.hidden = false;
  document.documentElement.setAttribute("data-filter", "ready");
})();
