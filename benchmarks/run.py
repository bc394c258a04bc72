#!/usr/bin/env python3
"""How fast is the rekenhulp? A benchmark (not a test) of the built site.

    .venv/bin/python benchmarks/run.py [-n 7] [--link-runs 3] [--profile 4g] [--cpu 4] [--no-lighthouse] [--variants] [--no-write] [--json FILE]

Needs a built site/ (``./dev test`` or ``python build.py``) and Chromium
(Debian's /usr/bin/chromium, Playwright's own, or $KMO_CHROMIUM).

What it does:

* copies site/ into a temporary directory and adds benchmark pages there
  (never in the repository's site/): ``__bench__/boot/`` (benchmarks/pages/),
  a module worker that does ``loadPyodide({indexURL})`` from the site's own
  runtime and runs ``1+1``: the *bare reference*. With ``--variants`` the
  same page also boots the research prototypes (a ``.pyc`` stdlib subset, a
  memory snapshot made in Node, ...; built by benchmarks/*.mjs with Node);
* serves that copy with tests/pages_server.py's handler, as GitHub Pages does
  (gzip -6, ``Cache-Control: max-age=600``, ETag and 304): the gzip column is
  what went over the wire (raw and brotli -11 are computed from the files);
* measures each link profile (localhost; 4G 9 Mbit/s, 60 ms; slow 4G 1.6 Mbit/s,
  150 ms: CDP ``Network.emulateNetworkConditions``) and a 4x CPU slowdown
  (``Emulation.setCPUThrottlingRate``), with the main thread's total blocking
  time from ``PerformanceObserver('longtask')``, then Lighthouse 12 (mobile)
  on the start page, a docs page and the rekenhulp (``--no-lighthouse``);
* in headless Chromium with a fresh persistent profile per cold run measures
  N times (median, min, max): first paint, navigation -> first
  Python-computed result, cold and warm (warm = a second navigation in the
  same profile: HTTP cache and V8's wasm code cache are kept), the round
  trip of one recompute (median of 50), and the bytes each page fetched;
* writes BENCHMARKS.md (the hand-written part between the NOTES markers is
  kept) and prints the table.

"First Python-computed estimate" on the rekenhulp: the first of
  1. a ``performance.mark("kmo-first-result")`` (what docs/assets/rekenhulp/
     rekenhulp.js sets after rendering its first live result; the benchmark
     pages use "kmo-live-result");
  2. a change of ``[data-result="support"]`` (its ``data-value``, or a new
     element) after the document finished parsing, seen by a MutationObserver
     installed before any page script runs;
  3. else: ``await window.kmoPortefeuille.ready`` + one ``estimate()`` call,
     timed from navigation start (an upper bound).
The table says which signal was used.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gzip
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, unquote

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
TOOLS = ROOT / "tools"
SITE_DIR = ROOT / "site"
OUTPUT = ROOT / "BENCHMARKS.md"
CACHE_DIR = Path(os.environ.get("KMO_BENCH_CACHE", Path(tempfile.gettempdir()) / "kmo-bench-cache"))
DEBIAN_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [  # as tests/conftest.py
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]
NOTES_BEGIN = "<!-- NOTES:BEGIN (hand-written; benchmarks/run.py keeps this part) -->"
NOTES_END = "<!-- NOTES:END -->"
TYPICAL = {  # the request of calculator/benchmarks/speed.py
    "application_date": "2026-04-14", "start_date": "2026-04-20", "service": "training",
    "theme": "professional_skills", "enterprise": {"fte": 12, "turnover": 1500000}, "cost": 2000,
}
#: Phone connections for the "seconds to download" column (bytes only; RTTs
#: come on top): Lighthouse's "slow 4G" and a typical 4G/LTE link.
LINKS = {"slow 4G (1.6 Mbit/s)": 1.6e6, "4G (9 Mbit/s)": 9e6}
#: Link profiles emulated with CDP Network.emulateNetworkConditions (per page,
#: before the navigation): bits/s down and up, round trip in ms. "localhost": none.
PROFILES = {
    "localhost": None,
    "4g": {"label": "4G (9 Mbit/s, 60 ms)", "down": 9e6, "up": 9e6, "rtt": 60},
    "slow4g": {"label": "slow 4G (1.6 Mbit/s, 150 ms)", "down": 1.6e6, "up": 0.75e6, "rtt": 150},
}
PROFILE = None  # the one being measured (set by main)
CPU_RATE = 1    # Emulation.setCPUThrottlingRate (set by main)


def load_build_module():
    # As tests/conftest.py: by path, so `import build` keeps meaning PyPI's build.
    spec = importlib.util.spec_from_file_location("kmo_site_build", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


site_build = load_build_module()


# --------------------------------------------------------------------------
# Transfer sizes: gzip/brotli of what was served, cached by content hash
# --------------------------------------------------------------------------

def _brotli():
    try:
        import brotli  # requirements/dev.txt pins it
        return brotli
    except ImportError:
        return None


_sizes_lock = threading.Lock()


def compressed_sizes(path: Path) -> dict:
    """raw, gzip (level 6, what most servers use) and brotli (quality 11) sizes."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    cache = CACHE_DIR / "sizes" / f"{digest}.json"
    with _sizes_lock:
        if cache.is_file():
            return json.loads(cache.read_text())
        brotli = _brotli()
        sizes = {
            "raw": len(data),
            "gzip": len(gzip.compress(data, 6, mtime=0)),
            "br": len(brotli.compress(data, quality=11)) if brotli else None,
        }
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(sizes))
        return sizes


