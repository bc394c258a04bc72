// Rekenhulp worker (module worker): loads the site's own Pyodide once,
// installs the kmo-portefeuille wheel (bootPython below: the fast path with the stdlib
// subset, else the classic one) and answers "estimate" messages with the
// JSON text of kmo_portefeuille.estimate_json.
//
// Messages in:  {type: "boot", info}   build-info from the page (first message;
//                                      without it the worker fetches build-info.json)
//               {type: "estimate", id, request: "<JSON text>"}
//               {type: "plan", id, request: "<JSON text>"}  (kmo_portefeuille.plan_json)
//               {type: "make-snapshot", info}   to a second, short-lived worker (engine.js)
//               {type: "settings", stallMs}   (tests: a shorter stall limit per download)
// Messages out: {type: "progress", step, steps, label, bytes, total, snapshot?}
//                   bytes/total: the runtime's download so far (unpacked) and in all
//                   (build-info download_bytes); snapshot: "restoring" while a memory
//                   snapshot is restored (with snapshotKey, snapshotCache)
//               {type: "ready", pyodide, package, ms, path, source, urls, stamps}
//                   path: "fast" | "classic"; source: "network" (the runtime's own
//                   URLs: network or HTTP cache) | "service-worker" (its stored
//                   copies, when offline) | "mixed"; urls: the runtime files fetched;
//                   stamps: moments of the boot (ms since the epoch);
//                   snapshot: "used" | "absent" | "failed" | "unsupported" (see below)
//               {type: "snapshot", stored, bytes, ms, error}   answer to "make-snapshot"
//               {type: "failed", kind, status, detail}
//                   kind: webassembly | download (network error) | http (status) | stall | python
//               {type: "result", id, response: "<JSON text>"} or {type: "result", id, error}
//
// onmessage is set before anything is awaited: a message that arrives while
// Python boots waits for the boot inside the handler instead of being lost.

const SITE_ROOT = new URL("../../", import.meta.url);
const BUILD_INFO = new URL("../kmo/build-info.json", import.meta.url);
const STEPS = 4;
// Moments of the boot (ms since the epoch, so the page can relate them to its own clock).
const stamps = { workerStart: performance.timeOrigin + performance.now() };
const stamp = (name) => {
  stamps[name] = performance.timeOrigin + performance.now();
};

let booting = null;
let estimateJson = null;
let planJson = null;

self.onmessage = (event) => {
  const message = event.data || {};
  if (message.type === "boot") {
    // snapshot: false when the page restarted this worker because a snapshot's restore stalled.
    boot(message.info, { snapshot: message.snapshot !== false }).catch(() => {}); // reported below
  } else if (message.type === "settings") {
    // Tests shorten the stall limit of a download (engine.js: window.kmoPortefeuilleRequestStallMs).
    if (Number(message.stallMs) > 0) {
      REQUEST_STALL_MS = Number(message.stallMs);
    }
  } else if (message.type === "estimate" || message.type === "plan") {
    answer(message.id, message.request, message.type);
  } else if (message.type === "make-snapshot") {
    makeSnapshot(message.info).then(
      (report) => self.postMessage({ type: "snapshot", ...report }),
      (error) => self.postMessage({ type: "snapshot", stored: false, error: describe(error) }));
  }
};

async function answer(id, request, type = "estimate") {
  try {
    await boot();
    const compute = type === "plan" ? planJson : estimateJson;
    self.postMessage({ type: "result", id, response: compute(String(request)) });
  } catch (error) {
    self.postMessage({ type: "result", id, error: describe(error) });
  }
}

let lastStep = { step: 0, label: "", extra: {} };
const bytesIn = { done: 0, total: 0, posted: 0 };

function progress(step, label, extra = {}) {
  lastStep = { step, label, extra };
  self.postMessage({ type: "progress", step, steps: STEPS, label, bytes: bytesIn.done, total: bytesIn.total, ...extra });
}

/** Bytes of the runtime arrived (unpacked): a progress message at most every 200 ms. */
function countBytes(count) {
  bytesIn.done += count;
  const now = performance.now();
  if (now - bytesIn.posted >= 200 || (bytesIn.total && bytesIn.done >= bytesIn.total)) {
    bytesIn.posted = now;
    progress(lastStep.step, lastStep.label, lastStep.extra); // the same step (and phase), more bytes
  }
}

