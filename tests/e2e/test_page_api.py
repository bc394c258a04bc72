"""The page API (window.kmoPortefeuille): year plans through the same worker, and
requests JSON cannot hold answered with a rejected promise or a Dutch error."""

from __future__ import annotations

import json

import kmo_portefeuille


def test_every_plan_case_gives_the_cpython_answer(calc, case_data):
    if not calc.on_page():
        calc.open()
    plans = case_data.load_plans()
    answers = calc.page.evaluate(
        """async (requests) => {
             const api = window.kmoPortefeuille;
             await api.ready;
             const t0 = performance.now();
             const out = [];
             for (const request of requests) out.push(await api.plan(request));
             return out;
           }""",
        [p.request for p in plans],
    )
    problems = []
    for case, got in zip(plans, answers):
        want = json.loads(json.dumps(kmo_portefeuille.plan(case.request), ensure_ascii=False))
        if got != want:
            problems.append(f"{case.name}: differs from CPython")
        problems += [f"{case.name}: {p}" for p in case_data.plan_mismatches(case.expect, got)]
    assert not problems, "\n".join(problems)


def test_a_plan_of_one_hundred_applications_in_the_browser(calc):
    if not calc.on_page():
        calc.open()
    ms = calc.page.evaluate(
        """async () => {
             const api = window.kmoPortefeuille;
             await api.ready;
             const app = {start_date: "2026-05-11", service: "training", theme: "digitalisation", cost: "900"};
             const applications = Array.from({length: 100}, (_, i) =>
               ({...app, application_date: `2026-05-${String(1 + i % 28).padStart(2, "0")}`}));
             const t0 = performance.now();
             const answer = await api.plan({enterprise: {fte: 8, turnover: 900000}, applications});
             if (answer.years["2026"].support !== "7500.00") throw new Error(JSON.stringify(answer.years));
             return performance.now() - t0;
           }""")
    print(f"plan() of 100 applications in the browser: {ms:.0f} ms")
    assert ms < 3000


def test_requests_json_cannot_hold_are_rejected_or_answered_in_dutch(calc):
    if not calc.on_page():
        calc.open()
    got = calc.page.evaluate(
        """async () => {
             const api = window.kmoPortefeuille;
             await api.ready;
             const outcome = (make) => {
               try {
                 return make().then((r) => ({resolved: r}), (e) => ({rejected: String(e.message || e)}));
               } catch (e) {
                 return {thrown: String(e.message || e)};
               }
             };
             const circular = {cost: 1}; circular.self = circular;
             return {
               circular: await outcome(() => api.estimate(circular)),
               bigint: await outcome(() => api.estimate({cost: 10n})),
               nan: await outcome(() => api.estimate({application_date: "2026-04-14", start_date: "2026-04-20",
                 service: "training", theme: "digitalisation", enterprise: {fte: 8, turnover: 900000}, cost: NaN})),
             };
           }""")
    assert "rejected" in got["circular"] and "geen JSON" in got["circular"]["rejected"]
    assert "rejected" in got["bigint"]
    errors = got["nan"]["resolved"]["errors"]
    assert [e["field"] for e in errors] == ["cost"] and "geen getal" in errors[0]["message"]
