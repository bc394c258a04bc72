"""The test cases as data: TOML files in ``cases/``, each case named by a sentence.

Each file has a ``[base]`` request and ``[[case]]`` entries whose ``request`` is
merged over it and whose ``expect`` lists the fields to check. The same cases
run in CPython (``test_cases.py``) and in the browser through Pyodide
(``tests/e2e``), so this loader imports nothing but the standard library.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

CASES_DIR = Path(__file__).parent / "cases"
PLANS_DIR = Path(__file__).parent / "plans"


@dataclass(frozen=True)
class Case:
    file: str
    name: str
    request: dict
    expect: dict

    @property
    def id(self) -> str:
        return f"{self.file}: {self.name}"


def merged(base: dict, override: dict) -> dict:
    """``override`` laid over ``base``; nested objects merge, everything else replaces."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        base = data.get("base", {})
        for entry in data["case"]:
            cases.append(Case(path.stem, entry["name"], merged(base, entry.get("request", {})), entry["expect"]))
    return cases


def mismatches(expect: dict, response: dict) -> list[str]:
    """What in ``response`` differs from ``expect`` (empty when the case holds).

    ``reasons``, ``warnings``, ``assumptions`` and ``errors`` are given as lists
    of codes (or fields): reasons and assumptions must match exactly and in
    order, errors in any order, the listed warnings must all be present (an
    empty list means: no warnings at all).
    """
    problems = []
    for key, want in expect.items():
        if key in ("reasons", "errors", "assumptions"):
            got = [item["code" if key == "reasons" else "field"] for item in response.get(key, [])]
            if (sorted(got) if key == "errors" else got) != (sorted(want) if key == "errors" else want):
                problems.append(f"{key}: expected {want}, got {got}")
        elif key == "warnings":
            got = [w["code"] for w in response.get("warnings", [])]
            if (not want and got) or any(code not in got for code in want):
                problems.append(f"warnings: expected {want}, got {got}")
        elif isinstance(want, dict):
            sub = response.get(key) or {}
            problems += [f"{key}.{k}: expected {v!r}, got {sub.get(k)!r}" for k, v in want.items() if sub.get(k) != v]
        elif response.get(key) != want:
            problems.append(f"{key}: expected {want!r}, got {response.get(key)!r}")
    return problems


@dataclass(frozen=True)
class PlanCase:
    name: str
    request: dict
    expect: dict


def load_plans() -> list[PlanCase]:
    """The year plans of ``plans/*.toml`` (``[[plan]]`` entries with ``request`` and ``expect``)."""
    plans = []
    for path in sorted(PLANS_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        plans += [PlanCase(p["name"], p["request"], p["expect"]) for p in data["plan"]]
    return plans


def plan_mismatches(expect: dict, response: dict) -> list[str]:
    """What in a plan's ``response`` differs from ``expect``: per application, per year, or the error fields."""
    if "errors" in expect:
        got = sorted(e["field"] for e in response.get("errors", []))
        return [] if got == sorted(expect["errors"]) else [f"errors: expected {expect['errors']}, got {got}"]
    if "errors" in response:
        return [f"unexpected errors: {response['errors']}"]
    problems = []
    for index, want in enumerate(expect.get("applications", [])):
        problems += [f"applications.{index}.{p}" for p in mismatches(want, response["applications"][index])]
    for year, want in expect.get("years", {}).items():
        got = response["years"].get(year, {})
        problems += [f"years.{year}.{k}: expected {v!r}, got {got.get(k)!r}" for k, v in want.items() if got.get(k) != v]
    return problems