// kind: webassembly | download (a network error) | http (the server answered
// with an error; status) | stall (a download stopped coming in) | python
class BootError extends Error {
  constructor(kind, detail, extra = {}) {
    super(detail);
    this.kind = kind;
    Object.assign(this, extra);
  }
}

function describe(error) {
  return String((error && (error.message || error)) || "onbekende fout");
}

// A same-site file, or a BootError("download") saying which one failed and why.
async function fetchOk(href, init = {}) {
  let response;
  try {
    response = await fetch(href, init);
  } catch (error) {
    throw new BootError("download", `${href}: ${describe(error)}`);
  }
  if (!response.ok) {
    throw new BootError("http", `${href}: HTTP ${response.status}`, { status: response.status });
  }
  return response;
}

// Pyodide 314 only logs a failed runtime download ("wasm instantiation
// failed!") and then waits forever. While booting, failed requests and that
// warning end the boot at once with kind "download" instead. Exception: while
// the fast path runs, a failed download that only it needs (the stdlib
// subset, the wheel it fetches itself) ends the fast path, and bootPython
// falls back to the classic one.
//
// The runtime comes from its own URLs: the browser's HTTP cache and its
// cache of the compiled wasm make a return visit fast. The service worker
// (hooks/templates/sw.js) keeps copies of them, reachable under ALIAS, for
// when that fails: a file that fails with a network error (no HTTP status:
// offline, server unreachable) is fetched again under ALIAS; a runtime
// module that cannot be imported (pyodide.mjs, pyodide.asm.mjs) makes the
// boot use ALIAS for every file; and when the browser says it is offline,
// ALIAS is used from the start. Each boot attempt has its own watcher, so
// that a late failure of a first attempt cannot end a second one.
const ALIAS = "kmo-offline/"; // as in hooks/templates/sw.js
const VERSIONED_DIR = /^assets\/(?:pyodide|kmo)\/[^/]+\//;
const realFetch = self.fetch.bind(self);
const realWarn = console.warn.bind(console);

/** The same file or directory under ALIAS if it is a versioned one of this site, else null. */
function aliasOf(href) {
  const url = new URL(href, SITE_ROOT);
  if (!url.href.startsWith(SITE_ROOT.href)) {
    return null;
  }
  const path = url.pathname.slice(SITE_ROOT.pathname.length);
  return VERSIONED_DIR.test(path) ? new URL(ALIAS + path, SITE_ROOT).href : null;
}

function watchDownloads(viaCache) {
  const attempt = {
    viaCache, fastOnly: new Set(), phase: "classic", wasmAnswered: false, served: [],
    signalFailure: () => {}, signalFastFailure: () => {},
  };
  attempt.failed = new Promise((resolve, reject) => {
    attempt.signalFailure = reject;
  });
  attempt.failed.catch(() => {});
  const urlOf = (input) => String(input && input.url ? input.url : input);
  const report = (url, error) => {
    if (attempt.phase === "fast" && attempt.fastOnly.has(url)) {
      attempt.signalFastFailure(error);
    } else {
      attempt.signalFailure(error);
    }
  };
  self.fetch = async (input, init) => {
    const href = urlOf(input);
    const alias = attempt.viaCache ? null : aliasOf(href);
    if (/pyodide\.asm\.wasm$/.test(href)) {
      attempt.wasmAnswered = true;
    }
    // A versioned file of this site falls back to the service worker's copy
    // when its own URL fails with a network error, an HTTP error or a stall;
    // anything else (or no copy) ends the attempt with what really happened.
    let response = null;
    let failure = null;
    try {
      response = await countedFetch(attempt, href, input, init, report);
      if (!response.ok) {
        failure = new BootError("http", `${href}: HTTP ${response.status}`, { status: response.status });
      }
    } catch (error) {
      const integrity = error instanceof TypeError && /integrity/i.test(describe(error));
      failure = error instanceof BootError ? error : new BootError("download", `${href}: ${describe(error)}`);
      if (integrity || !alias) {
        report(href, failure);
        throw error; // a wrong file is not replaced by a copy
      }
    }
    if (!failure) {
      return response;
    }
    const copy = alias ? await countedFetch(attempt, alias, alias, init, report).catch(() => null) : null;
    if (copy && copy.ok) {
      attempt.served.push(href);
      return copy;
    }
    report(href, failure);
    if (response) {
      return response; // the server's error response, as the runtime would have had it
    }
    throw new TypeError(failure.message);
  };
  console.warn = (...args) => {
    // A second attempt hears only about its own wasm, not a first one's.
    if (String(args[0]).includes("wasm instantiation failed") && (!viaCache || attempt.wasmAnswered)) {
      attempt.signalFailure(new BootError("download", "pyodide.asm.wasm: instantiation failed"));
    }
    realWarn(...args);
  };
  return attempt;
}

