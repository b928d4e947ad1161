// Edit by hand, checked live: as units are typed, or clicked on the plan's map, ask the
// check endpoint what the moves do (each unit goes to the other side, as the form does
// without this script). The field and the map's marks always show the same units.
(function () {
  "use strict";
  var box = document.getElementById("plan-edit");
  if (!box) return;
  var form = box.querySelector("form");
  var input = document.getElementById("edit-units");
  var out = document.getElementById("edit-result");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timer = null;
  var T = {};  // texts in the page's language (#planner-texts, written by the template)
  try { T = JSON.parse(document.getElementById("planner-texts").textContent) || {}; } catch (e) { T = {}; }
  function t(key, fallback, values) {
    var text = T[key] || fallback;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }

  function el(tag, text) { var e = document.createElement(tag); e.textContent = text; return e; }
  var lang = document.documentElement.lang || undefined;
  function n(x) { return Math.round(x).toLocaleString(lang); }

  function show(r) {
    out.replaceChildren();
    var sign = r.change >= 0 ? "+" : "";
    var voters = el("p", t("edit_result",
      "Voters in the country they chose: {before} now, {after} after the moves ({change}).",
      { before: n(r.satisfied_before), after: n(r.satisfied_after), change: sign + n(r.change) }));
    voters.dataset.change = String(r.change);  // the change in voters, for scripts and tests
    out.appendChild(voters);
    var moved = document.createElement("ul");
    r.moved.forEach(function (m) { moved.appendChild(el("li", m.name + " (" + m.unit_id + "): " + m.from + " → " + m.to)); });
    out.appendChild(moved);
    if (r.valid) { out.appendChild(el("p", t("edit_valid", "Every constraint still holds."))); return; }
    var many = r.violations.length === 1 ? "edit_breaks_one" : "edit_breaks_many";
    var warn = el("p", t(many, "The edited plan breaks {n} constraint(s):", { n: r.violations.length }));
    warn.setAttribute("role", "alert");
    out.appendChild(warn);
    var list = document.createElement("ul");
    r.violations.forEach(function (v) { var li = el("li", v.message); li.dataset.kind = v.kind; list.appendChild(li); });
    out.appendChild(list);
  }

  function typed() { return input.value.replace(/,/g, " ").split(/\s+/).filter(Boolean); }

  var frame = document.getElementById("plan-map");
  var map = frame && window.secessionMapFrame ? window.secessionMapFrame(frame, toggle) : null;
  function mark() {
    if (map) map.mark(typed().map(function (id) { return [id, "move"]; }));
  }

  // a click on the map adds the unit to the units to move, or takes it out again
  function toggle(id) {
    var ids = typed();
    var at = ids.indexOf(id);
    if (at >= 0) ids.splice(at, 1); else ids.push(id);
    input.value = ids.join(", ");
    mark();
    window.clearTimeout(timer);
    check();
  }

  function check() {
    var ids = typed();
    if (!ids.length) { out.replaceChildren(); return; }
    var moves = {};
    ids.forEach(function (id) { moves[id] = "other"; });  // each to the side it is not on
    fetch(box.dataset.checkUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, Accept: "application/json" },
      body: JSON.stringify({ moves: moves })
    }).then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (a) {
        if (a.ok) { show(a.body); return; }
        out.replaceChildren(el("p", a.body.detail || t("edit_failed", "The check failed.")));
      })
      .catch(function () { out.replaceChildren(el("p", t("edit_unreachable", "The check could not reach the server."))); });
  }

  input.addEventListener("input", function () {
    mark();
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  });
  mark();
})();
