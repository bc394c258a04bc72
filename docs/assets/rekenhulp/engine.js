// The one seam between the page and Python: a single module worker with a
// single Pyodide for the whole page session (it survives Material's instant
// navigation), reached through window.kmoPortefeuille:
//
//   window.kmoPortefeuille.ready            Promise: resolves when Python is ready,
//                                           rejects (error.kind) when it cannot start
//   window.kmoPortefeuille.estimate(req)    Promise of the response object
//   window.kmoPortefeuille.plan(req)        the same for a year plan (kmo_portefeuille.plan)
//                                           (req: a request object or its JSON text)
//   window.kmoPortefeuille.state            {phase: "loading"|"ready"|"failed", step, steps, label, error}
//   window.kmoPortefeuille.workersStarted   how many workers this page ever started (1)
//   window.kmoPortefeuille.versions         {pyodide, package, boot: "fast"|"classic",
//                                           source: "network"|"service-worker"} once ready
//   (state.boot says the same: which boot path the worker used, see worker.js)
//
// The worker gets the page's inline build-info (<script type="application/json"
// id="kmo-build-info"> in <head>, rendered at build time) in its first message. Once
// Python is ready, the runtime URLs the worker fetched are posted to the
// service worker, if one controls the page: {type: "kmo-cache-runtime", urls}.
//   window.kmoPortefeuille.addEventListener("change", ...)   state changes
//   window.kmoPortefeuille.snapshot         {state, done}: the memory snapshot for the next
//                                           visit, made by a second worker after Python is
//                                           ready (worker.js, "make-snapshot")

const BOOT_TIMEOUT_MS = 30000;
const SNAPSHOT_DELAY_MS = 300;
const SNAPSHOT_TIMEOUT_MS = 60000;
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

/** build-info rendered into the page at build time, or null (the worker then fetches it). */
function inlineBuildInfo() {
  const node = document.getElementById("kmo-build-info");
  if (!node) {
    return null;
  }
  try {
    return JSON.parse(node.textContent);
  } catch {
    return null;
  }
}

/** Let a service worker (if any) cache the runtime the worker just fetched (from the HTTP cache). */
function offerToServiceWorker(urls) {
  if (!urls.length || !("serviceWorker" in navigator)) {
    return;
  }
  const message = { type: "kmo-cache-runtime", urls };
  try {
    const controller = navigator.serviceWorker.controller;
    if (controller) {
      controller.postMessage(message);
      return;
    }
    // Not controlled (yet) on a first visit: the registration's worker, if the
    // site registers one. Without a registration this never resolves: harmless.
    navigator.serviceWorker.ready.then((registration) => {
      if (registration.active) {
        registration.active.postMessage(message);
      }
    }, () => {});
  } catch {
    // No service worker support here (e.g. an opaque origin): nothing to do.
  }
}

