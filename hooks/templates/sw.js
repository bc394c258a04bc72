// Service worker of the kmo-portefeuille site: the rekenhulp works offline
// after one visit, and so does every page visited before.
//
// Source: hooks/templates/sw.js. hooks/service_worker.py writes it to the
// site root as sw.js (scope: the whole site, also under a sub-path such as
// /kmo-portefeuille/), with the line `const BUILD = null;` replaced by the
// versions of this build (from build.py's KMO_* variables). So sw.js changes
// whenever the runtime or the package changes, and browsers install the new
// worker; the pages register it (docs/assets/sw-register.js).
//
// What is cached, and how:
//
// * The versioned runtime and package: files directly in one of BUILD.dirs
//   (assets/pyodide/<pyodide version>[-...]/, assets/kmo/<version>-<sha8>/).
//   Stored when the rekenhulp has fetched them (its "kmo-cache-runtime"
//   message below), never at install: a docs page costs no byte of Pyodide.
//   Their own URLs are NOT answered here: the browser fetches them itself,
//   so its HTTP cache and, above all, V8's cache of the compiled wasm work
//   (served from Cache Storage, a return visit compiled the 9.6 MB wasm
//   again: 0.55× the reference instead of ~0.4×). The stored copies answer
//   the same paths under ALIAS (<root>kmo-offline/assets/...), which the
//   rekenhulp's worker uses only when the network fails or the browser says
//   it is offline (docs/assets/rekenhulp/worker.js). Files of other versions
//   pass through untouched (not cached).
// * Everything else of the site (pages, Material's assets, the rekenhulp's
//   scripts, build-info.json, the search index and Material's search worker
//   with its lunr files): network first, revalidated (cache: "no-cache": the
//   host may send max-age=600), the cache only when the network fails.
//   Online nothing is ever served stale. A page is stored only in the caches
//   of the build it says it is (<meta name="kmo-build">, BUILD.build).
// * Keys never hold a query string: the rekenhulp keeps what a visitor types
//   in its URL's query, so a page is stored under its URL without it and,
//   offline, served for any query. Nothing typed is stored.
// * Cache names carry the versions and the site's path (BUILD.caches). A
//   new version copies what the old one kept at "install" (pages fresh from
//   the server, and its own runtime and package when the old one had the
//   rekenhulp offline), and only then deletes this site's caches of other
//   versions ("activate"). Pages are keyed on the versions too: an old
//   rekenhulp page would ask for an old runtime (its copies answer under
//   ALIAS while they are kept).
//
// A page loaded before this worker was active (the first visit) is not
// controlled by it, so its requests bypass "fetch". It is not claimed either
// (a page stays controlled or not for its whole life); instead it posts
//   {type: "kmo-cache-page", url, urls}   the page and what it loaded
// (sw-register.js, also after each instant navigation), and the rekenhulp
// posts, once Python is ready,
//   {type: "kmo-cache-runtime", urls}     the runtime files its worker fetched
// (docs/assets/rekenhulp/engine.js). The worker stores those URLs (the
// versioned ones from the browser's HTTP cache: no second download), and
// follows the static module graph of the scripts it stores (import ... from
// "./x.js", import("./x.js"), new URL("./x.js", import.meta.url)), so that a
// module worker's scripts, which the page does not list, are kept as well.
// It answers the sender with {type: "kmo-cached", what, url, stored, failed}.

/* global self, caches, fetch, Request, Response, URL */
"use strict";

const BUILD = null; // hooks/service_worker.py puts this build's versions here

