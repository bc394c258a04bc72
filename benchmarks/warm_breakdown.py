#!/usr/bin/env python3
"""Where does the rekenhulp's start-up time go, visit after visit? (a diagnostic, not a test)

    .venv/bin/python benchmarks/warm_breakdown.py [-n 3] [--visits 3] [--sw allow|block|both]

Serves a copy of the built site/ as benchmarks/run.py does (build.py's
handler, no compression) and opens the rekenhulp ``--visits`` times in one
fresh persistent profile per run (visit 1 = cold, 2 = warm, 3 = the next
one), with the service worker allowed or blocked (``--sw``). The bare
reference page (``__bench__/boot/``) is measured in the same way, in its own
profile, so that every figure can be read as a ratio.

For each visit it prints, in ms since navigation start, the medians of:
the worker created by the page, the worker's first line, pyodide.mjs
imported (step2), loadPyodide resolved (step3), the package imported
(ready), the first result (``performance.mark("kmo-first-result")``), when
the wasm / stdlib / asm.mjs had arrived in the worker (resource timing) and
whether a service worker answered them; and whether the page was controlled.
``--json FILE`` keeps every visit.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("kmo_bench_run", HERE / "run.py")
run = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = run
spec.loader.exec_module(run)

COLUMNS = ["workerCreated", "workerStart", "imported", "snapshotFound", "step2", "snapshotRead", "step3", "ready", "first",
           "got:pyodide.asm.mjs", "got:python_stdlib.zip", "got:pyodide.asm.wasm"]

VISIT_JS = """async () => {
  for (let i = 0; i < 400 && !window.kmoPortefeuille; i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  const api = window.kmoPortefeuille;
  if (api) { try { await api.ready; } catch (e) {} }
  for (let i = 0; i < 100 && !performance.getEntriesByName("kmo-first-result").length; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const mark = performance.getEntriesByName("kmo-first-result")[0];
  const snapshot = api && api.snapshot;
  const snapshotState = snapshot && snapshot.done
    ? await Promise.race([snapshot.done, new Promise((r) => setTimeout(() => r("timeout"), 30000))]) : null;
  return {
    snapshot: snapshotState, snapshotMs: snapshot && snapshot.ms,
    first: mark ? mark.startTime : null,
    timings: api && api.bootTimings,
    boot: api && api.versions && api.versions.boot,
    controlled: Boolean(navigator.serviceWorker && navigator.serviceWorker.controller),
  };
}"""


def context(playwright, executable, profile: Path, sw: str):
    kwargs = {"headless": True, "args": run.CHROMIUM_FLAGS, "viewport": {"width": 412, "height": 915},
              "service_workers": sw}
    if executable:
        kwargs["executable_path"] = executable
    return playwright.chromium.launch_persistent_context(str(profile), **kwargs)


def visit(page, url: str, log: list, rekenhulp: bool) -> dict:
    del log[:]
    page.goto("about:blank")
    page.goto(url, wait_until="commit")
    if rekenhulp:
        out = page.evaluate(VISIT_JS)
        timings = out.pop("timings") or {}
        out.update(timings)
    else:
        page.wait_for_function("window.__bench && window.__bench.done", timeout=90_000)
        bench = page.evaluate("window.__bench")
        out = {"first": bench["first"]}
    run.settle(log)
    out["server_bytes"] = sum(entry["bytes"] for entry in log)
    return out


def median(values):
    values = [v for v in values if isinstance(v, (int, float))]
    return round(statistics.median(values)) if values else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=3)
    parser.add_argument("--visits", type=int, default=3)
    parser.add_argument("--sw", choices=["allow", "block", "both"], default="both")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    info = json.loads((run.SITE_DIR / run.site_build.BUILD_INFO_PATH).read_text(encoding="utf-8"))
    base_path = urlsplit(info.get("site_url") or "/").path or "/"
    modes = ["allow", "block"] if args.sw == "both" else [args.sw]
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()[0]
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="kmo-warm-") as tmpname:
        tmp = Path(tmpname)
        site, _ = run.prepare_site(tmp, info, False)
        server, log = run.start_server(site, base_path)
        base = run.site_build.server_url(server)
        try:
            with sync_playwright() as p:
                executable = run.chromium_executable(p)
                for index in range(args.runs):
                    for mode in modes:
                        for name, path in (("reference", "__bench__/boot/"), ("rekenhulp", "rekenhulp/")):
                            ctx = context(p, executable, tmp / f"profile-{index}-{mode}-{name}", mode)
                            try:
                                page = ctx.new_page()
                                for number in range(1, args.visits + 1):
                                    out = visit(page, base + path, log, name == "rekenhulp")
                                    results.setdefault((mode, name, number), []).append(out)
                                    print(f"run {index + 1} sw={mode} {name} visit {number}: "
                                          f"first {out.get('first') and round(out['first'])} ms, "
                                          f"server {out['server_bytes'] / 1e6:.2f} MB"
                                          + (f", controlled {out.get('controlled')}, snapshot {out.get('snapshot')}"
                                             f" {out.get('snapshotMs')}" if name == "rekenhulp" else ""),
                                          file=sys.stderr, flush=True)
                                    time.sleep(0.5)
                            finally:
                                ctx.close()
        finally:
            server.shutdown()
            server.server_close()

    print(f"load average (1 min): {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; N = {args.runs}")
    shown = [c for c in COLUMNS if c != "first"]
    print("| sw | visit | ref first | rekenhulp first | ratio | " + " | ".join(shown) +
          " | wasm/stdlib via sw | controlled |")
    print("|" + "---|" * (len(shown) + 7))
    for mode in modes:
        for number in range(1, args.visits + 1):
            ref = median([v["first"] for v in results[(mode, "reference", number)]])
            visits = results[(mode, "rekenhulp", number)]
            cells = [median([v.get(c) for v in visits]) for c in COLUMNS]
            first = cells[COLUMNS.index("first")]
            ratio = f"{first / ref:.2f}×" if ref and first else "–"
            via_sw = sum(1 for v in visits if "sw:pyodide.asm.wasm" in v) , sum(
                1 for v in visits if "sw:python_stdlib.zip" in v)
            controlled = sum(1 for v in visits if v.get("controlled"))
            print(f"| {mode} | {number} | {ref} | {first} | {ratio} | "
                  + " | ".join(str(c) for c, name in zip(cells, COLUMNS) if name != "first")
                  + f" | {via_sw[0]}/{via_sw[1]} of {len(visits)} | {controlled}/{len(visits)} |")
    if args.json:
        args.json.write_text(json.dumps({f"{m}/{n}/{v}": r for (m, n, v), r in results.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
