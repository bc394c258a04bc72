"""Hypothesis invariants over generated requests."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kmo_portefeuille import estimate, rules_data

THEMES = sorted(rules_data()["themes"])
LEGAL_FORMS = sorted(rules_data()["legal_forms"])
TOPICS = sorted(rules_data()["topics"]) + ["none"]
DELIVERIES = sorted(rules_data()["deliveries"])
CONDITION_REASONS = {"legal_form_excluded", "no_flemish_establishment", "public_share_too_high",
                     "main_activity_excluded", "service_excluded", "provider_related",
                     "distance_without_interaction", "participants_not_workers", "de_minimis_exceeded"}
amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=__import__("datetime").date(2016, 4, 1), max_value=__import__("datetime").date(2027, 12, 31))

related = st.fixed_dictionaries({
    "relation": st.sampled_from(["partner", "linked"]),
    "share": st.decimals(min_value=0, max_value=1, places=2),
    "fte": st.decimals(min_value=0, max_value=500, places=1),
    "turnover": amounts,
    "balance_sheet_total": amounts,
})
requests = st.fixed_dictionaries(
    {
        "application_date": dates.map(str),
        "start_date": dates.map(str),
        "service": st.sampled_from(["training", "advice"]),
        "theme": st.sampled_from(THEMES),
        "cost": amounts.map(str),
        "enterprise": st.fixed_dictionaries(
            {"fte": st.decimals(min_value=0, max_value=400, places=1), "turnover": amounts,
             "balance_sheet_total": amounts},
            optional={"related": st.lists(related, max_size=3), "size": st.sampled_from(["small", "medium"]),
                      "legal_form": st.sampled_from(LEGAL_FORMS), "flemish_establishment": st.booleans(),
                      "public_share": st.decimals(min_value=0, max_value=1, places=2).map(str),
                      "nace": st.from_regex(r"\A[0-9]{2}\.?[0-9]{0,3}\Z").filter(lambda c: not c.startswith("00")),
                      "health_profession": st.booleans()},
        ),
    },
    optional={
        "catering": st.fixed_dictionaries({"participants": st.integers(0, 50), "days": st.integers(0, 10),
                                           "per_person_per_day": amounts.map(lambda a: a % 100)}),
        "vat_rate": st.sampled_from(["0", "0.06", "0.21"]),
        "registered_provider": st.booleans(),
        "support_used_this_year": amounts.map(lambda a: a % 20000),
        "werkbaar_werk": st.booleans(),
        "topic": st.sampled_from(TOPICS),
        "delivery": st.sampled_from(DELIVERIES),
        "participants_are_workers": st.booleans(),
        "provider_related": st.booleans(),
        "de_minimis_received": st.decimals(min_value=0, max_value=400000, places=2).map(str),
    },
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests)
def test_support_stays_within_rate_and_ceiling(request):
    r = estimate(request)
    assert "errors" not in r, r
    support, cost, rate = Decimal(r["support"]), Decimal(r["eligible_cost"]), Decimal(r["rate"])
    available = Decimal(r["ceiling_left"]) + support
    assert support >= 0
    assert support <= (rate * cost).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # rounded half up, to cents
    assert support <= available
    assert support <= Decimal(r["ceiling"])
    assert Decimal(r["own_share"]) + support == cost
    assert Decimal(r["ceiling_left"]) >= 0
    if not r["eligible"]:
        assert support == 0 and r["reasons"]
    else:
        assert not r["reasons"]
    for value in (r["support"], r["own_share"], r["paid_directly"], r["ceiling"], r["ceiling_left"], r["rate"]):
        assert len(value.split(".")[1]) == 2


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests)
def test_an_answered_condition_is_never_also_an_assumption_and_a_failed_one_is_never_eligible(request):
    r = estimate(request)
    assumed = {a["field"] for a in r["assumptions"]}
    enterprise = request["enterprise"]
    for field in ("legal_form", "flemish_establishment", "public_share", "nace", "health_profession"):
        assert not (field in enterprise and f"enterprise.{field}" in assumed)
    for field in ("topic", "delivery", "participants_are_workers", "provider_related", "de_minimis_received"):
        assert not (field in request and field in assumed)
    assert all(a["message"].strip() for a in r["assumptions"])
    if CONDITION_REASONS & {x["code"] for x in r["reasons"]}:
        assert not r["eligible"] and r["support"] == "0.00"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests)
def test_answering_a_condition_yes_never_lowers_the_support_and_no_never_raises_it(request):
    # Unanswered = assumed met: the support with every condition unanswered is an upper bound.
    bare = {k: v for k, v in request.items()
            if k not in ("topic", "delivery", "participants_are_workers", "provider_related", "de_minimis_received")}
    bare["enterprise"] = {k: v for k, v in request["enterprise"].items()
                          if k not in ("legal_form", "flemish_establishment", "public_share", "nace",
                                       "health_profession")}
    assert Decimal(estimate(request)["support"]) <= Decimal(estimate(bare)["support"])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(json_values, requests.flatmap(lambda r: st.fixed_dictionaries(
    {k: st.one_of(st.just(v), json_values) for k, v in r.items()}))))
def test_any_input_gives_an_answer_or_errors_never_an_exception(request):
    r = estimate(request)
    if "errors" in r:
        assert r["errors"] and all(isinstance(e["field"], str) and e["message"] for e in r["errors"])
        assert "support" not in r
    else:
        assert {"eligible", "support", "steps", "deadlines"} <= set(r)
