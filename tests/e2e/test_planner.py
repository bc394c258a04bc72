"""The planner ("Jaarplanning") and the page for providers ("Voor
dienstverleners"): a plan built by label, shared by link, through CSV and
back, a bad CSV, the .ics file (parsed here), the provider table against
CPython, axe-core, the CSP and the screenshots for the README.

One context for the module, with the page's CSP in force (axe-core is served
from the site's own origin by a route, so 'self' allows it); the pages are
reached by instant navigation where the worker may stay."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import kmo_portefeuille
import pytest
from playwright.sync_api import expect

from .test_accessibility import AXE_RUN, report, scheme

NBSP = "\u00a0"
README_DIR = Path(__file__).resolve().parents[2] / ".github" / "readme"


def readme_shot(results_dir: Path, name: str) -> Path:
    """Where a README screenshot goes: test-results/ always; .github/readme/ (tracked) only
    when it is missing there or KMO_README_SCREENSHOTS=1, so that a test run leaves the
    work tree clean."""
    if os.environ.get("KMO_README_SCREENSHOTS") == "1" or not (README_DIR / name).exists():
        README_DIR.mkdir(parents=True, exist_ok=True)
        return README_DIR / name
    return results_dir / name
ENTERPRISE = {"fte": "8", "turnover": "900000"}
#: The plan the tests build by label: a small enterprise, three trainings in 2026.
#: 30 % × 10.000 = 3.000; 30 % × 10.000 = 3.000; 30 % × 2.000 = 600: 6.600 of 7.500, 900 left,
#: 900 ÷ 0,30 = 3.000 of training still covered.
APPS = [
    {"application_date": "2026-02-02", "start_date": "2026-02-09", "service": "training", "theme": "digitalisation", "cost": "10000"},
    {"application_date": "2026-04-06", "start_date": "2026-04-13", "service": "training", "theme": "sustainability", "cost": "10000"},
    {"application_date": "2026-09-07", "start_date": "2026-09-14", "service": "training", "theme": "digitalisation", "cost": "2000"},
]
TYPED_COST = {"10000": "10.000", "2000": "2000"}


@pytest.fixture(scope="module")
def plan_context(new_site_context, axe_core_js, site_url):
    context = new_site_context(accept_downloads=True, permissions=["clipboard-read", "clipboard-write"])
    context.route(site_url + "__axe.js", lambda route: route.fulfill(
        path=str(axe_core_js), content_type="text/javascript"))
    return context


@pytest.fixture(scope="module")
def page(plan_context):
    page = plan_context.new_page()
    page.set_default_timeout(15_000)
    return page


def settled(page, timeout=35_000):
    page.locator('[data-kmo="live"][aria-busy="false"]').wait_for(timeout=timeout)


def axe(page, site_url) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url=site_url + "__axe.js")
    return page.evaluate(AXE_RUN)


def app_group(page, number: int):
    return page.get_by_role("group", name=f"Aanvraag {number}", exact=True)


def fill_app(page, number: int, app: dict):
    group = app_group(page, number)
    group.get_by_label("Datum van de steunaanvraag").fill(app["application_date"])
    group.get_by_label("Startdatum").fill(app["start_date"])
    group.get_by_label("Soort dienst").select_option(app["service"])
    group.get_by_label("Thema").select_option(app["theme"])
    group.get_by_label("Prijs zonder btw, in euro").fill(TYPED_COST[app["cost"]])


def figures(page) -> dict:
    """Every figure on the planner: per application and per year, as contract values."""
    return page.evaluate("""() => ({
        apps: [...document.querySelectorAll('[data-kmo="app"]')].map((app) => Object.fromEntries(
          [...app.querySelectorAll("[data-result]")].map((n) => [n.dataset.result, n.dataset.value]))),
        years: Object.fromEntries([...document.querySelectorAll("[data-year]")].filter((n) => n.tagName === "SECTION")
          .map((y) => [y.dataset.year, Object.fromEntries([...y.querySelectorAll("[data-year-result]")]
            .map((n) => [n.dataset.yearResult, n.dataset.value])) ])),
      })""")


def euro(value: str) -> str:
    """ "2050.40" -> "€ 2.050,40" (as format.js writes it). """
    whole, cents = value.split(".")
    return f"€{NBSP}{int(whole):,}".replace(",", ".") + f",{cents}"


def query_of(url: str) -> list:
    return sorted(parse_qsl(urlsplit(url).query))


def cpython_plan(apps=APPS, enterprise=ENTERPRISE):
    return kmo_portefeuille.plan({"enterprise": dict(enterprise), "applications": [dict(a) for a in apps]})


def test_a_plan_built_by_label_shared_by_link_and_through_csv(page, plan_context, site_url, results_dir):
    page.goto("planner/", wait_until="domcontentloaded")
    settled(page)
    page.get_by_label("Werknemers, in voltijdse equivalenten (VTE)").fill("8")
    page.get_by_label("Jaaromzet in euro").fill("900.000")
    fill_app(page, 1, APPS[0])
    for number in (2, 3):
        page.get_by_role("button", name="Aanvraag toevoegen").click()
        expect(app_group(page, number).get_by_label("Datum van de steunaanvraag")).to_be_focused()
        fill_app(page, number, APPS[number - 1])
    page.get_by_label("Steun al gekregen in 2026, in euro").wait_for()
    settled(page)
    expect(page.locator('[data-year="2026"] [data-year-result="support"]')).to_have_attribute("data-value", "6600.00")

    want = cpython_plan()
    got = figures(page)
    assert [a["support"] for a in got["apps"]] == [a["support"] for a in want["applications"]] == ["3000.00", "3000.00", "600.00"]
    for mine, theirs in zip(got["apps"], want["applications"]):
        assert mine["own_share"] == theirs["own_share"] and mine["ceiling_left"] == theirs["ceiling_left"]
    year = got["years"]["2026"]
    assert (year["ceiling"], year["support"], year["ceiling_left"]) == (
        want["years"]["2026"]["ceiling"], want["years"]["2026"]["support"], want["years"]["2026"]["ceiling_left"])
    assert year["cost_covered"] == "3000.00"
    expect(page.locator('[data-year="2026"] .kmo-pl__left')).to_have_text(
        f"Met wat er overblijft, kan je nog voor €{NBSP}3.000,00 aan opleiding laten subsidiëren "
        f"(tegen 30{NBSP}%, het steunpercentage van je laatste aanvraag in 2026).")
    # The bar reads without colour: its figures are its accessible name, in text beside it.
    bar = page.locator('[data-year="2026"] svg[role="img"]')
    expect(bar).to_have_accessible_name(re.compile(r"Nog over \(leeg\): €.900,00"))

    # The URL holds the plan with the contract's names.
    query = dict(parse_qsl(urlsplit(page.url).query))
    assert query["enterprise.fte"] == "8" and query["applications.0.cost"] == "10000"
    assert query["applications.2.theme"] == "digitalisation" and query["enterprise.turnover"] == "900000"

    # Shared by link: a new page shows the same plan and the same figures.
    page.get_by_role("button", name="Kopieer link").click()
    link = page.get_by_label("Link naar deze planning").input_value()
    assert query_of(link) == query_of(page.url)
    other = plan_context.new_page()
    try:
        other.goto(link, wait_until="domcontentloaded")
        settled(other)
        assert figures(other) == got
        expect(app_group(other, 3).get_by_label("Prijs zonder btw, in euro")).to_have_value("2.000")
        assert query_of(other.url) == query_of(link)
        assert other.evaluate("() => window.kmoPortefeuille.workersStarted") == 1
    finally:
        other.close()

    # Screenshot for the README (three applications).
    page.set_viewport_size({"width": 1100, "height": 900})
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 1100, "height": min(height, 4000)})
    page.screenshot(path=str(readme_shot(results_dir, "planner.png")))
    page.set_viewport_size({"width": 1280, "height": 900})

    # CSV out (Excel: BOM, ";", decimal comma) ...
    with page.expect_download() as info:
        page.get_by_role("button", name="Download als CSV").click()
    csv_path = results_dir / "planner.csv"
    info.value.save_as(csv_path)
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Aanvraagdatum;Startdatum;Soort dienst;Thema;Prijs zonder btw (euro);Stopgezet op"
    assert lines[1] == "2026-02-02;2026-02-09;opleiding;Digitalisering;10000,00;"
    assert len([line for line in lines if line]) == 4

    # ... and in again, on a planner that holds only the enterprise: the same plan.
    page.goto("planner/?enterprise.fte=8&enterprise.turnover=900000", wait_until="domcontentloaded")
    settled(page)
    expect(page.locator('[data-kmo="app"]')).to_have_count(1)
    page.get_by_label("Lees aanvragen in uit een CSV-bestand").set_input_files(str(csv_path))
    expect(page.get_by_role("status").filter(has_text="3 aanvragen ingelezen")).to_be_visible()
    expect(page.locator('[data-kmo="app"]')).to_have_count(3)
    expect(page.locator('[data-year="2026"] [data-year-result="support"]')).to_have_attribute("data-value", "6600.00")
    settled(page)
    assert query_of(page.url) == query_of(link)
    assert figures(page) == got
    assert not page.evaluate("() => window.__kmoCspViolations")


def test_move_remove_and_errors_at_the_application(page):
    page.goto("planner/?" + "&".join(f"applications.{i}.{k}={v}" for i, a in enumerate(APPS) for k, v in a.items())
              + "&enterprise.fte=8&enterprise.turnover=900000", wait_until="domcontentloaded")
    settled(page)
    page.get_by_role("button", name="Aanvraag 3 naar boven").click()
    expect(page.get_by_role("button", name="Aanvraag 2 naar boven")).to_be_focused()
    expect(app_group(page, 2).get_by_label("Prijs zonder btw, in euro")).to_have_value("2.000")
    settled(page)
    assert dict(parse_qsl(urlsplit(page.url).query))["applications.1.cost"] == "2000"
    # Computed on date, shown in the order given: the September training still gets 600.
    expect(app_group(page, 2).locator('[data-result="support"]')).to_have_attribute("data-value", "600.00")

    # An error from Python stands at that application's field; nothing typed is lost.
    cost = app_group(page, 3).get_by_label("Prijs zonder btw, in euro")
    cost.fill("veel")
    cost.blur()
    settled(page)
    error = page.locator("#kmo-p-applications-2-cost-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("geen getal")
    expect(cost).to_have_attribute("aria-invalid", "true")
    expect(cost).to_have_value("veel")
    expect(page.locator(".kmo-rh__summary--errors")).to_contain_text("Aanvraag 3, prijs zonder btw")
    assert dict(parse_qsl(urlsplit(page.url).query))["applications.2.cost"] == "veel"

    page.get_by_role("button", name="Aanvraag 3 verwijderen").click()
    expect(page.locator('[data-kmo="app"]')).to_have_count(2)
    expect(app_group(page, 2).get_by_label("Datum van de steunaanvraag")).to_be_focused()
    settled(page)
    expect(page.locator(".kmo-rh__summary--errors")).to_have_count(0)


def test_a_bad_csv_row_names_row_and_column_and_keeps_the_good_rows(page):
    page.goto("planner/?enterprise.fte=8&enterprise.turnover=900000", wait_until="domcontentloaded")
    settled(page)
    text = ("Aanvraagdatum;Startdatum;Soort dienst;Thema;Prijs zonder btw (euro);Stopgezet op\r\n"
            "02/02/2026;09/02/2026;opleiding;Digitalisering;10.000,00;\r\n"
            "2026-04-06;2026-04-13;opleiding;Duurzaamheid;veel;\r\n"
            "2026-09-07;2026-09-14;advies;cybersecurity;2500;\r\n")
    upload = page.get_by_label("Lees aanvragen in uit een CSV-bestand")
    upload.set_input_files({"name": "klant.csv", "mimeType": "text/csv", "buffer": text.encode()})
    status = page.locator('[data-kmo="import-status"]')
    expect(status).to_contain_text("2 aanvragen ingelezen")
    expect(status).to_contain_text('Rij 3: kolom "Prijs zonder btw (euro)" "veel" is geen bedrag')
    expect(page.locator('[data-kmo="app"]')).to_have_count(2)
    expect(app_group(page, 1).get_by_label("Datum van de steunaanvraag")).to_have_value("2026-02-02")
    expect(app_group(page, 2).get_by_label("Thema")).to_have_value("cybersecurity")

    # A file that is not ours: a message, and the plan stays.
    upload.set_input_files({"name": "iets.csv", "mimeType": "text/csv", "buffer": b"naam,bedrag\r\nJan,12\r\n"})
    expect(status).to_contain_text("Dit bestand is geen planning van deze site: in rij 1 staat in kolom 1")
    expect(page.locator('[data-kmo="app"]')).to_have_count(2)


def unfold(text: str) -> list[str]:
    """RFC 5545 3.1: CRLF line ends, continuation lines start with a space."""
    assert "\n" not in text.replace("\r\n", ""), "a line ends without CR"
    assert text.endswith("\r\n")
    lines = []
    for physical in text[:-2].split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75, f"line longer than 75 octets: {physical!r}"
        if physical.startswith(" "):
            lines[-1] += physical[1:]
        else:
            lines.append(physical)
    return lines


def parse_ics(text: str) -> list[dict]:
    """The VEVENTs of a VCALENDAR (properties by name), checking BEGIN/END pairs."""
    stack, events = [], []
    for line in unfold(text):
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif name == "END":
            assert stack and stack.pop() == value, f"END:{value} without its BEGIN"
        elif stack and stack[-1] == "VEVENT":
            events[-1][name] = value
    assert not stack, f"not ended: {stack}"
    return events


def test_the_ics_file_parses_with_the_plans_deadlines(page, results_dir):
    page.goto("planner/?" + "&".join(f"applications.{i}.{k}={v}" for i, a in enumerate(APPS) for k, v in a.items())
              + "&enterprise.fte=8&enterprise.turnover=900000", wait_until="domcontentloaded")
    settled(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Zet de termijnen in je agenda (.ics)").click()
    path = results_dir / "planner.ics"
    info.value.save_as(path)
    text = path.read_bytes().decode("utf-8")
    events = parse_ics(text)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    want = cpython_plan()
    dates = sorted(d.replace("-", "") for a in want["applications"]
                   for d in (a["deadlines"]["apply_by"], a["deadlines"]["deposit_by"],
                             a["deadlines"]["deposit_by"], a["deadlines"]["complete_by"]))
    assert sorted(e["DTSTART;VALUE=DATE"] for e in events) == dates
    assert len({e["UID"] for e in events}) == len(events) == 12
    assert all(re.fullmatch(r"\d{8}T\d{6}Z", e["DTSTAMP"]) for e in events)
    payment = [e for e in events if "betaalopdracht" in e["SUMMARY"]]
    assert len(payment) == 3 and "vergeet je het" in payment[0]["DESCRIPTION"]
    # Escaped text: the commas of the sentences, the link back to the page.
    assert "\\," in payment[0]["DESCRIPTION"] and "planner/?" in payment[0]["DESCRIPTION"].replace("\\", "")


def test_the_provider_table_equals_cpython_for_small_and_medium(page, site_url, results_dir):
    query = ("cost=2000&vat_rate=0.21&service=training&theme=digitalisation&application_date=2026-04-14"
             "&catering.participants=8&catering.days=1&catering.per_person_per_day=30")
    page.goto("dienstverleners/?" + query, wait_until="domcontentloaded")
    settled(page)
    table = page.locator("table.kmo-pl__table")
    expect(table).to_be_visible()
    base = {"application_date": "2026-04-14", "start_date": "2026-04-14", "service": "training",
            "theme": "digitalisation", "cost": "2000", "vat_rate": "0.21", "vat_deductible": True,
            "catering": {"participants": "8", "days": "1", "per_person_per_day": "30"}}
    for size in ("small", "medium"):
        want = kmo_portefeuille.estimate({**base, "enterprise": {"size": size}})
        assert want["eligible"]
        for key in ("support", "own_share", "vat", "total_outlay", "net_cost", "invoice_total", "non_eligible"):
            cell = table.locator(f'td[data-size="{size}"][data-result="{key}"]')
            expect(cell).to_have_attribute("data-value", want[key])
    small = kmo_portefeuille.estimate({**base, "enterprise": {"size": "small"}})
    expect(page.locator('p[data-size="small"]')).to_have_text(
        f"Met de kmo-portefeuille betaalt een kleine onderneming voor deze opleiding {euro(small['total_outlay'])} "
        f"in plaats van {euro(small['invoice_total'])}, btw inbegrepen; trekt ze de btw af, dan kost het haar "
        f"{euro(small['net_cost'])}.")
    assert query_of(page.url) == query_of("?" + query)
    page.set_viewport_size({"width": 1000, "height": 900})
    page.locator("#kmo-dv-resultaat").screenshot(path=str(readme_shot(results_dir, "dienstverleners.png")))
    page.set_viewport_size({"width": 1280, "height": 900})

    # Print: the table and the inputs, not the buttons.
    page.emulate_media(media="print")
    try:
        expect(table).to_be_visible()
        expect(page.get_by_role("button", name="Kopieer link")).to_be_hidden()
    finally:
        page.emulate_media(media="null")
    assert not page.evaluate("() => window.__kmoCspViolations")


def test_both_pages_have_no_axe_violations_and_fit_a_phone(page, site_url):
    problems = {}
    for path in ("planner/?" + "&".join(f"applications.{i}.{k}={v}" for i, a in enumerate(APPS) for k, v in a.items())
                 + "&enterprise.fte=8&enterprise.turnover=900000&support_used.2026=500",
                 "dienstverleners/?cost=1500"):
        page.goto(path, wait_until="domcontentloaded")
        settled(page)
        problems[path] = axe(page, site_url)
        scheme(page, "dark")
        problems[path + " (dark)"] = axe(page, site_url)
        scheme(page, "light")
        if path.startswith("planner/"):
            # Support already used outside the plan, as CPython counts it: 500 + 6.600, 400 left.
            want = kmo_portefeuille.plan({"enterprise": dict(ENTERPRISE), "applications": [dict(a) for a in APPS],
                                          "support_used": {"2026": "500"}})["years"]["2026"]
            year = figures(page)["years"]["2026"]
            assert (year["support_used_outside"], year["support"], year["ceiling_left"]) == (
                want["support_used_outside"], want["support"], want["ceiling_left"]) == ("500.00", "6600.00", "400.00")
        page.set_viewport_size({"width": 360, "height": 800})
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, path
        page.set_viewport_size({"width": 1280, "height": 900})
    problems = {p: report(v) for p, v in problems.items() if v}
    assert not problems, "\n\n".join(f"{p}\n{t}" for p, t in problems.items())


@pytest.mark.parametrize("name", ["planner", "dienstverleners"])
def test_every_inline_script_of_the_new_pages_is_allowed_by_its_hash(built_site, name):
    html = (built_site / name / "index.html").read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    allowed = set(re.findall(r"'sha256-[^']+'", policy))
    bodies = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S)
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'" for b in bodies}
    assert hashes <= allowed, f"inline scripts without a hash in overrides/{name}.html: {hashes - allowed}"
    assert "kmo-build-info" in html  # the worker starts without a build-info.json round trip


def test_money_left_divided_by_the_rate_in_cents(page):
    if "planner/" not in page.url:
        page.goto("planner/", wait_until="domcontentloaded")
    got = page.evaluate("""async () => {
        const m = await import(new URL("assets/planner/money.js", document.baseURI.replace(/planner\\/.*$/, "")).href);
        return [m.costCovered("1000.00", "0.30"), m.costCovered("0.01", "0.3"), m.costCovered("7500.00", "0.20"),
                m.costCovered("900.00", "0"), m.costCovered("12345678901234567.89", "0.30")];
      }""")
    assert got == ["3333.33", "0.03", "37500.00", None, "41152263004115226.30"]
