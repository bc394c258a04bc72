"""The "Voorwaarden" group (issue 9): the conditions VLAIO checks besides the
amounts, filled by label; a shared link that fails on one of them; the
assumptions under the result; values from a link that the form does not know;
the compact summary on a phone."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlsplit

import kmo_portefeuille
from playwright.sync_api import expect

NBSP = "\u00a0"
GROUP = "#kmo-voorwaarden"
#: A small enterprise's € 2.000 training, as a link (30 % gives € 600).
BASE = ("application_date=2026-04-14&start_date=2026-04-14&service=training&theme=professional_skills"
        "&enterprise.fte=12&enterprise.turnover=1500000&cost=2000&vat_rate=0.21")
BOOLEANS = {"registered_provider", "werkbaar_werk", "flemish_establishment", "health_profession",
            "participants_are_workers", "provider_related"}


def request_of(url: str) -> dict:
    """The request a rekenhulp URL stands for (no related enterprises here)."""
    request: dict = {}
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        *parents, last = key.split(".")
        node = request
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = {"true": True, "false": False}.get(value, value) if last in BOOLEANS else value
    return request


def assert_is_cpython_s(calc):
    """Verdict, reasons and assumptions on screen are CPython's for the URL's request."""
    want = kmo_portefeuille.estimate(request_of(calc.page.url))
    assert "errors" not in want, want
    assert calc.value("eligible") == json.dumps(want["eligible"])
    codes = calc.page.locator(".kmo-rh__reasons [data-code]")
    assert [codes.nth(i).get_attribute("data-code") for i in range(codes.count())] == [
        reason["code"] for reason in want["reasons"]]
    items = calc.page.locator(".kmo-rh__assumptions li")
    assert items.all_inner_texts() == [item["message"] for item in want["assumptions"]]
    return want


def yes_no(page, question: str, answer: str):
    """Answer a Ja / Nee / Niet ingevuld question of the group."""
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def test_filling_the_group_by_label_changes_the_verdict(calc):
    page = calc.fresh()
    calc.fill_small_training()
    group = page.locator(GROUP)
    expect(group).not_to_have_attribute("open", "")  # collapsed by default
    page.locator(f"{GROUP} > summary").click()
    expect(page.get_by_label("Rechtsvorm")).to_be_visible()

    page.get_by_label("Rechtsvorm").select_option("vzw")
    calc.settled()
    expect(calc.result("eligible")).to_have_text("Komt niet in aanmerking")
    expect(page.locator('.kmo-rh__reasons [data-code="legal_form_excluded"]')).to_contain_text("vzw")
    assert ("enterprise.legal_form", "vzw") in parse_qsl(urlsplit(page.url).query)
    want = assert_is_cpython_s(calc)
    assert "enterprise.legal_form" not in [item["field"] for item in want["assumptions"]]

    page.get_by_label("Rechtsvorm").select_option(label="Besloten vennootschap (BV, vroeger BVBA)")
    calc.settled()
    expect(calc.result("eligible")).to_have_text("Komt in aanmerking")
    expect(calc.result("support")).to_have_text(f"€{NBSP}600,00")

    # A tri-state question: "Ja" fails, "Niet ingevuld" leaves it out of the request again.
    question = "Is de dienstverlener verbonden met je onderneming?"
    yes_no(page, question, "Ja")
    calc.settled()
    expect(page.locator('.kmo-rh__reasons [data-code="provider_related"]')).to_be_visible()
    assert "provider_related=true" in page.url
    yes_no(page, question, "Niet ingevuld")
    calc.settled()
    assert "provider_related" not in page.url
    expect(calc.result("eligible")).to_have_text("Komt in aanmerking")

    # Percent in the form, a fraction in the contract; several failures at once.
    calc.field("Deel in handen van overheden, in procent").fill("30")
    page.get_by_label("Gaat de dienst over een van deze onderwerpen?").select_option("mindfulness")
    page.get_by_label("Hoe wordt de opleiding gegeven?").select_option("distance_self_paced")
    calc.settled()
    query = dict(parse_qsl(urlsplit(page.url).query))
    assert query["enterprise.public_share"] == "0.3" and query["topic"] == "mindfulness"
    assert_is_cpython_s(calc)
    for code in ("public_share_too_high", "service_excluded", "distance_without_interaction"):
        expect(page.locator(f'.kmo-rh__reasons [data-code="{code}"]')).to_be_visible()

    calc.field("Deel in handen van overheden, in procent").fill("0")
    page.get_by_label("Gaat de dienst over een van deze onderwerpen?").select_option("none")
    page.get_by_label("Hoe wordt de opleiding gegeven?").select_option("classroom")
    calc.settled()
    expect(calc.result("eligible")).to_have_text("Komt in aanmerking")
    expect(group).to_have_attribute("open", "")  # it never closes on its own
    expect(page.locator(f"{GROUP} > summary")).to_contain_text("(4 van 10 ingevuld)")
    assert_is_cpython_s(calc)

    # "Begin met een leeg formulier" empties and closes it.
    calc.clear()
    expect(group).not_to_have_attribute("open", "")
    assert page.get_by_label("Rechtsvorm").input_value() == ""


def test_a_shared_link_with_a_vzw_opens_on_not_eligible_with_the_group_open(calc):
    page = calc.visit(f"?{BASE}&enterprise.legal_form=vzw")
    expect(calc.result("eligible")).to_have_text("Komt niet in aanmerking")
    expect(page.locator('.kmo-rh__reasons [data-code="legal_form_excluded"]')).to_be_visible()
    expect(page.locator(GROUP)).to_have_attribute("open", "")
    expect(page.get_by_label("Rechtsvorm")).to_have_value("vzw")
    assert_is_cpython_s(calc)
    assert "enterprise.legal_form=vzw" in page.url
    # A figure-free verdict also on the phone's summary.
    expect(page.locator('[data-kmo="bar"]')).to_contain_text("Komt niet in aanmerking")
    assert "€" not in page.locator('[data-kmo="bar"]').inner_text()


def test_the_assumptions_are_listed_and_their_link_opens_the_group(calc, built_site):
    page = calc.page if calc.on_page() else calc.fresh()
    calc.nav("Hoeveel steun?")
    calc.nav("Rekenhulp")  # the form opens with its example
    calc.settled()
    expect(page.locator(GROUP)).not_to_have_attribute("open", "")
    box = page.locator(".kmo-rh__assumptions")
    expect(box.get_by_role("heading", name="De rekenhulp gaat ervan uit dat …")).to_be_visible()
    want = assert_is_cpython_s(calc)
    assert len(want["assumptions"]) >= 8  # the common case answers none of them
    expect(box.locator("li").first).to_have_text(want["assumptions"][0]["message"])

    box.get_by_role("link", name="Vul de voorwaarden aan").click()
    expect(page.locator(GROUP)).to_have_attribute("open", "")
    expect(page.locator(f"{GROUP} > summary")).to_be_focused()
    assert "#" not in page.url  # not through Material's instant navigation
    # The page as built shows them too (computed at build time, the same view).
    html = (built_site / "rekenhulp" / "index.html").read_text(encoding="utf-8")
    assert "De rekenhulp gaat ervan uit dat …" in html and 'data-open="conditions"' in html


def test_an_invalid_value_from_a_link_stays_in_its_field_with_the_error(calc):
    page = calc.visit(f"?{BASE}&enterprise.public_share=abc&topic=unknown&provider_related=ja")
    expect(page.locator(GROUP)).to_have_attribute("open", "")
    share = calc.field("Deel in handen van overheden, in procent")
    expect(share).to_have_value("abc")
    expect(share).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#kmo-f-enterprise-public_share-error")).to_have_text(
        "Dit is geen getal: geef het aandeel van de overheden in cijfers.")
    topic = page.get_by_label("Gaat de dienst over een van deze onderwerpen?")
    expect(topic).to_have_value("unknown")
    expect(page.locator("#kmo-f-topic-error")).to_contain_text("kies een onderwerp uit de lijst")
    related = page.get_by_role("group", name="Is de dienstverlener verbonden met je onderneming?")
    expect(related.get_by_label("Uit de link: ja")).to_be_checked()
    expect(page.locator("#kmo-f-provider_related-error")).to_have_text("Kies Ja, Nee of Niet ingevuld.")
    assert calc.result("support").count() == 0  # no figures while the request has errors
    query = parse_qsl(urlsplit(page.url).query)
    assert ("enterprise.public_share", "abc") in query and ("topic", "unknown") in query
    expect(page.locator('[data-kmo="bar"]')).to_have_text(
        "Nog geen resultaat: bekijk wat nog nodig is Naar het volledige resultaat.")

    # Corrected in the form: the errors go, the rest kept its values.
    share.fill("10")
    topic.select_option("none")
    related.get_by_label("Nee", exact=True).check()
    calc.settled()
    expect(calc.result("support")).to_have_text(f"€{NBSP}600,00")
    assert page.locator("[aria-invalid=true]").count() == 0
    assert_is_cpython_s(calc)


def test_the_phone_summary_shows_verdict_and_support_and_hides_nothing(calc, results_dir):
    page = calc.visit(f"?{BASE}")
    bar = page.locator('a[data-kmo="bar"]')
    try:
        page.set_viewport_size({"width": 360, "height": 740})
        field = calc.field("Prijs zonder btw, in euro")
        field.scroll_into_view_if_needed()
        expect(bar).to_be_visible()
        expect(page.locator('[data-kmo="bar-text"]')).to_have_text(f"Komt in aanmerking · €{NBSP}600,00 steun")
        assert bar.get_attribute("href").endswith("#kmo-resultaat")
        # One link with the verdict, the support and where it leads (the ✓ is the verdict's own sign).
        expect(bar).to_have_accessible_name(
            re.compile(r"^✓ Komt in aanmerking · €\s600,00 steun\s+Naar het volledige resultaat\.$"))
        assert bar.get_attribute("aria-hidden") is None and bar.get_attribute("aria-live") is None
        page.screenshot(path=str(results_dir / "screenshot-phone-summary.png"))
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360

        # A field given focus does not end up behind the bar.
        bar_top = bar.bounding_box()["y"]
        for label in ("Jaaromzet in euro", "Prijs zonder btw, in euro", "Aantal dagen"):
            page.evaluate("() => window.scrollTo(0, 0)")
            calc.field(label).focus()
            box = calc.field(label).bounding_box()
            assert box["y"] + box["height"] <= bar_top, label

        # The bar leads to the full result (focus moves there), and goes while it is in sight.
        bar.click()
        expect(page.locator("#kmo-resultaat")).to_be_focused()
        expect(bar).to_be_hidden()
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator('[data-kmo="bar"]')).to_be_hidden()  # wide screen: the result is beside the form


def test_the_phone_summary_shows_nothing_while_python_loads(context_without_runtime, make_calc):
    calc = make_calc(context_without_runtime())
    calc.page.set_viewport_size({"width": 360, "height": 740})
    calc.open(ready=False)
    expect(calc.page.locator('[data-kmo="output"]')).to_have_attribute("data-state", "prerendered")
    calc.field("Prijs zonder btw, in euro").fill("3000")
    calc.page.wait_for_timeout(300)
    expect(calc.page.locator('[data-kmo="bar"]')).to_be_hidden()
    calc.page.close()


def test_print_shows_the_answered_conditions_and_the_assumptions_on_one_page(calc):
    page = calc.visit(f"?{BASE}&enterprise.legal_form=bv&delivery=classroom&provider_related=false")
    page.locator(f"{GROUP} > summary").click()  # closed: on paper its answers still show
    expect(page.locator(GROUP)).not_to_have_attribute("open", "")
    page.emulate_media(media="print")
    try:
        expect(page.get_by_label("Rechtsvorm")).to_be_visible()
        expect(page.get_by_label("Rechtsvorm")).to_have_value("bv")
        expect(calc.field("NACE-BEL-code van je hoofdactiviteit")).to_be_hidden()  # unanswered
        expect(page.get_by_role("group", name="Werken alle deelnemers in je onderneming?")).to_be_hidden()
        expect(page.locator(".kmo-rh__assumptions")).to_be_visible()
        expect(page.get_by_role("link", name="Vul de voorwaarden aan")).to_be_hidden()
        pdf = page.pdf(format="A4", print_background=True)
        assert len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) == 1
    finally:
        page.emulate_media(media="null")


def test_a_yes_that_rests_on_assumptions_says_so_under_the_verdict(calc):
    if not calc.on_page():
        calc.open()
    page = calc.page
    page.goto(calc.PATH, wait_until="domcontentloaded")  # the example: a small enterprise that qualifies
    calc.settled(timeout=35_000)
    proviso = page.locator(".kmo-rh__proviso")
    expect(proviso).to_be_visible()
    count = page.locator("[data-result=assumptions] li").count()
    assert count >= 5
    expect(proviso).to_contain_text(f"{count} voorwaarden")
    proviso.get_by_role("link").click()
    expect(page.locator("#kmo-aannames")).to_be_focused()
    assert "#" not in page.url
