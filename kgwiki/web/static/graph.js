/* kgwiki graph pages: start the global graph (graph page) and the local graph (note pages).
 *
 * window.kgwikiGraph.screenPosition(id[, "local"]) gives a node's position in the viewport
 * (the browser tests click nodes with it).
 */
(function () {
  "use strict";

  var mode = document.body.getAttribute("data-mode") || "static";
  var root = document.body.getAttribute("data-root") || "./";
  var GraphView = window.kgwikiGraphView;
  var fromCompact = window.kgwikiGraphData.fromCompact;
  var fromNodeLink = window.kgwikiGraphData.fromNodeLink;

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
        startGlobal(globalCanvas, fromNodeLink(data));
      });
    }
  }

  var localCanvas = document.getElementById("local-graph");
  var localData = document.getElementById("local-graph-data");
  if (localCanvas && localData) {
    api.local = new GraphView(localCanvas, fromNodeLink(JSON.parse(localData.textContent)), true);
    api.ready = api.ready || !globalCanvas;
  }
})();
