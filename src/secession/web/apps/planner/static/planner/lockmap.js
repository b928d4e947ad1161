// Locked units chosen by clicking a map of the chosen dataset and place (the new-plan
// form): the map is the place's map before any plan (GET data-map-url), framed and
// sandboxed; a click locks a unit to leave or to stay (as the radio says), a second click
// with the same choice unlocks it. The two typed fields stay the way without a script
// and always list the same units as the map's marks. When the place is a drawn region, the
// server says which units lie outside it (POST data-region-url: the test a plan of the
// region keeps units by); the map greys them, a click on one locks nothing, and a
// sentence under the map says how many; drawing the region again asks again.
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
  var offText = document.getElementById("lock-map-outside");
  var region = document.getElementById("id_region");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var outside = new Set();
  var shownWith = null;  // the dataset, place and side of the map shown
  var asked = 0, timer = null;
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
    if (outside.has(id)) {
      status.textContent = t("lock_outside_click", "Unit {id} lies outside the drawn region: it cannot be locked.", { id: id });
      return;
    }
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

  function chosen() {
    var upload = document.getElementById("id_upload");
    return {
      upload: upload && upload.value ? upload.value : "",
      year: document.getElementById("id_year").value,
      place: document.getElementById("id_place").value,
      direction: document.getElementById("id_direction").value
    };
  }

  function query(c) {
    var q = new URLSearchParams();
    if (c.upload) q.set("upload", c.upload); else q.set("year", c.year);
    q.set("place", c.place);
    q.set("direction", c.direction);
    return box.dataset.mapUrl + "?" + q.toString();
  }

  function drawn() {
    var kind = form.querySelector("input[name=place_kind]:checked");
    return kind && kind.value === "region" && region && region.value.trim() ? region.value.trim() : "";
  }

  function setOutside(ids, sentence) {
    outside = new Set(ids);
    map.off(ids, t("lock_outside_note", "Outside the drawn region: it cannot be locked."));
    offText.textContent = sentence;
  }

  // which units the drawn region leaves out, asked of the server (never decided here)
  function askRegion() {
    var mine = ++asked;
    var text = drawn();
    if (!shownWith || !text) { setOutside([], ""); return; }
    var geometry;
    try { geometry = JSON.parse(text); } catch (e) { setOutside([], t("lock_region_unreadable", "The drawn region field is not valid GeoJSON yet.")); return; }
    var c = shownWith, body = { place: c.place.split(",").map(function (s) { return s.trim(); }).filter(Boolean), direction: c.direction, region: geometry };
    if (c.upload) body.upload = c.upload; else body.year = parseInt(c.year, 10);
    offText.textContent = t("lock_region_asking", "Finding which units lie inside the drawn region…");
    fetch(box.dataset.regionUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, Accept: "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (a) {
        if (mine !== asked) return;  // the region changed again meanwhile
        if (a.ok) { setOutside(a.body.outside, a.body.sentence); return; }
        setOutside([], t("lock_region_refused", "The units outside the drawn region cannot be shown: {why}", { why: a.body.detail || "" }));
      })
      .catch(function () {
        if (mine === asked) setOutside([], t("lock_region_unreachable", "The units outside the drawn region cannot be shown: the server is not reachable."));
      });
  }
  function askSoon() { window.clearTimeout(timer); timer = window.setTimeout(askRegion, 400); }

  show.addEventListener("click", function () {
    var c = chosen(), url = query(c);
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
        shownWith = c;
        askRegion();
        status.textContent = t("lock_shown", "The map is shown below: click units to lock them.");
      })
      .catch(function () { status.textContent = t("lock_unreachable", "The map could not be drawn: the server is not reachable."); })
      .then(function () { show.disabled = false; });
  });
  [leave, stay].forEach(function (f) { f.addEventListener("input", mark); });
  if (region) { region.addEventListener("input", askSoon); region.addEventListener("change", askSoon); }
  form.querySelectorAll("input[name=place_kind]").forEach(function (r) { r.addEventListener("change", askSoon); });
  mark();
})();
