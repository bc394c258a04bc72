"""The strict build, and what every page must carry."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from kmo_portefeuille import format_date

from sitetools import REPO

EXPECTED_PAGES = {
    "index.html",
    "wie-komt-in-aanmerking/index.html",
    "hoeveel-steun/index.html",
    "opleiding-en-advies/index.html",
    "aanvragen-en-betalen/index.html",
    "kmo-groeisubsidie/index.html",
    "wijzigingen/index.html",
    "veelgestelde-vragen/index.html",
    "bronnen/index.html",
    "disclaimer/index.html",
    "rekenhulp/index.html",
}

MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"


def test_strict_build_passes_without_warnings(mkdocs_site):
    print(f"mkdocs build --strict: {mkdocs_site.seconds:.2f} s")
    assert mkdocs_site.returncode == 0, mkdocs_site.output
    assert "WARNING" not in mkdocs_site.output, mkdocs_site.output
    assert "ERROR" not in mkdocs_site.output, mkdocs_site.output


def test_all_pages_are_built(strict_site):
    assert EXPECTED_PAGES <= set(strict_site.pages), sorted(strict_site.pages)


def test_every_page_has_a_title_and_dutch_language(strict_site):
    for page in strict_site.pages.values():
        assert page.title.strip(), page.path
        assert "Kmo-portefeuille" in page.title or "kmo-portefeuille" in page.title, (page.path, page.title)
        assert page.lang == "nl", page.path


def test_titles_are_distinct(strict_site):
    titles = [p.title for p in strict_site.pages.values()]
    assert len(titles) == len(set(titles)), titles


def source_of(path: str):
    """docs/ source of a built page: 'x/index.html' -> docs/x.md or docs/x/index.md."""
    stem = path[: -len("index.html")].rstrip("/")
    for candidate in ([REPO / "docs" / "index.md"] if not stem else
                      [REPO / "docs" / f"{stem}.md", REPO / "docs" / stem / "index.md"]):
        if candidate.exists():
            return candidate
    raise AssertionError(f"no source for {path}")


def test_every_page_shows_when_it_was_last_checked(strict_site):
    for path, page in strict_site.pages.items():
        front = source_of(path).read_text(encoding="utf-8").split("---")[1]
        iso = yaml.safe_load(front)["laatst_gecontroleerd"].isoformat()
        match = re.search(rf"Laatst gecontroleerd: (\d{{1,2}} ({MONTHS}) \d{{4}})", page.text)
        assert match, f"{path}: geen 'Laatst gecontroleerd'"
        assert match.group(1) == format_date(iso), (path, match.group(1), iso)
        assert f'datetime="{iso}"' in page.html, path


def test_search_is_configured_for_dutch(strict_site):
    index = json.loads((strict_site.dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["nl"], index["config"]  # Material 9.8 ships lunr.nl
    assert (strict_site.dir / "assets/javascripts/lunr/min/lunr.du.min.js").exists()
    # Dutch words from the pages are in the index.
    text = " ".join(doc["text"] for doc in index["docs"])
    for word in ("exploitatiezetel", "jaarplafond", "cyberveiligheid", "kalenderdagen"):
        assert word in text


def test_light_and_dark_palette(strict_site):
    html = strict_site.pages["index.html"].html
    assert 'data-md-color-scheme="default"' in html
    assert 'data-md-color-scheme="slate"' in html
    assert "(prefers-color-scheme: dark)" in html


def test_print_stylesheet_is_loaded_everywhere(strict_site):
    css = (strict_site.dir / "assets/stylesheets/kmo.css").read_text(encoding="utf-8")
    assert "@media print" in css
    for page in strict_site.pages.values():
        assert any(tag == "link" and value.endswith("assets/stylesheets/kmo.css")
                   for tag, _, value, _ in page.urls), page.path


def test_config_basics():
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s+font: false\s*$", config, re.M)
    assert re.search(r"^\s+language: nl\s*$", config, re.M)
    assert 'site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]' in config
    assert "hooks/kmo_tables.py" in config


@pytest.mark.parametrize("page", ["hoeveel-steun/index.html", "index.html"])
def test_figures_are_in_flemish_form(strict_site, page):
    text = strict_site.pages[page].text
    assert "€\u00a07.500" in text  # ceiling, euro sign first, non-breaking space, thousands point
    assert "30\u00a0%" in text
    assert not re.search(r"\d[ \u00a0]?€(?![ \u00a0]?\d)", text), "euro sign after an amount"
    assert not re.search(r"€\s?\d{1,3},\d{3}\b", text), "English thousands separator"
