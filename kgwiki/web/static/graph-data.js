/* kgwiki graph data: the three shapes a graph arrives in, turned into one typed form.
 *
 * - data/graph.js (static global graph): compact arrays written by kgwiki.web.build_data;
 * - /api/graph (live global graph): KnowledgeGraph.to_node_link();
 * - the JSON inside a note page (local graph): the same node-link shape with URLs.
 */
(function () {
  "use strict";

  var root = document.body.getAttribute("data-root") || "./";
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

  function fromNodeLink(data) {
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

  window.kgwikiGraphData = {
    fromCompact: fromCompact, fromNodeLink: fromNodeLink, KIND_COLOURS: KIND_COLOURS
  };
})();
