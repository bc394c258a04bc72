"""A rule update deployed between two visits, on a host like GitHub Pages
(every file ``Cache-Control: max-age=600``, tests/pages_server.py).

Two builds of the site for the same address: "v1" from calculator/ as it is,
"v2" from a copy whose parameters.toml gives a small enterprise 33 % instead
of 30 % (as tests/site/test_hook.py changes a copy). The form opens with a
small enterprise's € 2.000 training: € 600 under v1, € 660 under v2. One
persistent browser profile goes through it in order:

1. v1 online: the rekenhulp (first page ever), a docs page; a second tab
   with the rekenhulp stays open.
2. v2 deployed. The first online visit computes with the new rules, although
   the HTTP cache holds v1's pages for ten more minutes.
3. Offline after that one visit: the rekenhulp works with the new rules, and
   a docs page shows the same rules.
4. The tab left open across the update follows an instant navigation to the
   rekenhulp: it restarts its worker and computes with the new rules.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
SUBPATH = "/kmo-update/"
NBSP = "\u00a0"
OLD_RATE = '{ from = 2019-12-01, value = "0.30", source = "bofisc-2019" },'
NEW_RATE = OLD_RATE.replace('"0.30"', '"0.33"')
V1_SUPPORT = f"€{NBSP}600,00"
V2_SUPPORT = f"€{NBSP}660,00"
SUPPORT = '[data-result="support"]'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_id(site: Path) -> str:
    """The build a site's pages say they are (<meta name="kmo-build">)."""
    found = re.search(r'<meta name="kmo-build" content="([^"]+)"', (site / "index.html").read_text("utf-8"))
    if found:
        return found.group(1)
    info = json.loads((site / "assets" / "kmo" / "build-info.json").read_text("utf-8"))
    return "no meta: " + info["kmo_dir"]  # a build without it (the code before this test)


@pytest.fixture(scope="module")
def builds(site_build, tmp_path_factory):
    """v1 and v2 of the site, built for the same address; {"url", "v1", "v2", "id1", "id2"}."""
    import os

    root = tmp_path_factory.mktemp("update")
    port = free_port()
    url = f"http://127.0.0.1:{port}{SUBPATH}"
    # The stdlib subset does not change between the two: its cache, not Node again.
    for name in ("dist1", "dist2"):
        if (ROOT / "dist" / "stdlib").is_dir():
            shutil.copytree(ROOT / "dist" / "stdlib", root / name / "stdlib")
    site_build.build(root / "v1", site_url=url, dist_dir=root / "dist1", log=lambda *_: None)

    calculator = root / "calculator"
    shutil.copytree(ROOT / "calculator", calculator,
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "tests", "benchmarks"))
    params = calculator / "src" / "kmo_portefeuille" / "data" / "parameters.toml"
    text = params.read_text(encoding="utf-8")
    assert text.count(OLD_RATE) == 1
    params.write_text(text.replace(OLD_RATE, NEW_RATE), encoding="utf-8")
    saved = site_build.CALCULATOR, os.environ.get("PYTHONPATH")
    site_build.CALCULATOR = calculator  # the wheel from the copy
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(calculator / "src"), saved[1]]))  # and MkDocs' hooks
    try:
        site_build.build(root / "v2", site_url=url, dist_dir=root / "dist2", log=lambda *_: None)
    finally:
        site_build.CALCULATOR = saved[0]
        if saved[1] is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved[1]
    v1, v2 = root / "v1", root / "v2"
    page = (v2 / "hoeveel-steun" / "index.html").read_text("utf-8")
    assert f"33{NBSP}%" in page or "33 %" in page, "v2 shows the new rate"
    assert build_id(v1) != build_id(v2)
    return {"url": url, "port": port, "v1": v1, "v2": v2, "id1": build_id(v1), "id2": build_id(v2)}


class Server:
    """One address, the directory of the deployed version behind it; stop() for offline."""

    def __init__(self, site_build, pages_server, port: int):
        self.site_build, self.pages_server, self.port = site_build, pages_server, port
        self.directory = None
        self.server = None

    def start(self, directory: Path | None = None):
        self.directory = directory or self.directory
        self.server = self.pages_server.start_pages_server(
            self.site_build, self.directory, port=self.port, base_path=SUBPATH)

    def stop(self):
        if self.server:
            self.server.stop()
            self.server = None

    def deploy(self, directory: Path):
        self.stop()
        self.start(directory)


@pytest.fixture(scope="module")
def server(site_build, pages_server, builds):
    server = Server(site_build, pages_server, builds["port"])
    server.start(builds["v1"])
    yield server
    server.stop()


@pytest.fixture(scope="module")
def profile(browser_type, browser_type_launch_args, builds, server, tmp_path_factory):
    """One persistent profile (HTTP cache, service worker, Cache Storage) for the whole story."""
    context = browser_type.launch_persistent_context(
        str(tmp_path_factory.mktemp("profile")), **browser_type_launch_args, base_url=builds["url"],
        service_workers="allow", viewport={"width": 1280, "height": 900}, locale="nl-BE",
        timezone_id="Europe/Brussels")
    context.errors = []
    context.console = []

    def attach(page):
        page.on("pageerror", lambda error: context.errors.append(str(error)))
        page.on("console", lambda message: context.console.append(message.text))
        page.on("worker", lambda worker: worker.on("console", lambda message: context.console.append(message.text))
                if hasattr(worker, "on") else None)

    context.on("page", attach)
    for page in context.pages:
        attach(page)
    yield context
    context.close()


