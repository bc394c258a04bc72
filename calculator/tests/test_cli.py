"""``python -m kmo_portefeuille``: JSON in, JSON out, exit 0 or 2, never a traceback."""

import json
import subprocess
import sys

import pytest

VALID = {
    "application_date": "2026-04-14", "start_date": "2026-04-20", "service": "training",
    "theme": "professional_skills", "enterprise": {"fte": 12, "turnover": 1500000}, "cost": 2000,
}


def run(stdin: str | bytes) -> tuple[int, dict, str]:
    done = subprocess.run([sys.executable, "-m", "kmo_portefeuille"], input=stdin if isinstance(stdin, bytes)
                          else stdin.encode(), capture_output=True, timeout=30)
    return done.returncode, json.loads(done.stdout), done.stderr.decode()


def test_a_valid_request_exits_0_with_the_estimate():
    code, answer, err = run(json.dumps(VALID))
    assert code == 0 and err == ""
    assert answer["eligible"] is True and answer["support"] == "600.00" and answer["rules_version"] == "2026-02-01"
    assert set(answer["deadlines"]) == {"apply_by", "complete_by", "deposit_by"}
    assert all({"id", "text", "figure"} <= set(step) for step in answer["steps"])


def test_an_ineligible_request_still_exits_0():
    code, answer, _ = run(json.dumps({**VALID, "registered_provider": False}))
    assert code == 0 and answer["eligible"] is False and answer["reasons"][0]["code"] == "provider_not_registered"


@pytest.mark.parametrize("stdin, field", [
    ("dit is geen json", ""),
    ("", ""),
    ("[1, 2, 3]", ""),
    ('"tekst"', ""),
    (json.dumps({**VALID, "cost": "1e999"}), "cost"),
    (json.dumps({**VALID, "application_date": "2024-02-30"}), "application_date"),
    ('{"application_date": "2026-04-14", "start_date": "2026-04-20", "service": "training", "theme": "innovation",'
     ' "enterprise": {"fte": 1, "turnover": 1}, "cost": NaN}', "cost"),
    ('{"application_date": "2026-04-14", "start_date": "2026-04-20", "service": "training", "theme": "innovation",'
     ' "enterprise": {"fte": 1, "turnover": 1}, "cost": Infinity}', "cost"),
    ('{"cost": ' + "9" * 5000 + "}", ""),
    ("[" * 100000, ""),
    (b"\xff\xfe{", ""),
])
def test_invalid_input_exits_2_with_dutch_errors_and_no_traceback(stdin, field):
    code, answer, err = run(stdin)
    assert code == 2
    assert "Traceback" not in err
    assert "support" not in answer
    assert field in [e["field"] for e in answer["errors"]]
    assert all(e["message"] for e in answer["errors"])


def test_missing_fields_are_all_named():
    code, answer, _ = run("{}")
    assert code == 2
    assert {"application_date", "start_date", "service", "enterprise", "cost"} <= {e["field"] for e in answer["errors"]}


def test_the_answer_is_utf8_whatever_the_terminal_encoding():
    # A Windows console in cp1252 has no "−" (the steps use it): the CLI writes UTF-8 bytes itself.
    env = {**__import__("os").environ, "PYTHONIOENCODING": "cp1252"}
    done = subprocess.run([sys.executable, "-m", "kmo_portefeuille"], input=json.dumps(VALID).encode(),
                          capture_output=True, timeout=30, env=env)
    assert done.returncode == 0, done.stderr.decode()
    assert "Traceback" not in done.stderr.decode()
    answer = json.loads(done.stdout.decode("utf-8"))
    assert any("−" in step["text"] for step in answer["steps"])


def test_ascii_writes_json_escapes():
    done = subprocess.run([sys.executable, "-m", "kmo_portefeuille", "--ascii"], input=json.dumps(VALID).encode(),
                          capture_output=True, timeout=30)
    assert done.returncode == 0 and done.stdout.isascii()
    assert json.loads(done.stdout)["support"] == "600.00"


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_prints_usage_and_reads_no_input(flag):
    done = subprocess.run([sys.executable, "-m", "kmo_portefeuille", flag], input=b"", capture_output=True, timeout=30)
    assert done.returncode == 0
    assert "Gebruik: python -m kmo_portefeuille" in done.stdout.decode("utf-8")


def test_an_unknown_option_exits_2_with_usage():
    done = subprocess.run([sys.executable, "-m", "kmo_portefeuille", "--json"], input=b"{}", capture_output=True,
                          timeout=30)
    assert done.returncode == 2 and "Gebruik:" in done.stderr.decode("utf-8")


def test_a_utf8_byte_order_mark_is_read_as_json():
    code, answer, _ = run(b"\xef\xbb\xbf" + json.dumps(VALID).encode())
    assert code == 0 and answer["support"] == "600.00"


@pytest.mark.parametrize("change, field", [
    ({"start_date": "9999-12-31"}, "start_date"),
    ({"application_date": "9999-01-01"}, "application_date"),
    ({"cost": "٢٠٠٠"}, "cost"),
    ({"cost": "2_000"}, "cost"),
    ({"cost": "2e3"}, "cost"),
])
def test_input_the_schema_forbids_exits_2_at_its_field(change, field):
    code, answer, err = run(json.dumps({**VALID, **change}))
    assert code == 2 and "Traceback" not in err
    assert [e["field"] for e in answer["errors"]] == [field]
