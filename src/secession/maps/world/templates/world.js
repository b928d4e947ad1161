// The world map's tooltip words; the tooltip, focus, zoom and pan are maps/templates/maptip.js.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("world-data").textContent);
  var svg = document.getElementById("map");
  var tip = document.getElementById("tip");
  var wrap = document.getElementById("wrap");
  var esc = secessionMap.esc, fmt = secessionMap.number;
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
  secessionMap.wire({
    svg: svg, tip: tip, wrap: wrap, widest: 4, narrowest: 80,
    describe: function (t) { return describe(t.getAttribute("class").split(" ")[0], +t.getAttribute("data-i")); }
  });
}());