# --------------------------------------------------------------------------
# Server: build.py's handler, recording what it sends
# --------------------------------------------------------------------------

class RecordingHandler(site_build.SiteHandler):
    log: list  # set per server

    def send_response(self, code, message=None):
        self._status = code
        super().send_response(code, message)

    def copyfile(self, source, outputfile):
        sent = 0
        while chunk := source.read(1 << 16):
            outputfile.write(chunk)
            sent += len(chunk)
        self._sent = sent

    def do_GET(self):
        self._status, self._sent = None, 0
        super().do_GET()
        site_path = self._site_path()
        file = None
        if site_path is not None and self._status == 200:
            candidate = Path(self.translate_path(self.path))
            if candidate.is_dir():
                candidate = candidate / "index.html"
            file = candidate if candidate.is_file() else None
        if self._status == 404:
            file = Path(self.directory) / "404.html"
        self.log.append({"path": unquote(self.path.split("?", 1)[0]), "status": self._status,
                         "bytes": self._sent, "file": str(file) if file else None})


def _pages_server_module():
    spec = importlib.util.spec_from_file_location("kmo_pages_server", ROOT / "tests" / "pages_server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def start_server(site_dir: Path, base_path: str = "/"):
    """tests/pages_server.py's handler (gzip, max-age=600, ETag: as GitHub Pages), recording
    what it sends: ``bytes`` is the body on the wire (gzip for text files)."""
    log: list = []
    pages = _pages_server_module().pages_handler(RecordingHandler)
    handler = type("BenchHandler", (pages,),
                   {"base_path": base_path, "quiet": True, "log": log})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site_dir)))
    server.daemon_threads = True
    server.base_path = base_path
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, log


def transfer(entries: list) -> dict:
    """Sum of what the server sent: raw bytes, and gzip/brotli of those bodies."""
    total = {"requests": 0, "raw": 0, "gzip": 0, "br": 0, "pyodide_requests": 0, "files": []}
    for entry in entries:
        total["requests"] += 1
        if "/assets/pyodide/" in entry["path"] or "/assets/kmo/" in entry["path"]:
            total["pyodide_requests"] += 1
        if not entry["bytes"] or not entry["file"]:
            continue  # 304s and the like: headers only
        sizes = compressed_sizes(Path(entry["file"]))
        # The server gzips: what it sent is the gzip transfer; raw and br from the file.
        total["raw"] += sizes["raw"]
        total["gzip"] += entry["bytes"]
        total["br"] += sizes["br"] or 0
        total["files"].append((entry["path"], sizes["raw"], entry["bytes"], sizes["br"]))
    return total


# --------------------------------------------------------------------------
# The temporary site: a copy of site/ plus the benchmark pages and artifacts
# --------------------------------------------------------------------------

def node_artifact(script: str, args: list[str], out: Path, inputs: list[Path]) -> Path:
    """Run tools/<script> or benchmarks/<script> with Node into ``out`` (cached by its inputs)."""
    script_path = TOOLS / script if (TOOLS / script).is_file() else BENCH / script
    digest = hashlib.sha256()
    for path in [script_path, *inputs]:
        digest.update(path.read_bytes())
    digest.update(json.dumps(args).encode())
    cached = CACHE_DIR / "artifacts" / f"{digest.hexdigest()[:16]}-{out.name}"
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".part")
        result = subprocess.run(["node", str(script_path), *args, str(tmp)], cwd=ROOT,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"node {script} failed:\n{result.stderr[-2000:]}")
        tmp.rename(cached)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, out)
    return out


