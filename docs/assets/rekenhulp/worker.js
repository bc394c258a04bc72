// Rekenhulp worker (module worker): loads the site's own Pyodide once,
// installs the kmo-portefeuille wheel from the site's lock file and answers
// "estimate" messages with the JSON text of kmo_portefeuille.estimate_json.
//
// Messages in:  {type: "estimate", id, request: "<JSON text>"}
// Messages out: {type: "progress", step, steps, label}
//               {type: "ready", pyodide, package, ms}
//               {type: "failed", kind, detail}      kind: webassembly | download | python
//               {type: "result", id, response: "<JSON text>"} or {type: "result", id, error}
//
// onmessage is set before anything is awaited: a message that arrives while
// Python boots waits for the boot inside the handler instead of being lost.

const SITE_ROOT = new URL("../../", import.meta.url);
const BUILD_INFO = new URL("../kmo/build-info.json", import.meta.url);
const STEPS = 4;

let booting = null;
let estimateJson = null;

self.onmessage = (event) => {
  const message = event.data || {};
  if (message.type === "estimate") {
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

async function fetchJson(url) {
  let response;
  try {
    response = await fetch(url, { cache: "no-cache" });
  } catch (error) {
    throw new BootError("download", `${url}: ${describe(error)}`);
  }
  if (!response.ok) {
    throw new BootError("download", `${url}: HTTP ${response.status}`);
  }
  return response.json();
}

// Pyodide 314 only logs a failed runtime download ("wasm instantiation
// failed!") and then waits forever. While booting, failed requests and that
// warning end the boot at once with kind "download" instead.
let signalFailure = () => {};
const realFetch = self.fetch.bind(self);
const realWarn = console.warn.bind(console);

function watchDownloads() {
  const failed = new Promise((resolve, reject) => {
    signalFailure = reject;
  });
  failed.catch(() => {});
  const urlOf = (input) => String(input && input.url ? input.url : input);
  self.fetch = async (input, init) => {
    let response;
    try {
      response = await realFetch(input, init);
    } catch (error) {
      signalFailure(new BootError("download", `${urlOf(input)}: ${describe(error)}`));
      throw error;
    }
    if (!response.ok) {
      signalFailure(new BootError("download", `${urlOf(input)}: HTTP ${response.status}`));
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

async function load() {
  const failed = watchDownloads();
  try {
    return await Promise.race([loadPython(), failed]);
  } finally {
    unwatchDownloads();
  }
}

async function loadPython() {
  const started = performance.now();
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    throw new BootError("webassembly", "WebAssembly is not available in this worker");
  }
  progress(1, "Rekenhulp voorbereiden");
  const info = await fetchJson(BUILD_INFO);
  const runtimeURL = new URL(info.runtime_dir, SITE_ROOT).href;
  const lockFileURL = new URL(info.lock_path, SITE_ROOT).href;

  progress(2, "Python downloaden en starten");
  let pyodide;
  try {
    const { loadPyodide } = await import(new URL(info.pyodide_module, SITE_ROOT).href);
    pyodide = await loadPyodide({
      indexURL: runtimeURL,
      lockFileURL,
      stdout: () => {},
      stderr: () => {},
    });
  } catch (error) {
    throw new BootError("download", `Pyodide: ${describe(error)}`);
  }

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
  estimateJson = module.estimate_json;

  progress(4, "Klaar");
  self.postMessage({
    type: "ready",
    pyodide: pyodide.version,
    package: module.__version__,
    ms: Math.round(performance.now() - started),
  });
}

function boot() {
  if (!booting) {
    booting = load();
  }
  return booting;
}

boot().catch((error) => {
  self.postMessage({
    type: "failed",
    kind: error instanceof BootError ? error.kind : "python",
    detail: describe(error),
  });
});
