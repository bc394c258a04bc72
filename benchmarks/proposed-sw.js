// Service worker for the kmo-portefeuille site: offline after one visit.
// (Proposal: benchmarks/proposed-sw.js; the integrator places it as sw.js at
// the SITE ROOT, so that its scope is the whole site, see
// benchmarks/NOTES.md "Service worker".)
//
// What it caches, and when:
//   * pages (navigations) and the site's own unversioned assets (Material's
//     bundle, CSS, search index, the rekenhulp's scripts): network first,
//     cache as fallback, so online visitors always see the newest build and
//     offline visitors see what they visited before;
//   * the versioned Python runtime (assets/pyodide/<pyodide version>/...) and
//     the versioned package (assets/kmo/<version>-<sha8>/...): cache first.
//     They are NOT fetched at install: a docs page that registers this worker
//     costs a few kB, never Pyodide's megabytes. They are stored when the
//     rekenhulp says Python is ready (message {type: "kmo-cache-runtime"}),
//     at which point every file is in the browser's HTTP cache already
//     (immutable, max-age one year), so storing them costs no download.
//     The rekenhulp's first visit is not controlled by this worker yet (a
//     page is controlled only from its next load), hence the message instead
//     of caching inside "fetch".
// Cache names carry the versions, so a new Pyodide or a new wheel never
// mixes with an old one; "activate" deletes every kmo-* cache it does not use.
//
// BUILD is filled in by build.py when it writes sw.js (the line
// `const BUILD = null;` replaced by the build-info JSON, which also makes the
// bytes of sw.js change with every runtime/package change: that is what makes
// browsers install the new worker). Without it, the worker reads
// assets/kmo/build-info.json at install.

/* global self, caches, clients, fetch, Response, URL */
"use strict";

const BUILD = null; // build.py: replace with the contents of assets/kmo/build-info.json

const ROOT = new URL("./", self.location.href); // sw.js sits at the site root
const BUILD_INFO_URL = new URL("assets/kmo/build-info.json", ROOT).href;
const PAGES_CACHE = "kmo-pages-v1";

let infoPromise = null;

function buildInfo() {
  if (BUILD) {
    return Promise.resolve(BUILD);
  }
  if (!infoPromise) {
    infoPromise = caches.open(PAGES_CACHE)
      .then((cache) => fetch(BUILD_INFO_URL, { cache: "no-cache" })
        .then((response) => {
          if (!response.ok) throw new Error(`build-info.json: HTTP ${response.status}`);
          cache.put(BUILD_INFO_URL, response.clone());
          return response.json();
        })
        .catch(() => cache.match(BUILD_INFO_URL).then((r) => (r ? r.json() : null))));
    infoPromise.then((info) => { if (!info) infoPromise = null; });
  }
  return infoPromise;
}

/** Cache names keyed on the versions (sha8 of the wheel: any rules change). */
function cacheNames(info) {
  const sha8 = (info.wheel_sha256 || "").slice(0, 8);
  return {
    runtime: `kmo-runtime-${info.pyodide_version}${info.stdlib_sha256 ? "-" + info.stdlib_sha256.slice(0, 8) : ""}`,
    package: `kmo-package-${info.package_version}-${sha8}`,
  };
}

/** Every URL the rekenhulp's worker fetches, to store once Python is ready. */
function runtimeURLs(info) {
  const runtime = new URL(info.runtime_dir, ROOT);
  const files = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"];
  // The stdlib the worker boots with: a subset (build-info "stdlib_path") or the full one.
  const stdlib = info.stdlib_path ? new URL(info.stdlib_path, ROOT).href : new URL("python_stdlib.zip", runtime).href;
  const pkg = [info.wheel_path, info.lock_path, info.package_zip_path, info.snapshot_path]
    .filter(Boolean).map((p) => new URL(p, ROOT).href);
  return {
    runtime: [...files.map((f) => new URL(f, runtime).href), stdlib],
    package: pkg,
  };
}

self.addEventListener("install", (event) => {
  // Small things only: the build info (for cache names) and the start page.
  event.waitUntil(
    buildInfo()
      .then(() => caches.open(PAGES_CACHE))
      .then((cache) => cache.addAll([ROOT.href]).catch(() => {}))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const info = await buildInfo();
    const keep = new Set([PAGES_CACHE]);
    if (info) {
      const names = cacheNames(info);
      keep.add(names.runtime);
      keep.add(names.package);
    }
    for (const name of await caches.keys()) {
      if (name.startsWith("kmo-") && !keep.has(name)) {
        await caches.delete(name);
      }
    }
    await clients.claim();
  })());
});

/** The rekenhulp posts {type: "kmo-cache-runtime"} once Python is ready. */
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "kmo-cache-runtime") return;
  event.waitUntil((async () => {
    const info = await buildInfo();
    if (!info) return;
    const names = cacheNames(info);
    const urls = runtimeURLs(info);
    let stored = 0;
    for (const [key, list] of Object.entries(urls)) {
      const cache = await caches.open(names[key]);
      for (const url of list) {
        if (await cache.match(url)) continue;
        // From the HTTP cache when the worker fetched it already (no download).
        const response = await fetch(url);
        if (response.ok) {
          await cache.put(url, response);
          stored += 1;
        }
      }
    }
    if (event.source) event.source.postMessage({ type: "kmo-runtime-cached", stored });
  })());
});

function isVersioned(url) {
  // assets/pyodide/<version>/<file> and assets/kmo/<version>-<sha8>/<file>
  const path = url.pathname.slice(ROOT.pathname.length);
  return /^assets\/(pyodide|kmo)\/[^/]+\/[^/]+$/.test(path);
}

async function cacheFirst(request) {
  const hit = await caches.match(request, { ignoreSearch: true });
  if (hit) return hit;
  return fetch(request); // stored by the "kmo-cache-runtime" message, not here
}

async function networkFirst(request, { navigation = false } = {}) {
  const cache = await caches.open(PAGES_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
      // Pages are stored without their query (the rekenhulp keeps its form in it).
      const key = navigation ? stripSearch(request.url) : request;
      cache.put(key, response.clone());
    }
    return response;
  } catch (error) {
    const hit = await cache.match(navigation ? stripSearch(request.url) : request, { ignoreSearch: navigation });
    if (hit) return hit;
    if (navigation) {
      return new Response(
        "<!doctype html><html lang=\"nl\"><meta charset=\"utf-8\"><title>Offline</title>"
        + "<p>Je bent offline en deze pagina is nog niet bewaard. Bezochte pagina's en de "
        + "rekenhulp werken wel offline.</p>",
        { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    }
    throw error;
  }
}

function stripSearch(href) {
  const url = new URL(href);
  url.search = "";
  url.hash = "";
  return url.href;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== ROOT.origin || !url.pathname.startsWith(ROOT.pathname)) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, { navigation: true }));
  } else if (isVersioned(url)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request));
  }
});
