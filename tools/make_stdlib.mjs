// Write a subset of Pyodide's python_stdlib.zip that holds only what the
// rekenhulp needs, uncompressed (ZIP_STORED) so that HTTP gzip/brotli can
// compress it, optionally precompiled to .pyc by Pyodide's own CPython.
//
//   node tools/make_stdlib.mjs tools/stdlib-modules.txt [--pyc [--optimize=2] [--lines-only]] OUT.zip
//
// The list has one fnmatch pattern per line, relative to the zip's root
// ("json/*.py", "typing.py"); '#' starts a comment. Directory entries above
// every kept file are added (zipimport needs them for packages). Entries are
// sorted with a fixed timestamp: the same input gives the same bytes.
//
// Then every .py file of tools/stdlib-overrides/ goes in at its own path,
// replacing Pyodide's (its README says which and why). They are written for
// OVERRIDES_FOR; another Pyodide version fails here until they are checked
// against its files. _kmo_stdlib.py gets the list of the stock modules the
// subset lacks (STOCK_MODULES).
//
// --pyc: every .py becomes a sourceless .pyc (PEP 552 hash-based, unchecked)
// compiled by the CPython inside Pyodide (the browser's interpreter, 3.14), so
// zipimport never compiles source at boot: in Node this cuts loadPyodide from
// ~2.0 s to ~0.6 s. Tracebacks then show no source lines (file and line
// numbers stay). --lines-only keeps each instruction's line but not its
// columns (PEP 657's positions, 3.11+): the same tracebacks without the
// "^^^^" marks under the failing expression, and a third less on the wire
// (1.14 MB -> 0.81 MB gzip for the same modules), since positions compress
// badly. Rebuild whenever the Pyodide version changes (the .pyc magic
// number is checked; a mismatch makes the import fail loudly).
import { loadPyodide } from "pyodide";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const OVERRIDES_FOR = "314.0.7";
const overridesDir = path.join(path.dirname(new URL(import.meta.url).pathname), "stdlib-overrides");
const args = process.argv.slice(2);
const pyc = args.includes("--pyc");
// --optimize=2: compile like python -OO (no docstrings, no asserts): smaller.
const linesOnly = args.includes("--lines-only");
const optimize = Number((args.find((a) => a.startsWith("--optimize=")) || "--optimize=0").split("=")[1]);
const [listFile, out] = args.filter((a) => !a.startsWith("--"));
if (!listFile || !out) {
  console.error("usage: node make_stdlib.mjs LIST [--pyc] OUT.zip");
  process.exit(2);
}
const npmDir = path.dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
const patterns = fs.readFileSync(listFile, "utf8").split("\n")
  .map((line) => line.replace(/#.*/, "").trim()).filter(Boolean);

const pyodideVersion = JSON.parse(fs.readFileSync(path.join(npmDir, "package.json"), "utf8")).version;
if (pyodideVersion !== OVERRIDES_FOR) {
  console.error(`tools/stdlib-overrides/ is written for Pyodide ${OVERRIDES_FOR}, not ${pyodideVersion}: ` +
    "compare its files with the new version's, then change OVERRIDES_FOR in tools/make_stdlib.mjs");
  process.exit(1);
}
function overrideFiles(dir, prefix = "") {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory()
    ? overrideFiles(path.join(dir, e.name), prefix + e.name + "/")
    : e.name.endsWith(".py") ? [[prefix + e.name, fs.readFileSync(path.join(dir, e.name), "utf8")]] : []);
}
const overrides = Object.fromEntries(overrideFiles(overridesDir));

const py = await loadPyodide({ indexURL: npmDir + "/", stdout: () => {}, stderr: () => {} });
py.FS.writeFile("/tmp/src.zip", new Uint8Array(fs.readFileSync(path.join(npmDir, "python_stdlib.zip"))));
py.globals.set("patterns", py.toPy(patterns));
py.globals.set("pyc", pyc);
py.globals.set("optimize", optimize);
py.globals.set("lines_only", linesOnly);
py.globals.set("overrides", py.toPy(overrides));
const report = py.runPython(`
import fnmatch, importlib.util, marshal, sys, zipfile

src = zipfile.ZipFile("/tmp/src.zip")
names = [n for n in src.namelist() if not n.endswith("/")]
keep = sorted({n for n in names if any(fnmatch.fnmatchcase(n, p) for p in patterns)} | set(overrides))
unmatched = [p for p in patterns if not any(fnmatch.fnmatchcase(n, p) for n in names)]
dirs = sorted({n[: i + 1] for n in keep for i, c in enumerate(n) if c == "/"})
prefix = f"/lib/python{sys.version_info[0]}.{sys.version_info[1]}/"

def module_name(n):
    return n[:-3].removesuffix("/__init__").replace("/", ".")

lacking = sorted({module_name(n) for n in names if n.endswith(".py")} - {module_name(n) for n in keep})
overrides["_kmo_stdlib.py"] = overrides["_kmo_stdlib.py"].replace(
    "STOCK_MODULES = frozenset()\\n", f"STOCK_MODULES = frozenset({lacking!r})\\n", 1)
assert repr(lacking) in overrides["_kmo_stdlib.py"], "_kmo_stdlib.py: no STOCK_MODULES line to fill in"

def svarint(v):
    v = (-v << 1) | 1 if v < 0 else v << 1
    out = bytearray()
    while v >= 64:
        out.append((v & 63) | 64)
        v >>= 6
    out.append(v)
    return bytes(out)

def lines_table(code):
    """code.co_linetable with each instruction's line and no columns (CPython's
    Objects/locations.md: code 13 = line delta only, 15 = no location)."""
    out, prev = bytearray(), code.co_firstlineno
    for start, end, line in code.co_lines():
        units = (end - start) // 2
        while units > 0:
            n, units = min(units, 8), units - min(units, 8)
            if line is None:
                out.append(0x80 | (15 << 3) | (n - 1))
            else:
                out.append(0x80 | (13 << 3) | (n - 1))
                out += svarint(line - prev)
                prev = line
    return bytes(out)

def without_columns(code):
    consts = tuple(without_columns(c) if isinstance(c, type(code)) else c for c in code.co_consts)
    new = code.replace(co_linetable=lines_table(code), co_consts=consts)
    assert list(new.co_lines()) == list(code.co_lines()), code
    return new

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
        data = overrides[n].encode() if n in overrides else src.read(n)
        if pyc and n.endswith(".py"):
            code = compile(data, prefix + n, "exec", dont_inherit=True, optimize=optimize)
            if lines_only:
                code = without_columns(code)
            header = (importlib.util.MAGIC_NUMBER + (1).to_bytes(4, "little")
                      + importlib.util.source_hash(data))
            z.writestr(entry(n + "c"), header + marshal.dumps(code))
        else:
            z.writestr(entry(n), data)
f"{len(keep)} files ({len(overrides)} from tools/stdlib-overrides/)" + (f"; patterns that matched nothing: {unmatched}" if unmatched else "")
`);
fs.writeFileSync(out, py.FS.readFile("/tmp/out.zip"));
console.log(`${out}: ${fs.statSync(out).size} bytes, ${report}`);