// A download that stops coming in for this long (no headers, or no bytes of
// its body) is given up: the service worker's copy, or the failure "stall".
// Bytes that do come in, however slowly, never trip it (a slow link is not
// a failure). Tests may shorten it (boot message "stallMs").
let REQUEST_STALL_MS = 20000;

/**
 * fetch, with a stall watchdog; the body's bytes are counted (a clone is
 * read, so the response the runtime gets is the browser's own: its URL
 * keeps V8's cache of the compiled wasm working). onStall(href, error) is
 * told when the body stalls after the response was handed on.
 */
async function countedFetch(attempt, href, input, init, onStall) {
  const controller = new AbortController();
  const signals = [controller.signal, init && init.signal].filter(Boolean);
  const signal = signals.length > 1 && AbortSignal.any ? AbortSignal.any(signals) : controller.signal;
  let timer = null;
  const stalled = () => new BootError("stall", `${href}: ${Math.round(REQUEST_STALL_MS / 1000)} s lang kwam er niets binnen`);
  const arm = (onFire) => {
    clearTimeout(timer);
    timer = setTimeout(onFire, REQUEST_STALL_MS);
  };
  let headersStalled = null;
  const headers = new Promise((resolve, reject) => {
    arm(() => {
      headersStalled = stalled();
      controller.abort();
      reject(headersStalled);
    });
  });
  headers.catch(() => {});
  let response;
  try {
    response = await Promise.race([realFetch(input, { ...(init || {}), signal }), headers]);
  } catch (error) {
    clearTimeout(timer);
    throw headersStalled || error;
  }
  clearTimeout(timer);
  if (!response.ok || !response.body || !aliasOf(href) && !/\/kmo-offline\//.test(href)) {
    return response;
  }
  let reader;
  try {
    reader = response.clone().body.getReader();
  } catch {
    return response;
  }
  const onBodyStall = () => {
    const error = stalled();
    error.retryViaCache = !attempt.viaCache;
    onStall(href, error);
    controller.abort();
  };
  arm(onBodyStall);
  (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          break;
        }
        arm(onBodyStall);
        countBytes(value.byteLength);
      }
    } catch {
      // aborted or failed: the runtime sees the same error on its own copy of the body
    } finally {
      clearTimeout(timer);
    }
  })();
  return response;
}

function unwatchDownloads() {
  self.fetch = realFetch;
  console.warn = realWarn;
}

async function load(given, options) {
  // The browser's "offline" is trusted; its "online" is not (a server that
  // is down, a captive portal): failures fall back as described above.
  const offline = Boolean(self.navigator && self.navigator.onLine === false);
  try {
    return await attemptBoot(given, offline, options);
  } catch (error) {
    if (offline || !error.retryViaCache) {
      throw error;
    }
    stamp("retryViaCache");
    try {
      return await attemptBoot(given, true, options);
    } catch {
      throw error; // what happened at the runtime's own URLs (there was no usable copy)
    }
  } finally {
    unwatchDownloads();
  }
}

async function attemptBoot(given, viaCache, options) {
  const attempt = watchDownloads(viaCache);
  bytesIn.done = 0;
  return Promise.race([loadPython(given, attempt, options), attempt.failed]);
}

