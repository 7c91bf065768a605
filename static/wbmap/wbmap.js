/* Wijkbeeld's browser map: a Streamlit component in plain JavaScript on the app's own Leaflet.
 *
 * The geometry (areas, wijk outlines, grey surroundings, names with the zoom levels where each fits)
 * comes once from a file named by its content hash (args.asset, written by enschede_gis.webmap); every
 * render message after that carries only the view: a colour class and a formatted value per area, the
 * colours, the legend and the selection. Panning and zooming never talk to the server; a click sends
 * the clicked area's code. All text is set as text (textContent), never parsed as HTML.
 *
 * Marks (enschede_gis.webmap.with_marks): "focus" (area codes outlined thick, the map fitted to them),
 * "points" (markers with a tooltip), "pin" (the place being chosen), "shape" (corners of a line or
 * polygon being drawn). With "pick" a click anywhere sends a place instead of an area:
 * {lat, lon, id} in WGS84 (EPSG:4326), the id new for every click.
 */
(function () {
  "use strict";

  var HATCH = "url(#wb-missing-hatch)";
  var SVG_LIMIT = 400; // more areas than this: draw on a canvas so zooming stays smooth
  var PAD = 0.15; // names are kept within the visible map plus this share around it
  var PROJECTOR_SCALE = 1.5; // names on a projector (webmap.for_projector): read from the back of a room

  var state = {
    map: null, asset: null, assetName: null, loading: null, args: null,
    areas: null, layersByCode: {}, wijken: null, context: null, labels: [], labelLayer: null,
    tiles: null, tilesUrl: null, tilesCredited: false, attribution: null, selected: null,
    height: 0, marks: null, focusKey: "", clicks: 0,
  };

  // Leaflet (index.html) loads async: the render args and the geometry file are on their way meanwhile.
  var leaflet = new Promise(function (resolve, reject) {
    if (window.L) { resolve(); return; }
    var script = document.getElementById("leaflet-js");
    script.addEventListener("load", function () { resolve(); });
    script.addEventListener("error", function () { reject(new Error("leaflet.js did not load")); });
  });

  function post(type, data) {
    var msg = Object.assign({ isStreamlitMessage: true, type: type }, data || {});
    window.parent.postMessage(msg, "*");
  }

  function setHeight() {
    var h = document.body.scrollHeight;
    if (h !== state.height) { state.height = h; post("streamlit:setFrameHeight", { height: h }); }
  }

  // ---- the map, built once per geometry file --------------------------------------------------

  function build(asset) {
    var count = asset.areas.features.length;
    var renderer = count > SVG_LIMIT ? L.canvas({ padding: 0.3 }) : L.svg({ padding: 0.3 });
    var map = L.map("map", {
      zoomSnap: 0.25, zoomDelta: 0.5, renderer: renderer, attributionControl: false, zoomControl: false,
    });
    L.control.zoom({ zoomInTitle: state.args.zoom_in, zoomOutTitle: state.args.zoom_out }).addTo(map);
    // The credit and the scale bar share the bottom-right corner, the scale bar stacked above the credit:
    // on a phone the credit wraps across the whole map and would cover a scale bar in the other corner.
    state.attribution = L.control.attribution({ prefix: false, position: "bottomright" }).addTo(map);
    state.attribution.addAttribution(state.args.attribution); // the figures and outlines: always
    L.control.scale({ imperial: false, position: "bottomright" }).addTo(map);
    map.createPane("context").style.zIndex = 350;
    map.createPane("outlines").style.zIndex = 450;
    map.getPane("outlines").style.pointerEvents = "none";
    map.createPane("names").style.zIndex = 460;
    map.getPane("names").style.pointerEvents = "none";
    map.createPane("marks").style.zIndex = 470;
    state.map = map;
    window.wbmap = map; // for the browser tests

    if (asset.context) {
      L.geoJSON(asset.context, {
        pane: "context", interactive: false,
        style: function () { return { color: "#b5b5b0", weight: 0.8, fillColor: "#e6e6e2", fillOpacity: 1 }; },
      }).addTo(map);
    }
    state.areas = L.geoJSON(asset.areas, {
      style: function () { return { color: "#4d4d4d", weight: 0.8, fillOpacity: 0.78, fillColor: "#d9d9d9" }; },
      onEachFeature: function (feature, layer) {
        state.layersByCode[feature.id] = layer;
        layer.on("click", function (e) {
          if (state.args.pick) pickAt(e.latlng); else choose(feature.id);
        });
        layer.bindTooltip(function () { return tooltip(feature); }, { sticky: true, direction: "top", offset: [0, -8] });
        // A map that asks for a place names its areas on the map itself; an area's tooltip would only
        // cover the pin (a tap on a phone opens it).
        layer.on("tooltipopen", function () { if (state.args.pick) layer.closeTooltip(); });
      },
    }).addTo(map);
    if (asset.wijken) {
      state.wijken = L.geoJSON(asset.wijken, {
        pane: "outlines", interactive: false,
        style: function () { return { color: "#222222", weight: 2.4, opacity: 0.9, fill: false }; },
      });
    }
    state.labelLayer = L.layerGroup().addTo(map);
    state.marks = L.layerGroup().addTo(map);
    state.labels = asset.labels.map(function (label) { return { spec: label, marker: null }; });
    map.on("click", function (e) { if (state.args.pick) pickAt(e.latlng); });
    state.focusKey = (state.args.focus || []).join(",");
    fit();
    map.on("zoomend moveend", placeLabels);
    // Until someone pans or zooms, a resized map (sidebar folded, phone turned) fits the areas again.
    var container = map.getContainer();
    ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (name) {
      container.addEventListener(name, function () { state.moved = true; }, { passive: true });
    });
    var size = [container.clientWidth, container.clientHeight]; // as built and fitted
    var ro = new ResizeObserver(function () {
      // A hidden map (its tab closed) measures 0 x 0: fitting it then gives NaN coordinates.
      if (!container.clientWidth || !container.clientHeight) return;
      // The first report is the size the map was just built at: nothing to fit again.
      if (container.clientWidth === size[0] && container.clientHeight === size[1]) return;
      size = [container.clientWidth, container.clientHeight];
      map.invalidateSize();
      if (!state.moved) fit();
      placeLabels();
    });
    ro.observe(document.getElementById("map"));
  }

  function fit() {
    // The focus areas when the view names some, else the whole geometry file. A hidden map (0 x 0)
    // is fitted when it is shown again (the ResizeObserver).
    var box = state.map.getContainer();
    if (!box.clientWidth || !box.clientHeight) return;
    var layers = (state.args.focus || []).map(function (c) { return state.layersByCode[c]; }).filter(Boolean);
    // A focus on every area (the whole gemeente) has no neighbours to show: fit the file as a whole.
    if (layers.length && layers.length < Object.keys(state.layersByCode).length) {
      // with room around it: the neighbouring buurten and their names place the area
      state.map.fitBounds(L.featureGroup(layers).getBounds().pad(state.args.focus_room || 0.6), { padding: [8, 8] });
      return;
    }
    var b = state.asset.bounds;
    state.map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [8, 8] });
  }

  function pickAt(latlng) {
    // Shown at once where the finger landed; the server's next view confirms it (or takes it away).
    state.clicks += 1;
    var at = [latlng.lat, latlng.lng];
    drawPin([at[0], at[1], state.args.pin ? state.args.pin[2] : ""]);
    post("streamlit:setComponentValue", {
      value: { lat: at[0], lon: at[1], id: Date.now().toString(36) + "-" + state.clicks }, dataType: "json",
    });
  }

  function textBox(lines, bold) {
    var box = document.createElement("div");
    lines.forEach(function (text, i) {
      var line = document.createElement(i === 0 && bold ? "b" : "div");
      line.textContent = text;
      box.appendChild(line);
      if (i === 0 && bold) box.appendChild(document.createElement("br"));
    });
    return box;
  }

  function drawPin(pin) {
    if (state.pinLayer) { state.marks.removeLayer(state.pinLayer); state.pinLayer = null; }
    if (!pin) return;
    var colours = state.args.colours_marks || { pin: "#1b9e77" };
    state.pinLayer = L.circleMarker([pin[0], pin[1]], {
      pane: "marks", radius: 12, color: "#000000", weight: 3, fillColor: colours.pin, fillOpacity: 1,
      className: "wb-pin",
    });
    if (pin[2]) state.pinLayer.bindTooltip(textBox([pin[2]], false), { direction: "top", offset: [0, -10] });
    state.marks.addLayer(state.pinLayer);
  }

  function marks() {
    var args = state.args, group = state.marks;
    group.clearLayers();
    state.pinLayer = null;
    var focus = (args.focus || []).map(function (c) { return state.asset.index[c]; }).filter(function (i) {
      return i !== undefined;
    }).map(function (i) { return state.asset.areas.features[i]; });
    if (focus.length) {
      group.addLayer(L.geoJSON({ type: "FeatureCollection", features: focus }, {
        pane: "outlines", interactive: false,
        style: function () { return { color: "#000000", weight: 5, opacity: 1, fill: false }; },
      }));
    }
    var shape = args.shape || [];
    var colours = args.colours_marks || { shape: "#d95f02" };
    if (shape.length >= 3) {
      group.addLayer(L.polygon(shape, { pane: "marks", color: colours.shape, weight: 3, fillOpacity: 0.3, interactive: false }));
    } else if (shape.length) {
      group.addLayer(L.polyline(shape, { pane: "marks", color: colours.shape, weight: 3, interactive: false }));
    }
    shape.forEach(function (corner) {
      group.addLayer(L.circleMarker(corner, { pane: "marks", radius: 5, color: colours.shape, fillOpacity: 1, interactive: false }));
    });
    (args.points || []).forEach(function (p) {
      var marker = L.circleMarker([p[0], p[1]], {
        pane: "marks", radius: 8, color: "#ffffff", weight: 2, fillColor: p[2], fillOpacity: 0.95,
        className: "wb-point",
      });
      if (p[3] && p[3].length) marker.bindTooltip(textBox(p[3], true), { direction: "top", offset: [0, -8] });
      group.addLayer(marker);
    });
    drawPin(args.pin);
    var key = (args.focus || []).join(",");
    if (key !== state.focusKey) { state.focusKey = key; state.moved = false; fit(); }
    document.getElementById("map").classList.toggle("wb-pick", !!args.pick);
    document.body.classList.toggle("wb-projector", !!args.projector);
  }

  function tooltip(feature) {
    var i = state.asset.index[feature.id];
    var box = document.createElement("div");
    var name = document.createElement("b");
    name.textContent = feature.properties.name;
    box.appendChild(name);
    if (state.args.tip_label) {
      var line = document.createElement("div");
      line.textContent = state.args.tip_label + ": " + state.args.text[i];
      box.appendChild(line);
    }
    (state.args.more || []).forEach(function (extra) {
      var more = document.createElement("div");
      more.textContent = extra[0] + ": " + extra[1][i];
      box.appendChild(more);
    });
    return box;
  }

  function choose(code) {
    select(code);
    post("streamlit:setComponentValue", { value: code, dataType: "json" });
  }

  // ---- the view, on every render ------------------------------------------------------------------

  function fillOf(i) {
    var c = state.args.cls[i];
    return c >= 0 ? state.args.colours[c] : null;
  }

  function restyle() {
    var args = state.args, asset = state.asset, canvas = asset.areas.features.length > SVG_LIMIT;
    asset.areas.features.forEach(function (f, i) {
      var layer = state.layersByCode[f.id];
      var fill = fillOf(i);
      layer.setStyle({ fillColor: fill || args.missing_fill || (canvas ? args.missing : HATCH) });
    });
    select(args.selected);
    if (state.wijken) {
      if (args.outlines && !state.map.hasLayer(state.wijken)) state.wijken.addTo(state.map);
      if (!args.outlines && state.map.hasLayer(state.wijken)) state.map.removeLayer(state.wijken);
    }
    legend(args.legend);
    tiles(args.tiles);
    marks();
    state.labels.forEach(function (l) { if (l.marker) { state.labelLayer.removeLayer(l.marker); l.marker = null; } });
    placeLabels();
  }

  function select(code) {
    var previous = state.layersByCode[state.selected];
    if (previous) previous.setStyle({ color: "#4d4d4d", weight: 0.8 });
    state.selected = code && state.layersByCode[code] ? code : null;
    var layer = state.layersByCode[state.selected];
    if (layer) { layer.setStyle({ color: "#000000", weight: 4.5 }); layer.bringToFront(); }
  }

  function legend(spec) {
    // Built as text (enschede_gis.webmap.compact_legend): nothing here is parsed as HTML.
    var root = document.getElementById("legend");
    root.textContent = "";
    var box = document.createElement("div");
    box.className = "wb-legend";
    if (spec.title) {
      var title = document.createElement("div");
      title.className = "wb-legend-title";
      title.textContent = spec.title;
      box.appendChild(title);
    }
    spec.rows.forEach(function (row) {
      var div = document.createElement("div");
      if (row[1] === null) {
        div.className = "wb-legend-head";
        div.textContent = row[0];
      } else {
        div.className = "wb-legend-row";
        var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
        svg.setAttribute("viewBox", "0 0 18 12");
        svg.setAttribute("preserveAspectRatio", "none");
        var rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
        rect.setAttribute("width", "18"); rect.setAttribute("height", "12");
        rect.setAttribute("fill", row[3] ? HATCH : row[1]);
        rect.setAttribute("stroke", "#4d4d4d"); rect.setAttribute("stroke-width", "0.6");
        svg.appendChild(rect);
        div.appendChild(svg);
        div.appendChild(document.createTextNode(" " + row[0]));
        if (row[2] !== null) {
          var count = document.createElement("span");
          count.className = "wb-legend-count";
          count.textContent = " (" + row[2] + ")";
          div.appendChild(count);
        }
      }
      box.appendChild(div);
    });
    spec.notes.forEach(function (text) {
      var note = document.createElement("div");
      note.className = "wb-legend-note";
      note.textContent = text;
      box.appendChild(note);
    });
    root.appendChild(box);
  }

  function tiles(spec) {
    var url = spec ? spec.url : null;
    if (url === state.tilesUrl) return;
    if (state.tiles) {
      state.map.removeLayer(state.tiles);
      if (state.tilesCredited) state.attribution.removeAttribution(state.tilesCredited);
      state.tiles = null; state.tilesCredited = false;
    }
    state.tilesUrl = url;
    if (!spec) return;
    state.tiles = L.tileLayer(spec.url, { opacity: 0.55, maxZoom: 19, crossOrigin: true });
    // Credit the tiles only once one has loaded: offline, nothing is shown that is not there.
    state.tiles.once("tileload", function () {
      state.attribution.addAttribution(spec.attribution);
      state.tilesCredited = spec.attribution;
    });
    state.tiles.addTo(state.map);
    state.tiles.bringToBack();
  }

  // ---- names ----------------------------------------------------------------------------------

  function placeLabels() {
    var map = state.map, args = state.args;
    if (!map || !args) return;
    // The label plan holds, per zoom step, which names fit without overlap and where (webmap.plan_labels).
    // Names s times larger (a projector) fit where the plan says normal names fit at log2(s) zoom
    // levels less: on screen, everything is then s times smaller relative to the name.
    var scale = args.projector ? PROJECTOR_SCALE : 1;
    var zoom = map.getZoom() - Math.log2(scale);
    var step = Math.floor((zoom - state.asset.min_zoom) / state.asset.zoom_step + 1e-6);
    var view = map.getBounds().pad(PAD);
    var size = map.getSize();
    state.labels.forEach(function (label) {
      var spec = label.spec;
      var show = args.labels && step >= 0 && step < 31 && (spec.zooms >> step) & 1 && view.contains(spec.at);
      var shift = show && spec.shifts ? spec.shifts[step] || null : null;
      if (shift) shift = [shift[0] * scale, shift[1] * scale];
      if (show) {
        shift = within(spec, shift, scale, size);
        show = shift !== null;
      }
      var where = show ? shift.join(",") : "";
      if (label.marker && (!show || label.where !== where)) {
        state.labelLayer.removeLayer(label.marker);
        label.marker = null;
      }
      if (show && !label.marker) {
        label.where = where;
        label.marker = L.marker(spec.at, {
          icon: icon(spec, shift, scale), interactive: false, keyboard: false, pane: "names",
        });
        state.labelLayer.addLayer(label.marker);
      }
    });
  }

  // Where a name goes so that its whole box is on the map: moved inwards by at most half its size, or
  // null (not shown). A name cut off by the map's edge reads as another word ("delijk gebied"), which
  // happens on a phone, where the map is narrow. Returns the shift [dx, dy] of the name's centre.
  function within(spec, shift, scale, size) {
    var box = labelSize(spec, scale);
    var at = state.map.latLngToContainerPoint(spec.at);
    var moved = [shift ? shift[0] : 0, shift ? shift[1] : 0];
    var axes = [[at.x, box[0], size.x], [at.y, box[1], size.y]];
    for (var a = 0; a < 2; a++) {
      var centre = axes[a][0] + moved[a], half = axes[a][1] / 2, room = axes[a][2];
      var inwards = Math.max(0, half - centre) - Math.max(0, centre + half - room);
      if (2 * half > room || Math.abs(inwards) > half) return null;
      moved[a] += inwards;
    }
    return moved;
  }

  // A name's box in pixels [width, height] (an estimate from its longest line; the text fits inside it)
  // and its font size.
  function labelSize(spec, scale) {
    var font = (spec.kind === "wijk" ? 15 : 13) * scale;
    var w = Math.ceil(Math.max.apply(null, spec.lines.map(function (t) { return t.length; })) * font * 0.7) + 8;
    return [w, Math.ceil(spec.lines.length * font * 1.2) + 4, font];
  }

  function icon(spec, shift, scale) {
    var i = spec.under == null ? undefined : state.asset.index[spec.under];
    var c = i === undefined ? -1 : state.args.cls[i];
    var ink = state.args.inks[c >= 0 ? c : state.args.inks.length - 1];
    var box = document.createElement("div");
    box.className = "wb-label wb-label-" + spec.kind;
    box.style.color = ink[0];
    var h = ink[1];
    box.style.textShadow = [
      "0 0 2px " + h, "0 0 2px " + h, "1px 1px 1px " + h, "-1px -1px 1px " + h, "1px -1px 1px " + h, "-1px 1px 1px " + h,
    ].join(",");
    spec.lines.forEach(function (text) {
      var span = document.createElement("span");
      span.textContent = text;
      box.appendChild(span);
    });
    var sized = labelSize(spec, scale), w = sized[0], hgt = sized[1];
    box.style.fontSize = sized[2] + "px";
    var dx = shift ? shift[0] : 0, dy = shift ? shift[1] : 0;
    return L.divIcon({ html: box, className: "", iconSize: [w, hgt], iconAnchor: [w / 2 - dx, hgt / 2 - dy] });
  }

  // ---- Streamlit ------------------------------------------------------------------------------

  function load(name) {
    if (state.loading && state.loadingName === name) return state.loading;
    state.loadingName = name;
    state.loading = fetch(name).then(function (r) {
      if (!r.ok) throw new Error("geometry " + r.status);
      return r.json();
    }).then(function (asset) {
      asset.index = {};
      asset.areas.features.forEach(function (f, i) { asset.index[f.id] = i; });
      return asset;
    });
    return state.loading;
  }

  // Draw the latest view on the built map, and note that it is shown.
  function show() {
    restyle();
    setHeight();
    state.shown = state.args;
  }

  function render(args) {
    document.getElementById("map").style.height = (args.height || 640) + "px";
    state.args = args;
    if (state.assetName === args.asset) { show(); return; }
    legend(args.legend);
    setHeight();
    Promise.all([load(args.asset), leaflet]).then(function (loaded) {
      var asset = loaded[0];
      // A map in a tab that is not open has no size yet: Leaflet cannot fit it (NaN coordinates), so
      // build it once it is shown.
      whenSized(function () { build_once(args, asset); });
    });
  }

  function whenSized(fn) {
    var el = document.getElementById("map");
    if (el.clientWidth > 0 && el.clientHeight > 0) { fn(); return; }
    var ro = new ResizeObserver(function () {
      if (el.clientWidth > 0 && el.clientHeight > 0) { ro.disconnect(); fn(); }
    });
    ro.observe(el);
  }

  function build_once(args, asset) {
    if (state.args.asset !== args.asset) return; // a newer view asked for another file meanwhile
    if (state.assetName === args.asset) { // built meanwhile (Streamlit often sends the first view twice)
      if (state.shown !== state.args) show();
      return;
    }
    if (state.map) { state.map.remove(); state.map = null; state.tiles = null; state.tilesUrl = null; }
    state.layersByCode = {}; state.wijken = null; state.selected = null; state.moved = false;
    state.asset = asset; state.assetName = args.asset;
    build(asset);
    show();
    document.body.setAttribute("data-ready", "1");
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (data && data.type === "streamlit:render") render(data.args);
  });
  post("streamlit:componentReady", { apiVersion: 1 });
})();
