// The route map of the exhibit page: the stations where the scenario puts them, each circuit
// along its great circle over Natural Earth's coastlines (land-110m.json, from the npm
// world-atlas package, compiled into the program), the cable moving along the circuit it is
// sent on, and each station's queue beside it. d3-geo projects; topojson-client unpacks the
// coastlines. Where a station has no latitude and longitude (or the libraries are absent), the
// route is drawn as a plain line of stations instead.
'use strict';
window.HaktoMap = (() => {
  const SVGNS = 'http://www.w3.org/2000/svg';
  const PREC = { Y: 'EMERGENCY', Z: 'FLASH', O: 'IMMEDIATE', P: 'PRIORITY', R: 'ROUTINE' };
  const ORDER = 'YZOPR';  // queued by precedence, highest first (ACP 127: Y > Z > O > P > R)
  const LABEL_PX = 15;    // station names: read from a step back
  const SMALL_PX = 14;

  function node(name, attrs, parent, text) {
    const e = document.createElementNS(SVGNS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  const placeName = (s) => (s.place || s.name || s.id).split(',')[0];
  const slashed = (id) => id.replace(/0/g, 'Ø');
  const geoReady = () => typeof d3 !== 'undefined' && typeof d3.geoNaturalEarth1 === 'function';

  function create(svg) {
    let stations = [];
    let circuits = [];
    let land = null;
    let queue = [];
    let project = null;          // [lon, lat] -> [x, y] on the map, or null (schematic)
    const where = {};            // station id -> [x, y]
    const along = {};            // "from>to" -> fraction -> [x, y]
    let active = { circuit: null, station: null, packet: null };
    let size = [0, 0];

    function located() {
      return stations.length > 0 && stations.every((s) => Number.isFinite(s.latitude) && Number.isFinite(s.longitude));
    }
    function lonlat(id) {
      const s = stations.find((x) => x.id === id);
      return s ? [s.longitude, s.latitude] : null;
    }

    function draw() {
      const box = svg.getBoundingClientRect();
      const w = Math.max(160, Math.round(box.width));
      const h = Math.max(120, Math.round(box.height));
      size = [w, h];
      svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
      svg.innerHTML = '';
      for (const k of Object.keys(where)) delete where[k];
      for (const k of Object.keys(along)) delete along[k];
      if (geoReady() && located()) drawGlobe(w, h); else drawSchematic(w, h);
      drawStations(w);
      node('circle', { r: 7, class: 'packet', id: 'packet', cx: -20, cy: -20 }, svg);
      drawQueue();
      if (active.circuit) activeCircuit(active.circuit);
      if (active.station) activeStation(active.station);
      if (active.packet) movePacket(...active.packet);
    }

    // The world map around the route. Each circuit is a LineString, which d3-geo draws along
    // its great circle.
    function drawGlobe(w, h) {
      const lines = circuits.map((c) => ({ c, a: lonlat(c.a), b: lonlat(c.b) })).filter((l) => l.a && l.b);
      const points = stations.map((s) => [s.longitude, s.latitude]);
      const shape = lines.length
        ? { type: 'MultiLineString', coordinates: lines.map((l) => [l.a, l.b]) }
        : { type: 'MultiPoint', coordinates: points };
      // Natural Earth's projection, north up, centred on the route's middle meridian (the
      // Pacific, for Beijing to Washington): a great circle bows towards the pole, as on a
      // flight map.
      const centre = d3.geoCentroid(shape);
      const projection = d3.geoNaturalEarth1().rotate([-centre[0], 0]);
      const fit = { type: 'FeatureCollection', features: [
        { type: 'Feature', geometry: shape }, { type: 'Feature', geometry: { type: 'MultiPoint', coordinates: points } }] };
      // Room around the route for the labels, and at the foot for the legend.
      const side = Math.min(70, w * 0.1);
      projection.fitExtent([[side, LABEL_PX * 2.6], [w - side, h - LABEL_PX * 2.6 - SMALL_PX * 2.7]], fit);
      const path = d3.geoPath(projection);
      project = (p) => projection(p);
      node('path', { class: 'sphere', d: path({ type: 'Sphere' }) }, svg);
      node('path', { class: 'graticule', d: path(d3.geoGraticule10()) }, svg);
      if (land) node('path', { class: 'land', d: path(land) }, svg);
      for (const l of lines) {
        node('path', { class: 'circuit', id: `circuit-${l.c.id}`, d: path({ type: 'LineString', coordinates: [l.a, l.b] }) }, svg);
        const between = d3.geoInterpolate(l.a, l.b);
        along[`${l.c.a}>${l.c.b}`] = (f) => projection(between(f));
        along[`${l.c.b}>${l.c.a}`] = (f) => projection(between(1 - f));
      }
      for (const s of stations) where[s.id] = projection([s.longitude, s.latitude]);
      node('text', { class: 'legend', x: 6, y: h - 6, 'font-size': SMALL_PX }, svg, 'Coastlines: Natural Earth');
      if (stations.some((s) => s.relay)) {
        node('text', { class: 'legend', x: 6, y: h - 6 - SMALL_PX * 1.3, 'font-size': SMALL_PX }, svg,
             'Relay: a modelling choice');
      }
    }

    // No places given: the stations in a row, Beijing first, the White House last.
    function drawSchematic(w, h) {
      project = null;
      const rank = (s) => (s.id === 'WTE10' ? 0 : s.relay ? 1 : s.id === 'WTE' ? 3 : 2);
      const order = [...stations].sort((a, b) => rank(a) - rank(b));
      const n = order.length;
      const y = h * 0.42;
      order.forEach((s, i) => { where[s.id] = [n === 1 ? w / 2 : 40 + i * ((w - 80) / (n - 1)), y]; });
      for (const c of circuits) {
        if (!where[c.a] || !where[c.b]) continue;
        node('line', { class: 'circuit', id: `circuit-${c.id}`, x1: where[c.a][0], y1: where[c.a][1], x2: where[c.b][0], y2: where[c.b][1] }, svg);
        const [a, b] = [where[c.a], where[c.b]];
        along[`${c.a}>${c.b}`] = (f) => [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
        along[`${c.b}>${c.a}`] = (f) => [b[0] + (a[0] - b[0]) * f, b[1] + (a[1] - b[1]) * f];
      }
    }

    // Each station's name and call sign, below its dot or, where that would cover another
    // label or run off the map, above it.
    function drawStations(w) {
      const placed = [];
      const h = size[1];
      const overlaps = (b) => placed.some((o) => b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h);
      for (const s of stations) {
        const p = where[s.id];
        if (!p) continue;
        const g = node('g', { class: `station${s.relay ? ' relay' : ''}`, id: `station-${s.id}` }, svg);
        node('circle', { cx: p[0], cy: p[1], r: 8 }, g);
        const lines = [placeName(s), slashed(s.id) + (s.relay ? ' relay (modelled)' : '')];
        const bw = Math.max(lines[0].length * LABEL_PX * 0.56, lines[1].length * SMALL_PX * 0.61) + 4;
        const bh = LABEL_PX * 1.25 + SMALL_PX * 1.25;
        const bx = Math.max(2, Math.min(w - bw - 2, p[0] - bw / 2));
        const below = { x: bx, y: p[1] + 11, w: bw, h: bh };
        const above = { x: bx, y: p[1] - 11 - bh, w: bw, h: bh };
        let b = below;
        if (below.y + bh > h - 2 * SMALL_PX * 1.35 - 4 || overlaps(below)) b = overlaps(above) || above.y < 0 ? below : above;
        placed.push(b, { x: p[0] - 9, y: p[1] - 9, w: 18, h: 18 });
        const cx = b.x + bw / 2;
        node('text', { x: cx, y: b.y + LABEL_PX, 'text-anchor': 'middle', 'font-size': LABEL_PX, class: 'name' }, g, lines[0]);
        node('text', { x: cx, y: b.y + LABEL_PX * 1.2 + SMALL_PX, 'text-anchor': 'middle', 'font-size': SMALL_PX, class: 'id' }, g, lines[1]);
      }
    }

    // What waits at each station, highest precedence first, in a box above the station.
    function drawQueue() {
      svg.querySelectorAll('.queue').forEach((e) => e.remove());
      const by = {};
      for (const q of queue) (by[q.station] = by[q.station] || []).push(q);
      for (const [station, items] of Object.entries(by)) {
        const p = where[station];
        if (!p) continue;
        items.sort((a, b) => ORDER.indexOf(a.prec) - ORDER.indexOf(b.prec));
        const lines = [`waiting at ${slashed(station)}:`, ...items.slice(0, 4).map((q) => `${q.prec} ${q.id} ${PREC[q.prec] || ''}`.trim())];
        if (items.length > 4) lines.push(`and ${items.length - 4} more`);
        const lh = SMALL_PX * 1.3;
        const boxH = lines.length * lh + 8;
        const boxW = Math.max(...lines.map((l) => l.length)) * SMALL_PX * 0.62 + 14;
        const x = Math.max(4, Math.min(size[0] - boxW - 4, p[0] - boxW / 2));
        const y = Math.max(4, p[1] - 16 - boxH);
        const g = node('g', { class: 'queue', id: `queue-${station}` }, svg);
        node('rect', { x, y, width: boxW, height: boxH, rx: 4 }, g);
        lines.forEach((l, i) => node('text', { x: x + 7, y: y + 4 + lh * (i + 0.8), 'font-size': SMALL_PX, class: i ? 'item' : 'head' }, g, l));
      }
    }

    function activeCircuit(id) {
      // Another circuit: the cable is not on it until its first code is.
      if (id !== active.circuit) {
        active.packet = null;
        const p = svg.querySelector('#packet');
        if (p) { p.setAttribute('cx', -20); p.setAttribute('cy', -20); }
      }
      active.circuit = id;
      svg.querySelectorAll('.circuit').forEach((c) => c.classList.toggle('active', id !== null && c.id === `circuit-${id}`));
    }
    function activeStation(id) {
      active.station = id;
      svg.querySelectorAll('.station').forEach((s) => s.classList.toggle('active', s.id === `station-${id}`));
    }
    /// The cable `fraction` of the way from `from` to `to` along their circuit.
    function movePacket(from, to, fraction) {
      active.packet = [from, to, fraction];
      const p = svg.querySelector('#packet');
      const at = along[`${from}>${to}`];
      if (!p || !at) return;
      const xy = at(Math.max(0, Math.min(1, fraction)));
      if (!xy) return;
      p.setAttribute('cx', xy[0].toFixed(1));
      p.setAttribute('cy', xy[1].toFixed(1));
    }

    let pending = false;
    const redraw = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; draw(); });
    };
    if (typeof ResizeObserver !== 'undefined') {
      let last = '';
      new ResizeObserver(() => {
        const r = svg.getBoundingClientRect();
        const key = `${Math.round(r.width)}x${Math.round(r.height)}`;
        if (key !== last) { last = key; redraw(); }
      }).observe(svg);
    }
    if (geoReady() && typeof topojson !== 'undefined') {
      fetch('land-110m.json').then((r) => r.json())
        .then((topo) => { land = topojson.feature(topo, topo.objects.land); draw(); })
        .catch(() => { /* the route is drawn without coastlines */ });
    }

    return {
      setNetwork(s, c) { stations = s || []; circuits = c || []; active = { circuit: null, station: null, packet: null }; draw(); },
      setQueue(q) { queue = q || []; drawQueue(); },
      activeCircuit, activeStation, movePacket,
      geographic: () => project !== null,
      hasLand: () => land !== null,
    };
  }
  return { create };
})();
