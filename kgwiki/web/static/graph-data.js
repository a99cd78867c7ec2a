/* kgwiki graph data: the three shapes a graph arrives in, turned into one typed form.
 *
 * - data/graph.js (static global graph): compact arrays written by kgwiki.web.build.data;
 * - /api/graph (live global graph, and a live note's deeper neighbourhood):
 *   KnowledgeGraph.to_node_link();
 * - the JSON inside a note page (local graph, depth 1): the same node-link shape with URLs.
 *
 * Besides the nodes and typed edges, a Graph holds what the view needs every frame: the
 * distinct undirected pairs (drawn once and pulled by one spring, whatever the kinds and
 * directions between two notes), each node's neighbours (CSR arrays) and its folder.
 */
(function () {
  "use strict";

  var root = document.body.getAttribute("data-root") || "./";
  var KIND_COLOURS = {
    link: "#8c959f", embed: "#1b9aaa", parent: "#2f7dd1", child: "#5b8def", variant: "#8957e5",
    adjacent: "#2da44e", "duplicate-of": "#d1242f", "duplicated-by": "#d1242f", backlink: "#8c959f"
  };
  // Categorical colours readable on a light and a dark background (groups past these are grey).
  var PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2",
                 "#edc948", "#ff9da7", "#9c755f", "#2ca3c7", "#8cd17d", "#d37295"];

  function encodeSegments(location) {
    return location.split("/").map(function (part) {
      if (part === "" || part === "." || part === "..") part = "~" + part;
      return encodeURIComponent(part);
    }).join("/");
  }

  function noteStem(id) {
    return id.replace(/\.(md|markdown)$/i, "");
  }

  // ---- one internal form ---------------------------------------------------------------

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
    this.buildPairs();
  };

  /* Distinct undirected pairs (pa < pb), the kind each is drawn in (the first written, a
   * typed relation over a plain link) and the CSR neighbour lists. */
  Graph.prototype.buildPairs = function () {
    var n = this.n, m = this.src.length, seen = new Map();
    var pa = [], pb = [], pk = [], linkKind = this.kinds.indexOf("link");
    for (var e = 0; e < m; e++) {
      var s = this.src[e], t = this.dst[e];
      if (s === t) continue;
      var a = s < t ? s : t, b = s < t ? t : s, key = a * n + b;
      var at = seen.get(key);
      if (at === undefined) {
        seen.set(key, pa.length);
        pa.push(a); pb.push(b); pk.push(this.kind[e]);
      } else if (pk[at] === linkKind) {
        pk[at] = this.kind[e];
      }
    }
    this.pairA = Int32Array.from(pa);
    this.pairB = Int32Array.from(pb);
    this.pairKind = Int32Array.from(pk);
    var count = new Int32Array(n + 1);
    for (var p = 0; p < pa.length; p++) { count[pa[p] + 1]++; count[pb[p] + 1]++; }
    for (var i = 0; i < n; i++) count[i + 1] += count[i];
    var fill = count.slice(0, n), nbr = new Int32Array(2 * pa.length), nbrPair = new Int32Array(2 * pa.length);
    for (var q = 0; q < pa.length; q++) {
      nbr[fill[pa[q]]] = pb[q]; nbrPair[fill[pa[q]]++] = q;
      nbr[fill[pb[q]]] = pa[q]; nbrPair[fill[pb[q]]++] = q;
    }
    this.nbrStart = count;
    this.nbr = nbr;
    this.nbrPair = nbrPair;
    this.links = new Int32Array(n);  /* distinct neighbours: what a node's size shows */
    for (var j = 0; j < n; j++) this.links[j] = count[j + 1] - count[j];
    this.buildFolders();
  };

  /* A node's folder, as deep as it takes to tell the vault's notes apart (a vault kept in one
   * top folder is coloured by the folders inside it). */
  Graph.prototype.buildFolders = function () {
    var n = this.n, depth = 1, groups;
    this.folders = new Array(n);
    for (; depth <= 3; depth++) {
      groups = new Set();
      for (var i = 0; i < n; i++) {
        if (this.wanted[i]) continue;
        var parts = this.ids[i].split("/");
        groups.add(parts.slice(0, Math.min(depth, parts.length - 1)).join("/"));
      }
      if (groups.size > 1) break;
    }
    depth = Math.min(depth, 3);
    for (var j = 0; j < n; j++) {
      var segs = this.ids[j].split("/");
      this.folders[j] = this.wanted[j] ? "" : segs.slice(0, Math.min(depth, segs.length - 1)).join("/") || "/";
    }
  };

  Graph.prototype.url = function (i) {
    if (this.compact && !this.made[i]) {
      var where = this.urls[i];
      this.made[i] = 1;
      this.urls[i] = where.charAt(0) === "#" ? root + "wanted/index.html" + where
        : root + "n/" + encodeSegments(where) + "/index.html";
    }
    return this.urls[i];
  };

  Graph.prototype.hasTrust = function () {
    for (var i = 0; i < this.n; i++) if (!this.wanted[i] && this.levels[i]) return true;
    return false;
  };

  /* Colour groups for a mode ("folder", "tag", "trust"): a key per node, and the keys that get
   * a colour of their own, largest first. */
  Graph.prototype.groups = function (mode) {
    var keys = new Array(this.n), sizes = new Map();
    for (var i = 0; i < this.n; i++) {
      var key = "";
      if (this.wanted[i]) key = "";
      else if (mode === "trust") key = this.levels[i] || "";
      else if (mode === "tag") key = this.tags[i].length ? this.tags[i][0].split("/")[0] : "";
      else key = this.folders[i];
      keys[i] = key;
      if (!this.wanted[i]) sizes.set(key, (sizes.get(key) || 0) + 1);
    }
    var ranked = Array.from(sizes.keys()).filter(function (k) { return k !== ""; });
    if (mode === "trust") ranked.sort();
    else ranked.sort(function (a, b) { return sizes.get(b) - sizes.get(a) || (a < b ? -1 : 1); });
    return { keys: keys, ranked: ranked.slice(0, PALETTE.length), sizes: sizes };
  };

  /* Nodes within `depth` hops of `centre` (nearest first, then by links), at most `limit`. */
  Graph.prototype.around = function (centre, depth, limit) {
    var dist = new Int8Array(this.n).fill(-1), order = [centre], frontier = [centre];
    dist[centre] = 0;
    for (var d = 1; d <= depth && order.length < limit; d++) {
      var next = [];
      for (var f = 0; f < frontier.length; f++) {
        var u = frontier[f];
        if (this.wanted[u] && u !== centre) continue;  /* wanted notes are leaves */
        for (var k = this.nbrStart[u]; k < this.nbrStart[u + 1]; k++) {
          var v = this.nbr[k];
          if (dist[v] < 0) { dist[v] = d; next.push(v); }
        }
      }
      var self = this;
      next.sort(function (a, b) { return self.links[b] - self.links[a] || a - b; });
      for (var j = 0; j < next.length && order.length < limit; j++) order.push(next[j]);
      frontier = next;
    }
    return { nodes: order, dist: dist };
  };

  /* The subgraph of `nodes` (node-link shape, as a note page embeds it). */
  Graph.prototype.subgraph = function (nodes, centre, dist) {
    var at = new Map(), out = { nodes: [], links: [] }, self = this;
    nodes.forEach(function (i, k) {
      at.set(i, k);
      out.nodes.push({ id: self.ids[i], title: self.titles[i], url: self.url(i),
                       x: 0, y: 0, trust: self.levels[i], wanted: !!self.wanted[i],
                       tags: self.tags[i], centre: i === centre, hop: dist[i] });
    });
    for (var e = 0; e < this.src.length; e++) {
      var s = this.src[e], t = this.dst[e];
      if (!at.has(s) || !at.has(t)) continue;
      out.links.push({ source: this.ids[s], target: this.ids[t], kind: this.kinds[this.kind[e]] });
    }
    return out;
  };

  function fromCompact(data) {
    var g = new Graph(data.nodes.length);
    g.compact = true;
    g.made = new Uint8Array(g.n);
    data.nodes.forEach(function (node, i) {
      g.ids[i] = node[0];
      g.titles[i] = node[1];
      g.urls[i] = node[2];  /* where it links: made a URL on first use (see url()) */
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

  function fromNodeLink(data) {
    var g = new Graph(data.nodes.length);
    var kinds = [];
    var kindIndex = {};
    g.hops = new Int8Array(data.nodes.length);
    data.nodes.forEach(function (node, i) {
      g.ids[i] = node.id;
      g.titles[i] = node.title;
      g.x[i] = node.x;
      g.y[i] = node.y;
      g.levels[i] = node.trust || "";
      g.wanted[i] = node.wanted ? 1 : 0;
      g.tags[i] = (node.tags || []).map(function (t) { return String(t).toLowerCase(); });
      g.hops[i] = node.hop === undefined ? (node.centre ? 0 : 1) : node.hop;
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

  window.kgwikiGraphData = {
    fromCompact: fromCompact, fromNodeLink: fromNodeLink, KIND_COLOURS: KIND_COLOURS,
    PALETTE: PALETTE, encodeSegments: encodeSegments
  };
})();
