// The part the plan map (templates/map.html) and the world map (world/templates/world.js)
// share: a tooltip that follows the pointer (and keyboard focus) over the shapes that carry
// a data-i attribute, with the shape under it highlighted, and zoom and pan of the view box
// (wheel, drag, double-click to reset). Inlined in each offline page (it opens from file://),
// served with world.js on the platform: no module, one global, secessionMap.
var secessionMap = (function () {
  "use strict";
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }
  // o: svg, tip, wrap (elements); describe(shape) -> the tooltip's HTML (its values escaped);
  // widest, narrowest: how far out and in the view box zooms, as multiples of its width.
  function wire(o) {
    var svg = o.svg, tip = o.tip, wrap = o.wrap;
    var current = null;
    function place(x, y) {
      var r = wrap.getBoundingClientRect();
      x = x - r.left + 14; y = y - r.top + 14;
      tip.style.display = "block";
      if (x + tip.offsetWidth > r.width) { x = x - tip.offsetWidth - 28; }
      tip.style.left = Math.max(0, x) + "px";
      tip.style.top = y + "px";
    }
    function hide() {
      tip.style.display = "none";
      if (current) { current.classList.remove("hl"); current = null; }
    }
    function show(t, x, y) {
      if (!t || !t.getAttribute || t.getAttribute("data-i") === null) { hide(); return; }
      if (current !== t) {
        if (current) { current.classList.remove("hl"); }
        current = t;
        t.classList.add("hl");
        tip.innerHTML = o.describe(t);
      }
      place(x, y);
    }
    svg.addEventListener("mousemove", function (evt) { show(evt.target, evt.clientX, evt.clientY); });
    svg.addEventListener("mouseleave", hide);
    svg.addEventListener("focusin", function (evt) {
      var b = evt.target.getBoundingClientRect();
      show(evt.target, b.left + b.width / 2, b.top + b.height / 2);
    });
    svg.addEventListener("focusout", hide);
    var base = svg.getAttribute("viewBox").split(" ").map(Number);
    var vb = base.slice();
    function setVB() { svg.setAttribute("viewBox", vb.join(" ")); }
    function toSvg(evt) {
      var r = svg.getBoundingClientRect();
      return [vb[0] + (evt.clientX - r.left) / r.width * vb[2], vb[1] + (evt.clientY - r.top) / r.height * vb[3]];
    }
    svg.addEventListener("wheel", function (evt) {
      evt.preventDefault();
      var p = toSvg(evt), k = evt.deltaY < 0 ? 0.8 : 1.25;
      var w = Math.min(base[2] * o.widest, Math.max(base[2] / o.narrowest, vb[2] * k));
      k = w / vb[2];
      vb = [p[0] - (p[0] - vb[0]) * k, p[1] - (p[1] - vb[1]) * k, vb[2] * k, vb[3] * k];
      setVB();
    }, { passive: false });
    var drag = null;
    svg.addEventListener("mousedown", function (evt) { drag = [evt.clientX, evt.clientY, vb[0], vb[1]]; svg.style.cursor = "grabbing"; });
    window.addEventListener("mouseup", function () { drag = null; svg.style.cursor = "grab"; });
    window.addEventListener("mousemove", function (evt) {
      if (!drag) { return; }
      var r = svg.getBoundingClientRect();
      vb[0] = drag[2] - (evt.clientX - drag[0]) / r.width * vb[2];
      vb[1] = drag[3] - (evt.clientY - drag[1]) / r.height * vb[3];
      setVB();
    });
    svg.addEventListener("dblclick", function () { vb = base.slice(); setVB(); });
  }
  return { esc: esc, number: new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 }), wire: wire };
}());
