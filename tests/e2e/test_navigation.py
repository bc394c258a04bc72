"""Material's instant navigation: one worker, one Pyodide, however often a
visitor leaves the rekenhulp and comes back, and whichever page they start on."""

from __future__ import annotations


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
        calc.fill_small_training()

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
