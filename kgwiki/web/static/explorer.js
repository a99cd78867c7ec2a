/* kgwiki: the file explorer, the side drawers on small screens, and the page's contents.
 *
 * The tree comes from data/explorer.js (window.KG_EXPLORER = {notes: [[path, location, title?]],
 * folders: [...]}), one file per build shared by every page and loaded as a <script>, so it works
 * from file://. Folders are drawn when first opened (a 10,000-note vault draws only the open
 * branches), folders before files, sorted as Obsidian sorts (by name, numbers as numbers).
 * Open folders are kept between pages (localStorage); the current note's folders open and its
 * entry scrolls into view.
 */
(function () {
  "use strict";

  var body = document.body;
  var mode = body.getAttribute("data-mode") || "static";
  var root = body.getAttribute("data-root") || "./";
  var here = body.getAttribute("data-path") || "";
  var hereFolder = body.getAttribute("data-folder") || "";
  var STORE = "kgwiki-explorer-open";

  // ---- drawers (phone widths): the menu button opens the side pane, "Contents" the TOC ------

  var scrim = document.querySelector(".drawer-scrim");

  function closeDrawers() {
    body.classList.remove("drawer-side", "drawer-toc");
    Array.prototype.forEach.call(document.querySelectorAll("[aria-controls]"), function (b) {
      if (b.classList.contains("menu-toggle") || b.classList.contains("toc-toggle")) {
        b.setAttribute("aria-expanded", "false");
      }
    });
    if (scrim) scrim.hidden = true;
  }

  function toggleDrawer(button, cls) {
    var open = !body.classList.contains(cls);
    closeDrawers();
    if (open) {
      body.classList.add(cls);
      button.setAttribute("aria-expanded", "true");
      if (scrim) scrim.hidden = false;
    }
  }

  var menu = document.querySelector(".menu-toggle");
  if (menu) menu.addEventListener("click", function () { toggleDrawer(menu, "drawer-side"); });
  var tocButton = document.querySelector(".toc-toggle");
  if (tocButton) {
    tocButton.addEventListener("click", function () { toggleDrawer(tocButton, "drawer-toc"); });
  }
  if (scrim) scrim.addEventListener("click", closeDrawers);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeDrawers();
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".toc a");
    if (link) closeDrawers();
  });

  // ---- heading anchors and the contents' current section --------------------------------------

  Array.prototype.forEach.call(
    document.querySelectorAll(".note-body h2[id], .note-body h3[id], .note-body h4[id]"),
    function (heading) {
      var anchor = document.createElement("a");
      anchor.className = "heading-anchor";
      anchor.href = "#" + heading.id;
      anchor.setAttribute("aria-label", "Link to this section");
      anchor.textContent = "#";
      heading.appendChild(anchor);
    });

  var tocLinks = document.querySelectorAll(".toc a[href^='#']");
  if (tocLinks.length && window.IntersectionObserver) {
    var byId = {};
    var targets = [];
    Array.prototype.forEach.call(tocLinks, function (link) {
      var id = decodeURIComponent(link.getAttribute("href").slice(1));
      var target = document.getElementById(id);
      if (target) { byId[id] = link; targets.push(target); }
    });
    var visible = {};
    var mark = function () {
      var current = null;
      for (var i = 0; i < targets.length; i++) {
        if (visible[targets[i].id]) { current = targets[i].id; break; }
      }
      if (current === null) {  // between headings: the last one above the viewport
        for (var j = targets.length - 1; j >= 0; j--) {
          if (targets[j].getBoundingClientRect().top < 80) { current = targets[j].id; break; }
        }
      }
      Array.prototype.forEach.call(tocLinks, function (link) { link.removeAttribute("aria-current"); });
      if (current !== null && byId[current]) byId[current].setAttribute("aria-current", "true");
    };
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { visible[entry.target.id] = entry.isIntersecting; });
      mark();
    }, { rootMargin: "-64px 0px -55% 0px" });
    targets.forEach(function (target) { observer.observe(target); });
    window.addEventListener("scroll", mark, { passive: true });
  }

  // ---- the explorer -----------------------------------------------------------------------

  var pane = document.getElementById("explorer");
  if (!pane) return;

  function loadData(done) {
    if (window.KG_EXPLORER) { done(window.KG_EXPLORER); return; }
    var script = document.createElement("script");
    script.src = root + "data/explorer.js";
    script.onload = function () { done(window.KG_EXPLORER || null); };
    script.onerror = function () { done(null); };
    document.head.appendChild(script);
  }

  function readOpen() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORE) || "[]");
      return Array.isArray(saved) ? saved : [];
    } catch (err) { return []; }
  }

  var open = {};
  readOpen().forEach(function (folder) { open[folder] = true; });

  function saveOpen() {
    try { window.localStorage.setItem(STORE, JSON.stringify(Object.keys(open))); } catch (err) {
      /* private mode: the state lives as long as the page */
    }
  }

  function compareNames(a, b) {
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function tree(data) {
    var top = { name: "", path: "", folders: {}, files: [] };
    function folder(path) {
      var node = top;
      if (!path) return node;
      var parts = path.split("/");
      for (var i = 0; i < parts.length; i++) {
        var name = parts[i];
        if (!node.folders[name]) {
          node.folders[name] = {
            name: name, path: parts.slice(0, i + 1).join("/"), folders: {}, files: []
          };
        }
        node = node.folders[name];
      }
      return node;
    }
    (data.folders || []).forEach(folder);
    data.notes.forEach(function (entry) {
      var path = entry[0];
      var cut = path.lastIndexOf("/");
      var name = path.slice(cut + 1).replace(/\.(md|markdown)$/i, "");
      folder(cut < 0 ? "" : path.slice(0, cut)).files.push({
        name: name, path: path, location: entry[1], title: entry[2] || ""
      });
    });
    return top;
  }

  function href(location) {
    return root + location + (mode === "static" ? "index.html" : "");
  }

  var currentLink = null;

  function drawFolder(node, list) {
    Object.keys(node.folders).sort(compareNames).forEach(function (name) {
      var child = node.folders[name];
      var item = document.createElement("li");
      var details = document.createElement("details");
      details.className = "explorer-folder";
      var summary = document.createElement("summary");
      summary.textContent = child.name;
      summary.title = child.path;
      details.appendChild(summary);
      var inner = document.createElement("ul");
      details.appendChild(inner);
      var drawn = false;
      var fill = function () {
        if (drawn) return;
        drawn = true;
        drawFolder(child, inner);
      };
      if (open[child.path] || here.indexOf(child.path + "/") === 0 ||
          hereFolder === child.path || hereFolder.indexOf(child.path + "/") === 0) {
        details.open = true;
        fill();
      }
      details.addEventListener("toggle", function () {
        if (details.open) { open[child.path] = true; fill(); } else { delete open[child.path]; }
        saveOpen();
      });
      item.appendChild(details);
      list.appendChild(item);
    });
    node.files.sort(function (a, b) { return compareNames(a.name, b.name); });
    node.files.forEach(function (file) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = href(file.location);
      link.textContent = file.name;
      link.setAttribute("data-note", file.path);
      if (file.title) link.title = file.title;
      if (file.path === here) {
        link.setAttribute("aria-current", "page");
        currentLink = link;
      }
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  loadData(function (data) {
    pane.textContent = "";
    if (!data || !data.notes) {
      var empty = document.createElement("p");
      empty.className = "explorer-empty";
      empty.textContent = "The file list could not be loaded.";
      pane.appendChild(empty);
      return;
    }
    var list = document.createElement("ul");
    list.className = "explorer-tree";
    drawFolder(tree(data), list);
    pane.appendChild(list);
    if (currentLink) reveal(currentLink);
  });

  /* Scroll the pane (never the window: scrollIntoView would also move the page a few pixels
   * under the sticky header) so the current note's link is in view, a third of the way down. */
  function reveal(link) {
    var box = link.closest(".side-pane") || pane;
    var top = link.getBoundingClientRect().top - box.getBoundingClientRect().top;
    if (top < 0 || top + link.offsetHeight > box.clientHeight) {
      box.scrollTop += top - box.clientHeight / 3;
    }
  }
})();
