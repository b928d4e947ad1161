// Follows a plan's progress: polls its status JSON and fills the fields of #plan-progress.
(function () {
  "use strict";
  var box = document.getElementById("plan-progress");
  if (!box || (box.dataset.status !== "queued" && box.dataset.status !== "running")) return;
  var url = box.dataset.statusUrl;
  var T = {};  // texts in the page's language (#planner-texts, written by the template)
  try { T = JSON.parse(document.getElementById("planner-texts").textContent) || {}; } catch (e) { T = {}; }
  function t(key, fallback, values) {
    var text = T[key] || fallback;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }
  function set(name, text) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (el) el.textContent = text;
  }
  function percent(x) { return x === null || x === undefined ? t("none_yet", "none yet") : (100 * x).toFixed(2) + " %"; }
  function number(x) { return x === null || x === undefined ? t("not_yet", "not yet") : Math.round(x).toLocaleString(document.documentElement.lang || undefined); }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) return;
        var p = s.progress || {};
        set("status_label", s.status_label);
        set("satisfied_share", percent(p.satisfied_share));
        set("best_bound", number(p.best_bound));
        set("gap", p.gap === null || p.gap === undefined ? t("not_yet", "not yet") : (100 * p.gap).toFixed(4) + " %");
        set("elapsed", (p.elapsed || 0).toFixed(1) + " s");
        if (s.message) {
          var m = box.querySelector('[data-field="message"]');
          m.textContent = s.message; m.hidden = false; m.setAttribute("role", "alert");
        }
        if (s.status === "queued" || s.status === "running") {
          window.setTimeout(poll, 2000);
        } else {
          var note = box.querySelector("[data-reload-note]");
          if (note) note.hidden = false;
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
