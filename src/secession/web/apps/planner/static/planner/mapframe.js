// Talk to a plan map framed on this page (the map.html of secession.maps, in a sandboxed
// frame of its own origin): the map says which unit was clicked, the page says which units
// to mark. Messages from anything but that frame, or of any other shape, are ignored.
(function () {
  "use strict";
  var UNIT = /^[^\s,]{1,100}$/;
  var KINDS = { move: true, leave: true, stay: true };

  function keys(m) { return Object.keys(m).sort().join(","); }

  // connect(frame, onClick) -> {mark(marks)}: onClick(unitId) on each click in the map;
  // mark([[unitId, "move" | "leave" | "stay"], ...]) draws those marks (kept across reloads);
  // off([unitId, ...], note) greys those units, not clickable, ``note`` saying why.
  window.secessionMapFrame = function (frame, onClick) {
    var marks = [], off = { units: [], note: "" };
    function post(message) {
      // the sandboxed frame's origin is opaque ("null"): "*" is the only target it has
      if (frame.contentWindow) { frame.contentWindow.postMessage(message, "*"); }
    }
    function sendOff() { post({ type: "secession-map:off", units: off.units, note: off.note }); }
    function send() { post({ type: "secession-map:marks", marks: marks }); }
    window.addEventListener("message", function (evt) {
      if (!frame.contentWindow || evt.source !== frame.contentWindow) return;
      var m = evt.data;
      if (!m || typeof m !== "object" || Array.isArray(m)) return;
      if (m.type === "secession-map:ready" && keys(m) === "type") { sendOff(); send(); return; }
      if (m.type === "secession-map:click" && keys(m) === "type,unit" &&
          typeof m.unit === "string" && UNIT.test(m.unit)) {
        onClick(m.unit);
      }
    });
    return {
      mark: function (list) {
        marks = list.filter(function (p) { return UNIT.test(p[0]) && KINDS[p[1]] === true; });
        send();
      },
      off: function (units, note) {
        off = { units: units.filter(function (id) { return UNIT.test(id); }), note: String(note) };
        sendOff();
      }
    };
  };
})();
