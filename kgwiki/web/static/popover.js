/* kgwiki: the search popover on every page — results as you type, from anywhere.
 *
 * Open it with Ctrl+K / Cmd+K, with "/" (when not typing in a field), or by typing in (or
 * clicking) the header's search box; Esc closes it and gives the focus back. Arrow keys move
 * through the results, Enter opens the chosen one, Enter with none chosen (or "All results")
 * opens the full results page — the header form's own target, so without this script the form
 * still submits there.
 *
 * Live pages (<body data-mode="live">) ask /api/search, which understands the whole query
 * language (tag: trust: path: category: status:, phrases, OR, NOT, prefixes). Static pages use
 * the client index under data/search/ through static/search.js (loaded on first use as
 * <script> files, so file:// works too), which ranks exactly as the server does; on top of it
 * this file applies the filters tag: (tags come from data/graph.js, loaded only for a tag:
 * query), trust: and path: the way kgwiki/search/query.py and compile.py read them.
 * Static pages ignore category: and status: (and say so); phrases, OR, NOT and prefixes are
 * searched as plain words, as on the static results page.
 *
 * The markup is an ARIA 1.2 combobox: the input owns a listbox of links with role=option, the
 * active one named by aria-activedescendant (the focus stays in the input).
 */
(function () {
  "use strict";

  var body = document.body;
  if (!body || window.kgwikiPopover) return;
  var mode = body.getAttribute("data-mode") === "live" ? "live" : "static";
  var root = body.getAttribute("data-root") || (mode === "live" ? "/" : "./");
  var version = body.getAttribute("data-version") || "";
  var DEBOUNCE = 120, SHOWN = 8, SNIPPET = 160;
  var LEVELS = ["A", "B", "C", "D", "E"];
  var FILTERS = { tag: "tag", tags: "tag", trust: "trust", status: "status", category: "category",
                  cat: "category", path: "path", folder: "path" };
  var STATIC_FILTERS = { tag: true, trust: true, path: true };

  var headerForm = document.querySelector(".search-box");
  var headerInput = headerForm ? headerForm.querySelector("input") : null;

  // ---- the markup --------------------------------------------------------------------------

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  var shell = el("div", { class: "kg-pop", id: "kg-pop" });
  shell.hidden = true;
  var scrim = el("div", { class: "kg-pop-scrim" });
  var panel = el("div", { class: "kg-pop-panel", role: "dialog", "aria-modal": "true",
                          "aria-label": "Search notes" });
  var head = el("div", { class: "kg-pop-head" });
  var input = el("input", {
    id: "kg-pop-input", class: "kg-pop-input", type: "search", role: "combobox",
    "aria-expanded": "false", "aria-controls": "kg-pop-list", "aria-autocomplete": "list",
    "aria-label": "Search notes", "aria-describedby": "kg-pop-status", autocomplete: "off",
    autocapitalize: "off", spellcheck: "false", enterkeyhint: "search",
    placeholder: "Search notes…  tag:  trust:>=B  path:"
  });
  var close = el("button", { class: "kg-pop-close", type: "button", "aria-label": "Close search" }, "Esc");
  head.appendChild(input);
  head.appendChild(close);
  var list = el("div", { class: "kg-pop-list", id: "kg-pop-list", role: "listbox",
                         "aria-label": "Matching notes" });
  var foot = el("div", { class: "kg-pop-foot" });
  var status = el("p", { class: "kg-pop-status", id: "kg-pop-status", "aria-live": "polite" });
  var all = el("a", { class: "kg-pop-all", href: resultsUrl("") }, "All results →");
  var keys = el("p", { class: "kg-pop-keys", "aria-hidden": "true" });
  keys.innerHTML = "<kbd>↑</kbd><kbd>↓</kbd> choose <kbd>Enter</kbd> open <kbd>Esc</kbd> close";
  foot.appendChild(status);
  foot.appendChild(keys);
  foot.appendChild(all);
  panel.appendChild(head);
  panel.appendChild(list);
  panel.appendChild(foot);
  shell.appendChild(scrim);
  shell.appendChild(panel);
  body.appendChild(shell);

  // ---- opening, closing, keys ----------------------------------------------------------------

  var opener = null, restoring = false, active = -1, timer = null, generation = 0, lastQuery = null;

  function isOpen() { return !shell.hidden; }

  function open(text, from) {
    if (!isOpen()) {
      opener = from || document.activeElement;
      shell.hidden = false;
      body.classList.add("kg-pop-open");
      prepare();
    }
    if (typeof text === "string") input.value = text;
    input.focus();
    var end = input.value.length;
    try { input.setSelectionRange(end, end); } catch (err) { /* type=search may refuse */ }
    schedule(0);
  }

  function shut(restore) {
    if (!isOpen()) return;
    clearTimeout(timer);
    shell.hidden = true;
    body.classList.remove("kg-pop-open");
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
    if (headerInput) headerInput.value = input.value;
    if (restore !== false && opener && opener.focus && document.contains(opener)) {
      restoring = true;
      try { opener.focus({ preventScroll: true }); } finally { restoring = false; }
    }
    opener = null;
  }

  function typing(target) {
    if (!target || target === document.body) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    var key = event.key;
    if ((key === "k" || key === "K") && (event.ctrlKey || event.metaKey) && !event.altKey) {
      event.preventDefault();
      if (isOpen()) { input.focus(); input.select(); } else open(null);
      return;
    }
    if (key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isOpen() &&
        !typing(event.target)) {
      event.preventDefault();
      open(null);
    }
  });

  input.addEventListener("keydown", function (event) {
    var options = list.querySelectorAll("[role=option]");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!options.length) return;
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = active < 0 ? (step > 0 ? 0 : options.length - 1)
        : (active + step + options.length) % options.length;
      setActive(next);
    } else if (event.key === "Home" && event.ctrlKey && options.length) {
      event.preventDefault();
      setActive(0);
    } else if (event.key === "End" && event.ctrlKey && options.length) {
      event.preventDefault();
      setActive(options.length - 1);
    } else if (event.key === "Enter" && !event.isComposing) {
      event.preventDefault();
      var chosen = active >= 0 ? options[active] : null;
      go(chosen ? chosen.getAttribute("href") : resultsUrl(input.value));
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      shut();
    }
  });

  // Esc anywhere in the dialog closes it; Tab stays inside it (aria-modal).
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.target !== input) {
      event.preventDefault();
      shut();
    } else if (event.key === "Tab") {
      var stops = [input, close, all];  // the options are reached with the arrow keys
      var at = stops.indexOf(document.activeElement);
      if (event.shiftKey && at <= 0) { event.preventDefault(); stops[stops.length - 1].focus(); }
      else if (!event.shiftKey && at === stops.length - 1) { event.preventDefault(); stops[0].focus(); }
    }
  });

  input.addEventListener("input", function () {
    if (headerInput) headerInput.value = input.value;
    schedule(DEBOUNCE);
  });
  scrim.addEventListener("click", function () { shut(); });
  close.addEventListener("click", function () { shut(); });
  list.addEventListener("mousemove", function (event) {
    var option = event.target.closest ? event.target.closest("[role=option]") : null;
    if (!option) return;
    var index = Array.prototype.indexOf.call(list.querySelectorAll("[role=option]"), option);
    if (index >= 0 && index !== active) setActive(index, true);
  });

  // The header box drives the popover: focusing it (click, tap, Tab) opens the popover with
  // what it holds, before the first key, so a Korean IME composes in the popover's own input.
  // Without this script (or before it runs) the box is a plain form that opens the results page.
  if (headerInput) {
    headerInput.setAttribute("aria-haspopup", "dialog");
    headerInput.setAttribute("aria-keyshortcuts", "Control+K Meta+K /");
    headerInput.addEventListener("focus", function () {
      if (!restoring) open(headerInput.value, headerInput);
    });
    headerInput.addEventListener("input", function () {
      if (!isOpen()) open(headerInput.value, headerInput);
    });
  }

  function go(href) {
    if (!href) return;
    shut(false);
    window.location.href = href;
  }

  function resultsUrl(query) {
    var action = headerForm ? headerForm.getAttribute("action") : null;
    if (!action) action = root + (mode === "live" ? "search/" : "search/index.html");
    var url = new URL(action, window.location.href);
    url.search = query.trim() ? "?q=" + encodeURIComponent(query.trim()) : "";
    return url.href;
  }

  function setActive(index, fromMouse) {
    var options = list.querySelectorAll("[role=option]");
    if (active >= 0 && options[active]) {
      options[active].classList.remove("active");
      options[active].setAttribute("aria-selected", "false");
    }
    active = index < options.length ? index : -1;
    if (active >= 0) {
      var option = options[active];
      option.classList.add("active");
      option.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", option.id);
      if (!fromMouse) option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(run, delay);
  }

  // ---- the query: words and filters ---------------------------------------------------------

  /* Split like kgwiki/search/query.py: ``name:value`` (or ``name:"a b"``) is a filter when the
   * name is one; everything else is a word. */
  function parse(query) {
    var words = [], filters = [], error = null;
    var pattern = /([^\s:"()]+):"([^"]*)"?|\S+/g, m;
    while ((m = pattern.exec(query))) {
      var token = m[0], name, value;
      if (m[1] !== undefined) { name = m[1]; value = m[2]; }
      else {
        var colon = token.indexOf(":");
        name = colon > 0 ? token.slice(0, colon) : "";
        value = colon > 0 ? token.slice(colon + 1) : "";
      }
      var field = name ? FILTERS[name.toLowerCase()] : null;
      if (!field) { words.push(token); continue; }
      if (field === "tag") value = value.replace(/^#+/, "");
      value = value.trim();
      if (!value) { error = error || name + ": needs a value (e.g. " + name + ":x)"; continue; }
      filters.push({ field: field, name: name, value: value });
    }
    return { words: words, filters: filters, error: error };
  }

  function trustLevels(value) {
    var op = [">=", "<=", ">", "<", "="].filter(function (o) { return value.indexOf(o) === 0; })[0] || "";
    var rest = value.slice(op.length).toUpperCase();
    var wanted = op ? [rest.trim()] : rest.split(",").map(function (p) { return p.trim(); });
    var bad = "trust:" + value + ": levels are A, B, C, D, E (A best); try trust:>=B";
    if (!wanted.length || wanted.some(function (l) { return LEVELS.indexOf(l) < 0; })) throw new Error(bad);
    if (!op || op === "=") return wanted;
    var rank = LEVELS.indexOf(wanted[0]);
    var chosen = { ">=": LEVELS.slice(0, rank + 1), ">": LEVELS.slice(0, rank),
                   "<=": LEVELS.slice(rank), "<": LEVELS.slice(rank + 1) }[op];
    if (!chosen.length) throw new Error("trust:" + value + " admits no level");
    return chosen;
  }

  /* ``A/B/C`` → ``a/b/c, a, a/b, a, b, c`` as kgwiki/search/schema.py hierarchy(). */
  function hierarchy(value) {
    var folded = value.normalize("NFC").trim().replace(/^\/+|\/+$/g, "").toLowerCase();
    var parts = folded.split("/").filter(Boolean), out = folded ? [folded] : [];
    for (var i = 0; i < parts.length - 1; i++) out.push(parts.slice(0, i + 1).join("/"));
    return out.concat(parts);
  }

  /* The ``path:`` terms of a static document (its location is the path without ``.md``). */
  function pathTerms(location) {
    var lower = location.normalize("NFC").toLowerCase(), cut = lower.lastIndexOf("/");
    var out = cut > 0 ? hierarchy(lower.slice(0, cut)) : [];
    var stem = lower.slice(cut + 1);
    return out.concat([stem + ".md", stem]);
  }

  // ---- marking matched words -----------------------------------------------------------------

  var CJK = /[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f]/;

  /* What to mark for a query: literal needles (Korean words, their stems; snippet marks) and,
   * when terms.js is there, Latin stems (a text word is marked when it stems the same). */
  function markersFor(words, extra) {
    var needles = new Set(), stems = new Set(), terms = window.kgwikiTerms;
    words.forEach(function (word) {
      var bare = word.replace(/^[-(]+|[*)"]+$/g, "").replace(/^"/, "");
      if (!bare || bare === "OR" || bare === "NOT" || bare === "AND") return;
      (bare.match(/[\p{L}\p{N}]+/gu) || []).forEach(function (run) {
        if (CJK.test(run)) needles.add(run.toLowerCase());
        else if (terms) stems.add(terms.normaliseWord(run));
        else if (run.length > 1) needles.add(run.toLowerCase());
      });
    });
    if (terms) {
      terms.queryGroups(words.join(" ")).forEach(function (group) {
        // A Korean stem (particle stripped) from its bigrams: 아키 키텍 텍처 → 아키텍처.
        var run = "";
        group.need.terms.forEach(function (t) {
          if (!CJK.test(t)) { if (run) needles.add(run); run = ""; stems.add(t); return; }
          var chars = Array.from(t);
          if (run && Array.from(run).slice(-1)[0] === chars[0]) run += chars.slice(1).join("");
          else { if (run) needles.add(run); run = t; }
        });
        if (run) needles.add(run);
      });
    }
    (extra || []).forEach(function (n) { if (n.trim()) needles.add(n.trim().toLowerCase()); });
    return { needles: Array.from(needles).filter(function (n) { return n.length > 0; }), stems: stems };
  }

  /* Ranges [start, end) of ``text`` to mark, merged and in order. */
  function ranges(text, markers) {
    var lower = text.toLowerCase(), found = [];
    if (lower.length !== text.length) lower = text;  // a fold that changes lengths: match as is
    markers.needles.forEach(function (needle) {
      for (var at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
        found.push([at, at + needle.length]);
      }
    });
    if (markers.stems.size && window.kgwikiTerms) {
      var word = /[\p{L}\p{N}]+/gu, m;
      while ((m = word.exec(text))) {
        if (CJK.test(m[0])) continue;
        if (markers.stems.has(window.kgwikiTerms.normaliseWord(m[0]))) found.push([m.index, m.index + m[0].length]);
      }
    }
    found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    found.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  function markInto(element, text, markers, window_) {
    var spans = ranges(text, markers), start = 0, end = text.length;
    if (window_) {
      start = spans.length ? Math.max(0, spans[0][0] - 50) : 0;
      if (start > 0) {  // start at a word boundary when one is near
        var space = text.indexOf(" ", start);
        if (space >= 0 && space < spans[0][0] && space - start < 20) start = space + 1;
      }
      end = Math.min(text.length, start + SNIPPET);
    }
    if (start > 0) element.appendChild(document.createTextNode("…"));
    var at = start;
    spans.forEach(function (r) {
      if (r[1] <= start || r[0] >= end) return;
      var a = Math.max(r[0], start), b = Math.min(r[1], end);
      if (a > at) element.appendChild(document.createTextNode(text.slice(at, a)));
      element.appendChild(el("mark", {}, text.slice(a, b)));
      at = b;
    });
    if (at < end) element.appendChild(document.createTextNode(text.slice(at, end)));
    if (end < text.length) element.appendChild(document.createTextNode("…"));
  }

  /* The server's snippet HTML (escaped text and <mark>) copied as text and marks only. */
  function snippetFromHtml(element, html) {
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    var marks = [];
    Array.prototype.forEach.call(doc.body.childNodes, function (node) {
      if (node.nodeType === 1 && /^(MARK|B|STRONG)$/.test(node.tagName)) {
        element.appendChild(el("mark", {}, node.textContent));
        marks.push(node.textContent);
      } else {
        element.appendChild(document.createTextNode(node.textContent));
      }
    });
    return marks;
  }

  // ---- drawing results ---------------------------------------------------------------------

  /* One option: {title, href, path, level}; returns its snippet element to fill. */
  function addOption(hit, index, markers) {
    var option = el("a", { class: "kg-pop-hit", role: "option", id: "kg-pop-opt-" + index,
                           href: hit.href, "aria-selected": "false", tabindex: "-1" });
    var title = el("span", { class: "kg-pop-title" });
    if (hit.level) {
      title.appendChild(el("span", { class: "level", "data-level": hit.level }, hit.level));
      title.appendChild(document.createTextNode(" "));
    }
    var name = el("span", { class: "kg-pop-name" });
    markInto(name, hit.title, markers, false);
    title.appendChild(name);
    var snippet = el("span", { class: "kg-pop-snippet" });
    var path = el("span", { class: "kg-pop-path" }, hit.path);
    option.appendChild(title);
    option.appendChild(snippet);
    option.appendChild(path);
    list.appendChild(option);
    input.setAttribute("aria-expanded", "true");  // the listbox shows once it has an option
    return { option: option, title: name, snippet: snippet };
  }

  function clear() {
    setActive(-1);
    list.textContent = "";
    input.setAttribute("aria-expanded", "false");
  }

  function say(text) { status.textContent = text; }

  function countText(shown, total, partial, note) {
    var text = total === 0 ? "No notes found."
      : (partial ? "No note has every word; " + total + " have some" : total + (total === 1 ? " result" : " results"))
        + (total > shown ? " — Enter for all" : "");
    return note ? text + " " + note : text;
  }

  function run() {
    var query = input.value;
    all.setAttribute("href", resultsUrl(query));
    if (query === lastQuery && list.childNodes.length) return;
    lastQuery = query;
    var mine = ++generation;
    if (!query.trim()) { clear(); say(""); list.hidden = true; return; }
    list.hidden = false;
    var job = mode === "live" ? runLive(query, mine) : runStatic(query, mine);
    job.catch(function (err) {
      if (mine !== generation) return;
      clear();
      say(err && err.message ? err.message : "Search failed.");
    });
  }

  // ---- live: /api/search ----------------------------------------------------------------------

  var controller = null;

  function runLive(query, mine) {
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    var url = root + "api/search?limit=" + SHOWN + "&q=" + encodeURIComponent(query);
    return fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin",
                        signal: controller ? controller.signal : undefined })
      .then(function (response) {
        if (response.status === 503) throw new Error("The search index is still being built…");
        if (!response.ok) throw new Error("Search failed (" + response.status + ").");
        return response.json();
      })
      .then(function (data) {
        if (mine !== generation) return;
        clear();
        if (data.error) { say(data.error); return; }
        var words = parse(query).words;
        data.hits.forEach(function (hit, i) {
          var parts = addOption({ title: hit.title, href: hit.url, path: hit.path, level: hit.trust },
                                i, markersFor(words, []));
          var marks = snippetFromHtml(parts.snippet, hit.snippet || "");
          if (marks.length) {  // mark in the title what the server marked in the text, too
            parts.title.textContent = "";
            markInto(parts.title, hit.title, markersFor(words, marks), false);
          }
        });
        var note = data.suggestion ? "Did you mean “" + data.suggestion + "”?" : "";
        say(countText(data.hits.length, data.total, false, note));
      }, function (err) {
        if (err && err.name === "AbortError") return;
        throw err;
      });
  }

  // ---- static: data/search/ through search.js ---------------------------------------------------

  var scripts = {};

  function script(src) {
    if (scripts[src]) return scripts[src];
    scripts[src] = new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = function () { resolve(); };
      tag.onerror = function () {
        delete scripts[src];
        reject(new Error("The search index could not be loaded (" + src.split("?")[0] + ")."));
      };
      document.head.appendChild(tag);
    });
    return scripts[src];
  }

  function engine() {
    var bust = version ? "?v=" + encodeURIComponent(version) : "";
    var terms = window.kgwikiTerms ? Promise.resolve() : script(root + "static/terms.js" + bust);
    return terms.then(function () {
      return window.kgwikiSearch ? null : script(root + "static/search.js" + bust);
    }).then(function () {
      var store = window.kgwikiSearch.store;
      if (store.meta) return store;
      return script(root + "data/search/meta.js?v=" + Date.now()).then(function () { return store; });
    }).then(function (store) {
      if (store.docs) return store;
      return script(root + "data/search/docs.js?v=" + store.meta.version).then(function () { return store; });
    });
  }

  function data(store, kind, key) {
    var have = kind === "t" ? store.shards[key] : store.texts[key];
    if (have) return Promise.resolve();
    return script(root + "data/search/" + kind + "/" + key + ".js?v=" + store.meta.version);
  }

  var tagsByLocation = null;

  function tags() {
    if (tagsByLocation) return Promise.resolve(tagsByLocation);
    var ready = window.KGWIKI_GRAPH ? Promise.resolve()
      : script(root + "data/graph.js" + (version ? "?v=" + encodeURIComponent(version) : ""));
    return ready.then(function () {
      var graph = window.KGWIKI_GRAPH;
      tagsByLocation = new Map();
      graph.nodes.forEach(function (node) {
        if (node[6]) return;  // a wanted note
        var set = new Set();
        node[8].forEach(function (t) { hierarchy(graph.tags[t]).forEach(function (h) { set.add(h); }); });
        tagsByLocation.set(node[2], set);
      });
      return tagsByLocation;
    });
  }

  /* A test per filter: (doc entry) → bool; unsupported filters are listed, not applied. */
  function staticFilters(filters, tagMap) {
    var tests = [], skipped = [];
    filters.forEach(function (f) {
      if (!STATIC_FILTERS[f.field]) { skipped.push(f.name + ":"); return; }
      var value = f.value.normalize("NFC").toLowerCase();
      if (f.field === "trust") {
        var levels = trustLevels(f.value);
        tests.push(function (entry) { return levels.indexOf(entry[2]) >= 0; });
      } else if (f.field === "path") {
        if (/\*$/.test(value)) {
          var prefix = value.replace(/\*+$/, "").replace(/^\/+/, "");
          tests.push(function (entry) { return (entry[1].normalize("NFC").toLowerCase() + ".md").indexOf(prefix) === 0; });
        } else {
          var exact = value.replace(/^\/+|\/+$/g, "");
          tests.push(function (entry) { return pathTerms(entry[1]).indexOf(exact) >= 0; });
        }
      } else if (f.field === "tag") {
        var tag = value.replace(/^\/+|\/+$/g, "");
        tests.push(function (entry) {
          var set = tagMap && tagMap.get(entry[1]);
          return !!set && set.has(tag);
        });
      }
    });
    return { pass: function (entry) { return tests.every(function (t) { return t(entry); }); },
             skipped: skipped };
  }

  function runStatic(query, mine) {
    var parsed = parse(query);
    if (parsed.error) return Promise.reject(new Error(parsed.error));
    var needTags = parsed.filters.some(function (f) { return f.field === "tag"; });
    var store = null, groups = [];
    return engine().then(function (s) {
      store = s;
      groups = window.kgwikiTerms.queryGroups(parsed.words.join(" "));
      var shards = new Set();
      groups.forEach(function (g) {
        g.terms.forEach(function (t) { shards.add(window.kgwikiTerms.hash(t) % store.meta.shards); });
      });
      var waits = Array.from(shards).map(function (n) { return data(store, "t", n); });
      if (needTags) waits.push(tags());
      return Promise.all(waits);
    }).then(function () {
      if (mine !== generation) return;
      var filter = staticFilters(parsed.filters, tagsByLocation);
      var hits, partial = false;
      if (groups.length) {
        var ranked = window.kgwikiSearch.rank(groups);
        hits = ranked.hits.map(function (h) { return h.doc; });
        partial = ranked.partial;
      } else if (parsed.filters.length) {
        hits = Object.keys(store.docs).map(Number).sort(function (a, b) {
          return store.docs[a][5] - store.docs[b][5];  // in path order
        });
      } else {
        clear();
        say(parsed.words.length ? "Type a longer word." : "");
        return;
      }
      hits = hits.filter(function (doc) { return filter.pass(store.docs[doc]); });
      clear();
      var markers = markersFor(parsed.words, []);
      hits.slice(0, SHOWN).forEach(function (doc, i) {
        var entry = store.docs[doc];
        var parts = addOption({ title: entry[0], path: entry[1] + ".md", level: entry[2],
                                href: noteUrl(entry[1]) }, i, markers);
        var bucket = Math.floor(doc / store.meta.bucket);
        data(store, "x", bucket).then(function () {
          if (!parts.option.isConnected) return;
          var text = ((store.texts[bucket] || {})[String(doc)] || "").replace(/\s+/g, " ").trim();
          markInto(parts.snippet, text, markers, true);
        }).catch(function () { /* a missing snippet is not worth an error */ });
      });
      var note = filter.skipped.length
        ? "(" + filter.skipped.join(" ") + " needs the live server; ignored here.)" : "";
      say(countText(Math.min(hits.length, SHOWN), hits.length, partial, note));
    });
  }

  function noteUrl(location) {
    return root + "n/" + location.split("/").map(encodeURIComponent).join("/") + "/index.html";
  }

  /* Start loading the static engine and index as soon as the popover opens. */
  function prepare() {
    if (mode === "static") engine().catch(function () { /* said when a search runs */ });
  }

  // parse, markersFor and markInto are shared with the search page (search.js), so its
  // snippets mark every query word as the popover's do.
  window.kgwikiPopover = { open: open, close: shut, isOpen: isOpen, parse: parse,
                           markersFor: markersFor, markInto: markInto };
})();
