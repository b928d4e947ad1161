(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("world-data").textContent);
  var svg = document.getElementById("map");
  var tip = document.getElementById("tip");
  var wrap = document.getElementById("wrap");
  var fmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }
  function list(items) { return items.length ? items.map(esc).join(", ") : esc(data.texts.no_one); }
  function describe(kind, i) {
    if (kind === "country") {
      return "<b>" + esc(data.countries[i]) + "</b><div class=\"world-hint\">Natural Earth</div>";
    }
    var f = data.features[i];
    var html = "<b>" + esc(f.name) + "</b>";
    if (f.kind === "contested") {
      return html + "<div>" + esc(data.texts.claimed) + " " + list(f.claimants) + "</div>" +
        "<div>" + esc(data.texts.area) + " " + fmt.format(f.area_km2) + " km²</div>";
    }
    html += f.indigenous ? " <span class=\"world-hint\">" + esc(data.texts.indigenous) + "</span>" : "";
    html += "<div>" + esc(data.texts.status) + " <span class=\"sw sw-" + f.status + "\"></span> " +
      esc(data.status_words[f.status]) + "</div>";
    html += "<div>" + esc(data.texts.recognised_by) + " " + list(f.recognised_by) + "</div>";
    html += "<div>" + esc(data.texts.left) + " " + esc(f.left) + "</div>";
    if (f.declared) { html += "<div>" + esc(data.texts.declared) + " " + esc(f.declared) + "</div>"; }
    html += "<div>" + esc(data.texts.area) + " " + fmt.format(f.area_km2) + " km²</div>";
    return html;
  }
  var current = null;
  function place(x, y) {
    var r = wrap.getBoundingClientRect();
    x = x - r.left + 14; y = y - r.top + 14;
    tip.style.display = "block";
    if (x + tip.offsetWidth > r.width) { x = x - tip.offsetWidth - 28; }
    tip.style.left = Math.max(0, x) + "px";
    tip.style.top = y + "px";
  }
  function target(t) {
    if (!t || !t.getAttribute) { return null; }
    var i = t.getAttribute("data-i");
    return i === null ? null : [t.getAttribute("class").split(" ")[0], +i];
  }
  function show(t, x, y) {
    var what = target(t);
    if (!what) { hide(); return; }
    if (current !== t) {
      if (current) { current.classList.remove("hl"); }
      current = t;
      t.classList.add("hl");
      tip.innerHTML = describe(what[0], what[1]);
    }
    place(x, y);
  }
  function hide() {
    tip.style.display = "none";
    if (current) { current.classList.remove("hl"); current = null; }
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
    var w = Math.min(base[2] * 4, Math.max(base[2] / 80, vb[2] * k));
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
}());
