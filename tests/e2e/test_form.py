"""The form as a person uses it: labels, Flemish amounts, the result on
screen, the URL state, "kopieer link", errors at the fields."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import kmo_portefeuille
import pytest
from kmo_portefeuille import format_amount, format_date
from playwright.sync_api import expect

NBSP = "\u00a0"
KEY_FIGURES = ("support", "own_share", "paid_directly", "total_outlay", "ceiling_left")
DEADLINES = ("apply_by", "complete_by", "deposit_by")


def screen_text(page) -> str:
    return page.locator("#kmo-rh").inner_text()


def assert_clean(page):
    """Nothing on screen says NaN, undefined or null."""
    text = screen_text(page)
    for word in ("NaN", "undefined", "null", "[object"):
        assert word not in text, f"{word!r} on screen"


def assert_matches_cpython(calc, request: dict):
    """Every key figure on screen is CPython's, in value and in Flemish form."""
    want = kmo_portefeuille.estimate(request)
    assert "errors" not in want, want
    assert calc.value("eligible") == json.dumps(want["eligible"])
    expect(calc.result("eligible")).to_have_text(
        "Komt in aanmerking" if want["eligible"] else "Komt niet in aanmerking")
    for key in KEY_FIGURES:
        assert calc.value(key) == want[key], key
        assert calc.text(key) == format_amount(Decimal(want[key]), cents=True), key
    for key in DEADLINES:
        assert calc.value(key) == want["deadlines"][key], key
        assert calc.text(key) == format_date(dt.date.fromisoformat(want["deadlines"][key])), key
    assert calc.value("rules_version") == want["rules_version"]
    assert calc.text("rules_version") == format_date(dt.date.fromisoformat(want["rules_version"]))
    assert calc.value("rate") == want["rate"]
    assert calc.text("rate") == f"{Decimal(want['rate']) * 100:f}".rstrip("0").rstrip(".").replace(".", ",") + f"{NBSP}%"
    for reason in want["reasons"]:
        expect(calc.page.locator(f'.kmo-rh__reasons [data-code="{reason["code"]}"]')).to_have_text(reason["message"])
    for warning in want["warnings"]:
        expect(calc.page.locator(f'.kmo-rh__warnings [data-code="{warning["code"]}"]')).to_have_text(warning["message"])
    assert calc.page.locator(".kmo-rh__step-list > li").count() == len(want["steps"])
    assert_clean(calc.page)
    return want


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def test_a_person_fills_the_form_by_label_and_the_link_reproduces_it(calc):
    page = calc.fresh()
    today = page.get_by_label("Datum van de steunaanvraag").input_value()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", today)
    assert page.get_by_label("Startdatum van de opleiding of het advies").input_value() == today

    calc.field("Werknemers, in voltijdse equivalenten (VTE)").fill("12")
    calc.field("Jaaromzet in euro").fill("1.500.000")
    page.get_by_role("radio", name="Opleiding").check()
    page.get_by_label("Thema").select_option(label="Beroepsspecifieke competenties")
    calc.field("Prijs zonder btw, in euro").fill("2.000")
    calc.settled()

    expect(calc.result("support")).to_have_text(f"€{NBSP}600,00")
    assert calc.value("support") == "600.00"
    request = {"application_date": today, "start_date": today, "service": "training",
               "theme": "professional_skills", "enterprise": {"fte": "12", "turnover": "1500000"},
               "cost": "2000", "vat_rate": "0.21"}
    want = assert_matches_cpython(calc, request)
    assert want["size"] == "small"

    # The URL holds the state with the contract's names.
    assert query_of(page.url) == [
        ("application_date", today), ("start_date", today), ("service", "training"),
        ("theme", "professional_skills"), ("enterprise.fte", "12"), ("enterprise.turnover", "1500000"),
        ("cost", "2000"), ("vat_rate", "0.21"),
    ]

    # "Kopieer link": the clipboard and a visible field hold the same link.
    page.get_by_role("button", name="Kopieer link").click()
    expect(page.get_by_text("De link is gekopieerd.")).to_be_visible()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.url
    expect(page.get_by_label("Link naar deze berekening")).to_have_value(copied)

    # Opening the link fills the form and shows the same result.
    calc.page.goto(copied)
    calc.settled(timeout=35_000)
    assert calc.field("Werknemers, in voltijdse equivalenten (VTE)").input_value() == "12"
    assert calc.field("Jaaromzet in euro").input_value() == "1.500.000"
    assert calc.field("Prijs zonder btw, in euro").input_value() == "2.000"
    assert page.get_by_label("Thema").input_value() == "professional_skills"
    assert page.get_by_role("radio", name="Opleiding").is_checked()
    assert page.get_by_label("Datum van de steunaanvraag").input_value() == today
    expect(calc.result("support")).to_have_text(f"€{NBSP}600,00")
    assert page.url == copied