async function loadPython(given, attempt, { snapshot: useSnapshot = true } = {}) {
  const started = performance.now();
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    throw new BootError("webassembly", "WebAssembly is not available in this worker");
  }
  progress(1, "Rekenhulp voorbereiden");
  // build-info from the page (inlined at build time) saves a no-cache round
  // trip before the runtime downloads start; fetched when the page had none.
  const info = given && given.runtime_dir ? given : await (await fetchOk(BUILD_INFO, { cache: "no-cache" })).json();
  bytesIn.total = Number(info.download_bytes) || 0;
  const url = (path) => new URL(path, SITE_ROOT).href;
  // Under their own URL and under the service worker's ALIAS.
  attempt.fastOnly = new Set(info.stdlib_path
    ? [info.stdlib_path, info.wheel_path].flatMap((path) => [url(path), aliasOf(url(path))]) : []);
  const fastAborted = new Promise((resolve, reject) => {
    attempt.signalFastFailure = reject;
  });
  fastAborted.catch(() => {});

  let booted;
  try {
    stamp("bootStart");
    booted = await bootPython(info, SITE_ROOT, {
      progress: (step, label, extra) => {
        stamp(`step${step}`);
        progress(step, label, extra);
      },
      phase: (name) => {
        attempt.phase = name;
      },
      fastAborted,
      snapshot: attempt.viaCache || !useSnapshot ? null : findSnapshot(info),
      viaCache: attempt.viaCache,
      onViaCache: () => {
        attempt.viaCache = true;
      },
    });
  } catch (error) {
    if (error instanceof BootError) {
      throw error;
    }
    const failure = new BootError("download", `Pyodide: ${describe(error)}`);
    failure.retryViaCache = Boolean(error && error.retryViaCache);
    throw failure;
  }
  const { pyodide, module, path, urls, snapshot } = booted;
  estimateJson = module.estimate_json;
  planJson = module.plan_json;
  stamp("ready");
  // When each runtime file had arrived, and whether a service worker served it
  // ("sw:<file>": that worker's start): for benchmarks/warm_breakdown.py.
  for (const entry of performance.getEntriesByType("resource")) {
    const file = entry.name.split("?")[0].split("/").pop();
    if (/^(pyodide|python_stdlib|kmo_portefeuille|pyodide-lock)/.test(file)) {
      stamps[`got:${file}`] = performance.timeOrigin + entry.responseEnd;
      if (entry.workerStart > 0) {
        stamps[`sw:${file}`] = performance.timeOrigin + entry.workerStart;
      }
    }
  }

  progress(4, "Klaar");
  self.postMessage({
    type: "ready",
    pyodide: pyodide.version,
    package: module.__version__,
    ms: Math.round(performance.now() - started),
    path,
    source: attempt.viaCache ? "service-worker" : attempt.served.length ? "mixed" : "network",
    snapshot,
    urls,
    stamps,
  });
}

// Booting starts with the page's first message: {type: "boot", info} (engine.js
// sends it right after creating the worker, with info null when the page has
// no inline build-info), or an "estimate".
function boot(info, options = {}) {
  if (!booting) {
    booting = load(info, options);
    booting.catch((error) => {
      self.postMessage({
        type: "failed",
        kind: error instanceof BootError ? error.kind : "python",
        status: error && error.status,
        detail: describe(error),
      });
    });
  }
  return booting;
}

// --------------------------------------------------------------------------
// Booting Python (from benchmarks/proposed-worker-boot.js, in this file so
// that the worker is one request, not two in a row;
// row D of BENCHMARKS.md; benchmarks/NOTES.md has the numbers).
//
//   const { pyodide, module, path, urls } = await bootPython(info, siteRoot, { progress });
//
// info: build-info (build.py). Two paths:
//
// * "fast" (when info.stdlib_path is set): loadPyodide with stdLibURL = the
//   stdlib subset build.py makes (~60 files precompiled to .pyc -OO, stored,
//   with tools/stdlib-overrides/: a module outside it is fetched on demand),
//   so CPython compiles no source while booting; our 0.5 kB lock passed as
//   lockFileContents; the wheel fetched at once, in parallel with the runtime,
//   checked by the browser against wheel_sha256 (Subresource Integrity) and
//   unpacked into site-packages with unpackArchive (no loadPackage).
// * "classic" (today's path before this, and the fallback when anything of
//   the fast path fails: a 404, an integrity mismatch, a stdlib that does not
//   fit): the stock python_stdlib.zip, lockFileURL and loadPackage with its
//   sha256 check. loadPyodide can run a second time in the same worker.
//
// `urls`: what the path fetched (absolute), for a service worker to cache.
//
// Options: progress(step, label); phase(name) is called with "fast" or
// "classic" when a path starts; fastAborted, a Promise that rejects when a
// download only the fast path needs failed (the worker's watchdog sees it):
// the fast path then gives up at once instead of waiting for Pyodide;
// viaCache: load every versioned file under the service worker's ALIAS
// (`urls` still names the files' own URLs). Without it, when pyodide.mjs
// cannot be imported from its own URL, it is imported under ALIAS and so is
// everything after it (onViaCache() is called); when loadPyodide fails to
// import pyodide.asm.mjs, the error says error.retryViaCache = true (the
// worker then boots again with viaCache), instead of trying the classic path.