const ROOT = new URL("./", self.location.href); // sw.js sits at the site root
const PREFIX = `kmo:${ROOT.pathname}:`; // this site's caches (an origin may host several)
const NAMES = {
  runtime: PREFIX + BUILD.caches.runtime,
  package: PREFIX + BUILD.caches.package,
  pages: PREFIX + BUILD.caches.pages,
  // Filled by the rekenhulp's worker (a memory snapshot keyed on the versions), not by this worker.
  snapshot: PREFIX + BUILD.caches.snapshot,
};
const VERSIONED = /^assets\/(?:pyodide|kmo)\/[^/]+\/[^/]+$/;
// <root>kmo-offline/<path of a versioned file>: that file from Cache Storage
// (the network only when it is not stored). Keep in step with worker.js.
const ALIAS = "kmo-offline/";
const MAX_GRAPH = 64; // module-graph files followed per message, at most

const OFFLINE_PAGE = `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offline – Kmo-portefeuille uitgelegd</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto; padding: 0 1em; line-height: 1.5">
<h1>Je bent offline</h1>
<p>Deze pagina is nog niet op dit toestel bewaard. Pagina's die je eerder bezocht, en de rekenhulp
als je die al eens gebruikte, werken ook zonder internet.</p>
<p><a href="${ROOT.pathname}">Naar de startpagina</a> · <a href="${ROOT.pathname}rekenhulp/">Naar de rekenhulp</a></p>
</body></html>
`;

/** The site-relative path of a URL of this site, or null (other origin, outside the scope). */
function sitePath(url) {
  if (url.origin !== ROOT.origin || !url.pathname.startsWith(ROOT.pathname)) {
    return null;
  }
  return url.pathname.slice(ROOT.pathname.length);
}

/** "runtime" | "package" for a file of this build's versioned directories, "other-version", or null. */
function versionedKind(path) {
  if (!VERSIONED.test(path)) {
    return null;
  }
  for (const [kind, dirs] of Object.entries(BUILD.dirs)) {
    if (dirs.some((dir) => path.startsWith(dir) && !path.slice(dir.length).includes("/"))) {
      return kind;
    }
  }
  return "other-version";
}

/** The URL without query and fragment: the cache key (nothing typed in a key). */
function bare(href) {
  const url = new URL(href);
  url.search = "";
  url.hash = "";
  return url.href;
}

function cacheable(response) {
  return response && response.status === 200 && response.type === "basic";
}

/** Store a response under its bare URL; a response fetched with a query is stored without its URL. */
async function store(cacheName, request, response) {
  const key = bare(request.url);
  let copy = response.clone();
  if (key !== request.url || (copy.url && copy.url !== key)) {
    copy = new Response(await copy.blob(), {
      status: copy.status, statusText: copy.statusText, headers: copy.headers,
    });
  }
  const cache = await caches.open(cacheName);
  await cache.put(key, copy);
}

async function lookup(cacheName, href) {
  const cache = await caches.open(cacheName);
  // Keys are bare URLs without request headers; a static host's "Vary:
  // Accept-Encoding" says nothing about what is stored.
  return cache.match(bare(href), { ignoreVary: true });
}

/** A copy in any of this site's caches (other versions included), or undefined. */
async function lookupAnywhere(href) {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX)) {
      const hit = await (await caches.open(name)).match(bare(href), { ignoreVary: true });
      if (hit) {
        return hit;
      }
    }
  }
  return undefined;
}

// -- lifecycle --------------------------------------------------------------

// A new version keeps the old one's caches until its own copies are
// complete: at install it fetches, fresh from the server, every page the old
// version kept and, when the visitor had the rekenhulp offline, this build's
// runtime and package (BUILD.files). Only when that succeeded does it take
// over and delete the old caches; when it fails (offline half-way, a server
// error), the install fails, the old version stays with its copies, and the
// browser tries again on a later visit.
self.addEventListener("install", (event) => {
  // Nothing is fetched at install on a first visit: a docs page that
  // registers this worker costs sw.js only.
  // (A static route, event.addRoutes, sending the versioned runtime straight to
  // the network was tried: Chromium 156 does not apply it to the requests of a
  // dedicated worker, the rekenhulp's, so the fetch handler lets them pass.)
  event.waitUntil((async () => {
    const existed = new Set(await caches.keys());
    try {
      await copyFromOlder();
    } catch (error) {
      // Leave nothing half-made: the caches this install created go again.
      for (const name of Object.values(NAMES)) {
        if (!existed.has(name)) {
          await caches.delete(name);
        }
      }
      throw error;
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const keep = new Set(Object.values(NAMES));
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && !keep.has(name)) {
        await caches.delete(name);
      }
    }
  })());
});

