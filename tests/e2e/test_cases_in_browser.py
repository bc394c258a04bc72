"""Every test case of the rules package, run through the browser's worker
(window.kmoPortefeuille.estimate), gives exactly what CPython gives."""

from __future__ import annotations

import json

import kmo_portefeuille


def as_json(value):
    return json.loads(json.dumps(value, ensure_ascii=False))


def test_every_case_gives_the_cpython_response(calc, case_data, timings):
    cases = case_data.load_cases()
    assert len(cases) >= 60

    # Time from navigation to the first result, in the document on screen
    # (loaded in full earlier in the session, or now).
    if not calc.on_page():
        calc.open()
    first = calc.page.evaluate(
        "() => performance.getEntriesByName('kmo-first-result')[0].startTime / 1000")
    boot = calc.page.evaluate("() => window.kmoPortefeuille.state.bootMs / 1000")
    timings["navigation_to_first_result_s"] = round(first, 3)
    timings["worker_boot_s"] = round(boot, 3)
    print(f"navigation → first result {first:.2f} s (Python ready after {boot:.2f} s)")

    # The stdlib subset holds every module the cases need: none of them makes
    # _kmo_stdlib download the complete python_stdlib.zip (tools/stdlib-overrides/).
    fetched = []
    calc.page.context.on("request", lambda request: fetched.append(request.url))
    responses = calc.page.evaluate(
        """async (requests) => {
             const api = window.kmoPortefeuille;
             await api.ready;
             return Promise.all(requests.map((request) => api.estimate(request)));
           }""",
        [case.request for case in cases],
    )
    assert len(responses) == len(cases)
    problems = []
    for case, got in zip(cases, responses):
        want = as_json(kmo_portefeuille.estimate(case.request))
        if got != want:
            keys = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
            problems.append(f"{case.id}: differs in {keys}")
        problems += [f"{case.id}: {p}" for p in case_data.mismatches(case.expect, got)]
    assert not problems, "\n".join(problems)
    stock = [url for url in fetched if url.endswith("/python_stdlib.zip") and "-kmo-" not in url]
    assert not stock, f"the cases needed modules outside the stdlib subset: {stock}"
    timings["cases_in_browser"] = len(cases)
    print(f"{len(cases)} cases in the browser match CPython")


def test_estimate_accepts_json_text_and_answers_bad_json_with_an_error(calc):
    if not calc.on_page():
        calc.open()
    answers = calc.page.evaluate(
        """async () => {
             const api = window.kmoPortefeuille;
             return [await api.estimate('{"cost": 1'), await api.estimate('[]')];
           }""")
    assert answers[0] == {"errors": [{"field": "", "message": "De invoer is geen geldige JSON."}]}
    assert answers[1]["errors"][0]["field"] == ""