RICH_QUERY = [
    ("application_date", "2024-06-03"), ("start_date", "2024-06-10"), ("service", "training"),
    ("theme", "digitalisation"), ("registered_provider", "false"), ("enterprise.size", "medium"),
    ("enterprise.fte", "60.5"), ("enterprise.turnover", "12000000"),
    ("enterprise.balance_sheet_total", "9000000.5"),
    ("enterprise.related.0.relation", "partner"), ("enterprise.related.0.share", "0.3"),
    ("enterprise.related.0.fte", "20"), ("enterprise.related.0.turnover", "2000000"),
    ("enterprise.related.1.relation", "linked"), ("enterprise.related.1.share", "1"),
    ("enterprise.related.1.fte", "3"), ("enterprise.related.1.turnover", "400000"),
    ("enterprise.related.1.balance_sheet_total", "100000"),
    ("cost", "1234.56"), ("vat_rate", "0.06"), ("catering.participants", "8"), ("catering.days", "2"),
    ("catering.per_person_per_day", "40"), ("support_used_this_year", "7000"), ("werkbaar_werk", "true"),
]


def nest(pairs):
    """The request a query stands for (dots for nesting, numbers for list items)."""
    request: dict = {}
    for key, value in pairs:
        parts = key.split(".")
        node = request
        for part, following in zip(parts, parts[1:]):
            if isinstance(node, list):
                index = int(part)
                while len(node) <= index:
                    node.append({} if not following.isdigit() else [])
                node = node[index]
            else:
                node = node.setdefault(part, [] if following.isdigit() else {})
        value = {"true": True, "false": False}.get(value, value) if parts[-1] in (
            "registered_provider", "werkbaar_werk") else value
        node[parts[-1]] = value
    return request


def test_a_link_with_every_field_fills_the_form_and_round_trips(calc):
    page = calc.page
    query = "&".join(f"{k}={v}" for k, v in RICH_QUERY)
    calc.visit("?" + query)

    assert calc.field("Werknemers, in voltijdse equivalenten (VTE)").input_value() == "60,5"
    assert calc.field("Jaaromzet in euro").input_value() == "12.000.000"
    assert calc.field("Balanstotaal in euro").input_value() == "9.000.000,5"
    assert page.get_by_role("radio", name="Ja, als middelgrote onderneming").is_checked()
    assert not page.get_by_label("De dienstverlener is geregistreerd voor de kmo-portefeuille").is_checked()
    assert page.get_by_label("De aanvraag gaat over een actie rond werkbaar werk").is_checked()
    rows = page.locator(".kmo-rh__related-list > li")
    expect(rows).to_have_count(2)
    first = page.get_by_role("group", name="Onderneming 1", exact=True)
    assert first.get_by_label("Relatie").input_value() == "partner"
    assert first.get_by_label("Aandeel in procent").input_value() == "30"
    assert first.get_by_label("Jaaromzet in euro").input_value() == "2.000.000"
    second = page.get_by_role("group", name="Onderneming 2", exact=True)
    assert second.get_by_label("Relatie").input_value() == "linked"
    assert second.get_by_label("Aandeel in procent").input_value() == "100"
    assert page.get_by_label("Btw-tarief").input_value() == "0.06"
    assert calc.field("Aantal deelnemers").input_value() == "8"
    assert calc.field("Kost per persoon per dag, zonder btw, in euro").input_value() == "40"
    assert calc.field("Prijs zonder btw, in euro").input_value() == "1.234,56"

    # Same state, same link: the URL the page writes back is the one opened.
    assert query_of(page.url) == RICH_QUERY
    request = nest(RICH_QUERY)
    assert request["enterprise"]["related"][1]["share"] == "1"
    assert_matches_cpython(calc, request)


