"""How the rekenhulp starts: the fast boot path (stdlib subset, wheel fetched
in parallel, build-info from the page), the fallback to the classic path, and
the estimate computed at build time that shows until Python is ready."""

from __future__ import annotations

import datetime as dt
import json

import kmo_portefeuille
import pytest
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


NBSP = "\u00a0"
OUTPUT = '[data-kmo="output"]'


def prerendered_day(page) -> dict:
    """The build day and rule period the page's prerendered estimate carries."""
    return page.locator(OUTPUT).evaluate(
        "(node) => ({day: node.dataset.peildatum, from: node.dataset.validFrom, until: node.dataset.validUntil})")


def test_the_build_time_estimate_shows_until_python_is_ready(context_without_runtime, make_calc):
    """With the runtime held back, the page shows CPython's estimate for the
    example the form opens with (a small enterprise's € 2.000 training: 30 %
    gives € 600), marked preliminary, with its steps; a link with other data
    hides it, and so does any change to the form."""
    context = context_without_runtime()
    calc = make_calc(context)
    calc.open(ready=False)
    output = calc.page.locator(OUTPUT)
    expect(output).to_have_attribute("data-state", "prerendered")
    expect(output).to_be_visible()
    expect(output).to_contain_text("Voorlopig: berekend bij het bouwen van de site")
    expect(calc.result("support")).to_have_text(f"€{NBSP}600,00")
    expect(calc.result("apply_by")).to_be_visible()
    expect(calc.field("Prijs zonder btw, in euro")).to_have_value("2.000")
    expect(calc.page.locator('[data-kmo="steps"] li').first).to_be_attached()
    expect(calc.page.locator('[data-kmo="status-text"]')).to_contain_text("wordt geladen")
    assert calc.page.evaluate("() => performance.getEntriesByName('kmo-first-result').length") == 0

    # Typing into the form while Python loads: the example's figures go.
    calc.field("Prijs zonder btw, in euro").fill("3.000")
    expect(output).to_be_hidden()
    expect(calc.page.locator('[data-kmo="steps"] li')).to_have_count(0)

    # A link holds the whole form: the example's values are not mixed in.
    calc.open("?cost=2000", ready=False)
    expect(calc.page.locator(OUTPUT)).to_be_hidden()
    expect(calc.field("Werknemers, in voltijdse equivalenten (VTE)")).to_have_value("")
    expect(calc.field("Prijs zonder btw, in euro")).to_have_value("2.000")
    calc.page.close()


def test_on_another_day_of_the_same_rules_the_amounts_stay_and_the_deadlines_go(context_without_runtime,
                                                                                 make_calc):
    """The site may have been built on another day than today: the amounts hold
    while the same rules apply, the deadlines (counted from the dates) do not."""
    context = context_without_runtime()
    calc = make_calc(context)
    calc.open(ready=False)
    period = prerendered_day(calc.page)
    calc.page.close()
    built = dt.date.fromisoformat(period["day"])
    first = dt.date.fromisoformat(period["from"])
    until = dt.date.fromisoformat(period["until"]) if period["until"] else None
    inside = next((day for day in (built - dt.timedelta(days=1), built + dt.timedelta(days=1))
                   if first <= day and (until is None or day < until)), None)
    if inside is None:
        pytest.skip(f"the rule period of the build day {built} is that day alone")

    context.clock.set_fixed_time(dt.datetime.combine(inside, dt.time(12, 0)))
    calc = make_calc(context)
    calc.open(ready=False)
    expect(calc.field("Datum van de steunaanvraag")).to_have_value(inside.isoformat())
    expect(calc.page.locator(OUTPUT)).to_have_attribute("data-state", "prerendered")
    expect(calc.result("support")).to_have_text(f"€{NBSP}600,00")
    expect(calc.result("apply_by")).to_be_hidden()
    expect(calc.page.locator('[data-kmo="steps"] li')).to_have_count(0)
    calc.page.close()

    # A day under other rules: nothing of the example is shown.
    context.clock.set_fixed_time(dt.datetime.combine(first - dt.timedelta(days=1), dt.time(12, 0)))
    calc = make_calc(context)
    calc.open(ready=False)
    expect(calc.page.locator(OUTPUT)).to_be_hidden()
    calc.page.close()


