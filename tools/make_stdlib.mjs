// Write a subset of Pyodide's python_stdlib.zip that holds only what the
// rekenhulp needs, uncompressed (ZIP_STORED) so that HTTP gzip/brotli can
// compress it, optionally precompiled to .pyc by Pyodide's own CPython.
//
//   node tools/make_stdlib.mjs tools/stdlib-modules.txt [--pyc [--optimize=2]] OUT.zip
//
// The list has one fnmatch pattern per line, relative to the zip's root
// ("json/*.py", "typing.py"); '#' starts a comment. Directory entries above
// every kept file are added (zipimport needs them for packages). Entries are
// sorted with a fixed timestamp: the same input gives the same bytes.
//
// --pyc: every .py becomes a sourceless .pyc (PEP 552 hash-based, unchecked)
// compiled by the CPython inside Pyodide (the browser's interpreter, 3.14), so
// zipimport never compiles source at boot: in Node this cuts loadPyodide from
// ~2.0 s to ~0.6 s. Tracebacks then show no source lines (file and line
// numbers stay). Rebuild whenever the Pyodide version changes (the .pyc magic
// number is checked; a mismatch makes the import fail loudly).
import { loadPyodide } from "pyodide";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const args = process.argv.slice(2);
const pyc = args.includes("--pyc");
// --optimize=2: compile like python -OO (no docstrings, no asserts): smaller.
const optimize = Number((args.find((a) => a.startsWith("--optimize=")) || "--optimize=0").split("=")[1]);
const [listFile, out] = args.filter((a) => !a.startsWith("--"));
if (!listFile || !out) {
  console.error("usage: node make_stdlib.mjs LIST [--pyc] OUT.zip");
  process.exit(2);
}
const npmDir = path.dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
const patterns = fs.readFileSync(listFile, "utf8").split("\n")
  .map((line) => line.replace(/#.*/, "").trim()).filter(Boolean);

const py = await loadPyodide({ indexURL: npmDir + "/", stdout: () => {}, stderr: () => {} });
py.FS.writeFile("/tmp/src.zip", new Uint8Array(fs.readFileSync(path.join(npmDir, "python_stdlib.zip"))));
py.globals.set("patterns", py.toPy(patterns));
py.globals.set("pyc", pyc);
py.globals.set("optimize", optimize);
const report = py.runPython(`
import fnmatch, importlib.util, marshal, sys, zipfile

src = zipfile.ZipFile("/tmp/src.zip")
names = [n for n in src.namelist() if not n.endswith("/")]
keep = sorted({n for n in names if any(fnmatch.fnmatchcase(n, p) for p in patterns)})
unmatched = [p for p in patterns if not any(fnmatch.fnmatchcase(n, p) for n in names)]
dirs = sorted({n[: i + 1] for n in keep for i, c in enumerate(n) if c == "/"})
prefix = f"/lib/python{sys.version_info[0]}.{sys.version_info[1]}/"

def entry(name):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 3
    info.external_attr = ((0o40755 << 16) | 0x10) if name.endswith("/") else (0o100644 << 16)
    return info

with zipfile.ZipFile("/tmp/out.zip", "w") as z:
    for d in dirs:
        z.writestr(entry(d), b"")
    for n in keep:
        data = src.read(n)
        if pyc and n.endswith(".py"):
            code = compile(data, prefix + n, "exec", dont_inherit=True, optimize=optimize)
            header = (importlib.util.MAGIC_NUMBER + (1).to_bytes(4, "little")
                      + importlib.util.source_hash(data))
            z.writestr(entry(n + "c"), header + marshal.dumps(code))
        else:
            z.writestr(entry(n), data)
f"{len(keep)} files" + (f"; patterns that matched nothing: {unmatched}" if unmatched else "")
`);
fs.writeFileSync(out, py.FS.readFile("/tmp/out.zip"));
console.log(`${out}: ${fs.statSync(out).size} bytes, ${report}`);
