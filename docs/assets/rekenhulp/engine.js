// The one seam between the page and Python: a single module worker with a
// single Pyodide for the whole page session (it survives Material's instant
// navigation), reached through window.kmoPortefeuille:
//
//   window.kmoPortefeuille.ready            Promise: resolves when Python is ready,
//                                           rejects (error.kind) when it cannot start
//   window.kmoPortefeuille.estimate(req)    Promise of the response object
//                                           (req: a request object or its JSON text)
//   window.kmoPortefeuille.state            {phase: "loading"|"ready"|"failed", step, steps, label, error}
//   window.kmoPortefeuille.workersStarted   how many workers this page ever started (1)
//   window.kmoPortefeuille.addEventListener("change", ...)   state changes

const BOOT_TIMEOUT_MS = 30000;
const STEPS = 4;

/** The engine of this page session, created on first use. */
export function engine() {
  if (!window.kmoPortefeuille) {
    window.kmoPortefeuille = createEngine();
  }
  return window.kmoPortefeuille;
}

function hasWebAssembly() {
  return typeof WebAssembly === "object" && WebAssembly !== null
    && typeof WebAssembly.instantiate === "function";
}

function createEngine() {
  const events = new EventTarget();
  const pending = new Map();
  const started = performance.now();
  const state = { phase: "loading", step: 0, steps: STEPS, label: "Rekenhulp laden", error: null, bootMs: null };
  let nextId = 1;
  let worker = null;
  let resolveReady;
  let rejectReady;
  const ready = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => {}); // failures are shown on the page, not as unhandled rejections

  function update(patch) {
    Object.assign(state, patch);
    events.dispatchEvent(new Event("change"));
  }

  function fail(kind, detail) {
    if (state.phase !== "loading") {
      return;
    }
    clearTimeout(timer);
    const error = Object.assign(new Error(`kmo-portefeuille kon niet starten (${kind}): ${detail}`), { kind });
    console.warn(error.message);
    if (worker) {
      worker.terminate();
      worker = null;
    }
    for (const { reject } of pending.values()) {
      reject(error);
    }
    pending.clear();
    rejectReady(error);
    update({ phase: "failed", error: { kind, detail } });
  }

  function onMessage(event) {
    const message = event.data || {};
    if (message.type === "progress" && state.phase === "loading") {
      update({ step: message.step, steps: message.steps, label: message.label });
    } else if (message.type === "ready" && state.phase === "loading") {
      clearTimeout(timer);
      api.versions = { pyodide: message.pyodide, package: message.package };
      resolveReady(api);
      update({ phase: "ready", step: STEPS, label: "Klaar", bootMs: Math.round(performance.now() - started) });
    } else if (message.type === "failed") {
      fail(message.kind, message.detail);
    } else if (message.type === "result") {
      const request = pending.get(message.id);
      if (!request) {
        return;
      }
      pending.delete(message.id);
      if (message.error) {
        request.reject(new Error(message.error));
      } else {
        try {
          request.resolve(JSON.parse(message.response));
        } catch (error) {
          request.reject(error);
        }
      }
    }
  }

  function estimate(request) {
    const text = typeof request === "string" ? request : JSON.stringify(request);
    return ready.then(() => new Promise((resolve, reject) => {
      if (!worker) {
        reject(new Error("kmo-portefeuille: de rekenhulp is gestopt"));
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ type: "estimate", id, request: text });
    }));
  }

  const api = {
    ready,
    estimate,
    state,
    workersStarted: 0,
    versions: null,
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
  };

  // Tests may shorten the limit (window.kmoPortefeuilleBootTimeoutMs).
  const limit = Number(window.kmoPortefeuilleBootTimeoutMs) || BOOT_TIMEOUT_MS;
  const timer = setTimeout(() => fail("timeout", `Python was niet klaar na ${limit / 1000} s`), limit);

  if (!hasWebAssembly()) {
    fail("webassembly", "deze browser ondersteunt geen WebAssembly");
  } else {
    try {
      worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "kmo-portefeuille" });
      api.workersStarted += 1;
      worker.onmessage = onMessage;
      worker.onerror = (event) => {
        event.preventDefault();
        fail("download", event.message || "de rekenhulp (worker.js) kon niet laden");
      };
    } catch (error) {
      fail("download", String(error && error.message ? error.message : error));
    }
  }
  return api;
}
