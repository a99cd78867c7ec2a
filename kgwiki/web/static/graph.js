/* kgwiki graph view: the global graph (graph page) and a note's neighbourhood (note pages).
 *
 * Positions come precomputed (KnowledgeGraph.layout() for the global graph, a ring for the
 * local one): nothing is simulated here. Drawing is batched — one path per edge kind and one
 * per node colour — labels appear as the reader zooms in, hit testing uses a grid, and a
 * frame is drawn only after something changed (requestAnimationFrame on demand).
 *
 * window.kgwikiGraph.screenPosition(id) gives a node's position in the viewport (tests).
 */
(function () {
  "use strict";

  var body = document.body;
  var mode = body.getAttribute("data-mode") || "static";
  var root = body.getAttribute("data-root") || "./";
  var KIND_COLOURS = {
    link: "#8c959f", embed: "#1b9aaa", parent: "#2f7dd1", child: "#5b8def", variant: "#8957e5",
    adjacent: "#2da44e", "duplicate-of": "#d1242f", "duplicated-by": "#d1242f", backlink: "#8c959f"
  };

  function encodeSegments(location) {
    return location.split("/").map(function (part) {
      if (part === "" || part === "." || part === "..") part = "~" + part;
      return encodeURIComponent(part);
    }).join("/");
  }

  function noteStem(id) {
    return id.replace(/\.(md|markdown)$/i, "");
  }

  // ---- data: three shapes, one internal form -------------------------------------------

  function Graph(n) {
    this.n = n;
    this.ids = new Array(n);
    this.titles = new Array(n);
    this.urls = new Array(n);
    this.levels = new Array(n);
    this.tags = new Array(n);
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    this.wanted = new Uint8Array(n);
    this.degree = new Int32Array(n);
    this.centre = -1;
    this.kinds = [];
    this.src = null;
    this.dst = null;
    this.kind = null;
    this.index = new Map();
  }

  Graph.prototype.setLinks = function (triples, kinds) {
    var m = triples.length / 3;
    this.kinds = kinds;
    this.src = new Int32Array(m);
    this.dst = new Int32Array(m);
    this.kind = new Int32Array(m);
    for (var e = 0; e < m; e++) {
      this.src[e] = triples[3 * e];
      this.dst[e] = triples[3 * e + 1];
      this.kind[e] = triples[3 * e + 2];
    }
  };

  function fromCompact(data) {
    var g = new Graph(data.nodes.length);
    data.nodes.forEach(function (node, i) {
      g.ids[i] = node[0];
      g.titles[i] = node[1];
      var where = node[2];
      g.urls[i] = where.charAt(0) === "#" ? root + "wanted/index.html" + where
        : root + "n/" + encodeSegments(where) + "/index.html";
      g.x[i] = node[3];
      g.y[i] = node[4];
      g.levels[i] = node[5] || "";
      g.wanted[i] = node[6];
      g.degree[i] = node[7];
      g.tags[i] = node[8].map(function (t) { return data.tags[t]; });
      g.index.set(node[0], i);
    });
    g.setLinks(data.links, data.kinds);
    return g;
  }

  function fromNodeLink(data, relativeUrls) {
    var g = new Graph(data.nodes.length);
    var kinds = [];
    var kindIndex = {};
    data.nodes.forEach(function (node, i) {
      g.ids[i] = node.id;
      g.titles[i] = node.title;
      g.x[i] = node.x;
      g.y[i] = node.y;
      g.levels[i] = node.trust || "";
      g.wanted[i] = node.wanted ? 1 : 0;
      g.tags[i] = (node.tags || []).map(function (t) { return String(t).toLowerCase(); });
      if (node.url) g.urls[i] = node.url;
      else if (node.wanted) g.urls[i] = root + "wanted/";
      else g.urls[i] = root + "n/" + encodeSegments(noteStem(node.id)) + "/";
      if (node.centre) g.centre = i;
      g.index.set(node.id, i);
    });
    var triples = [];
    data.links.forEach(function (link) {
      var s = g.index.get(link.source), t = g.index.get(link.target);
      if (s === undefined || t === undefined) return;
      if (!(link.kind in kindIndex)) { kindIndex[link.kind] = kinds.length; kinds.push(link.kind); }
      triples.push(s, t, kindIndex[link.kind]);
      g.degree[s]++;
      g.degree[t]++;
    });
    data.nodes.forEach(function (node, i) { if (node.degree !== undefined) g.degree[i] = node.degree; });
    g.setLinks(triples, kinds);
    return g;
  }

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

  // ---- drawing -------------------------------------------------------------------------

  GraphView.prototype.schedule = function () {
    if (this.pending || this.width === 0) return;
    this.pending = true;
    var self = this;
    window.requestAnimationFrame(function () { self.draw(); });
  };

  GraphView.prototype.draw = function () {
    this.pending = false;
    var ctx = this.ctx, g = this.g, dpr = window.devicePixelRatio || 1;
    var w = this.width, h = this.height, margin = 20;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    var focus = null;
    if (this.hover >= 0) {
      focus = new Uint8Array(g.n);
      focus[this.hover] = 1;
      var self = this;
      this.adjacency[this.hover].forEach(function (e) {
        if (self.kindOn[g.kind[e]]) { focus[g.src[e]] = 1; focus[g.dst[e]] = 1; }
      });
    }
    ctx.lineWidth = this.local ? 1.5 : 0.7;
    for (var k = 0; k < g.kinds.length; k++) {
      if (!this.kindOn[k]) continue;
      var list = this.edgesByKind[k];
      ctx.beginPath();
      for (var j = 0; j < list.length; j++) {
        var e = list[j], s = g.src[e], t = g.dst[e];
        if (!this.visible[s] || !this.visible[t]) continue;
        var x1 = this.screenX(s), y1 = this.screenY(s), x2 = this.screenX(t), y2 = this.screenY(t);
        if ((x1 < -margin && x2 < -margin) || (x1 > w + margin && x2 > w + margin) ||
            (y1 < -margin && y2 < -margin) || (y1 > h + margin && y2 > h + margin)) continue;
        ctx.moveTo(x1, y1);
        ctx.lineTo(x2, y2);
      }
      ctx.strokeStyle = KIND_COLOURS[g.kinds[k]] || KIND_COLOURS.link;
      ctx.globalAlpha = focus ? 0.08 : (this.local ? 0.75 : 0.35);
      ctx.stroke();
    }
    this.drawNodes(focus ? 0.18 : 1, null);
    if (focus) {
      this.drawFocusEdges();
      this.drawNodes(1, focus);
    }
    ctx.globalAlpha = 1;
    this.drawLabels(focus);
  };

  GraphView.prototype.drawNodes = function (alpha, only) {
    var ctx = this.ctx, g = this.g, w = this.width, h = this.height;
    var groups = {};
    for (var i = 0; i < g.n; i++) {
      if (!this.visible[i] || (only && !only[i])) continue;
      var x = this.screenX(i), y = this.screenY(i);
      if (x < -20 || y < -20 || x > w + 20 || y > h + 20) continue;
      var colour = this.nodeColour(i);
      (groups[colour] || (groups[colour] = [])).push(i);
    }
    ctx.globalAlpha = alpha;
    for (var colour in groups) {
      ctx.beginPath();
      var members = groups[colour];
      for (var j = 0; j < members.length; j++) {
        var n = members[j], r = this.radius(n), sx = this.screenX(n), sy = this.screenY(n);
        ctx.moveTo(sx + r, sy);
        ctx.arc(sx, sy, r, 0, 2 * Math.PI);
      }
      ctx.fillStyle = colour;
      ctx.fill();
    }
    if (this.g.centre >= 0 || this.hover >= 0) {
      var ring = this.hover >= 0 ? this.hover : this.g.centre;
      ctx.globalAlpha = 1;
      ctx.beginPath();
      ctx.arc(this.screenX(ring), this.screenY(ring), this.radius(ring) + 3, 0, 2 * Math.PI);
      ctx.strokeStyle = this.colours.accent;
      ctx.lineWidth = 2;
      ctx.stroke();
    }
  };

  GraphView.prototype.drawFocusEdges = function () {
    var ctx = this.ctx, g = this.g, self = this;
    ctx.globalAlpha = 0.9;
    ctx.lineWidth = this.local ? 2.5 : 1.6;
    this.adjacency[this.hover].forEach(function (e) {
      if (!self.kindOn[g.kind[e]] || !self.visible[g.src[e]] || !self.visible[g.dst[e]]) return;
      ctx.beginPath();
      ctx.moveTo(self.screenX(g.src[e]), self.screenY(g.src[e]));
      ctx.lineTo(self.screenX(g.dst[e]), self.screenY(g.dst[e]));
      ctx.strokeStyle = KIND_COLOURS[g.kinds[g.kind[e]]] || KIND_COLOURS.link;
      ctx.stroke();
    });
  };

  GraphView.prototype.drawLabels = function (focus) {
    var ctx = this.ctx, g = this.g, w = this.width, h = this.height;
    ctx.font = (this.local ? "11px " : "12px ") + getComputedStyle(document.body).fontFamily;
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    var placed = [], budget = this.local ? g.n : 220;
    var zoomedOut = !this.local && g.n > 80 && this.scale < this.fitScale * 1.6;
    var limit = zoomedOut ? 12 : budget;
    for (var o = 0; o < this.order.length && placed.length < limit + (focus ? 40 : 0); o++) {
      var i = this.order[o];
      if (!this.visible[i]) continue;
      if (focus && !focus[i]) continue;
      var x = this.screenX(i), y = this.screenY(i);
      if (x < 0 || y < 0 || x > w || y > h) continue;
      var max = this.local ? 18 : 30;
      var text = g.titles[i].length > max ? g.titles[i].slice(0, max - 1) + "…" : g.titles[i];
      var tw = ctx.measureText(text).width, r = this.radius(i);
      var lx = x + r + 4, ly = y;
      if (this.local) {  /* centred under (or over, in the upper half) its node */
        lx = x - tw / 2;
        ly = i !== g.centre && g.y[i] < -0.2 ? y - r - 8 : y + r + 9;
      } else if (lx + tw > w) {
        lx = x - r - 4 - tw;
      }
      lx = Math.max(2, Math.min(w - tw - 2, lx));
      var box = [lx - 2, ly - 8, lx + tw + 2, ly + 8];
      var clash = placed.some(function (p) { return box[0] < p[2] && box[2] > p[0] && box[1] < p[3] && box[3] > p[1]; });
      if (clash && !(focus && i === this.hover)) continue;
      placed.push(box);
      ctx.lineWidth = 3;
      ctx.strokeStyle = this.colours.bg;
      ctx.strokeText(text, lx, ly);
      ctx.fillStyle = g.wanted[i] ? this.colours.wanted : this.colours.fg;
      ctx.fillText(text, lx, ly);
    }
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

  // ---- pages ---------------------------------------------------------------------------

  var api = {
    global: null,
    local: null,
    screenPosition: function (id, which) {
      var view = which === "local" ? api.local : (api.global || api.local);
      return view ? view.screenPosition(id) : null;
    }
  };
  window.kgwikiGraph = api;

  function readFilters(form, view) {
    var levels = new Set(), kinds = new Set();
    form.querySelectorAll("input[name=level]").forEach(function (b) { if (b.checked) levels.add(b.value); });
    form.querySelectorAll("input[name=kind]").forEach(function (b) { if (b.checked) kinds.add(b.value); });
    view.g.kinds.forEach(function (k) {
      if (!form.querySelector("input[name=kind][value='" + k + "']")) kinds.add(k);
    });
    var tag = form.querySelector("input[name=tag]").value.trim().toLowerCase().replace(/^#/, "");
    var wanted = form.querySelector("input[name=wanted]").checked;
    return { levels: levels, kinds: kinds, tag: tag, wanted: wanted };
  }

  function startGlobal(canvas, graph) {
    var view = new GraphView(canvas, graph, false);
    api.global = view;
    var form = document.getElementById("graph-filters");
    var status = document.getElementById("graph-status");
    var notes = 0;
    for (var i = 0; i < graph.n; i++) if (!graph.wanted[i]) notes++;
    function update() {
      var shown = view.applyFilters(readFilters(form, view));
      if (status) status.textContent = shown + " of " + notes + " notes";
    }
    if (form) {
      form.addEventListener("input", update);
      form.addEventListener("change", update);
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      form.querySelectorAll("[data-zoom]").forEach(function (button) {
        button.addEventListener("click", function () {
          var how = button.getAttribute("data-zoom");
          if (how === "fit") view.fit();
          else view.zoomAt(how === "in" ? 1.5 : 1 / 1.5, view.width / 2, view.height / 2);
        });
      });
      update();
    }
    api.ready = true;
  }

  var globalCanvas = document.getElementById("global-graph");
  if (globalCanvas) {
    if (mode === "static" && window.KGWIKI_GRAPH) {
      startGlobal(globalCanvas, fromCompact(window.KGWIKI_GRAPH));
    } else if (mode === "live") {
      fetch(root + "api/graph").then(function (r) { return r.json(); }).then(function (data) {
        startGlobal(globalCanvas, fromNodeLink(data, false));
      });
    }
  }

  var localCanvas = document.getElementById("local-graph");
  var localData = document.getElementById("local-graph-data");
  if (localCanvas && localData) {
    api.local = new GraphView(localCanvas, fromNodeLink(JSON.parse(localData.textContent), true), true);
    api.ready = api.ready || !globalCanvas;
  }
})();
