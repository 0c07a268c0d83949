// The public directory's map: draws the markers listed in the JSON element
// named by the container's data-markers attribute. Tiles come from the
// office's tile server when one is set (data-tiles); without one the
// markers stand on a plain background. The result list stays the primary
// view; the map only adds where things are.
(function () {
  "use strict";
  // Leaflet puts the attribution in as HTML; the office's setting is text,
  // so it is escaped here and never runs as markup.
  function asText(s) {
    var d = document.createElement("div");
    d.textContent = s;
    return d.innerHTML;
  }
  function draw() {
    var box = document.getElementById("map");
    if (!box || typeof L === "undefined") return;
    var data = document.getElementById(box.getAttribute("data-markers"));
    var markers = [];
    try { markers = JSON.parse(data ? data.textContent : "[]"); } catch (e) { return; }
    if (!markers.length) return;
    var map = L.map(box, { scrollWheelZoom: false, attributionControl: true });
    var tiles = box.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, {
        maxZoom: 18,
        attribution: asText(box.getAttribute("data-attribution") || "")
      }).addTo(map);
    }
    var points = [];
    markers.forEach(function (m) {
      var marker = L.marker([m.lat, m.lon], { title: m.title, alt: m.title, keyboard: true });
      // Built as DOM nodes, never as HTML: titles are user data.
      var link = document.createElement("a");
      link.href = m.url;
      link.textContent = m.title;
      link.className = "kern-link";
      marker.bindPopup(link);
      marker.addTo(map);
      points.push([m.lat, m.lon]);
    });
    if (points.length === 1) {
      map.setView(points[0], 15);
    } else {
      map.fitBounds(points, { padding: [24, 24], maxZoom: 16 });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
