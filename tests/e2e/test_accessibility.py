"""Accessibility: axe-core on every page of the site (0 violations), the
rekenhulp in its states (loading, result, errors, failure, dark), and the
form with the keyboard alone."""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import expect

NBSP = "\u00a0"

AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + n.failureSummary.replace(/\\s+/g, " ")),
  }));
}"""


def site_pages(site_url: str) -> list[str]:
    with urllib.request.urlopen(site_url + "sitemap.xml", timeout=10) as response:
        sitemap = response.read().decode()
    pages = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert pages, "sitemap.xml lists no pages"
    return pages


def axe(page, axe_core_js) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_core_js))
    return page.evaluate(AXE_RUN)


def scheme(page, which: str):
    """Switch Material's palette with its own toggle in the header."""
    title, value = ("Donkere weergave", "slate") if which == "dark" else ("Lichte weergave", "default")
    page.locator(f'label.md-header__button[title="{title}"]').click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", value)


def report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {node}" for node in v["nodes"]]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe_context(new_site_context):
    # axe-core is injected as an inline script: this context ignores the CSP
    # (tests/e2e/test_privacy.py tests the CSP itself).
    return new_site_context(bypass_csp=True)


@pytest.fixture(scope="module")
def axe_calc(axe_context, make_calc):
    return make_calc(axe_context)


def test_every_page_of_the_site_has_no_axe_violations(axe_calc, axe_core_js, site_url):
    page = axe_calc.page
    problems = {}
    pages = site_pages(site_url)
    # The 404 page too; the rekenhulp last, with its result (the next test goes on from there).
    pages = [url for url in pages if "/rekenhulp/" not in url] + [site_url + "bestaat-niet/"] + [
        url for url in pages if "/rekenhulp/" in url]
    assert pages[-1].endswith("/rekenhulp/")
    for url in pages:
        page.goto(url, wait_until="load")
        if "/rekenhulp/" in url:
            problems["rekenhulp, loading"] = report(axe(page, axe_core_js))
            axe_calc.settled(timeout=35_000)
        violations = axe(page, axe_core_js)
        if violations:
            problems[url] = report(violations)
    print(f"axe-core on {len(pages)} pages (with the 404 page): "
          f"{sum(1 for text in problems.values() if text)} with violations")
    problems = {url: text for url, text in problems.items() if text}
    assert not problems, "\n\n".join(f"{url}\n{text}" for url, text in problems.items())


def test_the_rekenhulp_in_every_state_has_no_axe_violations(axe_calc, axe_core_js):
    calc = axe_calc
    page = calc.page
    calc.fresh()  # instant navigation back to an empty form (Python stays loaded)
    problems = {"empty form": axe(page, axe_core_js)}

    calc.field("Werknemers, in voltijdse equivalenten (VTE)").fill("12")
    calc.field("Jaaromzet in euro").fill("1.500.000")
    page.get_by_label("Thema").select_option("professional_skills")
    calc.field("Prijs zonder btw, in euro").fill("2000")
    page.get_by_role("button", name="Partner- of verbonden onderneming toevoegen").click()
    row = page.get_by_role("group", name="Onderneming 1", exact=True)
    row.get_by_label("Aandeel in procent").fill("10")
    row.get_by_label("VTE").fill("1")
    row.get_by_label("Jaaromzet in euro").fill("100000")
    calc.field("Aantal deelnemers").fill("8")
    calc.field("Aantal dagen").fill("1")
    calc.field("Kost per persoon per dag, zonder btw, in euro").fill("30")
    page.get_by_label("De aanvraag gaat over een actie rond werkbaar werk").check()
    calc.settled()
    expect(calc.result("eligible")).to_have_text("Komt in aanmerking")
    page.locator("details.kmo-rh__steps summary").click()
    page.get_by_role("button", name="Kopieer link").click()
    expect(page.get_by_label("Link naar deze berekening")).to_be_visible()
    problems["result, details open, link shown"] = axe(page, axe_core_js)

    scheme(page, "dark")
    problems["dark"] = axe(page, axe_core_js)
    scheme(page, "light")

    calc.field("Jaaromzet in euro").fill("veel")
    row.get_by_label("Aandeel in procent").fill("150")
    page.get_by_label("Thema").select_option("")
    calc.settled()
    expect(page.locator(".kmo-rh__summary--errors")).to_be_visible()
    problems["errors"] = axe(page, axe_core_js)
    scheme(page, "dark")
    problems["errors, dark"] = axe(page, axe_core_js)
    scheme(page, "light")

    problems = {state: report(v) for state, v in problems.items() if v}
    assert not problems, "\n\n".join(f"{state}\n{text}" for state, text in problems.items())