const MODULE_FAILED = /dynamically imported module/i;
const QUIET = { stdout: () => {}, stderr: () => {} };

/** loadPyodide options of the fast path: the stdlib subset and our lock; url(path) resolves a build-info path. */
function fastOptions(info, url) {
  const lock = fetchOk(url(info.lock_path)).then((response) => response.text());
  lock.catch(() => {}); // a failure is reported by the watchdog and by loadPyodide, never "uncaught"
  return {
    indexURL: url(info.runtime_dir),
    stdLibURL: url(info.stdlib_path),
    // Our lock instead of the runtime's 119 kB one (loadPyodide always
    // reads a lock and checks its abi_version), fetched in parallel.
    lockFileContents: lock,
    packageBaseUrl: new URL(".", url(info.lock_path)).href,
    ...QUIET,
  };
}

/** A runtime module that could not be imported from its own URL: boot again from the service worker's copies. */
function retryViaCacheIf(cached, error) {
  if (!cached && MODULE_FAILED.test(describe(error))) {
    throw Object.assign(error instanceof Error ? error : new Error(describe(error)), { retryViaCache: true });
  }
}

async function bootPython(info, siteRoot, {
  progress = () => {}, phase = () => {}, fastAborted = null, viaCache = false, onViaCache = () => {},
  snapshot = null,
} = {}) {
  const own = (path) => new URL(path, siteRoot).href;
  let cached = viaCache;
  const url = (path) => (cached && aliasOf(own(path))) || own(path);
  const ownIndex = own(info.runtime_dir);
  const runtime = [own(info.pyodide_module), ownIndex + "pyodide.asm.mjs", ownIndex + "pyodide.asm.wasm"];

  // Start the package download now, in parallel with the runtime's own.
  const wheel = info.stdlib_path ? fetchBytes(url(info.wheel_path), info.wheel_sha256) : null;
  wheel?.catch(() => {});

  let loadPyodide;
  try {
    ({ loadPyodide } = await import(url(info.pyodide_module)));
  } catch (error) {
    if (cached) {
      throw error;
    }
    // Not reachable at its own URL: the network is gone; the stored copies from here on.
    ({ loadPyodide } = await import(aliasOf(own(info.pyodide_module))).catch(() => {
      throw error;
    }));
    cached = true;
    onViaCache();
  }
  stamp("imported");

  let snapshotState = snapshot ? "absent" : "unsupported";
  if (info.stdlib_path) {
    phase("fast");
    const orAbort = (promise) => (fastAborted ? Promise.race([promise, fastAborted]) : promise);
    const options = () => fastOptions(info, url);
    const stored = snapshot && await snapshot.catch(() => null);
    if (stored) {
      // Python as a visit before this one left it (made in the browser by
      // makeSnapshot below): no interpreter start, no imports. Anything wrong
      // with it: booted again without it, in this worker (that works).
      try {
        // The page watches this phase with a short limit: a restore that
        // hangs (a damaged snapshot can) gets this worker stopped, the
        // snapshot deleted and a new worker started without it (engine.js).
        progress(2, "Python downloaden en starten", { snapshot: "restoring", snapshotKey: stored.key, snapshotCache: SNAPSHOT_CACHE });
        let open;
        const bytes = new Promise((resolve) => { open = resolve; }).then(stored.read);
        bytes.catch(() => {});
        const booting = loadPyodide({ ...options(), _loadSnapshot: bytes });
        // A task later: loadPyodide has asked for the wasm, the stdlib and
        // pyodide.asm.mjs by then (findSnapshot says why this waits).
        setTimeout(open, 0);
        const pyodide = await orAbort(booting);
        progress(3, "Rekenregels installeren");
        const module = pyodide.pyimport("kmo_portefeuille");
        // The file system is not in a snapshot: the package's files, for anything read later.
        pyodide.unpackArchive(await orAbort(wheel), "zip", { extractDir: pyodide._api.sitePackages });
        return {
          pyodide, module, path: "fast", snapshot: "used",
          urls: [...runtime, own(info.stdlib_path), own(info.lock_path), own(info.wheel_path)],
        };
      } catch (error) {
        retryViaCacheIf(cached, error);
        console.warn("kmo-portefeuille: memory snapshot unusable, booting without it:", error);
        snapshotState = "failed";
        stored.discard();
      }
    }
    try {
      progress(2, "Python downloaden en starten");
      const pyodide = await orAbort(loadPyodide(options()));
      progress(3, "Rekenregels installeren");
      const sitePackages = pyodide.runPython(
        "import sys; f'/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages'");
      pyodide.unpackArchive(await orAbort(wheel), "zip", { extractDir: sitePackages });
      const module = pyodide.pyimport("kmo_portefeuille");
      return {
        pyodide, module, path: "fast", snapshot: snapshotState,
        urls: [...runtime, own(info.stdlib_path), own(info.lock_path), own(info.wheel_path)],
      };
    } catch (error) {
      retryViaCacheIf(cached, error);
      console.warn("kmo-portefeuille: fast boot failed, booting the classic way:", error);
    }
  }

  phase("classic");
  progress(2, "Python downloaden en starten");
  const pyodide = await loadPyodide({ indexURL: url(info.runtime_dir), lockFileURL: url(info.lock_path), ...QUIET });
  progress(3, "Rekenregels installeren");
  const problems = [];
  await pyodide.loadPackage(info.package_name, {
    messageCallback: () => {},
    errorCallback: (message) => problems.push(message),
    checkIntegrity: true,
  });
  let module;
  try {
    module = pyodide.pyimport("kmo_portefeuille");
  } catch (error) {
    throw new BootError("download", `${info.package_name}: ${problems.join("; ") || describe(error)}`);
  }
  return {
    pyodide, module, path: "classic", snapshot: "unsupported",
    urls: [...runtime, ownIndex + "python_stdlib.zip", own(info.lock_path), own(info.wheel_path)],
  };
}