def prepare_site(tmp: Path, info: dict, variants: bool) -> tuple[Path, dict]:
    site = tmp / "site"
    shutil.copytree(SITE_DIR, site)
    boot = site / "__bench__" / "boot"
    boot.mkdir(parents=True)
    shutil.copyfile(BENCH / "pages" / "boot.html", boot / "index.html")
    shutil.copyfile(BENCH / "pages" / "worker.js", boot / "worker.js")
    shutil.copyfile(BENCH / "proposed-worker-boot.js", boot / "proposed-worker-boot.js")
    pages = {"reference": "__bench__/boot/"}
    if variants:
        # Under assets/kmo/<dir>/ so build.py's server sends them as immutable,
        # like the versioned runtime.
        art = "assets/kmo/__bench__/"
        npm = ROOT / "node_modules" / "pyodide"
        stdlib_inputs = [npm / "python_stdlib.zip", TOOLS / "stdlib-modules.txt"]
        node_artifact("make_stdlib.mjs", ["tools/stdlib-modules.txt", "--pyc", "--optimize=2"],
                      site / art / "stdlib-pyc.zip", stdlib_inputs)
        node_artifact("make_stdlib.mjs", ["tools/stdlib-modules.txt"],
                      site / art / "stdlib-py.zip", stdlib_inputs)
        wheel = site / info["wheel_path"]
        node_artifact("make_snapshot.mjs", [str(wheel), "-"],
                      site / art / "snapshot-full.bin", [wheel, npm / "pyodide.asm.wasm"])
        node_artifact("make_snapshot.mjs", [str(wheel), str(site / art / "stdlib-pyc.zip")],
                      site / art / "snapshot-pyc.bin",
                      [wheel, npm / "pyodide.asm.wasm", site / art / "stdlib-pyc.zip"])
        node_artifact("make_package_zip.mjs", [str(wheel)], site / art / "kmo-pyc.zip",
                      [wheel, npm / "pyodide.asm.wasm"])
        b = "__bench__/boot/?"
        pyc = f"std={art}stdlib-pyc.zip"
        pages.update({
            "A. today's worker: full stdlib + loadPackage": b + "pkg=1",
            "A'. same, worker started after load": b + "pkg=1&start=load",
            "A''. same, lock fetched in parallel": b + "pkg=1&lock=inline",
            "B1. stdlib subset (.py, stored) + loadPackage": b + f"pkg=1&std={art}stdlib-py.zip",
            "B2. stdlib subset (.pyc -OO, stored) + loadPackage": b + f"pkg=1&{pyc}",
            "B3. .pyc subset + wheel fetched in parallel, unpackArchive": b + f"pkg=wheel&{pyc}",
            "B4. .pyc subset + package as .pyc zip in parallel": b + f"pkg=pyc&pz={art}kmo-pyc.zip&{pyc}",
            "D. proposed-worker-boot.js (= B3 + small lock fetched in parallel)":
                b + f"boot=proposed&{pyc}",
            "C1. snapshot (full stdlib)": b + f"snap={art}snapshot-full.bin",
            "C2. snapshot + .pyc subset": b + f"snap={art}snapshot-pyc.bin&{pyc}",
            "C3. broken snapshot -> fallback boot (.pyc subset + loadPackage)":
                b + f"snap={art}stdlib-pyc.zip&{pyc}",
        })
    return site, pages


# --------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------

def chromium_executable(playwright) -> str | None:
    if os.environ.get("KMO_CHROMIUM"):
        return os.environ["KMO_CHROMIUM"]
    if Path(playwright.chromium.executable_path).exists():
        return None  # Playwright's own
    if Path(DEBIAN_CHROMIUM).exists():
        return DEBIAN_CHROMIUM
    raise SystemExit("no Chromium: install chromium or set KMO_CHROMIUM")


#: Installed before any page script: watches [data-result="support"] for the
#: first change after parsing (signal 2 in the module docstring).
OBSERVER_JS = """
(() => {
  const seen = { parsedAt: null, liveAt: null, how: null };
  window.__kmoBench = seen;
  const isSupport = (n) => n && n.nodeType === 1 &&
    (n.matches('[data-result="support"]') || n.querySelector?.('[data-result="support"]'));
  new MutationObserver((records) => {
    if (seen.liveAt !== null || document.readyState === "loading") return;
    for (const r of records) {
      if ((r.type === "attributes" && isSupport(r.target)) ||
          (r.type === "childList" && [...r.addedNodes].some(isSupport)) ||
          (r.type === "characterData" && r.target.parentElement?.closest('[data-result="support"]'))) {
        seen.liveAt = performance.now();
        seen.how = "mutation of [data-result=support] (" + r.type + ")";
        return;
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true,
                         attributeFilter: ["data-value"], characterData: true });
  document.addEventListener("DOMContentLoaded", () => { seen.parsedAt = performance.now(); });
  // Long tasks of the main thread (> 50 ms): total blocking time = sum of (duration - 50).
  seen.longtasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) seen.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (e) { seen.longtasks = null; }
})();
"""

PAINT_JS = """() => Object.fromEntries(performance.getEntriesByType("paint").map(e => [e.name, e.startTime]))"""

RECOMPUTE_JS = """async ([request, n]) => {
  const api = window.kmoPortefeuille;
  await api.ready;
  const times = [];
  let arg = request;
  try { await api.estimate(arg); } catch (e) { arg = JSON.stringify(request); await api.estimate(arg); }
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await api.estimate(arg);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}"""

REF_RECOMPUTE_JS = """async ([code, n]) => {
  const times = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await window.__benchCall(code);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}"""

LIVE_RESULT_JS = """async (request) => {
  const marked = () => {
    for (const name of ["kmo-first-result", "kmo-live-result"]) {
      const m = performance.getEntriesByName(name)[0];
      if (m) return { t: m.startTime, how: `performance.mark("${name}")` };
    }
    return null;
  };
  const mark = marked();
  if (mark) return mark;
  const seen = window.__kmoBench;
  if (seen && seen.liveAt !== null) return { t: seen.liveAt, how: seen.how };
  if (!window.kmoPortefeuille) return null;
  await window.kmoPortefeuille.ready;
  await new Promise((r) => setTimeout(r, 200));  // let the page render its first result
  const again = marked();
  if (again) return again;
  if (seen && seen.liveAt !== null) return { t: seen.liveAt, how: seen.how };
  try { await window.kmoPortefeuille.estimate(request); }
  catch (e) { await window.kmoPortefeuille.estimate(JSON.stringify(request)); }
  return { t: performance.now(), how: "kmoPortefeuille.ready + estimate() (fallback, upper bound)" };
}"""