/** This site's caches of other versions: {pages: [...], offline: bool (runtime or package copies)}. */
async function olderCaches() {
  const keep = new Set(Object.values(NAMES));
  const pages = [];
  let offline = false;
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || keep.has(name)) {
      continue;
    }
    const kind = name.slice(PREFIX.length);
    if (kind.startsWith("pages-")) {
      pages.push(name);
    } else if (kind.startsWith("runtime-") || kind.startsWith("package-")) {
      offline = offline || (await (await caches.open(name)).keys()).length > 0;
    }
  }
  return { pages, offline };
}

async function copyFromOlder() {
  const older = await olderCaches();
  const pages = new Set();
  for (const name of older.pages) {
    for (const request of await (await caches.open(name)).keys()) {
      pages.add(request.url);
    }
  }
  if (!pages.size && !older.offline) {
    return; // a first install: nothing to carry over
  }
  const runtime = older.offline ? BUILD.files.map((path) => new URL(path, ROOT).href) : [];
  // strict: a network error or a server error fails the install; a page or an
  // asset that this build no longer has (404) is left out.
  const report = await cacheUrls([...pages, ...runtime], "page", { strict: true });
  if (report.failed) {
    throw new Error(`kmo-portefeuille: ${report.failed} file(s) of the new version not stored`);
  }
}

// -- requests ---------------------------------------------------------------

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("range")) {
    return;
  }
  if (request.cache === "only-if-cached" && request.mode !== "same-origin") {
    return;
  }
  const url = new URL(request.url);
  const path = sitePath(url);
  if (path === null) {
    return; // other hosts and other sites of this origin: not ours
  }
  if (path.startsWith(ALIAS)) {
    event.respondWith(stored(event, path.slice(ALIAS.length)));
    return;
  }
  const kind = versionedKind(path);
  if (kind) {
    // This build's runtime and package: the browser's own path (HTTP cache,
    // compiled-wasm cache); another build's: the network, never stored.
    return;
  }
  event.respondWith(networkFirst(event));
});

/** A versioned file of this build asked for under ALIAS: the stored copy, else the network's (stored then). */
async function stored(event, path) {
  const kind = versionedKind(path);
  const url = new URL(path, ROOT).href;
  if (kind === "other-version") {
    // An older page (a tab open across an update) may ask for the old
    // version's files: its copies, while they are still kept.
    const old = await lookupAnywhere(url);
    return old || new Response("", { status: 404, statusText: "Not Found" });
  }
  if (!kind) {
    return new Response("", { status: 404, statusText: "Not Found" });
  }
  const hit = await lookup(NAMES[kind], url);
  if (hit) {
    return hit;
  }
  const response = await fetch(url, { credentials: "same-origin" });
  if (cacheable(response)) {
    event.waitUntil(store(NAMES[kind], new Request(url), response).catch(() => {}));
  }
  return response;
}

/** Material's fingerprinted assets (bundle.<hash>.min.js, main.<hash>.min.css): their name changes with them. */
const FINGERPRINTED = /\.[0-9a-f]{8}\.min\.(?:js|css)$/;

/** The build a page says it is (<meta name="kmo-build">), or null (not a page of this site's builds). */
async function buildOf(response) {
  if (!/text\/html/.test(response.headers.get("content-type") || "")) {
    return null;
  }
  const found = /<meta name="kmo-build" content="([^"]*)"/.exec(await response.clone().text());
  return found ? found[1] : null;
}

