// ErrorCanon's service worker, in the static build only (the site's
// script registers it when it finds offline/manifest.json). It keeps the
// offline matcher, its data and the search index, and the pages seen, so
// that the site, its search box and its paste box work offline after the
// first load.
//  - Files under /offline/ other than the manifest carry their content's
//    hash in their path: served from the cache, fetched once.
//  - Everything else of this site (pages, the manifest, the script) is
//    fetched from the network first, and from the cache when offline.
//  - A manifest fetched from the network drops the /offline/ files of
//    earlier builds from the cache.
"use strict";

var CACHE = "errorcanon-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (ev) { ev.waitUntil(self.clients.claim()); });

function keep(req, res) {
  if (res && res.ok && res.type === "basic") {
    var copy = res.clone();
    caches.open(CACHE).then(function (c) { return c.put(req, copy); });
  }
  return res;
}

// The page asks to keep what it fetched before this worker controlled it.
self.addEventListener("message", function (ev) {
  var urls = (ev.data && ev.data.keep) || [];
  urls = urls.filter(function (u) {
    try { return new URL(u, self.location.href).origin === self.location.origin; } catch (e) { return false; }
  });
  if (urls.length) {
    ev.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(urls); }).catch(function () {}));
  }
});

// prune drops the cached /offline/ files a manifest no longer names.
function prune(man) {
  if (!man || !man.search) return Promise.resolve();
  var names = {};
  if (man.match) [man.match.wasm, man.match.exec, man.match.data].forEach(function (p) { names[p] = true; });
  return caches.open(CACHE).then(function (c) {
    return c.keys().then(function (reqs) {
      return Promise.all(reqs.map(function (r) {
        var p = new URL(r.url).pathname;
        if (p.indexOf("/offline/") !== 0 || p === "/offline/manifest.json" || names[p] || p.indexOf(man.search.base) === 0) return null;
        return c.delete(r);
      }));
    });
  });
}

self.addEventListener("fetch", function (ev) {
  var req = ev.request;
  var u = new URL(req.url);
  if (req.method !== "GET" || u.origin !== self.location.origin) return;
  if (u.pathname.indexOf("/offline/") === 0 && u.pathname !== "/offline/manifest.json") {
    ev.respondWith(caches.match(req).then(function (hit) {
      return hit || fetch(req).then(function (res) { return keep(req, res); });
    }));
    return;
  }
  if (u.pathname === "/offline/manifest.json") {
    ev.respondWith(fetch(req).then(function (res) {
      if (res.ok) {
        var done = res.clone().json().then(prune).catch(function () {});
        try { ev.waitUntil(done); } catch (e) { /* the pruning runs anyway */ }
      }
      return keep(req, res);
    }, function (err) {
      return caches.match(req).then(function (hit) {
        if (hit) return hit;
        throw err;
      });
    }));
    return;
  }
  ev.respondWith(fetch(req).then(function (res) { return keep(req, res); }, function (err) {
    return caches.match(req, { ignoreSearch: req.mode === "navigate" }).then(function (hit) {
      if (hit) return hit;
      throw err;
    });
  }));
});