function createEngine() {
  const events = new EventTarget();
  const pending = new Map();
  const started = performance.now();
  const state = {
    phase: "loading", step: 0, steps: STEPS, label: "Rekenhulp laden", error: null, bootMs: null, boot: null,
  };
  const buildInfo = inlineBuildInfo();
  let nextId = 1;
  let worker = null;
  let workerCreatedAt = null;
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
    api.snapshot.state = "unsupported";
    api.snapshot.resolve("unsupported");
    update({ phase: "failed", error: { kind, detail } });
  }

  function onMessage(event) {
    const message = event.data || {};
    if (message.type === "progress" && state.phase === "loading") {
      update({ step: message.step, steps: message.steps, label: message.label });
    } else if (message.type === "ready" && state.phase === "loading") {
      clearTimeout(timer);
      api.versions = {
        pyodide: message.pyodide, package: message.package, boot: message.path, source: message.source,
      };
      api.runtimeUrls = message.urls || [];
      // The worker's moments, in ms since this page's navigation start.
      api.bootTimings = Object.fromEntries(Object.entries(message.stamps || {})
        .map(([name, t]) => [name, Math.round(t - performance.timeOrigin)]));
      api.bootTimings.workerCreated = Math.round(workerCreatedAt);
      resolveReady(api);
      update({
        phase: "ready", step: STEPS, label: "Klaar", bootMs: Math.round(performance.now() - started),
        boot: message.path,
      });
      offerToServiceWorker(api.runtimeUrls);
      api.snapshot.state = message.snapshot || "unsupported";
      if (api.snapshot.state === "absent" || api.snapshot.state === "failed") {
        setTimeout(makeSnapshot, SNAPSHOT_DELAY_MS);
      } else {
        api.snapshot.resolve(api.snapshot.state);
      }
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

  // A memory snapshot for the next visit, made by a second worker that ends
  // when it is done (worker.js, "make-snapshot"): after this visit's first
  // result, never before it.
  function makeSnapshot() {
    let maker;
    const done = (state, detail) => {
      if (maker) {
        maker.terminate();
        maker = null;
      }
      Object.assign(api.snapshot, { state }, detail);
      api.snapshot.resolve(state);
    };
    try {
      api.snapshot.state = "making";
      maker = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "kmo-snapshot" });
      maker.onmessage = (event) => {
        const message = event.data || {};
        if (message.type === "snapshot") {
          done(message.stored ? "stored" : "not-stored", { bytes: message.bytes, ms: message.ms, error: message.error });
        }
      };
      maker.onerror = (event) => {
        event.preventDefault();
        done("not-stored", { error: event.message || "worker error" });
      };
      maker.postMessage({ type: "make-snapshot", info: buildInfo });
      // Pyodide waits forever for a runtime file that fails: give up then.
      setTimeout(() => maker && done("not-stored", { error: "timeout" }), SNAPSHOT_TIMEOUT_MS);
    } catch (error) {
      done("not-stored", { error: String(error && error.message ? error.message : error) });
    }
  }

  /**
   * The request as JSON text for the worker. A number that is not finite
   * (NaN, Infinity) goes as text, so Python says "geen getal" rather than
   * "vul in" (JSON.stringify would make it null); a value JSON cannot hold
   * (a cycle, a BigInt) rejects the promise instead of throwing.
   */
  function toText(request) {
    if (typeof request === "string") {
      return request;
    }
    return JSON.stringify(request, (key, value) => (
      typeof value === "number" && !Number.isFinite(value) ? String(value) : value));
  }

  function call(type, request) {
    let text;
    try {
      text = toText(request);
    } catch (error) {
      return Promise.reject(new TypeError(`kmo-portefeuille: de aanvraag is geen JSON (${error.message})`));
    }
    const send = () => new Promise((resolve, reject) => {
      if (!worker) {
        reject(new Error("kmo-portefeuille: de rekenhulp is gestopt"));
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ type, id, request: text });
    });
    // While Python boots, the request goes to the worker at once: it waits
    // there and is answered the moment Python is ready (no round trip after
    // "ready"). A failed boot rejects it (with error.kind), as it rejects ready.
    return state.phase === "loading" && worker ? send() : ready.then(send);
  }

  const estimate = (request) => call("estimate", request);
  const plan = (request) => call("plan", request);

  const api = {
    ready,
    estimate,
    plan,
    state,
    workersStarted: 0,
    versions: null,
    runtimeUrls: [],
    bootTimings: null,
    // The memory snapshot: state "used" (this boot restored one) | "making" |
    // "stored" | "not-stored" | "unsupported" | "loading"; done: Promise of the final state.
    snapshot: { state: "loading" },
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
  };

  api.snapshot.done = new Promise((resolve) => {
    api.snapshot.resolve = resolve;
  });

  // Tests may shorten the limit (window.kmoPortefeuilleBootTimeoutMs).
  const limit = Number(window.kmoPortefeuilleBootTimeoutMs) || BOOT_TIMEOUT_MS;
  const timer = setTimeout(() => fail("timeout", `Python was niet klaar na ${limit / 1000} s`), limit);

  if (!hasWebAssembly()) {
    fail("webassembly", "deze browser ondersteunt geen WebAssembly");
  } else {
    try {
      // The page's inline script in <head> (overrides/rekenhulp.html) may have
      // started the worker already, while the page was still being parsed; it
      // kept the worker's events until now.
      const early = window.__kmoEarlyWorker;
      window.__kmoEarlyWorker = undefined;
      if (early && early.worker) {
        worker = early.worker;
        workerCreatedAt = early.at;
      } else {
        workerCreatedAt = performance.now();
        worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "kmo-portefeuille" });
        worker.postMessage({ type: "boot", info: buildInfo });
      }
      api.workersStarted += 1;
      const onError = (event) => {
        event.preventDefault();
        fail("download", event.message || "de rekenhulp (worker.js) kon niet laden");
      };
      worker.onmessage = onMessage;
      worker.onerror = onError;
      for (const event of (early && early.events) || []) {
        if (event.type === "error") {
          onError(event);
        } else {
          onMessage(event);
        }
      }
    } catch (error) {
      fail("download", String(error && error.message ? error.message : error));
    }
  }
  return api;
}
