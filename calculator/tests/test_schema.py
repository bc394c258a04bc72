"""The contract's JSON Schemas hold for every case, request and response."""

import json
from pathlib import Path

import pytest

from case_data import load_cases
from kmo_portefeuille import estimate

jsonschema = pytest.importorskip("jsonschema")
SCHEMA_DIR = Path(__import__("kmo_portefeuille").__file__).parent / "schema"
REQUEST = json.loads((SCHEMA_DIR / "request.schema.json").read_text(encoding="utf-8"))
RESPONSE = json.loads((SCHEMA_DIR / "response.schema.json").read_text(encoding="utf-8"))
CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_answer_follows_the_response_schema(case):
    jsonschema.validate(json.loads(json.dumps(estimate(case.request))), RESPONSE)


@pytest.mark.parametrize("case", [c for c in CASES if "errors" not in c.expect], ids=lambda c: c.id)
def test_every_valid_case_follows_the_request_schema(case):
    jsonschema.validate(case.request, REQUEST)


def test_the_schema_examples_are_valid_and_computable():
    for example in REQUEST["examples"]:
        jsonschema.validate(example, REQUEST)
        assert "errors" not in estimate(example)


def test_the_schema_lists_the_codes_the_data_files_know():
    from kmo_portefeuille import rules_data
    data = rules_data()
    enterprise = REQUEST["properties"]["enterprise"]["properties"]
    assert enterprise["legal_form"]["enum"] == list(data["legal_forms"])
    assert REQUEST["properties"]["topic"]["enum"] == [*data["topics"], "none"]
    assert REQUEST["properties"]["delivery"]["enum"] == list(data["deliveries"])
