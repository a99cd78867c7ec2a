/* kgwiki: the search terms of a text, exactly as kgwiki/analysis.py makes them.
 *
 * CJK runs (Hangul, Han, Kana) become overlapping bigrams (a one-character run stays one
 * character; the index also keeps each run's last character, the "tail unigram"); other
 * runs of letters and digits become words, NFKC-normalised, case-folded and, when ASCII,
 * stemmed with Porter2 as whoosh.lang.porter2 does it (quirks included). The static site's
 * index is written with the Python side, so both must agree term for term.
 */
(function () {
  "use strict";

  var CJK_RANGES = [
    [0x1100, 0x11ff], [0x3005, 0x3005], [0x3040, 0x30fa], [0x30fc, 0x30ff], [0x3130, 0x318f],
    [0x31f0, 0x31ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa960, 0xa97f], [0xac00, 0xd7af],
    [0xd7b0, 0xd7ff], [0xf900, 0xfaff], [0xff66, 0xff9f], [0x20000, 0x3134f]
  ];
  var WORD_CHAR = /[\p{L}\p{N}]/u;
  var STOP_WORDS = new Set(("a an and are as at be by for from how in is it of on or the to was " +
    "what when where which who why with").split(" "));

  function isCjk(cp) {
    for (var i = 0; i < CJK_RANGES.length; i++) {
      if (cp >= CJK_RANGES[i][0] && cp <= CJK_RANGES[i][1]) return true;
    }
    return false;
  }

  /* Split text into runs: {cjk: true|false, text}. */
  function runs(text) {
    var out = [];
    var current = null;
    var kind = null;
    for (var ch of text) {
      var cp = ch.codePointAt(0);
      var k = isCjk(cp) ? "cjk" : (WORD_CHAR.test(ch) ? "word" : null);
      if (k !== kind && current !== null) {
        out.push({ cjk: kind === "cjk", text: current });
        current = null;
      }
      kind = k;
      if (k !== null) current = (current || "") + ch;
    }
    if (current !== null) out.push({ cjk: kind === "cjk", text: current });
    return out;
  }

  function casefold(text) {
    return text.toLowerCase().replace(/ß/g, "ss").replace(/ς/g, "σ");
  }

  function isAscii(text) {
    return /^[\x00-\x7f]*$/.test(text);
  }

  function normaliseWord(word) {
    var folded = casefold(word.normalize("NFKC"));
    return isAscii(folded) ? stem(folded) : folded;
  }

  /* The terms of one text; tail unigrams only at index time (as the Python side). */
  function termsOf(text, tailUnigrams) {
    var out = [];
    runs(text).forEach(function (run) {
      if (!run.cjk) {
        out.push(normaliseWord(run.text));
        return;
      }
      var chars = Array.from(run.text);
      if (chars.length === 1) {
        out.push(chars[0]);
        return;
      }
      for (var k = 0; k < chars.length - 1; k++) out.push(chars[k] + chars[k + 1]);
      if (tailUnigrams) out.push(chars[chars.length - 1]);
    });
    return out;
  }

  /* Josa and copula endings (kgwiki/search/compile.py PARTICLES, in the same order): a
   * query word ending in one must match its stem and ranks higher with the exact form. */
  var PARTICLES = ("은 는 이 가 을 를 의 에 와 과 도 로 으로 에서 에게 한테 께 란 이란 라는 이라는 " +
    "부터 까지 처럼 보다 만 랑 이랑 로서 로써 으로서 으로써 이다 입니다 이며 이고 에는 에도 와의 과의 " +
    "들 들은 들이 들을 들의").split(" ").sort(function (a, b) {
      return Array.from(b).length - Array.from(a).length;
    });

  function isCjkText(text) {
    var chars = Array.from(text);
    return chars.length > 0 && chars.every(function (c) { return isCjk(c.codePointAt(0)); });
  }

  function stripParticle(word) {
    var chars = Array.from(word);
    for (var i = 0; i < PARTICLES.length; i++) {
      var p = Array.from(PARTICLES[i]);
      if (chars.length > p.length && chars.slice(chars.length - p.length).join("") === p.join("")) {
        var rest = chars.slice(0, chars.length - p.length);
        if (!isCjk(rest[rest.length - 1].codePointAt(0)) || rest.length >= 2) return rest.join("");
      }
    }
    return null;
  }

  /* Every other bigram and the last (compile.py _cover): what a Korean word must hold. */
  function cover(terms) {
    if (terms.length < 3 || !terms.every(function (t) { return Array.from(t).length === 2 && isCjkText(t); })) {
      return terms;
    }
    var chosen = terms.filter(function (_t, i) { return i % 2 === 0; });
    if (chosen[chosen.length - 1] !== terms[terms.length - 1]) chosen.push(terms[terms.length - 1]);
    return chosen;
  }

  function part(terms) { return { terms: terms, cover: cover(terms) }; }

  /* A query as groups, one per written word, as kgwiki/search/compile.py reads plain words:
   * ``need`` (all its cover terms required; the stem when the word ends in a particle) and
   * ``extra`` (the exact form, which only adds to the score). Bare stop words are dropped
   * unless the query has nothing else. */
  function queryGroups(query) {
    var groups = [];
    var words = query.split(/\s+/).filter(Boolean).map(function (w) { return w.normalize("NFC"); });
    var stops = words.map(function (w) { return STOP_WORDS.has(casefold(w.normalize("NFKC"))); });
    var keepStops = words.length > 0 && stops.every(Boolean);
    words.forEach(function (word, i) {
      if (stops[i] && !keepStops) return;
      var terms = termsOf(word, false);
      if (!terms.length) return;
      var stripped = stripParticle(word);
      var bare = stripped === null ? [] : termsOf(stripped, false);
      var group = bare.length ? { word: word, need: part(bare), extra: part(terms) }
        : { word: word, need: part(terms), extra: null };
      group.terms = terms.concat(bare);
      groups.push(group);
    });
    return groups;
  }

  /* FNV-1a (32 bit) over the UTF-8 bytes: which shard holds a term. */
  var encoder = new TextEncoder();
  function hash(term) {
    var h = 0x811c9dc5;
    var bytes = encoder.encode(term);
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // ---- Porter2, following whoosh.lang.porter2 step by step -------------------------------

  var EXCEPTIONS = {
    skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl",
    gently: "gentl", ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: "sky",
    news: "news", howe: "howe", atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes"
  };
  var EARLY_EXIT = new Set(["inning", "outing", "canning", "herring", "earring", "proceed",
    "exceed", "succeed"]);
  var VOWEL = "aeiouy";
  var R_EXP = /[^aeiouy]*[aeiouy]+[^aeiouy]/y;

  function ends(word, suffix) {
    return word.length >= suffix.length && word.slice(word.length - suffix.length) === suffix;
  }

  function regionFrom(word, start) {
    R_EXP.lastIndex = start;
    var match = R_EXP.exec(word);
    return match ? start + match[0].length : word.length;
  }

  function r1Of(word) {
    if (word.startsWith("gener") || word.startsWith("arsen")) return 5;
    if (word.startsWith("commun")) return 6;
    return regionFrom(word, 0);
  }

  function r2Of(word) {
    return regionFrom(word, r1Of(word));
  }

  function endsWithShortSyllable(word) {
    if (word.length === 2 && /^[aeiouy][^aeiouy]$/.test(word)) return true;
    return /[^aeiouy][aeiouy][^aeiouywxY]$/.test(word);
  }

  function isShortWord(word) {
    return endsWithShortSyllable(word) && r1Of(word) === word.length;
  }

  function step0(word) {
    if (ends(word, "'s'")) return word.slice(0, -3);
    if (ends(word, "'s")) return word.slice(0, -2);
    if (ends(word, "'")) return word.slice(0, -1);
    return word;
  }

  function step1a(word) {
    if (ends(word, "sses")) return word.slice(0, -4) + "ss";
    if (ends(word, "ied") || ends(word, "ies")) {
      return word.length > 4 ? word.slice(0, -3) + "i" : word.slice(0, -3) + "ie";
    }
    if (ends(word, "us") || ends(word, "ss")) return word;
    if (ends(word, "s")) {
      var preceding = word.slice(0, -1);
      return /[aeiouy]./.test(preceding) ? preceding : word;
    }
    return word;
  }

  var DOUBLES = ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"];

  function step1bHelper(word) {
    if (ends(word, "at") || ends(word, "bl") || ends(word, "iz")) return word + "e";
    for (var i = 0; i < DOUBLES.length; i++) {
      if (ends(word, DOUBLES[i])) return word.slice(0, -1);
    }
    if (isShortWord(word)) return word + "e";
    return word;
  }

  function step1b(word, r1) {
    if (ends(word, "eedly")) return word.length - 5 >= r1 ? word.slice(0, -3) : word;
    if (ends(word, "eed")) return word.length - 3 >= r1 ? word.slice(0, -1) : word;
    var suffixes = ["ed", "edly", "ing", "ingly"];
    for (var i = 0; i < suffixes.length; i++) {
      if (ends(word, suffixes[i])) {
        var preceding = word.slice(0, -suffixes[i].length);
        return /[aeiouy]/.test(preceding) ? step1bHelper(preceding) : word;
      }
    }
    return word;
  }

  function step1c(word) {
    if (ends(word, "y") || (ends(word, "Y") && word.length > 1)) {
      if (VOWEL.indexOf(word[word.length - 2]) < 0 && word.length > 2) {
        return word.slice(0, -1) + "i";
      }
    }
    return word;
  }

  var STEP2 = [
    ["ization", "ize", []], ["ational", "ate", []], ["fulness", "ful", []],
    ["ousness", "ous", []], ["iveness", "ive", []], ["tional", "tion", []], ["biliti", "ble", []],
    ["lessli", "less", []], ["entli", "ent", []], ["ation", "ate", []], ["alism", "al", []],
    ["aliti", "al", []], ["ousli", "ous", []], ["iviti", "ive", []], ["fulli", "ful", []],
    ["enci", "ence", []], ["anci", "ance", []], ["abli", "able", []], ["izer", "ize", []],
    ["ator", "ate", []], ["alli", "al", []], ["bli", "ble", []], ["ogi", "og", ["l"]],
    ["li", "", ["c", "d", "e", "g", "h", "k", "m", "n", "r", "t"]]
  ];

  function step2(word, r1) {
    for (var i = 0; i < STEP2.length; i++) {
      var end = STEP2[i][0], repl = STEP2[i][1], prev = STEP2[i][2];
      if (!ends(word, end)) continue;
      var attempt = word;
      var stemPart = word.slice(0, -end.length);
      if (word.length - end.length >= r1) {
        if (prev.length === 0) {
          attempt = stemPart + repl;
        } else {
          for (var j = 0; j < prev.length; j++) {
            if (ends(stemPart, prev[j])) { attempt = stemPart + repl; break; }
          }
        }
      }
      if (attempt) return attempt;
    }
    return word;
  }

  var STEP3 = [
    ["ational", "ate", false], ["tional", "tion", false], ["alize", "al", false],
    ["icate", "ic", false], ["iciti", "ic", false], ["ative", "", true], ["ical", "ic", false],
    ["ness", "", false], ["ful", "", false]
  ];

  function step3(word, r1, r2) {
    for (var i = 0; i < STEP3.length; i++) {
      var end = STEP3[i][0], repl = STEP3[i][1], needR2 = STEP3[i][2];
      if (!ends(word, end)) continue;
      var attempt = word;
      var base = word.length - end.length;
      if (base >= r1 && (!needR2 || base >= r2)) attempt = word.slice(0, base) + repl;
      if (attempt) return attempt;
    }
    return word;
  }

  var STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
    "ism", "ate", "iti", "ous", "ive", "ize"];

  function step4(word, r2) {
    for (var i = 0; i < STEP4.length; i++) {
      if (ends(word, STEP4[i])) {
        return word.length - STEP4[i].length >= r2 ? word.slice(0, -STEP4[i].length) : word;
      }
    }
    if ((ends(word, "sion") || ends(word, "tion")) && word.length - 3 >= r2) {
      return word.slice(0, -3);
    }
    return word;
  }

  function step5(word, r1, r2) {
    if (ends(word, "l")) {
      return word.length - 1 >= r2 && word[word.length - 2] === "l" ? word.slice(0, -1) : word;
    }
    if (ends(word, "e")) {
      if (word.length - 1 >= r2) return word.slice(0, -1);
      if (word.length - 1 >= r1 && !endsWithShortSyllable(word.slice(0, -1))) {
        return word.slice(0, -1);
      }
    }
    return word;
  }

  function stem(word) {
    if (word.length <= 2) return word;
    if (word[0] === "'") word = word.slice(1);
    if (Object.prototype.hasOwnProperty.call(EXCEPTIONS, word)) return EXCEPTIONS[word];
    if (word[0] === "y") word = "Y" + word.slice(1);
    word = word.replace(/([aeiouy])y/g, "$1Y");
    var r1 = r1Of(word);
    var r2 = r2Of(word);
    word = step1a(step0(word));
    if (EARLY_EXIT.has(word)) return word;
    word = step1c(step1b(word, r1));
    word = step5(step4(step3(step2(word, r1), r1, r2), r2), r1, r2);
    return word.replace(/Y/g, "y");
  }

  window.kgwikiTerms = {
    terms: function (text) { return termsOf(text, true); },
    queryTerms: function (text) { return termsOf(text, false); },
    queryGroups: queryGroups,
    normaliseWord: normaliseWord,
    stem: stem,
    hash: hash
  };
})();