async function fetchBytes(href, sha256hex) {
  const init = sha256hex ? { integrity: "sha256-" + hexToBase64(sha256hex) } : {};
  return new Uint8Array(await (await fetchOk(href, init)).arrayBuffer());
}

function hexToBase64(hex) {
  return btoa(String.fromCharCode(...hex.match(/../g).map((h) => parseInt(h, 16))));
}

// --------------------------------------------------------------------------
// Memory snapshot, made in the browser after a visit (no extra download).
//
// engine.js asks a second, short-lived worker for one ("make-snapshot") a
// moment after Python is ready, when the boot said "absent" or "failed".
// That worker boots Pyodide's private _makeSnapshot mode from the same files
// (from the HTTP cache), installs the wheel with unpackArchive (a Uint8Array;
// loadPackage would break the snapshot), imports the package and runs what
// reads its data files (the file system is not in a snapshot), then stores
// pyodide.makeMemorySnapshot() in Cache Storage, in SNAPSHOT_CACHE (a name the
// service worker keeps when it deletes old versions' caches), under a key made
// of the Pyodide version, the package version and wheel sha256 and the stdlib
// subset's sha256: a snapshot only fits the very same wasm (Pyodide checks
// its build id) and the very same stdlib file (zipimport's table of contents
// is in it). Storing one deletes every other key of that cache. The next
// visit's boot restores it (bootPython, `snapshot`), ~31 MB read from disk
// instead of starting the interpreter and importing the package.

