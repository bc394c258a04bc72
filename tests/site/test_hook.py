"""The MkDocs hook that renders the <!-- kmo:... --> markers from rules_data()."""

from __future__ import annotations

import copy
from pathlib import Path
import datetime as dt
import shutil

import pytest
from mkdocs.exceptions import PluginError

import kmo_portefeuille
from sitetools import REPO, load_hook, mkdocs_build, parse_page

NBSP = "\u00a0"
TODAY = dt.date(2026, 11, 27)


hook = load_hook("kmo_tables_under_test")


def renderer(data=None, today=TODAY):
    return hook.Renderer(data or kmo_portefeuille.rules_data(), today=today)


def changed_data(**latest):
    """rules_data() with the latest value of some parameters replaced (id with '_' for '.')."""
    data = copy.deepcopy(kmo_portefeuille.rules_data())
    for key, value in latest.items():
        data["parameters"][key.replace("_", ".", 2)]["values"][-1]["value"] = value
    return data


# --- values ---------------------------------------------------------------------

def test_value_marker_formats_by_unit():
    r = renderer()
    assert r.render("<!-- kmo:waarde rate.standard.small -->") == f"30{NBSP}%"
    assert r.render("<!-- kmo:waarde ceiling.small -->") == f"€{NBSP}7.500"
    assert r.render("<!-- kmo:waarde size.medium.balance_max -->") == f"€{NBSP}43.000.000"
    assert r.render("<!-- kmo:waarde deadline.apply_days -->") == "14"
    assert r.render("<!-- kmo:waarde advice.allowed_themes -->") == "cyberveiligheid"
    assert r.render("<!-- kmo:waarde rate.standard.small op 2018-06-01 -->") == f"40{NBSP}%"
    assert r.render("<!-- kmo:sinds advice.allowed_themes -->") == "1 februari 2026"


def test_source_marker_links_the_source():
    source = kmo_portefeuille.rules_data()["sources"]["eu-2003-361"]
    out = renderer().render("<!-- kmo:bron eu-2003-361 -->")
    assert out.startswith("[") and out.endswith(f"]({source['url']})")


@pytest.mark.parametrize("name", hook.TABLES)
def test_every_table_renders_with_its_sources(name):
    out = renderer().render(f"<!-- kmo:tabel {name} -->", "x.md")
    assert "|---|" in out
    assert "](http" in out, "a table shows its sources"


def test_every_table_is_used_on_a_page():
    docs = " ".join(p.read_text(encoding="utf-8") for p in (REPO / "docs").rglob("*.md"))
    for name in hook.TABLES:
        assert f"<!-- kmo:tabel {name} -->" in docs, name


def test_tables_use_flemish_amounts_and_dates():
    r = renderer()
    assert f"€{NBSP}10.000" in r.render("<!-- kmo:tabel plafonds -->")
    assert "vanaf 1 december 2019" in r.render("<!-- kmo:tabel steunpercentages -->")
    assert "13 september 2021" in r.render("<!-- kmo:tabel steunpercentages -->")


# --- a changed parameter changes the page -------------------------------------------

def test_changing_a_parameter_changes_the_rendered_markdown():
    text = "<!-- kmo:tabel kerncijfers --> <!-- kmo:waarde rate.standard.small -->"
    before = renderer().render(text)
    after = renderer(changed_data(rate_standard_small="0.33", ceiling_small="9000")).render(text)
    assert f"| 30{NBSP}% van de subsidiabele kost |" in before
    assert f"| 33{NBSP}% van de subsidiabele kost |" in after and f"33{NBSP}%" not in before
    assert after.endswith(f" 33{NBSP}%")
    assert f"€{NBSP}9.000" in after and f"€{NBSP}9.000" not in before


def test_a_future_value_shows_only_from_its_date():
    data = copy.deepcopy(kmo_portefeuille.rules_data())
    values = data["parameters"]["ceiling.small"]["values"]
    values[-1]["until"] = "2098-12-31"
    values.append({**values[-1], "from": "2099-01-01", "until": None, "value": "8000"})
    now = renderer(data).render("<!-- kmo:waarde ceiling.small -->")
    later = renderer(data, today=dt.date(2099, 6, 1)).render("<!-- kmo:waarde ceiling.small -->")
    assert now == f"€{NBSP}7.500" and later == f"€{NBSP}8.000"
    assert "2099" in renderer(data).render("<!-- kmo:tabel plafonds -->")


def test_changing_a_parameter_changes_the_built_page(tmp_path):
    """Edit the data file of a copy of the rules package: a full build shows the new figures."""
    import os
    import shutil
    import subprocess
    import sys

    package = Path(kmo_portefeuille.__file__).resolve().parent
    copy_root = tmp_path / "src"
    shutil.copytree(package, copy_root / "kmo_portefeuille")
    params = copy_root / "kmo_portefeuille" / "data" / "parameters.toml"
    text = params.read_text(encoding="utf-8")
    old = '{ from = 2019-12-01, value = "0.30", source = "bofisc-2019" },'
    assert text.count(old) == 1
    params.write_text(text.replace(old, old.replace('"0.30"', '"0.33"')), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy_root), "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(REPO / "mkdocs.yml"),
                    "-d", str(tmp_path / "site")], env=env, check=True, cwd=REPO)
    page = parse_page(tmp_path / "site", tmp_path / "site" / "hoeveel-steun" / "index.html")
    assert f"een kleine onderneming krijgt 33{NBSP}%" in page.text
    # The worked example, computed by estimate(): 33 % of € 2.000 instead of 30 %.
    assert f"33{NBSP}% van €{NBSP}2.000,00 €{NBSP}660,00" in page.text
    assert f"€{NBSP}1.340,00" in page.text
    assert f"30{NBSP}% van €{NBSP}2.000,00" not in page.text


