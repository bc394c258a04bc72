// The one seam between the page and Python: a single module worker with a
// single Pyodide for the whole page session (it survives Material's instant
// navigation), reached through window.kmoPortefeuille:
//
//   window.kmoPortefeuille.ready            Promise: resolves when Python is ready,
//                                           rejects (error.kind) when it cannot start
//   window.kmoPortefeuille.estimate(req)    Promise of the response object
//   window.kmoPortefeuille.plan(req)        the same for a year plan (kmo_portefeuille.plan)
//                                           (req: a request object or its JSON text)
//   window.kmoPortefeuille.state            {phase: "loading"|"ready"|"failed", step, steps, label, error,
//                                           bytes, total (the download so far and in all, unpacked),
//                                           restarted: null | "build" | "snapshot"}
//   window.kmoPortefeuille.build            the build (<meta name="kmo-build">) the worker serves: a page
//                                           of another build (instant navigation after a deploy)
//                                           gets a new worker (state.restarted "build")
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

// The start-up limit measures a stall, not the total time: the boot fails
// when the worker has said nothing (no step, no downloaded bytes) for this
// long. A slow link that keeps bringing bytes never trips it.
const BOOT_STALL_MS = 30000;
// Restoring a memory snapshot takes well under a second; one that says
// nothing for this long is taken to hang (a damaged snapshot can): the
// worker is stopped, the snapshot deleted, and a new worker boots without it.
const SNAPSHOT_RESTORE_STALL_MS = 10000;
const SNAPSHOT_DELAY_MS = 300;
const SNAPSHOT_TIMEOUT_MS = 60000;
// What a snapshot needs in Cache Storage (it is ~31 MB), with a margin.
const SNAPSHOT_ROOM_BYTES = 64 * 1024 * 1024;
// localStorage: the build whose snapshot did not fit (QuotaExceededError).
const NO_ROOM_KEY = "kmo-portefeuille:snapshot-no-room";
const STEPS = 4;

/** The engine of this page session, created on first use. */
export function engine() {
  if (!window.kmoPortefeuille) {
    window.kmoPortefeuille = createEngine();
  } else {
    // A page of another build than the running worker's (Material's instant
    // navigation after a deploy, in a tab left open): a new worker with this
    // page's build-info, never an answer with other rules than the page shows.
    window.kmoPortefeuille.followPage();
  }
  return window.kmoPortefeuille;
}

function hasWebAssembly() {
  return typeof WebAssembly === "object" && WebAssembly !== null
    && typeof WebAssembly.instantiate === "function";
}

