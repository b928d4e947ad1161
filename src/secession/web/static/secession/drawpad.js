// The drawing pad of the founding form: clicks on the base map become the corners of a
// GeoJSON polygon (longitude/latitude) written into the territory field.
(function () {
  var pad = document.getElementById("pad"), shape = document.getElementById("pad-shape");
  var status = document.getElementById("pad-status"), pts = [];
  var west = +pad.dataset.west, north = +pad.dataset.north, k = +pad.dataset.k, xs = +pad.dataset.xscale;
  function draw() { shape.setAttribute("points", pts.map(function (p) { return p[2] + "," + p[3]; }).join(" ")); }
  pad.addEventListener("click", function (e) {
    var m = pad.getScreenCTM().inverse(), p = pad.createSVGPoint();
    p.x = e.clientX; p.y = e.clientY; p = p.matrixTransform(m);
    var lon = west + p.x / (xs * k), lat = north - p.y / k;
    pts.push([+lon.toFixed(4), +lat.toFixed(4), p.x, p.y]); draw();
    status.textContent = pts.length + " corner(s)";
  });
  document.getElementById("pad-clear").addEventListener("click", function () { pts = []; draw(); status.textContent = ""; });
  document.getElementById("pad-use").addEventListener("click", function () {
    if (pts.length < 3) { status.textContent = "Click at least three corners first."; return; }
    var ring = pts.map(function (p) { return [p[0], p[1]]; }); ring.push(ring[0]);
    document.getElementById("id_territory_geojson").value = JSON.stringify({type: "Polygon", coordinates: [ring]});
    status.textContent = "Territory set: " + pts.length + " corners.";
  });
})();
