// List the files of the stdlib that starting Pyodide and kmo-portefeuille import,
// with tools/stdlib-overrides/ in place (those change what the start imports).
//
//   node tools/make_stdlib.mjs ALL.txt --pyc ALL.zip     (ALL.txt holds one line: *)
//   node tools/find_stdlib_modules.mjs ALL.zip WHEEL CASES.json
//
// ALL.zip: the whole stdlib with the overrides, as make_stdlib.mjs builds it
// from the pattern "*". WHEEL: the built wheel (site/assets/kmo/<v>-<sha8>/*.whl).
// CASES.json: a JSON list of requests, e.g. from calculator/tests:
//   .venv/bin/python -c "import sys, json; sys.path.insert(0, 'calculator/tests');
//     from case_data import load_cases; print(json.dumps([c.request for c in load_cases()], default=str))" > cases.json
// Prints three groups (boot, unpackArchive of the wheel, package use) as zip
// paths; paste them into tools/stdlib-modules.txt.
import { loadPyodide } from "pyodide";
import fs from "node:fs";

const [zip, wheel, casesFile] = process.argv.slice(2);
const py = await loadPyodide({ stdLibURL: zip, stdout: () => {}, stderr: () => {} });
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
py.unpackArchive(new Uint8Array(fs.readFileSync(wheel)), "zip", { extractDir: py._api.sitePackages });
const installed = py.runPython("json.dumps(zipmods())");
py.globals.set("cases", fs.readFileSync(casesFile, "utf8"));
py.runPython(`
import kmo_portefeuille
for r in json.loads(cases):
    kmo_portefeuille.estimate_json(json.dumps(r))
kmo_portefeuille.estimate_json("not json")
kmo_portefeuille.estimate_json("[]")
kmo_portefeuille.rules_data()
kmo_portefeuille.plan_json(json.dumps({"applications": []}))
`);
const used = py.runPython("json.dumps(zipmods())");
const [b, l, u] = [boot, installed, used].map((s) => JSON.parse(s));
const minus = (x, y) => x.filter((n) => !y.includes(n));
console.log("# boot\n" + b.join("\n"));
console.log("# unpackArchive\n" + minus(l, b).join("\n"));
console.log("# package\n" + minus(u, l).join("\n"));
