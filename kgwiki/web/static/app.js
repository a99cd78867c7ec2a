/* kgwiki: what every page does — theme toggle, "N days ago", hover previews, live reload.
 *
 * <body data-mode="live|static" data-root="…"> says where the site root is. Live pages ask
 * the server (/api/preview, /api/events); static pages load preview data as <script> files,
 * which also works from file:// where fetch() is refused.
 */
(function () {
  "use strict";

  var body = document.body;
  var mode = body.getAttribute("data-mode") || "static";
  var root = body.getAttribute("data-root") || "./";
  var DAY = 86400000;

  // ---- theme -----------------------------------------------------------------------------

  function currentTheme() {
    var set = document.documentElement.getAttribute("data-theme");
    if (set) return set;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches
      ? "dark" : "light";
  }

  var toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      document.documentElement.setAttribute("data-theme", next);
      try { window.localStorage.setItem("kgwiki-theme", next); } catch (err) { /* ignore */ }
      document.dispatchEvent(new CustomEvent("kgwiki:theme", { detail: next }));
    });
  }

  // ---- the header's height, for what sticks under it (the file pane: --topbar-h) --------

  var topbar = document.querySelector(".topbar");
  function measureTopbar() {
    if (topbar) document.documentElement.style.setProperty("--topbar-h", topbar.offsetHeight + "px");
  }
  measureTopbar();
  window.addEventListener("resize", measureTopbar);

  // ---- how long since a note was reinforced (static pages carry only the date) ------------

  function daysSince(iso) {
    var parts = iso.split("-");
    var then = Date.UTC(+parts[0], +parts[1] - 1, +parts[2]);
    var now = new Date();
    var today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
    return Math.round((today - then) / DAY);
  }

  function agoText(days) {
    if (days === 0) return "today";
    if (days < 0) return "in " + (-days) + (days === -1 ? " day" : " days");
    return days + (days === 1 ? " day ago" : " days ago");
  }

  document.querySelectorAll("time.age[datetime]").forEach(function (el) {
    var iso = el.getAttribute("datetime");
    var days = daysSince(iso);
    if (isNaN(days)) return;
    el.title = iso;
    if (mode === "static") el.textContent = agoText(days);
    var limit = parseInt(el.getAttribute("data-stale-days") || "", 10);
    var badge = el.closest(".trust");
    if (badge && !isNaN(limit) && days > limit && !badge.classList.contains("stale")) {
      badge.classList.add("stale");
      var flag = document.createElement("span");
      flag.className = "stale-flag";
      flag.textContent = "stale";
      badge.appendChild(document.createTextNode(" · "));
      badge.appendChild(flag);
    }
  });

  // ---- hover previews --------------------------------------------------------------------

  var card = document.getElementById("kg-preview");
  var previewCache = {};
  var bucketWaiters = {};
  var hoverTimer = null;
  var hovered = null;
  var ownPath = body.getAttribute("data-path") || "";

  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  window.kgwikiPreviewData = function (kind, bucket, cards) {
    Object.keys(cards).forEach(function (path) {
      var c = cards[path];
      previewCache[path] = { title: c[0], url: root + c[1], html: c[2] };
    });
    (bucketWaiters[bucket] || []).forEach(function (fn) { fn(); });
    delete bucketWaiters[bucket];
  };

  function loadStaticPreview(path, done) {
    var bucket = fnv1a(path) % 256;
    if (bucketWaiters[bucket]) { bucketWaiters[bucket].push(done); return; }
    bucketWaiters[bucket] = [done];
    var tag = document.createElement("script");
    tag.src = root + "data/preview/" + bucket + ".js";
    tag.onerror = function () { delete bucketWaiters[bucket]; };
    document.head.appendChild(tag);
  }

  function loadPreview(path, done) {
    if (previewCache[path]) { done(previewCache[path]); return; }
    if (mode === "live") {
      fetch(root + "api/preview?path=" + encodeURIComponent(path))
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { previewCache[path] = data; done(data); } })
        .catch(function () { /* no card then */ });
    } else {
      loadStaticPreview(path, function () { if (previewCache[path]) done(previewCache[path]); });
    }
  }

  function showCard(link, data) {
    if (hovered !== link || !card) return;
    card.textContent = "";
    var h = document.createElement("h3");
    h.textContent = data.title;
    card.appendChild(h);
    var content = document.createElement("div");
    content.innerHTML = data.html; /* sanitised by kgwiki (server or build), never raw note HTML */
    card.appendChild(content);
    var rect = link.getBoundingClientRect();
    card.hidden = false;
    var top = window.scrollY + rect.bottom + 8;
    var left = Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - card.offsetWidth - 12);
    if (rect.bottom + card.offsetHeight + 16 > window.innerHeight && rect.top > card.offsetHeight + 16) {
      top = window.scrollY + rect.top - card.offsetHeight - 8;
    }
    card.style.top = top + "px";
    card.style.left = Math.max(window.scrollX + 8, left) + "px";
  }

  function hideCard() {
    hovered = null;
    if (hoverTimer) { clearTimeout(hoverTimer); hoverTimer = null; }
    if (card) card.hidden = true;
  }

  document.addEventListener("mouseover", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-path]") : null;
    if (!link || link === hovered) return;
    var path = link.getAttribute("data-path");
    if (!path || path === ownPath) return;
    hideCard();
    hovered = link;
    hoverTimer = setTimeout(function () {
      loadPreview(path, function (data) { showCard(link, data); });
    }, 300);
  });
  document.addEventListener("mouseout", function (event) {
    if (hovered && event.target.closest && event.target.closest("a[data-path]") === hovered &&
        !hovered.contains(event.relatedTarget)) {
      hideCard();
    }
  });
  window.addEventListener("scroll", function () {
    if (card && !card.hidden) hideCard();  /* a pending card still opens, placed anew */
  }, { passive: true });

  // ---- diagrams: Mermaid is loaded only on a page that holds one --------------------------
  // A plain <script> element (not fetch or an ES module), so it works from file:// too.

  var diagrams = document.querySelectorAll("pre.mermaid");
  if (diagrams.length) {
    var loader = document.createElement("script");
    loader.src = root + "static/vendor/mermaid/mermaid.min.js";
    loader.onload = function () {
      if (!window.mermaid) return;
      var dark = currentTheme() === "dark";
      window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict",
                                  theme: dark ? "dark" : "default" });
      window.mermaid.run({ nodes: diagrams }).catch(function () { /* source stays shown */ });
    };
    document.head.appendChild(loader);
  }

  // ---- live reload -----------------------------------------------------------------------

  if (mode === "live" && window.EventSource) {
    var events = new EventSource(root + "api/events");
    events.addEventListener("reload", function (event) {
      var paths = [];
      try { paths = JSON.parse(event.data).paths || []; } catch (err) { paths = []; }
      if (!ownPath || paths.length === 0 || paths.indexOf(ownPath) >= 0) {
        window.location.reload();
      }
    });
  }
})();
