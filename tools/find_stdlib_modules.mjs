// List the files of python_stdlib.zip that Pyodide and kmo-portefeuille import.
//
//   node tools/find_stdlib_modules.mjs SITE_KMO_DIR/ CASES.json
//
// SITE_KMO_DIR: the built site's assets/kmo/<version>-<sha8>/ (lock + wheel).
// CASES.json: a JSON list of requests, e.g. from calculator/tests:
//   .venv/bin/python -c "import sys, json; sys.path.insert(0, 'calculator/tests');
//     from case_data import load_cases; print(json.dumps([c.request for c in load_cases()], default=str))" > cases.json
// Prints three groups (boot, loadPackage, package use) as zip paths; paste them
// into tools/stdlib-modules.txt.
import { loadPyodide } from "pyodide";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [kmoDir, casesFile] = process.argv.slice(2);
const npmDir = path.dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
const py = await loadPyodide({ indexURL: npmDir + "/", lockFileURL: path.join(kmoDir, "pyodide-lock.json"),
                               stdout: () => {}, stderr: () => {} });
py.runPython(`
import sys, json
def zipmods():
    out = set()
    for m in list(sys.modules.values()):
        origin = getattr(getattr(m, "__spec__", None), "origin", None) or ""
        if ".zip/" in origin:
            out.add(origin.split(".zip/", 1)[1])
    return sorted(out)
`);
const boot = py.runPython("json.dumps(zipmods())");
await py.loadPackage("kmo-portefeuille", { messageCallback: () => {} });
const loaded = py.runPython("json.dumps(zipmods())");
py.globals.set("cases", fs.readFileSync(casesFile, "utf8"));
py.runPython(`
import kmo_portefeuille
for r in json.loads(cases):
    kmo_portefeuille.estimate_json(json.dumps(r))
kmo_portefeuille.estimate_json("not json")
kmo_portefeuille.estimate_json("[]")
kmo_portefeuille.rules_data()
`);
const used = py.runPython("json.dumps(zipmods())");
const [b, l, u] = [boot, loaded, used].map((s) => JSON.parse(s));
const minus = (x, y) => x.filter((n) => !y.includes(n));
console.log("# boot\n" + b.join("\n"));
console.log("# loadPackage\n" + minus(l, b).join("\n"));
console.log("# package\n" + minus(u, l).join("\n"));
