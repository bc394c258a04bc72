"""Fixtures for the browser tests of the rekenhulp (pytest-playwright).

The served site, the browser's launch arguments, axe-core and ``case_data`` come from
``tests/conftest.py``. Pyodide takes a few seconds to boot in a fresh page, so
most tests share one page (``calc``): a "fresh" form comes from Material's
instant navigation (away and back), which keeps the worker; only the tests
that are about loading open the page again.

* ``calc_context``: one browser context for the session, 1280×900, Dutch,
  clipboard permissions, every request recorded and CSP violations collected.
* ``calc``: a ``Rekenhulp`` helper around the shared page.
* ``results_dir``: ``test-results/`` (screenshots, timings).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = ROOT / "test-results"

#: Collects CSP violations in every frame from the first script on (an init
#: script runs outside the page's CSP).
CSP_LISTENER = """
if (!window.__kmoCspViolations) {
  window.__kmoCspViolations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__kmoCspViolations.push({
      directive: event.violatedDirective, blocked: event.blockedURI,
      source: event.sourceFile, line: event.lineNumber, sample: event.sample,
    });
  });
}
"""


@pytest.fixture(scope="session")
def results_dir() -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR


@pytest.fixture(scope="session")
def timings(results_dir):
    """Measured times (seconds), written to test-results/rekenhulp-timings.json."""
    data: dict[str, float] = {}
    yield data
    if data:
        (results_dir / "rekenhulp-timings.json").write_text(json.dumps(data, indent=2) + "\n")


class Recorder:
    """Requests, console messages and page errors of one context."""

    def __init__(self):
        self.requests: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []

    def attach_page(self, page):
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.errors.append(str(error)))


@pytest.fixture(scope="session")
def new_site_context(browser, site_url):
    """Make a browser context for the served site (closed at the end of the session)."""
    contexts = []

    def make(**options):
        options = {"base_url": site_url, "viewport": {"width": 1280, "height": 900},
                   "locale": "nl-BE", "timezone_id": "Europe/Brussels", **options}
        context = browser.new_context(**options)
        context.recorder = Recorder()
        context.on("request", lambda request: context.recorder.requests.append(request.url))
        context.on("page", context.recorder.attach_page)
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context_without_runtime(new_site_context):
    """A context in which pyodide.asm.wasm never arrives (requests held, answered
    with an abort when the test ends): Python stays loading for as long as the test needs."""
    held = []

    def make():
        context = new_site_context()
        context.route("**/pyodide.asm.wasm", lambda route: held.append(route))  # never answered while the test runs
        return context

    yield make
    for route in held:
        try:
            route.abort()
        except Exception:  # the page is gone
            pass


@pytest.fixture(scope="session")
def calc_context(new_site_context):
    return new_site_context(permissions=["clipboard-read", "clipboard-write"])


class Rekenhulp:
    """The shared page with the rekenhulp, and what the tests do with it."""

    PATH = "rekenhulp/"

    def __init__(self, page, site_url: str):
        self.page = page
        self.site_url = site_url
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))

    # -- navigation ----------------------------------------------------------
    def open(self, query: str = "", ready: bool = True) -> float:
        """Full load of the page (a fresh Pyodide); seconds until the first result."""
        started = time.perf_counter()
        self.page.goto(self.PATH + query, wait_until="domcontentloaded")
        if ready:
            self.settled(timeout=35_000)
        return time.perf_counter() - started

    def on_page(self) -> bool:
        return self.page.url.startswith(self.site_url + self.PATH) and self.page.evaluate(
            "() => Boolean(window.kmoPortefeuille) && window.kmoPortefeuille.state.phase === 'ready'")

    def nav(self, title: str):
        """Follow a link of the site navigation (instant navigation) and wait for the page."""
        self.page.locator('.md-sidebar--primary a.md-nav__link:not([href*="#"])', has_text=title).first.click()
        self.page.locator(".md-sidebar--primary a.md-nav__link--active", has_text=title).first.wait_for()

    def fresh(self):
        """An empty form with today's dates, without booting Python again when possible.

        The form opens with an example; the page's own button empties it.
        """
        if not self.on_page():
            self.open()
        else:
            self.nav("Hoeveel steun?")
            self.nav("Rekenhulp")
            self.settled()
        self.clear()
        return self.page

    def clear(self):
        """Press "Begin met een leeg formulier" and wait for the answer to the empty form."""
        self.page.get_by_role("button", name="Begin met een leeg formulier").click()
        self.settled()

    def visit(self, query: str):
        """The page with a URL query, through instant navigation when Python is already up.

        Follows a link with that query from another page, as a link on the site
        would: the form fills from the URL and the worker stays.
        """
        if not self.on_page():
            self.open(query)
            return self.page
        self.nav("Hoeveel steun?")
        self.page.evaluate(
            """(href) => {
                 const link = Object.assign(document.createElement("a"), {href, id: "kmo-test-link"});
                 link.textContent = "Rekenhulp met gegevens";
                 document.querySelector("article").append(link);
               }""",
            self.site_url + self.PATH + query)
        self.page.locator("#kmo-test-link").click()
        self.page.get_by_role("heading", level=1, name="Rekenhulp").wait_for()
        self.settled()
        return self.page

    # -- waiting -------------------------------------------------------------
    def settled(self, timeout: float = 10_000):
        """Wait until the result area shows the answer to what the form holds now.

        The page may open with an estimate computed at build time
        (``data-state="prerendered"``, not Python in the browser): once Python
        is ready, wait for the live one (``data-state="live"``).
        """
        self.page.locator('#kmo-result[aria-busy="false"]').wait_for(timeout=timeout)
        if self.page.evaluate("() => window.kmoPortefeuille?.state.phase === 'ready'"):
            self.page.locator('#kmo-result [data-kmo="output"][data-state="live"]').wait_for(
                state="attached", timeout=timeout)

    # -- reading -------------------------------------------------------------
    def result(self, key: str):
        return self.page.locator(f'[data-result="{key}"]')

    def value(self, key: str) -> str:
        return self.result(key).get_attribute("data-value")

    def text(self, key: str) -> str:
        return self.result(key).inner_text()

    def fill_small_training(self):
        """A person fills in a small enterprise's € 2.000 training: 30 % gives € 600."""
        from playwright.sync_api import expect

        self.field("Werknemers, in voltijdse equivalenten (VTE)").fill("12")
        self.field("Jaaromzet in euro").fill("1.500.000")
        self.page.get_by_label("Thema").select_option("professional_skills")
        self.field("Prijs zonder btw, in euro").fill("2000")
        self.settled()
        expect(self.result("support")).to_have_text("€\u00a0600,00")

    def field(self, label: str):
        return self.page.get_by_label(label, exact=True)

    def csp_violations(self) -> list:
        return self.page.evaluate("() => window.__kmoCspViolations || []")

    def workers(self) -> list[str]:
        """The page's rekenhulp workers, once the short-lived snapshot maker (a
        second worker.js, engine.js) has finished and gone."""
        def running():
            return [worker.url for worker in self.page.workers if worker.url.endswith("/rekenhulp/worker.js")]

        if not self.page.evaluate("() => Boolean(window.kmoPortefeuille?.snapshot?.done)"):
            return running()
        self.page.evaluate("() => window.kmoPortefeuille.snapshot.done")
        for _ in range(50):  # the maker closes itself once it has answered
            if len(running()) <= 1:
                break
            self.page.wait_for_timeout(100)
        return running()


@pytest.fixture(scope="session")
def make_calc(site_url):
    """Rekenhulp helper for a new page of the given context."""

    def make(context) -> Rekenhulp:
        page = context.new_page()
        page.set_default_timeout(15_000)
        return Rekenhulp(page, site_url)

    return make


@pytest.fixture(scope="session")
def calc(calc_context, make_calc) -> Rekenhulp:
    return make_calc(calc_context)