const SNAPSHOT_CACHE = `kmo:${SITE_ROOT.pathname}:snapshot`; // kept by sw.js (BUILD.caches.snapshot)
const WARM_UP = `
import gc, json
import kmo_portefeuille
kmo_portefeuille.estimate_json(json.dumps({
    "application_date": "2026-04-14", "start_date": "2026-04-20", "service": "training",
    "theme": "professional_skills", "enterprise": {"fte": 12, "turnover": 1500000}, "cost": 2000}))
kmo_portefeuille.estimate_json("{}")
kmo_portefeuille.rules_data()
del json
gc.collect()
`;

const SNAPSHOT_GZIP = typeof CompressionStream === "function" && typeof DecompressionStream === "function";

function snapshotKey(info) {
  if (!info || !info.stdlib_path || !info.stdlib_sha256 || !info.wheel_sha256) {
    return null;
  }
  const name = [info.pyodide_version, info.package_version, info.wheel_sha256.slice(0, 16),
    info.stdlib_sha256.slice(0, 16)].join("-");
  // Stored without its empty pages (packSnapshot) and gzip-compressed
  // (CompressionStream: 31.5 MB -> ~3.5 MB in the visitor's Cache Storage)
  // where the browser can; the key says which.
  const ext = SNAPSHOT_GZIP ? "snap.gz" : "snap";
  return new URL(`kmo-snapshot/${encodeURIComponent(name)}.${ext}`, SITE_ROOT).href;
}

/**
 * Promise of {key, read(), discard()} for this build, or null (none stored, no
 * Cache Storage). read() inflates and unpacks it: Promise<Uint8Array>. Not at
 * once: that work runs on this worker's thread, and bootPython starts it only
 * once Pyodide has asked for the wasm, the stdlib and pyodide.asm.mjs, so
 * that those come from the HTTP cache meanwhile instead of waiting for it.
 */
async function findSnapshot(info) {
  const key = snapshotKey(info);
  if (!key || typeof caches === "undefined") {
    return null;
  }
  stamp("snapshotLookup");
  let hit = null;
  try {
    // caches.match with a cacheName: does not create the cache (a first visit's lookup stays cheap).
    hit = await caches.match(key, { cacheName: SNAPSHOT_CACHE });
  } catch {
    return null; // Cache Storage blocked (SecurityError): boot without
  }
  stamp("snapshotFound");
  if (!hit) {
    return null;
  }
  const read = () => {
    // A damaged gzip body rejects while the wasm still downloads, before Pyodide
    // awaits it: marked handled here (bootPython's catch still sees it).
    const bytes = (SNAPSHOT_GZIP && hit.body
        ? new Response(hit.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer()
        : hit.arrayBuffer()).then((buffer) => {
        const snapshot = unpackSnapshot(buffer);
        stamp("snapshotRead");
        return snapshot;
      });
    bytes.catch(() => {});
    return bytes;
  };
  return {
    key,
    read,
    discard: () => caches.open(SNAPSHOT_CACHE).then((cache) => cache.delete(key)).catch(() => {}),
  };
}

// A memory snapshot is Python's whole wasm memory (31.5 MB), two thirds of it
// zero pages. Stored without them, a warm start inflates 9.3 MB instead of
// 31.5 MB (DecompressionStream runs on this worker's thread: ~230 ms before,
// ~140 ms after in a trace on this project's benchmark machine). Format:
// "KMOS", version 1, the snapshot's length, the page size, the number of kept
// pages (uint32 little-endian each), their indices (uint32), then their bytes
// in that order (only the snapshot's last page can be shorter).
const SNAPSHOT_MAGIC = 0x534f4d4b; // "KMOS"
const SNAPSHOT_PAGE = 4096;

/** Bytes of page `page` in a snapshot of `length` bytes. */
const pageSize = (page, length) => Math.min(SNAPSHOT_PAGE, length - page * SNAPSHOT_PAGE);

/** The snapshot without its zero pages (see above). */
function packSnapshot(bytes) {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 4));
  const kept = [];
  for (let page = 0; page * SNAPSHOT_PAGE < bytes.length; page++) {
    const start = page * SNAPSHOT_PAGE;
    const end = start + pageSize(page, bytes.length);
    let used = false;
    for (let w = start / 4; w < Math.floor(end / 4) && !used; w++) {
      used = words[w] !== 0;
    }
    for (let b = Math.floor(end / 4) * 4; b < end && !used; b++) {
      used = bytes[b] !== 0;
    }
    if (used) {
      kept.push(page);
    }
  }
  const header = [SNAPSHOT_MAGIC, 1, bytes.length, SNAPSHOT_PAGE, kept.length, ...kept];
  let at = header.length * 4;
  const out = new Uint8Array(at + kept.reduce((sum, page) => sum + pageSize(page, bytes.length), 0));
  const view = new DataView(out.buffer);
  header.forEach((value, i) => view.setUint32(i * 4, value, true));
  for (const page of kept) {
    const size = pageSize(page, bytes.length);
    out.set(bytes.subarray(page * SNAPSHOT_PAGE, page * SNAPSHOT_PAGE + size), at);
    at += size;
  }
  return out;
}