def test_related_enterprises_are_added_and_removed(calc):
    page = calc.fresh()
    calc.field("Werknemers, in voltijdse equivalenten (VTE)").fill("10")
    calc.field("Jaaromzet in euro").fill("1000000")
    page.get_by_label("Thema").select_option("digitalisation")
    calc.field("Prijs zonder btw, in euro").fill("2000")
    add = page.get_by_role("button", name="Partner- of verbonden onderneming toevoegen")
    add.click()
    row1 = page.get_by_role("group", name="Onderneming 1", exact=True)
    expect(row1.get_by_label("Relatie")).to_be_focused()
    add.click()
    row2 = page.get_by_role("group", name="Onderneming 2", exact=True)
    expect(row2.get_by_label("Relatie")).to_be_focused()
    row1.get_by_label("Aandeel in procent").fill("40")
    row1.get_by_label("VTE").fill("50")
    row1.get_by_label("Jaaromzet in euro").fill("10.000.000")
    row2.get_by_label("Relatie").select_option("linked")
    row2.get_by_label("Aandeel in procent").fill("60")
    row2.get_by_label("VTE").fill("5")
    row2.get_by_label("Jaaromzet in euro").fill("500.000")
    calc.settled()
    names = dict(query_of(page.url))
    assert names["enterprise.related.0.share"] == "0.4"
    assert names["enterprise.related.1.relation"] == "linked"
    assert names["enterprise.related.1.turnover"] == "500000"
    # 10 + 40 % × 50 + 5 = 35 VTE: still small
    assert calc.value("support") == kmo_portefeuille.estimate(nest(query_of(page.url)))["support"]

    row1.get_by_role("button", name="Onderneming 1 verwijderen").click()
    calc.settled()
    expect(page.locator(".kmo-rh__related-list > li")).to_have_count(1)
    # The remaining row is now "Onderneming 1", with its values and the names of row 0.
    remaining = page.get_by_role("group", name="Onderneming 1", exact=True)
    assert remaining.get_by_label("Relatie").input_value() == "linked"
    expect(remaining.get_by_label("Relatie")).to_be_focused()
    names = dict(query_of(page.url))
    assert names["enterprise.related.0.share"] == "0.6"
    assert not any(key.startswith("enterprise.related.1.") for key in names)
    assert_matches_cpython(calc, nest(query_of(page.url)))


@pytest.mark.parametrize("typed", ["1.234,56", "1234,56", "1234.56", "€ 1.234,56"])
def test_amounts_accept_flemish_and_plain_input(calc, typed):
    page = calc.page if calc.on_page() else calc.fresh()
    calc.field("Werknemers, in voltijdse equivalenten (VTE)").fill("12")
    calc.field("Jaaromzet in euro").fill("1500000")
    page.get_by_label("Thema").select_option("professional_skills")
    calc.field("Prijs zonder btw, in euro").fill(typed)
    calc.settled()
    assert dict(query_of(page.url))["cost"] == "1234.56"
    # 30 % of 1.234,56 = 370,368 -> 370,37
    expect(calc.result("support")).to_have_text(f"€{NBSP}370,37")


