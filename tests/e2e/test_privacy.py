"""Privacy and security: the rekenhulp's Content-Security-Policy, same-origin
requests only, and nothing typed kept or sent anywhere."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

NBSP = "\u00a0"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)


@pytest.fixture(scope="module")
def rekenhulp_html(built_site) -> str:
    return (built_site / "rekenhulp" / "index.html").read_text(encoding="utf-8")


def policy_of(html: str) -> dict[str, list[str]]:
    metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert len(metas) == 1, metas
    policy = {}
    for directive in metas[0].replace("&#39;", "'").split(";"):
        name, *sources = directive.split()
        policy[name] = sources
    return policy


def test_the_policy_allows_wasm_but_not_eval_or_inline_scripts(rekenhulp_html):
    policy = policy_of(rekenhulp_html)
    scripts = policy["script-src"]
    assert "'wasm-unsafe-eval'" in scripts
    assert "'unsafe-eval'" not in scripts and "'unsafe-inline'" not in scripts
    assert policy["default-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["worker-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    for name, sources in policy.items():
        for source in sources:
            assert source.startswith("'") or source == "data:" and name == "img-src", (name, source)


def test_every_inline_script_of_the_page_is_allowed_by_its_hash(rekenhulp_html):
    """Material's own inline scripts run under the policy by hash (not 'unsafe-inline')."""
    allowed = {s for s in policy_of(rekenhulp_html)["script-src"] if s.startswith("'sha256-")}
    inline = [body for attrs, body in INLINE_SCRIPT.findall(rekenhulp_html) if "application/json" not in attrs]
    assert inline, "Material emits inline scripts"
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
              for body in inline}
    missing = hashes - allowed
    assert not missing, f"inline scripts without a hash in the CSP of overrides/rekenhulp.html: {missing}"
    assert allowed == hashes, f"hashes in the CSP that no script needs: {allowed - hashes}"


def same_origin(url: str, origin: str) -> bool:
    return url.startswith(origin + "/") or url.split(":", 1)[0] in ("data", "blob")


def test_a_typing_session_sends_nothing_stores_nothing_and_violates_no_csp(calc, calc_context, site_url):
    page = calc.fresh()
    # The memory snapshot for the next visit (a second worker loads the runtime
    # once, after the first result) is not part of typing: let it finish first.
    page.evaluate("window.kmoPortefeuille.snapshot.done")
    recorder = calc_context.recorder
    before = len(recorder.requests)
    for label, value in [("Werknemers, in voltijdse equivalenten (VTE)", "17"),
                         ("Jaaromzet in euro", "4.321.987"), ("Prijs zonder btw, in euro", "2.345,67")]:
        field = calc.field(label)
        field.click()
        page.keyboard.type(value, delay=15)
    page.get_by_label("Thema").select_option("digitalisation")
    page.get_by_role("button", name="Partner- of verbonden onderneming toevoegen").click()
    row = page.get_by_role("group", name="Onderneming 1", exact=True)
    row.get_by_label("Aandeel in procent").fill("25")
    row.get_by_label("VTE").fill("4")
    row.get_by_label("Jaaromzet in euro").fill("300.000")
    page.locator("details.kmo-rh__steps summary").click()
    calc.settled()
    expect(calc.result("eligible")).to_be_visible()
    page.get_by_role("button", name="Kopieer link").click()
    # Typing, computing and copying asked nothing of any server (the browser's
    # own late request for the favicon aside).
    assert [url for url in recorder.requests[before:] if not url.endswith("/favicon.png")] == []

    # Nothing typed is kept in the browser's storage.
    stored = page.evaluate(
        """async () => ({
             local: JSON.stringify({...localStorage}),
             session: JSON.stringify({...sessionStorage}),
             cookie: document.cookie,
             databases: (await indexedDB.databases()).map((db) => db.name),
             caches: await caches.keys(),
             cachedUrls: (await Promise.all((await caches.keys()).map(
               async (name) => (await (await caches.open(name)).keys()).map((r) => r.url)))).flat(),
             serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length,
           })""")
    for typed in ("4321987", "4.321.987", "2345", "17"):
        assert typed not in stored["local"] and typed not in stored["session"], stored
    assert stored["cookie"] == "" and stored["databases"] == []
    # Only the service worker's caches (tests/e2e/test_offline.py): files of the
    # site, pages under their address without the query that holds the form.
    assert all(name.startswith("kmo:") for name in stored["caches"]), stored["caches"]
    assert not [url for url in stored["cachedUrls"] if "?" in url], stored["cachedUrls"]
    assert stored["serviceWorkers"] <= 1

    # Under the rekenhulp's policy, every other page works without a violation
    # (instant navigation keeps the document, and so the policy).
    for title in ["Start", "Wie komt in aanmerking?", "Hoeveel steun?", "Opleiding en advies",
                  "Aanvragen en betalen", "Rekenhulp"]:
        if page.locator('.md-sidebar--primary a.md-nav__link:not([href*="#"])', has_text=title).count():
            calc.nav(title)
    calc.settled()
    assert calc.csp_violations() == []
    assert not [line for line in recorder.console if "Content Security Policy" in line]
    assert not recorder.errors

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    foreign = [url for url in recorder.requests if not same_origin(url, origin)]
    assert recorder.requests and not foreign, foreign


def test_the_policy_is_in_force(calc):
    """The listener sees violations, eval is refused and WebAssembly compiles."""
    page = calc.page if calc.on_page() else calc.fresh()
    result = page.evaluate(
        """async () => {
             const before = window.__kmoCspViolations.length;
             const script = document.createElement("script");
             script.textContent = "window.__kmoInlineRan = true";
             document.body.append(script);
             // A string timer is eval: refused (evaluate() itself runs outside the policy).
             setTimeout("window.__kmoEvalRan = true", 0);
             // The smallest WebAssembly module: magic number and version.
             const module = await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
             await new Promise((resolve) => setTimeout(resolve, 50));
             script.remove();
             return {inline: window.__kmoInlineRan === true, eval: window.__kmoEvalRan === true,
                     wasm: module instanceof WebAssembly.Module,
                     violations: window.__kmoCspViolations.slice(before).map((v) => `${v.directive} ${v.blocked}`)};
           }""")
    assert result["inline"] is False
    assert result["eval"] is False
    assert result["wasm"] is True
    assert set(result["violations"]) == {"script-src eval", "script-src-elem inline"}, result["violations"]
    page.evaluate("() => { window.__kmoCspViolations.length = 0; }")
