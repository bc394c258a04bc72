// Check the rekenhulp's stdlib subset in Node, with Pyodide's own CPython:
//
//   node tools/check_stdlib_subset.mjs SUBSET.zip WHEEL CASES.json
//
// 1. Pyodide starts with the subset (tools/stdlib-overrides/ in it) and the
//    wheel installs with unpackArchive (the overrides' zip reader);
// 2. every request of CASES.json gives what it gives with the stock stdlib,
//    and none makes _kmo_stdlib download the complete stdlib;
// 3. a module outside the subset still imports, from the complete stdlib
//    (Node has no XMLHttpRequest: the download is handed the stock file);
//    one the complete stdlib lacks fails at once, downloading nothing;
// 4. asyncio, a stand-in until used, becomes the real package with Pyodide's
//    event loop: a coroutine runs, time.sleep is Pyodide's;
// 5. a memory snapshot made as worker.js makes one restores and answers
//    (Pyodide checks the first JavaScript objects Python holds: the overrides
//    must take them in Pyodide's order).
// Prints one JSON object; exit 1 when a check fails (tests/test_build.py).
import { loadPyodide } from "pyodide";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [subset, wheel, casesFile] = process.argv.slice(2);
const npmDir = path.dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
const quiet = { stdout: () => {}, stderr: () => {} };
const wheelBytes = new Uint8Array(fs.readFileSync(wheel));
const cases = fs.readFileSync(casesFile, "utf8");

async function answers(options) {
  const py = await loadPyodide({ ...options, ...quiet });
  py.unpackArchive(wheelBytes, "zip", { extractDir: py._api.sitePackages });
  py.globals.set("cases", cases);
  const out = py.runPython(`
import json, kmo_portefeuille
json.dumps([kmo_portefeuille.estimate_json(json.dumps(r)) for r in json.loads(cases)])`);
  return { py, out };
}

const report = {};
const stock = await answers({ indexURL: npmDir + "/" });
const fast = await answers({ indexURL: npmDir + "/", stdLibURL: subset });
const py = fast.py;
report.cases = JSON.parse(cases).length;
report.same_answers = stock.out === fast.out;
py.FS.writeFile("/tmp/stock_stdlib.zip", new Uint8Array(fs.readFileSync(path.join(npmDir, "python_stdlib.zip"))));
Object.assign(report, JSON.parse(py.runPython(`
import json, sys, _kmo_stdlib
r = {"fetched_by_cases": _kmo_stdlib.fetched,
     "asyncio_is_stand_in": "asyncio.events" not in sys.modules}
try:
    import numpy
except ModuleNotFoundError:
    r["unknown_module_fails"] = _kmo_stdlib.fetched is None
downloads = []
_kmo_stdlib._download = lambda url: (downloads.append(url), open("/tmp/stock_stdlib.zip", "rb").read())[1]
import argparse, email.message, importlib.metadata
r["outside_subset_imports"] = argparse.__file__.startswith(_kmo_stdlib.fetched or "?")
r["downloads"] = len(downloads)
json.dumps(r)`)));
Object.assign(report, JSON.parse(await py.runPythonAsync(`
import asyncio, json, sys, time
async def answer():
    await asyncio.sleep(0)
    return 42
json.dumps({"coroutine_runs": await answer() == 42,
            "loop": type(asyncio.get_event_loop()).__name__,
            "real_asyncio": "asyncio.events" in sys.modules,
            "sleep_is_pyodides": time.sleep is sys.modules["pyodide.webloop"]._sleep})`)));
const maker = await loadPyodide({ indexURL: npmDir + "/", stdLibURL: subset, _makeSnapshot: true, ...quiet });
maker.unpackArchive(wheelBytes, "zip", { extractDir: maker._api.sitePackages });
maker.runPython("import kmo_portefeuille; kmo_portefeuille.rules_data()");
const restored = await loadPyodide({ indexURL: npmDir + "/", stdLibURL: subset, _loadSnapshot: maker.makeMemorySnapshot(), ...quiet });
restored.unpackArchive(wheelBytes, "zip", { extractDir: restored._api.sitePackages });
report.snapshot_answers = restored.pyimport("kmo_portefeuille").estimate_json("{}") === maker.pyimport("kmo_portefeuille").estimate_json("{}");
const ok = report.snapshot_answers && report.same_answers && report.cases > 0 && report.fetched_by_cases === null
  && report.asyncio_is_stand_in && report.unknown_module_fails && report.outside_subset_imports
  && report.downloads === 1 && report.coroutine_runs && report.loop === "WebLoop"
  && report.real_asyncio && report.sleep_is_pyodides;
console.log(JSON.stringify({ ok, ...report }));
process.exit(ok ? 0 : 1);