def test_invalid_input_gets_python_s_message_at_the_field(calc):
    page = calc.fresh()
    # Untouched empty fields are listed as still to fill in, not flagged as errors.
    calc.settled()
    todo = page.locator(".kmo-rh__summary", has_text="Nog in te vullen")
    expect(todo).to_be_visible()
    expect(todo).to_contain_text("Vul het aantal voltijdse equivalenten (VTE) in.")
    assert page.locator("[aria-invalid=true]").count() == 0

    turnover = calc.field("Jaaromzet in euro")
    turnover.fill("veel")
    calc.field("Prijs zonder btw, in euro").fill("-5")
    calc.field("Werknemers, in voltijdse equivalenten (VTE)").fill("12")
    page.get_by_label("Thema").select_option("professional_skills")
    calc.settled()

    message = "Dit is geen getal: geef de jaaromzet in cijfers."
    error = page.locator("#kmo-f-enterprise-turnover-error")
    expect(error).to_have_text(message)
    expect(turnover).to_have_attribute("aria-invalid", "true")
    assert "kmo-f-enterprise-turnover-error" in turnover.get_attribute("aria-describedby").split()
    cost = calc.field("Prijs zonder btw, in euro")
    expect(page.locator("#kmo-f-cost-error")).to_have_text("Een negatief getal kan hier niet.")
    expect(cost).to_have_attribute("aria-invalid", "true")
    assert cost.get_attribute("aria-describedby").split() == ["kmo-f-cost-hint", "kmo-f-cost-error"]

    summary = page.locator(".kmo-rh__summary--errors")
    expect(summary.get_by_role("heading", name="Kijk dit na")).to_be_visible()
    link = summary.get_by_role("link", name=f"Jaaromzet in euro: {message}")
    link.click()
    expect(turnover).to_be_focused()
    assert "#" not in page.url  # the summary link moved focus, not the URL
    # No figures while the request has errors.
    assert calc.result("support").count() == 0

    turnover.fill("1.500.000")
    cost.fill("2000")
    calc.settled()
    expect(calc.result("support")).to_have_text(f"€{NBSP}600,00")
    assert page.locator("[aria-invalid=true]").count() == 0
    assert turnover.get_attribute("aria-describedby") == "kmo-f-enterprise-turnover-hint"
    assert cost.get_attribute("aria-describedby") == "kmo-f-cost-hint"
    assert_clean(page)


def test_a_share_above_100_percent_and_a_missing_date_are_explained(calc):
    page = calc.fresh()
    calc.field("Werknemers, in voltijdse equivalenten (VTE)").fill("12")
    calc.field("Jaaromzet in euro").fill("1500000")
    page.get_by_role("button", name="Partner- of verbonden onderneming toevoegen").click()
    row = page.get_by_role("group", name="Onderneming 1", exact=True)
    share = row.get_by_label("Aandeel in procent")
    share.fill("150")
    row.get_by_label("VTE").fill("1")
    row.get_by_label("Jaaromzet in euro").fill("1")
    page.get_by_label("Datum van de steunaanvraag").fill("")
    page.get_by_label("Datum van de steunaanvraag").blur()
    calc.settled()
    expect(page.locator("#kmo-f-enterprise-related-0-share-error")).to_have_text(
        "Geef het aandeel in procent, tussen 0 en 100 (bijvoorbeeld 30).")
    expect(share).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#kmo-f-application_date-error")).to_have_text("Vul de datum van de aanvraag in.")
    expect(page.locator(".kmo-rh__summary--errors")).to_contain_text("Aandeel in procent van onderneming 1: ")
    assert_clean(page)