@contextmanager
def offline(context, server):
    server.stop()
    page = context.pages[0]
    context.new_cdp_session(page).send("Network.clearBrowserCache")  # only the service worker's copies
    context.set_offline(True)
    try:
        yield
    finally:
        context.set_offline(False)
        server.start()


def live(page, timeout=45_000):
    page.locator('#kmo-result[aria-busy="false"]').wait_for(timeout=timeout)
    page.locator('#kmo-result [data-kmo="output"][data-state="live"]').wait_for(state="attached", timeout=timeout)


def page_build(page) -> str:
    return page.evaluate("() => document.querySelector('meta[name=\"kmo-build\"]')?.content"
                         " || 'no meta: ' + JSON.parse(document.getElementById('kmo-build-info')?.textContent"
                         " || '{}').kmo_dir")


def wait_for_cached(page, what: str, timeout: float = 30_000):
    page.wait_for_function(
        "(what) => (window.kmoServiceWorker?.cached || []).some((answer) => answer.what === what)",
        arg=what, timeout=timeout)


def our_caches(page) -> set[str]:
    return {name for name in page.evaluate("caches.keys()") if name.startswith(f"kmo:{SUBPATH}:")}


@pytest.fixture(scope="module")
def story(profile, server, builds):
    """Step 1: v1 online, in the order a visitor would go."""
    page = profile.pages[0] if profile.pages else profile.new_page()
    page.set_default_timeout(15_000)
    page.goto("rekenhulp/")
    live(page)
    expect(page.locator(SUPPORT)).to_have_text(V1_SUPPORT)
    wait_for_cached(page, "page")
    wait_for_cached(page, "runtime")
    assert page.evaluate("window.kmoPortefeuille.snapshot.done") == "stored"
    docs = profile.new_page()
    docs.goto("hoeveel-steun/")
    expect(docs.get_by_text(f"een kleine onderneming krijgt 30{NBSP}%").first).to_be_visible()
    tab = profile.new_page()  # controlled, with a running v1 worker: left open across the update
    tab.goto("rekenhulp/")
    live(tab)
    expect(tab.locator(SUPPORT)).to_have_text(V1_SUPPORT)
    v1_caches = our_caches(page)
    assert any(builds["id1"] in name for name in v1_caches), v1_caches
    return {"page": page, "docs": docs, "tab": tab, "v1_caches": v1_caches}


def test_the_first_online_visit_after_an_update_computes_with_the_new_rules(story, server, builds, profile):
    page = story["page"]
    server.deploy(builds["v2"])
    started = time.perf_counter()
    page.goto("rekenhulp/")
    live(page)
    assert page_build(page) == builds["id2"]
    expect(page.locator(SUPPORT)).to_have_text(V2_SUPPORT)
    assert page.evaluate("window.kmoPortefeuille.build") == builds["id2"]
    # The new service worker takes over once its copies are complete, and only then
    # are the old version's caches deleted.
    deadline = time.monotonic() + 40
    while True:
        names = our_caches(page)
        old_package = builds["id1"].split("_")[1]
        if f"kmo:{SUBPATH}:pages-{builds['id2']}" in names and not [n for n in names if old_package in n]:
            break
        assert time.monotonic() < deadline, names
        page.wait_for_timeout(250)
    assert time.perf_counter() - started < 60


def test_offline_after_that_one_visit_the_rekenhulp_and_the_docs_have_the_new_rules(story, server, profile,
                                                                                    builds):
    page, docs = story["page"], story["docs"]
    with offline(profile, server):
        page.reload()
        live(page)
        assert page_build(page) == builds["id2"]
        expect(page.locator(SUPPORT)).to_have_text(V2_SUPPORT)
        assert page.evaluate("window.kmoPortefeuille.versions.source") in ("service-worker", "mixed")
        docs.reload()
        assert page_build(docs) == builds["id2"]  # the docs page and the rekenhulp: one version
        expect(docs.get_by_text(f"een kleine onderneming krijgt 33{NBSP}%").first).to_be_visible()
        assert not docs.get_by_text(f"een kleine onderneming krijgt 30{NBSP}%").count()
    assert not profile.errors, profile.errors
    assert not [m for m in profile.console if "Uncaught" in m or "HTTP 404" in m], profile.console


def test_a_tab_open_across_the_update_restarts_its_worker_on_the_new_page(story, builds, profile):
    tab = story["tab"]
    assert tab.evaluate("window.kmoPortefeuille.build") == builds["id1"]
    tab.evaluate("() => { window.__kmoSameDocument = true; }")
    tab.locator('.md-sidebar--primary a.md-nav__link:not([href*="#"])', has_text="Hoeveel steun?").first.click()
    expect(tab.get_by_role("heading", level=1)).to_contain_text("Hoeveel steun?")
    tab.locator('.md-sidebar--primary a.md-nav__link:not([href*="#"])', has_text="Rekenhulp").first.click()
    tab.get_by_role("heading", level=1, name="Rekenhulp").wait_for()
    assert tab.evaluate("() => window.__kmoSameDocument") is True  # instant navigation, not a new load
    assert page_build(tab) == builds["id2"]
    live(tab)
    expect(tab.locator(SUPPORT)).to_have_text(V2_SUPPORT)
    state = tab.evaluate("() => ({build: window.kmoPortefeuille.build, restarted: window.kmoPortefeuille.state.restarted,"
                         " workers: window.kmoPortefeuille.workersStarted})")
    assert state == {"build": builds["id2"], "restarted": "build", "workers": 2}, state
    assert not profile.errors, profile.errors