WAIT_FOR_SNAPSHOT = True  # --no-snapshot-wait: leave at once, as a visitor who comes back within a second
SNAPSHOT_JS = """async () => {
  const snapshot = window.kmoPortefeuille && window.kmoPortefeuille.snapshot;
  if (!snapshot || !snapshot.done) return null;
  const state = await Promise.race([snapshot.done, new Promise((r) => setTimeout(() => r("timeout"), 30000))]);
  return { state, bytes: snapshot.bytes || null, ms: snapshot.ms || null, error: snapshot.error || null };
}"""


class Browser:
    def __init__(self, playwright, executable):
        self.playwright = playwright
        self.executable = executable

    def context(self, profile: Path):
        kwargs = {"headless": True, "args": CHROMIUM_FLAGS, "viewport": {"width": 412, "height": 915}}
        if self.executable:
            kwargs["executable_path"] = self.executable
        ctx = self.playwright.chromium.launch_persistent_context(str(profile), **kwargs)
        ctx.add_init_script(OBSERVER_JS)
        return ctx


def settle(log: list, quiet_ms: int = 400, limit_s: float = 10) -> None:
    """Wait until the server saw no request for ``quiet_ms``."""
    end = time.monotonic() + limit_s
    count, since = len(log), time.monotonic()
    while time.monotonic() < end:
        time.sleep(0.05)
        if len(log) != count:
            count, since = len(log), time.monotonic()
        elif (time.monotonic() - since) * 1000 >= quiet_ms:
            return


TBT_JS = """() => {
  const seen = window.__kmoBench;
  if (!seen || !seen.longtasks) return null;
  const fcp = (performance.getEntriesByName("first-contentful-paint")[0] || {}).startTime || 0;
  let tbt = 0, longest = 0;
  for (const [start, duration] of seen.longtasks) {
    longest = Math.max(longest, duration);
    if (start + duration > fcp) tbt += Math.max(0, duration - 50);
  }
  return { tbt, longest, count: seen.longtasks.length };
}"""


def emulate(page) -> None:
    """The link profile and CPU slowdown, through a CDP session of this page."""
    if PROFILE is None and CPU_RATE == 1:
        return
    cdp = page.context.new_cdp_session(page)
    if PROFILE is not None:
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": PROFILE["rtt"],
            "downloadThroughput": PROFILE["down"] / 8, "uploadThroughput": PROFILE["up"] / 8})
    if CPU_RATE != 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_RATE})
    page._kmo_cdp = cdp


def visit(page, url: str, kind: str, log: list, timeout_s: float) -> dict:
    """One navigation; returns paint times, first-result time, blocking time and transfer."""
    del log[:]
    page.goto("about:blank")
    page.goto(url, wait_until="commit")
    out: dict = {}
    if kind == "boot":
        page.wait_for_function("window.__bench && window.__bench.done", timeout=timeout_s * 1000)
        bench = page.evaluate("window.__bench")
        if bench.get("failed"):
            raise RuntimeError(f"{url}: {bench['failed']}")
        out["first"] = bench["first"]
        out["how"] = "worker message"
        out["snapshot_used"] = bench.get("snapshotUsed")
        out["snapshot_error"] = (bench.get("worker") or {}).get("snapshotError")
        out["worker"] = bench.get("worker")
        out["boot_path"] = bench.get("bootPath")
    elif kind == "rekenhulp":
        page.wait_for_load_state("load")
        try:
            page.wait_for_function(
                "performance.getEntriesByName('kmo-first-result').length > 0 || "
                "performance.getEntriesByName('kmo-live-result').length > 0 || "
                "(window.__kmoBench && window.__kmoBench.liveAt !== null) || !!window.kmoPortefeuille",
                timeout=5000)
        except Exception:
            pass
        live = page.evaluate(LIVE_RESULT_JS, TYPICAL)
        if live:
            out["first"], out["how"] = live["t"], live["how"]
        # The memory snapshot the page makes for the next visit (after its first
        # result): a visitor's next visit comes later than this benchmark's, so
        # wait for it (at most 30 s) before leaving the page.
        if WAIT_FOR_SNAPSHOT:
            out["snapshot"] = page.evaluate(SNAPSHOT_JS)
        else:
            out["snapshot"] = page.evaluate("() => window.kmoPortefeuille?.snapshot?.state || null")
    else:
        page.wait_for_load_state("load")
    settle(log)
    if kind != "boot":
        time.sleep(1.0)  # long tasks right after the result (rendering, caching)
        out["tbt"] = page.evaluate(TBT_JS)
    out["paint"] = page.evaluate(PAINT_JS)
    out["transfer"] = transfer(list(log))
    return out