def test_the_result_shows_reasons_warnings_and_the_steps_with_sources(calc):
    page = calc.page
    calc.visit("?application_date=2026-03-02&start_date=2026-02-01&service=advice&theme=strategy"
              "&registered_provider=false&enterprise.fte=300&enterprise.turnover=100000000&cost=50"
              "&werkbaar_werk=true")
    request = nest(query_of(page.url))
    assert request["vat_rate"] == "0.21" and request["registered_provider"] is False
    expect(calc.result("eligible")).to_have_text("Komt niet in aanmerking")
    assert calc.value("eligible") == "false"
    want = assert_matches_cpython(calc, request)
    assert not want["eligible"] and len(want["reasons"]) >= 4 and want["warnings"]

    details = page.locator("details.kmo-rh__steps")
    summary = details.locator("summary")
    expect(summary).to_have_text("Toon berekening")
    steps = details.locator(".kmo-rh__step-list > li")
    expect(steps.first).to_be_hidden()
    summary.click()
    expect(steps.first).to_be_visible()
    for index, step in enumerate(want["steps"]):
        item = steps.nth(index)
        expect(item.locator("p").first).to_have_text(step["text"])
        if "source" in step:
            link = item.get_by_role("link", name=step["source"]["title"])
            expect(link).to_have_attribute("href", step["source"]["url"])
    assert_clean(page)


def test_format_functions(calc):
    """format.js on its own: Flemish input to contract strings and back, amounts, dates."""
    page = calc.page if calc.on_page() else calc.fresh()
    results = page.evaluate(
        """async () => {
             const f = await import(new URL("assets/rekenhulp/format.js", document.baseURI.replace(/rekenhulp\\/.*$/, "")).href);
             const c = (t, k) => f.toContract(t, k);
             return {
               amounts: ["1.234,56", "1234,56", "1234.56", "1.500", "1.500.000", "€ 2.000", "2000 EUR",
                         "1,234.56", " 12 ", "-5", "veel", "", "12.345", ",5"].map((t) => c(t, "amount")),
               numbers: ["12", "12,5", "12.5", "1.250", "1.250,5", "0,75"].map((t) => c(t, "number")),
               counts: ["8", "1.000", "8,5"].map((t) => c(t, "count")),
               percents: ["30", "30 %", "33,33", "100", "0,5", "abc"].map((t) => c(t, "percent")),
               display: [["1500000", "amount"], ["1234.5", "amount"], ["0.3", "percent"], ["1", "percent"],
                         ["12.5", "number"], ["veel", "amount"]].map(([v, k]) => f.toDisplay(v, k)),
               money: ["0", "600.00", "1234.5", "1234567.89", "-3.00", "", "NaN", null, undefined].map(f.formatAmount),
               dates: ["2026-04-14", "2027-12-31", "2026-01-01", "", "2026-13-01", null].map(f.formatDate),
               percent: ["0.30", "0.35", "0.355", "1", "x"].map(f.formatPercent),
             };
           }""")
    assert results["amounts"] == ["1234.56", "1234.56", "1234.56", "1500", "1500000", "2000", "2000",
                                  "1234.56", "12", "-5", "veel", "", "12345", "0.5"]
    assert results["numbers"] == ["12", "12.5", "12.5", "1.250", "1250.5", "0.75"]
    assert results["counts"] == ["8", "1000", "8.5"]
    assert results["percents"] == ["0.3", "0.3", "0.3333", "1", "0.005", "abc"]
    assert results["display"] == ["1.500.000", "1.234,5", "30", "100", "12,5", "veel"]
    assert results["money"] == [f"€{NBSP}0,00", f"€{NBSP}600,00", f"€{NBSP}1.234,50",
                                f"€{NBSP}1.234.567,89", f"−{NBSP}€{NBSP}3,00", "—", "—", "—", "—"]
    # The same form as the rules package writes amounts.
    assert results["money"][3] == format_amount(Decimal("1234567.89"), cents=True)
    assert results["dates"] == ["14 april 2026", "31 december 2027", "1 januari 2026", "—", "—", "—"]
    assert results["dates"][0] == format_date(dt.date(2026, 4, 14))
    assert results["percent"] == [f"30{NBSP}%", f"35{NBSP}%", f"35,5{NBSP}%", f"100{NBSP}%", "—"]