def test_the_voorwaarden_group_and_the_phone_summary_have_no_axe_violations(axe_calc, axe_core_js):
    calc = axe_calc
    page = calc.page
    calc.fresh()
    calc.fill_small_training()
    expect(page.locator(".kmo-rh__assumptions")).to_be_visible()
    expect(page.locator("#kmo-voorwaarden")).not_to_have_attribute("open", "")
    problems = {"Voorwaarden closed, assumptions listed": axe(page, axe_core_js)}

    page.locator("#kmo-voorwaarden > summary").click()
    page.get_by_label("Rechtsvorm").select_option("vzw")
    page.get_by_role("group", name="Is de dienstverlener verbonden met je onderneming?").get_by_label(
        "Ja", exact=True).check()
    calc.settled()
    expect(calc.result("eligible")).to_have_text("Komt niet in aanmerking")
    problems["Voorwaarden open, not eligible"] = axe(page, axe_core_js)
    calc.field("Deel in handen van overheden, in procent").fill("abc")
    calc.settled()
    expect(page.locator("#kmo-f-enterprise-public_share-error")).to_be_visible()
    problems["Voorwaarden open, error at a field"] = axe(page, axe_core_js)
    scheme(page, "dark")
    problems["Voorwaarden open, dark"] = axe(page, axe_core_js)
    scheme(page, "light")

    calc.field("Deel in handen van overheden, in procent").fill("")
    calc.settled()
    try:
        page.set_viewport_size({"width": 360, "height": 740})
        calc.field("Prijs zonder btw, in euro").scroll_into_view_if_needed()
        expect(page.locator('[data-kmo="bar"]')).to_be_visible()
        problems["phone summary"] = axe(page, axe_core_js)
        scheme(page, "dark")
        problems["phone summary, dark"] = axe(page, axe_core_js)
        scheme(page, "light")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})

    problems = {state: report(v) for state, v in problems.items() if v}
    assert not problems, "\n\n".join(f"{state}\n{text}" for state, text in problems.items())


def test_the_failure_message_has_no_axe_violations(axe_context, make_calc, axe_core_js):
    calc = make_calc(axe_context)
    calc.page.add_init_script("delete window.WebAssembly;")
    calc.open(ready=False)
    expect(calc.page.locator('[data-kmo-failure="webassembly"]')).to_be_visible()
    violations = axe(calc.page, axe_core_js)
    calc.page.close()
    assert not violations, report(violations)


def test_the_form_works_with_the_keyboard_alone(calc, built_site):
    page = calc.fresh()
    page.locator("#kmo-f-enterprise-fte").focus()
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    expect(calc.field("Jaaromzet in euro")).to_be_focused()
    page.keyboard.type("1.500.000")
    page.keyboard.press("Tab")
    expect(calc.field("Balanstotaal in euro")).to_be_focused()
    # Focus is visible: a real outline on the focused field.
    outline = calc.field("Balanstotaal in euro").evaluate(
        "(node) => { const s = getComputedStyle(node); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert outline[0] != "none" and outline[1] >= 2

    # Tab on to the "add" button, skipping the help link, and press Enter.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    add = page.get_by_role("button", name="Partner- of verbonden onderneming toevoegen")
    expect(add).to_be_focused()
    page.keyboard.press("Enter")
    row = page.get_by_role("group", name="Onderneming 1", exact=True)
    expect(row.get_by_label("Relatie")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type("25")
    # Remove the row again with the keyboard: focus returns to the add button.
    remove = row.get_by_role("button", name="Onderneming 1 verwijderen")
    for _ in range(10):
        if remove.evaluate("(node) => node === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(remove).to_be_focused()
    page.keyboard.press("Space")
    expect(add).to_be_focused()
    expect(page.locator(".kmo-rh__related-list > li")).to_have_count(0)

    # Radio buttons with the arrow keys, the theme with the keyboard.
    page.get_by_role("radio", name="Opleiding").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Advies")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("radio", name="Opleiding")).to_be_checked()
    # Letters on a radio button are not Material's shortcuts here ("n": next page).
    page.keyboard.press("n")
    page.keyboard.press("p")
    expect(page.get_by_role("heading", level=1, name="Rekenhulp")).to_be_visible()
    expect(page.get_by_role("radio", name="Opleiding")).to_be_focused()
    page.get_by_label("Thema").focus()
    page.get_by_label("Thema").select_option("professional_skills")  # a native <select>
    calc.field("Prijs zonder btw, in euro").focus()
    page.keyboard.type("2000")
    calc.settled()
    expect(calc.result("support")).to_have_text(f"€{NBSP}600,00")

    # "Toon berekening" opens with the keyboard.
    summary = page.locator("details.kmo-rh__steps summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("details.kmo-rh__steps")).to_have_attribute("open", "")
    expect(page.locator(".kmo-rh__step-list > li").first).to_be_visible()
    page.keyboard.press("Enter")

    # The result area is a live region that was there from the start.
    live = page.locator("#kmo-result")
    assert live.get_attribute("aria-live") == "polite"
    html = (built_site / "rekenhulp" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<div[^>]*id="kmo-result"[^>]*aria-live="polite"', html)
