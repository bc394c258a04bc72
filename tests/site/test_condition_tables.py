"""The tables of the conditions (legal forms, excluded services, de-minimis, the
overview) come from the parameter files: change the data, the table changes."""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

import kmo_portefeuille
from sitetools import REPO, load_hook, mkdocs_build, parse_page

NBSP = "\u00a0"
TODAY = dt.date(2026, 12, 1)


hook = load_hook("kmo_tables_conditions_under_test")


def data():
    return copy.deepcopy(kmo_portefeuille.rules_data())


def render(text, rules=None, today=TODAY, page="x.md"):
    return hook.Renderer(rules or data(), today=today).render(text, page)


def table_rows(markdown: str) -> list[list[str]]:
    """The cells of every body row of the Markdown tables in ``markdown``."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows[1:] if rows else rows  # without the header


def forms_table(rules=None):
    return {r[0]: r[1] for r in table_rows(render("<!-- kmo:tabel rechtsvormen -->", rules))}


# --- legal forms -----------------------------------------------------------------

def test_legal_forms_table_is_exactly_the_parameter_lists():
    rules = data()
    shown = forms_table(rules)
    p = rules["parameters"]
    expected = {}
    for pid, answer in (("legal_form.accepted", "ja"), ("legal_form.refused", "nee"),
                        ("legal_form.doubtful", "niet zeker")):
        for code in p[pid]["values"][-1]["value"]:
            expected[rules["legal_forms"][code]] = answer
    assert {k: v.split(" (")[0] for k, v in shown.items()} == expected
    assert shown["Vereniging zonder winstoogmerk (vzw)"] == "nee"
    assert shown["Maatschap"].startswith("niet zeker")


def test_doubtful_legal_form_shows_its_doubt_as_a_warning():
    out = render("<!-- kmo:tabel rechtsvormen -->")
    doubt = kmo_portefeuille.rules_data()["parameters"]["legal_form.doubtful"]["values"][-1]["uncertain"]
    assert '!!! warning "Niet helemaal zeker"' in out and doubt in out
    assert "[1](https://www.vlaio.be/" in out, "each row cites its source"


def test_moving_a_legal_form_changes_the_table_and_the_value_marker():
    rules = data()
    p = rules["parameters"]
    p["legal_form.refused"]["values"][-1]["value"].remove("vzw")
    p["legal_form.accepted"]["values"][-1]["value"].append("vzw")
    assert forms_table()["Vereniging zonder winstoogmerk (vzw)"] == "nee"
    assert forms_table(rules)["Vereniging zonder winstoogmerk (vzw)"] == "ja"
    assert "(vzw)" in render("<!-- kmo:waarde legal_form.refused -->")
    assert "(vzw)" not in render("<!-- kmo:waarde legal_form.refused -->", rules)


def test_no_doubt_no_warning():
    rules = data()
    rules["parameters"]["legal_form.doubtful"]["values"][-1].update(value=[], uncertain=None)
    out = render("<!-- kmo:tabel rechtsvormen -->", rules)
    assert "Maatschap" not in out and "Niet helemaal zeker" not in out


# --- excluded services ------------------------------------------------------------

def services_table(rules=None, today=TODAY):
    return {r[0]: r[1] for r in table_rows(render("<!-- kmo:tabel uitgesloten-diensten -->", rules, today))}


def test_excluded_services_table_is_exactly_the_parameter_list_with_dates():
    rules = data()
    shown = services_table(rules)
    values = rules["parameters"]["services.excluded"]["values"]
    assert set(shown) == {rules["topics"][c] for c in values[-1]["value"]}
    first = {}
    for v in values:
        for code in v["value"]:
            first.setdefault(code, v["from"])
    for code, day in first.items():
        assert shown[rules["topics"][code]].startswith("vanaf " + kmo_portefeuille.format_date(day))
    assert shown["Mindfulness"] == "vanaf 1 juli 2020"
    assert shown["Vaarbewijs"] == "vanaf 14 juli 2021 (de dag is niet zeker)"


def test_excluded_services_say_the_list_is_incomplete_and_name_the_health_rule():
    out = render("<!-- kmo:tabel uitgesloten-diensten -->")
    assert '!!! warning "De lijst is niet volledig"' in out
    assert "26 diensten" in out and "maar 22 terugvinden" in out and "andere 4" in out
    assert "**Gezondheid.** Sinds 14 juli 2021" in out
    # Before the health rule and before any list: no rows, no health paragraph.
    early = render("<!-- kmo:tabel uitgesloten-diensten -->", today=dt.date(2019, 6, 1))
    assert table_rows(early) == [] and "Gezondheid" not in early


def test_a_list_as_it_stood_on_an_earlier_day():
    shown = services_table(today=dt.date(2021, 1, 1))
    assert len(shown) == 16 and "Vaarbewijs" not in shown and "Shiatsu" in shown


def test_adding_an_excluded_service_adds_a_row_from_its_date():
    rules = data()
    values = rules["parameters"]["services.excluded"]["values"]
    last = values[-1]
    last["until"] = "2026-12-31"
    values.append({**copy.deepcopy(last), "from": "2027-01-01", "until": None, "uncertain": None,
                   "value": last["value"] + ["yoga"], "known": 23})
    rules["topics"]["yoga"] = "Yoga"
    assert "Yoga" not in services_table(rules)
    later = services_table(rules, today=dt.date(2027, 2, 1))
    assert later["Yoga"] == "vanaf 1 januari 2027"
    assert "maar 23 terugvinden" in render("<!-- kmo:tabel uitgesloten-diensten -->", rules, dt.date(2027, 2, 1))


def test_a_service_taken_off_the_list_shows_until_when():
    rules = data()
    values = rules["parameters"]["services.excluded"]["values"]
    values[-1]["until"] = "2026-12-31"
    values.append({**copy.deepcopy(values[-1]), "from": "2027-01-01", "until": None, "uncertain": None,
                   "value": [c for c in values[-1]["value"] if c != "mindfulness"], "known": 21})
    shown = services_table(rules, today=dt.date(2027, 2, 1))
    assert shown["Mindfulness"] == "van 1 juli 2020 tot 1 januari 2027"


def test_a_known_count_that_disagrees_with_the_list_fails():
    rules = data()
    rules["parameters"]["services.excluded"]["values"][-1]["value"].append("yoga")
    with pytest.raises(PluginError, match="known"):
        render("<!-- kmo:tabel uitgesloten-diensten -->", rules)


# --- de minimis -------------------------------------------------------------------

def test_de_minimis_table_by_regulation_and_date():
    rows = table_rows(render("<!-- kmo:tabel de-minimis -->"))
    assert [r[:4] for r in rows] == [
        ["van 1 april 2016 tot en met 31 december 2023", f"€{NBSP}200.000",
         "het lopende en de twee vorige belastingjaren", "Verordening (EU) 1407/2013"],
        ["vanaf 1 januari 2024 (onzeker, zie hieronder)", f"€{NBSP}300.000",
         "elke periode van drie jaar (glijdend)", "Verordening (EU) 2023/2831"],
    ]


def test_changing_the_de_minimis_ceiling_changes_table_and_value():
    rules = data()
    rules["parameters"]["de_minimis.ceiling"]["values"][-1]["value"] = "350000"
    text = "<!-- kmo:tabel de-minimis --> <!-- kmo:waarde de_minimis.ceiling -->"
    before, after = render(text), render(text, rules)
    assert f"€{NBSP}300.000" in before and f"€{NBSP}350.000" not in before
    assert f"€{NBSP}350.000" in after and f"€{NBSP}300.000" not in after
    assert after.endswith(f" €{NBSP}350.000")


# --- the overview -------------------------------------------------------------------

def test_overview_lists_every_condition_with_how_sure():
    rules = data()
    rows = table_rows(render("<!-- kmo:tabel voorwaarden -->", rules))
    assert [r[0] for r in rows] == [rules["parameters"][pid]["label"] for pid in hook.CONDITIONS]
    by_label = {r[0]: r for r in rows}
    p = rules["parameters"]
    assert by_label[p["public_share.below"]["label"]][1] == f"minder dan 25{NBSP}%"
    assert by_label[p["activity.excluded_nace"]["label"]][1] == "NACE 01 (landbouw, tuinbouw en veeteelt)"
    assert by_label[p["activity.likely_excluded_nace"]["label"]][3] == "niet helemaal zeker"
    assert by_label[p["activity.excluded_nace"]["label"]][3] == "zeker"
    assert by_label[p["services.excluded"]["label"]][1].startswith("22 van de 26 diensten bekend")
    assert by_label[p["de_minimis.ceiling"]["label"]][1] == f"€{NBSP}300.000 over elke periode van drie jaar (glijdend)"


def test_overview_links_to_the_page_with_the_full_list():
    r = hook.Renderer(data(), today=TODAY)
    r.table_pages = {"uitgesloten-diensten": "opleiding-en-advies.md", "rechtsvormen": "wie-komt-in-aanmerking.md"}
    out = r.render("<!-- kmo:tabel voorwaarden -->", "wie-komt-in-aanmerking.md")
    assert "zie [de tabel](opleiding-en-advies.md#tabel-uitgesloten-diensten)" in out
    assert "zie [de tabel](#tabel-rechtsvormen)" in out


# --- units, topics of the sources, the pages ------------------------------------------

def test_new_units_format_as_dutch_lists():
    r = hook.Renderer(data(), today=TODAY)
    assert r.format_value("legal_forms", ["vzw", "stichting"]) == "Vereniging zonder winstoogmerk (vzw) en Stichting"
    assert r.format_value("topics", ["nlp", "mindfulness"], inline=True) == "NLP (neurolinguïstisch programmeren) en mindfulness"
    assert r.format_value("nace", ["01", "03"]) == ("NACE 01 (landbouw, tuinbouw en veeteelt) en "
                                                    "NACE 03 (visserij en aquacultuur)")
    assert r.format_value("topics", []) == "geen"
    assert r.format_value("flag", True) == "ja"
    assert "; " in r.format_value("legal_forms", ["eenmanszaak", "bv", "nv"]), "labels with commas are separated by ';'"


def test_every_parameter_prefix_has_a_topic_in_the_list_of_sources():
    for pid in kmo_portefeuille.rules_data()["parameters"]:
        assert pid.split(".")[0] in hook.TOPICS, pid


def test_pages_type_no_excluded_service_legal_form_or_de_minimis_figure():
    """The lists live in the tables: a page that types one of them can disagree with the rekenhulp."""
    rules = kmo_portefeuille.rules_data()
    words = list(rules["topics"].values()) + list(rules["legal_forms"].values())
    figures = [hook.amount(v["value"]) for v in rules["parameters"]["de_minimis.ceiling"]["values"]]
    for md in (REPO / "docs").rglob("*.md"):
        text = md.read_text(encoding="utf-8")
        for word in words:
            assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.I), (md.name, word)
        for figure in figures:
            number = figure.split(NBSP)[-1]
            assert not re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", text), (md.name, figure)


# --- real builds ------------------------------------------------------------------------

def test_changed_parameter_files_change_the_built_tables(tmp_path):
    """Edit parameters.toml in a copy of the rules package: move the vzw to the accepted forms,
    add a service to the newest exclusion list, raise the de-minimis ceiling; a full build shows it."""
    package = Path(kmo_portefeuille.__file__).resolve().parent
    root = tmp_path / "src"
    shutil.copytree(package, root / "kmo_portefeuille", ignore=shutil.ignore_patterns("__pycache__"))
    params = root / "kmo_portefeuille" / "data" / "parameters.toml"
    text = params.read_text(encoding="utf-8")
    edits = [
        ('value = ["eenmanszaak", "bv",', 'value = ["vzw", "eenmanszaak", "bv",'),
        ('value = ["vzw", "ivzw", "stichting", "feitelijke_vereniging"]', 'value = ["ivzw", "stichting", "feitelijke_vereniging"]'),
        ('"walking_coaching", "boating_licence"], source = "hildecrevits-uitsluitingen"',
         '"walking_coaching", "boating_licence", "yoga"], source = "hildecrevits-uitsluitingen"'),
        ("known = 22, total = 26", "known = 23, total = 26"),
        ('boating_licence = "Vaarbewijs"\n', 'boating_licence = "Vaarbewijs"\nyoga = "Yogales"\n'),
        ('value = "300000"', 'value = "350000"'),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    params.write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(root), "NO_MKDOCS_2_WARNING": "1", "KMO_PEILDATUM": TODAY.isoformat()}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(REPO / "mkdocs.yml"),
                           "-d", str(tmp_path / "site")], env=env, cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = tmp_path / "site"
    who = parse_page(site, site / "wie-komt-in-aanmerking" / "index.html").text
    services = parse_page(site, site / "opleiding-en-advies" / "index.html").text
    faq = parse_page(site, site / "veelgestelde-vragen" / "index.html").text
    assert re.search(r"Vereniging zonder winstoogmerk \(vzw\)\s+ja\b", who)
    assert "11 rechtsvormen" in who and f"€{NBSP}350.000" in who and f"€{NBSP}300.000" not in who
    assert "Yogales vanaf 14 juli 2021" in " ".join(services.split())
    assert "maar 23 terugvinden" in services
    assert "(vzw)" not in faq.split("niet gebruiken:")[1].split(".")[0]
    assert f"€{NBSP}350.000" in faq


@pytest.mark.parametrize("marker", ["<!-- kmo:tabel rechtsvorm -->", "<!-- kmo:tabel uitgesloten-diensten extra -->"])
def test_build_fails_on_an_unknown_table_marker(tmp_path, marker):
    for name in ("docs", "overrides", "hooks"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    page = tmp_path / "docs" / "wie-komt-in-aanmerking.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
    code, output, _ = mkdocs_build(tmp_path / "site", "http://127.0.0.1:8000/", config=tmp_path / "mkdocs.yml")
    assert code != 0
    assert "wie-komt-in-aanmerking.md" in output and marker[5:-4].strip() in output, output
    assert "onbekende tabel" in output and "rechtsvormen" in output, output