def test_python_draws_the_example_exactly_as_the_build_did(new_site_context, make_calc):
    """One renderer: the live result for the example is the same HTML as the
    prerendered one (the build runs the page's view.js in Node), steps included."""
    context = new_site_context()
    calc = make_calc(context)
    calc.open()
    expect(calc.page.locator(OUTPUT)).to_have_attribute("data-state", "live")
    same = calc.page.evaluate(
        """async () => {
             const built = new DOMParser().parseFromString(
               await (await fetch(location.pathname, {cache: "no-store"})).text(), "text/html");
             const prerendered = built.querySelector('[data-kmo="output"]');
             prerendered.querySelector(".kmo-rh__prerendered").remove();
             // Material's instant navigation made the page's own links absolute.
             const own = (html) => html.split(`${location.origin}${location.pathname}#`).join("#");
             return {
               day: prerendered.dataset.peildatum,
               today: document.getElementById("kmo-f-application_date").value,
               output: [prerendered.innerHTML, own(document.querySelector('[data-kmo="output"]').innerHTML)],
               steps: [built.querySelector('[data-kmo="steps"]').innerHTML.trim(),
                       document.querySelector('[data-kmo="steps"]').innerHTML],
             };
           }""")
    if same["day"] != same["today"]:
        pytest.skip(f"built on {same['day']}, run on {same['today']} (midnight in between)")
    assert same["output"][0] == same["output"][1]
    assert same["steps"][0] and same["steps"][0] == same["steps"][1]
    calc.page.close()


def test_the_form_can_start_empty(new_site_context, make_calc):
    """"Begin met een leeg formulier" removes the example: what is still to fill in appears."""
    context = new_site_context()
    calc = make_calc(context)
    calc.open()
    expect(calc.result("support")).to_have_text(f"€{NBSP}600,00")
    calc.clear()
    for label in ("Werknemers, in voltijdse equivalenten (VTE)", "Jaaromzet in euro", "Prijs zonder btw, in euro"):
        expect(calc.field(label)).to_have_value("")
    expect(calc.page.get_by_label("Thema")).to_have_value("")
    expect(calc.field("Datum van de steunaanvraag")).not_to_have_value("")
    expect(calc.page.locator(OUTPUT)).to_contain_text("Nog in te vullen")
    expect(calc.result("support")).to_have_count(0)
    assert "cost=" not in calc.page.url and "application_date=" in calc.page.url
    calc.page.close()


def test_the_first_live_result_keeps_the_prerendered_one_when_it_is_the_same(new_site_context, make_calc):
    """Python's first answer for the example is what the build drew: the page
    keeps those nodes (no new style, text shaping and layout of the whole
    result, a long task on a phone) and only drops the build-time note."""
    context = new_site_context()
    context.add_init_script("""document.addEventListener("DOMContentLoaded", () => {
      const output = document.querySelector('[data-kmo="output"]');
      if (output && output.dataset.state === "prerendered") {
        window.__kmoBuilt = { verdict: output.querySelector(".kmo-rh__verdict"),
                              step: document.querySelector('[data-kmo="steps"] li') };
      }
    });""")
    calc = make_calc(context)
    calc.open()
    expect(calc.page.locator(OUTPUT)).to_have_attribute("data-state", "live")
    expect(calc.page.locator(".kmo-rh__prerendered")).to_have_count(0)
    kept = calc.page.evaluate("""() => {
      const built = window.__kmoBuilt;
      if (!built) return null;
      const today = document.getElementById("kmo-f-application_date").value;
      return { day: document.querySelector('[data-kmo="output"]').dataset.peildatum, today,
               verdict: built.verdict.isConnected, step: Boolean(built.step && built.step.isConnected) };
    }""")
    assert kept is not None, "the page did not open with the prerendered example"
    if kept["day"] != kept["today"]:
        pytest.skip(f"built on {kept['day']}, run on {kept['today']}")
    assert kept["verdict"] and kept["step"], kept
