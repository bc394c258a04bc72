// Benchmark worker (module worker) for benchmarks/pages/boot.html.
// Query options (all relative URLs resolve against the site root):
//   (none)          bare reference: loadPyodide({indexURL}) then runPython("1+1")
//   pkg=1           also loadPackage("kmo-portefeuille") from the site's lock
//                   file and run one estimate_json (what the rekenhulp does)
//   pkg=wheel       instead: fetch the wheel while Pyodide boots (SRI-checked
//                   with build-info's sha256) and unpackArchive it, no lock file
//   pkg=pyc&pz=<path>  same with a zip of sourceless .pyc (make_package_zip.mjs)
//   lock=inline     fetch the lock in parallel and pass lockFileContents
//   std=<path>      stdLibURL (e.g. a subset, ZIP_STORED, .pyc)
//   boot=proposed&std=..[&pz=..&pzsha=..][&snap=..]   boot with benchmarks/proposed-worker-boot.js
//                   (the integrator's code), build-info extended with these
//   snap=<path>     _loadSnapshot: memory snapshot made at build time (Node);
//                   the package is already imported in it; falls back to a
//                   normal boot when the snapshot fails
const SITE = new URL("../../", import.meta.url);
const params = new URL(import.meta.url).searchParams;
const t = { workerStart: performance.now() };
const REQUEST = JSON.stringify({
  application_date: "2026-04-14", start_date: "2026-04-20", service: "training",
  theme: "professional_skills", enterprise: { fte: 12, turnover: 1500000 }, cost: 2000,
});
let pyodide = null;
let estimateJson = null;

const booted = boot();
self.onmessage = async (event) => {
  const m = event.data;
  if (m.type !== "call") return;
  await booted;
  const s = performance.now();
  const value = m.code === "estimate" ? estimateJson(REQUEST).length : String(pyodide.runPython(m.code));
  self.postMessage({ type: "answer", id: m.id, value, workerMs: performance.now() - s });
};

async function boot() {
  try {
    const info = await (await fetch(new URL("assets/kmo/build-info.json", SITE), { cache: "no-cache" })).json();
    t.info = performance.now();
    if (params.get("boot") === "proposed") {
      const { bootPython } = await import("./proposed-worker-boot.js");
      t.imported = performance.now();
      const extended = { ...info, stdlib_path: params.get("std") };
      if (params.get("pz")) Object.assign(extended, { package_zip_path: params.get("pz"), package_zip_sha256: params.get("pzsha") });
      if (params.get("snap")) extended.snapshot_path = params.get("snap");
      const booted = await bootPython(extended, SITE);
      pyodide = booted.pyodide;
      estimateJson = booted.module.estimate_json;
      t.loaded = t.package = performance.now();
      const value = JSON.parse(estimateJson(REQUEST)).support;
      t.result = performance.now();
      self.postMessage({ type: "first", value, snapshotUsed: booted.path === "snapshot", bootPath: booted.path, worker: t });
      return;
    }
    const indexURL = new URL(info.runtime_dir, SITE).href;
    const lockURL = new URL(info.lock_path, SITE).href;
    const pkgMode = params.get("pkg");
    const pkg = !!pkgMode;
    let archive = null; // fetched in parallel with the runtime
    if (pkgMode === "wheel" || pkgMode === "pyc") {
      const url = pkgMode === "wheel" ? new URL(info.wheel_path, SITE) : new URL(params.get("pz"), SITE);
      const init = pkgMode === "wheel" ? { integrity: "sha256-" + hexToBase64(info.wheel_sha256) } : {};
      archive = fetch(url, init).then((r) => {
        if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
        return r.arrayBuffer();
      });
    }
    const snapURL = params.get("snap");
    const options = { indexURL, stdout: () => {}, stderr: () => {} };
    if (params.get("std")) options.stdLibURL = new URL(params.get("std"), SITE).href;
    if (pkgMode === "1" && !snapURL) {
      if (params.get("lock") === "inline") {
        options.lockFileContents = fetch(lockURL).then((r) => r.text());
        options.packageBaseUrl = new URL(".", lockURL).href;
      } else {
        options.lockFileURL = lockURL;
      }
    }
    const { loadPyodide } = await import(new URL(info.pyodide_module, SITE).href);
    t.imported = performance.now();
    let snapshotUsed = false;
    if (snapURL) {
      const snapshot = fetch(new URL(snapURL, SITE)).then((r) => {
        if (!r.ok) throw new Error(`snapshot HTTP ${r.status}`);
        return r.arrayBuffer();
      });
      try {
        pyodide = await loadPyodide({ ...options, _loadSnapshot: snapshot });
        estimateJson = pyodide.pyimport("kmo_portefeuille").estimate_json;
        snapshotUsed = true;
      } catch (error) {
        t.snapshotError = String(error && error.message || error).slice(0, 200);
        pyodide = null; // fall back to a normal boot below
      }
    }
    if (!pyodide) {
      if (snapURL) options.lockFileURL = lockURL;
      pyodide = await loadPyodide(options);
    }
    t.loaded = performance.now();
    let value;
    if (pkg || snapURL) {
      if (!estimateJson && archive) {
        pyodide.unpackArchive(new Uint8Array(await archive), "zip", { extractDir: sitePackages(pyodide) });
        estimateJson = pyodide.pyimport("kmo_portefeuille").estimate_json;
      }
      if (!estimateJson) {
        await pyodide.loadPackage(info.package_name, { messageCallback: () => {}, checkIntegrity: true });
        estimateJson = pyodide.pyimport("kmo_portefeuille").estimate_json;
      }
      t.package = performance.now();
      value = JSON.parse(estimateJson(REQUEST)).support;
    } else {
      value = String(pyodide.runPython("1+1"));
    }
    t.result = performance.now();
    self.postMessage({ type: "first", value, snapshotUsed, worker: t });
  } catch (error) {
    self.postMessage({ type: "failed", detail: String(error && error.stack || error).slice(0, 500), worker: t });
  }
}

function hexToBase64(hex) {
  return btoa(String.fromCharCode(...hex.match(/../g).map((h) => parseInt(h, 16))));
}

function sitePackages(pyodide) {
  return pyodide.runPython("import sys; f'/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages'");
}
