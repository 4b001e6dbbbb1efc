// ErrorCanon's one script. Every page works without it; with it:
//  - the paste box matches as you type (debounced) through /api/v1/match;
//  - filter selects submit their form when changed;
//  - code blocks and commands on entry pages get a copy button;
//  - on the paste box's results page, the language switch posts the
//    pasted text again in the other language, however long it is.
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

    function run() {
      var text = box.value;
      if (text.trim().length < MIN_CHARS || text === last) return;
      last = text;
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
        form.submit();
      }
    });
    // A page restored with text in the box (back button) shows its results.
    if (box.value.trim().length >= MIN_CHARS && !live.querySelector("li")) run();
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
