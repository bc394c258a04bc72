// Rekenhulp worker (module worker): loads the site's own Pyodide once,
// installs the kmo-portefeuille wheel (bootPython below: the fast path with the stdlib
// subset, else the classic one) and answers "estimate" messages with the
// JSON text of kmo_portefeuille.estimate_json.
//
// Messages in:  {type: "boot", info}   build-info from the page (first message;
//                                      without it the worker fetches build-info.json)
//               {type: "estimate", id, request: "<JSON text>"}
// Messages out: {type: "progress", step, steps, label}
//               {type: "ready", pyodide, package, ms, path, urls}
//                   path: "fast" | "classic"; urls: the runtime files fetched
//               {type: "failed", kind, detail}      kind: webassembly | download | python
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

self.onmessage = (event) => {
  const message = event.data || {};
  if (message.type === "boot") {
    boot(message.info).catch(() => {}); // reported by the first boot() call below
  } else if (message.type === "estimate") {
    answer(message.id, message.request);
  }
};

async function answer(id, request) {
  try {
    await boot();
    self.postMessage({ type: "result", id, response: estimateJson(String(request)) });
  } catch (error) {
    self.postMessage({ type: "result", id, error: describe(error) });
  }
}

function progress(step, label) {
  self.postMessage({ type: "progress", step, steps: STEPS, label });
}

class BootError extends Error {
  constructor(kind, detail) {
    super(detail);
    this.kind = kind;
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
    throw new BootError("download", `${href}: HTTP ${response.status}`);
  }
  return response;
}

// Pyodide 314 only logs a failed runtime download ("wasm instantiation
// failed!") and then waits forever. While booting, failed requests and that
// warning end the boot at once with kind "download" instead. Exception: while
// the fast path runs, a failed download that only it needs (the stdlib
// subset, the wheel it fetches itself) ends the fast path, and bootPython
// falls back to the classic one.
let signalFailure = () => {};
let signalFastFailure = () => {};
let fastOnly = new Set();
let bootPhase = "classic";
const realFetch = self.fetch.bind(self);
const realWarn = console.warn.bind(console);

function watchDownloads() {
  const failed = new Promise((resolve, reject) => {
    signalFailure = reject;
  });
  failed.catch(() => {});
  const urlOf = (input) => String(input && input.url ? input.url : input);
  const report = (url, error) => {
    if (bootPhase === "fast" && fastOnly.has(url)) {
      signalFastFailure(error);
    } else {
      signalFailure(error);
    }
  };
  self.fetch = async (input, init) => {
    let response;
    try {
      response = await realFetch(input, init);
    } catch (error) {
      report(urlOf(input), new BootError("download", `${urlOf(input)}: ${describe(error)}`));
      throw error;
    }
    if (!response.ok) {
      report(urlOf(input), new BootError("download", `${urlOf(input)}: HTTP ${response.status}`));
    }
    return response;
  };
  console.warn = (...args) => {
    if (String(args[0]).includes("wasm instantiation failed")) {
      signalFailure(new BootError("download", "pyodide.asm.wasm: instantiation failed"));
    }
    realWarn(...args);
  };
  return failed;
}

function unwatchDownloads() {
  self.fetch = realFetch;
  console.warn = realWarn;
  signalFailure = () => {};
}

async function load(given) {
  const failed = watchDownloads();
  try {
    return await Promise.race([loadPython(given), failed]);
  } finally {
    unwatchDownloads();
  }
}