/** Store a page only in the caches of its own build: an older worker keeps its copies as they were. */
async function storePage(request, response) {
  // A copy now, before the original goes to the page (its body is then used).
  const copy = response.clone();
  const build = await buildOf(copy);
  if (build !== null && build !== BUILD.build) {
    // A page of another build: this worker is not the newest (or the page is old).
    self.registration.update().catch(() => {});
    return false;
  }
  await store(NAMES.pages, request, copy);
  return true;
}

function revalidating(request, path) {
  if (FINGERPRINTED.test(path)) {
    return request;
  }
  if (request.mode === "navigate") {
    // A navigation cannot be copied with other options: the same GET, and a
    // redirect handed to the browser as it is (as for the navigation itself).
    return new Request(request.url, {
      cache: "no-cache", credentials: "same-origin", redirect: "manual", referrer: request.referrer,
    });
  }
  return new Request(request, { cache: "no-cache" });
}

async function networkFirst(event) {
  const request = event.request;
  const path = sitePath(new URL(request.url));
  let response;
  try {
    // Revalidated (cache: "no-cache"): the host may send max-age=600 (GitHub
    // Pages), and what a page is — its text, its tables, the rules its
    // rekenhulp runs — must be the server's, not the HTTP cache's, right
    // after a deploy. Fingerprinted assets need no revalidation.
    response = await fetch(revalidating(request, path));
  } catch (error) {
    const hit = await lookup(NAMES.pages, request.url);
    if (hit) {
      return hit;
    }
    if (request.mode === "navigate") {
      return new Response(OFFLINE_PAGE, {
        status: 503, statusText: "Offline", headers: { "Content-Type": "text/html; charset=utf-8" },
      });
    }
    throw error;
  }
  if (cacheable(response)) {
    event.waitUntil(storePage(request, response).catch(() => {}));
  }
  return response;
}

// -- what an uncontrolled page offers ------------------------------------------

self.addEventListener("message", (event) => {
  const data = event.data || {};
  let job;
  if (data.type === "kmo-cache-page") {
    job = cacheUrls([data.url, ...(data.urls || [])], "page");
  } else if (data.type === "kmo-cache-runtime") {
    job = cacheUrls(data.urls || [], "runtime");
  } else {
    return;
  }
  event.waitUntil(job.then((report) => {
    if (event.source) {
      event.source.postMessage({ type: "kmo-cached", what: data.type === "kmo-cache-page" ? "page" : "runtime",
        url: data.url ? bare(data.url) : null, ...report });
    }
  }));
});

/** Where a URL offered by a page goes: [cache name, fetch options] or null (not ours, or with a query). */
function destination(href) {
  let url;
  try {
    url = new URL(href, ROOT);
  } catch {
    return null;
  }
  const path = sitePath(url);
  if (path === null || url.search || url.protocol !== ROOT.protocol) {
    return null;
  }
  const kind = versionedKind(path);
  if (kind === "other-version") {
    return null;
  }
  // Versioned files come from the HTTP cache as they are; anything else is
  // revalidated (the page may hold an older copy than the server).
  return kind ? [NAMES[kind], "force-cache"] : [NAMES.pages, "no-cache"];
}