/** Which build this page is: <meta name="kmo-build"> (hooks/service_worker.py), or null. */
export function pageBuild() {
  const node = document.querySelector('meta[name="kmo-build"]');
  return node ? node.content : null;
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

function storageNote(get) {
  try {
    return get(window.localStorage);
  } catch {
    return null; // blocked site data
  }
}

/** Whether a snapshot could be stored now: Cache Storage usable and room for it. */
async function roomForSnapshot(build) {
  if (typeof caches === "undefined") {
    return "unsupported";
  }
  try {
    await caches.keys(); // SecurityError when site data is blocked
  } catch {
    return "unsupported";
  }
  if (build && storageNote((store) => store.getItem(NO_ROOM_KEY)) === build) {
    return "no-room"; // this build's snapshot did not fit before
  }
  try {
    const { quota, usage } = await navigator.storage.estimate();
    if (typeof quota === "number" && quota - (usage || 0) < SNAPSHOT_ROOM_BYTES) {
      return "no-room";
    }
  } catch {
    // no estimate: try
  }
  return "ok";
}

function createEngine() {
  const events = new EventTarget();
  const pending = new Map();
  let started = performance.now();
  const state = {
    phase: "loading", step: 0, steps: STEPS, label: "Rekenhulp laden", error: null, bootMs: null, boot: null,
    bytes: 0, total: 0, restarted: null,
  };
  let buildInfo = inlineBuildInfo();
  let nextId = 1;
  let worker = null;
  let workerCreatedAt = null;
  let timer = null;
  let restoring = null; // {key, cache} while the worker restores a memory snapshot
  let resolveReady;
  let rejectReady;

  function newReady() {
    api.ready = new Promise((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    api.ready.catch(() => {}); // failures are shown on the page, not as unhandled rejections
  }

  function newSnapshot() {
    api.snapshot = { state: "loading" };
    api.snapshot.done = new Promise((resolve) => {
      api.snapshot.resolve = resolve;
    });
  }

  function update(patch) {
    Object.assign(state, patch);
    events.dispatchEvent(new Event("change"));
  }

  // Tests may shorten the limits (window.kmoPortefeuilleBootTimeoutMs, ...SnapshotTimeoutMs).
  const stallLimit = () => Number(window.kmoPortefeuilleBootTimeoutMs) || BOOT_STALL_MS;
  const restoreLimit = () => Number(window.kmoPortefeuilleSnapshotTimeoutMs) || SNAPSHOT_RESTORE_STALL_MS;

  /** (Re)start the stall watchdog: called on every sign of life of the booting worker. */
  function watch() {
    clearTimeout(timer);
    if (state.phase !== "loading") {
      return;
    }
    if (restoring) {
      timer = setTimeout(restoreHung, restoreLimit());
    } else {
      const limit = stallLimit();
      timer = setTimeout(() => fail("timeout", `${limit / 1000} s lang geen voortgang`), limit);
    }
  }

  /** A snapshot restore that stalled: drop the snapshot, boot again without it (this visit and later ones). */
  function restoreHung() {
    const { key, cache } = restoring;
    restoring = null;
    console.warn("kmo-portefeuille: restoring the memory snapshot stalled; deleting it and booting without it");
    try {
      caches.open(cache).then((opened) => opened.delete(key)).catch(() => {});
    } catch {
      // no Cache Storage: nothing stored to delete
    }
    api.snapshotDropped = key;
    startWorker({ snapshot: false, reason: "snapshot" });
  }

  function fail(kind, detail, status) {
    if (state.phase !== "loading") {
      return;
    }
    clearTimeout(timer);
    restoring = null;
    const error = Object.assign(new Error(`kmo-portefeuille kon niet starten (${kind}): ${detail}`), { kind, status });
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
    update({ phase: "failed", error: { kind, detail, status } });
  }

  function onMessage(event) {
    const message = event.data || {};
    if (message.type === "progress" && state.phase === "loading") {
      restoring = message.snapshot === "restoring" ? { key: message.snapshotKey, cache: message.snapshotCache } : null;
      watch();
      update({
        step: message.step, steps: message.steps, label: message.label,
        bytes: message.bytes || 0, total: message.total || 0,
      });
    } else if (message.type === "ready" && state.phase === "loading") {
      clearTimeout(timer);
      restoring = null;
      api.versions = {
        pyodide: message.pyodide, package: message.package, boot: message.path, source: message.source,
        build: api.build,
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
      // A network error while the browser says it is offline: no copy was kept here.
      const offline = message.kind === "download" && navigator.onLine === false;
      fail(offline ? "offline" : message.kind, message.detail, message.status);
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
  // result, never before it; not when Cache Storage is blocked or has no
  // room, nor again for a build whose snapshot did not fit.
  async function makeSnapshot() {
    let maker;
    const snapshot = api.snapshot;
    const build = api.build;
    const done = (state, detail) => {
      if (maker) {
        maker.terminate();
        maker = null;
      }
      Object.assign(snapshot, { state }, detail);
      snapshot.resolve(state);
    };
    const room = await roomForSnapshot(build);
    if (room !== "ok") {
      done(room === "unsupported" ? "unsupported" : "not-stored", { error: room });
      return;
    }
    try {
      snapshot.state = "making";
      maker = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "kmo-snapshot" });
      maker.onmessage = (event) => {
        const message = event.data || {};
        if (message.type === "snapshot") {
          if (message.quota && build) {
            storageNote((store) => store.setItem(NO_ROOM_KEY, build));
          }
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

  /** Ask the worker: type "estimate" or "plan" (kmo_portefeuille.estimate_json / plan_json). */
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
      pending.set(id, { resolve, reject, text, type });
      worker.postMessage({ type, id, request: text });
    });
    // While Python boots, the request goes to the worker at once: it waits
    // there and is answered the moment Python is ready (no round trip after
    // "ready"). A failed boot rejects it (with error.kind), as it rejects ready.
    return state.phase === "loading" && worker ? send() : api.ready.then(send);
  }

  const estimate = (request) => call("estimate", request);
  const plan = (request) => call("plan", request);


  /**
   * A worker for this page: the one the inline starter in <head> made (first
   * start only), or a new one. options.snapshot false: boot without the
   * memory snapshot; options.reason: why a running worker was replaced.
   */
  function startWorker({ snapshot = true, reason = null, adopt = false } = {}) {
    clearTimeout(timer);
    if (worker) {
      worker.terminate();
      worker = null;
    }
    if (reason) {
      if (state.phase !== "loading") {
        newReady();
      }
      newSnapshot();
      api.versions = null;
      started = performance.now();
      update({ phase: "loading", step: 0, label: "Rekenhulp laden", error: null, bytes: 0, total: 0, restarted: reason });
    }
    api.build = pageBuild();
    try {
      const early = adopt ? window.__kmoEarlyWorker : null;
      window.__kmoEarlyWorker = undefined;
      if (early && early.worker) {
        worker = early.worker;
        workerCreatedAt = early.at;
      } else {
        workerCreatedAt = performance.now();
        worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "kmo-portefeuille" });
        worker.postMessage({ type: "boot", info: buildInfo, snapshot });
      }
      if (Number(window.kmoPortefeuilleRequestStallMs) > 0) {
        worker.postMessage({ type: "settings", stallMs: Number(window.kmoPortefeuilleRequestStallMs) });
      }
      api.workersStarted += 1;
      // Requests the old worker did not answer go to this one (they wait there for its boot).
      for (const [id, { text, type }] of pending) {
        worker.postMessage({ type, id, request: text });
      }
      const current = worker;
      const onError = (event) => {
        event.preventDefault();
        if (current === worker) {
          fail("download", event.message || "de rekenhulp (worker.js) kon niet laden");
        }
      };
      current.onmessage = (event) => {
        if (current === worker) {
          onMessage(event);
        }
      };
      current.onerror = onError;
      watch();
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

  /** engine() on a page: a page of another build than the worker's gets a new worker. */
  function followPage() {
    const build = pageBuild();
    if (!build || !api.build || build === api.build || !hasWebAssembly()) {
      return;
    }
    const info = inlineBuildInfo();
    console.warn(`kmo-portefeuille: this page is build ${build}, the worker ran ${api.build}: restarting it`);
    buildInfo = info;
    if (state.phase === "failed") {
      state.phase = "loading"; // a new chance with the new page
      newReady();
    }
    startWorker({ reason: "build" });
  }

  const api = {
    ready: null,
    estimate,
    plan,
    state,
    workersStarted: 0,
    versions: null,
    runtimeUrls: [],
    bootTimings: null,
    // Which build the running worker serves (<meta name="kmo-build"> of the page it started for).
    build: null,
    // The memory snapshot: state "used" (this boot restored one) | "making" |
    // "stored" | "not-stored" | "unsupported" | "loading"; done: Promise of the final state.
    snapshot: null,
    snapshotDropped: null,
    followPage,
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
  };
  newReady();
  newSnapshot();

  if (!hasWebAssembly()) {
    fail("webassembly", "deze browser ondersteunt geen WebAssembly");
  } else {
    // The page's inline script in <head> (overrides/rekenhulp.html) may have
    // started the worker already, while the page was still being parsed; it
    // kept the worker's events until now.
    startWorker({ adopt: true });
  }
  return api;
}
