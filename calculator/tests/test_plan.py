"""Year plans (``kmo_portefeuille.plan``): the cases of plans/*.toml, the CLI and the invariants."""

import json
import subprocess
import sys
import time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from case_data import load_cases, load_plans, plan_mismatches
from kmo_portefeuille import estimate, plan

PLANS = load_plans()


@pytest.mark.parametrize("case", PLANS, ids=[p.name for p in PLANS])
def test_plan_case(case):
    assert plan_mismatches(case.expect, plan(case.request)) == []


@pytest.mark.parametrize("case", [c for c in load_cases() if "errors" not in c.expect][:40], ids=lambda c: c.id)
def test_a_plan_of_one_application_is_the_estimate(case):
    application = {k: v for k, v in case.request.items() if k not in ("enterprise", "support_used_this_year")}
    used = case.request.get("support_used_this_year")
    year = case.request["application_date"][:4]
    request = {"enterprise": case.request["enterprise"], "applications": [application]}
    if used is not None:
        request["support_used"] = {year: used}
    got = plan(request)["applications"][0]
    want = estimate(case.request)
    assert got.pop("cancelled") is False
    assert json.loads(json.dumps(got)) == json.loads(json.dumps(want))


def test_the_cli_plan_command_exits_0_or_2():
    good = PLANS[0].request
    done = subprocess.run([sys.executable, "-m", "kmo_portefeuille", "plan"], input=json.dumps(good).encode(),
                          capture_output=True, timeout=30)
    assert done.returncode == 0 and len(json.loads(done.stdout)["applications"]) == 3
    done = subprocess.run([sys.executable, "-m", "kmo_portefeuille", "plan"], input=b'{"applications": 5}',
                          capture_output=True, timeout=30)
    assert done.returncode == 2 and {"applications", "enterprise"} <= {e["field"] for e in json.loads(done.stdout)["errors"]}


@pytest.mark.parametrize("applications, message", [("geen lijst", "lijst"), ([], "minstens"),
                                                    ([{}] * 101, "hoogstens 100")])
def test_the_list_of_applications_is_checked(applications, message):
    answer = plan({"enterprise": {"fte": 1, "turnover": 1}, "applications": applications})
    assert answer["errors"][0]["field"] == "applications" and message in answer["errors"][0]["message"]


def test_one_hundred_applications_take_well_under_a_second():
    app = {"start_date": "2026-05-11", "service": "training", "theme": "digitalisation", "cost": "900"}
    request = {"enterprise": {"fte": 8, "turnover": 900000},
               "applications": [{**app, "application_date": f"2026-05-{1 + i % 28:02d}"} for i in range(100)]}
    start = time.perf_counter()
    answer = plan(request)
    elapsed = time.perf_counter() - start
    print(f"plan() of 100 applications: {elapsed * 1000:.0f} ms")
    assert elapsed < 1.0
    assert answer["years"]["2026"]["support"] == "7500.00"


day = st.dates(min_value=__import__("datetime").date(2024, 1, 1), max_value=__import__("datetime").date(2026, 12, 31))
application = st.builds(
    lambda d, cost, service, cancel_after: {
        "application_date": d.isoformat(), "start_date": d.isoformat(), "service": service,
        "theme": "cybersecurity", "cost": str(cost),
        **({"cancelled_on": (d + __import__("datetime").timedelta(days=cancel_after)).isoformat()}
           if cancel_after is not None else {}),
    },
    day, st.decimals(min_value=0, max_value=40000, places=2), st.sampled_from(["training", "advice"]),
    st.none() | st.integers(0, 400))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(application, min_size=1, max_size=8), st.sampled_from([{"fte": 8, "turnover": 900000},
                                                                       {"fte": 120, "turnover": 20000000}]))
def test_a_years_support_never_passes_its_ceiling_and_is_the_sum_of_its_applications(apps, enterprise):
    answer = plan({"enterprise": enterprise, "applications": apps})
    assert "errors" not in answer, answer
    for year, totals in answer["years"].items():
        mine = [a for a, r in zip(apps, answer["applications"]) if a["application_date"][:4] == year]
        supports = [Decimal(r["support"]) for a, r in zip(apps, answer["applications"])
                    if a["application_date"][:4] == year]
        assert mine
        assert Decimal(totals["support"]) == sum(supports)
        assert Decimal(totals["support"]) <= Decimal(totals["ceiling"])
        assert Decimal(totals["ceiling_left"]) >= 0
    for a, r in zip(apps, answer["applications"]):
        assert r["cancelled"] == ("cancelled_on" in a)
        if r["cancelled"]:
            assert r["support"] == "0.00"
