/* kgwiki graph pages: the global graph (graph page) and the local graph (note pages).
 *
 * Where the data comes from: a static site's graph page loads data/graph.js with a
 * <script> tag (file:// refuses fetch); `kgwiki serve` answers /api/graph. A note page embeds
 * its depth-1 neighbourhood; depths 2 and 3 are cut from the whole graph, loaded the same way
 * on first use.
 *
 * window.kgwikiGraph.screenPosition(id[, "local"]) gives a node's position in the viewport
 * (the browser tests click and drag nodes with it); .firstFrame is the performance.now() of
 * the first frame drawn (scripts/bench_graph_browser.py reads it).
 */
(function () {
  "use strict";

  var mode = document.body.getAttribute("data-mode") || "static";
  var root = document.body.getAttribute("data-root") || "./";
  var GraphView = window.kgwikiGraphView;
  var Data = window.kgwikiGraphData;
  var LOCAL_LIMIT = 120;  /* nodes a deeper local graph shows, nearest and best linked first */
  var here = document.currentScript && document.currentScript.src;

  var api = {
    global: null,
    local: null,
    firstFrame: null,
    screenPosition: function (id, which) {
      var view = which === "local" ? api.local : (api.global || api.local);
      return view ? view.screenPosition(id) : null;
    }
  };
  window.kgwikiGraph = api;

  /* graph.css, unless the page links it already (the graph page does; a note page may not). */
  if (here && !document.querySelector("link[href*='graph.css']")) {
    var sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = here.replace(/graph\.js(\?.*)?$/, "graph.css");
    document.head.appendChild(sheet);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function noteLink(g, i) {
    var a = el("a", { href: g.url(i) }, g.titles[i]);
    if (g.wanted[i]) a.className = "wanted";
    return a;
  }

  function firstFrame(view) {
    var draw = view.draw;
    view.draw = function () {
      draw.call(this);
      if (api.firstFrame === null) api.firstFrame = performance.now();
    };
  }

  // ---- the whole graph, loaded once ----------------------------------------------------

  var whole = null, waiting = null;
  function loadWhole(done) {
    if (whole) { done(whole); return; }
    if (waiting) { waiting.push(done); return; }
    waiting = [done];
    function ready(graph) { whole = graph; waiting.forEach(function (fn) { fn(graph); }); waiting = null; }
    if (mode === "live") {
      fetch(root + "api/graph").then(function (r) { return r.json(); })
        .then(function (data) { ready(Data.fromNodeLink(data)); });
    } else if (window.KGWIKI_GRAPH) {
      ready(Data.fromCompact(window.KGWIKI_GRAPH));
    } else {
      var script = el("script", { src: root + "data/graph.js" });
      script.onload = function () { ready(Data.fromCompact(window.KGWIKI_GRAPH)); };
      document.body.appendChild(script);
    }
  }

  // ---- the graph page ------------------------------------------------------------------

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

  function showLegend(view) {
    var list = document.getElementById("graph-legend");
    if (!list) return;
    list.textContent = "";
    view.legend.forEach(function (item) {
      var li = el("li");
      var dot = el("span", { "class": "dot" });
      dot.style.background = item.colour;
      li.appendChild(dot);
      li.appendChild(document.createTextNode((item.label || item.key || "other") + " "));
      li.appendChild(el("span", { "class": "count" }, String(item.count)));
      list.appendChild(li);
    });
  }

  /* The text alternative: the selected note's neighbours, else the best linked notes. Each
   * entry links to its note, and its button selects it here (walking the graph by keyboard). */
  function showText(view, body, i) {
    var g = view.g;
    body.textContent = "";
    var items, heading;
    if (i >= 0) {
      items = [];
      for (var k = g.nbrStart[i]; k < g.nbrStart[i + 1]; k++) items.push(g.nbr[k]);
      items.sort(function (a, b) { return g.titles[a].localeCompare(g.titles[b]); });
      var p = el("p");
      p.appendChild(noteLink(g, i));
      p.appendChild(document.createTextNode(" — " + items.length + " neighbour" + (items.length === 1 ? "" : "s") + ":"));
      heading = p;
    } else {
      items = view.order.filter(function (j) { return !g.wanted[j]; }).slice(0, 30);
      heading = el("p", {}, "The " + items.length + " best linked notes (find a note above to list its neighbours):");
    }
    body.appendChild(heading);
    var ul = el("ul", { "class": "graph-text-list" });
    items.slice(0, 300).forEach(function (j) {
      var li = el("li");
      li.appendChild(noteLink(g, j));
      li.appendChild(document.createTextNode(" (" + g.links[j] + ") "));
      var show = el("button", { type: "button", "class": "graph-show", "aria-label": "Show " + g.titles[j] + " in the graph" }, "show");
      show.addEventListener("click", function () { select(view, j); });
      li.appendChild(show);
      ul.appendChild(li);
    });
    body.appendChild(ul);
    if (items.length > 300) body.appendChild(el("p", {}, "… and " + (items.length - 300) + " more."));
  }

  function select(view, i) {
    view.centreOn(i, 2.5);
    view.setFocus(-1, i);
  }

  function bindFind(view) {
    var input = document.getElementById("graph-find"), list = document.getElementById("graph-find-list");
    if (!input || !list) return;
    var g = view.g, folded = g.titles.map(function (t) { return t.toLowerCase(); });
    var matches = [], current = -1;
    function render() {
      list.textContent = "";
      matches.forEach(function (i, k) {
        var li = el("li", { role: "option", id: "graph-find-" + k, "aria-selected": String(k === current) }, g.titles[i]);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(k); });
        list.appendChild(li);
      });
      list.hidden = !matches.length;
      input.setAttribute("aria-expanded", String(!!matches.length));
      if (current >= 0) input.setAttribute("aria-activedescendant", "graph-find-" + current);
      else input.removeAttribute("aria-activedescendant");
    }
    function choose(k) {
      var i = matches[k];
      if (i === undefined) return;
      input.value = g.titles[i];
      matches = []; current = -1;
      render();
      select(view, i);
    }
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase(), starts = [], contains = [];
      if (q) {
        for (var i = 0; i < g.n && starts.length < 8; i++) {
          var at = folded[i].indexOf(q);
          if (at === 0) starts.push(i); else if (at > 0 && contains.length < 8) contains.push(i);
        }
      }
      matches = starts.concat(contains).slice(0, 8);
      current = -1;
      render();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!matches.length) return;
        current = (current + (event.key === "ArrowDown" ? 1 : matches.length - 1) + (current < 0 && event.key === "ArrowUp" ? 1 : 0)) % matches.length;
        render();
        event.preventDefault();
      } else if (event.key === "Enter") {
        event.preventDefault();
        choose(current >= 0 ? current : 0);
      } else if (event.key === "Escape") {
        matches = []; current = -1; render();
      }
    });
    input.addEventListener("blur", function () { matches = []; current = -1; render(); });
  }

  function startGlobal(canvas, graph) {
    var view = new GraphView(canvas, graph, false);
    firstFrame(view);
    api.global = view;
    var form = document.getElementById("graph-filters");
    var status = document.getElementById("graph-status");
    var body = document.getElementById("graph-text-body");
    var notes = 0;
    for (var i = 0; i < graph.n; i++) if (!graph.wanted[i]) notes++;
    function update() {
      var shown = view.applyFilters(readFilters(form, view));
      if (status) status.textContent = shown + " of " + notes + " notes";
    }
    if (body) {
      showText(view, body, -1);
      view.onSelect(function (i) { showText(view, body, i); });
    }
    if (form) {
      var radio = form.querySelector("input[name=colour][value='" + view.colourMode + "']");
      if (radio) radio.checked = true;
      if (!graph.hasTrust()) {
        var trust = form.querySelector("input[name=colour][value=trust]");
        if (trust) trust.parentNode.title = "This vault has no trust data";
      }
      form.addEventListener("change", function (event) {
        if (event.target.name === "colour") { view.setColourMode(event.target.value); showLegend(view); return; }
        update();
      });
      form.addEventListener("input", function (event) { if (event.target.name === "tag") update(); });
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
    showLegend(view);
    bindFind(view);
    api.ready = true;
  }

  var globalCanvas = document.getElementById("global-graph");
  if (globalCanvas) loadWhole(function (graph) { startGlobal(globalCanvas, graph); });

  // ---- a note page's local graph -------------------------------------------------------

  /* Hop rings around the centre: where a deeper neighbourhood starts before it settles. */
  function rings(graph) {
    var byHop = {};
    for (var i = 0; i < graph.n; i++) (byHop[graph.hops[i]] = byHop[graph.hops[i]] || []).push(i);
    Object.keys(byHop).forEach(function (hop) {
      byHop[hop].forEach(function (node, k) {
        var angle = 2 * Math.PI * k / byHop[hop].length + hop * 0.7;
        graph.x[node] = hop * Math.cos(angle);
        graph.y[node] = hop * Math.sin(angle);
      });
    });
    return graph;
  }

  function startLocal(canvas, embedded) {
    var box = canvas.parentNode, centreId = null;
    embedded.nodes.forEach(function (node) { if (node.centre) centreId = node.id; });
    var controls = el("div", { "class": "local-graph-controls", role: "group", "aria-label": "Depth" });
    controls.appendChild(el("span", { "class": "label" }, "Depth"));
    var text = el("details", { "class": "local-graph-text" });
    var summary = el("summary", {}, "Neighbours as a list");
    var listBody = el("div");
    text.appendChild(summary);
    text.appendChild(listBody);
    var note = el("p", { "class": "more local-graph-note", "aria-live": "polite" });
    [1, 2, 3].forEach(function (depth) {
      var button = el("button", { type: "button", "data-depth": String(depth), "aria-pressed": String(depth === 1) }, String(depth));
      button.setAttribute("aria-label", "Depth " + depth);
      button.addEventListener("click", function () { show(depth); });
      controls.appendChild(button);
    });
    canvas.parentNode.insertBefore(controls, canvas);
    canvas.parentNode.insertBefore(note, canvas.nextSibling);
    box.appendChild(text);

    function draw(graph, depth, more) {
      var fresh = canvas.cloneNode(false);  /* a new canvas drops the old view's listeners */
      canvas.parentNode.replaceChild(fresh, canvas);
      canvas = fresh;
      api.local = new GraphView(canvas, graph, true);
      firstFrame(api.local);
      controls.querySelectorAll("button").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-depth") === String(depth)));
      });
      var served = box.querySelector("p.more:not(.local-graph-note)");
      if (served) served.hidden = depth !== 1;
      note.textContent = more && depth > 1 ? more + " more notes within " + depth + " hops not shown" : "";
      listBody.textContent = "";
      for (var hop = 1; hop <= depth; hop++) {
        var ul = el("ul", { "class": "note-list" }), count = 0;
        for (var i = 0; i < graph.n; i++) {
          if (graph.hops[i] !== hop) continue;
          var li = el("li");
          li.appendChild(noteLink(graph, i));
          ul.appendChild(li);
          count++;
        }
        if (!count) continue;
        listBody.appendChild(el("p", { "class": "hop" }, hop + (hop === 1 ? " hop" : " hops") + " (" + count + ")"));
        listBody.appendChild(ul);
      }
      summary.textContent = "Neighbours as a list (" + (graph.n - 1) + ")";
    }

    function show(depth) {
      if (depth === 1 || !centreId) { draw(rings(Data.fromNodeLink(embedded)), 1, embedded.more || 0); return; }
      note.textContent = "Loading…";
      loadWhole(function (full) {
        var centre = full.index.get(centreId);
        if (centre === undefined) { note.textContent = ""; return; }
        var hood = full.around(centre, depth, LOCAL_LIMIT + 1), total = 0;
        for (var i = 0; i < full.n; i++) if (hood.dist[i] > 0) total++;
        var graph = rings(Data.fromNodeLink(full.subgraph(hood.nodes, centre, hood.dist)));
        draw(graph, depth, Math.max(0, total - (hood.nodes.length - 1)));
      });
    }
    show(1);
  }

  var localCanvas = document.getElementById("local-graph");
  var localData = document.getElementById("local-graph-data");
  if (localCanvas && localData) {
    startLocal(localCanvas, JSON.parse(localData.textContent));
    api.ready = api.ready || !globalCanvas;
  }
})();
