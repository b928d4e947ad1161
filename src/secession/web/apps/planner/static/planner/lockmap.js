// Locked units chosen by clicking a map of the chosen dataset and place (the new-plan
// form): the map is the place's map before any plan (GET data-map-url), framed and
// sandboxed; a click locks a unit to leave or to stay (as the radio says), a second click
// with the same choice unlocks it. The two typed fields stay the way without a script
// and always list the same units as the map's marks.
(function () {
  "use strict";
  var box = document.getElementById("lock-map");
  if (!box || !window.secessionMapFrame) return;
  var form = box.closest("form");
  var leave = document.getElementById("id_lock_leave");
  var stay = document.getElementById("id_lock_stay");
  var frame = document.getElementById("lock-map-frame");
  var status = document.getElementById("lock-map-status");
  var show = document.getElementById("lock-map-show");
  box.hidden = false;
  var T = {};  // texts in the page's language (#planner-texts, written by the template)
  try { T = JSON.parse(document.getElementById("planner-texts").textContent) || {}; } catch (e) { T = {}; }
  function t(key, fallback, values) {
    var text = T[key] || fallback;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }

  function ids(field) { return field.value.split(/[\s,]+/).filter(Boolean); }
  function put(field, list) { field.value = list.join(", "); }

  var map = window.secessionMapFrame(frame, function (id) {
    var kind = form.querySelector("input[name=lock_click]:checked").value;
    var mine = kind === "leave" ? leave : stay, theirs = kind === "leave" ? stay : leave;
    var list = ids(mine), at = list.indexOf(id);
    if (at >= 0) list.splice(at, 1); else list.push(id);
    put(mine, list);
    put(theirs, ids(theirs).filter(function (x) { return x !== id; }));  // one lock a unit
    mark();
    status.textContent = at >= 0 ? t("lock_unlocked", "Unit {id} unlocked.", { id: id }) :
      kind === "leave" ? t("lock_leave", "Unit {id} must leave.", { id: id }) :
        t("lock_stay", "Unit {id} must stay.", { id: id });
  });

  function mark() {
    map.mark(ids(leave).map(function (id) { return [id, "leave"]; })
      .concat(ids(stay).map(function (id) { return [id, "stay"]; })));
  }

  function query() {
    var q = new URLSearchParams();
    var upload = document.getElementById("id_upload");
    if (upload && upload.value) q.set("upload", upload.value);
    else q.set("year", document.getElementById("id_year").value);
    q.set("place", document.getElementById("id_place").value);
    q.set("direction", document.getElementById("id_direction").value);
    return box.dataset.mapUrl + "?" + q.toString();
  }

  show.addEventListener("click", function () {
    var url = query();
    status.textContent = t("lock_drawing", "Drawing the map…");
    show.disabled = true;
    // asked once here to show a refusal at the button; the frame then gets the drawn file
    fetch(url, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) {
          return r.text().then(function (t) { status.textContent = t; frame.hidden = true; });
        }
        frame.hidden = false;
        frame.src = url;
        status.textContent = t("lock_shown", "The map is shown below: click units to lock them.");
      })
      .catch(function () { status.textContent = t("lock_unreachable", "The map could not be drawn: the server is not reachable."); })
      .then(function () { show.disabled = false; });
  });
  [leave, stay].forEach(function (f) { f.addEventListener("input", mark); });
  mark();
})();
