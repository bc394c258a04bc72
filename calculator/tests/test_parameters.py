"""The data files: every value labelled, dated and sourced; the timeline complete."""

import datetime as dt

import pytest

from kmo_portefeuille import rules_data
from kmo_portefeuille._params import rules_for

DATA = rules_data()


@pytest.mark.parametrize("pid", sorted(DATA["parameters"]))
def test_every_parameter_has_a_label_a_unit_and_sourced_dated_values(pid):
    param = DATA["parameters"][pid]
    assert param["label"].strip()
    assert param["unit"] in {"percentage", "eur", "fte", "days", "years", "themes", "flag", "legal_forms", "topics",
                             "nace"}
    assert param["values"]
    for value in param["values"]:
        dt.date.fromisoformat(value["from"])
        assert value["source"]["title"].strip()
        assert value["source"]["url"].startswith(("https://", "http://"))


def test_every_source_has_a_title_and_a_web_link():
    for source in DATA["sources"].values():
        assert source["title"].strip() and source["url"].startswith(("https://", "http://"))


def test_every_parameter_starts_at_the_first_encoded_date():
    first = DATA["meta"]["first_date"]
    assert all(p["values"][0]["from"] == first for pid, p in DATA["parameters"].items() if not pid.startswith("rate.raised"))


def test_every_change_of_a_parameter_is_in_the_timeline():
    dated = {(t["date"], pid) for t in DATA["timeline"] for pid in t["parameters"]}
    for pid, param in DATA["parameters"].items():
        for value in param["values"]:
            assert (value["from"], pid) in dated, f"{pid} changes on {value['from']} but the timeline does not say so"


def test_every_werkbaar_werk_window_is_sourced_and_ordered():
    for window in DATA["werkbaar_werk"]:
        assert window["from"] <= window["to"]
        assert window["source"]["url"].startswith(("https://", "http://"))


def test_themes_used_in_parameters_have_labels():
    for pid, param in DATA["parameters"].items():
        if param["unit"] == "themes":
            for value in param["values"]:
                assert set(value["value"]) <= set(DATA["themes"])


@pytest.mark.parametrize("unit, labels", [("legal_forms", "legal_forms"), ("topics", "topics"),
                                           ("nace", "nace_labels")])
def test_codes_used_in_parameters_have_labels(unit, labels):
    for pid, param in DATA["parameters"].items():
        if param["unit"] == unit:
            for value in param["values"]:
                assert set(value["value"]) <= set(DATA[labels]), pid


def test_no_legal_form_is_both_accepted_and_refused():
    at = {pid: {code for v in DATA["parameters"][pid]["values"] for code in v["value"]}
          for pid in ("legal_form.accepted", "legal_form.refused", "legal_form.doubtful")}
    assert not at["legal_form.accepted"] & at["legal_form.refused"]
    assert not at["legal_form.doubtful"] & (at["legal_form.accepted"] | at["legal_form.refused"])


def test_a_later_exclusion_list_keeps_every_service_of_the_earlier_one():
    values = DATA["parameters"]["services.excluded"]["values"]
    for earlier, later in zip(values, values[1:]):
        assert set(earlier["value"]) <= set(later["value"])


def test_a_date_before_the_first_rules_is_refused_not_guessed():
    with pytest.raises(ValueError, match="1 april 2016"):
        rules_for(dt.date(2016, 3, 31))


def test_the_rule_version_is_the_last_change_on_or_before_the_date():
    assert rules_for(dt.date(2019, 12, 31)).version == dt.date(2019, 12, 1)
    assert rules_for(dt.date(2026, 11, 27)).version == dt.date(2026, 2, 1)


def test_rules_data_is_a_copy():
    data = rules_data()
    data["parameters"]["ceiling.small"]["values"][0]["value"] = "1"
    assert rules_data()["parameters"]["ceiling.small"]["values"][0]["value"] != "1"