async function cacheUrls(hrefs, what, { strict = false } = {}) {
  const seen = new Set();
  const queue = [];
  for (const href of hrefs) {
    if (typeof href === "string") {
      queue.push(what === "page" ? bareOrNull(href) : href);
    }
  }
  let stored = 0;
  let failed = 0;
  let followed = 0;
  while (queue.length) {
    const href = queue.shift();
    if (!href || seen.has(href)) {
      continue;
    }
    seen.add(href);
    const target = destination(href);
    if (!target) {
      continue;
    }
    const [cacheName, mode] = target;
    const url = new URL(href, ROOT).href;
    try {
      const known = await lookup(cacheName, url);
      let response = null;
      if (!known || mode === "no-cache") {
        // At install (strict), a server that does not answer cannot hold up the update for good.
        const limit = strict && typeof AbortSignal.timeout === "function" ? { signal: AbortSignal.timeout(30000) } : {};
        response = await fetch(url, { cache: mode, credentials: "same-origin", ...limit });
        if (!cacheable(response)) {
          // At install (strict), a file this build no longer has is left out.
          failed += strict && response.status === 404 ? 0 : 1;
          continue;
        }
        if (cacheName === NAMES.pages) {
          if (!(await storePage(new Request(url), response))) {
            failed += 1;
            continue;
          }
        } else {
          await store(cacheName, new Request(url), response);
        }
        stored += 1;
      }
      if (followed < MAX_GRAPH && isScript(url) && cacheName === NAMES.pages) {
        const text = await (response || known).clone().text();
        for (const next of moduleReferences(text, url)) {
          followed += 1;
          queue.push(next);
        }
      }
      if (cacheName === NAMES.pages) {
        queue.push(...await searchReferences(url, response || known));
      }
    } catch {
      failed += 1;
    }
  }
  return { stored, failed };
}

/**
 * Material's search, so that it works offline too: a page names its search
 * worker (<script id="__config">), which loads search/search_index.json and,
 * with importScripts (not followed above), lunr's files for the index's
 * languages ("../lunr/min/lunr.nl.min.js" beside lunr.stemmer.support.min.js).
 */
async function searchReferences(url, response) {
  const type = response.headers.get("content-type") || "";
  try {
    if (/text\/html/.test(type)) {
      const found = /<script id="__config" type="application\/json">([^<]*)<\/script>/.exec(await response.clone().text());
      const config = found ? JSON.parse(found[1]) : null;
      return config && config.search
        ? [new URL(config.search, url).href, new URL("search/search_index.json", ROOT).href] : [];
    }
    if (url === new URL("search/search_index.json", ROOT).href) {
      const langs = ((await response.clone().json()).config || {}).lang || [];
      const base = new URL("assets/javascripts/lunr/", ROOT);
      const files = ["min/lunr.stemmer.support.min.js"];
      for (const lang of langs) {
        if (lang === "ja") files.push("tinyseg.js");
        if (lang === "hi" || lang === "th") files.push("wordcut.js");
        if (lang !== "en") files.push(`min/lunr.${lang}.min.js`);
      }
      if (langs.length > 1) files.push("min/lunr.multi.min.js");
      return langs.length && !(langs.length === 1 && langs[0] === "en") ? files.map((file) => new URL(file, base).href) : [];
    }
  } catch {
    // not what Material writes: nothing to follow
  }
  return [];
}

function bareOrNull(href) {
  try {
    return bare(new URL(href, ROOT).href);
  } catch {
    return null;
  }
}

function isScript(href) {
  return /\.m?js$/.test(new URL(href).pathname);
}

const REFERENCES = [
  /\b(?:import|export)\b[^"'`;]*?\bfrom\s*["'](\.{1,2}\/[^"'?#\s]+)["']/g, // import x from "./x.js"
  /\bimport\s*\(?\s*["'](\.{1,2}\/[^"'?#\s]+)["']/g, // import "./x.js", import("./x.js")
  /\bnew\s+URL\(\s*["'](\.{1,2}\/[^"'?#\s]+)["']\s*,\s*import\.meta\.url\s*\)/g, // new URL("./x.js", import.meta.url)
];

/** Relative module specifiers (and worker scripts) a script names literally. */
function moduleReferences(text, base) {
  const found = [];
  for (const pattern of REFERENCES) {
    for (const match of text.matchAll(pattern)) {
      const url = new URL(match[1], base);
      if (/\.m?js$/.test(url.pathname)) {
        found.push(url.href);
      }
    }
  }
  return found;
}
