"""Every case in cases/*.toml, computed in CPython."""

import pytest

from case_data import load_cases, mismatches
from kmo_portefeuille import estimate

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case):
    response = estimate(case.request)
    assert mismatches(case.expect, response) == []


def test_there_are_cases_for_every_reason_code():
    codes = {code for c in CASES for code in c.expect.get("reasons", [])}
    assert codes == {"size_large", "below_minimum", "provider_not_registered", "application_too_late",
                     "theme_not_eligible", "advice_subject_not_allowed", "ceiling_reached",
                     "legal_form_excluded", "no_flemish_establishment", "public_share_too_high",
                     "main_activity_excluded", "service_excluded", "provider_related", "distance_without_interaction",
                     "participants_not_workers", "de_minimis_exceeded"}


def test_there_is_a_case_for_every_rule_version():
    from kmo_portefeuille import rules_data
    versions = set(rules_data()["versions"])
    covered = {c.expect["rules_version"] for c in CASES if "rules_version" in c.expect}
    assert versions <= covered