# --- worked examples ------------------------------------------------------------------

def example(**kw):
    args = " ".join(f"{k}={v}" for k, v in kw.items())
    return renderer().render(f"<!-- kmo:voorbeeld {args} -->", "x.md")


def test_example_small_training_2026():
    out = example(grootte="klein", dienst="opleiding", datum="2026-03-02", kost=2000, thema="digitalisation")
    assert f"30{NBSP}% van €{NBSP}2.000,00 | €{NBSP}600,00" in out
    assert f"| Eigen aandeel, te storten in de kmo-portefeuille | €{NBSP}2.000,00 − €{NBSP}600,00 | €{NBSP}1.400,00 |" in out
    assert f"21{NBSP}% van €{NBSP}2.000,00 | €{NBSP}420,00" in out
    assert f"**€{NBSP}1.820,00**" in out
    assert f"€{NBSP}2.420,00" in out


def test_example_raised_rate_and_ceiling():
    out = example(grootte="middelgroot", dienst="advies", datum="2026-04-15", kost=10000, thema="cybersecurity")
    assert f"**€{NBSP}3.500,00**" in out
    out = example(grootte="klein", dienst="opleiding", datum="2026-09-07", kost=3000,
                  thema="digitalisation", al_ontvangen=7000)
    assert f"**€{NBSP}500,00**" in out and f"€{NBSP}2.500,00" in out


def test_example_catering():
    out = example(grootte="klein", dienst="opleiding", datum="2026-03-02", kost=1500,
                  thema="sustainability", deelnemers=8, dagen=2, catering=32, btw="geen")
    assert f"€{NBSP}512,00" in out and f"€{NBSP}400,00" in out and f"€{NBSP}112,00" in out
    assert f"**€{NBSP}570,00**" in out and f"**€{NBSP}1.442,00**" in out


@pytest.mark.parametrize("args", [
    "grootte=klein dienst=advies datum=2026-03-02 kost=2000 thema=digitalisation",  # advice: cyber only
    "grootte=klein dienst=opleiding datum=2026-03-02 kost=50 thema=digitalisation",  # under the minimum
    "grootte=groot dienst=opleiding datum=2026-03-02 kost=2000 thema=digitalisation",
    "grootte=klein dienst=opleiding datum=2026-03-02 kost=2000",  # no theme
    "grootte=klein dienst=opleiding datum=2026-03-02 kost=2000 thema=digitalisation kleur=rood",
])
def test_example_refuses_an_impossible_case(args):
    with pytest.raises(PluginError):
        renderer().render(f"<!-- kmo:voorbeeld {args} -->", "x.md")


def test_deadline_example():
    out = renderer().render("<!-- kmo:voorbeeld-termijnen start=2026-03-02 aanvraag=2026-03-10 -->")
    assert "16 maart 2026" in out and "9 april 2026" in out and "31 december 2027" in out
    with pytest.raises(PluginError):
        renderer().render("<!-- kmo:voorbeeld-termijnen start=2026-03-02 aanvraag=2026-03-17 -->")


# --- unknown markers fail loudly ----------------------------------------------------------

@pytest.mark.parametrize("marker", [
    "<!-- kmo:tabel bestaatniet -->",
    "<!-- kmo:tabel -->",
    "<!-- kmo:onzin -->",
    "<!-- kmo:waarde bestaat.niet -->",
    "<!-- kmo:waarde rate.standard.small op gisteren -->",
    "<!-- kmo:bron geen-bron -->",
    "<!--kmo:tabel kerncijfers",  # never closed
])
def test_unknown_marker_fails(marker):
    with pytest.raises(PluginError) as info:
        renderer().render(f"Tekst\n\n{marker}\n\nmeer tekst", "pagina.md")
    assert "pagina.md" in str(info.value)


def test_unknown_marker_names_page_and_marker():
    with pytest.raises(PluginError) as info:
        renderer().render("<!-- kmo:tabel bestaatniet -->", "hoeveel-steun.md")
    assert "hoeveel-steun.md" in str(info.value) and "kmo:tabel bestaatniet" in str(info.value)


def copy_project(tmp_path):
    for name in ("docs", "overrides", "hooks"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path / "mkdocs.yml"


def test_build_fails_on_an_unknown_marker(tmp_path):
    config = copy_project(tmp_path)
    page = tmp_path / "docs" / "hoeveel-steun.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<!-- kmo:tabel onbekend -->\n", encoding="utf-8")
    code, output, _ = mkdocs_build(tmp_path / "site", "http://127.0.0.1:8000/", config=config)
    assert code != 0
    assert "hoeveel-steun.md" in output and "kmo:tabel onbekend" in output, output


def test_build_fails_without_last_checked_date(tmp_path):
    config = copy_project(tmp_path)
    page = tmp_path / "docs" / "disclaimer.md"
    text = page.read_text(encoding="utf-8").replace("laatst_gecontroleerd: 2026-11-27\n", "")
    page.write_text(text, encoding="utf-8")
    code, output, _ = mkdocs_build(tmp_path / "site", "http://127.0.0.1:8000/", config=config)
    assert code != 0
    assert "disclaimer.md" in output and "laatst_gecontroleerd" in output, output
