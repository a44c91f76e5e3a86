/* Draws the offers of a page on a Leaflet map. The list stays the reference: without tiles or without
   JavaScript the page remains fully usable. Re-runs after htmx swaps. */
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("map");
    var data = document.getElementById("map-points");
    if (!el || !data || typeof L === "undefined" || el.dataset.ready) return;
    el.dataset.ready = "1";
    el.innerHTML = "";
    var payload = JSON.parse(data.textContent);
    var map = L.map(el, { scrollWheelZoom: false });
    var status = document.getElementById("map-status");
    var tiles = L.tileLayer(el.dataset.tiles, {
      maxZoom: 18,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    });
    var warned = false;
    tiles.on("tileerror", function () {
      if (!warned && status) { status.textContent = el.dataset.tilesError; warned = true; }
    });
    tiles.addTo(map);
    var bounds = [];
    payload.points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lon], { radius: 8, weight: 2, color: "#0f766e", fillOpacity: 0.7 });
      // Leaflet puts string content in as HTML: names go in as text nodes only.
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.name;
      var label = document.createElement("span");
      label.textContent = p.name;
      marker.bindPopup(link).bindTooltip(label).addTo(map);
      bounds.push([p.lat, p.lon]);
    });
    if (payload.centre && payload.radius_km) {
      L.circle(payload.centre, { radius: payload.radius_km * 1000, color: "#b45309", fill: false }).addTo(map);
      var area = L.latLng(payload.centre).toBounds(payload.radius_km * 2000);
      bounds.push(area.getNorthEast(), area.getSouthWest());
    }
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 });
    } else {
      map.setView([43.7, 6.2], 8);
    }
    el.dataset.markers = String(payload.points.length);
    // On the search page a click on the map sets the point to search around.
    var lat = document.getElementById("id_lat"), lon = document.getElementById("id_lon");
    if (lat && lon) {
      map.on("click", function (e) {
        lat.value = e.latlng.lat.toFixed(5);
        lon.value = e.latlng.lng.toFixed(5);
        var commune = document.getElementById("id_commune");
        if (commune) commune.value = "";
        var radius = document.getElementById("id_radius");
        if (radius && !radius.value) radius.value = "10";
        lat.form.requestSubmit();
      });
    }
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
