"""The option lists of the rekenhulp's "Voorwaarden" group come from
kmo_portefeuille.rules_data() (hooks/rekenhulp_build.py, conditions_options),
and the build fails loudly when the data lacks them."""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path

import kmo_portefeuille
import pytest
from mkdocs.exceptions import PluginError

HOOKS = Path(__file__).resolve().parent.parent / "hooks"


@pytest.fixture(scope="module")
def hook():
    sys.path.insert(0, str(HOOKS))  # the hook imports kmo_tables, as MkDocs lets it
    try:
        spec = importlib.util.spec_from_file_location("rekenhulp_build_under_test", HOOKS / "rekenhulp_build.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(HOOKS))


def test_the_options_are_the_rules_data_s(hook):
    data = kmo_portefeuille.rules_data()
    options = hook.conditions_options(data)
    assert options["legal_forms"] == list(data["legal_forms"].items())
    assert options["deliveries"] == list(data["deliveries"].items())
    groups = options["topic_groups"]
    placed = [code for group in groups for code, _ in group["options"]]
    assert sorted(placed) == sorted(data["topics"])  # every topic once
    # Grouped by the date each was first excluded, the health topic last.
    assert groups[0]["label"] == "Uitgesloten sinds 1 juli 2020" and len(groups[0]["options"]) == 16
    assert groups[-1]["options"] == [("health", data["topics"]["health"])]


def test_a_changed_list_shows_in_the_options(hook):
    data = copy.deepcopy(kmo_portefeuille.rules_data())
    data["legal_forms"]["bv"] = "Besloten vennootschap (gewijzigd)"
    data["parameters"]["services.excluded"]["values"][-1]["value"].append("health_x")
    data["topics"]["health_x"] = "Nieuw uitgesloten"
    options = hook.conditions_options(data)
    assert ("bv", "Besloten vennootschap (gewijzigd)") in options["legal_forms"]
    assert ("health_x", "Nieuw uitgesloten") in options["topic_groups"][1]["options"]


@pytest.mark.parametrize("damage", ["no legal_forms", "no deliveries", "no topics", "no services.excluded",
                                    "unplaced topic", "unlabelled topic"])
def test_the_build_fails_loudly_without_them(hook, damage):
    data = copy.deepcopy(kmo_portefeuille.rules_data())
    if damage.startswith("no ") and "." not in damage:
        del data[damage[3:]]
    elif damage == "no services.excluded":
        del data["parameters"]["services.excluded"]
    elif damage == "unplaced topic":
        data["topics"]["yoga"] = "Yoga"
    else:
        data["parameters"]["services.excluded"]["values"][-1]["value"].append("yoga")
    with pytest.raises(PluginError):
        hook.conditions_options(data)


def test_every_form_lists_the_themes_of_the_rules_data():
    """The rekenhulp, the planner and the provider page list the themes from rules_data(), none typed."""
    import re
    from pathlib import Path
    site = Path(__file__).resolve().parent.parent / "site"
    want = list(kmo_portefeuille.rules_data()["themes"].items())
    for page in ("rekenhulp", "planner", "dienstverleners"):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        select = re.search(r'<option value="">Kies een thema</option>(.*?)</select>', html, re.S) or re.search(
            r'<select[^>]*name="theme"[^>]*>(.*?)</select>', html, re.S)
        assert select, page
        got = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', select.group(1))
        assert [(code, label.strip()) for code, label in got] == want, page
