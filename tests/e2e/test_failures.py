"""When Python cannot start: a clear Dutch message with what to do, and the
form keeps what was typed."""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import expect


def type_some(calc):
    calc.field("Werknemers, in voltijdse equivalenten (VTE)").fill("12")
    calc.field("Jaaromzet in euro").fill("1.500.000")
    calc.field("Prijs zonder btw, in euro").fill("2.000")
    calc.settled(timeout=15_000)


def assert_kept(calc):
    assert calc.field("Werknemers, in voltijdse equivalenten (VTE)").input_value() == "12"
    assert calc.field("Jaaromzet in euro").input_value() == "1.500.000"
    assert calc.field("Prijs zonder btw, in euro").input_value() == "2.000"
    # The state is still in the URL: reloading later keeps it.
    assert "enterprise.turnover=1500000" in calc.page.url


def assert_failure_message(calc, kind: str, words: str):
    message = calc.page.locator(f'[data-kmo="status-text"][data-kmo-failure="{kind}"]')
    expect(message).to_be_visible(timeout=10_000)
    expect(message).to_contain_text(words)
    expect(message).to_contain_text("1700")
    link = message.get_by_role("link", name="Hoeveel steun?")
    assert link.get_attribute("href").endswith("/hoeveel-steun/")
    assert calc.page.locator('[data-kmo="status"]').locator("xpath=ancestor::*[@aria-live]").count() == 1
    text = calc.page.locator("#kmo-rh").inner_text()
    assert "NaN" not in text and "undefined" not in text
    return message


def ready_error_kind(calc):
    return calc.page.evaluate(
        "() => window.kmoPortefeuille.ready.then(() => 'ready', (error) => error.kind)")


def test_without_webassembly(new_site_context, make_calc):
    context = new_site_context()
    context.add_init_script("delete window.WebAssembly;")
    calc = make_calc(context)
    calc.open(ready=False)
    type_some(calc)
    assert_failure_message(calc, "webassembly", "WebAssembly")
    assert ready_error_kind(calc) == "webassembly"
    assert calc.workers() == []
    calc.field("Prijs zonder btw, in euro").fill("2.000")  # typing still works
    assert_kept(calc)
    calc.page.close()


def test_runtime_download_aborted(new_site_context, make_calc):
    context = new_site_context()
    aborted = []

    def abort(route):
        aborted.append(route.request.url)
        route.abort("connectionfailed")

    context.route("**/pyodide.asm.wasm", abort)
    calc = make_calc(context)
    started = time.perf_counter()
    calc.open(ready=False)
    type_some(calc)
    assert_failure_message(calc, "download", "kon niet geladen worden")
    assert time.perf_counter() - started < 15, "a failed download is reported at once, not at the time limit"
    assert aborted
    assert ready_error_kind(calc) == "download"
    assert_kept(calc)
    calc.page.close()


def test_boot_over_the_time_limit(context_without_runtime, make_calc):
    """A runtime that never arrives: after the limit (30 s; shortened here) the message."""
    context = context_without_runtime()
    context.add_init_script("window.kmoPortefeuilleBootTimeoutMs = 2000;")
    calc = make_calc(context)
    calc.open(ready=False)
    expect(calc.page.locator("progress[data-kmo=progress]")).to_be_visible()
    expect(calc.page.locator('[data-kmo="status-text"]')).to_contain_text("wordt geladen, stap")
    type_some(calc)
    assert_failure_message(calc, "timeout", "startte niet op tijd")
    assert ready_error_kind(calc) == "timeout"
    assert calc.workers() == []  # the stuck worker was stopped
    assert_kept(calc)
    calc.page.close()


def test_the_default_limit_is_30_seconds_without_progress():
    engine = (Path(__file__).resolve().parents[2] / "docs/assets/rekenhulp/engine.js").read_text()
    assert "const BOOT_STALL_MS = 30000;" in engine
    assert "const SNAPSHOT_RESTORE_STALL_MS = 10000;" in engine


def test_runtime_answering_404_says_the_server_failed_not_the_connection(new_site_context, make_calc):
    """No offline copies in a fresh context: the message names what happened (HTTP 404)."""
    context = new_site_context()
    context.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="Not Found"))
    calc = make_calc(context)
    calc.open(ready=False)
    type_some(calc)
    message = assert_failure_message(calc, "http", "de server gaf een fout")
    expect(message).to_contain_text("HTTP 404")
    expect(message).to_contain_text("niet aan je internetverbinding")
    assert ready_error_kind(calc) == "http"
    assert_kept(calc)
    calc.page.close()


def test_a_failure_keeps_the_prerendered_estimate_marked_as_such(context_without_runtime, make_calc):
    """The form as it opens (the example): its build-time estimate stays next to the message."""
    context = context_without_runtime()
    context.add_init_script("window.kmoPortefeuilleBootTimeoutMs = 2000;")
    calc = make_calc(context)
    calc.open(ready=False)
    message = calc.page.locator('[data-kmo="status-text"][data-kmo-failure="timeout"]')
    expect(message).to_be_visible(timeout=10_000)
    expect(message).to_contain_text("voorlopige berekening van bij het bouwen van de site")
    output = calc.page.locator('[data-kmo="output"]')
    expect(output).to_be_visible()
    expect(output).to_have_attribute("data-state", "prerendered")
    expect(output).to_contain_text("Voorlopig")
    expect(calc.result("support")).to_have_text("€\u00a0600,00")
    calc.page.close()
