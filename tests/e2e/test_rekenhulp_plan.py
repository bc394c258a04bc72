"""The rekenhulp's ways to the planner and the agenda, and the net cost:
"Mijn onderneming trekt de btw af" sends vat_deductible, the result shows
net_cost with one sentence on the VAT, "Zet de termijnen in je agenda" gives
an .ics file of the one result, and "Plan meer aanvragen dit jaar" opens the
planner with this application (the same worker)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import kmo_portefeuille
from playwright.sync_api import expect

from .test_planner import parse_ics

QUERY = ("?application_date=2026-04-14&start_date=2026-04-20&service=training&theme=digitalisation"
         "&enterprise.fte=12&enterprise.turnover=1500000&cost=2000&vat_rate=0.21")
REQUEST = {"application_date": "2026-04-14", "start_date": "2026-04-20", "service": "training",
           "theme": "digitalisation", "enterprise": {"fte": "12", "turnover": "1500000"},
           "cost": "2000", "vat_rate": "0.21"}


def test_net_cost_with_and_without_vat_deduction(calc):
    page = calc.visit(QUERY)
    without = kmo_portefeuille.estimate(REQUEST)
    expect(calc.result("net_cost")).to_have_attribute("data-value", without["net_cost"])
    expect(calc.result("net_cost_note")).to_contain_text("telt mee in de nettokost: je onderneming trekt ze niet af")
    page.get_by_label("Mijn onderneming trekt de btw af").check()
    calc.settled()
    deducted = kmo_portefeuille.estimate({**REQUEST, "vat_deductible": True})
    assert deducted["net_cost"] != without["net_cost"]
    expect(calc.result("net_cost")).to_have_attribute("data-value", deducted["net_cost"])
    expect(calc.result("net_cost_note")).to_contain_text("Je onderneming trekt de btw af")
    assert dict(parse_qsl(urlsplit(page.url).query))["vat_deductible"] == "true"


def test_the_agenda_file_of_one_result(calc, results_dir):
    page = calc.visit(QUERY)
    expect(calc.result("eligible")).to_have_text("Komt in aanmerking")
    with page.expect_download() as info:
        page.get_by_role("button", name="Zet de termijnen in je agenda").click()
    path = results_dir / "rekenhulp.ics"
    info.value.save_as(path)
    events = parse_ics(path.read_bytes().decode("utf-8"))
    d = kmo_portefeuille.estimate(REQUEST)["deadlines"]
    want = sorted(x.replace("-", "") for x in (d["apply_by"], d["deposit_by"], d["deposit_by"], d["complete_by"]))
    assert sorted(e["DTSTART;VALUE=DATE"] for e in events) == want
    assert all("rekenhulp/?" in e["DESCRIPTION"].replace("\\", "") for e in events)


def test_plan_more_applications_opens_the_planner_with_this_one(calc):
    page = calc.visit(QUERY)
    expect(calc.result("eligible")).to_have_text("Komt in aanmerking")
    link = page.get_by_role("link", name="Plan meer aanvragen dit jaar")
    query = dict(parse_qsl(urlsplit(link.get_attribute("href")).query))
    assert query == {"enterprise.fte": "12", "enterprise.turnover": "1500000",
                     "applications.0.application_date": "2026-04-14", "applications.0.start_date": "2026-04-20",
                     "applications.0.service": "training", "applications.0.theme": "digitalisation",
                     "applications.0.cost": "2000"}
    link.click()
    page.get_by_role("heading", level=1, name="Jaarplanning").wait_for()
    page.locator('[data-kmo="live"][aria-busy="false"]').wait_for()
    support = kmo_portefeuille.estimate(REQUEST)["support"]
    expect(page.locator('[data-kmo="app"] [data-result="support"]')).to_have_attribute("data-value", support)
    # Instant navigation: the rekenhulp's worker goes on serving the planner.
    assert page.evaluate("() => window.kmoPortefeuille.workersStarted") == 1