def measure(browser: Browser, base: str, pages: dict, runs: int, tmp: Path, log: list,
            timeout_s: float, progress) -> dict:
    """{page name: {"cold": [visit...], "warm": [...], "recompute": [ms...]}}

    Round-robin: run i of every page before run i+1 of any, so that a busy
    machine (another test suite, a build) slows every page alike and the
    ratios to the reference stay fair.
    """
    results = {name: {"cold": [], "warm": [], "recompute": [], "kind": kind, "path": path}
               for name, (path, kind) in pages.items()}
    for run in range(runs):
        for index, (name, (path, kind)) in enumerate(pages.items()):
            res = results[name]
            profile = tmp / "profiles" / f"{index}-{run}"
            ctx = browser.context(profile)
            try:
                page = ctx.pages[0] if ctx.pages else ctx.new_page()
                emulate(page)
                cold = visit(page, base + path, kind, log, timeout_s)
                warm = visit(page, base + path, kind, log, timeout_s)
                res["cold"].append(cold)
                res["warm"].append(warm)
                if run == 0 and kind == "boot":
                    code = "estimate" if "pkg=" in path or "snap=" in path or "boot=" in path else "1+1"
                    res["recompute"].append(page.evaluate(REF_RECOMPUTE_JS, [code, 50]))
                if run == 0 and kind == "rekenhulp" and cold.get("first") is not None:
                    res["recompute"].append(page.evaluate(RECOMPUTE_JS, [TYPICAL, 50]))
            finally:
                ctx.close()
                shutil.rmtree(profile, ignore_errors=True)
            progress(f"run {run + 1}/{runs} {name}: cold {fmt_ms(cold.get('first'))}, "
                     f"warm {fmt_ms(warm.get('first'))}")
    return results


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def stats(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def fmt_ms(value) -> str:
    if value is None:
        return "–"
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def fmt_stat(st, ratio_to=None) -> str:
    if not st:
        return "–"
    text = f"{fmt_ms(st['median'])} ({fmt_ms(st['min'])}–{fmt_ms(st['max'])})"
    if ratio_to:
        text += f" **{st['median'] / ratio_to['median']:.2f}×**"
    return text


def fmt_bytes(n) -> str:
    if n is None:
        return "–"
    if n >= 1e6:
        return f"{n / 1e6:.2f} MB"
    return f"{n / 1e3:.0f} kB"


def summarize(results: dict) -> dict:
    summary = {}
    for name, res in results.items():
        cold, warm = res["cold"], res["warm"]
        summary[name] = {
            "path": res["path"], "kind": res["kind"],
            "fcp": stats([c["paint"].get("first-contentful-paint") for c in cold]),
            "first_cold": stats([c.get("first") for c in cold]),
            "first_warm": stats([w.get("first") for w in warm]),
            "tbt": stats([(c.get("tbt") or {}).get("tbt") for c in cold]),
            "tbt_warm": stats([(w.get("tbt") or {}).get("tbt") for w in warm]),
            "longest": stats([(c.get("tbt") or {}).get("longest") for c in cold]),
            "cold_gzip": stats([(c.get("transfer") or {}).get("gzip") for c in cold]),
            "how": next((c.get("how") for c in cold if c.get("how")), None),
            "recompute": res["recompute"][0] if res["recompute"] else None,
            "cold_transfer": cold[0]["transfer"] if cold else None,
            "warm_transfer": warm[0]["transfer"] if warm else None,
            "snapshot": [(c.get("snapshot_used"), c.get("snapshot_error")) for c in cold][:1],
            "boot_paths": sorted({c.get("boot_path") for c in cold + warm if c.get("boot_path")}),
        }
    return summary


def prerendered(site: Path) -> str:
    """Does the built rekenhulp carry a build-time estimate (visible at first paint)?"""
    import re
    page = site / "rekenhulp" / "index.html"
    if not page.is_file():
        return "no rekenhulp page"
    html = page.read_text(encoding="utf-8")
    block = re.search(r'<div class="kmo-rh__output"[^>]*data-state="prerendered"[^>]*>(.*?)</div>\s*</div>',
                      html, re.S)
    if block:
        values = dict(re.findall(r'data-result="([^"]+)" data-value="([^"]*)"', block.group(1)))
        if "support" in values:
            return ("yes: the HTML holds the estimate for the example the form opens with "
                    f"(support {values['support']}, own share {values.get('own_share')}, "
                    f"rate {values.get('rate')}; data-state=prerendered), computed by kmo_portefeuille "
                    "at build time and drawn by the page's own view.js; the live result replaces it")
        return "no: the prerendered block has no support figure"
    for tag in re.findall(r"<[^>]*data-result=\"support\"[^>]*>", html):
        value = re.search(r'data-value="([^"]*)"', tag)
        if value:
            return f"yes: the HTML has [data-result=support] data-value={value.group(1)!r}"
    return "no: the built HTML has no [data-result=support] with a data-value"


def render(summary: dict, meta: dict) -> str:
    ref = summary["reference"]
    lines = [
        "# Benchmarks: rekenhulp start-up",
        "",
        f"Generated by `{meta['command']}` on {meta['date']}. Machine: {meta['machine']}. "
        f"Browser: {meta['browser']} (headless). Load average (1 min): {meta['load']}. "
        f"N = {meta['runs']} runs per page, round-robin "
        "(median, min–max); cold = fresh profile, warm = second visit in the same profile. "
        "Served from localhost by build.py's handler without compression: gzip/brotli "
        "columns are gzip -6 / brotli -11 of every body the page fetched. Ratios are to "
        "the bare reference measured in the same run (targets: first estimate ≤ 0.5× cold, "
        "≤ 0.35× warm; cold gzip transfer ≤ reference; recompute ≤ 5 ms; docs pages 0 "
        "bytes of Pyodide).",
        "",
        "| page | first paint (FCP) | first Python result, cold | warm | recompute (median of 50) "
        "| cold transfer raw / gzip / br | requests (Pyodide) | warm re-fetch raw |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, s in summary.items():
        ct, wt = s["cold_transfer"] or {}, s["warm_transfer"] or {}
        is_ref = name == "reference"
        recompute = "–" if s["recompute"] is None else f"{s['recompute']:.2f} ms"
        lines.append(
            f"| {name} | {fmt_stat(s['fcp'])} "
            f"| {fmt_stat(s['first_cold'], None if is_ref else ref['first_cold'])} "
            f"| {fmt_stat(s['first_warm'], None if is_ref else ref['first_warm'])} "
            f"| {recompute} "
            f"| {fmt_bytes(ct.get('raw'))} / {fmt_bytes(ct.get('gzip'))} / {fmt_bytes(ct.get('br'))} "
            f"| {ct.get('requests', '–')} ({ct.get('pyodide_requests', '–')}) "
            f"| {fmt_bytes(wt.get('raw'))} |")
    lines += ["", f"Default-form estimate at first paint (prerendered at build time): {meta['prerendered']}.",
              "", "Signals for \"first Python result\":", ""]
    for name, s in summary.items():
        if s["kind"] != "docs":
            how = s["how"] or "none found (no live result signal, no window.kmoPortefeuille)"
            extra = ""
            if s["snapshot"] and s["snapshot"][0][0] is not None and "snap" in s["path"]:
                used, err = s["snapshot"][0]
                extra = f"; snapshot used: {used}" + (f" ({err})" if err else "")
            if s.get("boot_paths"):
                extra += f"; boot path: {', '.join(s['boot_paths'])}"
            lines.append(f"- {name} (`{s['path']}`): {how}{extra}")
    lines += ["", "Download time of the cold transfer on a phone link (bytes / bandwidth; "
              "round trips and CPU come on top):", "",
              "| page | " + " | ".join(f"{k}, gzip" for k in LINKS) + " | "
              + " | ".join(f"{k}, br" for k in LINKS) + " |",
              "|---|" + "---|" * (2 * len(LINKS))]
    for name, s in summary.items():
        ct = s["cold_transfer"] or {}
        cells = [f"{ct.get('gzip', 0) * 8 / bw:.1f} s" for bw in LINKS.values()]
        cells += [f"{(ct.get('br') or 0) * 8 / bw:.1f} s" for bw in LINKS.values()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "<details><summary>Files fetched on a cold visit (raw / gzip / br)</summary>", ""]
    for name, s in summary.items():
        lines.append(f"**{name}**")
        lines.append("")
        for path, raw, gz, br in (s["cold_transfer"] or {}).get("files", []):
            lines.append(f"- `{path}` {fmt_bytes(raw)} / {fmt_bytes(gz)} / {fmt_bytes(br)}")
        lines.append("")
    lines += ["</details>", ""]
    return "\n".join(lines)


def write_report(body: str) -> None:
    notes = f"{NOTES_BEGIN}\n## Notes\n\n(hand-written notes go here)\n{NOTES_END}\n"
    if OUTPUT.is_file():
        old = OUTPUT.read_text(encoding="utf-8")
        if NOTES_BEGIN in old and NOTES_END in old:
            start = old.index(NOTES_BEGIN)
            notes = old[start:old.index(NOTES_END, start) + len(NOTES_END)] + "\n"
    OUTPUT.write_text(body + "\n" + notes, encoding="utf-8")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){mem}"


def lighthouse(base: str, pages: dict, out_dir: Path, progress) -> dict:
    """Lighthouse 12 (node_modules/.bin/lighthouse, mobile defaults: simulated slow 4G and 4x
    CPU) against the gzip server: {page: {"performance": score, "tbt": ms, ...} or error}."""
    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        return {"error": "node_modules/.bin/lighthouse missing (npm ci)"}
    chrome = os.environ.get("KMO_CHROMIUM") or DEBIAN_CHROMIUM
    results = {}
    for name, path in pages.items():
        report = out_dir / f"lh-{len(results)}.json"
        cmd = [str(binary), base + path, "--quiet", "--only-categories=performance",
               "--output=json", f"--output-path={report}", f"--chrome-path={chrome}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not report.is_file():
            results[name] = {"error": (done.stderr or done.stdout)[-300:]}
            continue
        data = json.loads(report.read_text())
        audits = data["audits"]
        results[name] = {
            "performance": round(data["categories"]["performance"]["score"] * 100),
            "fcp": audits["first-contentful-paint"]["numericValue"],
            "lcp": audits["largest-contentful-paint"]["numericValue"],
            "tbt": audits["total-blocking-time"]["numericValue"],
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "si": audits["speed-index"]["numericValue"],
        }
        progress(f"lighthouse {name}: {results[name]['performance']}")
    return results


def render_profiles(runs: list, meta: dict, lh: dict | None, snapshot: str) -> str:
    """runs: [(label, n, summary)]."""
    lines = [
        "# Benchmarks: rekenhulp start-up, as a visitor gets it",
        "",
        f"Generated by `{meta['command']}` on {meta['date']}. Machine: {meta['machine']}. "
        f"Browser: {meta['browser']} (headless). Load average (1 min): {meta['load']}. "
        "Served by tests/pages_server.py's handler, as GitHub Pages serves: gzip, "
        "`Cache-Control: max-age=600`, ETag. Link profiles emulated with CDP "
        "`Network.emulateNetworkConditions` (per page, dedicated workers included), the CPU "
        "slowdown with `Emulation.setCPUThrottlingRate`. Rounds are round-robin (reference, "
        "rekenhulp, docs pages, then the next round); median (min–max); cold = fresh profile, "
        "warm = second visit in the same profile (HTTP cache within max-age, the rekenhulp's "
        "memory snapshot stored). Ratios in bold are to the bare reference in the same profile "
        "of the same run. TBT = sum of (long task − 50 ms) on the main thread after FCP, from a "
        "PerformanceObserver('longtask'), until 1 s after the page went quiet.",
        "",
        "| profile | N | page | FCP | first Python result, cold | warm | cold transfer (gzip on the wire) | requests (Pyodide) | TBT cold / warm |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, n, summary in runs:
        ref = summary.get("reference")
        for name, s in summary.items():
            is_ref = name == "reference"
            ct = s["cold_transfer"] or {}
            tbt = "–" if s["kind"] == "boot" else (
                f"{fmt_ms(s['tbt']['median']) if s['tbt'] else '–'} / "
                f"{fmt_ms(s['tbt_warm']['median']) if s['tbt_warm'] else '–'}")
            lines.append(
                f"| {label} | {n} | {name} | {fmt_stat(s['fcp'])} "
                f"| {fmt_stat(s['first_cold'], None if is_ref or not ref else ref['first_cold'])} "
                f"| {fmt_stat(s['first_warm'], None if is_ref or not ref else ref['first_warm'])} "
                f"| {fmt_bytes(s['cold_gzip']['median'] if s['cold_gzip'] else None)} "
                f"| {ct.get('requests', '–')} ({ct.get('pyodide_requests', '–')}) | {tbt} |")
    lines += ["", f"Memory snapshot stored by the rekenhulp (Cache Storage): {snapshot}.", ""]
    if lh is not None:
        lines += ["Lighthouse 12.2.3 (npm, `lighthouse@12.2.3` in devDependencies), mobile defaults "
                  "(simulated slow 4G, 4× CPU), performance only, against the same gzip server:", ""]
        if "error" in lh:
            lines.append(f"not run: {lh['error']}")
        else:
            lines += ["| page | performance | FCP | LCP | TBT | CLS | Speed Index |",
                      "|---|---|---|---|---|---|---|"]
            for name, r in lh.items():
                if "error" in r:
                    lines.append(f"| {name} | error: {r['error'][:120]!r} | | | | | |")
                else:
                    lines.append(f"| {name} | **{r['performance']}** | {fmt_ms(r['fcp'])} | "
                                 f"{fmt_ms(r['lcp'])} | {fmt_ms(r['tbt'])} | {r['cls']:.3f} | {fmt_ms(r['si'])} |")
        lines.append("")
    if not runs:
        return "\n".join(lines)
    label, n, summary = runs[0]
    lines += [f"<details><summary>Files fetched on a cold visit ({label}; raw / gzip on the wire / br -11)</summary>", ""]
    for name, s in summary.items():
        lines += [f"**{name}**", ""]
        for path, raw, gz, br in (s["cold_transfer"] or {}).get("files", []):
            lines.append(f"- `{path}` {fmt_bytes(raw)} / {fmt_bytes(gz)} / {fmt_bytes(br)}")
        lines.append("")
    lines += ["</details>", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=7, help="rounds on localhost (default 7)")
    parser.add_argument("--link-runs", type=int, default=3,
                        help="rounds per link profile and for the CPU slowdown (default 3)")
    parser.add_argument("--profile", action="append", choices=list(PROFILES), default=[],
                        help="link profiles to measure (repeatable; default: all)")
    parser.add_argument("--cpu", type=float, default=4,
                        help="CPU slowdown for the extra localhost round that measures TBT "
                             "(default 4; 0 or 1: skip)")
    parser.add_argument("--lighthouse", action=argparse.BooleanOptionalAction, default=True,
                        help="run Lighthouse (mobile) on the start page, a docs page and the rekenhulp")
    parser.add_argument("--variants", action="store_true",
                        help="also boot the research prototypes (needs Node; slow the first time)")
    parser.add_argument("--lighthouse-only", action="store_true",
                        help="no timing rounds: only Lighthouse (implies --no-write)")
    parser.add_argument("--reports", type=Path, metavar="DIR",
                        help="keep Lighthouse's full JSON reports in DIR (their audits say what blocks)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="measure only pages whose name contains TEXT (repeatable; "
                             "the reference is always measured)")
    parser.add_argument("--timeout", type=float, default=180, help="seconds per page load")
    parser.add_argument("--no-snapshot-wait", action="store_true",
                        help="do not wait for the rekenhulp's memory snapshot (made after its first "
                             "result) before the next visit")
    args = parser.parse_args(argv)
    global WAIT_FOR_SNAPSHOT, PROFILE, CPU_RATE
    WAIT_FOR_SNAPSHOT = not args.no_snapshot_wait
    profiles = args.profile or list(PROFILES)

    info_file = SITE_DIR / site_build.BUILD_INFO_PATH
    if not info_file.is_file():
        print("site/ is not built: run ./dev build (or .venv/bin/python build.py)", file=sys.stderr)
        return 2
    info = json.loads(info_file.read_text(encoding="utf-8"))
    base_path = urlsplit(info.get("site_url") or "/").path or "/"
    from playwright.sync_api import sync_playwright

    progress = partial(print, file=sys.stderr, flush=True)
    load_before = f"{os.getloadavg()[0]:.1f}"
    runs, raw, lh = [], {}, None
    snapshot = "–"
    with tempfile.TemporaryDirectory(prefix="kmo-bench-") as tmpname:
        tmp = Path(tmpname)
        site, boot_pages = prepare_site(tmp, info, args.variants)
        pages = {name: (path, "boot") for name, path in boot_pages.items()}
        if (site / "rekenhulp" / "index.html").is_file():
            pages["rekenhulp"] = ("rekenhulp/", "rekenhulp")
        pages["docs: start page"] = ("", "docs")
        pages["docs: hoeveel-steun"] = ("hoeveel-steun/", "docs")
        if args.only:
            pages = {k: v for k, v in pages.items()
                     if k == "reference" or any(t in k for t in args.only)}
        server, log = start_server(site, base_path)
        base = site_build.server_url(server)
        plan = [(key, 1, args.runs if key == "localhost" else args.link_runs) for key in profiles]
        if args.cpu and args.cpu > 1:
            plan.append(("localhost", args.cpu, args.link_runs))
        if args.lighthouse_only:
            plan, args.lighthouse, args.no_write = [], True, True
        try:
            with sync_playwright() as p:
                browser = Browser(p, chromium_executable(p))
                ctx = browser.context(tmp / "profiles" / "version")
                agent = ctx.new_page().evaluate("navigator.userAgent")
                ctx.close()
                version = next((w for w in agent.split() if "Chrome/" in w), agent)
                for key, cpu, n in plan:
                    PROFILE, CPU_RATE = PROFILES[key], cpu
                    label = (PROFILE["label"] if PROFILE else "localhost") + (f", CPU {cpu:g}× slower" if cpu > 1 else "")
                    progress(f"== {label}, {n} rounds")
                    results = measure(browser, base, pages, n, tmp, log, args.timeout, progress)
                    runs.append((label, n, summarize(results)))
                    raw[label] = results
                    for res in results.values():
                        for c in res["cold"]:
                            snap = c.get("snapshot")
                            if isinstance(snap, dict) and snap.get("bytes"):
                                snapshot = (f"{snap['bytes']:,} bytes ({snap['state']}"
                                            + (f", made in {snap['ms']:.0f} ms" if snap.get("ms") else "") + ")")
                PROFILE, CPU_RATE = None, 1
            if args.lighthouse:
                lh_pages = {"docs: start page": "", "docs: hoeveel-steun": "hoeveel-steun/",
                            "rekenhulp": "rekenhulp/"}
                reports = args.reports or tmp
                reports.mkdir(parents=True, exist_ok=True)
                lh = lighthouse(base, lh_pages, reports, progress)
        finally:
            server.shutdown()
            server.server_close()
    meta = {
        "command": "benchmarks/run.py" + (" --variants" if args.variants else "")
                   + (f" -n {args.runs}" if args.runs != 7 else "")
                   + (f" --link-runs {args.link_runs}" if args.link_runs != 3 else "")
                   + "".join(f" --profile {p}" for p in args.profile)
                   + ("".join(f" --only {o!r}" for o in args.only)),
        "date": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine(),
        "browser": version.replace("Headless", ""),
        "load": f"{load_before} before, {os.getloadavg()[0]:.1f} after",
    }
    body = render_profiles(runs, meta, lh, snapshot)
    print(body)
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "results": raw, "lighthouse": lh},
                                        indent=1, default=str))
    if not args.no_write:
        write_report(body)
        print(f"\nwrote {OUTPUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