/** The snapshot packSnapshot packed, whole again; an Error when the bytes are not one. */
function unpackSnapshot(buffer) {
  const view = new DataView(buffer);
  const word = (i) => view.getUint32(i * 4, true);
  if (buffer.byteLength < 20 || word(0) !== SNAPSHOT_MAGIC || word(1) !== 1 || word(3) !== SNAPSHOT_PAGE) {
    throw new Error("stored snapshot: not in this version's format");
  }
  const [length, count] = [word(2), word(4)];
  const bytes = new Uint8Array(length);
  const data = new Uint8Array(buffer);
  let at = (5 + count) * 4;
  for (let i = 0; i < count; i++) {
    const page = word(5 + i);
    const size = pageSize(page, length);
    if (size <= 0 || at + size > data.length) {
      throw new Error("stored snapshot: damaged");
    }
    bytes.set(data.subarray(at, at + size), page * SNAPSHOT_PAGE);
    at += size;
  }
  return bytes;
}

async function makeSnapshot(info) {
  const key = snapshotKey(info);
  if (!key || typeof caches === "undefined") {
    return { stored: false, error: "no stdlib subset or no Cache Storage" };
  }
  try {
    await caches.open(SNAPSHOT_CACHE);
  } catch (error) {
    return { stored: false, error: describe(error), storage: "unavailable" }; // blocked: no second Pyodide
  }
  // The boot's watchdog: a failed download ends this at once (Pyodide would
  // wait forever), and a network error tries the service worker's copy.
  const attempt = watchDownloads(false);
  try {
    return await Promise.race([snapshotOf(info, key), attempt.failed]);
  } finally {
    unwatchDownloads();
  }
}

async function snapshotOf(info, key) {
  const started = performance.now();
  const url = (path) => new URL(path, SITE_ROOT).href;
  const wheel = fetchBytes(url(info.wheel_path), info.wheel_sha256);
  wheel.catch(() => {});
  const module = url(info.pyodide_module);
  const { loadPyodide } = await import(module).catch(() => import(aliasOf(module)));
  const pyodide = await loadPyodide({ ...fastOptions(info, url), _makeSnapshot: true });
  pyodide.unpackArchive(await wheel, "zip", { extractDir: pyodide._api.sitePackages });
  pyodide.runPython(WARM_UP);
  const bytes = pyodide.makeMemorySnapshot();
  const packed = packSnapshot(bytes);
  const cache = await caches.open(SNAPSHOT_CACHE);
  for (const request of await cache.keys()) {
    if (request.url !== key) {
      await cache.delete(request);
    }
  }
  let stored = packed.length;
  try {
    if (SNAPSHOT_GZIP) {
      const gz = await new Response(new Blob([packed]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
      stored = gz.byteLength;
      await cache.put(key, new Response(gz, { headers: { "Content-Type": "application/gzip" } }));
    } else {
      await cache.put(key, new Response(packed, { headers: { "Content-Type": "application/octet-stream" } }));
    }
  } catch (error) {
    // QuotaExceededError: the page stops trying (engine.js remembers it).
    return { stored: false, bytes: bytes.length, error: describe(error), quota: error && error.name === "QuotaExceededError" };
  }
  return { stored: true, bytes: stored, raw: bytes.length, ms: Math.round(performance.now() - started) };
}
