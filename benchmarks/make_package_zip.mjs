// Turn the kmo-portefeuille wheel into a zip of sourceless .pyc files (plus
// its data files and dist-info), ZIP_STORED, compiled by Pyodide's CPython.
// The worker installs it with
//   pyodide.unpackArchive(bytes, "zip", {extractDir: <site-packages>})
// instead of loadPackage(): no lock file, no micropip-style metadata work, no
// compile of the package's source at import.
//
//   node benchmarks/make_package_zip.mjs WHEEL OUT.zip
//
// Sourceless .pyc files sit where the .py would be (not in __pycache__), which
// CPython's path finder imports directly. The package reads its data files via
// os.path.dirname(__file__): that keeps working because the zip is extracted
// into the file system (a zipimport of the package would not).
import { loadPyodide } from "pyodide";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [wheel, out] = process.argv.slice(2);
if (!wheel || !out) {
  console.error("usage: node make_package_zip.mjs WHEEL OUT.zip");
  process.exit(2);
}
const npmDir = path.dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
const py = await loadPyodide({ indexURL: npmDir + "/", stdout: () => {}, stderr: () => {} });
py.FS.writeFile("/tmp/in.whl", new Uint8Array(fs.readFileSync(wheel)));
const report = py.runPython(`
import importlib.util, marshal, sys, zipfile
src = zipfile.ZipFile("/tmp/in.whl")
site = f"/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages/"
n = 0
with zipfile.ZipFile("/tmp/out.zip", "w") as z:
    for name in sorted(src.namelist()):
        if name.endswith("/") or name.endswith(".dist-info/RECORD"):
            continue
        data = src.read(name)
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = 0o100644 << 16
        if name.endswith(".py"):
            code = compile(data, site + name, "exec", dont_inherit=True)
            data = (importlib.util.MAGIC_NUMBER + (1).to_bytes(4, "little")
                    + importlib.util.source_hash(data) + marshal.dumps(code))
            info.filename = name + "c"
            n += 1
        z.writestr(info, data)
f"{n} modules compiled"
`);
fs.writeFileSync(out, py.FS.readFile("/tmp/out.zip"));
console.log(`${out}: ${fs.statSync(out).size} bytes, ${report}`);
