// Talk to a plan map framed on this page (the map.html of secession.maps, in a sandboxed
// frame of its own origin): the map says which unit was clicked, the page says which units
// to mark. Messages from anything but that frame, or of any other shape, are ignored.
(function () {
  "use strict";
  var UNIT = /^[^\s,]{1,100}$/;
  var KINDS = { move: true, leave: true, stay: true };

  function keys(m) { return Object.keys(m).sort().join(","); }

  // connect(frame, onClick) -> {mark(marks)}: onClick(unitId) on each click in the map;
  // mark([[unitId, "move" | "leave" | "stay"], ...]) draws those marks (kept across reloads).
  window.secessionMapFrame = function (frame, onClick) {
    var marks = [];
    function send() {
      // the sandboxed frame's origin is opaque ("null"): "*" is the only target it has
      if (frame.contentWindow) {
        frame.contentWindow.postMessage({ type: "secession-map:marks", marks: marks }, "*");
      }
    }
    window.addEventListener("message", function (evt) {
      if (!frame.contentWindow || evt.source !== frame.contentWindow) return;
      var m = evt.data;
      if (!m || typeof m !== "object" || Array.isArray(m)) return;
      if (m.type === "secession-map:ready" && keys(m) === "type") { send(); return; }
      if (m.type === "secession-map:click" && keys(m) === "type,unit" &&
          typeof m.unit === "string" && UNIT.test(m.unit)) {
        onClick(m.unit);
      }
    });
    return {
      mark: function (list) {
        marks = list.filter(function (p) { return UNIT.test(p[0]) && KINDS[p[1]] === true; });
        send();
      }
    };
  };
})();
