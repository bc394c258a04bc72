// Registers the site's service worker on every page (overrides/main.html
// loads this module): sw.js sits at the site root, so its scope is the whole
// site, also under a sub-path such as /kmo-portefeuille/. It is written by
// hooks/service_worker.py from hooks/templates/sw.js, which says what it caches.
//
// A page loaded before the service worker was active is not controlled by it
// (the first visit): its requests went straight to the network. This script
// then offers the worker the page's address (without its query: nothing typed
// is stored) and the same-site files the page loaded, at load and after each
// instant navigation, so that the pages of a first visit work offline too.
// A controlled page needs no help: the worker sees its requests; when a new
// version takes over while the page is open ("controllerchange"), the page
// offers itself to that one.
//
// window.kmoServiceWorker (for tests and a future "works offline" note):
//   ready    Promise of the registration (rejects when there is none)
//   cached   the worker's answers: [{what: "page"|"runtime", url, stored, failed}]

const ROOT = new URL("../", import.meta.url); // this file is assets/sw-register.js
const offered = new Set();
const cached = [];

function bare(href) {
  const url = new URL(href);
  url.search = "";
  url.hash = "";
  return url.href;
}

/** Same-site files this page loaded (resource timing), without queries. */
function loadedFiles() {
  return performance.getEntriesByType("resource")
    .map((entry) => entry.name)
    .filter((href) => href.startsWith(ROOT.href))
    .map(bare);
}

function offer(registration, toNewController = false) {
  const target = toNewController ? navigator.serviceWorker.controller : registration.active;
  if ((!toNewController && navigator.serviceWorker.controller) || !target) {
    return;
  }
  if (toNewController) {
    offered.clear(); // a new version: it stores this page again if it is of its build
  }
  const page = bare(location.href);
  const files = loadedFiles().filter((href) => !offered.has(href));
  if (offered.has(page) && !files.length) {
    return;
  }
  offered.add(page);
  files.forEach((href) => offered.add(href));
  target.postMessage({ type: "kmo-cache-page", url: page, urls: [...new Set(files)] });
}

function start() {
  const container = navigator.serviceWorker;
  container.addEventListener("message", (event) => {
    const data = event.data || {};
    if (data.type === "kmo-cached") {
      cached.push(data);
    }
  });
  container.startMessages();
  const ready = container
    .register(new URL("sw.js", ROOT).href, { scope: ROOT.pathname, updateViaCache: "none" })
    .then(() => container.ready);
  window.kmoServiceWorker = { ready, cached };
  ready.then((registration) => {
    offer(registration);
    // A new version (sw.js differs) is looked for at every full load; once it
    // has taken over, it gets this page too (its own install copied only what
    // the old version had kept).
    registration.update().catch(() => {});
    container.addEventListener("controllerchange", () => offer(registration, true));
    // Material's instant navigation: a new page in the same document.
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(() => offer(registration));
    }
  }, (error) => {
    console.warn("kmo-portefeuille: service worker not registered:", error);
  });
  ready.catch(() => {});
}

if ("serviceWorker" in navigator && /^https?:$/.test(location.protocol)) {
  // On the rekenhulp, register only once Python is ready: installing the worker
  // and offering it the page's files would share the 2 cores with Python's start.
  const afterPython = () => {
    const engine = window.kmoPortefeuille;
    if (engine && engine.ready) {
      engine.ready.then(() => setTimeout(start, 500), () => start());
    } else {
      start();
    }
  };
  if (document.readyState === "complete") {
    afterPython();
  } else {
    window.addEventListener("load", afterPython, { once: true });
  }
}
