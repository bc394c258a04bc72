"""Material's instant navigation: one worker, one Pyodide, however often a
visitor leaves the rekenhulp and comes back, and whichever page they start on."""

from __future__ import annotations

from playwright.sync_api import expect

NBSP = "\u00a0"


def fill_small_training(calc):
    calc.field("Werknemers, in voltijdse equivalenten (VTE)").fill("12")
    calc.field("Jaaromzet in euro").fill("1.500.000")
    calc.page.get_by_label("Thema").select_option("professional_skills")
    calc.field("Prijs zonder btw, in euro").fill("2000")
    calc.settled()
    expect(calc.result("support")).to_have_text(f"€{NBSP}600,00")


def test_leaving_and_coming_back_keeps_one_working_worker(calc):
    page = calc.fresh()
    assert len(calc.workers()) == 1
    page.evaluate("() => { window.__kmoSameDocument = true; window.kmoPortefeuille.__kmoMark = 1; }")

    for _ in range(3):
        calc.nav("Hoeveel steun?")
        assert page.locator("#kmo-rekenhulp").count() == 0
        calc.nav("Opleiding en advies")
        calc.nav("Rekenhulp")
        calc.settled()
        fill_small_training(calc)

    # Still the same document (instant navigation), the same engine, one worker.
    assert page.evaluate("() => window.__kmoSameDocument === true")
    assert page.evaluate("() => window.kmoPortefeuille.__kmoMark") == 1
    assert page.evaluate("() => window.kmoPortefeuille.workersStarted") == 1
    assert len(calc.workers()) == 1
    # Every visit bound its own form once: one result per change, no double listeners.
    assert page.locator("#kmo-rekenhulp[data-kmo-bound=true]").count() == 1

    # Back and forward buttons go through instant navigation too.
    page.go_back()
    page.get_by_role("heading", level=1, name="Opleiding en advies").wait_for()
    page.go_forward()
    page.get_by_role("heading", level=1, name="Rekenhulp").wait_for()
    calc.settled()
    assert page.evaluate("() => window.__kmoSameDocument === true")
    assert len(calc.workers()) == 1


# Arriving at the rekenhulp from another page by instant navigation (the
# module loaded through Material's script re-creation): tests/e2e/test_subpath.py.
