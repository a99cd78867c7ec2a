/* kgwiki graph view: one canvas showing one graph (global, or a note's neighbourhood).
 *
 * Positions come precomputed (KnowledgeGraph.layout() for the global graph, a ring for the
 * local one): nothing is simulated here. This file holds the view's state, geometry (pan,
 * zoom, grid hit testing) and interaction; graph-draw.js draws its frames, only after
 * something changed (requestAnimationFrame on demand).
 */
(function () {
  "use strict";

  // ---- the view ------------------------------------------------------------------------

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function GraphView(canvas, graph, local) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.g = graph;
    this.local = local;
    this.scale = 1;
    this.tx = 0;
    this.ty = 0;
    this.fitScale = 1;
    this.hover = -1;
    this.pending = false;
    this.visible = new Uint8Array(graph.n).fill(1);
    this.kindOn = graph.kinds.map(function () { return true; });
    this.width = 0;
    this.height = 0;
    this.order = Array.from({ length: graph.n }, function (_, i) { return i; })
      .sort(function (a, b) { return graph.degree[b] - graph.degree[a] || (a - b); });
    this.adjacency = this.buildAdjacency();
    this.edgesByKind = this.groupEdges();
    this.buildGrid();
    this.readColours();
    this.bind();
    this.resize();
    this.fit();
  }

  GraphView.prototype.buildAdjacency = function () {
    var g = this.g;
    var adj = Array.from({ length: g.n }, function () { return []; });
    for (var e = 0; e < g.src.length; e++) {
      adj[g.src[e]].push(e);
      adj[g.dst[e]].push(e);
    }
    return adj;
  };

  GraphView.prototype.groupEdges = function () {
    var g = this.g;
    var groups = g.kinds.map(function () { return []; });
    for (var e = 0; e < g.src.length; e++) groups[g.kind[e]].push(e);
    return groups.map(function (list) { return Int32Array.from(list); });
  };

  GraphView.prototype.buildGrid = function () {
    var g = this.g;
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (var i = 0; i < g.n; i++) {
      minX = Math.min(minX, g.x[i]); maxX = Math.max(maxX, g.x[i]);
      minY = Math.min(minY, g.y[i]); maxY = Math.max(maxY, g.y[i]);
    }
    if (!isFinite(minX)) { minX = minY = -1; maxX = maxY = 1; }
    this.bounds = { minX: minX, minY: minY, maxX: maxX, maxY: maxY };
    var span = Math.max(maxX - minX, maxY - minY, 1e-6);
    this.cell = span / Math.max(4, Math.sqrt(g.n));
    this.grid = new Map();
    for (var j = 0; j < g.n; j++) {
      var key = this.cellKey(Math.floor((g.x[j] - minX) / this.cell), Math.floor((g.y[j] - minY) / this.cell));
      var bucket = this.grid.get(key);
      if (bucket) bucket.push(j); else this.grid.set(key, [j]);
    }
  };

  GraphView.prototype.cellKey = function (cx, cy) { return cx * 100003 + cy; };

  GraphView.prototype.readColours = function () {
    this.colours = {
      A: cssVar("--lvl-A", "#1a7f37"), B: cssVar("--lvl-B", "#2f7dd1"), C: cssVar("--lvl-C", "#9a6700"),
      D: cssVar("--lvl-D", "#c2410c"), E: cssVar("--lvl-E", "#b4232c"), "": cssVar("--lvl-none", "#8c959f"),
      wanted: cssVar("--wanted", "#b4232c"), fg: cssVar("--fg", "#1f2328"), bg: cssVar("--bg", "#ffffff"),
      accent: cssVar("--accent", "#0b62c4")
    };
    this.schedule();
  };

  GraphView.prototype.nodeColour = function (i) {
    if (this.g.wanted[i]) return this.colours.wanted;
    return this.colours[this.g.levels[i]] || this.colours[""];
  };

  GraphView.prototype.radius = function (i) {
    if (this.local) return i === this.g.centre ? 9 : 6;
    var zoom = Math.min(2.2, Math.max(0.7, Math.sqrt(this.scale / this.fitScale)));
    return Math.min(12, 2 + Math.sqrt(this.g.degree[i]) * 0.7) * zoom;
  };

  // ---- geometry ------------------------------------------------------------------------

  GraphView.prototype.resize = function () {
    var rect = this.canvas.getBoundingClientRect();
    var dpr = window.devicePixelRatio || 1;
    var w = Math.max(1, Math.round(rect.width)), h = Math.max(1, Math.round(rect.height));
    if (w === this.width && h === this.height) return;
    var first = this.width === 0;
    this.width = w;
    this.height = h;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    if (first) this.fit(); else this.schedule();
  };

  GraphView.prototype.fit = function () {
    var b = this.bounds, padX = this.local ? 48 : 24, padY = this.local ? 30 : 24;
    var bw = Math.max(b.maxX - b.minX, 1e-6), bh = Math.max(b.maxY - b.minY, 1e-6);
    this.scale = Math.min((this.width - 2 * padX) / bw, (this.height - 2 * padY) / bh);
    if (!isFinite(this.scale) || this.scale <= 0) this.scale = 1;
    this.fitScale = this.scale;
    this.tx = this.width / 2 - ((b.minX + b.maxX) / 2) * this.scale;
    this.ty = this.height / 2 - ((b.minY + b.maxY) / 2) * this.scale;
    this.schedule();
  };

  GraphView.prototype.zoomAt = function (factor, sx, sy) {
    var next = Math.min(this.fitScale * 400, Math.max(this.fitScale * 0.3, this.scale * factor));
    this.tx = sx - (sx - this.tx) * (next / this.scale);
    this.ty = sy - (sy - this.ty) * (next / this.scale);
    this.scale = next;
    this.schedule();
  };

  GraphView.prototype.screenX = function (i) { return this.g.x[i] * this.scale + this.tx; };
  GraphView.prototype.screenY = function (i) { return this.g.y[i] * this.scale + this.ty; };

  GraphView.prototype.nodeAt = function (sx, sy) {
    var wx = (sx - this.tx) / this.scale, wy = (sy - this.ty) / this.scale;
    var reach = 14 / this.scale;
    var b = this.bounds, best = -1, bestDist = Infinity;
    var c0 = Math.floor((wx - reach - b.minX) / this.cell), c1 = Math.floor((wx + reach - b.minX) / this.cell);
    var r0 = Math.floor((wy - reach - b.minY) / this.cell), r1 = Math.floor((wy + reach - b.minY) / this.cell);
    var self = this;
    function consider(i) {
      if (!self.visible[i]) return;
      var dx = self.screenX(i) - sx, dy = self.screenY(i) - sy;
      var d = dx * dx + dy * dy, r = self.radius(i) + 3;
      if (d <= r * r && d < bestDist) { best = i; bestDist = d; }
    }
    if ((c1 - c0 + 1) * (r1 - r0 + 1) > this.grid.size) {
      for (var i = 0; i < this.g.n; i++) consider(i);
      return best;
    }
    for (var cx = c0; cx <= c1; cx++) {
      for (var cy = r0; cy <= r1; cy++) {
        var bucket = this.grid.get(this.cellKey(cx, cy));
        if (bucket) bucket.forEach(consider);
      }
    }
    return best;
  };

  // ---- interaction ---------------------------------------------------------------------

  GraphView.prototype.bind = function () {
    var self = this, canvas = this.canvas, drag = null;
    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return [event.clientX - rect.left, event.clientY - rect.top];
    }
    canvas.addEventListener("pointerdown", function (event) {
      var p = point(event);
      drag = { x: p[0], y: p[1], tx: self.tx, ty: self.ty, moved: false };
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointermove", function (event) {
      var p = point(event);
      if (drag) {
        if (Math.abs(p[0] - drag.x) + Math.abs(p[1] - drag.y) > 4) drag.moved = true;
        if (drag.moved) {
          canvas.classList.add("dragging");
          self.tx = drag.tx + p[0] - drag.x;
          self.ty = drag.ty + p[1] - drag.y;
          self.schedule();
          return;
        }
      }
      var hit = self.nodeAt(p[0], p[1]);
      if (hit !== self.hover) {
        self.hover = hit;
        canvas.style.cursor = hit >= 0 ? "pointer" : "";
        canvas.title = hit >= 0 ? self.g.titles[hit] : "";
        self.schedule();
      }
    });
    canvas.addEventListener("pointerup", function (event) {
      var p = point(event);
      var wasDrag = drag && drag.moved;
      drag = null;
      canvas.classList.remove("dragging");
      if (wasDrag) return;
      var hit = self.nodeAt(p[0], p[1]);
      if (hit >= 0 && hit !== self.g.centre) window.location.href = self.g.urls[hit];
    });
    canvas.addEventListener("pointerleave", function () {
      if (self.hover >= 0) { self.hover = -1; self.schedule(); }
    });
    canvas.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = point(event);
      self.zoomAt(Math.exp(-event.deltaY * 0.0015), p[0], p[1]);
    }, { passive: false });
    if (window.ResizeObserver) new ResizeObserver(function () { self.resize(); }).observe(canvas);
    document.addEventListener("kgwiki:theme", function () { self.readColours(); });
    if (window.matchMedia) {
      window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function () { self.readColours(); });
    }
  };

  GraphView.prototype.applyFilters = function (filters) {
    var g = this.g, shown = 0;
    var tag = filters.tag;
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
    this.schedule();
    return shown;
  };

  GraphView.prototype.screenPosition = function (id) {
    var i = this.g.index.get(id);
    if (i === undefined) return null;
    var rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + this.screenX(i), y: rect.top + this.screenY(i) };
  };

  window.kgwikiGraphView = GraphView;
})();
