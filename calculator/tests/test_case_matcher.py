"""The case matcher itself must catch a wrong answer."""

from case_data import merged, mismatches


def test_a_wrong_amount_is_reported():
    assert mismatches({"support": "600.00"}, {"support": "601.00"}) == ["support: expected '600.00', got '601.00'"]


def test_a_missing_or_extra_reason_is_reported():
    response = {"reasons": [{"code": "size_large", "message": "…"}]}
    assert mismatches({"reasons": []}, response)
    assert mismatches({"reasons": ["size_large", "below_minimum"]}, response)
    assert not mismatches({"reasons": ["size_large"]}, response)


def test_an_empty_warning_list_means_no_warnings():
    assert mismatches({"warnings": []}, {"warnings": [{"code": "x", "message": "…"}]})
    assert mismatches({"warnings": ["y"]}, {"warnings": [{"code": "x", "message": "…"}]})


def test_nested_expectations_are_compared_per_key():
    assert mismatches({"deadlines": {"apply_by": "2024-01-15"}}, {"deadlines": {"apply_by": "2024-01-16"}})


def test_requests_merge_over_the_base():
    assert merged({"a": 1, "e": {"fte": 1, "turnover": 2}}, {"e": {"fte": 3}}) == {"a": 1, "e": {"fte": 3, "turnover": 2}}
