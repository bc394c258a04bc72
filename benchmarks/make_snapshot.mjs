// Make a Pyodide memory snapshot at build time, in Node, with the
// kmo-portefeuille wheel installed, imported and warmed up (one estimate, so
// the rule data files are read and cached in Python objects).
//
//   node benchmarks/make_snapshot.mjs WHEEL STDLIB.zip|- OUT.bin
//
// STDLIB: the stdlib zip the browser will pass as stdLibURL ("-": the
// runtime's python_stdlib.zip). The browser MUST boot with the very same
// stdlib file: the snapshot holds zipimport's table of contents (offsets into
// that zip), and the same pyodide.asm.wasm (loadPyodide checks the BUILD_ID
// stored in the snapshot and throws "Snapshot build id mismatch").
//
// Private API of Pyodide 314.0.7 (options marked @ignore in pyodide.d.ts):
//   loadPyodide({_makeSnapshot: true}) ... pyodide.makeMemorySnapshot() -> Uint8Array
//   loadPyodide({_loadSnapshot: Uint8Array | ArrayBuffer | Promise<...>})
// Rules found the hard way:
// * install the wheel with unpackArchive, not loadPackage: loadPackage leaves
//   JS objects in Pyodide's hiwire table and makeMemorySnapshot throws
//   "Unexpected hiwire entry at index 6";
// * pass unpackArchive a Uint8Array (a Node Buffer gives "Unknown typed array
//   type 'Buffer'" under _makeSnapshot);
// * the in-memory file system is NOT in the snapshot: site-packages is empty
//   after a restore, so everything must be imported (and data files read)
//   before the snapshot is taken; later imports of stdlib modules still work
//   because the stdlib zip is mounted again at every boot.
import { loadPyodide } from "pyodide";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [wheel, stdlib, out] = process.argv.slice(2);
if (!wheel || !stdlib || !out) {
  console.error("usage: node make_snapshot.mjs WHEEL STDLIB.zip|- OUT.bin");
  process.exit(2);
}
const npmDir = path.dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
const options = { indexURL: npmDir + "/", _makeSnapshot: true, stdout: () => {}, stderr: () => {} };
if (stdlib !== "-") options.stdLibURL = path.resolve(stdlib);
const py = await loadPyodide(options);
py.unpackArchive(new Uint8Array(fs.readFileSync(wheel)), "wheel", { extractDir: py._api.sitePackages });
py.runPython(`
import gc, json
import kmo_portefeuille
kmo_portefeuille.estimate_json(json.dumps({
    "application_date": "2026-04-14", "start_date": "2026-04-20", "service": "training",
    "theme": "professional_skills", "enterprise": {"fte": 12, "turnover": 1500000}, "cost": 2000}))
kmo_portefeuille.estimate_json("{}")   # the error path too
kmo_portefeuille.rules_data()
gc.collect()
`);
const snapshot = py.makeMemorySnapshot();
fs.writeFileSync(out, snapshot);
console.log(`${out}: ${snapshot.length} bytes`);
