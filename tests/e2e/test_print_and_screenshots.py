"""Printing (inputs and result on one page) and screenshots of the
calculator at desktop and phone width, saved in test-results/."""

from __future__ import annotations

import re

from playwright.sync_api import expect

NBSP = "\u00a0"
EXAMPLE = ("?application_date=2026-04-14&start_date=2026-04-20&service=training&theme=professional_skills"
           "&enterprise.fte=12&enterprise.turnover=1500000"
           "&enterprise.related.0.relation=partner&enterprise.related.0.share=0.3"
           "&enterprise.related.0.fte=20&enterprise.related.0.turnover=2000000"
           "&cost=2000&vat_rate=0.21&catering.participants=8&catering.days=1&catering.per_person_per_day=30")

FULL = ("?application_date=2024-06-03&start_date=2024-06-10&service=training&theme=digitalisation"
        "&registered_provider=false&enterprise.size=medium&enterprise.fte=60.5&enterprise.turnover=12000000"
        "&enterprise.balance_sheet_total=9000000.5&enterprise.related.0.relation=partner"
        "&enterprise.related.0.share=0.3&enterprise.related.0.fte=20&enterprise.related.0.turnover=2000000"
        "&enterprise.related.1.relation=linked&enterprise.related.1.share=1&enterprise.related.1.fte=3"
        "&enterprise.related.1.turnover=400000&enterprise.related.1.balance_sheet_total=100000"
        "&cost=1234.56&vat_rate=0.06&catering.participants=8&catering.days=2&catering.per_person_per_day=40"
        "&support_used_this_year=7000&werkbaar_werk=true")


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_print_shows_inputs_and_result_on_one_page(calc, results_dir):
    page = calc.visit(EXAMPLE)
    expect(calc.result("support")).to_have_text(f"€{NBSP}660,00")
    page.emulate_media(media="print")
    try:
        # The inputs, with their values ...
        for label, value in [("Werknemers, in voltijdse equivalenten (VTE)", "12"),
                             ("Jaaromzet in euro", "1.500.000"), ("Prijs zonder btw, in euro", "2.000")]:
            expect(calc.field(label)).to_be_visible()
            expect(calc.field(label)).to_have_value(value)
        expect(page.get_by_label("Thema")).to_be_visible()
        expect(page.get_by_role("group", name="Onderneming 1", exact=True)).to_be_visible()
        expect(page.get_by_role("radio", name="Opleiding")).to_be_visible()
        # ... and the result.
        for key in ("eligible", "support", "own_share", "paid_directly", "total_outlay", "ceiling_left",
                    "apply_by", "complete_by"):
            expect(calc.result(key)).to_be_visible()
        # Not the buttons, the steps, the navigation, empty fields or unchosen options.
        for hidden in [page.get_by_role("button", name="Kopieer link"),
                       page.get_by_role("button", name="Partner- of verbonden onderneming toevoegen"),
                       page.locator("details.kmo-rh__steps"), page.locator(".md-header"),
                       page.locator(".md-sidebar--primary"),
                       calc.field("Balanstotaal in euro"), page.get_by_role("radio", name="Advies")]:
            expect(hidden).to_be_hidden()
        pdf = page.pdf(format="A4", print_background=True)
        (results_dir / "rekenhulp-print.pdf").write_bytes(pdf)
        assert pdf_pages(pdf) == 1, f"the print takes {pdf_pages(pdf)} pages"
    finally:
        page.emulate_media(media="null")  # no emulation (pdf() prints again)

    # A fuller form (two related enterprises, catering, a reason and warnings) still fits.
    page = calc.visit(FULL)
    expect(calc.result("eligible")).to_be_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf_pages(pdf) == 1, f"the fuller print takes {pdf_pages(pdf)} pages"


def full_page_screenshot(page, path, width: int):
    """A screenshot of the whole page in a viewport as tall as the page (no stitching)."""
    page.set_viewport_size({"width": width, "height": 900})
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(path))
    return height


def test_screenshots_at_desktop_and_phone_width(calc, results_dir):
    page = calc.visit(EXAMPLE)
    expect(calc.result("support")).to_have_text(f"€{NBSP}660,00")
    try:
        full_page_screenshot(page, results_dir / "screenshot-desktop.png", 1280)
        # Side by side at desktop width, the result next to the form.
        form = page.locator("#kmo-rekenhulp").bounding_box()
        result = page.locator("#kmo-resultaat").bounding_box()
        assert result["x"] >= form["x"] + form["width"]

        full_page_screenshot(page, results_dir / "screenshot-phone.png", 390)
        # One column on a phone, nothing wider than the screen.
        form = page.locator("#kmo-rekenhulp").bounding_box()
        result = page.locator("#kmo-resultaat").bounding_box()
        assert result["y"] >= form["y"] + form["height"]
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        for box in (form, result):
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        expect(page.get_by_role("link", name="Naar het resultaat")).to_be_visible()
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
    assert (results_dir / "screenshot-desktop.png").stat().st_size > 10_000
    assert (results_dir / "screenshot-phone.png").stat().st_size > 10_000
