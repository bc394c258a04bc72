"""How the rekenhulp starts: the fast boot path (stdlib subset, wheel fetched
in parallel, build-info from the page), the fallback to the classic path, and
the estimate computed at build time that shows until Python is ready."""

from __future__ import annotations

import json

import kmo_portefeuille
from playwright.sync_api import expect


def boot_state(page) -> dict:
    return page.evaluate(
        """async () => {
             const api = window.kmoPortefeuille;
             await api.ready;
             return {boot: api.state.boot, versions: api.versions, urls: api.runtimeUrls};
           }""")


def test_the_fast_path_boots_without_fetching_build_info(new_site_context, make_calc, site_url, build_info):
    context = new_site_context()
    calc = make_calc(context)
    calc.open()
    state = boot_state(calc.page)
    assert state["boot"] == "fast" and state["versions"]["boot"] == "fast"
    assert state["versions"]["package"] == build_info["package_version"]
    requested = context.recorder.requests
    stdlib = site_url + build_info["stdlib_path"]
    assert stdlib in requested
    assert site_url + build_info["runtime_dir"] + "python_stdlib.zip" not in requested
    assert site_url + build_info["runtime_dir"] + "pyodide-lock.json" not in requested
    # build-info came inline with the page: no round trip before the runtime.
    assert site_url + build_info["build_info_path"] not in requested
    assert stdlib in state["urls"] and site_url + build_info["wheel_path"] in state["urls"]
    # The live result replaced the prerendered one, and is CPython's.
    expect(calc.page.locator('[data-kmo="output"]')).to_have_attribute("data-state", "live")
    calc.field("Werknemers, in voltijdse equivalenten (VTE)").fill("12")
    calc.field("Jaaromzet in euro").fill("1.500.000")
    calc.field("Prijs zonder btw, in euro").fill("2.000")
    calc.page.get_by_label("Thema").select_option("professional_skills")
    calc.settled()
    request = json.loads(calc.page.evaluate(
        "() => JSON.stringify(Object.fromEntries(new URLSearchParams(location.search)))"))
    assert calc.value("support") == kmo_portefeuille.estimate({
        "application_date": request["application_date"], "start_date": request["start_date"],
        "service": "training", "theme": "professional_skills",
        "enterprise": {"fte": "12", "turnover": "1500000"}, "cost": "2000"})["support"]
    calc.page.close()


def test_without_the_stdlib_subset_it_falls_back_to_the_classic_path(new_site_context, make_calc,
                                                                     site_url, build_info):
    context = new_site_context()
    blocked = []

    def abort(route):
        blocked.append(route.request.url)
        route.abort("connectionfailed")

    context.route("**/" + build_info["stdlib_path"], abort)
    calc = make_calc(context)
    calc.open()
    assert blocked
    state = boot_state(calc.page)
    assert state["boot"] == "classic"
    assert site_url + build_info["runtime_dir"] + "python_stdlib.zip" in context.recorder.requests
    answer = calc.page.evaluate(
        "(request) => window.kmoPortefeuille.estimate(request)",
        {"application_date": "2026-04-14", "start_date": "2026-04-20", "service": "training",
         "theme": "professional_skills", "enterprise": {"fte": "12", "turnover": "1500000"},
         "cost": "2000"})
    want = kmo_portefeuille.estimate({"application_date": "2026-04-14", "start_date": "2026-04-20",
                                      "service": "training", "theme": "professional_skills",
                                      "enterprise": {"fte": "12", "turnover": "1500000"},
                                      "cost": "2000"})
    assert answer == json.loads(json.dumps(want, ensure_ascii=False))
    calc.page.close()


def test_the_build_time_estimate_shows_until_python_is_ready(context_without_runtime, make_calc):
    """With the runtime held back, the page shows the prerendered estimate (the
    form as it opens), marked preliminary; a link with other data hides it."""
    context = context_without_runtime()
    calc = make_calc(context)
    calc.open(ready=False)
    output = calc.page.locator('[data-kmo="output"]')
    expect(output).to_have_attribute("data-state", "prerendered")
    expect(output).to_be_visible()
    expect(output).to_contain_text("Voorlopig, berekend bij het bouwen van de site")
    expect(output).to_contain_text("Nog in te vullen")
    expect(calc.page.locator('[data-kmo="status-text"]')).to_contain_text("wordt geladen")
    assert calc.page.evaluate("() => performance.getEntriesByName('kmo-first-result').length") == 0

    calc.open("?cost=2000", ready=False)
    expect(calc.page.locator('[data-kmo="output"]')).to_be_hidden()
    calc.page.close()