async function loadPython(given) {
  const started = performance.now();
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    throw new BootError("webassembly", "WebAssembly is not available in this worker");
  }
  progress(1, "Rekenhulp voorbereiden");
  // build-info from the page (inlined at build time) saves a no-cache round
  // trip before the runtime downloads start; fetched when the page had none.
  const info = given && given.runtime_dir ? given : await (await fetchOk(BUILD_INFO, { cache: "no-cache" })).json();
  const url = (path) => new URL(path, SITE_ROOT).href;
  fastOnly = new Set(info.stdlib_path ? [url(info.stdlib_path), url(info.wheel_path)] : []);
  const fastAborted = new Promise((resolve, reject) => {
    signalFastFailure = reject;
  });
  fastAborted.catch(() => {});

  let booted;
  try {
    stamp("bootStart");
    booted = await bootPython(info, SITE_ROOT, {
      progress: (step, label) => {
        stamp(`step${step}`);
        progress(step, label);
      },
      phase: (name) => {
        bootPhase = name;
      },
      fastAborted,
    });
  } catch (error) {
    throw error instanceof BootError ? error : new BootError("download", `Pyodide: ${describe(error)}`);
  }
  const { pyodide, module, path, urls } = booted;
  estimateJson = module.estimate_json;
  stamp("ready");

  progress(4, "Klaar");
  self.postMessage({
    type: "ready",
    pyodide: pyodide.version,
    package: module.__version__,
    ms: Math.round(performance.now() - started),
    path,
    urls,
    stamps,
  });
}

// Booting starts with the page's first message: {type: "boot", info} (engine.js
// sends it right after creating the worker, with info null when the page has
// no inline build-info), or an "estimate".
function boot(info) {
  if (!booting) {
    booting = load(info);
    booting.catch((error) => {
      self.postMessage({
        type: "failed",
        kind: error instanceof BootError ? error.kind : "python",
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
//   stdlib subset build.py makes (158 files precompiled to .pyc -OO, stored),
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
// the fast path then gives up at once instead of waiting for Pyodide.

async function bootPython(info, siteRoot, { progress = () => {}, phase = () => {}, fastAborted = null } = {}) {
  const url = (path) => new URL(path, siteRoot).href;
  const indexURL = url(info.runtime_dir);
  const quiet = { stdout: () => {}, stderr: () => {} };
  const runtime = [url(info.pyodide_module), indexURL + "pyodide.asm.mjs", indexURL + "pyodide.asm.wasm"];

  // Start the package download now, in parallel with the runtime's own.
  const wheel = info.stdlib_path ? fetchBytes(url(info.wheel_path), info.wheel_sha256) : null;
  wheel?.catch(() => {});

  const { loadPyodide } = await import(url(info.pyodide_module));

  if (info.stdlib_path) {
    phase("fast");
    const orAbort = (promise) => (fastAborted ? Promise.race([promise, fastAborted]) : promise);
    try {
      progress(2, "Python downloaden en starten");
      const pyodide = await orAbort(loadPyodide({
        indexURL,
        stdLibURL: url(info.stdlib_path),
        // Our lock instead of the runtime's 119 kB one (loadPyodide always
        // reads a lock and checks its abi_version), fetched in parallel.
        lockFileContents: fetchOk(url(info.lock_path)).then((response) => response.text()),
        packageBaseUrl: new URL(".", url(info.lock_path)).href,
        ...quiet,
      }));
      progress(3, "Rekenregels installeren");
      const sitePackages = pyodide.runPython(
        "import sys; f'/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages'");
      pyodide.unpackArchive(await orAbort(wheel), "zip", { extractDir: sitePackages });
      const module = pyodide.pyimport("kmo_portefeuille");
      return {
        pyodide, module, path: "fast",
        urls: [...runtime, url(info.stdlib_path), url(info.lock_path), url(info.wheel_path)],
      };
    } catch (error) {
      console.warn("kmo-portefeuille: fast boot failed, booting the classic way:", error);
    }
  }

  phase("classic");
  progress(2, "Python downloaden en starten");
  const pyodide = await loadPyodide({ indexURL, lockFileURL: url(info.lock_path), ...quiet });
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
    pyodide, module, path: "classic",
    urls: [...runtime, indexURL + "python_stdlib.zip", url(info.lock_path), url(info.wheel_path)],
  };
}

async function fetchBytes(href, sha256hex) {
  const init = sha256hex ? { integrity: "sha256-" + hexToBase64(sha256hex) } : {};
  return new Uint8Array(await (await fetchOk(href, init)).arrayBuffer());
}

function hexToBase64(hex) {
  return btoa(String.fromCharCode(...hex.match(/../g).map((h) => parseInt(h, 16))));
}
