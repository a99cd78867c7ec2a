/* kgwiki static search: the prebuilt index under data/search/, loaded as <script> files.
 *
 * A query is split into words; each word becomes its terms exactly as the index was built
 * (terms.js mirrors kgwiki/search/analysis.py: Korean bigrams, stemmed English). A note
 * matches when it holds every word; if none does, notes holding any word are shown. The
 * ranking is the server's (kgwiki/search/rank.py), figure for figure: BM25F over the
 * section-weighted frequencies, a word scored as its rarest term, a word ending in a
 * particle as its stem plus its exact form, 3 × IDF for each word in the note's title or
 * aliases and 1.5 × IDF for each in its headings, times the trust multiplier. tests/web/build/test_search_ranking.py runs this file
 * under node and checks it against SearchIndex.search. Snippets come from the opening text.
 */
(function () {
  "use strict";

  var root = document.body.getAttribute("data-root") || "./";
  var base = root + "data/search/";
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var form = input ? input.form : null;
  var SHOWN = 30, K1 = 1.2, B = 0.75, NAMES_BONUS = 3, HEADINGS_BONUS = 1.5, SNIPPET = 180;

  var store = { meta: null, docs: null, shards: {}, texts: {} };
  var waiting = {};

  window.kgwikiSearchData = function (kind, key, data) {
    if (kind === "m") store.meta = data;
    else if (kind === "d") store.docs = byId(data);
    else if (kind === "t") store.shards[key] = data;
    else if (kind === "x") store.texts[key] = data;
    var name = kind + key;
    (waiting[name] || []).forEach(function (resolve) { resolve(); });
    delete waiting[name];
  };

  /* docs.js lists the notes in path order with their ids: → {id: row + [rank by path]}. */
  function byId(table) {
    var docs = {};
    table.ids.forEach(function (id, rank) { docs[id] = table.rows[rank].concat([rank]); });
    return docs;
  }

  function load(kind, key, file, bust) {
    var have = kind === "m" ? store.meta : kind === "d" ? store.docs
      : kind === "t" ? store.shards[key] : store.texts[key];
    if (have) return Promise.resolve();
    var name = kind + key;
    return new Promise(function (resolve, reject) {
      if (waiting[name]) { waiting[name].push(resolve); return; }
      waiting[name] = [resolve];
      var tag = document.createElement("script");
      tag.src = base + file + (bust ? "?v=" + bust : "");
      tag.onerror = function () { delete waiting[name]; reject(new Error("cannot load " + file)); };
      document.head.appendChild(tag);
    });
  }

  function ready() {
    return load("m", 0, "meta.js", String(Date.now())).then(function () {
      return load("d", 0, "docs.js", store.meta.version);
    });
  }

  function decode(flat) {
    var out = new Map(), doc = 0;
    for (var i = 0; i < flat.length; i += 2) {
      doc += flat[i];
      out.set(doc, flat[i + 1]);
    }
    return out;
  }

  function postings(term) {
    var shard = store.shards[window.kgwikiTerms.hash(term) % store.meta.shards];
    return shard && shard[term] ? decode(shard[term]) : new Map();
  }

  function idfOf(df) { return Math.log(store.meta.count / (df + 1)) + 1; }

  /* Notes holding every cover term of ``part`` → the BM25F score of its rarest term (the
   * first rarest, as the server sorts), and which of them hold it in a name, a heading. */
  function matchPart(part) {
    var docs = store.docs, avgfl = store.meta.avgdl || 1;
    var lists = part.cover.map(postings), scores = new Map(), named = new Set();
    var headed = new Set(), found = { scores: scores, named: named, headed: headed };
    if (!lists.length || lists.some(function (l) { return l.size === 0; })) return found;
    var lead = 0;
    lists.forEach(function (l, i) { if (l.size < lists[lead].size) lead = i; });
    var idf = idfOf(lists[lead].size);
    lists[lead].forEach(function (value, doc) {
      var entry = docs[doc];
      if (!entry || !lists.every(function (l) { return l.has(doc); })) return;
      var tf = value >> 2, fl = entry[3];
      scores.set(doc, idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))));
      if (lists.every(function (l) { return l.get(doc) & 1; })) named.add(doc);
      if (lists.every(function (l) { return l.get(doc) & 2; })) headed.add(doc);
    });
    return found;
  }

  /* Every matching note with its score, best first (ties: in path order, as the server). */
  function rank(groups) {
    var parts = groups.map(function (group) {
      var idf = Math.max.apply(null, group.need.terms.map(function (t) {
        return idfOf(postings(t).size);
      }));
      return { need: matchPart(group.need), extra: group.extra ? matchPart(group.extra) : null,
               named: NAMES_BONUS * idf, headed: HEADINGS_BONUS * idf };
    });
    function collect(every) {
      var found = new Map();
      parts.forEach(function (p, g) {
        p.need.scores.forEach(function (_s, doc) {
          var m = found.get(doc) || [];
          m.push(g);
          found.set(doc, m);
        });
      });
      var hits = [];
      found.forEach(function (matched, doc) {
        if (every && matched.length !== parts.length) return;
        var text = 0, bonus = 0;
        matched.forEach(function (g) {
          var p = parts[g], s = p.need.scores.get(doc);
          if (p.extra && p.extra.scores.has(doc)) s += p.extra.scores.get(doc);
          text += s;
        });
        parts.forEach(function (p) {
          if (p.need.named.has(doc)) bonus += p.named;
          if (p.need.headed.has(doc)) bonus += p.headed;
        });
        hits.push({ doc: doc, score: (text + bonus) * store.docs[doc][4] });
      });
      return hits.sort(function (a, b) {
        return b.score - a.score || store.docs[a.doc][5] - store.docs[b.doc][5];
      });
    }
    var all = collect(true);
    if (all.length || parts.length < 2) return { hits: all, partial: false };
    var some = collect(false);
    return { hits: some, partial: some.length > 0 };
  }

  /* The ranking of ``query`` once its shards are loaded (for tests and other callers). */
  function rankQuery(query) { return rank(window.kgwikiTerms.queryGroups(query)); }

  function noteUrl(location) {
    return root + "n/" + location.split("/").map(encodeURIComponent).join("/") + "/index.html";
  }

  function render(result, query) {
    list.textContent = "";
    var shown = result.hits.slice(0, SHOWN);
    shown.forEach(function (hit) {
      var entry = store.docs[hit.doc];
      var item = document.createElement("li");
      item.className = "hit";
      var title = document.createElement("div");
      title.className = "hit-title";
      if (entry[2]) {
        var level = document.createElement("span");
        level.className = "level";
        level.setAttribute("data-level", entry[2]);
        level.textContent = entry[2];
        title.appendChild(level);
        title.appendChild(document.createTextNode(" "));
      }
      var link = document.createElement("a");
      link.className = "note-link";
      link.href = noteUrl(entry[1]);
      link.textContent = entry[0];
      title.appendChild(link);
      var snippet = document.createElement("div");
      snippet.className = "hit-snippet";
      var path = document.createElement("div");
      path.className = "hit-path";
      path.textContent = entry[1];
      item.appendChild(title);
      item.appendChild(snippet);
      item.appendChild(path);
      list.appendChild(item);
      var bucket = Math.floor(hit.doc / store.meta.bucket);
      load("x", bucket, "x/" + bucket + ".js", store.meta.version).then(function () {
        var text = (store.texts[bucket] || {})[String(hit.doc)] || "";
        // marked as the popover marks (popover.js, on every page): every word, from a word
        var shared = window.kgwikiPopover, flat = text.replace(/\s+/g, " ");
        if (shared && shared.markInto) {
          shared.markInto(snippet, flat, shared.markersFor(shared.parse(query).words, []), true);
        } else {
          snippet.textContent = flat.slice(0, SNIPPET);
        }
      }).catch(function () { /* a missing snippet is not an error worth showing */ });
    });
    var count = result.hits.length;
    status.textContent = count === 0 ? "No notes found."
      : (result.partial ? "No note has every word; " + count + " have some." : count + (count === 1 ? " result" : " results"))
        + (count > SHOWN ? " (top " + SHOWN + " shown)" : "");
  }

  var generation = 0;

  function search(query) {
    var groups = window.kgwikiTerms.queryGroups(query);
    var mine = ++generation;
    if (!groups.length) {
      list.textContent = "";
      status.textContent = query.trim() ? "Type a longer word." : "";
      return Promise.resolve();
    }
    status.textContent = "Searching…";
    return ready().then(function () {
      var shards = new Set();
      groups.forEach(function (g) {
        g.terms.forEach(function (t) { shards.add(window.kgwikiTerms.hash(t) % store.meta.shards); });
      });
      return Promise.all(Array.from(shards).map(function (s) {
        return load("t", s, "t/" + s + ".js", store.meta.version);
      }));
    }).then(function () {
      if (mine === generation) render(rank(groups), query);
    }).catch(function (err) {
      status.textContent = "The search index could not be loaded (" + err.message + ").";
    });
  }

  window.kgwikiSearch = { search: search, store: store, rank: rank, rankQuery: rankQuery };
  if (!input || !list) return;
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 200);
  });
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      try {
        window.history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
      } catch (err) { /* some file:// setups refuse; the search still runs */ }
      search(input.value);
    });
  }
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    search(initial);
  }
})();
