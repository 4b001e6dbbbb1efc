// ErrorCanon's one script. Every page works without it; with it:
//  - the paste box matches as you type (debounced) through /api/v1/match;
//  - filter selects submit their form when changed;
//  - code blocks and commands on entry pages get a copy button;
//  - on the paste box's results page, the language switch posts the
//    pasted text again in the other language, however long it is;
//  - on a static copy of the site (errorcanon build), which has
//    /offline/manifest.json (the server answers {"server":true} there),
//    the search boxes search a prebuilt index, fetching only the shards
//    of the query's words, and the paste box runs the matcher compiled to
//    WebAssembly, loaded on first use; a service worker keeps both for
//    offline use.
// It is served from this site only (the CSP allows no inline script) and
// builds the DOM with textContent, never with HTML strings.
(function () {
  "use strict";

  var DEBOUNCE_MS = 350;
  var MIN_CHARS = 8;

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = text;
    return n;
  }

  function pct(v) { return Math.round(v * 100) + "%"; }

  // Entry texts are Markdown; show `code` as code and drop ** marks,
  // building nodes, never HTML.
  function inline(parent, text) {
    String(text).replace(/\*\*/g, "").split("`").forEach(function (part, i) {
      if (!part) return;
      parent.appendChild(i % 2 ? el("code", null, part) : document.createTextNode(part));
    });
  }

  function livePaste() {
    var form = document.getElementById("paste");
    var live = document.getElementById("live");
    var strings = document.getElementById("live-strings");
    if (!form || !live || !window.fetch) return;
    var box = form.querySelector("textarea");
    var list = live.querySelector("ol.results");
    var status = live.querySelector(".live-status");
    if (!list) {
      list = el("ol", "results");
      live.appendChild(list);
    }
    if (!status) {
      status = el("p", "live-status muted small");
      live.insertBefore(status, list);
    }
    var s = strings ? strings.dataset : {};
    var lang = form.dataset.lang || "en";
    var api = form.dataset.api || "/api/v1/match";
    var timer = null, inflight = null, last = null;

    // An entry's url is absolute under the server's base URL; the page
    // links its path, on this site, whatever host it was reached by.
    function onSite(u) {
      try { var x = new URL(u, location.href); return x.pathname + x.search + x.hash; } catch (e) { return u; }
    }

    // Rates in match results are the catalog's estimates: label them so.
    function est(p) {
      return (s.est || "%s").replace("%s", p);
    }

    function show(results) {
      list.textContent = "";
      if (!results.length) {
        status.textContent = s.none || "";
      } else if (results[0].kind !== "matched") {
        // Not known: look-alikes by title and link only, never advice.
        status.textContent = (s.unknown || "") + " " + (s.closest || "");
        results.forEach(function (r) {
          var li = el("li", "result kind-" + r.kind);
          var a = el("a", "entry-title", r.title || r.signature);
          a.href = onSite(r.url);
          li.appendChild(a);
          list.appendChild(li);
        });
        live.hidden = false;
        return;
      } else {
        var f = results.length === 1 && s.countOne ? s.countOne : (s.count || "%d");
        status.textContent = f.replace("%d", String(results.length));
      }
      results.forEach(function (r) {
        var li = el("li", "result kind-" + r.kind);
        var head = el("p", "result-head");
        head.appendChild(el("span", "badge kind", r.kind === "matched" ? s.matched : s.fuzzy));
        li.appendChild(head);
        var a = el("a", "entry-title", r.title || r.signature);
        a.href = onSite(r.url);
        li.appendChild(a);
        if (r.span && r.span.text) {
          li.appendChild(el("p", "muted small", (s.line || "Line %d").replace("%d", String(r.span.line))));
          var pre = el("pre", "matched");
          pre.appendChild(el("code", null, r.span.text));
          li.appendChild(pre);
        }
        if (r.dead_ends && r.dead_ends.length) {
          var d = el("p", "step dont");
          d.appendChild(el("strong", null, s.dont));
          d.appendChild(document.createTextNode(" "));
          inline(d, r.dead_ends[0].action);
          d.appendChild(document.createTextNode(" "));
          d.appendChild(el("span", "rate bad", (s.fail || "%s").replace("%s", est(pct(r.dead_ends[0].fail_rate)))));
          li.appendChild(d);
        }
        if (r.workarounds && r.workarounds.length) {
          var w = el("p", "step do");
          w.appendChild(el("strong", null, s["do"]));
          w.appendChild(document.createTextNode(" "));
          inline(w, r.workarounds[0].action);
          w.appendChild(document.createTextNode(" "));
          w.appendChild(el("span", "rate good", (s.success || "%s").replace("%s", est(pct(r.workarounds[0].success_rate)))));
          li.appendChild(w);
        }
        list.appendChild(li);
      });
      live.hidden = false;
    }

    // The static site's matcher: its results in the API's item form.
    function runOffline(text, m) {
      live.setAttribute("aria-busy", "true");
      if (!matcherReady) {
        list.textContent = "";
        status.textContent = m.strings[lang].offline_loading;
        live.hidden = false;
      }
      loadMatcher(m).then(function () {
        if (text !== box.value) return; // typed on meanwhile: a later run answers
        var out = JSON.parse(window.errorcanonMatch(text, lang, 5));
        if (out.error) throw new Error(out.error);
        live.removeAttribute("aria-busy");
        show(out.results.map(function (r) {
          r.url = r.path + (lang === "zh" ? "zh.html" : "");
          return r;
        }));
      }).catch(function () {
        live.removeAttribute("aria-busy");
        last = null;
        status.textContent = m.strings[lang].offline_match_error;
        live.hidden = false;
      });
    }

    function run() {
      var text = box.value;
      if (text.trim().length < MIN_CHARS || text === last) return;
      last = text;
      siteKind().then(function (m) {
        if (text !== box.value) return;
        if (!m) runServer(text);
        else if (m.match) runOffline(text, m); // else built --no-wasm: the button's /match needs a server
      });
    }

    function runServer(text) {
      if (inflight) inflight.abort();
      inflight = window.AbortController ? new AbortController() : null;
      live.setAttribute("aria-busy", "true");
      fetch(api, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify({ text: text, lang: lang }),
        signal: inflight ? inflight.signal : undefined,
        credentials: "same-origin"
      }).then(function (res) {
        if (!res.ok) throw new Error("HTTP " + res.status);
        return res.json();
      }).then(function (body) {
        live.removeAttribute("aria-busy");
        show(body.items || []);
      }).catch(function (err) {
        if (err && err.name === "AbortError") return;
        live.removeAttribute("aria-busy");
        last = null;
        status.textContent = s.error || "";
      });
    }

    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE_MS);
    });
    box.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }
    });
    // Focusing the box starts loading the matcher, while the text is pasted.
    box.addEventListener("focus", function () {
      siteKind().then(function (m) { if (m && m.match) loadMatcher(m).catch(function () {}); });
    });
    // On the static site the button matches here; on the server it posts.
    form.addEventListener("submit", function (ev) {
      if (kind === "server") return;
      ev.preventDefault();
      siteKind().then(function (m) {
        if (!m || !m.match) { form.submit(); return; }
        if (!box.value.trim()) return;
        clearTimeout(timer);
        last = box.value;
        runOffline(box.value, m);
      });
    });
    // A page restored with text in the box (back button) shows its results.
    if (box.value.trim().length >= MIN_CHARS && !live.querySelector("li")) run();
  }

  // ---- The static site: search and matching in the browser ----

  // kind is "server" or "static" once siteKind has answered.
  var kind = null, manifest = null, matcher = null, matcherReady = false;

  // siteKind resolves to the static build's manifest (internal/offline),
  // or null on the server, asking once per page.
  function siteKind() {
    if (!manifest) {
      manifest = (window.fetch ? fetch("/offline/manifest.json", { credentials: "same-origin" }) : Promise.reject(new Error("no fetch")))
        .then(function (res) { return res.ok ? res.json() : null; })
        .catch(function () { return null; })
        .then(function (m) {
          if (!m || m.server || !m.search) { kind = "server"; return null; }
          kind = "static";
          if (navigator.serviceWorker && window.isSecureContext) {
            navigator.serviceWorker.register("/sw.js").catch(function () {});
          }
          // This page, its stylesheet and script, for offline use: they
          // were fetched before the service worker could keep them.
          var css = document.querySelector("link[rel=stylesheet]"), js = document.querySelector("script[src]");
          remember([location.pathname, "/offline/manifest.json"].concat(css ? [css.getAttribute("href")] : [], js ? [js.getAttribute("src")] : []));
          return m;
        });
    }
    return manifest;
  }

  // remember asks the service worker (sw.js) to keep files of the static
  // site that it did not see fetched (it controls a page only after its
  // first load): the page, its stylesheet and script, the matcher.
  function remember(urls) {
    if (kind !== "static" || !navigator.serviceWorker || !window.isSecureContext) return;
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.active) reg.active.postMessage({ keep: urls });
    }).catch(function () {});
  }

  // loadMatcher loads Go's wasm_exec.js, the matcher and its data, once.
  function loadMatcher(m) {
    if (matcher) return matcher;
    var exec = new Promise(function (ok, fail) {
      if (window.Go) { ok(); return; }
      var sc = document.createElement("script");
      sc.src = m.match.exec;
      sc.onload = ok;
      sc.onerror = function () { fail(new Error("wasm_exec.js")); };
      document.head.appendChild(sc);
    });
    var data = fetch(m.match.data).then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.arrayBuffer();
    });
    matcher = exec.then(function () {
      var go = new window.Go();
      // Streaming compiles as it downloads; it needs the host to send
      // application/wasm, so fall back to compiling the bytes.
      var wasm = fetch(m.match.wasm).then(function (res) {
        if (!res.ok) throw new Error("HTTP " + res.status);
        var copy = res.clone();
        return (WebAssembly.instantiateStreaming ? WebAssembly.instantiateStreaming(res, go.importObject) : Promise.reject(new Error("no streaming")))
          .catch(function () {
            return copy.arrayBuffer().then(function (b) { return WebAssembly.instantiate(b, go.importObject); });
          });
      });
      return Promise.all([wasm, data]).then(function (got) {
        go.run(got[0].instance);
        var err = window.errorcanonLoad(new Uint8Array(got[1]));
        if (err) throw new Error(err);
        matcherReady = true;
        remember([m.match.exec, m.match.wasm, m.match.data]);
      });
    });
    matcher.catch(function () { matcher = null; });
    return matcher;
  }

  // Cutting text into words, as internal/sitesearch.Tokens does: NFKC,
  // lowercase; letters, digits and _ of 2 characters or more; a run of
  // Chinese characters gives its bigrams, a lone character itself.
  // Made on first use: a browser without Unicode property escapes
  // (before 2018-2020) cannot parse them, and must still run the rest.
  var CJK = null, WORDS = null;
  function patterns() {
    if (!CJK) {
      var cjk = "\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}";
      CJK = new RegExp("[" + cjk + "]", "u");
      WORDS = new RegExp("[" + cjk + "]+|(?:(?![" + cjk + "])[\\p{L}\\p{N}_])+", "gu");
    }
  }
  var MAX_WORDS = 8;

  function queryWords(q) {
    patterns();
    var out = [], seen = {};
    function add(w, cjk) {
      if (!seen[w] && out.length < MAX_WORDS) { seen[w] = true; out.push({ text: w, cjk: cjk }); }
    }
    (q.normalize("NFKC").toLowerCase().match(WORDS) || []).forEach(function (run) {
      var rs = Array.from(run);
      if (CJK.test(rs[0])) {
        if (rs.length === 1) add(rs[0], true);
        for (var i = 0; i + 1 < rs.length; i++) add(rs[i] + rs[i + 1], true);
      } else if (rs.length >= 2) {
        add(run, false);
      }
    });
    return out;
  }

  // The shard of a word: FNV-1a of its first two characters (one when
  // Chinese), as internal/sitesearch.Shard.
  function shardOf(w, n) {
    patterns();
    var rs = Array.from(w);
    var key = CJK.test(rs[0]) ? rs[0] : rs.slice(0, 2).join("");
    var h = 0x811c9dc5;
    new TextEncoder().encode(key).forEach(function (b) {
      h ^= b;
      h = Math.imul(h, 0x01000193) >>> 0;
    });
    return h % n;
  }

  var fetched = {};
  function getJSON(u) {
    if (!fetched[u]) {
      fetched[u] = fetch(u).then(function (res) {
        if (!res.ok) throw new Error("HTTP " + res.status);
        return res.json();
      });
      fetched[u].catch(function () { delete fetched[u]; });
    }
    return fetched[u];
  }

  var WEIGHT = [0, 1, 2, 4]; // by posting class: body, examples, signature/code/tags

  // decode returns a term's entries: {doc: weight}.
  function decode(list, into) {
    var v = 0;
    list.forEach(function (d) {
      v += d;
      var doc = v >> 2, w = WEIGHT[v & 3];
      if (!into[doc] || into[doc] < w) into[doc] = w;
    });
    return into;
  }

  // lookup finds a word's entries in its shard: the word's term, else
  // (the word typed so far) the terms it starts, else the longest term it
  // starts with (a form the index has not seen: "connects" -> "connect").
  // null for a stop word.
  function lookup(wd, sh) {
    var word = wd.text, docs = {}, t = sh.t, w = sh.w, k, n = Array.from(word).length;
    if (Object.prototype.hasOwnProperty.call(w, word)) {
      return w[word] === "" ? null : decode(t[w[word]] || [], docs);
    }
    if (t[word] && !(wd.cjk && n === 1)) return decode(t[word], docs);
    if (wd.cjk ? n === 1 : n >= 3) {
      var found = false;
      for (k in t) if (k.lastIndexOf(word, 0) === 0) { decode(t[k], docs); found = true; }
      for (k in w) if (w[k] && k.lastIndexOf(word, 0) === 0 && t[w[k]]) { decode(t[w[k]], docs); found = true; }
      if (found || wd.cjk) return docs;
    }
    var best = "";
    for (k in t) {
      if (k.length > best.length && k.length >= 4 && k.length >= word.length - 3 && word.lastIndexOf(k, 0) === 0) best = k;
    }
    return best ? decode(t[best], docs) : docs;
  }

  // search answers a query in a language: {total, hits: [[path, title, snippet]]}.
  function search(m, lang, q, limit) {
    var L = m.search.langs[lang], base = m.search.base + lang + "/";
    var words = queryWords(q);
    return Promise.all(words.map(function (wd) {
      return getJSON(base + shardOf(wd.text, L.shards) + ".json").then(function (sh) { return lookup(wd, sh); });
    })).then(function (sets) {
      sets = sets.filter(function (s) { return s !== null; });
      var score = {}, count = {};
      sets.forEach(function (docs) {
        var df = Object.keys(docs).length;
        var idf = Math.log(1 + (L.docs - df + 0.5) / (df + 0.5));
        for (var d in docs) {
          score[d] = (score[d] || 0) + idf * docs[d];
          count[d] = (count[d] || 0) + 1;
        }
      });
      // Every word, else at least half of them, as the server's search.
      var need = sets.length, ids = [];
      for (var pass = 0; pass < 2 && !ids.length && need > 0; pass++) {
        ids = Object.keys(count).filter(function (d) { return count[d] >= need; });
        need = Math.ceil(sets.length / 2);
      }
      ids.sort(function (a, b) { return score[b] - score[a] || a - b; });
      var top = ids.slice(0, limit).map(Number);
      return Promise.all(top.map(function (d) {
        return getJSON(base + "docs-" + Math.floor(d / L.chunk) + ".json").then(function (c) { return c[d % L.chunk]; });
      })).then(function (hits) { return { total: ids.length, hits: hits }; });
    });
  }

  // A search form on the static site shows its results on the page, as
  // the words are typed; the server's forms go to /search as before.
  function offlineSearch() {
    var forms = document.querySelectorAll("form.site-search, form.home-search");
    Array.prototype.forEach.call(forms, function (f) {
      var input = f.querySelector("input[name=q]");
      if (!input || !window.fetch) return;
      var lang = document.documentElement.lang.indexOf("zh") === 0 ? "zh" : "en";
      var panel = null, timer = null, seq = 0;
      function place() {
        if (panel) return panel;
        panel = el("section", "offline-search live");
        panel.setAttribute("aria-live", "polite");
        panel.appendChild(el("p", "live-status muted small"));
        panel.appendChild(el("ol", "results"));
        if (f.classList.contains("site-search")) {
          var main = document.getElementById("main");
          main.insertBefore(panel, main.firstChild);
        } else {
          f.parentNode.insertBefore(panel, f.nextSibling);
        }
        return panel;
      }
      function run(m) {
        var q = input.value.trim(), my = ++seq;
        if (!q) { if (panel) panel.hidden = true; return; }
        var p = place(), status = p.querySelector("p"), list = p.querySelector("ol");
        var s = m.strings[lang];
        p.hidden = false;
        p.setAttribute("aria-busy", "true");
        search(m, lang, q, 10).then(function (res) {
          if (my !== seq) return;
          p.removeAttribute("aria-busy");
          list.textContent = "";
          status.textContent = res.total ? (res.total === 1 ? s.search_n_one : s.search_n).replace("%d", String(res.total)) : s.search_none;
          res.hits.forEach(function (h) {
            var li = el("li", "result");
            var a = el("a", "entry-title", h[1]);
            a.href = h[0];
            li.appendChild(a);
            if (h[2]) li.appendChild(el("p", "muted small", h[2]));
            list.appendChild(li);
          });
        }).catch(function () {
          if (my !== seq) return;
          p.removeAttribute("aria-busy");
          status.textContent = s.offline_search_error;
        });
      }
      input.addEventListener("focus", function () { siteKind(); });
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          siteKind().then(function (m) { if (m) run(m); });
        }, 200);
      });
      f.addEventListener("submit", function (ev) {
        if (kind === "server") return;
        ev.preventDefault();
        siteKind().then(function (m) {
          if (m) { clearTimeout(timer); run(m); } else f.submit();
        });
      });
    });
  }

  // Leave unset filters out of the URL: ?sort=fix_rate, not
  // ?category=&verification=&resolvable=&sort=fix_rate.
  function dropEmpty(f) {
    Array.prototype.forEach.call(f.querySelectorAll("select"), function (sel) {
      if (!sel.value) sel.disabled = true;
    });
  }

  function autoSubmit() {
    var forms = document.querySelectorAll("form.filters, form.search-page");
    Array.prototype.forEach.call(forms, function (f) {
      f.addEventListener("submit", function () { dropEmpty(f); });
      Array.prototype.forEach.call(f.querySelectorAll("select"), function (sel) {
        sel.addEventListener("change", function () {
          if (f.classList.contains("search-page")) {
            var q = f.querySelector("input[name=q]");
            if (q && !q.value.trim()) return;
          }
          dropEmpty(f);
          f.submit();
        });
      });
    });
    // Coming back to the page (back/forward cache), the selects work again.
    window.addEventListener("pageshow", function () {
      Array.prototype.forEach.call(document.querySelectorAll("form select"), function (sel) { sel.disabled = false; });
    });
  }

  // A copy button after each code block and command of an entry page.
  // Its labels come from the article's data attributes, in the page's
  // language.
  function copyButtons() {
    var art = document.querySelector("article.entry");
    if (!art) return;
    var label = art.dataset.copy || "Copy", done = art.dataset.copied || "Copied";
    // The clipboard API where the page may use it, else (or when it
    // refuses) a selected textarea and execCommand.
    function copy(text) {
      if (navigator.clipboard && window.isSecureContext) {
        return navigator.clipboard.writeText(text).catch(function () { return fallback(text); });
      }
      return fallback(text);
    }
    function fallback(text) {
      return new Promise(function (ok, fail) {
        var ta = el("textarea", "vh", text);
        document.body.appendChild(ta);
        ta.select();
        var worked = false;
        try { worked = document.execCommand("copy"); } catch (e) { worked = false; }
        document.body.removeChild(ta);
        if (worked) ok(); else fail(new Error("copy"));
      });
    }
    var codes = art.querySelectorAll("pre > code, p.runcmd > code");
    Array.prototype.forEach.call(codes, function (code) {
      var b = el("button", "copy", label);
      b.type = "button";
      b.addEventListener("click", function () {
        copy(code.textContent).then(function () {
          b.textContent = done;
          b.classList.add("done");
          setTimeout(function () { b.textContent = label; b.classList.remove("done"); }, 1500);
        }, function () {});
      });
      var box = code.parentNode;
      if (box.tagName === "PRE") {
        box.classList.add("has-copy");
        box.appendChild(b);
      } else {
        box.appendChild(document.createTextNode(" "));
        box.appendChild(b);
      }
    });
  }

  // On the results page, switching language posts the text again.
  function switchKeepsText() {
    var form = document.getElementById("paste");
    if (!form) return;
    var box = form.querySelector("textarea"), lang = form.querySelector("input[name=lang]");
    Array.prototype.forEach.call(document.querySelectorAll("a[data-switch]"), function (a) {
      a.addEventListener("click", function (ev) {
        if (!box || !lang || !box.value.trim()) return;
        ev.preventDefault();
        lang.value = a.getAttribute("hreflang");
        form.submit();
      });
    });
  }

  function start() {
    livePaste();
    offlineSearch();
    autoSubmit();
    copyButtons();
    switchKeepsText();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
