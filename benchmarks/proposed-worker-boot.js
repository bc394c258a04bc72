// Proposed fast boot for docs/assets/rekenhulp/worker.js (module worker).
// (benchmarks/proposed-worker-boot.js; see benchmarks/NOTES.md for the numbers.)
//
//   import { bootPython } from "./boot.js";
//   const { pyodide, module } = await bootPython(info, SITE_ROOT, { progress });
//   estimateJson = module.estimate_json;
//
// `info` is assets/kmo/build-info.json. The fast path needs one key that
// build.py would add (see NOTES.md "What the integrator must change"):
//   stdlib_path          e.g. "assets/pyodide/314.0.7-kmo-1a2b3c4d/python_stdlib.zip":
//                        the stdlib subset as sourceless .pyc, ZIP_STORED
//                        (tools/make_stdlib.mjs --pyc --optimize=2)
// and installs the package from the wheel that is there today (wheel_path,
// checked against wheel_sha256 by the browser: Subresource Integrity),
// fetched while Pyodide boots. Optional keys:
//   package_zip_path     the wheel as sourceless .pyc (benchmarks/make_package_zip.mjs),
//   package_zip_sha256   used instead of the wheel when present (measured: no faster)
//   snapshot_path        a memory snapshot made by benchmarks/make_snapshot.mjs with
//                        the same stdlib (NOT recommended for phones: +4.5 MB gzip)
// Without them it boots the way the worker does today (full stdlib, lock file,
// loadPackage with its sha256 check).
//
// Fallback: if the fast path fails (a snapshot from another Pyodide build, a
// 404, an integrity mismatch), it boots again the classic way, in the same
// worker: loadPyodide can be called a second time (checked in Chromium with a
// broken snapshot: the fallback boot then took ~1.8 s cold).

export async function bootPython(info, siteRoot, { progress = () => {} } = {}) {
  const url = (path) => new URL(path, siteRoot).href;
  const indexURL = url(info.runtime_dir);
  const quiet = { stdout: () => {}, stderr: () => {} };

  // Start every download now, in parallel with the runtime's own.
  const packageZip = info.package_zip_path
    ? fetchBytes(url(info.package_zip_path), info.package_zip_sha256)
    : fetchBytes(url(info.wheel_path), info.wheel_sha256); // a wheel is a zip
  const snapshot = info.snapshot_path ? fetchBytes(url(info.snapshot_path)) : null;
  packageZip?.catch(() => {});
  snapshot?.catch(() => {});

  const { loadPyodide } = await import(url(info.pyodide_module));

  if (info.stdlib_path) {
    try {
      progress("Python starten");
      const options = {
        indexURL, stdLibURL: url(info.stdlib_path), ...quiet,
        // Our 0.5 kB lock instead of the runtime's 119 kB one (loadPyodide
        // always reads a lock and checks its abi_version), fetched in parallel.
        lockFileContents: fetch(url(info.lock_path)).then((r) => r.text()),
        packageBaseUrl: new URL(".", url(info.lock_path)).href,
      };
      if (snapshot) {
        try {
          const pyodide = await loadPyodide({ ...options, _loadSnapshot: snapshot });
          return { pyodide, module: pyodide.pyimport("kmo_portefeuille"), path: "snapshot" };
        } catch (error) {
          console.warn("kmo: snapshot unusable, booting without it:", error);
        }
      }
      const pyodide = await loadPyodide(options);
      progress("Rekenregels installeren");
      const sitePackages = pyodide.runPython(
        "import sys; f'/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages'");
      pyodide.unpackArchive(await packageZip, "zip", { extractDir: sitePackages });
      return { pyodide, module: pyodide.pyimport("kmo_portefeuille"), path: "fast" };
    } catch (error) {
      console.warn("kmo: fast boot failed, booting the classic way:", error);
    }
  }

  // Classic path (today's worker): full stdlib, lock file, loadPackage.
  progress("Python starten");
  const pyodide = await loadPyodide({ indexURL, lockFileURL: url(info.lock_path), ...quiet });
  progress("Rekenregels installeren");
  await pyodide.loadPackage(info.package_name, { messageCallback: () => {}, checkIntegrity: true });
  return { pyodide, module: pyodide.pyimport("kmo_portefeuille"), path: "classic" };
}

async function fetchBytes(href, sha256hex) {
  const init = sha256hex ? { integrity: "sha256-" + hexToBase64(sha256hex) } : {};
  const response = await fetch(href, init);
  if (!response.ok) {
    throw new Error(`${href}: HTTP ${response.status}`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

function hexToBase64(hex) {
  return btoa(String.fromCharCode(...hex.match(/../g).map((h) => parseInt(h, 16))));
}
