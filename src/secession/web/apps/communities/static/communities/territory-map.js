/* A polygon drawn on a map (Leaflet over the Natural Earth countries of world-atlas, no
   tiles, no network): the territory of the founding form, the drawn region of a plan.
   The GeoJSON field is the source of truth: the map writes it on every change, and
   typing into it (or into the corners field) redraws the map. Without this script the
   form still works: the fields are read by the server.

   The founding form's element ids are the defaults; another form names its own on the
   map's element: data-field, data-corners, data-place, data-status, data-undo,
   data-clear (ids; empty: none), data-when (below), data-view ("lat,lng,zoom") and data-texts (the id of a <script type="application/json"> with
   its sentences in the page's language, the keys of TEXTS below). */
(function () {
  "use strict";
  var box = document.querySelector("[data-draw-map]") || document.getElementById("territory-map");
  if (!box || !window.L || !window.topojson) { return; }
  // data-when: the id of a radio button; the map is drawn (and its base map fetched) only
  // once that choice is made, hidden until then
  // (with data-hide: the id of the element hidden with it, e.g. its section)
  var when = box.dataset.when && document.getElementById(box.dataset.when);
  var shown = document.getElementById(box.dataset.hide || "") || box;
  if (when && !when.checked) {
    shown.hidden = true;
    when.form.addEventListener("change", function start() {
      if (!when.checked) { return; }
      when.form.removeEventListener("change", start);
      shown.hidden = false;
      init();
    });
    return;
  }
  init();

  function init() {
    function byId(key, fallback) {
      return document.getElementById(key in box.dataset ? box.dataset[key] : fallback);
    }
    var field = byId("field", "id_territory_geojson");
    var corners = byId("corners", "id_territory_corners");
    var place = byId("place", "id_territory_place");
    var status = byId("status", "map-status");
    var TEXTS = {
      base_missing: "The world base map could not be loaded; drawing still works.",
      corners_drawn: "{n} corners; the territory field is updated.",
      too_few: "{n} corner(s): add at least three.",
      none_drawn: "No territory drawn.",
      nothing_to_undo: "Nothing to undo.",
      not_geojson: "The territory field is not valid GeoJSON yet.",
      cannot_show: "The territory field holds a shape the map cannot show.",
      too_few_typed: "{n} corner(s) typed: add at least three.",
      shown: "The territory from the field is shown on the map."
    };
    var own = box.dataset.texts && document.getElementById(box.dataset.texts);
    if (own) {
      var given = JSON.parse(own.textContent);
      Object.keys(given).forEach(function (k) { TEXTS[k] = given[k]; });
    }
    function text(key, n) { return TEXTS[key].replace("{n}", n); }
    var map = L.map(box, { minZoom: 1, maxZoom: 14, zoomSnap: 0.5, worldCopyJump: true })
      .setView([30, 0], 1.5);
    if (box.dataset.view) {  // "lat,lng,zoom": where the map opens
      var v = box.dataset.view.split(",").map(Number);
      map.setView([v[0], v[1]], v[2]);
    }
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Countries: Natural Earth (world-atlas)");
    var countries = [];
    var points = [];      // the corners being drawn, as L.LatLng
    var history = [];     // earlier states of points, for Undo
    var outline = null;   // a shape from the field that is not a simple polygon
    var shape = L.polygon([], { color: "#08519c", weight: 2, fillOpacity: 0.25 }).addTo(map);
    var handles = L.layerGroup().addTo(map);

    fetch(box.dataset.countries).then(function (r) { return r.json(); }).then(function (topo) {
      var world = topojson.feature(topo, topo.objects.countries);
      countries = world.features;
      L.geoJSON(world, {
        interactive: false,
        style: { color: "#57606a", weight: 0.6, fillColor: "#fff", fillOpacity: 1 }
      }).addTo(map).bringToBack();
    }).catch(function () { say(text("base_missing")); });

    function say(text) { status.textContent = text; }
    function round(v) { return Math.round(v * 100000) / 100000; }
    function lng(p) { return round(L.Util.wrapNum(p.lng, [-180, 180], true)); }

    function redraw() {
      shape.setLatLngs(points);
      handles.clearLayers();
      points.forEach(function (p, i) {
        var m = L.marker(p, {
          draggable: true, keyboard: false,
          icon: L.divIcon({ className: "corner", iconSize: null })
        });
        m.on("dragstart", function () { save(); });
        m.on("drag dragend", function () { points[i] = m.getLatLng(); shape.setLatLngs(points); });
        m.on("dragend", function () { write(); });
        handles.addLayer(m);
      });
    }

    function write() {
      if (points.length >= 3) {
        var ring = points.map(function (p) { return [lng(p), round(p.lat)]; });
        ring.push(ring[0].slice());
        field.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
        if (corners) {
          corners.value = ring.slice(0, -1).map(function (c) { return c[0] + ", " + c[1]; }).join("\n");
        }
        say(text("corners_drawn", points.length));
      } else {
        field.value = "";
        if (corners) { corners.value = ""; }
        say(points.length ? text("too_few", points.length) : text("none_drawn"));
      }
      changed();
    }
    // the map wrote the field (no "input" event for that): tell the page's other scripts
    function changed() { field.dispatchEvent(new Event("change", { bubbles: true })); }

    function save() { history.push(points.slice()); }
    function clearOutline() { if (outline) { map.removeLayer(outline); outline = null; } }

    map.on("click", function (e) {
      clearOutline(); save(); points.push(e.latlng); redraw(); write();
    });
    byId("undo", "map-undo").addEventListener("click", function () {
      if (!history.length) { say(text("nothing_to_undo")); return; }
      clearOutline(); points = history.pop(); redraw(); write();
    });
    byId("clear", "map-clear").addEventListener("click", function () {
      save(); clearOutline(); points = []; redraw(); write();
    });

    /* The field drives the map: a single-ring polygon becomes editable corners, anything
       else (a country's outline, a multipolygon) is shown as it is. */
    function fromField(fit) {
      var text = field.value.trim();
      clearOutline();
      if (!text) { points = []; redraw(); return; }
      var geo;
      try { geo = JSON.parse(text); } catch (err) { say(text("not_geojson")); return; }
      var g = geo && geo.type === "Feature" ? geo.geometry : geo;
      if (g && g.type === "Polygon" && g.coordinates.length === 1) {
        var ring = g.coordinates[0].slice();
        if (ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1]) { ring.pop(); }
        points = ring.map(function (c) { return L.latLng(c[1], c[0]); });
        redraw();
        if (fit && points.length) { map.fitBounds(L.latLngBounds(points), { maxZoom: 10 }); }
        return;
      }
      points = []; redraw();
      try {
        outline = L.geoJSON(geo, { style: { color: "#08519c", weight: 2, fillOpacity: 0.25 } }).addTo(map);
        if (fit) { map.fitBounds(outline.getBounds(), { maxZoom: 10 }); }
      } catch (err) { say(text("cannot_show")); }
    }
    field.addEventListener("input", function () { fromField(true); });

    if (corners) {
      corners.addEventListener("input", function () {
        var pts = [];
        corners.value.split(/[\n;]+/).forEach(function (line) {
          var v = line.trim().split(/[\s,]+/).filter(Boolean).map(Number);
          if (v.length === 2 && isFinite(v[0]) && isFinite(v[1]) && Math.abs(v[0]) <= 180 && Math.abs(v[1]) <= 90) {
            pts.push(L.latLng(v[1], v[0]));
          }
        });
        clearOutline(); save(); points = pts; redraw();
        if (pts.length >= 3) {
          var ring = pts.map(function (p) { return [round(p.lng), round(p.lat)]; });
          ring.push(ring[0].slice());
          field.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
          map.fitBounds(L.latLngBounds(pts), { maxZoom: 10 });
          changed();
          say(text("corners_drawn", pts.length));
        } else {
          say(text("too_few_typed", pts.length));
        }
      });
    }

    function findPlace() {
      var name = (place.value || "").trim().toLowerCase();
      var hit = countries.filter(function (f) { return f.properties.name.toLowerCase() === name; })[0];
      if (!hit) { say(name ? "No country called “" + place.value + "”: pick a name from the list." : "Type a country's name first."); }
      return hit;
    }
    if (place) {
      document.getElementById("place-zoom").addEventListener("click", function () {
        var hit = findPlace();
        if (hit) { map.fitBounds(L.geoJSON(hit).getBounds()); say("Showing " + hit.properties.name + "."); }
      });
      document.getElementById("place-use").addEventListener("click", function () {
        var hit = findPlace();
        if (!hit) { return; }
        save(); field.value = JSON.stringify(hit.geometry); fromField(true); changed();
        say("The outline of " + hit.properties.name + " is in the territory field.");
      });
    }

    if (field.value.trim()) { fromField(true); say(text("shown")); }
  }
})();
