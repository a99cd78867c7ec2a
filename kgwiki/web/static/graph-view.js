/* kgwiki graph view: one canvas showing one graph (global, or a note's neighbourhood).
 *
 * Nodes start where the server's layout put them (KnowledgeGraph.layout(); a note page's
 * neighbourhood starts on rings by hop count) and a force simulation moves them from there:
 *
 * - a small graph (the whole graph of a small vault, any local graph) is simulated whole:
 *   springs along the distinct note pairs, Barnes-Hut repulsion, a weak pull to the centre.
 *   It settles before the first frame (a few dozen milliseconds of ticks), so the page opens
 *   on the settled drawing, and dragging a node reheats everything;
 * - a big graph (thousands of notes) keeps the server's positions, which are already
 *   settled, and dragging simulates only the dragged note's neighbourhood (a breadth-first
 *   ball within a budget of pairs), every pair pulled toward the length it had. The rest is
 *   frozen, so graph-draw.js paints it once into a bitmap and each frame draws only what moves.
 *
 * This file holds the view's state, geometry, simulation and interaction; graph-draw.js
 * draws frames, only while something moves or after something changed.
 */
(function () {
  "use strict";

  var PALETTE = window.kgwikiGraphData.PALETTE;
  var BIG_PAIRS = 6000, BIG_NODES = 1500;  /* past these the graph is "big" (see above) */
  var DRAG_PAIR_BUDGET = 9000;             /* pairs a big graph's drag may move */
  var LINK = 50;                           /* world length of a spring in a small graph */

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function GraphView(canvas, graph, local) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.g = graph;
    this.local = local;
    this.big = !local && (graph.pairA.length > BIG_PAIRS || graph.n > BIG_NODES);
    this.scale = 1; this.tx = 0; this.ty = 0; this.fitScale = 1;
    this.hover = -1; this.selected = -1; this.dragged = -1;
    this.pending = false;
    this.visible = new Uint8Array(graph.n).fill(1);
    this.kindOn = graph.kinds.map(function () { return true; });
    this.width = 0; this.height = 0;
    this.vx = new Float64Array(graph.n);
    this.vy = new Float64Array(graph.n);
    this.active = null;      /* big graphs: Uint8Array of the nodes a drag moves */
    this.alpha = 0; this.alphaTarget = 0;
    this.layer = null;       /* big graphs: the frozen part, painted once (graph-draw.js) */
    this.gridStale = true;
    this.listeners = [];
    this.order = Array.from({ length: graph.n }, function (_, i) { return i; })
      .sort(function (a, b) { return graph.links[b] - graph.links[a] || (a - b); });
    this.readColours();
    this.setColourMode(graph.hasTrust() ? "trust" : "folder");
    if (!this.big) this.settle();
    this.bind();
    this.resize();
    this.fit();
  }

  // ---- colours and sizes ---------------------------------------------------------------

  GraphView.prototype.readColours = function () {
    this.colours = {
      A: cssVar("--lvl-A", "#1a7f37"), B: cssVar("--lvl-B", "#2f7dd1"), C: cssVar("--lvl-C", "#9a6700"),
      D: cssVar("--lvl-D", "#c2410c"), E: cssVar("--lvl-E", "#b4232c"), none: cssVar("--lvl-none", "#8c959f"),
      wanted: cssVar("--wanted", "#b4232c"), wantedNode: cssVar("--wanted-node", "#8250df"),
      fg: cssVar("--fg", "#1f2328"), bg: cssVar("--bg", "#ffffff"),
      muted: cssVar("--muted", "#656d76"), accent: cssVar("--accent", "#0b62c4")
    };
    if (this.colourMode) this.setColourMode(this.colourMode);
  };

  /* "folder", "tag" or "trust": every node's colour, and the legend (key, colour, count). */
  GraphView.prototype.setColourMode = function (mode) {
    var g = this.g, groups = g.groups(mode), colours = this.colours, byKey = new Map();
    this.colourMode = mode;
    groups.ranked.forEach(function (key, k) {
      byKey.set(key, mode === "trust" ? (colours[key] || colours.none) : PALETTE[k % PALETTE.length]);
    });
    /* wanted notes in the wanted-link colour; by trust, where that is level E's red, in their own */
    var wantedColour = mode === "trust" ? colours.wantedNode : colours.wanted, wanted = 0;
    this.nodeColours = new Array(g.n);
    for (var i = 0; i < g.n; i++) {
      if (g.wanted[i]) wanted++;
      this.nodeColours[i] = g.wanted[i] ? wantedColour : (byKey.get(groups.keys[i]) || colours.none);
    }
    var legend = groups.ranked.map(function (key) {
      /* notes at the top of the vault have the folder "/": named in words, not a bare slash */
      var label = mode === "folder" && key === "/" ? "top level" : undefined;
      return { key: key, label: label, colour: byKey.get(key), count: groups.sizes.get(key) };
    });
    var rest = 0;
    groups.sizes.forEach(function (count, key) { if (!byKey.has(key)) rest += count; });
    if (rest) legend.push({ key: "", colour: colours.none, count: rest });
    if (wanted) legend.push({ key: "", label: "wanted", colour: wantedColour, count: wanted });
    this.legend = legend;
    this.invalidate();
  };

  GraphView.prototype.nodeColour = function (i) { return this.nodeColours[i]; };

  GraphView.prototype.radius = function (i) {
    var links = this.g.links[i];
    if (this.local) return i === this.g.centre ? 9 : Math.min(9, 4.5 + Math.sqrt(links) * 0.8);
    var zoom = Math.min(2.5, Math.max(0.8, Math.sqrt(this.scale / this.fitScale)));
    var base = this.g.n < 300 ? 3.5 + Math.sqrt(links) * 1.1 : 1.6 + Math.sqrt(links) * 0.55;
    return Math.min(this.g.n < 300 ? 16 : 12, base) * zoom;
  };

  // ---- simulation ----------------------------------------------------------------------

  /* Small graphs: rescale the start so a median pair is LINK long, then tick until settled
   * (or 80 ms have gone). Starting from the server's layout, it settles in a few hundred ticks. */
  GraphView.prototype.settle = function () {
    var g = this.g, lengths = [];
    for (var p = 0; p < g.pairA.length; p++) {
      lengths.push(Math.hypot(g.x[g.pairA[p]] - g.x[g.pairB[p]], g.y[g.pairA[p]] - g.y[g.pairB[p]]));
    }
    lengths.sort(function (a, b) { return a - b; });
    var median = lengths.length ? lengths[lengths.length >> 1] : 0;
    var spread = 0;
    for (var i = 0; i < g.n; i++) spread = Math.max(spread, Math.abs(g.x[i]), Math.abs(g.y[i]));
    var factor = median > 1e-9 ? LINK / median : (spread > 0 ? LINK * Math.sqrt(g.n) / spread : 1);
    for (var j = 0; j < g.n; j++) {
      g.x[j] *= factor; g.y[j] *= factor;
      if (g.x[j] === 0 && g.y[j] === 0 && j !== g.centre) {  /* no position: a sunflower */
        var angle = j * 2.399963, r = LINK * Math.sqrt(j + 1) * 0.6;
        g.x[j] = r * Math.cos(angle); g.y[j] = r * Math.sin(angle);
      }
    }
    this.alpha = 1;
    var start = performance.now();
    while (this.alpha > 0.02 && performance.now() - start < 80) this.tick();
    this.running = this.alpha > 0.005;
  };

  GraphView.prototype.tick = function () {
    var g = this.g, n = g.n, x = g.x, y = g.y, vx = this.vx, vy = this.vy;
    var alpha = this.alpha, active = this.active, p, a, b;
    var A = g.pairA, B = g.pairB, links = g.links;
    for (p = 0; p < A.length; p++) {
      a = A[p]; b = B[p];
      if (active && !active[a] && !active[b]) continue;
      var dx = x[b] + vx[b] - x[a] - vx[a], dy = y[b] + vy[b] - y[a] - vy[a];
      var l = Math.sqrt(dx * dx + dy * dy) || 1e-6;
      var rest = active ? this.rest[p] : LINK;
      var k = (l - rest) / l * alpha / Math.min(links[a], links[b]) * (active ? 0.7 : 1);
      dx *= k; dy *= k;
      var bias = links[a] / (links[a] + links[b]);
      vx[b] -= dx * bias; vy[b] -= dy * bias;
      vx[a] += dx * (1 - bias); vy[a] += dy * (1 - bias);
    }
    if (!active) {
      this.repel(alpha);
      for (var c = 0; c < n; c++) { vx[c] -= x[c] * 0.03 * alpha; vy[c] -= y[c] * 0.03 * alpha; }
    }
    for (var i = 0; i < n; i++) {
      if (active && !active[i]) { vx[i] = vy[i] = 0; continue; }
      if (i === this.dragged) { x[i] = this.dragX; y[i] = this.dragY; vx[i] = vy[i] = 0; continue; }
      vx[i] *= 0.6; vy[i] *= 0.6;
      x[i] += vx[i]; y[i] += vy[i];
    }
    this.alpha += (this.alphaTarget - this.alpha) * 0.0228;
    this.gridStale = true;
  };

  /* Barnes-Hut many-body repulsion over a quadtree kept in typed arrays. */
  GraphView.prototype.repel = function (alpha) {
    var g = this.g, n = g.n, x = g.x, y = g.y;
    if (n < 2) return;
    var cap = 4 * n + 8, t = this.quad;
    if (!t || t.cap < cap) {
      t = this.quad = { cap: cap, x0: new Float64Array(cap), y0: new Float64Array(cap), size: new Float64Array(cap),
        child: new Int32Array(4 * cap), point: new Int32Array(cap), mass: new Float64Array(cap),
        mx: new Float64Array(cap), my: new Float64Array(cap), next: new Int32Array(n) };
    }
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, i;
    for (i = 0; i < n; i++) {
      if (x[i] < minX) minX = x[i]; if (x[i] > maxX) maxX = x[i];
      if (y[i] < minY) minY = y[i]; if (y[i] > maxY) maxY = y[i];
    }
    var used = 1;
    t.x0[0] = minX; t.y0[0] = minY; t.size[0] = Math.max(maxX - minX, maxY - minY, 1e-3) * 1.0001;
    t.child.fill(-1, 0, 4); t.point[0] = -1;
    function fresh(x0, y0, size) {
      var k = used++;
      t.x0[k] = x0; t.y0[k] = y0; t.size[k] = size; t.point[k] = -1;
      t.child[4 * k] = t.child[4 * k + 1] = t.child[4 * k + 2] = t.child[4 * k + 3] = -1;
      return k;
    }
    function quadrant(k, j) {
      var h = t.size[k] / 2;
      return (x[j] >= t.x0[k] + h ? 1 : 0) + (y[j] >= t.y0[k] + h ? 2 : 0);
    }
    function descend(k, q) {
      var c = t.child[4 * k + q];
      if (c < 0) {
        var h = t.size[k] / 2;
        c = fresh(t.x0[k] + (q & 1 ? h : 0), t.y0[k] + (q & 2 ? h : 0), h);
        t.child[4 * k + q] = c;
      }
      return c;
    }
    for (i = 0; i < n; i++) {
      var k = 0;
      t.next[i] = -1;
      for (;;) {
        var p = t.point[k];
        if (p === -2) { k = descend(k, quadrant(k, i)); continue; }
        if (p === -1) { t.point[k] = i; break; }
        if (t.size[k] < 1e-3 || used + 2 >= cap) { t.next[i] = t.next[p]; t.next[p] = i; break; }
        t.point[k] = -2;  /* split: push the resident point down, then go on */
        var c = descend(k, quadrant(k, p));
        t.point[c] = p;
      }
    }
    for (k = used - 1; k >= 0; k--) {  /* children come after parents: sum bottom-up */
      var m = 0, sx = 0, sy = 0;
      if (t.point[k] >= 0) {
        for (var j = t.point[k]; j >= 0; j = t.next[j]) { m++; sx += x[j]; sy += y[j]; }
      } else {
        for (var q = 0; q < 4; q++) {
          var ch = t.child[4 * k + q];
          if (ch >= 0) { m += t.mass[ch]; sx += t.mx[ch] * t.mass[ch]; sy += t.my[ch] * t.mass[ch]; }
        }
      }
      t.mass[k] = m; t.mx[k] = m ? sx / m : 0; t.my[k] = m ? sy / m : 0;
    }
    var strength = 1.6 * LINK * LINK / 30 * alpha, theta2 = 0.81, min2 = LINK * LINK * 0.01;
    var stack = new Int32Array(used + 8), vx = this.vx, vy = this.vy;
    for (i = 0; i < n; i++) {
      var top = 0, xi = x[i], yi = y[i], fx = 0, fy = 0;
      stack[top++] = 0;
      while (top) {
        var node = stack[--top], dx = t.mx[node] - xi, dy = t.my[node] - yi, d2 = dx * dx + dy * dy;
        var s = t.size[node];
        if (t.point[node] >= 0) {
          for (var o = t.point[node]; o >= 0; o = t.next[o]) {
            if (o === i) continue;
            var ex = x[o] - xi, ey = y[o] - yi, e2 = ex * ex + ey * ey;
            if (e2 === 0) { ex = (Math.random() - 0.5) * 1e-3; ey = (Math.random() - 0.5) * 1e-3; e2 = ex * ex + ey * ey; }
            if (e2 < min2) e2 = Math.sqrt(min2 * e2);
            fx -= ex / e2; fy -= ey / e2;
          }
        } else if (s * s < theta2 * d2) {
          if (d2 < min2) d2 = Math.sqrt(min2 * d2);
          fx -= dx * t.mass[node] / d2; fy -= dy * t.mass[node] / d2;
        } else {
          for (var r = 0; r < 4; r++) { var cc = t.child[4 * node + r]; if (cc >= 0) stack[top++] = cc; }
        }
      }
      vx[i] += fx * strength; vy[i] += fy * strength;
    }
  };

  /* A big graph's drag moves a breadth-first ball around the dragged node, smallest degrees
   * first in each ring, until DRAG_PAIR_BUDGET pairs are involved; each keeps its length. */
  GraphView.prototype.activate = function (centre) {
    var g = this.g, active = new Uint8Array(g.n), frontier = [centre], budget = DRAG_PAIR_BUDGET;
    active[centre] = 1;
    budget -= g.links[centre];
    for (var depth = 0; depth < 2 && budget > 0; depth++) {
      var next = [];
      for (var f = 0; f < frontier.length; f++) {
        for (var k = g.nbrStart[frontier[f]]; k < g.nbrStart[frontier[f] + 1]; k++) {
          if (!active[g.nbr[k]]) next.push(g.nbr[k]);
        }
      }
      next.sort(function (a, b) { return g.links[a] - g.links[b]; });
      var ring = [];
      for (var j = 0; j < next.length && budget > 0; j++) {
        if (active[next[j]]) continue;
        active[next[j]] = 1; ring.push(next[j]); budget -= g.links[next[j]];
      }
      frontier = ring;
    }
    var moving = [], rest = this.rest || (this.rest = new Float64Array(g.pairA.length));
    for (var p = 0; p < g.pairA.length; p++) {
      var a = g.pairA[p], b = g.pairB[p];
      if (!active[a] && !active[b]) continue;
      moving.push(p);
      rest[p] = Math.hypot(g.x[a] - g.x[b], g.y[a] - g.y[b]);
    }
    this.active = active;
    this.movingPairs = Int32Array.from(moving);
  };

  GraphView.prototype.startDrag = function (i, wx, wy) {
    this.dragged = i; this.dragX = wx; this.dragY = wy;
    this.hover = -1;
    if (this.big) { this.activate(i); this.invalidate(); }
    this.alphaTarget = 0.3;
    this.alpha = Math.max(this.alpha, 0.3);
    this.run();
  };

  GraphView.prototype.endDrag = function () {
    this.dragged = -1;
    this.alphaTarget = 0;
  };

  GraphView.prototype.run = function () {
    this.running = true;
    this.schedule();
  };

  /* One animation frame: a tick while the simulation is warm, then the drawing. */
  GraphView.prototype.frame = function () {
    if (this.running) {
      this.tick();
      if (this.alpha < 0.005 && this.dragged < 0) {
        this.running = false;
        if (this.active) { this.active = null; this.invalidate(); }
      }
    }
    this.draw();
    if (this.running) this.schedule();
  };

  // ---- geometry ------------------------------------------------------------------------

  GraphView.prototype.resize = function () {
    var rect = this.canvas.getBoundingClientRect();
    var dpr = window.devicePixelRatio || 1;
    var w = Math.max(1, Math.round(rect.width)), h = Math.max(1, Math.round(rect.height));
    if (w === this.width && h === this.height) return;
    var first = this.width === 0;
    this.width = w; this.height = h;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.layer = null;
    if (first) this.fit(); else this.invalidate();
  };

  GraphView.prototype.bounds = function () {
    var g = this.g, minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (var i = 0; i < g.n; i++) {
      if (!this.visible[i]) continue;
      minX = Math.min(minX, g.x[i]); maxX = Math.max(maxX, g.x[i]);
      minY = Math.min(minY, g.y[i]); maxY = Math.max(maxY, g.y[i]);
    }
    if (!isFinite(minX)) { minX = minY = -1; maxX = maxY = 1; }
    return { minX: minX, minY: minY, maxX: maxX, maxY: maxY };
  };

  GraphView.prototype.fit = function () {
    var b = this.bounds(), padX = this.local ? 60 : 30, padY = this.local ? 28 : 30;
    var bw = Math.max(b.maxX - b.minX, 1e-6), bh = Math.max(b.maxY - b.minY, 1e-6);
    this.scale = Math.min((this.width - 2 * padX) / bw, (this.height - 2 * padY) / bh, this.local ? 3 : 4);
    if (!isFinite(this.scale) || this.scale <= 0) this.scale = 1;
    this.fitScale = this.scale;
    this.tx = this.width / 2 - ((b.minX + b.maxX) / 2) * this.scale;
    this.ty = this.height / 2 - ((b.minY + b.maxY) / 2) * this.scale;
    this.invalidate();
  };

  GraphView.prototype.zoomAt = function (factor, sx, sy) {
    var next = Math.min(this.fitScale * 400, Math.max(this.fitScale * 0.3, this.scale * factor));
    this.tx = sx - (sx - this.tx) * (next / this.scale);
    this.ty = sy - (sy - this.ty) * (next / this.scale);
    this.scale = next;
    this.moved();
  };

  GraphView.prototype.panBy = function (dx, dy) { this.tx += dx; this.ty += dy; this.moved(); };

  /* Pan or zoom: a big graph shows its bitmap moved until the gesture rests, then repaints. */
  GraphView.prototype.moved = function () {
    var self = this;
    this.schedule();
    if (!this.big) return;
    clearTimeout(this.repaintTimer);
    this.repaintTimer = setTimeout(function () { self.invalidate(); }, 160);
  };

  GraphView.prototype.centreOn = function (i, zoom) {
    if (zoom) this.scale = Math.max(this.scale, this.fitScale * zoom);
    this.tx = this.width / 2 - this.g.x[i] * this.scale;
    this.ty = this.height / 2 - this.g.y[i] * this.scale;
    this.invalidate();
  };

  GraphView.prototype.screenX = function (i) { return this.g.x[i] * this.scale + this.tx; };
  GraphView.prototype.screenY = function (i) { return this.g.y[i] * this.scale + this.ty; };

  GraphView.prototype.buildGrid = function () {
    var g = this.g, b = this.bounds();
    this.gridBounds = b;
    this.cell = Math.max(b.maxX - b.minX, b.maxY - b.minY, 1e-6) / Math.max(4, Math.sqrt(g.n));
    this.grid = new Map();
    for (var j = 0; j < g.n; j++) {
      var key = Math.floor((g.x[j] - b.minX) / this.cell) * 100003 + Math.floor((g.y[j] - b.minY) / this.cell);
      var bucket = this.grid.get(key);
      if (bucket) bucket.push(j); else this.grid.set(key, [j]);
    }
    this.gridStale = false;
  };

  GraphView.prototype.nodeAt = function (sx, sy) {
    var self = this, best = -1, bestDist = Infinity;
    function consider(i) {
      if (!self.visible[i]) return;
      var dx = self.screenX(i) - sx, dy = self.screenY(i) - sy;
      var d = dx * dx + dy * dy, r = Math.max(self.radius(i) + 4, 8);
      if (d <= r * r && d < bestDist) { best = i; bestDist = d; }
    }
    if (this.g.n < 400) { for (var i = 0; i < this.g.n; i++) consider(i); return best; }
    if (this.gridStale) this.buildGrid();
    var b = this.gridBounds, wx = (sx - this.tx) / this.scale, wy = (sy - this.ty) / this.scale;
    var reach = 20 / this.scale;
    var c0 = Math.floor((wx - reach - b.minX) / this.cell), c1 = Math.floor((wx + reach - b.minX) / this.cell);
    var r0 = Math.floor((wy - reach - b.minY) / this.cell), r1 = Math.floor((wy + reach - b.minY) / this.cell);
    if ((c1 - c0 + 1) * (r1 - r0 + 1) > this.grid.size) {
      for (var j = 0; j < this.g.n; j++) consider(j);
      return best;
    }
    for (var cx = c0; cx <= c1; cx++) {
      for (var cy = r0; cy <= r1; cy++) {
        var bucket = this.grid.get(cx * 100003 + cy);
        if (bucket) bucket.forEach(consider);
      }
    }
    return best;
  };

  GraphView.prototype.screenPosition = function (id) {
    var i = this.g.index.get(id);
    if (i === undefined) return null;
    var rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + this.screenX(i), y: rect.top + this.screenY(i) };
  };

  GraphView.prototype.applyFilters = function (filters) {
    var g = this.g, shown = 0, tag = filters.tag;
    for (var i = 0; i < g.n; i++) {
      var ok = g.wanted[i] ? filters.wanted : filters.levels.has(g.levels[i] || "");
      if (ok && tag) {
        ok = !g.wanted[i] && g.tags[i].some(function (t) { return t === tag || t.indexOf(tag + "/") === 0; });
      }
      this.visible[i] = ok ? 1 : 0;
      if (ok && !g.wanted[i]) shown++;
    }
    this.kindOn = g.kinds.map(function (k) { return filters.kinds.has(k); });
    this.hover = -1;
    this.invalidate();
    return shown;
  };

  /* Something every node's drawing depends on changed: repaint whole. */
  GraphView.prototype.invalidate = function () {
    this.layerValid = false;
    this.schedule();
  };

  GraphView.prototype.schedule = function () {
    if (this.pending || this.width === 0) return;
    this.pending = true;
    var self = this;
    window.requestAnimationFrame(function () { self.pending = false; self.frame(); });
  };

  /* Hover highlights; selecting (search, keyboard) also tells the page (its text list). */
  GraphView.prototype.setFocus = function (hover, selected) {
    this.hover = hover;
    this.schedule();
    if (selected === undefined || selected === this.selected) return;
    this.selected = selected;
    this.listeners.forEach(function (fn) { fn(selected); });
  };

  GraphView.prototype.onSelect = function (fn) { this.listeners.push(fn); };

  GraphView.prototype.focused = function () { return this.hover >= 0 ? this.hover : this.selected; };

  // ---- interaction ---------------------------------------------------------------------

  GraphView.prototype.bind = function () {
    var self = this, canvas = this.canvas, drag = null;
    canvas.style.touchAction = "none";
    if (!canvas.hasAttribute("tabindex")) canvas.setAttribute("tabindex", "0");
    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return [event.clientX - rect.left, event.clientY - rect.top];
    }
    canvas.addEventListener("pointerdown", function (event) {
      var p = point(event);
      drag = { x: p[0], y: p[1], tx: self.tx, ty: self.ty, moved: false, node: self.nodeAt(p[0], p[1]) };
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointermove", function (event) {
      var p = point(event);
      if (drag) {
        if (Math.abs(p[0] - drag.x) + Math.abs(p[1] - drag.y) > 4) drag.moved = true;
        if (!drag.moved) return;
        canvas.classList.add("dragging");
        if (drag.node >= 0) {
          var wx = (p[0] - self.tx) / self.scale, wy = (p[1] - self.ty) / self.scale;
          if (self.dragged !== drag.node) self.startDrag(drag.node, wx, wy);
          self.dragX = wx; self.dragY = wy;
          self.run();
        } else {
          self.tx = drag.tx + p[0] - drag.x;
          self.ty = drag.ty + p[1] - drag.y;
          self.moved();
        }
        return;
      }
      var hit = self.nodeAt(p[0], p[1]);
      if (hit !== self.hover) {
        canvas.style.cursor = hit >= 0 ? "pointer" : "";
        canvas.title = hit >= 0 ? self.g.titles[hit] : "";
        self.setFocus(hit);
      }
    });
    function release(event, open) {
      if (!drag) return;
      var p = point(event), was = drag;
      drag = null;
      canvas.classList.remove("dragging");
      if (self.dragged >= 0) self.endDrag();
      if (was.moved || !open) return;
      var hit = was.node >= 0 ? was.node : self.nodeAt(p[0], p[1]);
      if (hit >= 0 && hit !== self.g.centre) window.location.href = self.g.url(hit);
    }
    canvas.addEventListener("pointerup", function (event) { release(event, true); });
    canvas.addEventListener("pointercancel", function (event) { release(event, false); });
    canvas.addEventListener("pointerleave", function () {
      if (!drag && self.hover >= 0) self.setFocus(-1);
    });
    canvas.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = point(event);
      self.zoomAt(Math.exp(-event.deltaY * 0.0015), p[0], p[1]);
    }, { passive: false });
    canvas.addEventListener("keydown", function (event) {
      var step = 60, key = event.key, handled = true;
      if (key === "ArrowLeft") self.panBy(step, 0);
      else if (key === "ArrowRight") self.panBy(-step, 0);
      else if (key === "ArrowUp") self.panBy(0, step);
      else if (key === "ArrowDown") self.panBy(0, -step);
      else if (key === "+" || key === "=") self.zoomAt(1.4, self.width / 2, self.height / 2);
      else if (key === "-" || key === "_") self.zoomAt(1 / 1.4, self.width / 2, self.height / 2);
      else if (key === "0") self.fit();
      else if (key === "Enter" && self.selected >= 0) window.location.href = self.g.url(self.selected);
      else if (key === "Escape") self.setFocus(-1, -1);
      else handled = false;
      if (handled) event.preventDefault();
    });
    if (window.ResizeObserver) new ResizeObserver(function () { self.resize(); }).observe(canvas);
    document.addEventListener("kgwiki:theme", function () { self.readColours(); });
    if (window.matchMedia) {
      window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function () { self.readColours(); });
    }
  };

  window.kgwikiGraphView = GraphView;
})();
