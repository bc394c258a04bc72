"""A shared link's values are shown as given, with the error at the field;
nothing is silently replaced by a default, and row numbers are compacted."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

BASE = ("service=training&theme=digitalisation&enterprise.fte=8&enterprise.turnover=900000&cost=2000"
        "&application_date=2026-04-14&start_date=2026-04-20")


def with_value(key: str, value: str) -> str:
    kept = "&".join(part for part in BASE.split("&") if not part.startswith(key + "="))
    return f"?{kept}&{key}={value}"


@pytest.mark.parametrize("key, value, control, message", [
    ("application_date", "2024-02-30", "#kmo-f-application_date", "bestaat niet"),
    ("application_date", "gisteren", "#kmo-f-application_date", "JJJJ-MM-DD"),
    ("service", "cursus", "#kmo-f-service-group", "Onbekende keuze"),
    ("enterprise.size", "large", "#kmo-f-enterprise-size-group", "Onbekende keuze"),
    ("vat_rate", "-0.21", "#kmo-f-vat_rate", "negatief"),
    ("registered_provider", "1", "#kmo-f-registered_provider", "vink het vakje aan of uit"),
])
def test_an_invalid_value_in_a_link_is_shown_with_its_error_not_replaced(calc, key, value, control, message):
    calc.visit(with_value(key, value))
    calc.settled()
    page = calc.page
    error = page.locator(f"#{page.locator(control).get_attribute('id').removesuffix('-group')}-error")
    expect(error).to_contain_text(message)
    expect(page.locator("[data-result=support]")).to_have_count(0)  # no figures for another request
    assert f"{key}={value}".replace(":", "%3A") in page.url.replace("%2D", "-") or value in page.url
    if key == "application_date":
        assert page.locator(control).input_value() != calc.page.evaluate("() => new Date().toISOString().slice(0, 10)")
    if key in ("service", "enterprise.size"):
        expect(page.get_by_role("radio", name=f"Uit de link: {value}")).to_be_checked()
    if key == "vat_rate":
        assert page.locator(control).input_value() == value


def test_row_numbers_in_a_link_are_compacted_and_keep_their_values(calc):
    calc.visit(f"?{BASE}&enterprise.related.999999.relation=partner&enterprise.related.999999.share=0.3"
               "&enterprise.related.999999.fte=5&enterprise.related.999999.turnover=100000"
               "&enterprise.related.7.relation=linked&enterprise.related.7.share=1&enterprise.related.7.fte=2"
               "&enterprise.related.7.turnover=50000")
    calc.settled()
    page = calc.page
    rows = page.locator(".kmo-rh__related-list > li")
    expect(rows).to_have_count(2)
    first = page.get_by_role("group", name="Onderneming 1", exact=True)
    second = page.get_by_role("group", name="Onderneming 2", exact=True)
    assert first.get_by_label("Relatie").input_value() == "linked"  # row 7 comes before row 999999
    assert second.get_by_label("Aandeel in procent").input_value() == "30"
    assert "enterprise.related.1.share=0.3" in page.url
    expect(page.locator("[data-result=support]")).to_be_visible()


def test_more_rows_than_the_limit_are_said_and_adding_at_the_limit_says_why(calc):
    rows = "&".join(f"enterprise.related.{i}.relation=partner&enterprise.related.{i}.share=1"
                    f"&enterprise.related.{i}.fte=0&enterprise.related.{i}.turnover=0" for i in range(101))
    calc.visit(f"?{BASE}&{rows}")
    calc.settled(timeout=20_000)
    page = calc.page
    expect(page.locator(".kmo-rh__related-list > li")).to_have_count(100)
    expect(page.locator("[data-kmo=related-limit]")).to_be_visible()
    add = page.get_by_role("button", name="Partner- of verbonden onderneming toevoegen")
    expect(add).to_have_attribute("aria-disabled", "true")
    add.click(force=True)  # aria-disabled: still reachable, and it says why
    expect(page.locator("[data-kmo=related-full]")).to_be_visible()
    expect(page.locator(".kmo-rh__related-list > li")).to_have_count(100)
