#!/usr/bin/env python3
"""Check benchmarks/proposed-sw.js end to end: offline after one visit.

    .venv/bin/python benchmarks/check_sw.py [--page rekenhulp/ | --page bench]

In a temporary copy of site/ (sw.js placed at the site root, with the build
info filled in as build.py would), with a fresh persistent Chromium profile:

1. start page: registers the service worker; the server log must show no
   request under assets/pyodide/ or assets/kmo/<version>/ (0 bytes of Pyodide);
2. the rekenhulp (or, with --page bench, the benchmark boot page in the
   worker configuration of today's rekenhulp): waits for Python, posts
   {type: "kmo-cache-runtime"} to the service worker and waits for its answer;
   counts the bytes the server sent twice (should be 0: the runtime comes
   from the HTTP cache);
3. stops the HTTP server AND sets the context offline (set_offline alone does
   not cover requests a service worker makes itself), then loads the rekenhulp
   again and waits for a Python result, loads the start page, and a page never
   visited (expects the offline notice).

This is how a Playwright test of the integrated service worker can look; it
is a script so that it runs before the integration.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("kmo_bench_run", HERE / "run.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

SW_REGISTER_JS = """async () => {
  const root = new URL(document.querySelector("#__config") ? JSON.parse(document.querySelector("#__config").textContent).base + "/" : "./", location.href);
  const reg = await navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.href, updateViaCache: "none" });
  await navigator.serviceWorker.ready;
  return reg.scope;
}"""

CACHE_RUNTIME_JS = """() => new Promise((resolve, reject) => {
  const sw = navigator.serviceWorker.controller || null;
  navigator.serviceWorker.ready.then((reg) => {
    const target = sw || reg.active;
    navigator.serviceWorker.addEventListener("message", (e) => {
      if (e.data && e.data.type === "kmo-runtime-cached") resolve(e.data);
    });
    target.postMessage({ type: "kmo-cache-runtime" });
    setTimeout(() => reject(new Error("no answer from the service worker")), 60000);
  });
})"""

PYTHON_RESULT_JS = """async (request) => {
  if (window.__bench !== undefined) {
    while (!window.__bench || !window.__bench.done) await new Promise((r) => setTimeout(r, 20));
    if (window.__bench.failed) throw new Error(window.__bench.failed);
    return { t: window.__bench.first, value: window.__bench.value };
  }
  await window.kmoPortefeuille.ready;
  const r = await window.kmoPortefeuille.estimate(request);
  return { t: performance.now(), value: r.support };
}"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", default="auto",
                        help="rekenhulp/ (the real page), bench (benchmark boot page), or auto")
    args = parser.parse_args(argv)
    info_file = bench.SITE_DIR / bench.site_build.BUILD_INFO_PATH
    info = json.loads(info_file.read_text(encoding="utf-8"))
    from playwright.sync_api import sync_playwright

    checks: list[tuple[str, bool, str]] = []

    def check(name, ok, detail=""):
        checks.append((name, bool(ok), detail))
        print(f"{'ok  ' if ok else 'FAIL'} {name} {detail}", flush=True)

    with tempfile.TemporaryDirectory(prefix="kmo-sw-") as tmpname:
        tmp = Path(tmpname)
        site, _ = bench.prepare_site(tmp, info, variants=False)
        sw = (HERE / "proposed-sw.js").read_text(encoding="utf-8")
        sw = sw.replace("const BUILD = null;", f"const BUILD = {json.dumps(info)};", 1)
        (site / "sw.js").write_text(sw, encoding="utf-8")
        server, log = bench.start_server(site, "/")
        base = bench.site_build.server_url(server)
        page_path = args.page
        with sync_playwright() as p:
            browser = bench.Browser(p, bench.chromium_executable(p))
            ctx = browser.playwright.chromium.launch_persistent_context(
                str(tmp / "profile"), headless=True, args=bench.CHROMIUM_FLAGS,
                executable_path=browser.executable, bypass_csp=True, service_workers="allow")
            page = ctx.new_page()
            try:
                # 1. docs page registers the worker: no Pyodide bytes
                del log[:]
                page.goto(base)
                scope = page.evaluate(SW_REGISTER_JS)
                bench.settle(log)
                pyodide_hits = [e["path"] for e in log if "/assets/pyodide/" in e["path"]
                                or (e["path"].startswith("/assets/kmo/") and e["path"].count("/") > 3)]
                check("start page + service worker fetch 0 bytes of Pyodide", not pyodide_hits,
                      f"(scope {scope}; {len(log)} requests)")

                # 2. the rekenhulp, first visit
                if page_path == "auto":
                    page.goto(base + "rekenhulp/")
                    try:
                        page.wait_for_function("!!window.kmoPortefeuille", timeout=5000)
                        page_path = "rekenhulp/"
                    except Exception:
                        page_path = "bench"
                url = base + ("__bench__/boot/?pkg=1" if page_path == "bench" else page_path)
                del log[:]
                page.goto(url)
                first = page.evaluate(PYTHON_RESULT_JS, bench.TYPICAL)
                bench.settle(log)
                fetched = {e["path"]: e["bytes"] for e in log if e["bytes"]}
                del log[:]
                answer = page.evaluate(CACHE_RUNTIME_JS)
                bench.settle(log)
                refetched = sum(e["bytes"] for e in log)
                check("first visit computes", first.get("value") is not None,
                      f"({url}: {first['value']} after {first['t']:.0f} ms, "
                      f"{sum(fetched.values()) / 1e6:.1f} MB raw)")
                check("runtime stored without a second download", refetched == 0,
                      f"(stored {answer.get('stored')} files; server sent {refetched} bytes meanwhile)")
                names = page.evaluate("caches.keys()")
                check("cache names carry the versions", any(info["pyodide_version"] in n for n in names)
                      and any(info["wheel_sha256"][:8] in n for n in names), f"{names}")

                # 3. offline
                server.shutdown()
                server.server_close()
                ctx.set_offline(True)
                start = time.monotonic()
                page.goto(url)
                again = page.evaluate(PYTHON_RESULT_JS, bench.TYPICAL)
                check("offline: the rekenhulp computes", again.get("value") == first.get("value"),
                      f"({again['value']} after {again['t']:.0f} ms; wall {time.monotonic() - start:.1f} s)")
                page.goto(base)
                title = page.title()
                check("offline: the start page shows", bool(title) and "Offline" not in title, f"({title!r})")
                response = page.goto(base + "disclaimer/")
                check("offline: a page never visited gets the offline notice",
                      response is not None and response.status == 503, f"(status {response and response.status})")
            finally:
                ctx.close()
    failed = [c for c in checks if not c[1]]
    print(f"{len(checks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
